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

use serde::{Deserialize, Serialize};

use crate::{config::Settings, store::Store};

pub use embed::{ANY_VALUE, EmbedError, EmbedGrant, Signer, WeakSigningKey};
pub(crate) use gate::csrf_matches;
pub use gate::{SESSION_COOKIE, gate};
pub use provision::{AccountError, IssuedToken, add_account, issue_api_token};
pub use rate::RateLimits;
pub use secret_token::{digest, random_token};

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
}

impl Access {
    /// The access checks `settings` ask for, over `store`.
    pub fn new(settings: &Settings, store: Store) -> Result<Self, WeakSigningKey> {
        Ok(Access {
            store,
            mode: settings.access,
            signer: settings.signing_key.as_ref().map(Signer::new).transpose()?,
            limits: Arc::new(RateLimits::new(settings)),
            https: settings.https,
            trust_forwarded_for: settings.trust_forwarded_for,
            session_length: Duration::from_secs(u64::from(settings.session_hours.max(1)) * 3600),
        })
    }
}
