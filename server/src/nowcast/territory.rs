//! The SRAG trend of a sales territory: its whole states' nowcasts, read
//! back as the model held them (median, 50 % and 90 % intervals, never
//! below the count reported), summed week by week and trended as one
//! series ([`trend::growths`]), the states drawn independently of each
//! other as the weeks are.

use app::{
    catalog::territory::Territory,
    indicators::{NowcastWeek, SragTrend},
};
use chrono::NaiveDate;

use super::{
    errors::Quantiles,
    trend::{self, LONG},
};

/// The draws' seed: fixed, so the same nowcast gives the same trend.
const SEED: u64 = 29;

/// A stored week's eventual count, as the model held it.
fn eventual(week: &NowcastWeek) -> Quantiles {
    Quantiles {
        values: [
            week.low_90,
            week.low_50,
            week.median,
            week.high_50,
            week.high_90,
        ],
        floor: week.reported as f64,
    }
}

/// The trend of the sum of `territory`'s whole states from `weeks`, the
/// nowcast rows of one measure at one vintage (other places' rows are
/// ignored). `None` when it holds no state whole (a city's count is not
/// nowcast), or a state lacks one of the last [`LONG`] weeks.
pub fn trend(territory: &Territory, weeks: &[NowcastWeek]) -> Option<SragTrend> {
    let first = weeks.first()?;
    if territory.states.is_empty() {
        return None;
    }
    let mut ends: Vec<NaiveDate> = weeks.iter().map(|w| w.week).collect();
    ends.sort_unstable();
    ends.dedup();
    let last = &ends[ends.len().checked_sub(LONG)?..];
    let summed = last
        .iter()
        .map(|&week| {
            territory
                .states
                .iter()
                .map(|uf| {
                    weeks
                        .iter()
                        .find(|w| w.week == week && w.uf == uf.code())
                        .map(eventual)
                })
                .collect::<Option<Vec<Quantiles>>>()
        })
        .collect::<Option<Vec<_>>>()?;
    let (short, long) = trend::growths(&summed, SEED);
    Some(trend::row(
        territory.slug.clone(),
        (first.measure, first.vintage, last[LONG - 1]),
        short,
        long,
    ))
}

#[cfg(test)]
mod tests {
    use app::catalog::vocabulary::{SragMeasure, TrendClass, Uf};

    use super::*;

    /// `uf`'s weeks from `counts` (oldest first), each with a 90 % interval
    /// of ±`spread` × its count around it.
    fn series(uf: &str, counts: &[f64], spread: f64) -> Vec<NowcastWeek> {
        let start = NaiveDate::from_ymd_opt(2020, 11, 1).unwrap();
        counts
            .iter()
            .enumerate()
            .map(|(i, &count)| NowcastWeek {
                uf: uf.to_owned(),
                measure: SragMeasure::Srag,
                week: start + chrono::Duration::weeks(i as i64),
                vintage: NaiveDate::from_ymd_opt(2020, 12, 28).unwrap(),
                weeks_back: (counts.len() - 1 - i) as i64,
                reported: (count * 0.5) as i64,
                median: count,
                low_50: count * (1.0 - spread / 3.0),
                high_50: count * (1.0 + spread / 3.0),
                low_90: count * (1.0 - spread),
                high_90: count * (1.0 + spread),
                complete: false,
            })
            .collect()
    }

    fn territory(states: &[&str], cities: &[&str]) -> Territory {
        Territory {
            slug: "t".into(),
            name: "T".into(),
            states: states.iter().map(|uf| Uf::parse(uf).unwrap()).collect(),
            cities: cities.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn a_territory_follows_the_sum_of_its_states() {
        let rising = [100.0, 120.0, 140.0, 170.0, 200.0, 240.0];
        let falling = [50.0, 48.0, 46.0, 44.0, 42.0, 40.0];
        let mut weeks = series("SP", &rising, 0.2);
        weeks.extend(series("RJ", &falling, 0.2));
        weeks.extend(series("MG", &[9e9; 6], 0.2));
        let both = trend(&territory(&["SP", "RJ"], &[]), &weeks).unwrap();
        assert_eq!(both.uf, "t");
        assert_eq!(both.week, weeks[5].week);
        let sums: Vec<f64> = rising
            .iter()
            .zip(falling)
            .map(|(a, b)| (a + b).ln_1p())
            .collect();
        let growth = trend::line(&sums[3..]).0.exp_m1();
        assert!((both.short_growth - growth).abs() < 1e-12);
        assert!(both.short_p_increase > 0.95, "{both:?}");
        assert_eq!(both.short_class, TrendClass::Increase);
        // One state alone: that state's own trend.
        let alone = trend(&territory(&["RJ"], &[]), &weeks).unwrap();
        let own = trend::line(&falling.map(f64::ln_1p)[3..]).0.exp_m1();
        assert!((alone.short_growth - own).abs() < 1e-12);
        assert!(alone.short_p_increase < 0.5, "{alone:?}");
    }

    #[test]
    fn no_trend_without_whole_states_or_weeks() {
        let weeks = series("SP", &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 0.1);
        assert_eq!(trend(&territory(&[], &["3550308"]), &weeks), None);
        assert_eq!(trend(&territory(&["SP", "RJ"], &[]), &weeks), None);
        assert_eq!(trend(&territory(&["SP"], &[]), &weeks[1..]), None);
        assert_eq!(trend(&territory(&["SP"], &[]), &[]), None);
    }
}
