//! Addresses the pages build: query strings that keep every other filter
//! (so a view stays shareable), percent-encoding only what needs it.

use leptos_router::params::ParamsMap;

/// Where the server serves the nowcast method's description
/// (docs/nowcast.md), which the pages link to beside every estimate.
pub const NOWCAST_DOC: &str = "/api/v1/docs/nowcast.md";

/// Percent-encodes every byte but the unreserved characters of RFC 3986.
pub fn encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(byte as char)
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// `query` with each `(key, value)` of `changes` set (or removed when the
/// value is `None`), as `?a=1&b=2` (empty when nothing is left).
pub fn query_with(query: &ParamsMap, changes: &[(&str, Option<&str>)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .latest_values()
        .filter(|(key, _)| changes.iter().all(|(changed, _)| key.as_ref() != *changed))
        .map(|(key, value)| (key.to_string(), value.to_owned()))
        .collect();
    pairs.extend(
        changes
            .iter()
            .filter_map(|(key, value)| value.map(|v| ((*key).to_owned(), v.to_owned()))),
    );
    let joined: Vec<String> = pairs
        .iter()
        .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
        .collect();
    if joined.is_empty() {
        String::new()
    } else {
        format!("?{}", joined.join("&"))
    }
}

/// The query of a link to a place's page: the overview's own choices (the
/// map's metric, the table's order) and the search's words dropped, the
/// language, embed mode and period kept.
pub fn state_query(query: &ParamsMap) -> String {
    query_with(query, &[("metric", None), ("ordem", None), ("q", None)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_other_filters_and_encodes_only_what_needs_it() {
        let query: ParamsMap = [("lang", "en"), ("period", "30"), ("q", "São Paulo")]
            .into_iter()
            .map(|(k, v)| (k, v.to_owned()))
            .collect();
        assert_eq!(
            query_with(&query, &[("metric", Some("icu_covid")), ("period", None)]),
            "?lang=en&q=S%C3%A3o%20Paulo&metric=icu_covid"
        );
        assert_eq!(query_with(&ParamsMap::new(), &[("x", None)]), "");
        let overview: ParamsMap = [
            ("metric", "icu_covid"),
            ("ordem", "icu_change"),
            ("lang", "en"),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect();
        assert_eq!(state_query(&overview), "?lang=en");
    }
}
