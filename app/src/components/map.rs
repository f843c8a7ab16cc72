//! The choropleth map of the states: SVG paths from the ingested (and
//! simplified) geometry, coloured in a sequential palette that colour-blind
//! readers can order (occupancy by the fixed alert thresholds Brazilian
//! users know, the SRAG trend by its class on a diverging scale, the other
//! metrics in five quantile classes), with a legend, the value of
//! each state on hover or keyboard focus (click or Enter opens its page),
//! and links that switch the metric in the URL (so the view can be shared,
//! and back/forward work).

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::{
    catalog::vocabulary::TrendClass,
    dashboard::{MapArea, MapMetric},
    format::date_br,
    i18n::Strings,
    url::{query_with, state_query},
};

/// The five quantile classes, lightest to darkest, as the stylesheet names
/// them; it colours them ColorBrewer OrRd: sequential, readable with
/// colour-blindness.
pub(crate) const CLASSES: [&str; 5] = [
    "quantile-0",
    "quantile-1",
    "quantile-2",
    "quantile-3",
    "quantile-4",
];
/// The class of an area without a value.
pub(crate) const NO_DATA: &str = "no-data";
/// The class of an area outside the territory the page is filtered by.
const OUTSIDE: &str = "outside";

/// Occupancy's alert thresholds: Fiocruz's ICU alert zones (alert from
/// 60 %, critical from 80 %), and 90 %; a rate on a threshold is in the
/// class above it.
const ALERT_THRESHOLDS: [f64; 3] = [0.6, 0.8, 0.9];
/// The classes of occupancy, below 60 % to 90 % and above, as the
/// stylesheet names them.
const ALERT_CLASSES: [&str; 4] = ["alert-0", "alert-1", "alert-2", "alert-3"];

/// The trend classes, falling to rising, as the stylesheet names them; it
/// colours them on a diverging blue–red scale, grey for stable.
const TREND_CLASSES: [TrendClass; 5] = [
    TrendClass::Decrease,
    TrendClass::LikelyDecrease,
    TrendClass::Stable,
    TrendClass::LikelyIncrease,
    TrendClass::Increase,
];

/// How the map's areas are classed.
enum Scale {
    /// Occupancy: the same fixed thresholds on every day.
    Alert,
    /// A trend: by its class, from the probability that it is an increase.
    Trend,
    /// Other metrics: the upper bounds of five quantile classes of the
    /// values shown, and the lowest value.
    Quantiles { bounds: Vec<f64>, lowest: f64 },
}

impl Scale {
    fn of(metric: MapMetric, values: &[f64]) -> Self {
        if metric.is_rate() {
            Scale::Alert
        } else if metric == MapMetric::SragTrend {
            Scale::Trend
        } else {
            Scale::Quantiles {
                bounds: breaks(values),
                lowest: values.iter().copied().fold(f64::INFINITY, f64::min),
            }
        }
    }

    fn class(&self, value: f64) -> &'static str {
        match self {
            Scale::Alert => ALERT_CLASSES[alert_class(value)],
            Scale::Trend => trend_css(TrendClass::of(value)),
            Scale::Quantiles { bounds, .. } => CLASSES[class_of(value, bounds)],
        }
    }

    /// Each class and the range it shows.
    fn legend(&self, metric: MapMetric, s: &Strings) -> Vec<(&'static str, String)> {
        match self {
            Scale::Alert => {
                let percent = |rate: f64| format!("{:.0}%", rate * 100.0);
                let [alert, critical, highest] = ALERT_THRESHOLDS.map(percent);
                vec![
                    (ALERT_CLASSES[0], format!("< {alert}")),
                    (ALERT_CLASSES[1], format!("{alert} – < {critical}")),
                    (ALERT_CLASSES[2], format!("{critical} – < {highest}")),
                    (ALERT_CLASSES[3], format!("≥ {highest}")),
                ]
            }
            Scale::Trend => TREND_CLASSES
                .into_iter()
                .map(|class| (trend_css(class), s.trend(class).to_owned()))
                .collect(),
            Scale::Quantiles { bounds, lowest } => bounds
                .iter()
                .enumerate()
                .map(|(i, upper)| {
                    let lower = if i == 0 { *lowest } else { bounds[i - 1] };
                    (
                        CLASSES[i],
                        format!("{} – {}", show(metric, lower, s), show(metric, *upper, s)),
                    )
                })
                .collect(),
        }
    }
}

/// A trend class's name in the stylesheet.
fn trend_css(class: TrendClass) -> &'static str {
    match class {
        TrendClass::Decrease => "trend-0",
        TrendClass::LikelyDecrease => "trend-1",
        TrendClass::Stable => "trend-2",
        TrendClass::LikelyIncrease => "trend-3",
        TrendClass::Increase => "trend-4",
    }
}

fn alert_class(rate: f64) -> usize {
    ALERT_THRESHOLDS
        .iter()
        .position(|threshold| rate < *threshold)
        .unwrap_or(ALERT_THRESHOLDS.len())
}

fn metric_label(metric: MapMetric, s: &Strings) -> &'static str {
    match metric {
        MapMetric::CasesPer100k => s.metric_cases,
        MapMetric::DeathsPer100k => s.metric_deaths,
        MapMetric::WeekPer100k => s.metric_week,
        MapMetric::IcuCovidRate => s.metric_icu,
        MapMetric::ClinicalCovidRate => s.metric_clinical,
        MapMetric::SragTrend => s.metric_trend,
    }
}

fn show(metric: MapMetric, value: f64, s: &Strings) -> String {
    match metric {
        MapMetric::SragTrend => format!(
            "{} ({} {})",
            s.trend(TrendClass::of(value)),
            s.trends_p_increase.to_lowercase(),
            s.numbers.percent(value)
        ),
        _ if metric.is_rate() => s.numbers.percent(value),
        _ => s.numbers.number(value, 1),
    }
}

/// The upper bounds of five quantile classes of `values`.
pub(crate) fn breaks(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return Vec::new();
    }
    (1..=CLASSES.len())
        .map(|k| sorted[(k * sorted.len()).div_ceil(CLASSES.len()) - 1])
        .collect()
}

pub(crate) fn class_of(value: f64, breaks: &[f64]) -> usize {
    breaks
        .iter()
        .position(|b| value <= *b)
        .unwrap_or(CLASSES.len() - 1)
}

/// The map, its metric switch and its legend; nothing without geometry.
/// A state opens its page by click or Enter (`data-href`, followed by the
/// browser's page component).
#[component]
pub fn StateMap(
    metric: MapMetric,
    /// The day the values refer to.
    as_of: Option<NaiveDate>,
    view_box: String,
    areas: Vec<MapArea>,
    s: &'static Strings,
    query: ParamsMap,
) -> impl IntoView {
    if areas.is_empty() {
        return None;
    }
    let values: Vec<f64> = areas.iter().filter_map(|a| a.value).collect();
    let scale = Scale::of(metric, &values);
    let legend = scale.legend(metric, s);
    let scale_note = match metric {
        MapMetric::SragTrend => Some(s.trend_classes),
        _ => metric.is_rate().then_some(s.alert_thresholds),
    };
    let state_query = state_query(&query);
    let any_outside = areas.iter().any(|area| area.outside);
    Some(view! {
        <section class="map-panel" aria-labelledby="map-title">
            <h2 id="map-title">{s.map_title}</h2>
            {as_of.map(|day| view! { <p class="covered">{format!("{} {}", s.data_as_of, date_br(day))}</p> })}
            <nav class="segmented" aria-label=s.map_metric>
                {MapMetric::ALL
                    .into_iter()
                    .map(|m| {
                        view! {
                            <a
                                href=query_with(&query, &[("metric", Some(m.code()))])
                                class:active=m == metric
                                aria-current=(m == metric).then_some("true")
                            >
                                {metric_label(m, s)}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <figure class="map">
                <svg viewBox=view_box role="group" aria-label=metric_label(metric, s)>
                    {areas
                        .into_iter()
                        .map(|area| {
                            let class = match (area.outside, area.value) {
                                (true, _) => OUTSIDE,
                                (false, None) => NO_DATA,
                                (false, Some(v)) => scale.class(v),
                            };
                            let value = match (area.outside, area.value) {
                                (true, _) => s.outside_territory.to_owned(),
                                (false, None) => s.no_value.to_owned(),
                                (false, Some(v)) => show(metric, v, s),
                            };
                            let text = format!("{} ({}): {}", area.name, area.uf, value);
                            let label = text.clone();
                            view! {
                                <path
                                    d=area.path
                                    class=class
                                    data-uf=area.uf.clone()
                                    data-href=format!("/uf/{}{state_query}", area.uf)
                                    data-tip=text
                                    tabindex="0"
                                    role="img"
                                    aria-label=label
                                ></path>
                            }
                        })
                        .collect_view()}
                </svg>
                <figcaption>
                    {scale_note.map(|note| view! { <p class="legend-note">{note}</p> })}
                    <ul class="legend">
                        {legend
                            .into_iter()
                            .map(|(class, range)| view! {
                                <li><span class=format!("swatch {class}")></span>{range}</li>
                            })
                            .collect_view()}
                        <li><span class=format!("swatch {NO_DATA}")></span>{s.no_value}</li>
                        {any_outside.then(|| view! {
                            <li><span class=format!("swatch {OUTSIDE}")></span>{s.outside_territory}</li>
                        })}
                    </ul>
                </figcaption>
            </figure>
        </section>
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn five_quantile_classes_cover_every_value() {
        let values: Vec<f64> = (1..=27).map(f64::from).collect();
        let b = breaks(&values);
        assert_eq!(b.len(), 5);
        assert_eq!(*b.last().unwrap(), 27.0);
        assert_eq!(class_of(1.0, &b), 0);
        assert_eq!(class_of(27.0, &b), 4);
        assert!(breaks(&[]).is_empty());
    }

    #[test]
    fn occupancy_is_classed_by_fixed_thresholds_whatever_the_other_states() {
        let scale = Scale::of(MapMetric::IcuCovidRate, &[0.1, 0.2, 0.799]);
        // Bahia's 79,9 % is in the alert class, never the palest.
        assert_eq!(scale.class(0.799), "alert-1");
        assert_eq!(scale.class(0.5999), "alert-0");
        assert_eq!(scale.class(0.6), "alert-1");
        assert_eq!(scale.class(0.8), "alert-2");
        assert_eq!(scale.class(0.95), "alert-3");
        assert_eq!(scale.class(1.0), "alert-3");
        let legend = scale.legend(MapMetric::IcuCovidRate, Lang::Pt.strings());
        assert_eq!(legend[1], ("alert-1", "60% – < 80%".to_owned()));
        assert_eq!(legend[3], ("alert-3", "≥ 90%".to_owned()));
        // Cases keep their quantiles.
        let cases = Scale::of(MapMetric::CasesPer100k, &[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(cases.class(1.0), "quantile-0");
        assert_eq!(cases.class(5.0), "quantile-4");
    }

    #[test]
    fn trends_are_classed_by_their_probability_of_increase() {
        let scale = Scale::of(MapMetric::SragTrend, &[0.5]);
        assert_eq!(scale.class(0.96), "trend-4");
        assert_eq!(scale.class(0.8), "trend-3");
        assert_eq!(scale.class(0.5), "trend-2");
        assert_eq!(scale.class(0.1), "trend-1");
        assert_eq!(scale.class(0.01), "trend-0");
        let s = Lang::Pt.strings();
        let legend = scale.legend(MapMetric::SragTrend, s);
        assert_eq!(legend[4], ("trend-4", "aumento".to_owned()));
        assert_eq!(
            show(MapMetric::SragTrend, 0.82, s),
            "provável aumento (probabilidade de aumento 82,0%)"
        );
    }
}
