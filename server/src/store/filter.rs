//! A small `WHERE` builder for the indicator reads: equality, membership and
//! date ranges over text columns, with numbered placeholders that run on
//! both PostgreSQL and SQLite, and the paging of every list.

use app::catalog::{
    territory::Territory,
    vocabulary::{Place, Uf},
};
use chrono::NaiveDate;
use sqlx::{Any, AssertSqlSafe, any::AnyArguments, query::Query};

/// The conditions of one read, and the text values they bind.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    clauses: Vec<String>,
    binds: Vec<String>,
}

/// A window of a list: at most `limit` rows after skipping `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub offset: u64,
}

impl Page {
    /// Every row.
    pub const ALL: Page = Page {
        limit: u32::MAX,
        offset: 0,
    };
}

/// One page of rows, and the offset of the next one when there are more.
#[derive(Clone, Debug, PartialEq)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    pub next_offset: Option<u64>,
}

impl Filter {
    fn placeholder(&mut self, value: String) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    /// `column = value`.
    pub fn eq(mut self, column: &str, value: impl Into<String>) -> Self {
        let p = self.placeholder(value.into());
        self.clauses.push(format!("{column} = {p}"));
        self
    }

    /// `column IN (values…)`; no condition when `values` is empty.
    pub fn any_of(mut self, column: &str, values: &[String]) -> Self {
        if !values.is_empty() {
            let list: Vec<String> = values.iter().map(|v| self.placeholder(v.clone())).collect();
            self.clauses
                .push(format!("{column} IN ({})", list.join(", ")));
        }
        self
    }

    /// The rows of `places` (all when empty), on a table with `uf`.
    pub fn places(self, places: &[Place]) -> Self {
        let codes: Vec<String> = places.iter().map(|p| p.code().to_owned()).collect();
        self.any_of("uf", &codes)
    }

    /// The rows of the state `uf`, on a table with `uf`.
    pub fn state(self, uf: Uf) -> Self {
        self.eq("uf", uf.code())
    }

    /// The places of `territory`, on a table with `uf` and `city_ibge`:
    /// those of its states, or its cities.
    pub fn within(mut self, territory: &Territory) -> Self {
        let states = state_codes(territory);
        let mut either = Vec::new();
        for (column, values) in [("uf", &states), ("city_ibge", &territory.cities)] {
            if !values.is_empty() {
                let list: Vec<String> =
                    values.iter().map(|v| self.placeholder(v.clone())).collect();
                either.push(format!("{column} IN ({})", list.join(", ")));
            }
        }
        // A territory has a state or a city; none would be no place at all.
        match either.is_empty() {
            true => self.none(),
            false => {
                self.clauses.push(format!("({})", either.join(" OR ")));
                self
            }
        }
    }

    /// The whole states of `territory` (none when it holds only cities).
    pub fn within_states(self, territory: &Territory) -> Self {
        let states = state_codes(territory);
        match states.is_empty() {
            true => self.none(),
            false => self.any_of("uf", &states),
        }
    }

    /// No row at all.
    fn none(mut self) -> Self {
        self.clauses.push("1 = 0".into());
        self
    }

    /// `from <= column <= to`, on ISO date text.
    pub fn between(mut self, column: &str, from: NaiveDate, to: NaiveDate) -> Self {
        let (a, b) = (
            self.placeholder(from.to_string()),
            self.placeholder(to.to_string()),
        );
        self.clauses
            .push(format!("{column} >= {a} AND {column} <= {b}"));
        self
    }

    /// `column >= n`, on a number column (the number is written into the
    /// text: it is a number, and a text bind would not compare with one).
    pub fn at_least(mut self, column: &str, n: u64) -> Self {
        self.clauses.push(format!("{column} >= {n}"));
        self
    }

    /// `column <= date`, on ISO date text.
    pub fn up_to(mut self, column: &str, date: NaiveDate) -> Self {
        let p = self.placeholder(date.to_string());
        self.clauses.push(format!("{column} <= {p}"));
        self
    }

    /// `column` at its largest in `table`: the newest rows.
    pub fn newest(mut self, column: &str, table: &str) -> Self {
        self.clauses
            .push(format!("{column} = (SELECT MAX({column}) FROM {table})"));
        self
    }

    /// The `WHERE …` text (empty without conditions).
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// `select` followed by the conditions, then `rest` (ordering, paging),
    /// with every value bound.
    pub fn query(&self, select: &str, rest: &str) -> Query<'static, Any, AnyArguments> {
        let sql = format!("{select}{}{rest}", self.sql());
        self.binds
            .iter()
            .fold(sqlx::query(AssertSqlSafe(sql)), |q, value| {
                q.bind(value.clone())
            })
    }

    /// Like [`Filter::query`], reading one page (one row more than the page,
    /// to tell whether another follows).
    pub fn paged(
        &self,
        select: &str,
        order: &str,
        page: Page,
    ) -> Query<'static, Any, AnyArguments> {
        let rest = format!(
            " ORDER BY {order} LIMIT {} OFFSET {}",
            u64::from(page.limit) + 1,
            page.offset
        );
        self.query(select, &rest)
    }
}

/// The codes of the states `territory` holds whole.
fn state_codes(territory: &Territory) -> Vec<String> {
    territory
        .states
        .iter()
        .map(|uf| uf.code().to_owned())
        .collect()
}

impl<T> Paged<T> {
    /// Every row, in one page.
    pub fn all(rows: Vec<T>) -> Self {
        Paged {
            rows,
            next_offset: None,
        }
    }

    /// Cuts the extra row [`Filter::paged`] read, if any, into `next_offset`.
    pub fn from_rows(mut rows: Vec<T>, page: Page) -> Self {
        let next_offset = (rows.len() > page.limit as usize).then(|| {
            rows.truncate(page.limit as usize);
            page.offset + u64::from(page.limit)
        });
        Paged { rows, next_offset }
    }
}

#[cfg(test)]
mod tests {
    use app::catalog::vocabulary::Uf;

    use super::*;

    #[test]
    fn numbers_placeholders_in_order() {
        let day = NaiveDate::from_ymd_opt(2021, 3, 1).unwrap();
        let filter = Filter::default()
            .any_of("uf", &["SP".into(), "RJ".into()])
            .any_of("city", &[])
            .between("date", day, day)
            .eq("scope", "all")
            .at_least("offered", 10);
        assert_eq!(
            filter.sql(),
            " WHERE uf IN ($1, $2) AND date >= $3 AND date <= $4 AND scope = $5 AND offered >= 10"
        );
        assert_eq!(Filter::default().sql(), "");
        let territory = Territory {
            slug: "t".into(),
            name: "T".into(),
            states: vec![Uf::parse("SP").unwrap()],
            cities: vec!["3304557".into()],
        };
        let filter = Filter::default()
            .eq("date", "2021-03-08")
            .within(&territory);
        assert_eq!(
            filter.sql(),
            " WHERE date = $1 AND (uf IN ($2) OR city_ibge IN ($3))"
        );
        assert_eq!(filter.binds, ["2021-03-08", "SP", "3304557"]);
    }

    #[test]
    fn pages_tell_whether_more_follow() {
        let page = Page {
            limit: 2,
            offset: 4,
        };
        assert_eq!(
            Paged::from_rows(vec![1, 2, 3], page),
            Paged {
                rows: vec![1, 2],
                next_offset: Some(6)
            }
        );
        assert_eq!(
            Paged::from_rows(vec![1], page),
            Paged {
                rows: vec![1],
                next_offset: None
            }
        );
    }
}
