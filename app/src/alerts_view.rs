//! Alert rules as people read them, in Portuguese: what a rule watches,
//! its line, and what a firing saw. The alerts page ([`AlertLine`], one per
//! rule with its recent firings) and the alert e-mails say it in the same
//! words. Server-side only (`ssr`).

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    catalog::{
        alerts::{Channel, Condition, DeliveryStatus, Metric, Observation, RuleSpec, Target},
        vocabulary::{BedClass, Scope},
    },
    format::BR,
    i18n::Lang,
};

/// A rule on the alerts page.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertLine {
    pub id: String,
    pub account: String,
    pub name: String,
    /// The place's name, as the rule keeps it.
    pub place: String,
    pub spec: RuleSpec,
    pub email: Option<String>,
    pub webhook_url: Option<String>,
    pub paused: bool,
    /// Its latest firings, newest first.
    pub firings: Vec<FiringLine>,
}

/// One firing and where each of its deliveries stands.
#[derive(Clone, Debug, PartialEq)]
pub struct FiringLine {
    pub data_date: NaiveDate,
    pub seen: Observation,
    pub fired_at: DateTime<Utc>,
    pub deliveries: Vec<(Channel, DeliveryStatus)>,
}

/// The place a rule watches, by what its target alone says (`Alagoas`,
/// `Hospital CNES 2081288`): the name kept with a rule when it has none.
pub fn place_name(target: &Target) -> String {
    match target {
        Target::State(uf) => uf.name().to_owned(),
        Target::City(code) => format!("Município IBGE {code}"),
        Target::Territory(slug) => format!("Território {slug}"),
        Target::Hospital(cnes) => format!("Hospital CNES {cnes}"),
    }
}

/// The page that shows the place (`/uf/AL`, `/municipio/2704302`,
/// `/?territory=nordeste`, `/hospital/2081288`).
pub fn place_path(target: &Target) -> String {
    match target {
        Target::State(uf) => format!("/uf/{}", uf.code()),
        Target::City(code) => format!("/municipio/{code}"),
        Target::Territory(slug) => format!("/?territory={slug}"),
        Target::Hospital(cnes) => format!("/hospital/{cnes}"),
    }
}

/// A metric in words.
pub fn metric_name(metric: Metric) -> &'static str {
    match metric {
        Metric::Occupancy {
            bed_class: BedClass::Icu,
            scope: Scope::All,
        } => "ocupação de leitos de UTI",
        Metric::Occupancy {
            bed_class: BedClass::Icu,
            scope: Scope::Covid,
        } => "ocupação de leitos de UTI COVID/SRAG",
        Metric::Occupancy {
            bed_class: BedClass::Clinical,
            scope: Scope::All,
        } => "ocupação de leitos clínicos",
        Metric::Occupancy {
            bed_class: BedClass::Clinical,
            scope: Scope::Covid,
        } => "ocupação de leitos clínicos COVID/SRAG",
        Metric::CasesPer100k7d => "casos por 100 mil habitantes em 7 dias",
        Metric::SragTrend => "internações por SRAG",
    }
}

/// A value of `metric`: a rate in percent, a count with one decimal.
fn value_words(metric: Metric, value: f64) -> String {
    match metric.is_rate() {
        true => BR.percent(value),
        false => BR.number(value, 1),
    }
}

/// A change of `metric` over 7 days: p.p. for a rate, percent for a count.
fn change_words(metric: Metric, change: f64) -> String {
    match metric.is_rate() {
        true => BR.points(change),
        false => BR.change(change / 100.0),
    }
}

/// What was seen of `metric`, as the condition looks at it.
pub fn seen_words(seen: &Observation, metric: Metric, condition: Condition) -> String {
    let value = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| value_words(metric, v));
    match condition {
        Condition::AtLeast(_) | Condition::AtMost(_) => value(seen.value),
        Condition::RisesBy(_) | Condition::FallsBy(_) => format!(
            "{} em 7 dias, agora {}",
            seen.change()
                .map_or_else(|| "—".to_owned(), |c| change_words(metric, c)),
            value(seen.value)
        ),
        Condition::Becomes(_) => format!(
            "tendência de {}",
            seen.class.map_or("—", |c| Lang::Pt.strings().trend(c))
        ),
    }
}

/// The rule's line on `metric` in words.
pub fn condition_words(metric: Metric, condition: Condition) -> String {
    match condition {
        Condition::AtLeast(x) => format!("pelo menos {}", value_words(metric, x)),
        Condition::AtMost(x) => format!("no máximo {}", value_words(metric, x)),
        Condition::RisesBy(x) => format!("alta de {} em 7 dias", change_words(metric, x)),
        Condition::FallsBy(x) => format!("queda de {} em 7 dias", change_words(metric, -x)),
        Condition::Becomes(class) => {
            format!("tendência passa a {}", Lang::Pt.strings().trend(class))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::vocabulary::TrendClass;

    #[test]
    fn lines_and_figures_read_as_portuguese() {
        let icu = Metric::Occupancy {
            bed_class: BedClass::Icu,
            scope: Scope::All,
        };
        let cases = Metric::CasesPer100k7d;
        assert_eq!(
            condition_words(icu, Condition::AtLeast(0.8)),
            "pelo menos 80,0%"
        );
        assert_eq!(
            condition_words(icu, Condition::FallsBy(15.0)),
            "queda de -15,0 p.p. em 7 dias"
        );
        assert_eq!(
            condition_words(cases, Condition::AtLeast(1250.0)),
            "pelo menos 1.250,0"
        );
        assert_eq!(
            condition_words(cases, Condition::RisesBy(50.0)),
            "alta de +50,0% em 7 dias"
        );
        assert_eq!(
            condition_words(
                Metric::SragTrend,
                Condition::Becomes(TrendClass::LikelyIncrease)
            ),
            "tendência passa a provável aumento"
        );
        let seen = Observation {
            value: Some(0.804),
            change_pp: Some(3.9),
            ..Observation::default()
        };
        assert_eq!(
            seen_words(&seen, icu, Condition::RisesBy(3.0)),
            "+3,9 p.p. em 7 dias, agora 80,4%"
        );
        let counted = Observation {
            value: Some(83.26),
            change_pct: Some(-12.5),
            ..Observation::default()
        };
        assert_eq!(
            seen_words(&counted, cases, Condition::FallsBy(10.0)),
            "-12,5% em 7 dias, agora 83,3"
        );
    }
}
