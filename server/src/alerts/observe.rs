//! What the rules' metrics read of gold on the newest data date: every
//! state's occupancy (and 7 days before, for its change in p.p.), the
//! watched hospitals' occupancy (their `change_7d`), and the states' SRAG
//! trend class of the newest nowcast vintage. One read per family, however
//! many rules there are.

use std::collections::{HashMap, HashSet};

use anyhow::Context;
use app::catalog::{
    GoldTable,
    alerts::{Metric, Observation, Target},
    vocabulary::{BedStatus, Place, SragMeasure, Uf},
};
use chrono::{Days, NaiveDate};

use app::indicators::SragTrend;

use crate::store::{AlertRule, Filter, NowcastQuery, Page, Store};

/// A target's metric as seen on a data date.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seen {
    pub data_date: NaiveDate,
    pub observation: Observation,
}

/// What was seen of each (target, metric) the rules watch; absent when
/// gold has nothing for it.
pub type Observations = HashMap<(Target, Metric), Seen>;

/// Reads what `rules` watch.
pub async fn observe<'a>(
    store: &Store,
    rules: impl IntoIterator<Item = &'a AlertRule>,
) -> anyhow::Result<Observations> {
    let wanted: HashSet<(Target, Metric)> = rules
        .into_iter()
        .map(|rule| (rule.spec.target.clone(), rule.spec.metric))
        .collect();
    let mut seen = Observations::new();
    if wanted.iter().any(|(t, m)| is_state_occupancy(t, m)) {
        state_occupancy(store, &mut seen).await?;
    }
    let hospitals: Vec<String> = wanted
        .iter()
        .filter_map(|(target, metric)| match (target, metric) {
            (Target::Hospital(cnes), Metric::Occupancy { .. }) => Some(cnes.clone()),
            _ => None,
        })
        .collect();
    if !hospitals.is_empty() {
        hospital_occupancy(store, &hospitals, &mut seen).await?;
    }
    if wanted.iter().any(|(_, m)| *m == Metric::SragTrend) {
        srag_trends(store, &mut seen).await?;
    }
    seen.retain(|key, _| wanted.contains(key));
    Ok(seen)
}

fn is_state_occupancy(target: &Target, metric: &Metric) -> bool {
    matches!(
        (target, metric),
        (Target::State(_), Metric::Occupancy { .. })
    )
}

/// A change of a rate, in percentage points.
fn points(now: f64, before: f64) -> f64 {
    (now - before) * 100.0
}

async fn state_occupancy(store: &Store, seen: &mut Observations) -> anyhow::Result<()> {
    let Some(newest) = store
        .newest_date(GoldTable::OccupancyState, &Filter::default())
        .await
        .context("reading the newest occupancy date")?
    else {
        return Ok(());
    };
    let week_before = newest - Days::new(7);
    let before: HashMap<_, f64> = store
        .occupancy_on(week_before)
        .await
        .context("reading occupancy a week before")?
        .into_iter()
        .map(|day| ((day.uf, day.bed_class, day.scope), day.rate))
        .collect();
    for day in store
        .occupancy_on(newest)
        .await
        .context("reading the newest occupancy")?
    {
        let Some(uf) = Uf::parse(&day.uf) else {
            continue;
        };
        let change_pp = before
            .get(&(day.uf.clone(), day.bed_class, day.scope))
            .map(|then| points(day.rate, *then));
        let metric = Metric::Occupancy {
            bed_class: day.bed_class,
            scope: day.scope,
        };
        seen.insert(
            (Target::State(uf), metric),
            Seen {
                data_date: newest,
                observation: Observation {
                    value: Some(day.rate),
                    change_pp,
                    class: None,
                },
            },
        );
    }
    Ok(())
}

async fn hospital_occupancy(
    store: &Store,
    cnes: &[String],
    seen: &mut Observations,
) -> anyhow::Result<()> {
    let Some(newest) = store
        .newest_date(GoldTable::OccupancyHospital, &Filter::default())
        .await
        .context("reading the newest hospital date")?
    else {
        return Ok(());
    };
    let filter = Filter::default()
        .between("date", newest, newest)
        .any_of("cnes", cnes);
    let rows = store
        .hospital_series(&filter, Page::ALL)
        .await
        .context("reading the watched hospitals")?
        .rows;
    for row in rows {
        let counted = row.status == BedStatus::Counted;
        let metric = Metric::Occupancy {
            bed_class: row.bed_class,
            scope: row.scope,
        };
        seen.insert(
            (Target::Hospital(row.cnes), metric),
            Seen {
                data_date: newest,
                observation: Observation {
                    value: row.rate.filter(|_| counted),
                    change_pp: row.change_7d.filter(|_| counted),
                    class: None,
                },
            },
        );
    }
    Ok(())
}

async fn srag_trends(store: &Store, seen: &mut Observations) -> anyhow::Result<()> {
    let vintages = store
        .nowcast_vintages()
        .await
        .context("reading the nowcast vintages")?;
    let Some(vintage) = vintages.last().copied() else {
        return Ok(());
    };
    let places: Vec<Place> = Uf::all().map(Place::State).collect();
    let query = NowcastQuery {
        vintage,
        places: &places,
        measure: Some(SragMeasure::Srag),
    };
    let trends: Vec<SragTrend> = store
        .estimates(&query)
        .await
        .context("reading the newest trends")?;
    for trend in trends {
        let Some(uf) = Uf::parse(&trend.uf) else {
            continue;
        };
        seen.insert(
            (Target::State(uf), Metric::SragTrend),
            Seen {
                data_date: vintage,
                observation: Observation {
                    value: None,
                    change_pp: None,
                    class: Some(trend.short_class),
                },
            },
        );
    }
    Ok(())
}
