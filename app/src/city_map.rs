//! The state page's city map, drawn on the server as SVG: each municipality
//! one path (hundreds of them: no other element per city) in the colour of
//! its cases per 100,000 inhabitants (the state map's five quantile
//! classes), its name and value for the page's tooltip layer (`data-tip`),
//! the city's page on click or Enter (`data-href`; each city a link in
//! the tab order, named with its value, which focus shows as the pointer
//! does; on a phone the first tap shows it, the second opens), and the
//! legend.

use std::{collections::HashMap, fmt::Write};

use crate::{
    components::map::{CLASSES, NO_DATA, breaks, class_of},
    format::date_br,
    i18n::Lang,
    state_view::StateSeries,
};

/// The map's heading (here rather than in [`Strings`](crate::i18n::Strings),
/// which the WASM carries).
fn title(lang: Lang) -> &'static str {
    match lang {
        Lang::Pt => "Mapa dos municípios: casos por 100 mil habitantes",
        Lang::En => "Map of the cities: cases per 100,000 inhabitants",
    }
}

/// Escapes text for an SVG text node or a quoted attribute.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The panel of `uf`'s municipality map (heading, map, legend) as HTML;
/// empty when the state's municipality geometry is not collected. `kept` is
/// the query the city links keep, as the page's other links keep it.
pub fn city_map(uf: &str, series: &StateSeries, lang: Lang, kept: &str) -> String {
    let Some(outlines) = &series.outlines else {
        return String::new();
    };
    let s = lang.strings();
    let values: HashMap<&str, (f64, &str)> = series
        .every_city
        .iter()
        .filter_map(|r| Some((r.city_ibge.as_deref()?, (r.value, r.name.as_str()))))
        .collect();
    let known: Vec<f64> = values.values().map(|(v, _)| *v).collect();
    let bounds = breaks(&known);
    let query = xml_text(kept);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"city-map\" viewBox=\"{}\" role=\"group\" aria-label=\"{}\">",
        xml_text(&outlines.view_box),
        xml_text(title(lang))
    );
    for city in &outlines.cities {
        let (class, value, name) = match values.get(city.code.as_str()) {
            Some((value, name)) => (
                CLASSES[class_of(*value, &bounds)],
                s.numbers.number(*value, 1),
                *name,
            ),
            None => (NO_DATA, s.no_value.to_owned(), city.name.as_str()),
        };
        let _ = write!(
            svg,
            "<path d=\"{path}\" class=\"{class}\" data-city=\"{code}\" \
             data-href=\"/municipio/{code}{query}\" data-tip=\"{tip}\" \
             tabindex=\"0\" role=\"link\" aria-label=\"{tip}\"/>",
            code = xml_text(&city.code),
            path = xml_text(&city.path),
            tip = xml_text(&format!("{name}: {value}")),
        );
    }
    svg.push_str("</svg>");

    let lowest = known.iter().copied().fold(f64::INFINITY, f64::min);
    let mut legend = String::from("<ul class=\"legend\">");
    for (i, upper) in bounds.iter().enumerate() {
        let lower = if i == 0 { lowest } else { bounds[i - 1] };
        // Many cities share a value (no case yet: 0): a class whose bound
        // repeats the previous one holds no city.
        if i > 0 && *upper == lower {
            continue;
        }
        let range = match lower == *upper {
            true => s.numbers.number(lower, 1),
            false => format!(
                "{} – {}",
                s.numbers.number(lower, 1),
                s.numbers.number(*upper, 1)
            ),
        };
        let _ = write!(
            legend,
            "<li><span class=\"swatch {}\"></span>{range}</li>",
            CLASSES[i]
        );
    }
    let _ = write!(
        legend,
        "<li><span class=\"swatch {NO_DATA}\"></span>{}</li></ul>",
        xml_text(s.no_value)
    );
    let as_of = series
        .every_city
        .first()
        .map(|r| {
            format!(
                "<p class=\"as-of\">{} {}</p>",
                s.data_as_of,
                date_br(r.period_end)
            )
        })
        .unwrap_or_default();
    format!(
        "<section class=\"city-map-panel\" aria-labelledby=\"city-map-title\">\
         <h2 id=\"city-map-title\">{}</h2>\
         <figure class=\"map\" data-uf=\"{}\">{svg}<figcaption>{legend}{as_of}</figcaption></figure>\
         </section>",
        xml_text(title(lang)),
        xml_text(uf)
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::{
        catalog::vocabulary::{Metric, PlaceKind},
        indicators::RankingEntry,
        state_view::{CityOutline, CityOutlines},
    };

    fn entry(code: &str, name: &str, value: f64) -> RankingEntry {
        let day = NaiveDate::from_ymd_opt(2020, 5, 5).unwrap();
        RankingEntry {
            scope: PlaceKind::City,
            rank: 1,
            uf: "SP".into(),
            city_ibge: Some(code.into()),
            name: name.into(),
            metric: Metric::CasesPer100k,
            period_start: day,
            period_end: day,
            value,
            previous_value: None,
            change: None,
            population: 100_000,
        }
    }

    fn outline(code: &str, name: &str) -> CityOutline {
        CityOutline {
            code: code.into(),
            name: name.into(),
            path: "M1 1l1 0l0 1z".into(),
        }
    }

    #[test]
    fn colours_each_city_by_its_class_and_escapes_names() {
        let cities = [
            ("3550308", "São Paulo", 120.5),
            ("3509502", "Campinas", 40.0),
            ("3548708", "São Bernardo do Campo", 60.0),
            ("3547809", "Santo André", 80.0),
            ("3518800", "Guarulhos", 100.0),
        ];
        let mut outlines: Vec<CityOutline> = cities
            .iter()
            .map(|(code, name, _)| outline(code, name))
            .collect();
        outlines.push(outline("3548500", "Santa Bárbara d'Oeste & <x>"));
        let series = StateSeries {
            every_city: cities
                .iter()
                .map(|(code, name, value)| entry(code, name, *value))
                .collect(),
            outlines: Some(CityOutlines {
                view_box: "250 280 80 60".into(),
                cities: outlines,
            }),
            ..StateSeries::default()
        };
        let html = city_map("SP", &series, Lang::Pt, "?period=30&per100k=1&embed=1");
        assert!(html.contains("viewBox=\"250 280 80 60\""), "{html}");
        // Five values, five classes: the lowest lightest, the highest darkest.
        assert!(html.contains("class=\"quantile-0\" data-city=\"3509502\""));
        assert!(html.contains("class=\"quantile-4\" data-city=\"3550308\""));
        assert!(html.contains("class=\"no-data\" data-city=\"3548500\""));
        assert!(html.contains("data-tip=\"São Paulo: 120,5\""), "{html}");
        assert!(html.contains("data-tip=\"Santa Bárbara d'Oeste &amp; &lt;x&gt;: sem dado\""));
        assert!(
            html.contains("data-href=\"/municipio/3509502?period=30&amp;per100k=1&amp;embed=1\""),
            "{html}"
        );
        // One element per city.
        assert_eq!(html.matches("<path").count(), 6);
        assert_eq!(
            html.matches("<a ").count() + html.matches("<title>").count(),
            0
        );
        assert!(html.contains("Dados até 05/05/2020"));
        assert!(city_map("SP", &StateSeries::default(), Lang::Pt, "").is_empty());
    }
}
