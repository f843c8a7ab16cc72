//! The overview's table of every state: ICU and clinical occupancy of
//! COVID/SRAG beds with their change over 7 days in percentage points, the
//! hospitals behind the ICU rate, and new cases per 100,000 inhabitants
//! over the last 7 days with their change against the week before;
//! sortable by any column through the URL (`ordem=icu_change`), by default
//! by the map's metric.

use serde::{Deserialize, Serialize};

use crate::dashboard::{Change, MapMetric};

/// One state's row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StateStanding {
    pub uf: String,
    pub name: String,
    /// ICU occupancy on the newest occupancy day, and 7 days earlier.
    pub icu: Option<Change>,
    /// Clinical occupancy on the newest occupancy day, and 7 days earlier.
    pub clinical: Option<Change>,
    /// Hospitals counted in the ICU rate.
    pub hospitals: Option<i64>,
    /// New cases per 100k in the 7 days ending on the newest case day, and
    /// in the 7 days before (none when those were fewer than
    /// [`MIN_WEEK_BASE`] cases, or the week was [`irregular`](Self::irregular)).
    pub week: Option<Change>,
    /// The week before had [`SILENT_DAYS`] days or more without a report:
    /// its sum says more about the reporting than about the cases.
    pub irregular: bool,
}

/// The fewest cases the week before a state's week-on-week change is told
/// on: a count's relative change has a standard error of about
/// √(1/a + 1/b), 14 % or less from 100 cases a week, while a smaller base
/// turns one batch of late reports into a rise of hundreds of per cent.
pub const MIN_WEEK_BASE: i64 = 100;
/// Days without a report (no row, or no new case) that make a week
/// irregular: most of its seven, beyond a weekend and a holiday without
/// reports, which a week's sum absorbs when the reports catch up within it.
pub const SILENT_DAYS: usize = 4;

/// A column the table sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Column {
    Name,
    Icu,
    IcuChange,
    Clinical,
    ClinicalChange,
    Hospitals,
    Week,
    WeekChange,
}

impl Column {
    pub const ALL: [Column; 8] = [
        Column::Name,
        Column::Icu,
        Column::IcuChange,
        Column::Clinical,
        Column::ClinicalChange,
        Column::Hospitals,
        Column::Week,
        Column::WeekChange,
    ];

    /// The value of the `ordem` query parameter.
    pub fn code(self) -> &'static str {
        match self {
            Column::Name => "uf",
            Column::Icu => "icu",
            Column::IcuChange => "icu_change",
            Column::Clinical => "clinical",
            Column::ClinicalChange => "clinical_change",
            Column::Hospitals => "hospitals",
            Column::Week => "week",
            Column::WeekChange => "week_change",
        }
    }

    /// The column `ordem` names, or the one the map's `metric` shows.
    pub fn chosen(code: Option<&str>, metric: MapMetric) -> Column {
        Self::ALL
            .into_iter()
            .find(|c| Some(c.code()) == code)
            .unwrap_or(match metric {
                MapMetric::IcuCovidRate => Column::Icu,
                MapMetric::ClinicalCovidRate => Column::Clinical,
                _ => Column::Week,
            })
    }

    /// The figure a row is sorted on.
    fn key(self, row: &StateStanding) -> Option<f64> {
        match self {
            Column::Name => None,
            Column::Icu => row.icu.map(|c| c.value),
            Column::IcuChange => row.icu.and_then(Change::points),
            Column::Clinical => row.clinical.map(|c| c.value),
            Column::ClinicalChange => row.clinical.and_then(Change::points),
            Column::Hospitals => row.hospitals.map(|h| h as f64),
            Column::Week => row.week.map(|c| c.value),
            Column::WeekChange => row.week.and_then(Change::relative),
        }
    }
}

/// Sorts `rows` by `column`: names A to Z; figures highest first, rows
/// without one last, ties by name.
pub fn sort(rows: &mut [StateStanding], column: Column) {
    rows.sort_by(|a, b| {
        let by_figure = match (column.key(a), column.key(b)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_figure.then_with(|| a.name.cmp(&b.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, icu: Option<(f64, f64)>) -> StateStanding {
        StateStanding {
            uf: name.to_owned(),
            name: name.to_owned(),
            icu: icu.map(|(value, previous)| Change {
                value,
                previous: Some(previous),
            }),
            clinical: None,
            hospitals: None,
            week: None,
            irregular: false,
        }
    }

    #[test]
    fn rows_sort_highest_first_without_a_figure_last() {
        let mut rows = vec![
            row("Acre", None),
            row("Bahia", Some((0.799, 0.70))),
            row("Ceará", Some((0.85, 0.86))),
            row("Amapá", Some((0.799, 0.79))),
        ];
        sort(&mut rows, Column::Icu);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Ceará", "Amapá", "Bahia", "Acre"]);
        sort(&mut rows, Column::IcuChange);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Bahia", "Amapá", "Ceará", "Acre"]);
        sort(&mut rows, Column::Name);
        assert_eq!(rows[0].name, "Acre");
    }

    #[test]
    fn the_map_s_metric_sorts_unless_the_url_names_a_column() {
        assert_eq!(Column::chosen(None, MapMetric::IcuCovidRate), Column::Icu);
        assert_eq!(Column::chosen(None, MapMetric::CasesPer100k), Column::Week);
        assert_eq!(
            Column::chosen(Some("hospitals"), MapMetric::IcuCovidRate),
            Column::Hospitals
        );
        assert_eq!(
            Column::chosen(Some("x"), MapMetric::ClinicalCovidRate),
            Column::Clinical
        );
    }
}
