//! The nowcast as the pages read it: one place's weeks, outlook and trend
//! at the newest vintage (the state page), every place's trend (the
//! overview), with the same store reads as the API.

use app::{
    catalog::vocabulary::{Place, SragMeasure, Uf},
    indicators::{NowcastSeries, SragTrend},
};

use crate::{
    nowcast::{DOC_PATH, METHOD},
    store::{Estimate, NowcastQuery, Store, StoreError},
};

/// `uf`'s nowcast of `measure` at the newest vintage.
pub async fn series(
    store: &Store,
    uf: Uf,
    measure: SragMeasure,
) -> Result<NowcastSeries, StoreError> {
    let mut series = NowcastSeries {
        method: METHOD.to_owned(),
        doc: DOC_PATH.to_owned(),
        ..NowcastSeries::default()
    };
    let Some(vintage) = store.nowcast_vintages().await?.pop() else {
        return Ok(series);
    };
    let query = NowcastQuery {
        vintage,
        places: &[Place::State(uf)],
        measure: Some(measure),
    };
    series.vintage = Some(vintage);
    series.weeks = store.estimates(&query).await?;
    series.outlook = store.estimates(&query).await?;
    series.trend = store.estimates(&query).await?.pop();
    Ok(series)
}

/// Every place's trend of `measure` at the newest vintage.
pub async fn trends(store: &Store, measure: SragMeasure) -> Result<Vec<SragTrend>, StoreError> {
    newest(store, measure).await
}

/// Every place's rows of a nowcast table, of `measure` at the newest
/// vintage.
pub async fn newest<T: Estimate>(
    store: &Store,
    measure: SragMeasure,
) -> Result<Vec<T>, StoreError> {
    let Some(vintage) = store.nowcast_vintages().await?.pop() else {
        return Ok(Vec::new());
    };
    store
        .estimates(&NowcastQuery {
            vintage,
            places: &[],
            measure: Some(measure),
        })
        .await
}
