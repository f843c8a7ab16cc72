//! Rendered pages kept per key until the store's generation moves (a
//! publish, a run, a source state) and for at most a minute, since some
//! sentences are relative to the present ("não é atualizada desde"). The
//! backend keeps the data pages' content here (which holds nothing of the
//! account that asked: the account bar and the anti-forgery token are
//! rendered around it, per request); the routes keep whole documents for
//! requests without an account (`routes::page_document`).

use std::{sync::Arc, time::Duration};

/// How much rendered text each cache keeps, in bytes.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// How long a page is kept at most.
const TIME_TO_LIVE: Duration = Duration::from_secs(60);

/// What a cache keeps: its weight is its size in bytes.
pub trait Rendered: Clone + Send + Sync + 'static {
    fn bytes(&self) -> usize;
}

impl Rendered for Arc<str> {
    fn bytes(&self) -> usize {
        self.len()
    }
}

/// Rendered pages by generation and key.
#[derive(Clone)]
pub struct PageCache<V: Rendered> {
    entries: moka::sync::Cache<(u64, String), V>,
}

impl<V: Rendered> Default for PageCache<V> {
    fn default() -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(CACHE_BYTES)
            .time_to_live(TIME_TO_LIVE)
            .weigher(|(_, key): &(u64, String), page: &V| {
                u32::try_from(key.len() + page.bytes()).unwrap_or(u32::MAX)
            })
            .build();
        PageCache { entries }
    }
}

impl<V: Rendered> PageCache<V> {
    /// The page kept under `key` in `generation`.
    pub fn get(&self, generation: u64, key: &str) -> Option<V> {
        self.entries.get(&(generation, key.to_owned()))
    }

    /// Keeps `page`, rendered from the data of `generation`, under `key`.
    pub fn insert(&self, generation: u64, key: String, page: V) {
        self.entries.insert((generation, key), page);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_generation_renders_again() {
        let cache = PageCache::<Arc<str>>::default();
        cache.insert(1, "Overview||".into(), "<h1>a</h1>".into());
        assert_eq!(cache.get(1, "Overview||").as_deref(), Some("<h1>a</h1>"));
        assert_eq!(cache.get(2, "Overview||"), None);
        assert_eq!(cache.get(1, "Overview||lang=en"), None);
    }
}
