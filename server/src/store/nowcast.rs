//! Reading the gold nowcast, its trends and outlook: per vintage (the
//! newest by default), place and measure; and its backtest.

use app::{
    catalog::vocabulary::{Place, SragMeasure},
    indicators::{BacktestScore, NowcastWeek, OutlookWeek, SragTrend},
};
use chrono::NaiveDate;
use sqlx::Row;

use super::{
    Store, StoreError,
    filter::{Filter, Page},
    parse_date,
    tables::{SragBacktest, SragNowcast, SragOutlook, SragTrends, Table},
};

/// A row type of the nowcast's gold tables, read the same way.
pub trait Estimate: Sized {
    /// Its table.
    type Table: Table<Row = Self>;
    /// Its `ORDER BY` columns.
    const ORDER: &'static str;
    /// What it is, in errors.
    const WHAT: &'static str;
    /// The week (its Sunday) a row is about.
    fn week(&self) -> NaiveDate;
}

impl Estimate for NowcastWeek {
    type Table = SragNowcast;
    const ORDER: &'static str = " ORDER BY uf, measure, week";
    const WHAT: &'static str = "read the nowcast";

    fn week(&self) -> NaiveDate {
        self.week
    }
}

impl Estimate for SragTrend {
    type Table = SragTrends;
    const ORDER: &'static str = " ORDER BY uf, measure";
    const WHAT: &'static str = "read the trends";

    fn week(&self) -> NaiveDate {
        self.week
    }
}

impl Estimate for OutlookWeek {
    type Table = SragOutlook;
    const ORDER: &'static str = " ORDER BY uf, measure, week";
    const WHAT: &'static str = "read the outlook";

    fn week(&self) -> NaiveDate {
        self.week
    }
}

/// Which rows of a vintage: its places (all when empty) and measure (all
/// when `None`).
#[derive(Clone, Debug)]
pub struct NowcastQuery<'a> {
    pub vintage: NaiveDate,
    pub places: &'a [Place],
    pub measure: Option<SragMeasure>,
}

impl NowcastQuery<'_> {
    fn filter(&self) -> Filter {
        let filter = Filter::default()
            .eq("vintage", self.vintage.to_string())
            .places(self.places);
        match self.measure {
            Some(measure) => filter.eq("measure", measure.code()),
            None => filter,
        }
    }
}

impl Store {
    /// The vintages the gold nowcast holds, oldest first.
    pub async fn nowcast_vintages(&self) -> Result<Vec<NaiveDate>, StoreError> {
        let rows = sqlx::query("SELECT DISTINCT vintage FROM gold_srag_nowcast ORDER BY vintage")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read nowcast vintages"))?;
        rows.iter()
            .map(|row| parse_date(row.try_get("vintage")?))
            .collect::<Result<_, _>>()
            .map_err(StoreError::query("decode nowcast vintages"))
    }

    /// The backtest of the newest vintage, by measure, kind and step.
    pub async fn backtest(&self) -> Result<Vec<BacktestScore>, StoreError> {
        let newest = Filter::default().newest("vintage", SragBacktest::TABLE.name());
        let all = Page {
            limit: u32::MAX,
            offset: 0,
        };
        let rows = self
            .rows::<SragBacktest>(&newest, "measure, kind, step", all, "read the backtest")
            .await?;
        Ok(rows.rows)
    }

    /// The rows of `T`'s table that `query` selects (the nowcast's weeks,
    /// the trends or the outlook), by place, measure and week.
    pub async fn estimates<T: Estimate>(
        &self,
        query: &NowcastQuery<'_>,
    ) -> Result<Vec<T>, StoreError> {
        let rows = query
            .filter()
            .query(&T::Table::select(), T::ORDER)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(T::WHAT))?;
        rows.iter()
            .map(T::Table::decode)
            .collect::<Result<_, _>>()
            .map_err(StoreError::query(T::WHAT))
    }
}
