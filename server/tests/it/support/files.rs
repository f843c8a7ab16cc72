//! A real HTTP file server on loopback for the connectors: serves a folder
//! (`../shared/data` in the tests) with ETags and conditional requests, and
//! fails on demand: with a chosen status, by cutting a file off halfway
//! (fewer bytes than its `Content-Length`), or by falling silent halfway.

use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicU8, AtomicU16, AtomicU64, Ordering},
    },
};

use axum::{
    Router,
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};

/// What the server has seen, and the failure it is told to give.
#[derive(Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub not_modified: AtomicU64,
    /// When non-zero, every request gets this status.
    pub fail_with: AtomicU16,
    /// How file bodies are sent: whole, cut off or stalled halfway.
    pub delivery: AtomicU8,
}

/// How the server sends a file's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Delivery {
    Whole = 0,
    /// Half the bytes, then the connection ends.
    CutOff = 1,
    /// Half the bytes, then silence.
    Stalled = 2,
}

#[derive(Clone)]
struct Files {
    root: PathBuf,
    counters: Arc<Counters>,
}

/// A running file server.
pub struct FileServer {
    pub addr: SocketAddr,
    pub counters: Arc<Counters>,
}

impl FileServer {
    /// Serves `root` on a free loopback port until the test ends.
    pub async fn start(root: PathBuf) -> Self {
        let counters = Arc::new(Counters::default());
        let files = Files {
            root,
            counters: counters.clone(),
        };
        let router = Router::new()
            .route("/{*path}", get(serve))
            .with_state(files);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        FileServer { addr, counters }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.addr)
    }

    pub fn fail_with(&self, status: u16) {
        self.counters.fail_with.store(status, Ordering::SeqCst);
    }

    pub fn deliver(&self, delivery: Delivery) {
        self.counters
            .delivery
            .store(delivery as u8, Ordering::SeqCst);
    }
}

async fn serve(
    State(files): State<Files>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    files.counters.requests.fetch_add(1, Ordering::SeqCst);
    let failure = files.counters.fail_with.load(Ordering::SeqCst);
    if failure != 0 {
        return StatusCode::from_u16(failure).unwrap().into_response();
    }
    if path.split('/').any(|segment| segment == "..") {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let Ok(bytes) = tokio::fs::read(files.root.join(&path)).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&bytes)[..16]));
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        files.counters.not_modified.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let delivery = files.counters.delivery.load(Ordering::SeqCst);
    if delivery == Delivery::Whole as u8 {
        return ([(header::ETAG, etag)], bytes).into_response();
    }
    let full = bytes.len();
    let first_half = bytes::Bytes::from(bytes).slice(..full / 2);
    let first_half = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first_half) });
    let body = match delivery {
        cut if cut == Delivery::CutOff as u8 => Body::from_stream(first_half),
        _ => Body::from_stream(first_half.chain(futures_util::stream::pending())),
    };
    let length = full.to_string();
    (
        [(header::ETAG, etag), (header::CONTENT_LENGTH, length)],
        body,
    )
        .into_response()
}
