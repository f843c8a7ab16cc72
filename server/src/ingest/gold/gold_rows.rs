//! How each gold row type maps onto its store table: the table, and its
//! columns in struct field order (the store's columns have the same names).

use crate::ingest::{
    gold::cases::CasesStateGold, gold::cities::CasesCityGold, gold::geometry::GeometryGold,
    gold::occupancy::OccupancyGold, gold::patients::PatientsGold, gold::ranking::RankingGold,
    gold::srag::SragGold,
};
use app::indicators::{
    BacktestScore, HospitalOccupancy, HospitalSummary, NowcastWeek, OutlookWeek, SragTrend,
};

use crate::store::{GoldRow, SqlValue};

/// Implements [`GoldRow`] from the table name and the fields, in column order.
macro_rules! gold_row {
    ($row:ty, $table:literal, [$($field:ident),+ $(,)?]) => {
        impl GoldRow for $row {
            const TABLE: &'static str = $table;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];

            fn values(&self) -> Vec<SqlValue> {
                vec![$(SqlValue::from(self.$field.clone())),+]
            }
        }
    };
}

gold_row!(
    CasesStateGold,
    "gold_cases_state",
    [
        uf,
        date,
        cases,
        deaths,
        new_cases,
        new_deaths,
        new_cases_7d,
        new_deaths_7d,
        population,
        cases_per_100k,
        deaths_per_100k,
    ]
);

gold_row!(
    CasesCityGold,
    "gold_cases_city",
    [
        uf,
        city_ibge,
        city,
        date,
        cases,
        deaths,
        new_cases,
        new_deaths,
        new_cases_7d,
        new_deaths_7d,
        population,
        cases_per_100k,
        deaths_per_100k,
    ]
);

gold_row!(
    OccupancyGold,
    "gold_occupancy_state",
    [
        uf,
        date,
        bed_class,
        scope,
        offered,
        occupied,
        occupied_raw,
        rate,
        hospitals,
        stale,
        over_capacity,
        rejected,
    ]
);

gold_row!(
    SragGold,
    "gold_srag_state",
    [
        uf,
        date,
        hospitalised,
        confirmed,
        suspected,
        deaths,
        deaths_confirmed,
        deaths_suspected,
        confirmed_share,
        death_rate_confirmed,
        death_rate_suspected,
    ]
);

gold_row!(
    RankingGold,
    "gold_ranking",
    [
        scope,
        uf,
        city_ibge,
        name,
        metric,
        period_start,
        period_end,
        value,
        previous_value,
        change,
        population,
        rank,
    ]
);

gold_row!(
    GeometryGold,
    "gold_geometry",
    [level, uf, code, name, path, view_box]
);

gold_row!(
    PatientsGold,
    "gold_occupancy_patients",
    [
        uf,
        date,
        hospitals,
        stale,
        rejected,
        suspected_clinical,
        suspected_icu,
        confirmed_clinical,
        confirmed_icu,
        confirmed_share,
        deaths_suspected,
        discharges_suspected,
        deaths_confirmed,
        discharges_confirmed,
        rejected_exits,
    ]
);

gold_row!(
    NowcastWeek,
    "gold_srag_nowcast",
    [
        uf, measure, week, vintage, weeks_back, reported, median, low_50, high_50, low_90, high_90,
        complete,
    ]
);

gold_row!(
    SragTrend,
    "gold_srag_trend",
    [
        uf,
        measure,
        vintage,
        week,
        short_growth,
        short_p_increase,
        short_class,
        long_growth,
        long_p_increase,
        long_class,
    ]
);

gold_row!(
    OutlookWeek,
    "gold_srag_outlook",
    [
        uf,
        measure,
        vintage,
        week,
        weeks_ahead,
        median,
        low_50,
        high_50,
        low_90,
        high_90
    ]
);

gold_row!(
    BacktestScore,
    "gold_srag_backtest",
    [
        vintage,
        measure,
        kind,
        step,
        cases,
        error,
        naive_error,
        coverage_50,
        coverage_90,
        wis,
        naive_wis
    ]
);

gold_row!(
    HospitalOccupancy,
    "gold_occupancy_hospital",
    [
        cnes,
        name,
        uf,
        city,
        city_ibge,
        date,
        bed_class,
        scope,
        status,
        offered,
        occupied,
        occupied_raw,
        rate,
        over_capacity,
        change_7d,
        respirators,
        last_report,
        days_since_report,
    ]
);

gold_row!(
    HospitalSummary,
    "gold_hospital",
    [
        cnes,
        name,
        uf,
        city,
        city_ibge,
        city_match,
        date,
        last_report,
        days_since_report,
        beds,
        icu_offered,
        icu_rate,
        icu_change_7d,
        clinical_offered,
        clinical_rate,
        clinical_change_7d,
        respirators,
        over_capacity,
    ]
);
