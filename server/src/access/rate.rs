//! Rate limits per client address: sign-in attempts (against password
//! guessing) and API requests (against scraping and overload). A refused
//! request learns when to retry.

use std::{net::IpAddr, num::NonZeroU32, time::Duration};

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

use crate::config::Settings;

/// Addresses remembered before the limiters forget idle ones.
const MAX_TRACKED: usize = 10_000;

/// The limiters of one server process.
pub struct RateLimits {
    login: DefaultKeyedRateLimiter<IpAddr>,
    api: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

fn at_least_one(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).expect("at least one")
}

fn check(limiter: &DefaultKeyedRateLimiter<IpAddr>, client: IpAddr) -> Result<(), Duration> {
    if limiter.len() > MAX_TRACKED {
        limiter.retain_recent();
    }
    limiter
        .check_key(&client)
        .map_err(|refused| refused.wait_time_from(DefaultClock::default().now()))
}

impl RateLimits {
    /// The limits `settings` ask for.
    pub fn new(settings: &Settings) -> Self {
        let attempts = at_least_one(settings.login_attempts_per_minute);
        RateLimits {
            login: RateLimiter::keyed(Quota::per_minute(attempts).allow_burst(attempts)),
            api: (settings.api_requests_per_second > 0).then(|| {
                RateLimiter::keyed(
                    Quota::per_second(at_least_one(settings.api_requests_per_second))
                        .allow_burst(at_least_one(settings.api_burst)),
                )
            }),
        }
    }

    /// Counts a sign-in attempt; `Err` says how long to wait.
    pub fn sign_in(&self, client: IpAddr) -> Result<(), Duration> {
        check(&self.login, client)
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
}
