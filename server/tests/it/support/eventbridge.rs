//! A stand-in for EventBridge on loopback: it answers `PutEvents` (the AWS
//! JSON 1.1 protocol the SDK speaks) by accepting every entry, and keeps
//! each call's target and body, so a test sees what the web service asked
//! the ingest job's bus for.

use std::sync::{Arc, Mutex};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, header},
    response::IntoResponse,
    routing::post,
};
use serde_json::Value;

/// One call: its `X-Amz-Target` and its JSON body.
pub type Call = (String, Value);

/// A running stand-in.
pub struct EventBridge {
    pub url: String,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl EventBridge {
    pub async fn start() -> Self {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let router = Router::new()
            .route("/", post(put_events))
            .with_state(calls.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        EventBridge { url, calls }
    }

    /// The calls so far.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }
}

async fn put_events(
    State(calls): State<Arc<Mutex<Vec<Call>>>>,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = serde_json::from_str(&body).expect("a JSON request");
    let entries = body["Entries"].as_array().map_or(0, Vec::len);
    calls.lock().unwrap().push((target, body));
    let accepted: Vec<Value> = (0..entries)
        .map(|i| serde_json::json!({"EventId": format!("event-{i}")}))
        .collect();
    (
        [(header::CONTENT_TYPE, "application/x-amz-json-1.1")],
        serde_json::json!({"FailedEntryCount": 0, "Entries": accepted}).to_string(),
    )
}
