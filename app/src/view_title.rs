//! What a view is called, from its address: the page's `<title>`, its Open
//! Graph title (what Teams or WhatsApp show of a pasted link) and, after a
//! navigation in the browser, the document's title again
//! (`São Paulo (SP) — UTI — 30 dias · Sentinela`).

#[cfg(feature = "ssr")]
use leptos_router::params::ParamsMap;

#[cfg(feature = "ssr")]
use crate::{
    catalog::vocabulary::{BedClass, Scope, Uf},
    format::date_br,
    i18n::Lang,
    state_view::{BedFilter, Period},
};

/// The marker that carries the title at the head of a page's content.
const MARKER: (&str, &str) = ("<!--title:", "-->");

/// The title of the view at `path` with `query`.
#[cfg(feature = "ssr")]
pub fn of(path: &str, query: &ParamsMap) -> String {
    let lang = Lang::from_query(query.get_str("lang"));
    let s = lang.strings();
    let mut parts: Vec<String> = Vec::new();
    match path.trim_end_matches('/').split('/').collect::<Vec<_>>()[..] {
        ["", "uf", uf] => {
            match Uf::parse(&uf.to_ascii_uppercase()) {
                Some(uf) => parts.push(format!("{} ({})", uf.name(), uf.code())),
                None => parts.push(lang.frame().not_found_title.to_owned()),
            }
            let beds = BedFilter::from_query(query.get_str("bed_class"), query.get_str("scope"));
            parts.extend(beds.class.map(|class| {
                match class {
                    BedClass::Icu => s.icu,
                    BedClass::Clinical => s.clinical,
                }
                .to_owned()
            }));
            parts.extend(beds.scope.map(|scope| {
                match scope {
                    Scope::Covid => s.covid_beds,
                    Scope::All => s.all_beds,
                }
                .to_owned()
            }));
            parts.push(period(query, lang));
        }
        ["", "municipio", code] => {
            parts.push(format!("{} {code}", s.city_word));
            parts.push(period(query, lang));
        }
        ["", "dados"] => parts.push(lang.frame().quality_title.to_owned()),
        ["", "busca"] => parts.push(s.search_title.to_owned()),
        ["", "hospital", cnes] => parts.push(format!("{} {cnes}", s.hospital_word)),
        ["", "hospitais"] => {
            parts.push(s.hospitals_title.to_owned());
            parts.extend(
                query
                    .get_str("uf")
                    .and_then(|uf| Uf::parse(&uf.to_ascii_uppercase()))
                    .map(|uf| uf.name().to_owned()),
            );
        }
        _ => parts.push(s.overview.to_owned()),
    }
    format!("{} · Sentinela", parts.join(" — "))
}

#[cfg(feature = "ssr")]
fn period(query: &ParamsMap, lang: Lang) -> String {
    let s = lang.strings();
    match Period::from_query(
        query.get_str("period"),
        query.get_str("from"),
        query.get_str("to"),
    ) {
        Period::Last(days) => format!("{days} {}", s.days),
        Period::Between(from, to) => format!("{} – {}", date_br(from), date_br(to)),
    }
}

/// `html` headed by the marker that names its view.
#[cfg(feature = "ssr")]
pub fn marked(title: &str, html: &str) -> String {
    format!("{}{title}{}{html}", MARKER.0, MARKER.1)
}

/// The title a page's content names, if it names one.
pub fn in_content(html: &str) -> Option<&str> {
    html.strip_prefix(MARKER.0)?
        .split_once(MARKER.1)
        .map(|(title, _)| title)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn query(pairs: &[(&'static str, &str)]) -> ParamsMap {
        pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
    }

    #[test]
    fn a_view_is_named_by_its_place_beds_and_period() {
        assert_eq!(
            of("/uf/SP", &query(&[("bed_class", "icu"), ("period", "30")])),
            "São Paulo (SP) — UTI — 30 dias · Sentinela"
        );
        assert_eq!(
            of(
                "/uf/rj",
                &query(&[("from", "2021-02-23"), ("to", "2021-03-22"), ("lang", "en")])
            ),
            "Rio de Janeiro (RJ) — 23/02/2021 – 22/03/2021 · Sentinela"
        );
        assert_eq!(of("/", &query(&[])), "Visão geral · Sentinela");
        assert_eq!(
            of("/dados", &query(&[("lang", "en")])),
            "Data and quality · Sentinela"
        );
        assert_eq!(
            of("/hospitais", &query(&[("uf", "rj")])),
            "Hospitais — Rio de Janeiro · Sentinela"
        );
        assert_eq!(
            of("/hospital/2081288", &query(&[("lang", "en")])),
            "Hospital 2081288 · Sentinela"
        );
        let marked = marked("Visão geral · Sentinela", "<h1>x</h1>");
        assert_eq!(in_content(&marked), Some("Visão geral · Sentinela"));
        assert_eq!(in_content("<h1>x</h1>"), None);
    }
}
