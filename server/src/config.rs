//! Typed settings, read once at start-up from the environment (and a `.env`
//! file, loaded by the CLI). `.env.sample` documents every variable.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use figment::{
    Figment,
    providers::{Env, Serialized},
};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::{
    alerts::{
        Admission,
        destination::Policy,
        email::{Mailer, SmtpSecurity, SmtpSettings},
        worker::{Backoff, Worker},
    },
    lake::{LakeConfig, S3Config},
    store::Store,
};

/// How logs are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per event, for log collectors.
    Json,
}

/// Whether reading the dashboard needs an account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessMode {
    /// Anyone reads the dashboard and the API.
    #[default]
    Public,
    /// Only signed-in accounts, API tokens and signed embed links read.
    Login,
}

/// Every setting of the server and the CLI.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Settings {
    /// `DATABASE_URL`: the PostgreSQL store; absent means the embedded
    /// SQLite store in the data folder.
    #[serde(default, skip_serializing)]
    pub database_url: Option<SecretString>,
    /// `SENTINELA_DB_MAX_CONNECTIONS`: size of the store's connection pool.
    pub db_max_connections: u32,
    /// `SENTINELA_DB_MIGRATE`: apply the store's migrations at start-up
    /// (`true`), or only check that the database has them all (`false`: the
    /// web service, whose database role may not create tables).
    pub db_migrate: bool,
    /// `SENTINELA_WEB_DB_ROLE`: on PostgreSQL, after migrating, grant this
    /// role what the web service needs and nothing more (reading every
    /// table, writing accounts, sessions and API tokens); set on the ingest,
    /// which owns the tables.
    pub web_db_role: Option<String>,
    /// `SENTINELA_DATA_DIR`: the folder of the embedded store and local lake.
    pub data_dir: PathBuf,
    /// `SENTINELA_LAKE_DIR`: the local lake's folder (default `<data_dir>/lake`).
    pub lake_dir: Option<PathBuf>,
    /// `SENTINELA_S3_BUCKET`: puts the lake in S3; `{layer}` in the name gives
    /// one bucket per layer.
    pub s3_bucket: Option<String>,
    /// `SENTINELA_S3_ENDPOINT`: custom S3 endpoint (S3-compatible servers).
    pub s3_endpoint: Option<String>,
    /// `SENTINELA_S3_REGION`: S3 region (default: the AWS chain's).
    pub s3_region: Option<String>,
    /// `SENTINELA_S3_FORCE_PATH_STYLE`: path-style S3 addressing.
    pub s3_force_path_style: bool,
    /// `SENTINELA_SOURCES`: the source configuration file (default: the
    /// built-in one, pointing at the public production URLs).
    pub sources: Option<PathBuf>,
    /// `SENTINELA_TERRITORIES`: the sales territories' file (default: the
    /// built-in one, Brazil's five macro-regions).
    pub territories: Option<PathBuf>,
    /// `SENTINELA_LOG_FORMAT`: `text` or `json`.
    pub log_format: LogFormat,
    /// `SENTINELA_SCHEDULER`: whether the server collects the sources on
    /// their schedules (`true`), or only the CLI does (`false`).
    pub scheduler: bool,
    /// `SENTINELA_SCHEDULER_TICK_SECONDS`: how often the scheduler looks
    /// for due sources.
    pub scheduler_tick_seconds: u64,
    /// `SENTINELA_INGEST_EVENT_BUS`: an admin's ingest or acceptance runs
    /// as the ingest job of its own, asked for on this EventBridge bus (name
    /// or ARN), instead of in this process.
    pub ingest_event_bus: Option<String>,
    /// `SENTINELA_FRAME_ANCESTORS`: who may show the pages in a frame (the
    /// intranet's iframe), as a CSP `frame-ancestors` source list.
    pub frame_ancestors: String,
    /// `SENTINELA_ACCESS`: `public` (anyone reads the dashboard and the API)
    /// or `login` (only signed-in accounts, API tokens and signed embed links).
    pub access: AccessMode,
    /// `SENTINELA_SIGNING_KEY`: the key that signs embed links (at least 32
    /// characters); without it embed links are refused.
    #[serde(default, skip_serializing)]
    pub signing_key: Option<SecretString>,
    /// `SENTINELA_HTTPS`: served over HTTPS (behind a TLS proxy): session
    /// cookies are `Secure` and responses carry HSTS.
    pub https: bool,
    /// `SENTINELA_TRUST_FORWARDED_FOR`: take the client's address from
    /// `X-Forwarded-For` (only behind a proxy that sets it) for rate limits.
    pub trust_forwarded_for: bool,
    /// `SENTINELA_SESSION_HOURS`: how long a sign-in lasts.
    pub session_hours: u32,
    /// `SENTINELA_LOGIN_ATTEMPTS_PER_MINUTE`: sign-in attempts per client address.
    pub login_attempts_per_minute: u32,
    /// `SENTINELA_LOGIN_ATTEMPTS_PER_SECOND_TOTAL`: sign-in attempts per
    /// second from all addresses together, a ceiling that many addresses
    /// each within their own limit cannot pass.
    pub login_attempts_per_second_total: u32,
    /// `SENTINELA_API_REQUESTS_PER_SECOND`: sustained API requests per client
    /// address (0: unlimited); `SENTINELA_API_BURST` requests may come at once.
    pub api_requests_per_second: u32,
    pub api_burst: u32,
    /// `SENTINELA_METRICS_ADDR`: a second listen address that serves only
    /// `/metrics`, to anyone who reaches it (the scraper, inside the
    /// network); without it `/metrics` answers admins and API tokens only.
    pub metrics_addr: Option<SocketAddr>,
    /// `SENTINELA_HEADER_READ_TIMEOUT_SECONDS`: how long a client may take
    /// to send a request's header (and an idle kept-alive connection may
    /// wait for the next one) before its connection is closed.
    pub header_read_timeout_seconds: u64,
    /// `SENTINELA_ALERTS_DELIVERY`: whether this server drains the alerts'
    /// outbox (any number of servers may).
    pub alerts_delivery: bool,
    /// `SENTINELA_ALERTS_POLL_MILLIS`: how often the outbox is looked at.
    pub alerts_poll_millis: u64,
    /// `SENTINELA_ALERTS_RETRY_FIRST_MILLIS`: the wait after a delivery's
    /// first failure; each failure doubles it, for up to 24 hours.
    pub alerts_retry_first_millis: u64,
    /// `SENTINELA_ALERTS_HTTP_LOOPBACK`: admit `http://` webhooks to a
    /// loopback address (tests only).
    pub alerts_http_loopback: bool,
    /// `SENTINELA_ALERTS_PRIVATE_DESTINATIONS`: admit webhooks to private,
    /// loopback and link-local addresses (a receiver inside the network).
    pub alerts_private_destinations: bool,
    /// `SENTINELA_SMTP_HOST`: the mail server alert e-mails go through;
    /// without it, no rule may have an e-mail address.
    pub smtp_host: Option<String>,
    /// `SENTINELA_SMTP_PORT`: its port.
    pub smtp_port: u16,
    /// `SENTINELA_SMTP_SECURITY`: `starttls` (required), `tls`, or `none`
    /// (a mail server on loopback only).
    pub smtp_security: SmtpSecurity,
    /// `SENTINELA_SMTP_USER` and `SENTINELA_SMTP_PASSWORD`: its credentials,
    /// if it asks for them (never logged).
    pub smtp_user: Option<String>,
    #[serde(default, skip_serializing)]
    pub smtp_password: Option<SecretString>,
    /// `SENTINELA_MAIL_FROM`: the alerts' sender.
    pub mail_from: String,
    /// `SENTINELA_PUBLIC_URL`: the site's address as its users reach it
    /// (`https://sentinela.example.com`); e-mails link to it. Required
    /// with a mail server.
    pub public_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: None,
            db_max_connections: 10,
            db_migrate: true,
            web_db_role: None,
            data_dir: PathBuf::from("var"),
            lake_dir: None,
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: None,
            s3_force_path_style: false,
            sources: None,
            territories: None,
            log_format: LogFormat::default(),
            scheduler: true,
            scheduler_tick_seconds: 60,
            ingest_event_bus: None,
            frame_ancestors: "'self'".to_owned(),
            access: AccessMode::default(),
            signing_key: None,
            https: false,
            trust_forwarded_for: false,
            session_hours: 12,
            login_attempts_per_minute: 10,
            login_attempts_per_second_total: 20,
            api_requests_per_second: 50,
            api_burst: 200,
            metrics_addr: None,
            header_read_timeout_seconds: 10,
            alerts_delivery: true,
            alerts_poll_millis: 2_000,
            alerts_retry_first_millis: 30_000,
            alerts_http_loopback: false,
            alerts_private_destinations: false,
            smtp_host: None,
            smtp_port: 587,
            smtp_security: SmtpSecurity::default(),
            smtp_user: None,
            smtp_password: None,
            mail_from: "Sentinela <alertas@localhost>".to_owned(),
            public_url: None,
        }
    }
}

impl Settings {
    /// Reads the settings from the environment over the defaults.
    pub fn from_env() -> Result<Self, Box<figment::Error>> {
        Figment::from(Serialized::defaults(Settings::default()))
            .merge(Env::prefixed("SENTINELA_"))
            .merge(Env::raw().only(&["DATABASE_URL"]))
            .extract()
            .map_err(Box::new)
    }

    /// The embedded store's file.
    pub fn embedded_database(&self) -> PathBuf {
        self.data_dir.join("sentinela.db")
    }

    /// The store URL: `DATABASE_URL`, or the embedded SQLite file.
    pub fn database_url(&self) -> SecretString {
        self.database_url.clone().unwrap_or_else(|| {
            let file = self.embedded_database();
            SecretString::from(format!("sqlite://{}?mode=rwc", file.display()))
        })
    }

    /// Where alert webhooks may go.
    pub fn alert_policy(&self) -> Policy {
        Policy {
            http_loopback: self.alerts_http_loopback,
            private: self.alerts_private_destinations,
        }
    }

    /// What alert rules may ask for here.
    pub fn alert_admission(&self) -> Admission {
        Admission {
            webhooks: self.alert_policy(),
            email: self.smtp_host.is_some(),
        }
    }

    /// The mail server alert e-mails go through, if one is set.
    pub fn mailer(&self) -> anyhow::Result<Option<Mailer>> {
        let Some(host) = self.smtp_host.as_deref() else {
            return Ok(None);
        };
        let public_url = self.public_url.as_deref().ok_or_else(|| {
            anyhow::anyhow!("SENTINELA_SMTP_HOST needs SENTINELA_PUBLIC_URL for the e-mails' links")
        })?;
        Mailer::new(&SmtpSettings {
            host,
            port: self.smtp_port,
            security: self.smtp_security,
            user: self.smtp_user.as_deref(),
            password: self.smtp_password.as_ref(),
            from: &self.mail_from,
            public_url,
        })
        .map(Some)
    }

    /// The alerts' delivery worker these settings ask for, if any, sending
    /// e-mail with `mailer`.
    pub fn alert_worker(&self, store: Store, mailer: Option<Mailer>) -> Option<Worker> {
        let policy = self.alert_policy();
        let backoff = Backoff {
            first: Duration::from_millis(self.alerts_retry_first_millis.max(1)),
            window: Duration::from_secs(24 * 3600),
        };
        let poll = Duration::from_millis(self.alerts_poll_millis.max(10));
        self.alerts_delivery
            .then(|| Worker::new(store, policy, backoff, poll).with_mailer(mailer))
    }

    /// Where the lake lives.
    pub fn lake(&self) -> LakeConfig {
        match &self.s3_bucket {
            Some(bucket) => LakeConfig::S3(S3Config {
                bucket: bucket.clone(),
                endpoint: self.s3_endpoint.clone(),
                region: self.s3_region.clone(),
                force_path_style: self.s3_force_path_style,
            }),
            None => LakeConfig::Local(
                self.lake_dir
                    .clone()
                    .unwrap_or_else(|| Path::new(&self.data_dir).join("lake")),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn defaults_need_no_server() {
        let settings = Settings::default();
        assert_eq!(
            settings.database_url().expose_secret(),
            "sqlite://var/sentinela.db?mode=rwc"
        );
        assert!(matches!(settings.lake(), LakeConfig::Local(dir) if dir == Path::new("var/lake")));
    }

    #[test]
    // The closure's error type is figment's own `Error`, not ours to shrink.
    #[allow(clippy::result_large_err)]
    fn environment_overrides_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("SENTINELA_S3_BUCKET", "prod-{layer}");
            jail.set_env("SENTINELA_S3_FORCE_PATH_STYLE", "true");
            jail.set_env("SENTINELA_LOG_FORMAT", "json");
            jail.set_env("DATABASE_URL", "postgres://u:p@db/sentinela");
            let settings = Settings::from_env().expect("valid settings");
            assert_eq!(settings.log_format, LogFormat::Json);
            assert_eq!(
                settings.database_url().expose_secret(),
                "postgres://u:p@db/sentinela"
            );
            let LakeConfig::S3(s3) = settings.lake() else {
                panic!("S3 lake expected");
            };
            assert_eq!(s3.bucket, "prod-{layer}");
            assert!(s3.force_path_style);
            Ok(())
        });
    }

    #[test]
    fn the_database_url_never_shows_in_debug_output() {
        let settings = Settings {
            database_url: Some(SecretString::from("postgres://u:hunter2@db/x")),
            ..Settings::default()
        };
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}
