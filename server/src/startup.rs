//! Start-up and shutdown: opens the store (migrating it, or checking it is
//! migrated), the lake and the source configuration, binds the listener (and
//! the metrics listener, when configured), and serves until told to stop.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use anyhow::Context;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::{
    access::Access,
    alerts::worker::Worker,
    backend::DashboardBackend,
    config::Settings,
    ingest::{
        Pipeline,
        connect::{
            fetch::{Fetcher, RetryPolicy},
            secrets::Secrets,
        },
    },
    lake::{self, Lake},
    routes::{self, AppState, FramePolicy, api::Api},
    scheduler::Scheduler,
    serve::serve,
    site::Site,
    sources::{self, SourceConfig},
    store::{RoleName, Store},
    territories::Territories,
    trigger::Trigger,
};

/// What both the server and the CLI open first.
pub struct Dependencies {
    pub store: Store,
    pub lake: Arc<dyn Lake>,
    pub sources: Arc<[SourceConfig]>,
    pub territories: Territories,
}

impl Dependencies {
    /// Opens the store (migrating it, or checking it is migrated), the
    /// lake, the source configuration and the territories (their cities
    /// checked against the data's).
    pub async fn open(settings: &Settings) -> anyhow::Result<Self> {
        let store = open_store(settings).await?;
        let lake = lake::open(&settings.lake())
            .await
            .context("opening the lake")?;
        let sources = sources::load(settings.sources.as_deref())
            .context("reading the source configuration")?
            .into();
        let territories = Territories::load(settings.territories.as_deref())
            .context("reading the territories")?;
        territories
            .check_cities(&store.city_codes().await?)
            .context("checking the territories")?;
        Ok(Dependencies {
            store,
            lake,
            sources,
            territories,
        })
    }

    /// The ingest pipeline over these dependencies.
    pub fn pipeline(&self) -> anyhow::Result<Pipeline> {
        Ok(Pipeline::new(
            self.lake.clone(),
            self.store.clone(),
            self.sources.clone(),
            Fetcher::new(RetryPolicy::default(), Secrets::Environment)?,
        )
        .with_territories(self.territories.clone()))
    }
}

/// Opens the store as the settings say: migrating it, or checking that it
/// is migrated (`SENTINELA_DB_MIGRATE=false`); after migrating, grants the
/// web service's role its share (`SENTINELA_WEB_DB_ROLE`).
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    let (url, connections) = (settings.database_url(), settings.db_max_connections);
    if !settings.db_migrate {
        return Store::connect_migrated(&url, connections)
            .await
            .context("opening the store without migrating it");
    }
    let store = Store::connect(&url, connections)
        .await
        .context("opening the store")?;
    if let Some(role) = &settings.web_db_role {
        store
            .grant_web_role(&RoleName::parse(role)?)
            .await
            .with_context(|| format!("granting the web service's role {role}"))?;
    }
    Ok(store)
}

/// How often the server looks for data published by another process.
const GENERATION_POLL: Duration = Duration::from_secs(1);

/// A server, bound and ready to run.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    /// The separate metrics address's listener and router.
    metrics: Option<(TcpListener, axum::Router)>,
    header_timeout: Duration,
    store: Store,
    scheduler: Option<Scheduler>,
    alerts: Option<Worker>,
}

impl Application {
    /// Reads the built site, opens every dependency and binds
    /// `leptos_options.site_addr` (port 0 picks a free port, as the tests do).
    pub async fn build(settings: &Settings, leptos_options: LeptosOptions) -> anyhow::Result<Self> {
        let framing = FramePolicy::new(&settings.frame_ancestors)?;
        let site = Site::open(&leptos_options).context("reading the built site")?;
        let dependencies = Dependencies::open(settings).await?;
        let pipeline = Arc::new(dependencies.pipeline()?);
        let access = Access::new(settings, dependencies.store.clone(), site)?;
        if access.signer.is_none() {
            tracing::info!("no SENTINELA_SIGNING_KEY: embed links are refused");
        }
        let scheduler = match settings.scheduler {
            true => Some(Scheduler {
                pipeline: pipeline.clone(),
                store: dependencies.store.clone(),
                sources: dependencies.sources.clone(),
                tick: Duration::from_secs(settings.scheduler_tick_seconds.max(1)),
            }),
            false => None,
        };
        let Dependencies {
            store,
            lake,
            sources,
            territories,
        } = dependencies;
        let addr = leptos_options.site_addr;
        let listener = bind(addr).await?;
        let recorder = routes::install_recorder();
        let metrics = match settings.metrics_addr {
            Some(addr) => Some((bind(addr).await?, routes::metrics_router(recorder.clone()))),
            None => None,
        };
        let backend = Arc::new(DashboardBackend::new(
            store.clone(),
            sources.clone(),
            territories.clone(),
        ));
        let mailer = settings.mailer()?;
        let state = AppState {
            leptos_options,
            store: store.clone(),
            lake,
            metrics: recorder,
            api: Api::new(
                store.clone(),
                sources,
                territories.clone(),
                settings.alert_admission(),
            ),
            access,
            trigger: Trigger::new(settings.ingest_event_bus.as_deref(), pipeline.clone()).await,
            mailer: mailer.clone(),
            pipeline,
        };
        Ok(Application {
            listener,
            router: routes::router(state, backend, &framing),
            metrics,
            header_timeout: Duration::from_secs(settings.header_read_timeout_seconds.max(1)),
            alerts: settings
                .alert_worker(store.clone(), mailer)
                .map(|worker| worker.with_territories(territories)),
            store,
            scheduler,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        address_of(&self.listener)
    }

    /// The separate metrics address, when there is one.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
            .as_ref()
            .map(|(listener, _)| address_of(listener))
    }

    /// Serves (and runs the scheduler and the alerts' delivery) until
    /// `shutdown` completes, then lets in-flight requests finish, stops them
    /// and closes the store.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(
            addr = %self.local_addr(),
            metrics_addr = self.metrics_addr().map(|addr| addr.to_string()),
            backend = ?self.store.backend(),
            "serving"
        );
        let stop = CancellationToken::new();
        let scheduler = self.scheduler.map(|s| s.spawn(stop.clone()));
        let alerts = self.alerts.map(|w| w.spawn(stop.clone()));
        let watcher = tokio::spawn(
            self.store
                .clone()
                .watch_generation(GENERATION_POLL, stop.clone()),
        );
        let metrics = self.metrics.map(|(listener, router)| {
            let stopped = stop.clone();
            tokio::spawn(serve(listener, router, self.header_timeout, async move {
                stopped.cancelled().await
            }))
        });
        let served = serve(self.listener, self.router, self.header_timeout, shutdown)
            .await
            .context("serving HTTP");
        stop.cancel();
        if let Some(task) = metrics {
            task.await
                .context("stopping the metrics listener")?
                .context("serving metrics")?;
        }
        if let Some(task) = scheduler {
            task.await.context("stopping the scheduler")?;
        }
        if let Some(task) = alerts {
            task.await.context("stopping the alerts' delivery")?;
        }
        watcher.await.context("stopping the store watcher")?;
        served?;
        self.store.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))
}

fn address_of(listener: &TcpListener) -> SocketAddr {
    listener
        .local_addr()
        .expect("a bound listener has an address")
}

/// Completes on SIGTERM (what container orchestrators send) or Ctrl-C
/// (SIGINT). The handlers are installed at once, before the future is
/// first polled, so a signal sent as soon as the server says it is serving
/// is not lost to the default action (death).
pub fn shutdown_signal() -> impl Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = |kind: SignalKind, name: &'static str| {
        let mut stream = signal(kind)
            .inspect_err(|error| tracing::error!(%error, "cannot listen for {name}"))
            .ok();
        async move {
            match &mut stream {
                Some(stream) => drop(stream.recv().await),
                None => std::future::pending::<()>().await,
            }
        }
    };
    let (interrupt, terminate) = (
        listen(SignalKind::interrupt(), "Ctrl-C"),
        listen(SignalKind::terminate(), "SIGTERM"),
    );
    async move {
        tokio::select! {
            () = interrupt => {},
            () = terminate => {},
        }
        tracing::info!("shutdown requested; finishing in-flight requests");
    }
}
