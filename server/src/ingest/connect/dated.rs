//! Sources published under a new dated name each time, every edition kept
//! (SIVEP's weekly summaries: `url = "…/sum_dados_{date:%Y_%m_%d}.csv.xz"`).
//! Nothing lists the editions, so new ones are found by trying the dated
//! URLs after the newest one held: day by day, each up to [`LOOK_AHEAD`]
//! days after the last one found (a hit moves the window on), and the
//! [`LOOK_AHEAD`] days up to today, so a source that stopped publishing
//! costs at most twice that many requests a run, not one per day since it
//! stopped, and one that resumes is found again. A missing URL (404, 410)
//! is no edition; any other failure fails the fetch (and is retried).
//! "Held" means in raw: an edition fetched but corrupt is not fetched
//! again (its run fails and the last good gold serves); the editions
//! after it are, and refine without it.

use anyhow::{Context, bail};
use chrono::{Days, NaiveDate};

/// Days tried after the last edition found, and before today.
pub const LOOK_AHEAD: u64 = 21;

/// A URL with a `{date:<strftime format>}` placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    prefix: String,
    format: String,
    suffix: String,
}

impl Template {
    /// The template of `url`, or `None` when it holds no placeholder.
    pub fn of(url: &str) -> anyhow::Result<Option<Template>> {
        let Some((prefix, rest)) = url.split_once("{date:") else {
            return Ok(None);
        };
        let (format, suffix) = rest
            .split_once('}')
            .with_context(|| format!("{url}: an unclosed {{date:…}}"))?;
        if format.is_empty() || suffix.contains("{date:") || prefix.contains('}') {
            bail!("{url}: one {{date:<format>}} placeholder expected");
        }
        Ok(Some(Template {
            prefix: prefix.to_owned(),
            format: format.to_owned(),
            suffix: suffix.to_owned(),
        }))
    }

    /// The URL of the edition of `day`.
    pub fn url(&self, day: NaiveDate) -> String {
        format!("{}{}{}", self.prefix, day.format(&self.format), self.suffix)
    }

    /// The date of an edition from its file name (the URL's last segment),
    /// if the name is one of the template's.
    pub fn date_of(&self, file: &str) -> Option<NaiveDate> {
        let head = self.prefix.rsplit('/').next().unwrap_or_default();
        let middle = file.strip_prefix(head)?.strip_suffix(&self.suffix)?;
        NaiveDate::parse_from_str(middle, &self.format).ok()
    }
}

/// The days to try, in order, after the newest edition held (`None`:
/// none, then only the last [`LOOK_AHEAD`] days) up to `today`; `found`
/// fetches a day's edition if it exists, which moves the window on.
/// Returns the editions found.
pub async fn walk<T, F, Fut>(
    newest: Option<NaiveDate>,
    today: NaiveDate,
    mut found: F,
) -> anyhow::Result<Vec<T>>
where
    F: FnMut(NaiveDate) -> Fut,
    Fut: Future<Output = anyhow::Result<Option<T>>>,
{
    let recent = today - Days::new(LOOK_AHEAD - 1);
    let mut last_hit = newest.unwrap_or(recent - Days::new(LOOK_AHEAD + 1));
    let mut day = newest.map_or(recent, |n| n + Days::new(1));
    let mut hits = Vec::new();
    while day <= today {
        if day > last_hit + Days::new(LOOK_AHEAD) && day < recent {
            day = recent;
            continue;
        }
        if let Some(hit) = found(day).await? {
            hits.push(hit);
            last_hit = day;
        }
        day = day + Days::new(1);
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_template_makes_urls_and_reads_file_names() {
        let template = Template::of("https://x.org/a/sum_dados_{date:%Y_%m_%d}.csv.xz")
            .unwrap()
            .unwrap();
        assert_eq!(
            template.url(day("2020-07-21")),
            "https://x.org/a/sum_dados_2020_07_21.csv.xz"
        );
        assert_eq!(
            template.date_of("sum_dados_2020_07_21.csv.xz"),
            Some(day("2020-07-21"))
        );
        assert_eq!(template.date_of("other_2020_07_21.csv.xz"), None);
        assert_eq!(Template::of("https://x.org/a.csv").unwrap(), None);
        assert!(Template::of("https://x.org/{date:%Y.csv").is_err());
    }

    /// Tries a walk against the editions `published`; the days tried.
    fn tried(newest: Option<&str>, today: &str, published: &[&str]) -> (Vec<NaiveDate>, usize) {
        let published: Vec<NaiveDate> = published.iter().map(|d| day(d)).collect();
        let tried = RefCell::new(0);
        let hits = futures_util::FutureExt::now_or_never(walk(newest.map(day), day(today), |d| {
            *tried.borrow_mut() += 1;
            let hit = published.contains(&d).then_some(d);
            async move { Ok(hit) }
        }))
        .unwrap()
        .unwrap();
        (hits, tried.into_inner())
    }

    #[test]
    fn the_walk_follows_the_editions_and_stops_after_the_look_ahead() {
        // Weekly, then silence: every day up to 21 after the last, then
        // the 21 days before today.
        let (hits, tried_days) = tried(
            Some("2020-07-21"),
            "2026-12-04",
            &["2020-07-29", "2020-08-03", "2020-08-10"],
        );
        assert_eq!(
            hits,
            [day("2020-07-29"), day("2020-08-03"), day("2020-08-10")]
        );
        assert_eq!(tried_days, 20 + 21 + 21);
        // A source that resumed recently is found again.
        let (hits, _) = tried(Some("2020-07-21"), "2026-12-04", &["2026-11-30"]);
        assert_eq!(hits, [day("2026-11-30")]);
        // Up to date: nothing to try.
        assert_eq!(tried(Some("2026-12-04"), "2026-12-04", &[]).1, 0);
        // Nothing held: the last 21 days.
        assert_eq!(tried(None, "2026-12-04", &[]).1, 21);
    }
}
