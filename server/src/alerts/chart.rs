//! The chart an alert e-mail shows inline: the watched figure over the 8
//! weeks to the firing's data date, with the rule's line when it is a
//! threshold, drawn by the pages' plotters code
//! ([`app::charts::watched_svg`]) and rasterised to PNG by resvg with the
//! system's fonts, since mail clients show no SVG. A trend class has no
//! chart. Reads go through the same store reads and sums as the rules'
//! figures ([`super::observe`]): a state's occupancy series, a hospital's
//! counted days, a city's or territory's counted hospitals by day, and
//! cases per 100k over 7 days summed over a place's members.

use std::{
    collections::HashMap,
    sync::{Arc, OnceLock},
};

use anyhow::{Context, bail};
use app::{
    alerts_view::metric_name,
    catalog::{
        alerts::{Condition, Metric, Target},
        vocabulary::BedStatus,
    },
    charts::watched_svg,
    format::BR,
    indicators::CasesDay,
};
use chrono::{Days, NaiveDate};
use resvg::{tiny_skia, usvg};

use super::observe::members;
use crate::{
    backend::territories::summed_per_100k,
    store::{AlertRule, Filter, Page, Places, Store},
    territories::Territories,
};

/// The days a chart covers: 8 weeks to the data date.
const DAYS: u64 = 55;

/// Fonts families tried, in order, for the charts' `sans-serif`.
const SANS: [&str; 3] = ["DejaVu Sans", "Liberation Sans", "Arial"];

/// The PNG of `rule`'s figure over the 8 weeks to `data_date`; `None` for
/// a trend class or without any point.
pub async fn png(
    store: &Store,
    territories: &Territories,
    rule: &AlertRule,
    data_date: NaiveDate,
) -> anyhow::Result<Option<Vec<u8>>> {
    let metric = rule.spec.metric;
    if metric == Metric::SragTrend {
        return Ok(None);
    }
    let points = series(store, territories, rule, data_date).await?;
    let line = match rule.spec.condition {
        Condition::AtLeast(x) | Condition::AtMost(x) => Some(("linha do alerta", x)),
        _ => None,
    };
    match watched_svg(metric_name(metric), points, line, metric.is_rate(), BR) {
        Some(svg) => rasterise(&svg).map(Some),
        None => Ok(None),
    }
}

/// The watched figure by day, from 8 weeks before `to` to `to` (a trend
/// class has none).
pub async fn series(
    store: &Store,
    territories: &Territories,
    rule: &AlertRule,
    to: NaiveDate,
) -> anyhow::Result<Vec<(NaiveDate, f64)>> {
    let from = to - Days::new(DAYS);
    let days = || Filter::default().between("date", from, to);
    let target = &rule.spec.target;
    let (bed_class, scope) = match rule.spec.metric {
        Metric::Occupancy { bed_class, scope } => (bed_class, scope),
        Metric::CasesPer100k7d => return cases(store, territories, target, from, to).await,
        Metric::SragTrend => return Ok(Vec::new()),
    };
    let beds = |filter: Filter| {
        filter
            .eq("bed_class", bed_class.code())
            .eq("scope", scope.code())
    };
    Ok(match target {
        Target::State(uf) => store
            .occupancy(&beds(days().state(*uf)), Page::ALL)
            .await?
            .rows
            .into_iter()
            .map(|day| (day.date, day.rate))
            .collect(),
        Target::Hospital(cnes) => store
            .hospital_series(&beds(days().eq("cnes", cnes.as_str())), Page::ALL)
            .await?
            .rows
            .into_iter()
            .filter(|day| day.status == BedStatus::Counted)
            .filter_map(|day| Some((day.date, day.rate?)))
            .collect(),
        Target::City(code) => area(store, beds(days().eq("city_ibge", code.as_str()))).await?,
        Target::Territory(slug) => {
            let territory = territories
                .find(slug)
                .with_context(|| format!("no territory {slug:?} is configured"))?;
            area(store, beds(days().within(territory))).await?
        }
    })
}

/// The occupancy rate by day over the counted hospitals `filter` matches.
async fn area(store: &Store, filter: Filter) -> anyhow::Result<Vec<(NaiveDate, f64)>> {
    let counted = filter.eq("status", BedStatus::Counted.code());
    Ok(store
        .hospital_totals_by_day(&counted)
        .await?
        .into_iter()
        .filter(|&(_, offered, _)| offered > 0)
        .map(|(date, offered, occupied)| (date, occupied as f64 / offered as f64))
        .collect())
}

/// New cases per 100k over 7 days of `target`'s members, each day from
/// `from` to `to` on which every member has a row.
async fn cases(
    store: &Store,
    territories: &Territories,
    target: &Target,
    from: NaiveDate,
    to: NaiveDate,
) -> anyhow::Result<Vec<(NaiveDate, f64)>> {
    let Some((states, cities)) = members(target, territories) else {
        bail!("{} has no case series", target.code());
    };
    let mut by_day: HashMap<NaiveDate, HashMap<String, CasesDay>> = HashMap::new();
    for (places, column, codes) in [
        (Places::States, "uf", &states),
        (Places::Cities, "city_ibge", &cities),
    ] {
        if codes.is_empty() {
            continue;
        }
        let filter = Filter::default()
            .between("date", from, to)
            .any_of(column, codes);
        for row in store.cases(places, &filter, Page::ALL).await?.rows {
            by_day
                .entry(row.date)
                .or_default()
                .insert(row.place_code().to_owned(), row);
        }
    }
    let codes: Vec<&str> = states.iter().chain(&cities).map(String::as_str).collect();
    let mut points: Vec<(NaiveDate, f64)> = by_day
        .iter()
        .filter_map(|(date, rows)| Some((*date, summed_per_100k(rows, codes.clone()).1?)))
        .collect();
    points.sort_unstable_by_key(|point| point.0);
    Ok(points)
}

/// The parsing options with the system's fonts, loaded once.
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_system_fonts();
        let families: Vec<String> = fonts
            .faces()
            .flat_map(|face| face.families.iter().map(|(name, _)| name.clone()))
            .collect();
        match SANS.iter().find(|name| families.iter().any(|f| f == *name)) {
            Some(name) => fonts.set_sans_serif_family(*name),
            None => tracing::warn!("no sans-serif font found: alert charts without text"),
        }
        usvg::Options {
            fontdb: Arc::new(fonts),
            ..usvg::Options::default()
        }
    })
}

/// `svg` as a PNG, at its own size.
fn rasterise(svg: &str) -> anyhow::Result<Vec<u8>> {
    let tree = usvg::Tree::from_str(svg, options()).context("reading the chart's SVG")?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .context("allocating the chart's image")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().context("encoding the chart's PNG")
}
