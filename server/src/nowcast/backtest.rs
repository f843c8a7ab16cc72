//! The backtest: the model replayed with rolling origin over the vintages
//! of a triangle, and scored. From the 8th vintage on, each vintage's nowcast
//! (made with the vintages up to it only) of the weeks 0–5 weeks back is
//! compared with the truth, the newest vintage's count of weeks that ended
//! at least 8 weeks before it; so is the naive count (what was reported),
//! and the outlook against persistence.

use std::{
    fmt,
    time::{Duration, Instant},
};

use app::catalog::vocabulary::{Place, SragMeasure};
use chrono::NaiveDate;

use super::{
    METHOD,
    errors::Quantiles,
    outlook::{AHEAD, Method},
    replay::{Origin, replay},
    triangle::{SeriesKey, Triangle, delay},
};

/// The index of the first vintage scored (the 8th).
pub const FIRST_ORIGIN: usize = 7;
/// Weeks a week must have ended before the newest vintage to be a truth.
pub const TRUTH_AGE: usize = 8;
/// Weeks back scored: 0 (the week that just ended) to 5.
pub const WEEKS_BACK: usize = 6;

/// A scored estimate: what was said of a week, and what it turned out.
#[derive(Clone, Debug)]
struct Case {
    key: SeriesKey,
    /// Weeks back (nowcast) or ahead (outlook).
    step: usize,
    /// What was reported so far (nowcast only).
    reported: f64,
    said: Quantiles,
    truth: f64,
    method: Option<Method>,
}

/// Scores of a group of cases.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    pub cases: usize,
    /// Median absolute relative error of the median, and of the count
    /// reported so far (over the cases with a truth above zero).
    pub error: f64,
    pub naive_error: f64,
    /// Shares of truths inside the 50 % and 90 % intervals.
    pub coverage50: f64,
    pub coverage90: f64,
    /// Mean weighted interval score.
    pub wis: f64,
}

impl Scores {
    /// The nowcast's error over the naive count's.
    pub fn ratio(&self) -> f64 {
        self.error / self.naive_error
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_unstable_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

fn scores<'a>(cases: impl Iterator<Item = &'a Case>) -> Scores {
    let cases: Vec<&Case> = cases.collect();
    let n = cases.len() as f64;
    let relative = |value: fn(&Case) -> f64| {
        median(
            cases
                .iter()
                .filter(|c| c.truth > 0.0)
                .map(|c| (value(c) - c.truth).abs() / c.truth)
                .collect(),
        )
    };
    let inside = |interval: fn(&Quantiles) -> (f64, f64)| {
        let count = cases
            .iter()
            .filter(|c| {
                let (low, high) = interval(&c.said);
                low <= c.truth && c.truth <= high
            })
            .count();
        count as f64 / n
    };
    Scores {
        cases: cases.len(),
        error: relative(|c| c.said.median()),
        naive_error: relative(|c| c.reported),
        coverage50: inside(Quantiles::inner),
        coverage90: inside(Quantiles::outer),
        wis: cases.iter().map(|c| c.said.wis(c.truth)).sum::<f64>() / n,
    }
}

/// What the backtest read from its folder.
#[derive(Clone, Copy, Debug)]
pub struct Input {
    /// Summary rows read, and rows the parser rejected.
    pub rows: u64,
    pub rejects: u64,
    /// Triangle cells of events of no known state (left out).
    pub unplaced: u64,
    pub time: Duration,
}

/// A replay scored.
#[derive(Debug)]
pub struct Backtest {
    pub input: Option<Input>,
    pub vintages: Vec<NaiveDate>,
    /// Vintages with at least one week scored.
    pub origins: usize,
    nowcasts: Vec<Case>,
    outlooks: Vec<Case>,
    pub replayed: Duration,
    /// The model at every vintage (the newest is what would be published).
    pub replay: Vec<Origin>,
}

/// Replays the model over a triangle and scores it.
pub fn score(triangle: &Triangle) -> Backtest {
    let started = Instant::now();
    let mut backtest = scored(triangle, replay(triangle));
    backtest.replayed = started.elapsed();
    backtest
}

/// Scores the model as `replay`ed over a triangle.
pub fn scored(triangle: &Triangle, replay: Vec<Origin>) -> Backtest {
    let started = Instant::now();
    let newest = triangle.newest();
    let truth = |key: SeriesKey, week: NaiveDate| {
        delay(week, newest)
            .filter(|&d| d >= TRUTH_AGE)
            .map(|_| triangle.reported(key, week) as f64)
    };
    let (mut nowcasts, mut outlooks) = (Vec::new(), Vec::new());
    let mut origins = 0;
    for origin in replay.iter().skip(FIRST_ORIGIN) {
        let before = nowcasts.len();
        for estimate in origin.nowcast.iter().filter(|e| e.delay < WEEKS_BACK) {
            if let Some(truth) = truth(estimate.key, estimate.week) {
                nowcasts.push(Case {
                    key: estimate.key,
                    step: estimate.delay,
                    reported: estimate.reported as f64,
                    said: estimate.eventual,
                    truth,
                    method: None,
                });
            }
        }
        origins += usize::from(nowcasts.len() > before);
        for forecast in &origin.outlooks {
            if let Some(truth) = truth(forecast.key, forecast.week) {
                outlooks.push(Case {
                    key: forecast.key,
                    step: forecast.ahead,
                    reported: f64::NAN,
                    said: forecast.eventual,
                    truth,
                    method: Some(forecast.method),
                });
            }
        }
    }
    Backtest {
        input: None,
        vintages: triangle.vintages().to_vec(),
        origins,
        nowcasts,
        outlooks,
        replayed: started.elapsed(),
        replay,
    }
}

fn is_state(case: &&Case) -> bool {
    case.key.place != Place::Brazil
}

impl Backtest {
    /// The nowcast's scores `weeks_back` weeks back, pooled over the
    /// states, of one measure or all.
    pub fn pooled(&self, weeks_back: usize, measure: Option<SragMeasure>) -> Scores {
        scores(
            self.nowcasts
                .iter()
                .filter(is_state)
                .filter(|c| c.step == weeks_back && measure.is_none_or(|m| c.key.measure == m)),
        )
    }

    /// The nowcast's scores of one place, all measures.
    pub fn place(&self, place: Place, weeks_back: usize) -> Scores {
        scores(
            self.nowcasts
                .iter()
                .filter(|c| c.key.place == place && c.step == weeks_back),
        )
    }

    /// The outlook's scores by `method`, pooled over the states, `ahead`
    /// weeks ahead (or both), of one measure or all.
    pub fn outlook(
        &self,
        method: Method,
        ahead: Option<usize>,
        measure: Option<SragMeasure>,
    ) -> Scores {
        scores(self.outlooks.iter().filter(is_state).filter(|c| {
            c.method == Some(method)
                && ahead.is_none_or(|a| c.step == a)
                && measure.is_none_or(|m| c.key.measure == m)
        }))
    }

    /// The outlook's mean WIS over persistence's, on the same weeks.
    pub fn relative_wis(&self, ahead: Option<usize>, measure: Option<SragMeasure>) -> f64 {
        self.outlook(Method::DampedTrend, ahead, measure).wis
            / self.outlook(Method::Persistence, ahead, measure).wis
    }
}

fn percent(value: f64) -> String {
    format!("{:5.1}%", 100.0 * value)
}

fn scores_line(f: &mut fmt::Formatter<'_>, label: &str, d: usize, s: &Scores) -> fmt::Result {
    writeln!(
        f,
        "{label:<8} {d:>2} {:>6} {} {} {:>6.3} {} {} {:>10.1}",
        s.cases,
        percent(s.error),
        percent(s.naive_error),
        s.ratio(),
        percent(s.coverage50),
        percent(s.coverage90),
        s.wis
    )
}

const HEADER: &str = "         d  cases  error  naive   ratio  cov50  cov90        WIS";

impl fmt::Display for Backtest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, newest) = (self.vintages[0], self.vintages[self.vintages.len() - 1]);
        writeln!(
            f,
            "Nowcast backtest of {METHOD}: {} vintages ({first} … {newest}); rolling origin \
             from the {}th vintage ({} vintages with weeks scored); truth: the {newest} \
             vintage's count of weeks ended at least {TRUTH_AGE} weeks before it.",
            self.vintages.len(),
            FIRST_ORIGIN + 1,
            self.origins,
        )?;
        writeln!(
            f,
            "error = median absolute relative error of the nowcast's median; naive = of the \
             count reported so far; ratio = error / naive; cov50, cov90 = share of truths in \
             the 50 % and 90 % intervals; WIS = mean weighted interval score (events).\n"
        )?;
        writeln!(f, "Pooled over the 27 states\n{HEADER}")?;
        for measure in std::iter::once(None).chain(SragMeasure::ALL.iter().copied().map(Some)) {
            let label = measure.map_or("all", SragMeasure::code);
            for d in 0..WEEKS_BACK {
                scores_line(f, label, d, &self.pooled(d, measure))?;
            }
        }
        writeln!(f, "\nPer place, all measures\n{HEADER}")?;
        for place in Place::all() {
            for d in 0..WEEKS_BACK {
                scores_line(f, place.code(), d, &self.place(place, d))?;
            }
        }
        writeln!(
            f,
            "\nTwo-week outlook ({} against {}), pooled over the states\n\
             measure  ahead  cases  relative WIS  cov50  cov90",
            Method::DampedTrend.name(),
            Method::Persistence.name()
        )?;
        for measure in std::iter::once(None).chain(SragMeasure::ALL.iter().copied().map(Some)) {
            let label = measure.map_or("all", SragMeasure::code);
            for ahead in (1..=AHEAD).map(Some).chain([None]) {
                let s = self.outlook(Method::DampedTrend, ahead, measure);
                writeln!(
                    f,
                    "{label:<8} {:>5} {:>6} {:>13.3} {} {}",
                    ahead.map_or("1–2".to_owned(), |a| a.to_string()),
                    s.cases,
                    self.relative_wis(ahead, measure),
                    percent(s.coverage50),
                    percent(s.coverage90),
                )?;
            }
        }
        if let Some(input) = self.input {
            writeln!(
                f,
                "\nRead: {} summary rows ({} rejected; {} triangle cells of no known state \
                 left out) in {:.1} s.",
                input.rows,
                input.rejects,
                input.unplaced,
                input.time.as_secs_f64()
            )?;
        }
        writeln!(
            f,
            "Replayed and scored in {:.1} s.",
            self.replayed.as_secs_f64()
        )
    }
}
