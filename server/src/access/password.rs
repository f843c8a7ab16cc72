//! Passwords: argon2id with the crate's default cost, hashed and verified
//! off the async threads. Each hash takes 19 MiB and a core for tens of
//! milliseconds, so only about one per core runs at a time: the others wait
//! for a slot, and give up (the caller answers 503) after a few seconds,
//! so a burst of sign-ins queues instead of exhausting memory (and the
//! allocator gives each 19 MiB back once freed: `crate::allocator`). An
//! unknown account is verified against a dummy hash, so the answer takes as
//! long whether or not the name exists.

use std::{
    sync::{LazyLock, OnceLock},
    time::Duration,
};

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};
use rand_core::OsRng;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

/// The fewest characters a password may have.
pub const MIN_LENGTH: usize = 12;

/// The most bytes a password may have: a longer one is refused before any
/// hashing.
pub const MAX_BYTES: usize = 1024;

/// How long a hash or verification waits for a slot before giving up.
pub const QUEUE_TIMEOUT: Duration = Duration::from_secs(5);

/// How many hashes or verifications run at once: one per core.
static SLOT_COUNT: LazyLock<usize> =
    LazyLock::new(|| std::thread::available_parallelism().map_or(2, usize::from));

static SLOTS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(*SLOT_COUNT));

/// Every slot stayed taken for [`QUEUE_TIMEOUT`].
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("too many password checks at once; try again shortly")]
pub struct Busy;

/// A password could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must have at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("the password must have at most {MAX_BYTES} bytes")]
    TooLong,
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// Runs `work` on a blocking thread once a slot is free. The slot goes with
/// the work, so it stays taken until the work ends even if the caller stops
/// waiting.
async fn in_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, Busy> {
    let slot = tokio::time::timeout(QUEUE_TIMEOUT, SLOTS.acquire())
        .await
        .map_err(|_| Busy)?
        .map_err(|_| Busy)?;
    let done = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    });
    // The work panicking (a bug) or the runtime shutting down: no answer
    // now, as when busy.
    done.await.map_err(|_| Busy)
}

fn hash_now(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// The argon2id PHC string of `password`, which must be long enough and
/// not too long.
pub async fn hash(password: SecretString) -> Result<String, PasswordError> {
    if password.expose_secret().chars().count() < MIN_LENGTH {
        return Err(PasswordError::TooShort);
    }
    if password.expose_secret().len() > MAX_BYTES {
        return Err(PasswordError::TooLong);
    }
    in_slot(move || hash_now(password.expose_secret())).await?
}

/// Whether `password` matches `stored` (an account's PHC string); `None`
/// (no such account) costs the same time and never matches. A password
/// longer than [`MAX_BYTES`] never matches and costs nothing.
pub async fn verify(password: SecretString, stored: Option<String>) -> Result<bool, Busy> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if password.expose_secret().len() > MAX_BYTES {
        return Ok(false);
    }
    let known = stored.is_some();
    in_slot(move || {
        let phc = stored.unwrap_or_else(|| {
            DUMMY
                .get_or_init(|| hash_now("not an account's password").unwrap_or_default())
                .clone()
        });
        let matches = PasswordHash::new(&phc).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.expose_secret().as_bytes(), &parsed)
                .is_ok()
        });
        known && matches
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let phc = hash(SecretString::from("correct horse battery"))
            .await
            .unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(!phc.contains("correct horse"));
        let verify = |password: &str, stored: Option<&str>| {
            verify(SecretString::from(password), stored.map(str::to_owned))
        };
        assert_eq!(verify("correct horse battery", Some(&phc)).await, Ok(true));
        assert_eq!(
            verify("correct horse battery!", Some(&phc)).await,
            Ok(false)
        );
        assert_eq!(verify("correct horse battery", None).await, Ok(false));
        assert_eq!(verify("x", Some("not a hash")).await, Ok(false));
    }

    #[tokio::test]
    async fn passwords_too_short_or_too_long_are_refused() {
        assert!(matches!(
            hash(SecretString::from("short")).await,
            Err(PasswordError::TooShort)
        ));
        let long = "x".repeat(MAX_BYTES + 1);
        assert!(matches!(
            hash(SecretString::from(long.clone())).await,
            Err(PasswordError::TooLong)
        ));
        assert!(
            hash(SecretString::from("x".repeat(MAX_BYTES)))
                .await
                .is_ok()
        );
        let phc = hash(SecretString::from("correct horse battery"))
            .await
            .unwrap();
        assert_eq!(verify(SecretString::from(long), Some(phc)).await, Ok(false));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_checks_run_at_once_than_there_are_slots() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};

        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks: Vec<_> = (0..4 * *SLOT_COUNT)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(in_slot(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, Ordering::SeqCst);
                }))
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!((1..=*SLOT_COUNT).contains(&most), "{most} at once");
    }
}
