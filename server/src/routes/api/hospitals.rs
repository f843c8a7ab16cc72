//! The hospital radar: every hospital of the occupancy data on one day, for
//! one bed type, filtered and sorted by pressure, change or size (the sales
//! team's call list); and one hospital's series.

use app::{
    catalog::{
        GoldTable,
        vocabulary::{BedClass, HospitalSort, Scope},
    },
    hospital_view::{LONGEST_CODE, is_hospital_code},
    indicators::HospitalOccupancy,
};
use axum::{
    extract::{Path, State, rejection::PathRejection},
    http::{HeaderMap, Uri},
    response::Response,
};

use super::{
    Api,
    answer::Listing,
    error::{ApiError, Failures, ParamError},
    params::{self, Params, query_params},
};
use crate::{
    ingest::bronze::formats::occupancy_snapshot::hospital_code,
    store::{Filter, Page},
};

/// The most hospitals one page lists.
const MAX_PAGE_SIZE: u64 = 1_000;

query_params!(
    /// Parameters of `/api/v1/hospitals`.
    HospitalsParams {
        /// States, comma-separated (`SP,RJ`). Default: all.
        uf,
        /// 7-digit IBGE city codes, comma-separated (up to 100). Hospitals
        /// whose city matched no municipality, or several, have none.
        city,
        /// A sales territory's slug (`sudeste`): the hospitals of its states
        /// and cities. An unknown one is a 400 listing the configured.
        territory,
        /// Only hospitals offering at least this many beds of the bed type.
        min_beds,
        /// `icu` (default) or `clinical`.
        bed_class,
        /// `all` (default: general + SRAG beds) or `covid` (SRAG beds).
        scope,
        /// `pressure` (default: occupancy rate), `change` (its 7-day
        /// change) or `size` (beds offered); most first, hospitals without
        /// the figure (stale, rejected, no beds) last.
        sort,
        /// The day, `YYYY-MM-DD`. Default: the newest day of the data.
        date,
        /// Page number, from 1 (default).
        page,
        /// Hospitals per page, 1 to 1000 (default 50).
        page_size,
    }
);

query_params!(
    /// Parameters of `/api/v1/hospitals/{cnes}`.
    HospitalParams {
        /// First day, `YYYY-MM-DD`. Default: 90 days before `to`.
        from,
        /// Last day, `YYYY-MM-DD`. Default: the newest day of the data.
        to,
    }
);

/// Every hospital on one day for one bed class and scope: beds offered,
/// occupied and the rate, the 7-day change in percentage points,
/// respirators, the age of its report (stale hospitals are listed, last,
/// with `status` `stale`).
#[utoipa::path(
    get,
    path = "/api/v1/hospitals",
    params(HospitalsParams),
    responses(
        (status = 200, description = "One row per hospital",
         content((Listing<HospitalOccupancy> = "application/json"), (String = "text/csv"))),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn hospitals(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    Params(params): Params<HospitalsParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "hospitals", || async {
        let class = params::word("bed_class", params.bed_class.as_deref(), BedClass::Icu)?;
        let scope = params::word("scope", params.scope.as_deref(), Scope::All)?;
        let sort = params::word("sort", params.sort.as_deref(), HospitalSort::Pressure)?;
        let date = params::date("date", params.date.as_deref())?;
        let size = params::number(
            "page_size",
            params.page_size.as_deref(),
            1,
            MAX_PAGE_SIZE,
            50,
        )?;
        let number = params::number("page", params.page.as_deref(), 1, 100_000, 1)?;
        let page = Page {
            limit: u32::try_from(size).expect("page_size is at most MAX_PAGE_SIZE"),
            offset: (number - 1) * size,
        };
        let mut filter = api
            .city_filter(
                params.uf.as_deref(),
                params.city.as_deref(),
                params.territory.as_deref(),
            )?
            .eq("bed_class", class.code())
            .eq("scope", scope.code());
        let min_beds = params::number("min_beds", params.min_beds.as_deref(), 0, 100_000, 0)?;
        if min_beds > 0 {
            filter = filter.at_least("offered", min_beds);
        }
        let table = GoldTable::OccupancyHospital;
        let Some(date) = date.or(api.store.newest_date(table, &Filter::default()).await?) else {
            return Ok(api.empty(table));
        };
        let rows = api
            .store
            .hospitals(&filter.eq("date", date.to_string()), sort, page)
            .await?;
        Ok(Listing::new(
            api.credits(table),
            (Some(date), Some(date)),
            rows,
        ))
    })
    .await
}

/// One hospital's series: every day of the period, per bed class and scope.
#[utoipa::path(
    get,
    path = "/api/v1/hospitals/{cnes}",
    params(
        ("cnes" = String, Path, description = "CNES code (`2081288`; shorter all-digit codes are left-padded to 7 digits)"),
        HospitalParams
    ),
    responses(
        (status = 200, description = "One row per day, bed class and scope",
         content((Listing<HospitalOccupancy> = "application/json"), (String = "text/csv"))),
        (status = 404, description = "No hospital of the data has this code", body = crate::json_error::ErrorBody),
        Failures,
    ),
    tag = "indicators"
)]
pub async fn hospital(
    State(api): State<Api>,
    uri: Uri,
    headers: HeaderMap,
    cnes: Result<Path<String>, PathRejection>,
    Params(params): Params<HospitalParams>,
) -> Result<Response, ApiError> {
    api.answer((&uri, &headers), &params, "hospital", || async {
        let Path(cnes) = cnes.map_err(|_| not_a_code())?;
        let code = hospital_code(&cnes);
        if !is_hospital_code(&code) {
            return Err(not_a_code().into());
        }
        if api.store.hospital(&code).await?.is_none() {
            return Err(ApiError::Unknown("no hospital of the data has this code"));
        }
        let store = &api.store;
        api.days(
            GoldTable::OccupancyHospital,
            Filter::default().eq("cnes", code),
            (params.from.as_deref(), params.to.as_deref()),
            |filter| async move {
                let all = Page {
                    limit: u32::MAX - 1,
                    offset: 0,
                };
                store.hospital_series(&filter, all).await
            },
        )
        .await
    })
    .await
}

fn not_a_code() -> ParamError {
    ParamError::new(
        "cnes",
        "not a CNES code",
        format!(
            "a hospital's code: up to {LONGEST_CODE} letters, digits, spaces or dashes, such as 2081288"
        ),
    )
}
