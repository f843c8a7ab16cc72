//! Reading gold cases and deaths per state and city.

use std::collections::HashMap;

use app::{catalog::GoldTable, indicators::CasesDay};
use chrono::NaiveDate;
use sqlx::{Row, any::AnyRow};

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    parse_date,
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

    fn select(self) -> String {
        let place = match self {
            Places::States => "uf",
            Places::Cities => "uf, city_ibge, city",
        };
        format!(
            "SELECT {place}, date, cases, deaths, new_cases, new_deaths, new_cases_7d, \
             new_deaths_7d, population, cases_per_100k, deaths_per_100k FROM {}",
            self.table().name()
        )
    }

    fn decode(self, row: &AnyRow) -> Result<CasesDay, sqlx::Error> {
        let (city_ibge, city) = match self {
            Places::States => (None, None),
            Places::Cities => (Some(row.try_get("city_ibge")?), Some(row.try_get("city")?)),
        };
        Ok(CasesDay {
            uf: row.try_get("uf")?,
            city_ibge,
            city,
            date: parse_date(row.try_get("date")?)?,
            cases: row.try_get("cases")?,
            deaths: row.try_get("deaths")?,
            new_cases: row.try_get("new_cases")?,
            new_deaths: row.try_get("new_deaths")?,
            new_cases_7d: row.try_get("new_cases_7d")?,
            new_deaths_7d: row.try_get("new_deaths_7d")?,
            population: row.try_get("population")?,
            cases_per_100k: row.try_get("cases_per_100k")?,
            deaths_per_100k: row.try_get("deaths_per_100k")?,
        })
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
        let rows = filter
            .paged(&places.select(), &order, page)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read cases"))?;
        let rows = rows
            .iter()
            .map(|row| places.decode(row))
            .collect::<Result<_, _>>()
            .map_err(StoreError::query("decode cases"))?;
        Ok(Paged::from_rows(rows, page))
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
        let (table, key) = (places.table().name(), places.key());
        let filter = match date {
            Some(date) => filter.up_to("date", date),
            None => filter,
        };
        let latest = format!(
            "{select} g JOIN (SELECT {key} AS k, MAX(date) AS d FROM {table}{conditions} GROUP BY {key}) m \
             ON g.{key} = m.k AND g.date = m.d",
            select = places.select(),
            conditions = filter.sql(),
        );
        let rows = filter
            .paged(&latest, &format!("g.{key}"), page)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read latest cases"))?;
        let rows = rows
            .iter()
            .map(|row| places.decode(row))
            .collect::<Result<_, _>>()
            .map_err(StoreError::query("decode latest cases"))?;
        Ok(Paged::from_rows(rows, page))
    }

    /// Each place's cumulative cases and deaths on `date` (its latest row
    /// on or before it), by state code or city code.
    pub async fn cumulative_at(
        &self,
        places: Places,
        date: NaiveDate,
    ) -> Result<HashMap<String, (i64, i64)>, StoreError> {
        let page = Page {
            limit: u32::MAX,
            offset: 0,
        };
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
        let page = Page {
            limit: u32::MAX,
            offset: 0,
        };
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
