//! Start-up and shutdown: opens the store (migrating it), the lake and the
//! source configuration, binds the listener, and serves until told to stop.

use std::{future::Future, net::SocketAddr, sync::Arc};

use anyhow::Context;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use crate::{
    backend::DashboardBackend,
    config::Settings,
    lake,
    routes::{self, AppState},
    sources,
    store::Store,
};

/// A server, bound and ready to run.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    store: Store,
}

impl Application {
    /// Opens every dependency and binds `leptos_options.site_addr` (port 0
    /// picks a free port, as the tests do).
    pub async fn build(settings: &Settings, leptos_options: LeptosOptions) -> anyhow::Result<Self> {
        let store = Store::connect(&settings.database_url(), settings.db_max_connections)
            .await
            .context("opening the store")?;
        let lake = lake::open(&settings.lake())
            .await
            .context("opening the lake")?;
        let sources: Arc<[_]> = sources::load(settings.sources.as_deref())
            .context("reading the source configuration")?
            .into();
        let addr = leptos_options.site_addr;
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        let backend = Arc::new(DashboardBackend::new(store.clone(), sources));
        let state = AppState {
            leptos_options,
            store: store.clone(),
            lake,
            metrics: routes::install_recorder(),
        };
        Ok(Application {
            listener,
            router: routes::router(state, backend),
            store,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` completes, then lets in-flight requests finish
    /// and closes the store.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(addr = %self.local_addr(), backend = ?self.store.backend(), "serving");
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
            .context("serving HTTP")?;
        self.store.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Completes on SIGTERM (what container orchestrators send) or Ctrl-C.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
