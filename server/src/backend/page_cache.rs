//! The data pages' rendered content, kept per page, route parameter and
//! query until the store's generation moves (a publish, a run, a source
//! state) and for at most a minute, since some sentences are relative to
//! the present ("não é atualizada desde"). The content holds nothing of
//! the account that asked: the account bar and the anti-forgery token are
//! rendered around it, per request.

use std::{sync::Arc, time::Duration};

/// How much rendered content is kept, in bytes.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// How long a page's content is kept at most.
const TIME_TO_LIVE: Duration = Duration::from_secs(60);

/// Rendered pages by generation and key.
#[derive(Clone)]
pub struct PageCache {
    entries: moka::sync::Cache<(u64, String), Arc<str>>,
}

impl Default for PageCache {
    fn default() -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(CACHE_BYTES)
            .time_to_live(TIME_TO_LIVE)
            .weigher(|(_, key): &(u64, String), html: &Arc<str>| {
                u32::try_from(key.len() + html.len()).unwrap_or(u32::MAX)
            })
            .build();
        PageCache { entries }
    }
}

impl PageCache {
    /// The content kept under `key` in `generation`.
    pub fn get(&self, generation: u64, key: &str) -> Option<Arc<str>> {
        self.entries.get(&(generation, key.to_owned()))
    }

    /// Keeps `html` under `key` for `generation`.
    pub fn insert(&self, generation: u64, key: String, html: Arc<str>) {
        self.entries.insert((generation, key), html);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_generation_renders_again() {
        let cache = PageCache::default();
        cache.insert(1, "Overview||".into(), "<h1>a</h1>".into());
        assert_eq!(cache.get(1, "Overview||").as_deref(), Some("<h1>a</h1>"));
        assert_eq!(cache.get(2, "Overview||"), None);
        assert_eq!(cache.get(1, "Overview||lang=en"), None);
    }
}
