//! Rate limits per client address: sign-in attempts (against password
//! guessing) and API requests (against scraping and overload); and a
//! ceiling on sign-in attempts from all addresses together, since each one
//! costs a password hash's memory and time. A refused request learns when
//! to retry.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use governor::{
    DefaultDirectRateLimiter, DefaultKeyedRateLimiter, NotUntil, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

use crate::config::Settings;

/// Addresses remembered before the limiters forget idle ones.
const MAX_TRACKED: usize = 10_000;

/// The limiters of one server process.
pub struct RateLimits {
    login: DefaultKeyedRateLimiter<IpAddr>,
    login_total: DefaultDirectRateLimiter,
    api: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).expect("at least one")
}

/// How long a refused request must wait.
fn wait(refused: NotUntil<<DefaultClock as Clock>::Instant>) -> Duration {
    refused.wait_time_from(DefaultClock::default().now())
}

fn check(limiter: &DefaultKeyedRateLimiter<IpAddr>, client: IpAddr) -> Result<(), Duration> {
    if limiter.len() > MAX_TRACKED {
        limiter.retain_recent();
    }
    limiter.check_key(&client).map_err(wait)
}

impl RateLimits {
    /// The limits `settings` ask for.
    pub fn new(settings: &Settings) -> Self {
        let attempts = at_least_one(settings.login_attempts_per_minute);
        let total = at_least_one(settings.login_attempts_per_second_total);
        RateLimits {
            login: RateLimiter::keyed(Quota::per_minute(attempts).allow_burst(attempts)),
            login_total: RateLimiter::direct(Quota::per_second(total).allow_burst(total)),
            api: (settings.api_requests_per_second > 0).then(|| {
                RateLimiter::keyed(
                    Quota::per_second(at_least_one(settings.api_requests_per_second))
                        .allow_burst(at_least_one(settings.api_burst)),
                )
            }),
        }
    }

    /// Counts a sign-in attempt against its address's limit and the
    /// ceiling of all addresses; `Err` says how long to wait.
    pub fn sign_in(&self, client: IpAddr) -> Result<(), Duration> {
        check(&self.login, client)?;
        self.login_total.check().map_err(wait)
    }

    /// Counts an API request; `Err` says how long to wait.
    pub fn api(&self, client: IpAddr) -> Result<(), Duration> {
        self.api.as_ref().map_or(Ok(()), |api| check(api, client))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attempt_after_the_quota_waits() {
        let limits = RateLimits::new(&Settings {
            login_attempts_per_minute: 3,
            api_requests_per_second: 0,
            ..Settings::default()
        });
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        for _ in 0..3 {
            assert!(limits.sign_in(a).is_ok());
        }
        let wait = limits.sign_in(a).unwrap_err();
        assert!(
            wait > Duration::from_secs(10) && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        assert!(
            limits.sign_in(b).is_ok(),
            "another address has its own quota"
        );
        assert!(
            (0..1000).all(|_| limits.api(a).is_ok()),
            "0 means unlimited"
        );
    }

    #[test]
    fn many_addresses_within_their_limits_meet_the_ceiling() {
        let limits = RateLimits::new(&Settings {
            login_attempts_per_second_total: 5,
            ..Settings::default()
        });
        let admitted = (1..=20u8)
            .filter(|n| limits.sign_in(IpAddr::from([10, 0, 1, *n])).is_ok())
            .count();
        assert_eq!(admitted, 5, "each address tried once, within its own limit");
        let wait = limits.sign_in("10.0.2.1".parse().unwrap()).unwrap_err();
        assert!(wait <= Duration::from_secs(1), "{wait:?}");
    }
}
