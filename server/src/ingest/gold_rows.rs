//! How each gold row type maps onto its store table: the table, its
//! columns, and the row's values in column order.

use super::{
    cases::CasesStateGold, cities::CasesCityGold, occupancy::OccupancyGold, ranking::RankingGold,
    srag::SragGold,
};
use crate::store::{GoldRow, SqlValue};

impl GoldRow for CasesStateGold {
    const TABLE: &'static str = "gold_cases_state";
    const COLUMNS: &'static [&'static str] = &[
        "uf",
        "date",
        "cases",
        "deaths",
        "new_cases",
        "new_deaths",
        "new_cases_7d",
        "new_deaths_7d",
        "population",
        "cases_per_100k",
        "deaths_per_100k",
    ];

    fn values(&self) -> Vec<SqlValue> {
        vec![
            self.uf.as_str().into(),
            self.date.into(),
            self.cases.into(),
            self.deaths.into(),
            self.new_cases.into(),
            self.new_deaths.into(),
            self.new_cases_7d.into(),
            self.new_deaths_7d.into(),
            self.population.into(),
            self.cases_per_100k.into(),
            self.deaths_per_100k.into(),
        ]
    }
}

impl GoldRow for CasesCityGold {
    const TABLE: &'static str = "gold_cases_city";
    const COLUMNS: &'static [&'static str] = &[
        "uf",
        "city_ibge",
        "city",
        "date",
        "cases",
        "deaths",
        "new_cases",
        "new_deaths",
        "new_cases_7d",
        "new_deaths_7d",
        "population",
        "cases_per_100k",
        "deaths_per_100k",
    ];

    fn values(&self) -> Vec<SqlValue> {
        vec![
            self.uf.as_str().into(),
            self.city_ibge.as_str().into(),
            self.city.as_str().into(),
            self.date.into(),
            self.cases.into(),
            self.deaths.into(),
            self.new_cases.into(),
            self.new_deaths.into(),
            self.new_cases_7d.into(),
            self.new_deaths_7d.into(),
            self.population.into(),
            self.cases_per_100k.into(),
            self.deaths_per_100k.into(),
        ]
    }
}

impl GoldRow for OccupancyGold {
    const TABLE: &'static str = "gold_occupancy_state";
    const COLUMNS: &'static [&'static str] = &[
        "uf",
        "date",
        "bed_class",
        "scope",
        "offered",
        "occupied",
        "occupied_raw",
        "rate",
        "hospitals",
        "stale",
        "over_capacity",
        "rejected",
    ];

    fn values(&self) -> Vec<SqlValue> {
        vec![
            self.uf.as_str().into(),
            self.date.into(),
            self.bed_class.as_str().into(),
            self.scope.as_str().into(),
            self.offered.into(),
            self.occupied.into(),
            self.occupied_raw.into(),
            self.rate.into(),
            self.hospitals.into(),
            self.stale.into(),
            self.over_capacity.into(),
            self.rejected.into(),
        ]
    }
}

impl GoldRow for SragGold {
    const TABLE: &'static str = "gold_srag_state";
    const COLUMNS: &'static [&'static str] = &[
        "uf",
        "date",
        "hospitalised",
        "confirmed",
        "suspected",
        "deaths",
        "deaths_confirmed",
        "deaths_suspected",
        "confirmed_share",
        "death_rate_confirmed",
        "death_rate_suspected",
    ];

    fn values(&self) -> Vec<SqlValue> {
        vec![
            self.uf.as_str().into(),
            self.date.into(),
            self.hospitalised.into(),
            self.confirmed.into(),
            self.suspected.into(),
            self.deaths.into(),
            self.deaths_confirmed.into(),
            self.deaths_suspected.into(),
            self.confirmed_share.into(),
            self.death_rate_confirmed.into(),
            self.death_rate_suspected.into(),
        ]
    }
}

impl GoldRow for RankingGold {
    const TABLE: &'static str = "gold_ranking";
    const COLUMNS: &'static [&'static str] = &[
        "scope",
        "uf",
        "city_ibge",
        "name",
        "metric",
        "period_start",
        "period_end",
        "value",
        "previous_value",
        "change",
        "population",
        "rank",
    ];

    fn values(&self) -> Vec<SqlValue> {
        vec![
            self.scope.as_str().into(),
            self.uf.as_str().into(),
            self.city_ibge.as_str().into(),
            self.name.as_str().into(),
            self.metric.as_str().into(),
            self.period_start.into(),
            self.period_end.into(),
            self.value.into(),
            self.previous_value.into(),
            self.change.into(),
            self.population.into(),
            self.rank.into(),
        ]
    }
}
