//! Who may see and change what: accounts with roles and their sessions,
//! read-only API tokens, signed embed links, anti-forgery checks and rate
//! limits, all enforced by one middleware, [`gate`]. SECURITY.md says why.

mod embed;
mod gate;
pub mod password;
mod provision;
mod rate;
mod secret_token;

use std::{sync::Arc, time::Duration};

use crate::{
    config::{AccessMode, Settings},
    site::Site,
    store::Store,
};

pub use embed::{ANY_VALUE, EmbedError, EmbedGrant, Signer, WeakSigningKey};
pub(crate) use gate::csrf_matches;
pub use gate::{TokenAccount, gate};
pub(crate) use provision::valid_name;
pub use provision::{AccountError, IssuedToken, add_account, issue_api_token};
pub use rate::RateLimits;
pub use secret_token::{digest, random_token};

/// What the access checks need, shared by the gate and the account routes.
#[derive(Clone)]
pub struct Access {
    pub store: Store,
    pub mode: AccessMode,
    pub signer: Option<Signer>,
    pub limits: Arc<RateLimits>,
    /// Served over HTTPS: cookies get `Secure`.
    pub https: bool,
    pub trust_forwarded_for: bool,
    pub session_length: Duration,
    /// The site's files (WASM, CSS, favicon), open to anyone.
    pub site: Site,
}

/// The session cookie's name over plain HTTP.
const SESSION_COOKIE: &str = "sentinela_session";

/// Its name over HTTPS: the `__Host-` prefix makes browsers refuse it
/// unless it is `Secure`, for the whole site and set by this very host, so
/// a sibling subdomain cannot plant or overwrite it.
const SECURE_SESSION_COOKIE: &str = "__Host-sentinela_session";

impl Access {
    /// The access checks `settings` ask for, over `store`, with the site's
    /// files in `site`.
    pub fn new(settings: &Settings, store: Store, site: Site) -> Result<Self, WeakSigningKey> {
        Ok(Access {
            store,
            mode: settings.access,
            signer: settings.signing_key.as_ref().map(Signer::new).transpose()?,
            limits: Arc::new(RateLimits::new(settings)),
            https: settings.https,
            trust_forwarded_for: settings.trust_forwarded_for,
            session_length: Duration::from_secs(u64::from(settings.session_hours.max(1)) * 3600),
            site,
        })
    }

    /// The session cookie's name.
    pub fn session_cookie(&self) -> &'static str {
        match self.https {
            true => SECURE_SESSION_COOKIE,
            false => SESSION_COOKIE,
        }
    }
}
