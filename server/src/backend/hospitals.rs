//! The hospitals' pages' data: one page of the list on the newest day, in
//! the API's order, each hospital with its summary.

use std::collections::HashMap;

use app::{
    catalog::{GoldTable, vocabulary::Scope},
    hospital_view::{HospitalAsk, HospitalList, HospitalRow},
};

use crate::store::{Filter, Page, Store, StoreError};

/// The page `ask` names, as `/api/v1/hospitals` answers it for the same
/// filters (beds of both scopes).
pub async fn list(store: &Store, ask: &HospitalAsk) -> Result<HospitalList, StoreError> {
    let table = GoldTable::OccupancyHospital;
    let Some(date) = store.newest_date(table, &Filter::default()).await? else {
        return Ok(HospitalList::default());
    };
    let mut filter = Filter::default()
        .eq("bed_class", ask.bed_class.code())
        .eq("scope", Scope::All.code())
        .eq("date", date.to_string());
    if let Some(uf) = ask.uf {
        filter = filter.eq("uf", uf.code());
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
    let mut summaries: HashMap<_, _> = store
        .hospital_summaries(&codes)
        .await?
        .into_iter()
        .map(|summary| (summary.cnes.clone(), summary))
        .collect();
    Ok(HospitalList {
        date: Some(date),
        more: days.next_offset.is_some(),
        rows: days
            .rows
            .into_iter()
            .map(|day| HospitalRow {
                summary: summaries.remove(&day.cnes),
                day,
            })
            .collect(),
    })
}
