//! Signed embed links for the intranet's iframe. A link names one view (a
//! page path), the filters the frame may change and the values each may
//! take, and when it expires; it is signed with HMAC-SHA-256 under the
//! server's key. The token is `base64url(JSON claims).base64url(MAC)`.

use std::{collections::BTreeMap, fmt};

use app::page_html::PageKind;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The fewest characters of a signing key.
const MIN_KEY_LENGTH: usize = 32;

/// Query parameters every embedded view may carry whatever its grant says.
const ALWAYS_ALLOWED: [&str; 3] = ["embed", "t", "lang"];

/// The value of an allowed filter that admits any value.
pub const ANY_VALUE: &str = "*";

/// The most characters of a refused parameter's name a refusal repeats.
const NAME_SHOWN: usize = 40;

/// The signing key is too short to be safe.
#[derive(Debug, thiserror::Error)]
#[error("SENTINELA_SIGNING_KEY must have at least {MIN_KEY_LENGTH} characters")]
pub struct WeakSigningKey;

/// Why an embed link was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmbedError {
    #[error("embed links are not enabled on this server")]
    Disabled,
    #[error("the embed link has no valid signature")]
    BadSignature,
    #[error("the embed link has expired")]
    Expired,
    #[error("the embed link is for another view")]
    OtherView,
    /// A query parameter the link does not grant (or not with the value
    /// sent): named, its value never repeated.
    #[error("the embed link does not allow the parameter {0:?} with that value")]
    FilterNotAllowed(String),
}

/// What an embed link grants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedGrant {
    /// The page path, e.g. `/uf/SP`.
    pub view: String,
    /// Each filter the frame may set, with the values it may take
    /// ([`ANY_VALUE`] for any).
    pub filters: BTreeMap<String, Vec<String>>,
    pub expires_at: DateTime<Utc>,
}

/// The longest an embed link may live.
const MAX_VALIDITY_DAYS: i64 = 366;

impl EmbedGrant {
    /// A grant of `view` (one of the dashboard's data pages) with
    /// `filters`, valid for `valid_for` from now; the reason when the
    /// request makes no sense.
    pub fn new(
        view: &str,
        filters: BTreeMap<String, Vec<String>>,
        valid_for: chrono::Duration,
    ) -> Result<Self, String> {
        if PageKind::at(view).is_none() {
            return Err(format!(
                "the view must be a page of the dashboard (/, /dados, /uf/SP, \
                 /municipio/3550308), not {view:?}"
            ));
        }
        if valid_for <= chrono::Duration::zero()
            || valid_for > chrono::Duration::days(MAX_VALIDITY_DAYS)
        {
            return Err(format!("a link lives from 1 to {MAX_VALIDITY_DAYS} days"));
        }
        if let Some(key) = filters
            .keys()
            .find(|k| ALWAYS_ALLOWED.contains(&k.as_str()))
        {
            return Err(format!("{key} cannot be granted: every link has it"));
        }
        Ok(EmbedGrant {
            view: view.to_owned(),
            filters,
            expires_at: Utc::now() + valid_for,
        })
    }

    /// Whether a request for `path` with these query pairs stays inside the grant.
    pub fn admits<'a>(
        &self,
        path: &str,
        mut query: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), EmbedError> {
        if path != self.view {
            return Err(EmbedError::OtherView);
        }
        query.try_for_each(|(key, value)| {
            let allowed = ALWAYS_ALLOWED.contains(&key)
                || self
                    .filters
                    .get(key)
                    .is_some_and(|values| values.iter().any(|v| v == value || v == ANY_VALUE));
            allowed
                .then_some(())
                .ok_or_else(|| EmbedError::FilterNotAllowed(key.chars().take(NAME_SHOWN).collect()))
        })
    }
}

/// Signs and verifies embed links with the server's key.
#[derive(Clone)]
pub struct Signer {
    mac: Hmac<Sha256>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signer(key redacted)")
    }
}

impl Signer {
    /// A signer with `key`, which must be long enough.
    pub fn new(key: &SecretString) -> Result<Self, WeakSigningKey> {
        let key = key.expose_secret().as_bytes();
        if key.len() < MIN_KEY_LENGTH {
            return Err(WeakSigningKey);
        }
        let mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| WeakSigningKey)?;
        Ok(Signer { mac })
    }

    /// The token that carries `grant`.
    pub fn sign(&self, grant: &EmbedGrant) -> String {
        let claims = serde_json::to_vec(grant).expect("a grant serialises");
        let payload = URL_SAFE_NO_PAD.encode(claims);
        let mut mac = self.mac.clone();
        mac.update(payload.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    /// The link (path and query) that opens `grant`'s view in embed mode.
    pub fn link(&self, grant: &EmbedGrant) -> String {
        format!("{}?embed=1&t={}", grant.view, self.sign(grant))
    }

    /// The grant `token` carries, if its signature holds and it has not
    /// expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<EmbedGrant, EmbedError> {
        let (payload, signature) = token.split_once('.').ok_or(EmbedError::BadSignature)?;
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| EmbedError::BadSignature)?;
        let mut mac = self.mac.clone();
        mac.update(payload.as_bytes());
        // Constant-time comparison.
        mac.verify_slice(&signature)
            .map_err(|_| EmbedError::BadSignature)?;
        let grant: EmbedGrant = URL_SAFE_NO_PAD
            .decode(payload)
            .ok()
            .and_then(|claims| serde_json::from_slice(&claims).ok())
            .ok_or(EmbedError::BadSignature)?;
        if grant.expires_at <= now {
            return Err(EmbedError::Expired);
        }
        Ok(grant)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn signer() -> Signer {
        Signer::new(&SecretString::from("k".repeat(32))).unwrap()
    }

    fn grant() -> EmbedGrant {
        EmbedGrant {
            view: "/uf/SP".into(),
            filters: BTreeMap::from([
                ("period".into(), vec!["30".into(), "90".into()]),
                ("per100k".into(), vec![ANY_VALUE.into()]),
            ]),
            expires_at: Utc::now() + Duration::days(1),
        }
    }

    #[test]
    fn a_signed_grant_verifies_and_admits_only_its_view_and_filters() {
        let granted = grant();
        let token = signer().sign(&granted);
        let verified = signer().verify(&token, Utc::now()).unwrap();
        assert_eq!(verified, granted);
        let admits = |path, query: &[(&str, &str)]| verified.admits(path, query.iter().copied());
        assert_eq!(
            admits("/uf/SP", &[("embed", "1"), ("period", "90")]),
            Ok(())
        );
        assert_eq!(
            admits("/uf/SP", &[("per100k", "1"), ("lang", "en")]),
            Ok(())
        );
        assert_eq!(admits("/uf/RJ", &[]), Err(EmbedError::OtherView));
        assert_eq!(
            admits("/uf/SP", &[("period", "365")]),
            Err(EmbedError::FilterNotAllowed("period".into()))
        );
        let hostile = "<script>alert(1)</script>".repeat(4);
        let refused = admits("/uf/SP", &[(&hostile, "<b>"), ("period", "<i>")]).unwrap_err();
        assert_eq!(
            refused,
            EmbedError::FilterNotAllowed(hostile.chars().take(NAME_SHOWN).collect())
        );
        assert!(!refused.to_string().contains("<b>"), "{refused}");
    }

    #[test]
    fn links_open_only_the_dashboards_data_pages() {
        let grant = |view: &str| EmbedGrant::new(view, BTreeMap::new(), Duration::days(1));
        for view in ["/", "/dados", "/uf/SP", "/municipio/3550308"] {
            assert!(grant(view).is_ok(), "{view}");
        }
        for view in [
            "//evil.example/x",
            "/api/v1/states",
            "/entrar",
            "/admin/tokens",
            "/uf/XX",
            "/uf/sp",
            "/uf/SP/",
            "/uf/SP?period=30",
            "/municipio/355030",
            "/municipio/3550308x",
            "https://evil.example/",
            "",
        ] {
            assert!(grant(view).is_err(), "{view}");
        }
    }

    #[test]
    fn tampered_expired_and_foreign_tokens_are_refused() {
        let token = signer().sign(&grant());
        let (payload, signature) = token.split_once('.').unwrap();
        let mut widened = grant();
        widened.view = "/uf/RJ".into();
        let forged_payload = signer().sign(&widened);
        let forged = format!("{}.{signature}", forged_payload.split_once('.').unwrap().0);
        let now = Utc::now();
        assert_eq!(signer().verify(&forged, now), Err(EmbedError::BadSignature));
        assert_eq!(signer().verify(payload, now), Err(EmbedError::BadSignature));
        assert_eq!(signer().verify("", now), Err(EmbedError::BadSignature));
        let other = Signer::new(&SecretString::from("o".repeat(40))).unwrap();
        assert_eq!(other.verify(&token, now), Err(EmbedError::BadSignature));
        assert_eq!(
            signer().verify(&token, now + Duration::days(2)),
            Err(EmbedError::Expired)
        );
        assert!(Signer::new(&SecretString::from("short")).is_err());
    }
}
