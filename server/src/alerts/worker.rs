//! The outbox's worker: every poll it claims the due deliveries (a lease,
//! so a worker that dies leaves them to another once it ends), sends each
//! by its channel (webhook or e-mail), and records the outcome: delivered,
//! tried again after an exponential backoff, or dead once the next try
//! would fall beyond the retry window (24 hours after the firing) or can
//! never succeed (its rule or address is gone). Any number of workers, in any number of
//! processes on one database, deliver each row once: a row is claimed by
//! one worker at a time, and a delivered row is never claimed again. With
//! a mail server, every poll also sends the week's due digests
//! ([`super::digest`]), claimed the same way.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use app::catalog::alerts::Channel;

use super::{
    Failure, chart,
    destination::Policy,
    digest,
    email::Mailer,
    webhook::{self, Payload},
};
use crate::{
    access::random_token,
    store::{Delivery, Store},
    territories::Territories,
};

/// How long a claim lasts: longer than an attempt can take.
const LEASE: Duration = Duration::from_secs(60);
/// Deliveries claimed at a time.
const CLAIM: u32 = 32;
/// The longest wait between two attempts.
const LONGEST_WAIT: Duration = Duration::from_secs(6 * 3600);

/// When a failed delivery is tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure; each failure doubles it.
    pub first: Duration,
    /// How long after its creation a delivery is still tried.
    pub window: Duration,
}

impl Backoff {
    /// The next attempt after `attempts` failed ones, or `None` when it
    /// would fall beyond the window.
    pub fn next(
        &self,
        attempts: i64,
        created_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let at = now + self.wait(attempts);
        (at <= created_at + chrono::Duration::from_std(self.window).ok()?).then_some(at)
    }

    /// The wait after `attempts` failed ones: the first wait, doubled for
    /// each failure after the first, at most [`LONGEST_WAIT`].
    pub fn wait(&self, attempts: i64) -> chrono::Duration {
        let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let wait = self
            .first
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(LONGEST_WAIT);
        chrono::Duration::from_std(wait).expect("a wait of at most 6 hours")
    }
}

/// A delivery worker.
#[derive(Clone, Debug)]
pub struct Worker {
    pub store: Store,
    pub policy: Policy,
    pub backoff: Backoff,
    pub poll: Duration,
    /// Sends the e-mails; without it they wait (and die after the window).
    pub mailer: Option<Mailer>,
    /// The territories rules may watch, for the digests.
    pub territories: Territories,
    /// Names its claims.
    pub id: String,
}

impl Worker {
    pub fn new(store: Store, policy: Policy, backoff: Backoff, poll: Duration) -> Self {
        Worker {
            store,
            policy,
            backoff,
            poll,
            mailer: None,
            territories: Territories::default(),
            id: random_token("wrk_"),
        }
    }

    /// The same worker, sending e-mails with `mailer`.
    pub fn with_mailer(self, mailer: Option<Mailer>) -> Self {
        Worker { mailer, ..self }
    }

    /// The same worker, reading territories as `territories` has them.
    pub fn with_territories(self, territories: Territories) -> Self {
        Worker {
            territories,
            ..self
        }
    }

    /// Drains the outbox every `poll` until `stop`.
    pub fn spawn(self, stop: CancellationToken) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                if let Err(error) = self.drain().await {
                    tracing::warn!(error = %format!("{error:#}"), "alert delivery failed");
                }
                if let Err(error) = self.send_digests(Utc::now()).await {
                    tracing::warn!(error = %format!("{error:#}"), "alert digest failed");
                }
                tokio::select! {
                    () = stop.cancelled() => break,
                    () = tokio::time::sleep(self.poll) => {}
                }
            }
        })
    }

    /// Claims the due deliveries and attempts each once; returns how many
    /// it attempted.
    pub async fn drain(&self) -> anyhow::Result<usize> {
        let now = Utc::now();
        let claimed = self
            .store
            .claim_deliveries(&self.id, now, now + LEASE, CLAIM)
            .await
            .context("claiming due deliveries")?;
        for delivery in &claimed {
            let outcome = self.attempt(delivery).await;
            let now = Utc::now();
            let recorded = match &outcome {
                Ok(()) => Ok(now),
                Err(Failure::Retry(error)) => Err((
                    error.as_str(),
                    self.backoff
                        .next(delivery.attempts, delivery.created_at, now),
                )),
                Err(Failure::Final(error)) => Err((error.as_str(), None)),
            };
            let ours = self
                .store
                .finish_delivery(&self.id, &delivery.id, recorded)
                .await
                .context("recording a delivery")?;
            match (&outcome, ours) {
                (_, false) => tracing::warn!(delivery = %delivery.id, "delivery's claim lapsed"),
                (Ok(()), true) => tracing::info!(
                    delivery = %delivery.id,
                    rule = %delivery.rule_id,
                    attempts = delivery.attempts,
                    "alert delivered"
                ),
                (Err(Failure::Retry(error) | Failure::Final(error)), true) => tracing::warn!(
                    delivery = %delivery.id,
                    rule = %delivery.rule_id,
                    channel = delivery.channel.code(),
                    attempts = delivery.attempts,
                    error = %error,
                    "alert delivery attempt failed"
                ),
            }
        }
        Ok(claimed.len())
    }

    /// Claims the digests due at `now` (those not sent for its week) and
    /// attempts each once; returns how many it attempted. Without a mail
    /// server, none is due.
    pub async fn send_digests(&self, now: DateTime<Utc>) -> anyhow::Result<usize> {
        let Some(mailer) = &self.mailer else {
            return Ok(0);
        };
        let week = digest::week_of(now);
        let claimed = self
            .store
            .claim_digests(&self.id, week, now, now + LEASE, CLAIM)
            .await
            .context("claiming due digests")?;
        for row in &claimed {
            let outcome =
                match digest::lines(&self.store, &self.territories, &row.account, now).await {
                    Ok(lines) if lines.is_empty() => Ok(0),
                    Ok(lines) => {
                        let letter = digest::letter(row, &lines, week, mailer.public_url());
                        match mailer.send_letter(&row.email, letter).await {
                            Ok(()) => Ok(lines.len()),
                            Err(Failure::Retry(error) | Failure::Final(error)) => Err(error),
                        }
                    }
                    Err(error) => Err(format!("cannot read what the rules watch: {error:#}")),
                };
            let recorded = match &outcome {
                Ok(_) => Ok(()),
                Err(error) => Err((error.as_str(), now + self.backoff.wait(row.attempts))),
            };
            let ours = self
                .store
                .finish_digest(&self.id, &row.account, week, recorded)
                .await
                .context("recording a digest")?;
            match (&outcome, ours) {
                (_, false) => tracing::warn!(account = %row.account, "digest's claim lapsed"),
                (Ok(lines), true) => {
                    tracing::info!(account = %row.account, %week, lines, "alert digest sent")
                }
                (Err(error), true) => tracing::warn!(
                    account = %row.account,
                    attempts = row.attempts,
                    error = %error,
                    "alert digest attempt failed"
                ),
            }
        }
        Ok(claimed.len())
    }

    /// One attempt at `delivery`.
    async fn attempt(&self, delivery: &Delivery) -> Result<(), Failure> {
        let read =
            |e: crate::store::StoreError| Failure::Retry(format!("cannot read the firing: {e}"));
        let gone = |what: &str| Failure::Final(format!("its {what} is gone"));
        let rule = self
            .store
            .alert_rule(&delivery.rule_id)
            .await
            .map_err(read)?
            .ok_or_else(|| gone("rule"))?;
        let firing = self
            .store
            .alert_firing(&delivery.firing_id)
            .await
            .map_err(read)?
            .ok_or_else(|| gone("firing"))?;
        match delivery.channel {
            Channel::Webhook => {
                let url = rule.webhook_url.as_deref().ok_or_else(|| gone("webhook"))?;
                let destination = self
                    .policy
                    .resolve(url)
                    .await
                    .map_err(|e| Failure::Retry(e.to_string()))?;
                let payload = Payload::new(&delivery.id, &rule, &firing, Utc::now());
                let body = serde_json::to_vec(&payload).expect("a payload always serialises");
                webhook::send(&destination, &rule.webhook_secret, body)
                    .await
                    .map_err(Failure::Retry)
            }
            Channel::Email => match &self.mailer {
                Some(mailer) => {
                    let chart =
                        match chart::png(&self.store, &self.territories, &rule, firing.data_date)
                            .await
                        {
                            Ok(png) => png,
                            Err(error) => {
                                tracing::warn!(
                                    rule = %rule.id,
                                    error = %format!("{error:#}"),
                                    "alert chart not drawn"
                                );
                                None
                            }
                        };
                    mailer.send(&rule, &firing, chart).await
                }
                None => Err(Failure::Retry("this server has no mail server set".into())),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_until_the_window_ends() {
        let backoff = Backoff {
            first: Duration::from_secs(30),
            window: Duration::from_secs(24 * 3600),
        };
        let created = Utc::now();
        let wait = |n| (backoff.next(n, created, created).unwrap() - created).num_seconds();
        assert_eq!((wait(1), wait(2), wait(3)), (30, 60, 120));
        assert_eq!(wait(20), 6 * 3600, "capped");
        let late = created + chrono::Duration::hours(23);
        assert!(
            backoff.next(5, created, late).is_some(),
            "8 min later: within 24 h"
        );
        assert_eq!(
            backoff.next(20, created, late),
            None,
            "6 h later: beyond 24 h, dead"
        );
    }
}
