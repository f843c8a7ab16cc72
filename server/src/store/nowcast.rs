//! Reading the gold nowcast, its trends and outlook: per vintage (the
//! newest by default), place and measure; and its backtest.

use app::{
    catalog::vocabulary::SragMeasure,
    indicators::{BacktestScore, NowcastWeek, OutlookWeek, SragTrend},
};
use chrono::NaiveDate;
use sqlx::{Row, any::AnyRow};

use super::{Store, StoreError, filter::Filter, occupancy::word, parse_date};

/// A row type of the nowcast's gold tables, read the same way.
pub trait Estimate: Sized {
    /// Its `SELECT … FROM` and `ORDER BY` columns.
    const SELECT: &'static str;
    const ORDER: &'static str;
    /// What it is, in errors.
    const WHAT: &'static str;
    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error>;
    /// The week (its Sunday) a row is about.
    fn week(&self) -> NaiveDate;
}

impl Estimate for NowcastWeek {
    const SELECT: &'static str = "SELECT uf, measure, week, vintage, weeks_back, reported, \
        median, low_50, high_50, low_90, high_90, complete FROM gold_srag_nowcast";
    const ORDER: &'static str = " ORDER BY uf, measure, week";
    const WHAT: &'static str = "read the nowcast";

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(NowcastWeek {
            uf: row.try_get("uf")?,
            measure: word(row, "measure")?,
            week: parse_date(row.try_get("week")?)?,
            vintage: parse_date(row.try_get("vintage")?)?,
            weeks_back: row.try_get("weeks_back")?,
            reported: row.try_get("reported")?,
            median: row.try_get("median")?,
            low_50: row.try_get("low_50")?,
            high_50: row.try_get("high_50")?,
            low_90: row.try_get("low_90")?,
            high_90: row.try_get("high_90")?,
            complete: row.try_get::<i64, _>("complete")? != 0,
        })
    }

    fn week(&self) -> NaiveDate {
        self.week
    }
}

impl Estimate for SragTrend {
    const SELECT: &'static str = "SELECT uf, measure, vintage, week, short_growth, \
        short_p_increase, short_class, long_growth, long_p_increase, long_class \
        FROM gold_srag_trend";
    const ORDER: &'static str = " ORDER BY uf, measure";
    const WHAT: &'static str = "read the trends";

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(SragTrend {
            uf: row.try_get("uf")?,
            measure: word(row, "measure")?,
            vintage: parse_date(row.try_get("vintage")?)?,
            week: parse_date(row.try_get("week")?)?,
            short_growth: row.try_get("short_growth")?,
            short_p_increase: row.try_get("short_p_increase")?,
            short_class: word(row, "short_class")?,
            long_growth: row.try_get("long_growth")?,
            long_p_increase: row.try_get("long_p_increase")?,
            long_class: word(row, "long_class")?,
        })
    }

    fn week(&self) -> NaiveDate {
        self.week
    }
}

impl Estimate for OutlookWeek {
    const SELECT: &'static str = "SELECT uf, measure, vintage, week, weeks_ahead, median, \
        low_50, high_50, low_90, high_90 FROM gold_srag_outlook";
    const ORDER: &'static str = " ORDER BY uf, measure, week";
    const WHAT: &'static str = "read the outlook";

    fn decode(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(OutlookWeek {
            uf: row.try_get("uf")?,
            measure: word(row, "measure")?,
            vintage: parse_date(row.try_get("vintage")?)?,
            week: parse_date(row.try_get("week")?)?,
            weeks_ahead: row.try_get("weeks_ahead")?,
            median: row.try_get("median")?,
            low_50: row.try_get("low_50")?,
            high_50: row.try_get("high_50")?,
            low_90: row.try_get("low_90")?,
            high_90: row.try_get("high_90")?,
        })
    }

    fn week(&self) -> NaiveDate {
        self.week
    }
}

/// Which rows of a vintage: its places (all when empty) and measure (all
/// when `None`).
#[derive(Clone, Debug)]
pub struct NowcastQuery<'a> {
    pub vintage: NaiveDate,
    pub ufs: &'a [String],
    pub measure: Option<SragMeasure>,
}

impl NowcastQuery<'_> {
    fn filter(&self) -> Filter {
        let filter = Filter::default()
            .eq("vintage", self.vintage.to_string())
            .any_of("uf", self.ufs);
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
        const WHAT: &str = "read the backtest";
        let rows = sqlx::query(
            "SELECT vintage, measure, kind, step, cases, error, naive_error, coverage_50, \
             coverage_90, wis, naive_wis FROM gold_srag_backtest \
             WHERE vintage = (SELECT MAX(vintage) FROM gold_srag_backtest) \
             ORDER BY measure, kind, step",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query(WHAT))?;
        let decode = |row: &AnyRow| -> Result<BacktestScore, sqlx::Error> {
            Ok(BacktestScore {
                vintage: parse_date(row.try_get("vintage")?)?,
                measure: word(row, "measure")?,
                kind: word(row, "kind")?,
                step: row.try_get("step")?,
                cases: row.try_get("cases")?,
                error: row.try_get("error")?,
                naive_error: row.try_get("naive_error")?,
                coverage_50: row.try_get("coverage_50")?,
                coverage_90: row.try_get("coverage_90")?,
                wis: row.try_get("wis")?,
                naive_wis: row.try_get("naive_wis")?,
            })
        };
        rows.iter()
            .map(decode)
            .collect::<Result<_, _>>()
            .map_err(StoreError::query(WHAT))
    }

    /// The rows of `T`'s table that `query` selects (the nowcast's weeks,
    /// the trends or the outlook), by place, measure and week.
    pub async fn estimates<T: Estimate>(
        &self,
        query: &NowcastQuery<'_>,
    ) -> Result<Vec<T>, StoreError> {
        let rows = query
            .filter()
            .query(T::SELECT, T::ORDER)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(T::WHAT))?;
        rows.iter()
            .map(T::decode)
            .collect::<Result<_, _>>()
            .map_err(StoreError::query(T::WHAT))
    }
}
