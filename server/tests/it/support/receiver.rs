//! A webhook receiver on loopback: it keeps every request's signature
//! header and body, and answers each with the next status of its script
//! (then 200), as a flaky receiver would.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
};

/// One request: its `X-Sentinela-Signature` and body, and the status it got.
#[derive(Clone, Debug)]
pub struct Received {
    pub signature: Option<String>,
    pub body: Vec<u8>,
    pub status: u16,
}

#[derive(Default)]
struct Inner {
    script: VecDeque<u16>,
    received: Vec<Received>,
}

/// A running receiver.
pub struct Receiver {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl Receiver {
    /// A receiver that answers `script`'s statuses first, then 200.
    pub async fn start(script: &[u16]) -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            script: script.iter().copied().collect(),
            received: Vec::new(),
        }));
        let router = Router::new()
            .route("/hook", post(receive))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Receiver { url, inner }
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    /// The requests it accepted (2xx).
    pub fn accepted(&self) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.status == 200)
            .collect()
    }
}

async fn receive(
    State(inner): State<Arc<Mutex<Inner>>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> StatusCode {
    let mut inner = inner.lock().unwrap();
    let status = inner.script.pop_front().unwrap_or(200);
    inner.received.push(Received {
        signature: headers
            .get("x-sentinela-signature")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: body.to_vec(),
        status,
    });
    StatusCode::from_u16(status).unwrap()
}
