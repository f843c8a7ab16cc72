//! Reading gold cases and deaths per state and city.

use std::collections::HashMap;

use app::{catalog::GoldTable, indicators::CasesDay};
use chrono::NaiveDate;
use sqlx::Row;

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    parse_date,
    tables::{CasesCity, CasesState, Table},
};

/// Cumulative cases and deaths of one state (or `BR`) on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateTotals {
    pub uf: String,
    pub cases: i64,
    pub deaths: i64,
    /// `None` until the population reference is collected.
    pub population: Option<i64>,
}

/// Which places a case table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Places {
    States,
    Cities,
}

impl Places {
    /// The gold table of these places.
    pub fn table(self) -> GoldTable {
        match self {
            Places::States => GoldTable::CasesState,
            Places::Cities => GoldTable::CasesCity,
        }
    }

    /// The column that tells places apart.
    fn key(self) -> &'static str {
        match self {
            Places::States => "uf",
            Places::Cities => "city_ibge",
        }
    }
}

impl Store {
    /// Daily case rows of states or cities matching `filter`, by place and day.
    pub async fn cases(
        &self,
        places: Places,
        filter: &Filter,
        page: Page,
    ) -> Result<Paged<CasesDay>, StoreError> {
        let order = format!("{}, date", places.key());
        match places {
            Places::States => {
                self.rows::<CasesState>(filter, &order, page, "read cases")
                    .await
            }
            Places::Cities => {
                self.rows::<CasesCity>(filter, &order, page, "read cases")
                    .await
            }
        }
    }

    /// Each place's latest row (on or before `date`, when given) among the
    /// places matching `filter`, by place.
    pub async fn cases_latest(
        &self,
        places: Places,
        filter: Filter,
        date: Option<NaiveDate>,
        page: Page,
    ) -> Result<Paged<CasesDay>, StoreError> {
        let filter = match date {
            Some(date) => filter.up_to("date", date),
            None => filter,
        };
        match places {
            Places::States => self.latest::<CasesState>(places.key(), &filter, page).await,
            Places::Cities => self.latest::<CasesCity>(places.key(), &filter, page).await,
        }
    }

    /// The rows of `T` where each `key` (a place) has its latest date among
    /// the rows matching `filter`, by `key`.
    async fn latest<T: Table<Row = CasesDay>>(
        &self,
        key: &str,
        filter: &Filter,
        page: Page,
    ) -> Result<Paged<CasesDay>, StoreError> {
        let latest = format!(
            "{select} g JOIN (SELECT {key} AS k, MAX(date) AS d FROM {table}{conditions} GROUP BY {key}) m \
             ON g.{key} = m.k AND g.date = m.d",
            select = T::select(),
            table = T::TABLE.name(),
            conditions = filter.sql(),
        );
        self.rows_of::<T>(
            &latest,
            filter,
            &format!("g.{key}"),
            page,
            "read latest cases",
        )
        .await
    }

    /// Each place's cumulative cases and deaths on `date` (its latest row
    /// on or before it), by state code or city code.
    pub async fn cumulative_at(
        &self,
        places: Places,
        date: NaiveDate,
    ) -> Result<HashMap<String, (i64, i64)>, StoreError> {
        let page = Page::ALL;
        let latest = self
            .cases_latest(places, Filter::default(), Some(date), page)
            .await?;
        Ok(latest
            .rows
            .into_iter()
            .map(|day| {
                let key = match places {
                    Places::States => day.uf,
                    Places::Cities => day.city_ibge.unwrap_or_default(),
                };
                (key, (day.cases, day.deaths))
            })
            .collect())
    }

    /// Every place's cumulative totals on `date`, by state code.
    pub async fn state_totals(&self, date: NaiveDate) -> Result<Vec<StateTotals>, StoreError> {
        let filter = Filter::default().between("date", date, date);
        let page = Page::ALL;
        let rows = self.cases(Places::States, &filter, page).await?.rows;
        Ok(rows
            .into_iter()
            .map(|day| StateTotals {
                uf: day.uf,
                cases: day.cases,
                deaths: day.deaths,
                population: day.population,
            })
            .collect())
    }

    /// The newest date in a gold table among the rows matching `filter`.
    pub async fn newest_date(
        &self,
        table: GoldTable,
        filter: &Filter,
    ) -> Result<Option<NaiveDate>, StoreError> {
        let select = format!("SELECT MAX(date) AS newest FROM {}", table.name());
        let row = filter
            .query(&select, "")
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::query("read newest date"))?;
        row.try_get::<Option<String>, _>("newest")
            .and_then(|text| text.map(parse_date).transpose())
            .map_err(StoreError::query("decode newest date"))
    }
}
