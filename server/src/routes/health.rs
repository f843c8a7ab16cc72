//! Health probes: `/healthz` says the process is up; `/readyz` says the
//! store and the lake answer, so a load balancer sends traffic only here,
//! and whether the published gold is current with the committed silver or
//! behind it (still serving: the last good gold is not a reason to stop).

use std::time::Duration;

use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Value, json};

use super::AppState;
use crate::lake::{Key, Layer};

/// How long each dependency may take to answer a readiness probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// The process is up.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The store and the lake both answer; 503 naming the failing one otherwise.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let probe_key = Key::new(Layer::Raw, "readyz-probe").expect("a valid constant key");
    let (store, lake) = tokio::join!(
        tokio::time::timeout(PROBE_TIMEOUT, state.store.ping()),
        tokio::time::timeout(PROBE_TIMEOUT, state.lake.exists(&probe_key)),
    );
    let store = verdict("store", store.map(|r| r.map_err(|e| e.to_string())));
    let lake = verdict(
        "lake",
        lake.map(|r| r.map(|_| ()).map_err(|e| e.to_string())),
    );
    let ready = store == "ok" && lake == "ok";
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let gold = match ready {
        true => gold_state(&state).await,
        false => json!("unknown"),
    };
    (
        status,
        Json(json!({
            "status": if ready { "ready" } else { "unavailable" },
            "store": store,
            "lake": lake,
            "gold": gold,
        })),
    )
}

/// `current`, or the gold units behind the committed silver (a run that
/// died or failed left them; the next run computes them).
async fn gold_state(state: &AppState) -> Value {
    match tokio::time::timeout(PROBE_TIMEOUT, state.pipeline.gold_behind()).await {
        Ok(Ok(behind)) if behind.is_empty() => json!("current"),
        Ok(Ok(behind)) => json!({
            "behind": behind.iter().map(|unit| unit.name()).collect::<Vec<_>>()
        }),
        Ok(Err(error)) => {
            tracing::warn!(
                error = format!("{error:#}"),
                "cannot compare gold with silver"
            );
            json!("unknown")
        }
        Err(_) => json!("unknown"),
    }
}

/// `ok`, `timeout` or `unreachable`; the detail goes to the log only.
fn verdict(
    what: &str,
    outcome: Result<Result<(), String>, tokio::time::error::Elapsed>,
) -> &'static str {
    match outcome {
        Ok(Ok(())) => "ok",
        Ok(Err(error)) => {
            tracing::warn!(dependency = what, %error, "readiness probe failed");
            "unreachable"
        }
        Err(_) => {
            tracing::warn!(dependency = what, "readiness probe timed out");
            "timeout"
        }
    }
}
