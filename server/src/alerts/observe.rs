//! What the rules' metrics read of gold on the newest data date: every
//! state's occupancy (and 7 days before, for its change in p.p.), the
//! watched hospitals' occupancy (their `change_7d`), the watched cities'
//! and territories' occupancy over their counted hospitals, the watched
//! places' new cases per 100k over 7 days (and the 7 days before, for its
//! change in percent), and the SRAG trend class of the states and the
//! territories' whole states at the newest nowcast vintage. One read per
//! family and date for states, hospitals and cases, however many rules
//! there are; one per watched city or territory for their occupancy. A
//! territory's figures are those of its headline (`/territorios`).

use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::Context;
use app::{
    catalog::{
        GoldTable,
        alerts::{Metric, Observation, Target},
        vocabulary::{BedStatus, Place, SragMeasure, Uf},
    },
    indicators::{NowcastWeek, SragTrend},
};
use chrono::{Days, NaiveDate};

use crate::{
    backend::{
        nowcast,
        territories::{beds_rate, cases_on, summed_per_100k},
    },
    store::{AlertRule, Filter, NowcastQuery, Page, Store},
    territories::Territories,
};

/// A target's metric as seen on a data date.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Seen {
    pub data_date: NaiveDate,
    pub observation: Observation,
}

/// What was seen of each (target, metric) the rules watch; absent when
/// gold has nothing for it.
pub type Observations = HashMap<(Target, Metric), Seen>;

/// Reads what `rules` watch; a territory is read as `territories`
/// configures it (one no longer configured is not seen).
pub async fn observe<'a>(
    store: &Store,
    territories: &Territories,
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
    area_occupancy(store, territories, &wanted, &mut seen).await?;
    cases(store, territories, &wanted, &mut seen).await?;
    if wanted.iter().any(|(_, m)| *m == Metric::SragTrend) {
        srag_trends(store, territories, &wanted, &mut seen).await?;
    }
    seen.retain(|key, _| wanted.contains(key));
    Ok(seen)
}

/// The state codes and city codes whose figures `target` sums: a state,
/// a city, or a configured territory's states and its other cities.
pub(super) fn members(
    target: &Target,
    territories: &Territories,
) -> Option<(Vec<String>, Vec<String>)> {
    match target {
        Target::State(uf) => Some((vec![uf.code().to_owned()], Vec::new())),
        Target::City(code) => Some((Vec::new(), vec![code.clone()])),
        Target::Territory(slug) => territories.find(slug).map(|territory| {
            let states = territory.states.iter().map(|uf| uf.code().to_owned());
            let cities = territory.extra_cities().map(str::to_owned);
            (states.collect(), cities.collect())
        }),
        Target::Hospital(_) => None,
    }
}

/// The newest day of `table`; `None` while it is empty.
async fn newest_day(store: &Store, table: GoldTable) -> anyhow::Result<Option<NaiveDate>> {
    store
        .newest_date(table, &Filter::default())
        .await
        .with_context(|| format!("reading the newest day of {}", table.name()))
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
    let Some(newest) = newest_day(store, GoldTable::OccupancyState).await? else {
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
                    ..Observation::default()
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
    let Some(newest) = newest_day(store, GoldTable::OccupancyHospital).await? else {
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
                    ..Observation::default()
                },
            },
        );
    }
    Ok(())
}

/// The occupancy of the watched cities and territories over their
/// counted hospitals, on the hospitals' newest day and 7 days before.
async fn area_occupancy(
    store: &Store,
    territories: &Territories,
    wanted: &HashSet<(Target, Metric)>,
    seen: &mut Observations,
) -> anyhow::Result<()> {
    let areas: Vec<(&Target, Metric, Filter)> = wanted
        .iter()
        .filter_map(|(target, metric)| {
            let places = match target {
                Target::City(code) => Filter::default().eq("city_ibge", code.as_str()),
                Target::Territory(slug) => Filter::default().within(territories.find(slug)?),
                Target::State(_) | Target::Hospital(_) => return None,
            };
            metric.is_rate().then_some((target, *metric, places))
        })
        .collect();
    if areas.is_empty() {
        return Ok(());
    }
    let Some(newest) = newest_day(store, GoldTable::OccupancyHospital).await? else {
        return Ok(());
    };
    for (target, metric, places) in areas {
        let Metric::Occupancy { bed_class, scope } = metric else {
            continue;
        };
        let rate = |date| beds_rate(store, places.clone(), date, bed_class, scope);
        let now = rate(newest)
            .await
            .with_context(|| format!("reading the occupancy of {}", target.code()))?;
        let before = rate(newest - Days::new(7))
            .await
            .with_context(|| format!("reading the occupancy of {}", target.code()))?;
        let Some((_, value)) = now else {
            continue;
        };
        seen.insert(
            (target.clone(), metric),
            Seen {
                data_date: newest,
                observation: Observation {
                    value: Some(value),
                    change_pp: before.map(|(_, then)| points(value, then)),
                    ..Observation::default()
                },
            },
        );
    }
    Ok(())
}

/// The watched places' new cases per 100k over the 7 days to the states'
/// newest day, and their change in percent on the 7 days before.
async fn cases(
    store: &Store,
    territories: &Territories,
    wanted: &HashSet<(Target, Metric)>,
    seen: &mut Observations,
) -> anyhow::Result<()> {
    let targets: Vec<(&Target, Vec<String>)> = wanted
        .iter()
        .filter(|(_, metric)| *metric == Metric::CasesPer100k7d)
        .filter_map(|(target, _)| {
            let (states, cities) = members(target, territories)?;
            Some((target, states.into_iter().chain(cities).collect()))
        })
        .collect();
    if targets.is_empty() {
        return Ok(());
    }
    let Some(newest) = newest_day(store, GoldTable::CasesState).await? else {
        return Ok(());
    };
    let codes: BTreeSet<&str> = targets
        .iter()
        .flat_map(|(_, codes)| codes.iter().map(String::as_str))
        .collect();
    let (states, cities): (Vec<String>, Vec<String>) = codes
        .into_iter()
        .map(str::to_owned)
        .partition(|code| code.len() == 2);
    let now = cases_on(store, &states, &cities, newest)
        .await
        .context("reading the newest cases")?;
    let before = cases_on(store, &states, &cities, newest - Days::new(7))
        .await
        .context("reading cases a week before")?;
    for (target, codes) in targets {
        let per_100k = |rows| summed_per_100k(rows, codes.iter().map(String::as_str)).1;
        let Some(value) = per_100k(&now) else {
            continue;
        };
        let change_pct = per_100k(&before)
            .filter(|&then| then > 0.0)
            .map(|then| (value - then) / then * 100.0);
        seen.insert(
            (target.clone(), Metric::CasesPer100k7d),
            Seen {
                data_date: newest,
                observation: Observation {
                    value: Some(value),
                    change_pct,
                    ..Observation::default()
                },
            },
        );
    }
    Ok(())
}

/// The states' trend classes at the newest nowcast vintage, and those of
/// the watched territories' whole states summed.
async fn srag_trends(
    store: &Store,
    territories: &Territories,
    wanted: &HashSet<(Target, Metric)>,
    seen: &mut Observations,
) -> anyhow::Result<()> {
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
    let mut trends: Vec<(Target, SragTrend)> = store
        .estimates(&query)
        .await
        .context("reading the newest trends")?
        .into_iter()
        .filter_map(|trend: SragTrend| Some((Target::State(Uf::parse(&trend.uf)?), trend)))
        .collect();
    let watched: Vec<_> = wanted
        .iter()
        .filter_map(|(target, metric)| match (target, metric) {
            (Target::Territory(slug), Metric::SragTrend) => territories.find(slug),
            _ => None,
        })
        .collect();
    if !watched.is_empty() {
        let weeks: Vec<NowcastWeek> = nowcast::newest(store, SragMeasure::Srag)
            .await
            .context("reading the newest nowcast")?;
        trends.extend(watched.into_iter().filter_map(|territory| {
            let trend = crate::nowcast::territory::trend(territory, &weeks)?;
            Some((Target::Territory(territory.slug.clone()), trend))
        }));
    }
    for (target, trend) in trends {
        seen.insert(
            (target, Metric::SragTrend),
            Seen {
                data_date: vintage,
                observation: Observation {
                    class: Some(trend.short_class),
                    ..Observation::default()
                },
            },
        );
    }
    Ok(())
}
