//! The HTTP surface: pages (Leptos SSR and server functions), the indicator
//! API, sign-in and admin actions, health probes and metrics, behind the
//! access gate and wrapped in tracing, metrics and compression layers.

mod account;
mod admin;
mod alert_forms;
pub mod api;
mod headers;
mod health;
mod metrics;
mod page_document;
mod page_policy;
mod unsubscribe;

use std::sync::Arc;

use app::backend::SharedBackend;
use axum::{
    Router,
    extract::FromRef,
    http::Request,
    middleware,
    routing::{get, post},
};
use leptos::prelude::{LeptosOptions, provide_context};
use leptos_axum::{LeptosRoutes, generate_route_list};
use metrics_exporter_prometheus::PrometheusHandle;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::{
    access::{self, Access},
    alerts::email::{Mailer, UNSUBSCRIBE_PATH},
    ingest::Pipeline,
    lake::Lake,
    store::Store,
    trigger::Trigger,
};

pub use headers::{FramePolicy, InvalidFrameAncestors};
pub use metrics::{install_recorder, listener_router as metrics_router};

/// What every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub lake: Arc<dyn Lake>,
    pub metrics: PrometheusHandle,
    pub api: api::Api,
    pub access: Access,
    /// The pipeline (`/readyz` asks it whether gold is behind).
    pub pipeline: Arc<Pipeline>,
    /// Starts the ingests an admin asks for.
    pub trigger: Trigger,
    /// Sends the alerts page's test e-mails, if a mail server is set.
    pub mailer: Option<Mailer>,
}

/// Builds the application's router; `framing` says who may frame it.
pub fn router(state: AppState, backend: SharedBackend, framing: &FramePolicy) -> Router {
    let pages = generate_route_list(app::App);
    let shell_options = state.leptos_options.clone();
    let stylesheet = app::Stylesheet(state.access.site.stylesheet.clone());
    // The pages' context, the unknown page's (the fallback) included, so
    // it too gets the pages' nonce and stylesheet.
    let context = move || {
        provide_context(backend.clone());
        provide_context(stylesheet.clone());
        page_policy::provide_page_nonce();
    };
    let routes = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route("/conta/entrar", post(account::sign_in))
        .route("/conta/sair", post(account::sign_out))
        .route("/alertas", post(alert_forms::create))
        .route("/alertas/resumo", post(alert_forms::digest))
        .route("/alertas/{id}", post(alert_forms::act))
        .route(
            UNSUBSCRIBE_PATH,
            get(unsubscribe::confirm).post(unsubscribe::stop),
        )
        .merge(admin::router())
        .merge(api::router())
        .leptos_routes_with_context(&state, pages, context.clone(), move || {
            app::shell(shell_options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell));
    let https = state.access.https;
    let gated = routes
        .layer(middleware::from_fn_with_state(
            page_document::PageDocuments::new(state.store.clone()),
            page_document::page_documents,
        ))
        .layer(middleware::from_fn_with_state(
            framing.clone(),
            page_policy::page_policy,
        ))
        .layer(middleware::from_fn_with_state(
            state.access.clone(),
            access::gate,
        ));
    headers::secure(gated, framing, https)
        .layer(middleware::from_fn(metrics::track))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    route = metrics::route_of(request),
                    path = %request.uri().path(),
                )
            }),
        )
        .layer(CompressionLayer::new())
        .with_state(state)
}
