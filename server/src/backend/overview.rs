//! The overview's figures, read from the gold tables through the same store
//! queries as the API: the country's week against the week before, national
//! occupancy of COVID/SRAG beds, SRAG shares over the four newest complete weeks, the state
//! map's values, every state's standing and the city rankings; with a sales
//! territory, the map, the states and the rankings keep to its places while
//! the headline stays the country's.

use std::collections::HashMap;

use app::{
    catalog::{
        GoldTable,
        domain::{MAP_VIEW_BOX, complete_weeks, ratio},
        territory::Territory,
        vocabulary::{BedClass, Metric, Place, PlaceKind, Scope, SragMeasure, Uf},
    },
    dashboard::{Change, Headline, MapArea, MapMetric, Overview},
    state_board::{MIN_WEEK_BASE, SILENT_DAYS, StateStanding},
};
use chrono::{Duration, NaiveDate};

use crate::store::{Direction, Filter, Page, Places, RankingQuery, Store, StoreError, keep_within};

/// Complete weeks of SRAG figures the overview's rates are computed on.
const SRAG_WEEKS: i64 = 4;

/// Reads every figure of the overview; with `territory`, only its states
/// (those it touches) are valued, listed and ranked, and only its cities.
pub async fn overview(
    store: &Store,
    metric: MapMetric,
    min_population: i64,
    territory: Option<&Territory>,
) -> Result<Overview, StoreError> {
    let touched = territory.map(Territory::touched_states);
    let inside = |uf: &str| {
        touched
            .as_ref()
            .is_none_or(|states| Uf::parse(uf).is_some_and(|uf| states.contains(&uf)))
    };
    let cases_as_of = store
        .newest_date(
            GoldTable::CasesState,
            &Filter::default().places(&[Place::Brazil]),
        )
        .await?;
    let occupancy_as_of = store
        .newest_date(GoldTable::OccupancyState, &Filter::default())
        .await?;
    let srag_end = store
        .newest_date(GoldTable::SragState, &Filter::default())
        .await?;
    let srag_period = srag_end.map(|end| complete_weeks(end, SRAG_WEEKS));

    let mut headline = Headline::default();
    if let Some(day) = cases_as_of {
        let (this_week, last_week) = brazil_weeks(store, day).await?;
        headline.cases_week = Some(change(this_week.0, last_week.0));
        headline.deaths_week = Some(change(this_week.1, last_week.1));
    }
    let (mut occupancy_now, mut occupancy_before) = (HashMap::new(), HashMap::new());
    if let Some(day) = occupancy_as_of {
        occupancy_now = occupancy_by_state(store, day).await?;
        occupancy_before = occupancy_by_state(store, day - Duration::days(7)).await?;
        headline.icu_rate = national_rate(&occupancy_now, &occupancy_before, BedClass::Icu);
        headline.clinical_rate =
            national_rate(&occupancy_now, &occupancy_before, BedClass::Clinical);
        let icu = occupancy_now
            .values()
            .filter(|o| o.bed_class == BedClass::Icu);
        (headline.hospitals, headline.stale) =
            icu.fold((0, 0), |(h, s), o| (h + o.hospitals, s + o.stale));
    }
    if let Some((from, to)) = srag_period {
        let totals = store.srag(Filter::default(), from, to).await?;
        let sum = |f: fn(&app::indicators::SragTotals) -> i64| totals.iter().map(f).sum::<i64>();
        let (hospitalised, confirmed, suspected) = (
            sum(|t| t.hospitalised),
            sum(|t| t.confirmed),
            sum(|t| t.suspected),
        );
        headline.confirmed_share = ratio(confirmed, hospitalised);
        headline.death_rate_confirmed = ratio(sum(|t| t.deaths_confirmed), confirmed);
        headline.death_rate_suspected = ratio(sum(|t| t.deaths_suspected), suspected);
    }

    let values = map_values(store, metric, &occupancy_now).await?;
    let silent = match cases_as_of {
        Some(day) => silent_days(store, day).await?,
        None => HashMap::new(),
    };
    let mut states = standings(store, (&occupancy_now, &occupancy_before), &silent).await?;
    states.retain(|state| inside(&state.uf));
    let map = store
        .state_shapes()
        .await?
        .into_iter()
        .map(|(uf, path)| MapArea {
            name: Uf::parse(&uf).map(Uf::name).unwrap_or_default().to_owned(),
            value: values.get(&uf).copied().filter(|_| inside(&uf)),
            outside: !inside(&uf),
            uf,
            path,
        })
        .collect();

    // The cities most and least affected, of `min_population` or more.
    let cities = |direction| city_ranking(store, direction, min_population, territory);
    Ok(Overview {
        cases_as_of,
        occupancy_as_of,
        srag_period,
        headline,
        metric,
        map_view_box: MAP_VIEW_BOX.to_owned(),
        map,
        cities: cities(Direction::MostAffected).await?,
        cities_least: cities(Direction::LeastAffected).await?,
        min_population,
        states,
    })
}

/// The ten cities most (or least) affected by cases per 100k, of
/// `min_population` or more; with `territory`, of its places only (the
/// ranking read whole, then kept to its places).
async fn city_ranking(
    store: &Store,
    direction: Direction,
    min_population: i64,
    territory: Option<&Territory>,
) -> Result<Vec<app::indicators::RankingEntry>, StoreError> {
    const SHOWN: u32 = 10;
    let query = RankingQuery {
        scope: PlaceKind::City,
        metric: Metric::CasesPer100k,
        uf: None,
        min_population,
        direction,
        limit: SHOWN,
    };
    let mut ranking = store.ranking(query.read_for(territory)).await?;
    keep_within(&mut ranking, territory, SHOWN);
    Ok(ranking)
}

/// Every state's row of the overview's table: occupancy now and 7 days
/// earlier, the hospitals behind the ICU rate, the last two weeks of cases.
async fn standings(
    store: &Store,
    (now, before): (&Occupancy, &Occupancy),
    silent: &HashMap<String, usize>,
) -> Result<Vec<StateStanding>, StoreError> {
    let weeks: HashMap<String, (Change, bool)> = store
        .ranking(RankingQuery {
            scope: PlaceKind::State,
            metric: Metric::NewCasesWeekPer100k,
            uf: None,
            min_population: 0,
            direction: Direction::MostAffected,
            limit: 27,
        })
        .await?
        .into_iter()
        .map(|r| {
            // The week before, as a count: a change is told on a base of
            // at least MIN_WEEK_BASE cases.
            let base = r
                .previous_value
                .map(|per_100k| per_100k * r.population as f64 / 100_000.0);
            let irregular = silent.get(&r.uf).is_some_and(|&days| days >= SILENT_DAYS);
            let change = Change {
                value: r.value,
                previous: r.previous_value.filter(|_| {
                    !irregular && base.is_some_and(|cases| cases >= MIN_WEEK_BASE as f64)
                }),
            };
            (r.uf, (change, irregular))
        })
        .collect();
    let rate = |uf: Uf, class: BedClass| {
        let key = (uf.code().to_owned(), class);
        now.get(&key).map(|row| Change {
            value: row.rate,
            previous: before.get(&key).map(|row| row.rate),
        })
    };
    Ok(Uf::all()
        .map(|uf| StateStanding {
            uf: uf.code().to_owned(),
            name: uf.name().to_owned(),
            icu: rate(uf, BedClass::Icu),
            clinical: rate(uf, BedClass::Clinical),
            hospitals: now
                .get(&(uf.code().to_owned(), BedClass::Icu))
                .map(|row| row.hospitals),
            week: weeks.get(uf.code()).map(|(week, _)| *week),
            irregular: weeks
                .get(uf.code())
                .is_some_and(|(_, irregular)| *irregular),
        })
        .collect())
}

/// Each state's days without a report (no row, or no new case) in the
/// week before the 7 days ending on `day`.
async fn silent_days(store: &Store, day: NaiveDate) -> Result<HashMap<String, usize>, StoreError> {
    let week_before =
        Filter::default().between("date", day - Duration::days(13), day - Duration::days(7));
    let mut reported: HashMap<String, usize> = HashMap::new();
    for row in store
        .cases(Places::States, &week_before, Page::ALL)
        .await?
        .rows
    {
        *reported.entry(row.uf).or_default() += usize::from(row.new_cases > 0);
    }
    Ok(Uf::all()
        .map(|uf| {
            let days = reported.get(uf.code()).copied().unwrap_or(0);
            (uf.code().to_owned(), 7 - days.min(7))
        })
        .collect())
}

fn change(now: i64, before: i64) -> Change {
    Change {
        value: now as f64,
        previous: Some(before as f64),
    }
}

/// The country's cases and deaths of the 7 days ending on `day`, and of the
/// 7 days before.
async fn brazil_weeks(
    store: &Store,
    day: NaiveDate,
) -> Result<((i64, i64), (i64, i64)), StoreError> {
    let week = Duration::days(7);
    let mut totals = Vec::new();
    for date in [day, day - week, day - week * 2] {
        let at = store.cumulative_at(Places::States, date).await?;
        totals.push(at.get("BR").copied().unwrap_or((0, 0)));
    }
    let delta = |a: (i64, i64), b: (i64, i64)| (a.0 - b.0, a.1 - b.1);
    Ok((delta(totals[0], totals[1]), delta(totals[1], totals[2])))
}

/// COVID/SRAG-bed occupancy rows of one day, by state and bed class.
type Occupancy = HashMap<(String, BedClass), app::indicators::OccupancyDay>;

/// COVID/SRAG-bed occupancy rows on `day`, by state and bed class.
async fn occupancy_by_state(store: &Store, day: NaiveDate) -> Result<Occupancy, StoreError> {
    let filter = Filter::default()
        .between("date", day, day)
        .eq("scope", Scope::Covid.code());
    Ok(store
        .occupancy(&filter, Page::ALL)
        .await?
        .rows
        .into_iter()
        .map(|row| ((row.uf.clone(), row.bed_class), row))
        .collect())
}

/// The country's rate for `bed_class`: Σ capped occupied / Σ offered.
fn national_rate(now: &Occupancy, before: &Occupancy, bed_class: BedClass) -> Option<Change> {
    let rate = |rows: &Occupancy| {
        let (occupied, offered) = rows
            .values()
            .filter(|r| r.bed_class == bed_class)
            .fold((0, 0), |(o, f), r| (o + r.occupied, f + r.offered));
        ratio(occupied, offered)
    };
    rate(now).map(|value| Change {
        value,
        previous: rate(before),
    })
}

/// Each state's value of `metric`: occupancy on its newest day, case
/// figures from the ranking (their newest day), the trend's probability of
/// increase at the newest SIVEP edition.
async fn map_values(
    store: &Store,
    metric: MapMetric,
    occupancy: &Occupancy,
) -> Result<HashMap<String, f64>, StoreError> {
    let rate_of = |class: BedClass| {
        occupancy
            .iter()
            .filter(|((_, c), _)| *c == class)
            .map(|((uf, _), row)| (uf.clone(), row.rate))
            .collect()
    };
    Ok(match metric {
        MapMetric::IcuCovidRate => rate_of(BedClass::Icu),
        MapMetric::ClinicalCovidRate => rate_of(BedClass::Clinical),
        MapMetric::CasesPer100k | MapMetric::DeathsPer100k | MapMetric::WeekPer100k => {
            let query = RankingQuery {
                scope: PlaceKind::State,
                metric: match metric {
                    MapMetric::DeathsPer100k => Metric::DeathsPer100k,
                    MapMetric::WeekPer100k => Metric::NewCasesWeekPer100k,
                    _ => Metric::CasesPer100k,
                },
                uf: None,
                min_population: 0,
                direction: Direction::MostAffected,
                limit: 27,
            };
            store
                .ranking(query)
                .await?
                .into_iter()
                .map(|r| (r.uf, r.value))
                .collect()
        }
        MapMetric::SragTrend => super::nowcast::trends(store, SragMeasure::Srag)
            .await?
            .into_iter()
            .map(|t| (t.uf, t.short_p_increase))
            .collect(),
    })
}
