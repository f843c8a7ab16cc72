//! Query parameters: each endpoint's parameters as a struct of optional
//! strings (so every mistake is ours to explain), the extractor that reads
//! them, and the validators that turn them into typed values or a
//! [`ParamError`] naming the parameter and what it allows.

use axum::{extract::FromRequestParts, http::request::Parts};
use chrono::{Duration, NaiveDate};
use serde::de::DeserializeOwned;

use super::error::{ApiError, ParamError};
use app::catalog::{
    territory::{Territory, is_slug},
    vocabulary::{Place, Word},
};

use crate::territories::Territories;

/// The most rows any list returns in one response.
pub const MAX_LIMIT: u64 = 10_000;
/// The most cities one request may name.
const MAX_CITIES: usize = 100;
/// Dates outside these bounds are typing mistakes, not queries.
const FIRST_DAY: (i32, u32, u32) = (2020, 1, 1);
const LAST_DAY: (i32, u32, u32) = (2099, 12, 31);

/// Declares an endpoint's query parameters, adding the output parameters
/// every endpoint shares (`format`, `dialect`).
macro_rules! query_params {
    ($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
        #[serde(deny_unknown_fields)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: Option<String>,)*
            /// `json` (default) or `csv`; `Accept: text/csv` also selects CSV.
            pub format: Option<String>,
            /// CSV dialect: `rfc4180` (default; comma, decimal point) or
            /// `excel-br` (semicolon, decimal comma, UTF-8 BOM: opens as
            /// columns in a Brazilian Excel).
            pub dialect: Option<String>,
        }

        impl $crate::routes::api::params::OutputParams for $name {
            fn format(&self) -> Option<&str> {
                self.format.as_deref()
            }
            fn dialect(&self) -> Option<&str> {
                self.dialect.as_deref()
            }
        }
    };
}
pub(crate) use query_params;

/// The output parameters every endpoint accepts.
pub trait OutputParams {
    fn format(&self) -> Option<&str>;
    fn dialect(&self) -> Option<&str>;
}

/// An endpoint's query parameters, read from the query string: unknown or
/// repeated parameters are a 400 naming them.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(query)
            .map(Params)
            .map_err(|error| ApiError::Param(from_serde(&error.to_string())))
    }
}

/// Names the parameter serde complained about (its messages quote it in
/// backticks: "unknown field `x`, expected one of `a`, `b`").
fn from_serde(message: &str) -> ParamError {
    let parameter = message.split('`').nth(1).unwrap_or("query").to_owned();
    let (message, allowed) = match message.split_once(", expected ") {
        Some((what, allowed)) => (what.replace("field", "parameter"), allowed.replace('`', "")),
        None => (
            message.replace("field", "parameter"),
            "each parameter once".to_owned(),
        ),
    };
    ParamError::new(&parameter, message, allowed)
}

/// State codes, comma-separated, any case: `SP,rj`. `BR` (the whole
/// country) only where `with_brazil`. Empty when absent.
pub fn states(
    name: &str,
    value: Option<&str>,
    with_brazil: bool,
) -> Result<Vec<Place>, ParamError> {
    let allowed = if with_brazil {
        "state codes such as SP or SP,RJ (27 states, and BR for Brazil)"
    } else {
        "state codes such as SP or SP,RJ (27 states)"
    };
    let mut codes = Vec::new();
    for code in list(value) {
        let code = code.to_ascii_uppercase();
        let place = Place::parse(&code)
            .filter(|place| with_brazil || *place != Place::Brazil)
            .ok_or_else(|| ParamError::new(name, format!("unknown state {code:?}"), allowed))?;
        if !codes.contains(&place) {
            codes.push(place);
        }
    }
    Ok(codes)
}

/// Places, comma-separated: the slugs of configured sales territories
/// and state codes (and BR); a value that names a territory is the
/// territory. Both empty when absent.
pub fn places<'t>(
    name: &str,
    value: Option<&str>,
    territories: &'t Territories,
) -> Result<(Vec<Place>, Vec<&'t Territory>), ParamError> {
    let mut chosen: Vec<&Territory> = Vec::new();
    let mut codes = Vec::new();
    for place in list(value) {
        match territories.find(place) {
            Some(territory) if !chosen.contains(&territory) => chosen.push(territory),
            Some(_) => {}
            None => codes.push(place),
        }
    }
    let ufs = states(name, Some(&codes.join(",")), true).map_err(|error| {
        ParamError::new(
            name,
            error.message,
            format!("{}, or territories: {}", error.allowed, territories.slugs()),
        )
    })?;
    Ok((ufs, chosen))
}

/// 7-digit IBGE city codes, comma-separated. Empty when absent.
pub fn cities(name: &str, value: Option<&str>) -> Result<Vec<String>, ParamError> {
    let allowed = format!("up to {MAX_CITIES} 7-digit IBGE city codes, such as 3550308");
    let codes: Vec<String> = list(value).map(str::to_owned).collect();
    if codes.len() > MAX_CITIES {
        return Err(ParamError::new(name, "too many cities", allowed));
    }
    match codes
        .iter()
        .find(|c| c.len() != 7 || !c.bytes().all(|b| b.is_ascii_digit()))
    {
        Some(bad) => Err(ParamError::new(
            name,
            format!("not a city code: {bad:?}"),
            allowed,
        )),
        None => Ok(codes),
    }
}

/// A territory's slug, one of `territories`. `None` when absent.
pub fn territory<'t>(
    name: &str,
    value: Option<&str>,
    territories: &'t Territories,
) -> Result<Option<&'t Territory>, ParamError> {
    let Some(slug) = value.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let allowed = || format!("a territory: {}", territories.slugs());
    match territories.find(slug) {
        Some(territory) => Ok(Some(territory)),
        None if is_slug(slug) => Err(ParamError::new(
            name,
            format!("unknown territory {slug:?}"),
            allowed(),
        )),
        None => Err(ParamError::new(name, "not a territory's slug", allowed())),
    }
}

fn list(value: Option<&str>) -> impl Iterator<Item = &str> {
    value
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn day((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid constant date")
}

/// A calendar date, `YYYY-MM-DD`.
pub fn date(name: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ParamError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let allowed = "a date YYYY-MM-DD between 2020-01-01 and 2099-12-31";
    let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| ParamError::new(name, format!("not a date: {text:?}"), allowed))?;
    if parsed < day(FIRST_DAY) || parsed > day(LAST_DAY) {
        return Err(ParamError::new(
            name,
            format!("date out of range: {text}"),
            allowed,
        ));
    }
    Ok(Some(parsed))
}

/// One of a fixed set of words; `default` when absent.
pub fn choice(
    name: &str,
    value: Option<&str>,
    allowed: &[&'static str],
    default: &'static str,
) -> Result<&'static str, ParamError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    allowed
        .iter()
        .find(|word| word.eq_ignore_ascii_case(text))
        .copied()
        .ok_or_else(|| ParamError::new(name, format!("unknown value {text:?}"), allowed.join(", ")))
}

/// A word of the catalogue's vocabulary (any case); `default` when absent.
pub fn word<W: Word>(name: &str, value: Option<&str>, default: W) -> Result<W, ParamError> {
    optional_word(name, value).map(|word| word.unwrap_or(default))
}

/// A word of the catalogue's vocabulary (any case), or `None` when absent
/// or blank.
pub fn optional_word<W: Word>(name: &str, value: Option<&str>) -> Result<Option<W>, ParamError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    W::CODES
        .iter()
        .find(|code| code.eq_ignore_ascii_case(text))
        .and_then(|code| W::parse(code))
        .map(Some)
        .ok_or_else(|| {
            ParamError::new(name, format!("unknown value {text:?}"), W::CODES.join(", "))
        })
}

/// A whole number in `min..=max`; `default` when absent.
pub fn number(
    name: &str,
    value: Option<&str>,
    min: u64,
    max: u64,
    default: u64,
) -> Result<u64, ParamError> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(default);
    };
    text.parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            ParamError::new(
                name,
                format!("not allowed: {text:?}"),
                format!("a whole number from {min} to {max}"),
            )
        })
}

/// The page of a list: `limit` (1 to [`MAX_LIMIT`]) and `offset`.
pub fn page(
    limit: Option<&str>,
    offset: Option<&str>,
    default_limit: u64,
) -> Result<crate::store::Page, ParamError> {
    let limit = number("limit", limit, 1, MAX_LIMIT, default_limit)?;
    let offset = number("offset", offset, 0, 100_000_000, 0)?;
    Ok(crate::store::Page {
        limit: u32::try_from(limit).expect("limit is at most MAX_LIMIT"),
        offset,
    })
}

/// A date range from `from` and `to`. A missing end defaults to `newest`
/// (the newest day of the data), a missing start to `default_days` before
/// the end. `None` when neither is given and there is no data.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    newest: Option<NaiveDate>,
    default_days: i64,
) -> Result<Option<(NaiveDate, NaiveDate)>, ParamError> {
    let (start, end) = (date("from", from)?, date("to", to)?);
    let Some(end) = end.or(newest).or(start) else {
        return Ok(None);
    };
    let start = start.unwrap_or(end - Duration::days(default_days - 1));
    if start > end {
        return Err(ParamError::new(
            "from",
            format!("from ({start}) is after to ({end})"),
            "a date on or before to",
        ));
    }
    Ok(Some((start, end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_upper_cased_deduplicated_and_checked() {
        let codes = |places: Vec<Place>| places.into_iter().map(Place::code).collect::<Vec<_>>();
        assert_eq!(
            codes(states("uf", Some("sp, RJ,sp"), false).unwrap()),
            ["SP", "RJ"]
        );
        assert_eq!(codes(states("uf", Some("BR"), true).unwrap()), ["BR"]);
        let error = states("uf", Some("BR"), false).unwrap_err();
        assert_eq!(error.parameter, "uf");
        assert!(states("uf", None, false).unwrap().is_empty());
    }

    #[test]
    fn dates_are_strict_and_bounded() {
        assert_eq!(
            date("from", Some("2021-03-22")).unwrap(),
            NaiveDate::from_ymd_opt(2021, 3, 22)
        );
        for bad in [
            "2021-3-22",
            "22/03/2021",
            "2021-02-30",
            "1999-01-01",
            "2021-03-22T00:00",
        ] {
            assert_eq!(
                date("from", Some(bad)).unwrap_err().parameter,
                "from",
                "{bad}"
            );
        }
    }

    #[test]
    fn periods_default_to_the_newest_data_and_refuse_reversed_ranges() {
        let newest = NaiveDate::from_ymd_opt(2021, 3, 22);
        let (start, end) = period(None, None, newest, 7).unwrap().unwrap();
        assert_eq!(
            (start.to_string(), end.to_string()),
            ("2021-03-16".into(), "2021-03-22".into())
        );
        assert!(period(None, None, None, 7).unwrap().is_none());
        let error = period(Some("2021-03-22"), Some("2021-03-01"), newest, 7).unwrap_err();
        assert_eq!(error.parameter, "from");
    }

    #[test]
    fn serde_complaints_name_the_parameter() {
        let error = from_serde("unknown field `ufs`, expected one of `uf`, `from`");
        assert_eq!(error.parameter, "ufs");
        assert_eq!(error.allowed, "one of uf, from");
        assert_eq!(from_serde("duplicate field `uf`").parameter, "uf");
    }

    #[test]
    fn numbers_and_choices_are_bounded() {
        assert_eq!(number("limit", Some("10"), 1, 100, 5).unwrap(), 10);
        assert_eq!(number("limit", None, 1, 100, 5).unwrap(), 5);
        for bad in ["0", "101", "-1", "1e3", "99999999999999999999999"] {
            assert!(number("limit", Some(bad), 1, 100, 5).is_err(), "{bad}");
        }
        assert_eq!(
            choice("scope", Some("COVID"), &["all", "covid"], "all").unwrap(),
            "covid"
        );
        assert!(choice("scope", Some("x"), &["all", "covid"], "all").is_err());
    }
}
