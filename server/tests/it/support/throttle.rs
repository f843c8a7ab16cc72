//! An HTTP proxy on loopback in front of the S3 test server that answers
//! `503 SlowDown` (S3's throttling reply) to the next N requests, then
//! forwards again: S3 under load, for the lake's retries.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};

#[derive(Default)]
pub struct Counters {
    /// Requests still to forward before throttling starts.
    pub pass: AtomicU64,
    /// Requests still to throttle.
    pub throttle: AtomicU64,
    pub throttled: AtomicU64,
    pub forwarded: AtomicU64,
}

#[derive(Clone)]
struct Upstream {
    url: String,
    http: reqwest::Client,
    counters: Arc<Counters>,
}

/// A running throttling proxy.
pub struct ThrottlingProxy {
    pub addr: SocketAddr,
    pub counters: Arc<Counters>,
}

impl ThrottlingProxy {
    pub async fn start(upstream: &str) -> Self {
        let counters = Arc::new(Counters::default());
        let state = Upstream {
            url: upstream.trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
            counters: counters.clone(),
        };
        let router = Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        ThrottlingProxy { addr, counters }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Throttles the next `n` requests.
    pub fn throttle(&self, n: u64) {
        self.throttle_after(0, n);
    }

    /// Forwards `pass` requests, then throttles the next `n`.
    pub fn throttle_after(&self, pass: u64, n: u64) {
        self.counters.pass.store(pass, Ordering::SeqCst);
        self.counters.throttle.store(n, Ordering::SeqCst);
    }
}

async fn forward(State(upstream): State<Upstream>, request: Request) -> Response {
    let counters = &upstream.counters;
    let take = |counter: &AtomicU64| {
        counter
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
    };
    let throttled = !take(&counters.pass) && take(&counters.throttle);
    if throttled {
        counters.throttled.fetch_add(1, Ordering::SeqCst);
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
                    <Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
        return (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
    }
    counters.forwarded.fetch_add(1, Ordering::SeqCst);
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let target = format!(
        "{}{}",
        upstream.url,
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut outgoing = upstream.http.request(parts.method, target).body(body);
    for (name, value) in &parts.headers {
        if name != "host" {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = outgoing.send().await.unwrap();
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        response = response.header(name, value);
    }
    response
        .body(Body::from(answer.bytes().await.unwrap()))
        .unwrap()
}
