//! The hospitals' list as `/hospitais` asks for it (state, minimum beds,
//! bed class, order and page, all from the URL) and what the backend
//! answers: one page of hospitals, each with its summary; and one
//! hospital's page (`/hospital/2081288`): its summary, series and the
//! other hospitals of its city.

use chrono::NaiveDate;
use leptos_router::params::ParamsMap;

use crate::{
    catalog::{
        territory::is_slug,
        vocabulary::{BedClass, HospitalSort, Uf},
    },
    indicators::{HospitalOccupancy, HospitalSummary},
};

/// Hospitals per page of the list (the API's default page size).
pub const PAGE_SIZE: u32 = 50;
/// The highest page and minimum of beds the API takes.
const MOST: u64 = 100_000;

/// One list of hospitals: filters, order and page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HospitalAsk {
    /// A sales territory's slug; the backend ignores one it does not know.
    pub territory: Option<String>,
    pub uf: Option<Uf>,
    /// A city's 7-digit IBGE code.
    pub city: Option<String>,
    pub min_beds: u64,
    pub bed_class: BedClass,
    pub sort: HospitalSort,
    /// From 1.
    pub page: u64,
    pub page_size: u32,
}

impl HospitalAsk {
    /// The list the URL asks for (`territory`, `uf`, `city`, `min_beds`,
    /// `bed_class`, `ordem`, `pagina`); what cannot be read is left at its default, never refused.
    pub fn from_query(query: &ParamsMap) -> HospitalAsk {
        let number = |key: &str, default: u64| {
            query
                .get_str(key)
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map_or(default, |n| n.clamp(default, MOST))
        };
        HospitalAsk {
            territory: query
                .get_str("territory")
                .map(str::trim)
                .filter(|slug| is_slug(slug))
                .map(str::to_owned),
            uf: query
                .get_str("uf")
                .and_then(|uf| Uf::parse(&uf.trim().to_ascii_uppercase())),
            city: query
                .get_str("city")
                .map(str::trim)
                .filter(|code| Uf::of_ibge(code).is_some() && code.len() == 7)
                .map(str::to_owned),
            min_beds: number("min_beds", 0),
            bed_class: query
                .get_str("bed_class")
                .and_then(BedClass::parse)
                .unwrap_or(BedClass::Icu),
            sort: query
                .get_str("ordem")
                .and_then(HospitalSort::parse)
                .unwrap_or(HospitalSort::Pressure),
            page: number("pagina", 1),
            page_size: PAGE_SIZE,
        }
    }

    /// The ten hospitals of `uf` under the most pressure (ICU).
    pub fn top_ten(uf: Uf) -> HospitalAsk {
        HospitalAsk {
            territory: None,
            uf: Some(uf),
            city: None,
            min_beds: 0,
            bed_class: BedClass::Icu,
            sort: HospitalSort::Pressure,
            page: 1,
            page_size: 10,
        }
    }

    /// The same list from `/api/v1/hospitals`, as its query string.
    pub fn api_query(&self) -> String {
        let mut pairs = vec![
            format!("bed_class={}", self.bed_class.code()),
            format!("sort={}", self.sort.code()),
            format!("page={}", self.page),
            format!("page_size={}", self.page_size),
        ];
        if let Some(city) = &self.city {
            pairs.insert(0, format!("city={city}"));
        }
        if let Some(uf) = self.uf {
            pairs.insert(0, format!("uf={uf}"));
        }
        if let Some(territory) = &self.territory {
            pairs.insert(0, format!("territory={territory}"));
        }
        if self.min_beds > 0 {
            pairs.push(format!("min_beds={}", self.min_beds));
        }
        pairs.join("&")
    }
}

/// Days a list row's trend line spans, the list's day the last.
pub const TREND_DAYS: i64 = 28;

/// One hospital of a list: its row for the bed class asked (the order's
/// figures), its summary (both classes) when the data holds one, and the
/// rate of the class asked on each of the last [`TREND_DAYS`] days, oldest
/// first (`None` where it was not counted).
#[derive(Clone, Debug, PartialEq)]
pub struct HospitalRow {
    pub day: HospitalOccupancy,
    pub summary: Option<HospitalSummary>,
    pub trend: Vec<Option<f64>>,
}

/// One page of a list of hospitals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HospitalList {
    /// The day the figures are of; `None` before the first ingest.
    pub date: Option<NaiveDate>,
    pub rows: Vec<HospitalRow>,
    /// Whether a next page exists.
    pub more: bool,
}

/// The days of a hospital's page.
pub const SERIES_DAYS: i64 = 90;
/// The longest code a hospital of the data has (some carry a CNS or CNPJ).
pub const LONGEST_CODE: usize = 20;

/// Whether `code` can name a hospital: up to 20 letters, digits, spaces
/// or dashes (what else is asked never reaches the store).
pub fn is_hospital_code(code: &str) -> bool {
    !code.trim().is_empty()
        && code.len() <= LONGEST_CODE
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
}

/// One hospital's page.
#[derive(Clone, Debug, PartialEq)]
pub struct HospitalDetail {
    pub summary: HospitalSummary,
    /// Its last [`SERIES_DAYS`] days, per bed class and scope.
    pub days: Vec<HospitalOccupancy>,
    /// The other hospitals of its city, largest first.
    pub neighbours: Vec<HospitalSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&'static str, &str)]) -> ParamsMap {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn the_url_names_the_list_and_nonsense_falls_back_to_the_default() {
        let ask = HospitalAsk::from_query(&query(&[
            ("territory", "sudeste"),
            ("uf", "sp"),
            ("city", "3550308"),
            ("min_beds", "10"),
            ("bed_class", "clinical"),
            ("ordem", "change"),
            ("pagina", "2"),
        ]));
        assert_eq!(
            ask.api_query(),
            "territory=sudeste&uf=SP&city=3550308&bed_class=clinical&sort=change&page=2&page_size=50&min_beds=10"
        );
        let odd = HospitalAsk::from_query(&query(&[
            ("territory", "<script>"),
            ("uf", "XX"),
            ("city", "9950308"),
            ("min_beds", "-3"),
            ("bed_class", "<b>"),
            ("ordem", "size; drop"),
            ("pagina", "0"),
        ]));
        assert_eq!(odd, HospitalAsk::from_query(&query(&[])));
        assert_eq!(odd.page, 1);
    }

    #[test]
    fn only_what_can_be_a_code_names_a_hospital() {
        assert!(is_hospital_code("2081288"));
        assert!(!is_hospital_code("12.345"));
        assert!(!is_hospital_code(" "));
        assert!(!is_hospital_code(&"9".repeat(21)));
    }
}
