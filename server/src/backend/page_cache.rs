//! Rendered pages kept per key until the store's generation moves (a
//! publish, a run, a source state) and for at most a minute, since some
//! sentences are relative to the present ("não é atualizada desde"). The
//! backend keeps the data pages' content here (which holds nothing of the
//! account that asked: the account bar and the anti-forgery token are
//! rendered around it, per request); the routes keep whole documents for
//! requests without an account (`routes::page_document`), rendering each
//! once however many requests miss it together.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::OnceCell;

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

/// A rendering under way, which the requests that miss its page meanwhile
/// wait for; `None` if its answer was not to keep.
type Flight<V> = Arc<OnceCell<Option<V>>>;

/// The renderings under way, by generation and key.
type Flights<V> = Arc<Mutex<HashMap<(u64, String), Flight<V>>>>;

/// Rendered pages by generation and key.
#[derive(Clone)]
pub struct PageCache<V: Rendered> {
    entries: moka::sync::Cache<(u64, String), V>,
    flights: Flights<V>,
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
        PageCache {
            entries,
            flights: Arc::default(),
        }
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

    /// The page kept under `key` in `generation`, or the one `render`
    /// makes and this keeps. Requests that miss the same page while it is
    /// rendered wait for that one rendering (a new generation, or the end
    /// of a page's minute, would otherwise start one per request at once);
    /// if its rendering is cancelled, one of them renders instead. `None`
    /// when the rendering gave an answer not to keep: each caller that did
    /// not render then answers on its own.
    pub async fn get_or_render<F, Fut>(&self, generation: u64, key: &str, render: F) -> Option<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Option<V>>,
    {
        if let Some(page) = self.get(generation, key) {
            return Some(page);
        }
        let slot = (generation, key.to_owned());
        let flight = {
            let mut flights = self.flights.lock().expect("no rendering panics holding it");
            // Older generations' renderings are over, or abandoned.
            flights.retain(|(kept, _), _| *kept >= generation);
            flights.entry(slot.clone()).or_default().clone()
        };
        let page = flight
            .get_or_init(|| async {
                let page = render().await;
                if let Some(page) = &page {
                    self.insert(generation, key.to_owned(), page.clone());
                }
                page
            })
            .await
            .clone();
        let mut flights = self.flights.lock().expect("no rendering panics holding it");
        if flights
            .get(&slot)
            .is_some_and(|current| Arc::ptr_eq(current, &flight))
        {
            flights.remove(&slot);
        }
        page
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn misses_together_render_once() {
        let cache = PageCache::<Arc<str>>::default();
        let renders = AtomicUsize::new(0);
        let render = || async {
            renders.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            Some(Arc::<str>::from("<h1>a</h1>"))
        };
        let pages = futures_util::future::join_all(
            (0..16).map(|_| cache.get_or_render(7, "Overview||", render)),
        )
        .await;
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        assert!(pages.iter().all(|p| p.as_deref() == Some("<h1>a</h1>")));
        assert_eq!(cache.get(7, "Overview||").as_deref(), Some("<h1>a</h1>"));
        // A new generation renders again, once.
        let _ = futures_util::future::join_all(
            (0..4).map(|_| cache.get_or_render(8, "Overview||", render)),
        )
        .await;
        assert_eq!(renders.load(Ordering::SeqCst), 2);
        assert!(cache.flights.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn an_answer_not_kept_is_rendered_by_each_caller() {
        let cache = PageCache::<Arc<str>>::default();
        let renders = AtomicUsize::new(0);
        let refused = || async {
            renders.fetch_add(1, Ordering::SeqCst);
            None
        };
        assert_eq!(cache.get_or_render(1, "x", refused).await, None);
        assert_eq!(cache.get_or_render(1, "x", refused).await, None);
        assert_eq!(renders.load(Ordering::SeqCst), 2, "nothing kept");
        assert_eq!(cache.get(1, "x"), None);
    }

    #[tokio::test]
    async fn a_cancelled_rendering_leaves_the_page_to_the_next() {
        let cache = PageCache::<Arc<str>>::default();
        let slow = cache.get_or_render(1, "x", || async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Some(Arc::<str>::from("never"))
        });
        assert!(
            tokio::time::timeout(Duration::from_millis(20), slow)
                .await
                .is_err()
        );
        let page = cache
            .get_or_render(1, "x", || async { Some(Arc::<str>::from("b")) })
            .await;
        assert_eq!(page.as_deref(), Some("b"));
    }

    #[test]
    fn a_new_generation_renders_again() {
        let cache = PageCache::<Arc<str>>::default();
        cache.insert(1, "Overview||".into(), "<h1>a</h1>".into());
        assert_eq!(cache.get(1, "Overview||").as_deref(), Some("<h1>a</h1>"));
        assert_eq!(cache.get(2, "Overview||"), None);
        assert_eq!(cache.get(1, "Overview||lang=en"), None);
    }
}
