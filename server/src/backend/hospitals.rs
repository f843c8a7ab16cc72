//! The hospitals' pages' data: one page of the list on the newest day, in
//! the API's order, each hospital with its summary and its last four
//! weeks' rates; one hospital's summary, last days and the other hospitals
//! of its city.

use std::collections::HashMap;

use app::{
    catalog::{GoldTable, territory::Territory, vocabulary::Scope},
    hospital_view::{
        HospitalAsk, HospitalDetail, HospitalList, HospitalRow, SERIES_DAYS, TREND_DAYS,
    },
};
use chrono::{Duration, NaiveDate};

use crate::{
    ingest::bronze::formats::occupancy_snapshot::hospital_code,
    store::{Filter, Page, Store, StoreError},
};

/// The page `ask` names, as `/api/v1/hospitals` answers it for the same
/// filters (beds of both scopes); `territory` is the one its slug names.
pub async fn list(
    store: &Store,
    ask: &HospitalAsk,
    territory: Option<&Territory>,
) -> Result<HospitalList, StoreError> {
    let table = GoldTable::OccupancyHospital;
    let Some(date) = store.newest_date(table, &Filter::default()).await? else {
        return Ok(HospitalList::default());
    };
    let mut filter = Filter::default()
        .eq("bed_class", ask.bed_class.code())
        .eq("scope", Scope::All.code())
        .eq("date", date.to_string());
    if let Some(territory) = territory {
        filter = filter.within(territory);
    }
    if let Some(uf) = ask.uf {
        filter = filter.state(uf);
    }
    if let Some(city) = &ask.city {
        filter = filter.eq("city_ibge", city.clone());
    }
    if ask.min_beds > 0 {
        filter = filter.at_least("offered", ask.min_beds);
    }
    let page = Page {
        limit: ask.page_size,
        offset: (ask.page - 1) * u64::from(ask.page_size),
    };
    let days = store.hospitals(&filter, ask.sort, page).await?;
    let codes: Vec<String> = days.rows.iter().map(|day| day.cnes.clone()).collect();
    // No codes would be no condition: every hospital.
    let summaries = match codes.is_empty() {
        true => Vec::new(),
        false => {
            store
                .hospital_summaries(&Filter::default().any_of("cnes", &codes))
                .await?
        }
    };
    let mut summaries: HashMap<_, _> = summaries
        .into_iter()
        .map(|summary| (summary.cnes.clone(), summary))
        .collect();
    let mut trends = trends(store, &codes, ask, date).await?;
    Ok(HospitalList {
        date: Some(date),
        more: days.next_offset.is_some(),
        rows: days
            .rows
            .into_iter()
            .map(|day| HospitalRow {
                summary: summaries.remove(&day.cnes),
                trend: trends.remove(&day.cnes).unwrap_or_default(),
                day,
            })
            .collect(),
    })
}

/// Each of the `codes`' rates of the class `ask` names (all beds) on the
/// [`TREND_DAYS`] days ending on `date`, oldest first: one read for the
/// page.
async fn trends(
    store: &Store,
    codes: &[String],
    ask: &HospitalAsk,
    date: NaiveDate,
) -> Result<HashMap<String, Vec<Option<f64>>>, StoreError> {
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    let from = date - Duration::days(TREND_DAYS - 1);
    let filter = Filter::default()
        .any_of("cnes", codes)
        .eq("bed_class", ask.bed_class.code())
        .eq("scope", Scope::All.code())
        .between("date", from, date);
    let all = Page {
        limit: u32::MAX - 1,
        offset: 0,
    };
    let mut trends: HashMap<String, Vec<Option<f64>>> = HashMap::new();
    for day in store.hospital_series(&filter, all).await?.rows {
        let at = usize::try_from((day.date - from).num_days()).expect("on or after from");
        let trend = trends
            .entry(day.cnes)
            .or_insert_with(|| vec![None; TREND_DAYS as usize]);
        trend[at] = day.rate;
    }
    Ok(trends)
}

/// The page of the hospital `cnes` (normalised as the data's codes are);
/// `None` when the data holds no such hospital.
pub async fn detail(store: &Store, cnes: &str) -> Result<Option<HospitalDetail>, StoreError> {
    let code = hospital_code(cnes);
    let Some(summary) = store.hospital(&code).await? else {
        return Ok(None);
    };
    let all = Page {
        limit: u32::MAX - 1,
        offset: 0,
    };
    let from = summary.date - Duration::days(SERIES_DAYS - 1);
    let days = store
        .hospital_series(
            &Filter::default()
                .eq("cnes", code.clone())
                .between("date", from, summary.date),
            all,
        )
        .await?
        .rows;
    let city = match &summary.city_ibge {
        Some(ibge) => Filter::default().eq("city_ibge", ibge.clone()),
        None => Filter::default()
            .eq("uf", summary.uf.clone())
            .eq("city", summary.city.clone()),
    };
    let neighbours = store
        .hospital_summaries(&city)
        .await?
        .into_iter()
        .filter(|other| other.cnes != code)
        .collect();
    Ok(Some(HospitalDetail {
        summary,
        days,
        neighbours,
    }))
}
