//! Unguessable tokens (sessions, API tokens, anti-forgery) and the digests
//! under which the store keeps them.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// 256 random bits from the operating system, URL-safe, after `prefix`.
pub fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The SHA-256 of a token, in hex: what the store keeps instead of it.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_differ_and_only_digests_are_kept() {
        let (a, b) = (random_token("snt_"), random_token("snt_"));
        assert_ne!(a, b);
        assert!(a.starts_with("snt_") && a.len() == 4 + 43, "{a}");
        assert_eq!(digest(&a), digest(&a));
        assert_eq!(digest(&a).len(), 64);
        assert!(!digest(&a).contains(&a[4..]));
    }
}
