//! The nowcast on the real weekly vintages of `../shared/history/sivep`:
//! the triangle against an independent reading of the files, the
//! properties every estimate keeps, corrections, and the backtest.

use std::{io::Read, path::PathBuf};

use app::catalog::vocabulary::{Place, SragMeasure, TrendClass, Uf};
use chrono::{Datelike, NaiveDate};
use sentinela::ingest::silver::vintage_folder as folder;
use sentinela::nowcast::{
    backtest::{self, Backtest},
    completion::HORIZON,
    replay::{Origin, replay},
    triangle::{SeriesKey, Triangle},
};

use crate::support::shared_data;

fn history() -> PathBuf {
    shared_data().join("../history/sivep")
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A naive reading of one vintage, apart from the parser: the sum of one
/// column (by position in the header) over the rows of the states
/// accepted, with event dates in the epidemiological week starting on
/// `week`.
fn naive_sum(vintage: &str, column: &str, states: &[&str], week: NaiveDate) -> i64 {
    let path = history().join(format!("sum_dados_{vintage}.csv.xz"));
    let mut text = String::new();
    liblzma::read::XzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|h| h.trim_matches('"').to_owned())
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (date, uf, value) = (at("dt_evento"), at("sg_uf"), at(column));
    lines
        .map(|line| {
            line.split(',')
                .map(|f| f.trim_matches('"'))
                .collect::<Vec<_>>()
        })
        .filter(|f| states.contains(&f[uf]))
        .filter(|f| {
            let d: NaiveDate = f[date].parse().unwrap();
            d - chrono::Duration::days(d.weekday().num_days_from_sunday().into()) == week
        })
        .map(|f| f[value].parse::<i64>().unwrap())
        .sum()
}

fn key(place: &str, measure: SragMeasure) -> SeriesKey {
    SeriesKey {
        place: Uf::parse(place).map_or(Place::Brazil, Place::State),
        measure,
    }
}

fn index(triangle: &Triangle, vintage: &str) -> usize {
    triangle
        .vintages()
        .iter()
        .position(|v| *v == day(vintage))
        .unwrap()
}

/// The replay of every vintage: the triangle, and every vintage's
/// nowcast, outlook and trends, scored.
#[test]
fn the_nowcast_on_the_real_vintages() {
    let read = folder::read(&history()).unwrap();
    assert_eq!(read.rejects, 0);
    let triangle = read.triangle;
    assert_eq!(triangle.vintages().len(), 27);

    // Cells against the files read naively, apart from the parser, and
    // against `xzcat sum_dados_<vintage>.csv.xz | awk -F, '<state and week>
    // {s += $<column>} END {print s}'` run by hand (Brazil: every row with
    // a state, `$4 != "NA"`).
    let all_states: Vec<&str> = Uf::all().map(Uf::code).collect();
    for (vintage, place, measure, column, week, by_awk) in [
        (
            "2020_07_29",
            "AP",
            SragMeasure::Deaths,
            "ob.srag",
            "2020-07-12",
            15,
        ),
        (
            "2020_11_10",
            "",
            SragMeasure::Covid,
            "covid",
            "2020-10-04",
            7_773,
        ),
    ] {
        let states = if place.is_empty() {
            all_states.clone()
        } else {
            vec![place]
        };
        let at = index(&triangle, &vintage.replace('_', "-"));
        let cell = triangle.count(key(place, measure), day(week), at);
        assert_eq!(cell, by_awk, "{place} {column} {week} at {vintage}");
        assert_eq!(cell, naive_sum(vintage, column, &states, day(week)));
    }
    // São Paulo's week of 2020-07-12 as the ingest's test has it (computed
    // with Python's csv): 4,287 hospitalisations on 07-21, 10,535 at the end.
    let sp = key("SP", SragMeasure::Srag);
    assert_eq!(
        triangle.count(sp, day("2020-07-12"), index(&triangle, "2020-07-21")),
        4_287
    );
    assert_eq!(triangle.reported(sp, day("2020-07-12")), 10_535);

    // Real corrections: cells a later vintage holds fewer of. They teach
    // no negative growth.
    let mut corrections = 0;
    for key in SeriesKey::all() {
        for week in triangle.weeks(key).collect::<Vec<_>>() {
            for at in 1..triangle.vintages().len() {
                if triangle.count(key, week, at) < triangle.count(key, week, at - 1) {
                    corrections += 1;
                    assert_eq!(triangle.increment(key, week, at - 1, at), 0);
                }
            }
        }
    }
    assert!(corrections > 0, "the real vintages hold corrections");

    let backtest = backtest::score(&triangle);
    check_every_estimate(&backtest);

    // No look-ahead: the model at a vintage is the same computed from the
    // vintages up to it only.
    let at = 12;
    let alone = replay(&triangle.until(at)).pop().unwrap();
    let within = &backtest.replay[at];
    assert_eq!(alone.vintage, within.vintage);
    let said = |origin: &Origin| -> (Vec<_>, Vec<_>) {
        (
            origin.nowcast.iter().map(|e| e.eventual).collect(),
            origin.outlooks.iter().map(|f| f.eventual).collect(),
        )
    };
    assert_eq!(said(&alone), said(within));

    // The nowcast beats the naive count where it matters most.
    for d in [0, 1] {
        let pooled = backtest.pooled(d, None);
        assert!(pooled.cases > 500, "{pooled:?}");
        assert!(pooled.ratio() < 1.0, "d = {d}: {pooled:?}");
        assert!(
            (0.75..=0.99).contains(&pooled.coverage90),
            "d = {d}: {pooled:?}"
        );
    }
    // The outlook beats persistence.
    assert!(backtest.relative_wis(None, None) < 1.0);

    // Trends: one per series, deterministic, classed by probability.
    let newest = backtest.replay.last().unwrap();
    let trends = newest.trends();
    assert_eq!(trends.len(), SeriesKey::all().count());
    for (trend, again) in trends.iter().zip(newest.trends()) {
        for growth in [trend.short, trend.long] {
            assert!((0.0..=1.0).contains(&growth.p_increase));
            assert_eq!(growth.class, TrendClass::of(growth.p_increase));
        }
        assert_eq!(trend.short, again.short);
        assert_eq!(trend.long, again.long);
    }
}

/// Every estimate of every vintage, every place and measure: never below
/// its count, its intervals ordered around its median, and weeks past the
/// horizon equal to their count.
fn check_every_estimate(backtest: &Backtest) {
    for origin in &backtest.replay {
        assert!(!origin.nowcast.is_empty());
        for estimate in &origin.nowcast {
            let reported = estimate.reported as f64;
            let q = estimate.eventual.values;
            assert!(q[0] >= reported, "{estimate:?}");
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "{estimate:?}");
            if estimate.delay >= HORIZON {
                assert!(estimate.complete);
                assert_eq!(q, [reported; 5], "{estimate:?}");
            } else {
                assert!(!estimate.complete);
            }
        }
        for forecast in &origin.outlooks {
            let q = forecast.eventual.values;
            assert!(q[0] >= 0.0 && q.windows(2).all(|w| w[0] <= w[1]));
        }
    }
}

/// A folder with two files of one vintage, or a corrupt one, is refused
/// with the file named.
#[test]
fn a_folder_of_vintages_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let original = history().join("sum_dados_2020_07_21.csv.xz");
    std::fs::copy(&original, dir.path().join("sum_dados_2020_07_21.csv.xz")).unwrap();
    std::fs::copy(
        &original,
        dir.path().join("sum_dados_2020_07_21_copy.csv.xz"),
    )
    .unwrap();
    let error = format!("{:#}", folder::read(dir.path()).unwrap_err());
    assert!(error.contains("same vintage"), "{error}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sum_dados_2020_07_21.csv.xz"), b"not xz").unwrap();
    let error = format!("{:#}", folder::read(dir.path()).unwrap_err());
    assert!(error.contains("sum_dados_2020_07_21.csv.xz"), "{error}");

    let empty = tempfile::tempdir().unwrap();
    assert!(folder::read(empty.path()).is_err());
}
