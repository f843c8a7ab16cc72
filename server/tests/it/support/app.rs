//! The application under test: built as production builds it, on port 0,
//! with a fresh PostgreSQL database, a local lake in a temporary folder and
//! a built site ([`super::site`]).

use std::net::SocketAddr;

use secrecy::SecretString;
use sentinela::{config::Settings, startup::Application, store::Store};
use tokio::{sync::oneshot, task::JoinHandle};

use super::{fresh_postgres_url, site};

/// A running server and a handle on its database.
pub struct TestApp {
    pub addr: SocketAddr,
    /// The separate metrics address, when the settings ask for one.
    pub metrics_addr: Option<SocketAddr>,
    pub client: reqwest::Client,
    /// A separate connection pool on the server's database, to arrange data.
    pub store: Store,
    pub database_url: SecretString,
    shutdown: oneshot::Sender<()>,
    server: JoinHandle<anyhow::Result<()>>,
    _data_dir: tempfile::TempDir,
}

/// Starts the application on a free loopback port.
pub async fn spawn() -> TestApp {
    spawn_with(|_| {}).await
}

/// Starts the application with settings `configure` adjusts.
pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let database_url = fresh_postgres_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    let mut settings = Settings {
        database_url: Some(database_url.clone()),
        data_dir: data_dir.path().to_owned(),
        scheduler: false,
        ..Settings::default()
    };
    configure(&mut settings);
    let options = site::write(&data_dir.path().join("site"));
    let app = Application::build(&settings, options)
        .await
        .expect("build the application");
    let addr = app.local_addr();
    let metrics_addr = app.metrics_addr();
    let (shutdown, stop) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run(async move {
        let _ = stop.await;
    }));
    TestApp {
        addr,
        metrics_addr,
        client: reqwest::Client::new(),
        store: Store::connect(&database_url, 2)
            .await
            .expect("connect to the app's store"),
        database_url,
        shutdown,
        server,
        _data_dir: data_dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request the app")
    }

    /// Asks the server to stop and waits for it to finish.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(());
        self.server.await.expect("the server task does not panic")
    }
}

/// The session's anti-forgery token, from a page's sign-out form.
pub fn csrf_token(page: &str) -> String {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries the sign-out form's token")
        .to_owned()
}
