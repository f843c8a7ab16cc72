//! A firing as a webhook: a JSON body naming the rule, its place, what was
//! seen on which data date, and `sent_at` (the instant of this attempt,
//! against replay: a receiver refuses bodies older than a few minutes),
//! signed with the rule's key: `X-Sentinela-Signature` is the hex
//! HMAC-SHA256 of the exact body bytes. `delivery` identifies the delivery
//! across retries, so a receiver can tell a repeat.

use std::time::Duration;

use app::catalog::alerts::Observation;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use sha2::Sha256;

use super::destination::Destination;
use crate::store::{AlertRule, Firing};

/// The header that carries the body's signature.
pub const SIGNATURE_HEADER: &str = "X-Sentinela-Signature";

/// How long a receiver may take to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The JSON a receiver gets.
#[derive(Debug, Serialize)]
pub struct Payload<'a> {
    pub delivery: &'a str,
    pub rule: &'a str,
    pub rule_name: &'a str,
    /// The place's name, as the rule keeps it.
    pub place: &'a str,
    pub target_kind: &'static str,
    pub target: &'a str,
    pub metric: &'static str,
    pub condition: &'static str,
    pub threshold: Option<f64>,
    pub data_date: NaiveDate,
    #[serde(flatten)]
    pub seen: Observation,
    pub fired_at: String,
    pub sent_at: String,
}

impl<'a> Payload<'a> {
    pub fn new(
        delivery: &'a str,
        rule: &'a AlertRule,
        firing: &Firing,
        now: DateTime<Utc>,
    ) -> Self {
        let spec = &rule.spec;
        Payload {
            delivery,
            rule: &rule.id,
            rule_name: &rule.name,
            place: &rule.place,
            target_kind: spec.target.kind().code(),
            target: spec.target.code(),
            metric: spec.metric.kind().code(),
            condition: spec.condition.kind().code(),
            threshold: spec.condition.threshold(),
            data_date: firing.data_date,
            seen: firing.seen,
            fired_at: firing.fired_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            sent_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        }
    }
}

/// The hex HMAC-SHA256 of `body` under `key`.
pub fn signature(key: &SecretString, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.expose_secret().as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// POSTs `body` to `destination`, signed with `key`; an error says why in
/// words that never include the URL.
pub async fn send(
    destination: &Destination,
    key: &SecretString,
    body: Vec<u8>,
) -> Result<(), String> {
    let mut client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none());
    for addr in &destination.addrs {
        client = client.resolve(&destination.host, *addr);
    }
    let client = client
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {}", e.without_url()))?;
    let response = client
        .post(destination.url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature(key, &body))
        .body(body)
        .send()
        .await
        .map_err(|e| format!("request failed: {}", e.without_url()))?;
    match response.status() {
        status if status.is_success() => Ok(()),
        status => Err(format!("the receiver answered {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_rfc_4231s_hmac_sha256() {
        // RFC 4231, test case 2.
        let key = SecretString::from("Jefe");
        assert_eq!(
            signature(&key, b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
