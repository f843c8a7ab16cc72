//! The state page's nowcast chart: SIVEP-Gripe's weekly SRAG
//! hospitalisations as reported so far (bars), the estimate of what each
//! week will reach once every notification is in (a line, with its 50 % and
//! 90 % bands over the weeks still arriving, set apart as such) and the two
//! weeks ahead (a dashed continuation with its bands). Its table carries the
//! same columns, so the download is what the chart draws.

use crate::{
    charts::{Band, Figure, Line, Mark, Span, figure_chart},
    format::date_br,
    i18n::Lang,
    indicators::NowcastSeries,
    state_view::Chart,
};

/// The estimate differs visibly from the count when it exceeds it by this
/// share: the weeks from the first such one on are set apart as arriving.
const VISIBLE: f64 = 0.01;

/// Colours (of [`crate::charts`]'s palette): the counts in blue, the
/// estimate and outlook in vermillion.
const REPORTED: usize = 0;
const ESTIMATE: usize = 1;

/// The nowcast chart of `series`; `None` before the first nowcast.
pub fn nowcast_chart(series: &NowcastSeries, lang: Lang) -> Option<Chart> {
    let s = lang.strings();
    let vintage = series.vintage?;
    if series.weeks.is_empty() {
        return None;
    }
    let line = |label: &str, points, mark, colour| Line {
        label: label.to_owned(),
        points,
        mark,
        colour: Some(colour),
    };
    let weeks = &series.weeks;
    let outlook = &series.outlook;
    // The bounds run over the nowcast's weeks, then the outlook's.
    let bound = |pick: fn(f64, f64, f64, f64) -> f64| -> Vec<_> {
        weeks
            .iter()
            .map(|w| (w.week, pick(w.low_50, w.high_50, w.low_90, w.high_90)))
            .chain(
                outlook
                    .iter()
                    .map(|o| (o.week, pick(o.low_50, o.high_50, o.low_90, o.high_90))),
            )
            .collect()
    };
    let [low_50, high_50, low_90, high_90] = s.nowcast_bounds;
    let lines = vec![
        line(
            s.nowcast_reported,
            weeks.iter().map(|w| (w.week, w.reported as f64)).collect(),
            Mark::Bars,
            REPORTED,
        ),
        line(
            s.nowcast_median,
            weeks.iter().map(|w| (w.week, w.median)).collect(),
            Mark::Solid(3),
            ESTIMATE,
        ),
        line(
            s.nowcast_outlook,
            outlook.iter().map(|o| (o.week, o.median)).collect(),
            Mark::Dashed { joins: Some(1) },
            ESTIMATE,
        ),
        line(low_50, bound(|l, _, _, _| l), Mark::Bound, ESTIMATE),
        line(high_50, bound(|_, h, _, _| h), Mark::Bound, ESTIMATE),
        line(low_90, bound(|_, _, l, _| l), Mark::Bound, ESTIMATE),
        line(high_90, bound(|_, _, _, h| h), Mark::Bound, ESTIMATE),
    ];
    let bands = vec![
        Band {
            label: String::new(),
            low: 5,
            high: 6,
            colour: ESTIMATE,
            opacity: 0.15,
        },
        Band {
            label: s.nowcast_band.to_owned(),
            low: 3,
            high: 4,
            colour: ESTIMATE,
            opacity: 0.3,
        },
    ];
    let last = weeks.last().map(|w| w.week)?;
    let span = weeks
        .iter()
        .find(|w| w.median > w.reported as f64 * (1.0 + VISIBLE))
        .map(|w| Span {
            from: w.week,
            to: last,
            label: s.nowcast_arriving.to_owned(),
        });
    let figure = Figure {
        lines,
        bands,
        span,
        legend: None,
    };
    let mut chart = figure_chart("nowcast", s.chart_nowcast, figure, false, s.numbers);
    let mut note = format!("{} {}.", s.trends_vintage, date_br(vintage));
    if let Some(trend) = &series.trend {
        note.push_str(&format!(
            " {}: {} ({} {}; {} {}).",
            s.trends_short,
            s.trend(trend.short_class),
            s.trends_p_increase.to_lowercase(),
            s.numbers.percent(trend.short_p_increase),
            s.numbers.change(trend.short_growth),
            s.nowcast_per_week,
        ));
    }
    chart.note = Some(note);
    chart.doc = Some(series.doc.clone());
    chart.forecast_from = outlook.first().map(|o| o.week);
    Some(chart)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveDate};

    use super::*;
    use crate::{
        catalog::vocabulary::{SragMeasure, TrendClass},
        indicators::{NowcastWeek, OutlookWeek, SragTrend},
    };

    fn week(week: NaiveDate, reported: i64, spread: f64) -> NowcastWeek {
        let median = reported as f64 * (1.0 + spread);
        NowcastWeek {
            uf: "SP".into(),
            measure: SragMeasure::Srag,
            week,
            vintage: NaiveDate::from_ymd_opt(2020, 8, 3).unwrap(),
            weeks_back: 0,
            reported,
            median,
            low_50: median * 0.95,
            high_50: median * 1.05,
            low_90: reported as f64,
            high_90: median * 1.2,
            complete: spread == 0.0,
        }
    }

    fn series() -> NowcastSeries {
        let sunday = NaiveDate::from_ymd_opt(2020, 6, 7).unwrap();
        let weeks: Vec<_> = [(900, 0.0), (1000, 0.0), (800, 0.3), (300, 2.0)]
            .into_iter()
            .enumerate()
            .map(|(i, (n, spread))| week(sunday + Duration::weeks(i as i64), n, spread))
            .collect();
        let last = weeks.last().unwrap().week;
        let outlook = (1..=2)
            .map(|ahead| OutlookWeek {
                uf: "SP".into(),
                measure: SragMeasure::Srag,
                vintage: weeks[0].vintage,
                week: last + Duration::weeks(ahead),
                weeks_ahead: ahead,
                median: 950.0,
                low_50: 900.0,
                high_50: 1000.0,
                low_90: 800.0,
                high_90: 1200.0,
            })
            .collect();
        NowcastSeries {
            vintage: Some(weeks[0].vintage),
            method: "chain-ladder".into(),
            doc: "/api/v1/docs/nowcast.md".into(),
            weeks,
            outlook,
            trend: Some(SragTrend {
                uf: "SP".into(),
                measure: SragMeasure::Srag,
                vintage: NaiveDate::from_ymd_opt(2020, 8, 3).unwrap(),
                week: last,
                short_growth: 0.06,
                short_p_increase: 0.82,
                short_class: TrendClass::LikelyIncrease,
                long_growth: 0.01,
                long_p_increase: 0.6,
                long_class: TrendClass::Stable,
            }),
        }
    }

    #[test]
    fn reported_bars_estimate_bands_and_a_dashed_outlook_share_one_table() {
        let chart = nowcast_chart(&series(), Lang::Pt).unwrap();
        assert_eq!(
            chart.columns,
            [
                "Notificadas",
                "Estimativa",
                "Previsão",
                "50 %: mín.",
                "50 %: máx.",
                "90 %: mín.",
                "90 %: máx."
            ]
        );
        // Four weeks of data, two ahead: the outlook has no count.
        assert_eq!(chart.rows.len(), 6);
        let newest = &chart.rows[3].1;
        assert_eq!(newest[0], Some(300.0));
        assert_eq!(newest[1], Some(900.0));
        assert_eq!(newest[2], None);
        let ahead = &chart.rows[4].1;
        assert_eq!(ahead[..3], [None, None, Some(950.0)]);
        assert_eq!(ahead[5..], [Some(800.0), Some(1200.0)]);
        assert_eq!(chart.forecast_from, Some(chart.rows[4].0));
        // Drawn: 4 bars, a dashed outlook, two band polygons, and the
        // weeks still arriving set apart under their name.
        assert!(chart.svg.contains("estimativa: dados ainda chegando"));
        // The estimate is one vermillion line; the outlook, dashes of it
        // (each a line of two points), and so is its legend.
        let dashes = chart
            .svg
            .split("<polyline")
            .filter(|l| {
                l.contains("#D55E00")
                    && l.split("points=\"").nth(1).is_some_and(|p| {
                        p.split(' ')
                            .filter(|x| !x.is_empty() && !x.starts_with('"'))
                            .count()
                            == 2
                    })
            })
            .count();
        assert!(dashes > 3, "{}", chart.svg);
        assert!(chart.svg.matches("<polygon").count() >= 2, "{}", chart.svg);
        let note = chart.note.unwrap();
        assert!(
            note.contains("provável aumento") && note.contains("82"),
            "{note}"
        );
        assert!(note.contains("03/08/2020"), "{note}");
        assert_eq!(chart.doc.as_deref(), Some("/api/v1/docs/nowcast.md"));
    }

    #[test]
    fn no_chart_before_the_first_nowcast() {
        assert!(nowcast_chart(&NowcastSeries::default(), Lang::Pt).is_none());
    }
}
