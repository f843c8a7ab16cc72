//! Each gold table of the catalogue and its row type of `app::indicators`:
//! the one list of its columns (named as the row's fields) from which a
//! row is written into the table and read back out of it.

use app::{
    catalog::{
        GoldTable,
        runs::RunStatus,
        vocabulary::{
            BacktestKind, BedClass, BedStatus, CityMatch, Metric, PlaceKind, Scope, SragMeasure,
            TrendClass, Word,
        },
    },
    indicators::{
        BacktestScore, CasesDay, HospitalOccupancy, HospitalSummary, NowcastWeek, OccupancyDay,
        Outline, OutlookWeek, PatientsDay, RankingEntry, SragDay, SragTrend,
    },
};
use chrono::NaiveDate;
use sqlx::{Row, any::AnyRow};

use super::{
    Store, StoreError,
    filter::{Filter, Page, Paged},
    gold::SqlValue,
    parse_date,
};

/// A gold table: its entry in the catalogue, the rows it holds, and how a
/// row maps onto its columns.
pub trait Table {
    type Row;
    const TABLE: GoldTable;
    /// Its columns, in the order of [`Table::values`].
    const COLUMNS: &'static [&'static str];
    /// A row's values, in `COLUMNS` order.
    fn values(row: &Self::Row) -> Vec<SqlValue>;
    /// A row read back from every column.
    fn decode(row: &AnyRow) -> Result<Self::Row, sqlx::Error>;

    /// `SELECT` every column `FROM` the table.
    fn select() -> String {
        format!(
            "SELECT {} FROM {}",
            Self::COLUMNS.join(", "),
            Self::TABLE.name()
        )
    }
}

/// A field's type, read back from its column.
pub trait Column: Sized {
    fn read(row: &AnyRow, name: &str) -> Result<Self, sqlx::Error>;
}

/// Types the database driver decodes as they are.
macro_rules! decoded {
    ($($ty:ty),+) => {
        $(impl Column for $ty {
            fn read(row: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
                row.try_get(name)
            }
        })+
    };
}
decoded!(String, i64, f64, Option<String>, Option<i64>, Option<f64>);

/// A flag, kept as 0 or 1.
impl Column for bool {
    fn read(row: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        Ok(row.try_get::<i64, _>(name)? != 0)
    }
}

/// A day, kept as ISO 8601 text.
impl Column for NaiveDate {
    fn read(row: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
        parse_date(row.try_get(name)?)
    }
}

/// A column holding a word of the catalogue's vocabulary.
pub(super) fn word<W: Word>(row: &AnyRow, column: &str) -> Result<W, sqlx::Error> {
    let code: String = row.try_get(column)?;
    W::parse(&code).ok_or_else(|| sqlx::Error::Decode(format!("unknown {column} {code:?}").into()))
}

/// Words of the vocabulary, kept as their codes.
macro_rules! words {
    ($($word:ty),+) => {
        $(impl Column for $word {
            fn read(row: &AnyRow, name: &str) -> Result<Self, sqlx::Error> {
                word(row, name)
            }
        }

        impl From<$word> for SqlValue {
            fn from(word: $word) -> Self {
                SqlValue::Text(word.code().to_owned())
            }
        })+
    };
}
words!(
    SragMeasure,
    TrendClass,
    BacktestKind,
    BedClass,
    Scope,
    BedStatus,
    CityMatch,
    PlaceKind,
    Metric,
    RunStatus
);

/// Declares a table: a unit type for it and its [`Table`] impl from its
/// row type and columns; fields that are not columns are `derived` from
/// the columns read.
macro_rules! table {
    (
        $(#[$doc:meta])* $name:ident: $row:ident = $table:expr,
        [$($field:ident),+ $(,)?]
        $(, derived { $($derived:ident: $value:expr),+ $(,)? })?
    ) => {
        $(#[$doc])*
        pub struct $name;

        impl Table for $name {
            type Row = $row;
            const TABLE: GoldTable = $table;
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];

            fn values(row: &$row) -> Vec<SqlValue> {
                vec![$(SqlValue::from(row.$field.clone())),+]
            }

            fn decode(row: &AnyRow) -> Result<$row, sqlx::Error> {
                $(let $field = Column::read(row, stringify!($field))?;)+
                Ok($row { $($field,)+ $($($derived: $value,)+)? })
            }
        }
    };
}

table!(
    /// States' (and Brazil's) cases and deaths.
    CasesState: CasesDay = GoldTable::CasesState,
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
    ],
    derived { city_ibge: None, city: None }
);

table!(
    /// Cities' cases and deaths.
    CasesCity: CasesDay = GoldTable::CasesCity,
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

table!(
    /// States' bed occupancy.
    OccupancyState: OccupancyDay = GoldTable::OccupancyState,
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

table!(
    /// States' SRAG hospitalisations and deaths.
    SragState: SragDay = GoldTable::SragState,
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

table!(
    /// The maps' outlines.
    Geometry: Outline = GoldTable::Geometry,
    [level, uf, code, name, path, view_box]
);

table!(
    /// The occupancy register's patients and exits; the death rates are
    /// derived from the exits as they are read.
    OccupancyPatients: PatientsDay = GoldTable::OccupancyPatients,
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
    ],
    derived {
        death_rate_suspected: PatientsDay::death_rate(deaths_suspected, discharges_suspected),
        death_rate_confirmed: PatientsDay::death_rate(deaths_confirmed, discharges_confirmed),
    }
);

table!(
    /// The nowcast's weeks.
    SragNowcast: NowcastWeek = GoldTable::SragNowcast,
    [
        uf, measure, week, vintage, weeks_back, reported, median, low_50, high_50, low_90, high_90,
        complete,
    ]
);

table!(
    /// The nowcast's trends.
    SragTrends: SragTrend = GoldTable::SragTrend,
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

table!(
    /// The two weeks ahead.
    SragOutlook: OutlookWeek = GoldTable::SragOutlook,
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

table!(
    /// The nowcast's backtest.
    SragBacktest: BacktestScore = GoldTable::SragBacktest,
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

table!(
    /// Each hospital's occupancy per day and bed type.
    OccupancyHospital: HospitalOccupancy = GoldTable::OccupancyHospital,
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

table!(
    /// Every hospital as of the newest day.
    Hospital: HospitalSummary = GoldTable::Hospital,
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

/// The rankings of states and cities. A state's `city_ibge` is kept blank,
/// not null: it is part of the table's key.
pub struct Ranking;

impl Table for Ranking {
    type Row = RankingEntry;
    const TABLE: GoldTable = GoldTable::Ranking;
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

    fn values(row: &RankingEntry) -> Vec<SqlValue> {
        vec![
            row.scope.into(),
            row.uf.clone().into(),
            row.city_ibge.clone().unwrap_or_default().into(),
            row.name.clone().into(),
            row.metric.into(),
            row.period_start.into(),
            row.period_end.into(),
            row.value.into(),
            row.previous_value.into(),
            row.change.into(),
            row.population.into(),
            row.rank.into(),
        ]
    }

    fn decode(row: &AnyRow) -> Result<RankingEntry, sqlx::Error> {
        let city_ibge: String = row.try_get("city_ibge")?;
        Ok(RankingEntry {
            scope: Column::read(row, "scope")?,
            uf: row.try_get("uf")?,
            city_ibge: (!city_ibge.is_empty()).then_some(city_ibge),
            name: row.try_get("name")?,
            metric: Column::read(row, "metric")?,
            period_start: Column::read(row, "period_start")?,
            period_end: Column::read(row, "period_end")?,
            value: row.try_get("value")?,
            previous_value: row.try_get("previous_value")?,
            change: row.try_get("change")?,
            population: row.try_get("population")?,
            rank: row.try_get("rank")?,
        })
    }
}

impl Store {
    /// The rows of `T` that `filter` matches, in `order`, one page of them
    /// (`what` names them in errors).
    pub async fn rows<T: Table>(
        &self,
        filter: &Filter,
        order: &str,
        page: Page,
        what: &'static str,
    ) -> Result<Paged<T::Row>, StoreError> {
        self.rows_of::<T>(&T::select(), filter, order, page, what)
            .await
    }

    /// [`Store::rows`] read by `select`, a query returning every column of
    /// `T` (a join or a subquery over its table).
    pub async fn rows_of<T: Table>(
        &self,
        select: &str,
        filter: &Filter,
        order: &str,
        page: Page,
        what: &'static str,
    ) -> Result<Paged<T::Row>, StoreError> {
        let rows = filter
            .paged(select, order, page)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query(what))?;
        let rows = rows
            .iter()
            .map(T::decode)
            .collect::<Result<_, _>>()
            .map_err(StoreError::query(what))?;
        Ok(Paged::from_rows(rows, page))
    }
}
