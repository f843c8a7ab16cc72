//! An HTTP server on loopback that speaks the part of Elasticsearch's
//! search API the connector uses (`_search?scroll`, `_search/scroll`,
//! clearing a scroll), with basic authentication, serving the hits of the
//! real recorded response (`occupancy/api-response_2021-03-03.json.gz`)
//! page by page.

use std::{
    collections::HashMap,
    io::Read,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use serde_json::{Value, json};

use super::shared_data;

pub const USER: &str = "leitos-reader";
pub const PASSWORD: &str = "s3cr3t-test-password";

#[derive(Default)]
pub struct Counters {
    pub searches: AtomicU64,
    pub scrolls: AtomicU64,
    pub cleared: AtomicU64,
    pub unauthorized: AtomicU64,
}

struct Index {
    /// The recorded response, whose hits are served.
    recorded: Value,
    /// Per scroll id: page size and the next hit to serve.
    cursors: Mutex<HashMap<String, (usize, usize)>>,
    counters: Arc<Counters>,
}

pub struct ElasticServer {
    pub addr: SocketAddr,
    pub counters: Arc<Counters>,
}

impl ElasticServer {
    pub async fn start() -> Self {
        let mut text = String::new();
        let file =
            std::fs::File::open(shared_data().join("occupancy/api-response_2021-03-03.json.gz"))
                .unwrap();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .unwrap();
        let counters = Arc::new(Counters::default());
        let index = Arc::new(Index {
            recorded: serde_json::from_str(&text).unwrap(),
            cursors: Mutex::default(),
            counters: counters.clone(),
        });
        let router = Router::new()
            .route("/leito_ocupacao/_search", post(search))
            .route("/_search/scroll", post(scroll).delete(clear))
            .with_state(index);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        ElasticServer { addr, counters }
    }

    pub fn search_url(&self) -> String {
        format!("http://{}/leito_ocupacao/_search", self.addr)
    }
}

fn authorised(index: &Index, headers: &HeaderMap) -> bool {
    use base64::Engine;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"))
    );
    let ok = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(expected.as_str());
    if !ok {
        index.counters.unauthorized.fetch_add(1, Ordering::SeqCst);
    }
    ok
}

/// The page of `size` hits from `from`, shaped like the recorded response.
fn page(index: &Index, id: &str, from: usize, size: usize) -> Value {
    let hits = index.recorded["hits"]["hits"].as_array().unwrap();
    let end = (from + size).min(hits.len());
    json!({
        "_scroll_id": id,
        "took": 3,
        "timed_out": false,
        "hits": {"total": index.recorded["hits"]["total"], "hits": hits[from.min(end)..end]},
        "ts_run": index.recorded["ts_run"],
    })
}

async fn search(
    State(index): State<Arc<Index>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorised(&index, &headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let n = index.counters.searches.fetch_add(1, Ordering::SeqCst);
    let size = body["size"].as_u64().unwrap_or(10) as usize;
    let id = format!("scroll-{n}");
    index
        .cursors
        .lock()
        .unwrap()
        .insert(id.clone(), (size, size));
    Json(page(&index, &id, 0, size)).into_response()
}

async fn scroll(
    State(index): State<Arc<Index>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if !authorised(&index, &headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    index.counters.scrolls.fetch_add(1, Ordering::SeqCst);
    let id = body["scroll_id"].as_str().unwrap_or_default().to_owned();
    let mut cursors = index.cursors.lock().unwrap();
    let Some((size, from)) = cursors.get_mut(&id) else {
        return (StatusCode::NOT_FOUND, "no such scroll").into_response();
    };
    let served = page(&index, &id, *from, *size);
    *from += *size;
    Json(served).into_response()
}

async fn clear(State(index): State<Arc<Index>>, headers: HeaderMap) -> Response {
    if !authorised(&index, &headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    index.counters.cleared.fetch_add(1, Ordering::SeqCst);
    StatusCode::OK.into_response()
}
