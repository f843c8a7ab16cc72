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

/// The place a rule watches (`Alagoas`, `Hospital CNES 2081288`).
pub fn place_name(target: &Target) -> String {
    match target {
        Target::State(uf) => uf.name().to_owned(),
        Target::Hospital(cnes) => format!("Hospital CNES {cnes}"),
    }
}

/// The page that shows the place (`/uf/AL`, `/hospital/2081288`).
pub fn place_path(target: &Target) -> String {
    match target {
        Target::State(uf) => format!("/uf/{}", uf.code()),
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
        Metric::SragTrend => "internações por SRAG",
    }
}

/// What was seen, as the condition looks at it.
pub fn seen_words(seen: &Observation, condition: Condition) -> String {
    let rate = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| BR.percent(v));
    match condition {
        Condition::AtLeast(_) | Condition::AtMost(_) => rate(seen.value),
        Condition::RisesBy(_) | Condition::FallsBy(_) => format!(
            "{} em 7 dias, agora {}",
            seen.change_pp
                .map_or_else(|| "—".to_owned(), |c| BR.points(c)),
            rate(seen.value)
        ),
        Condition::Becomes(_) => format!(
            "tendência de {}",
            seen.class.map_or("—", |c| Lang::Pt.strings().trend(c))
        ),
    }
}

/// The rule's line in words.
pub fn condition_words(condition: Condition) -> String {
    match condition {
        Condition::AtLeast(x) => format!("pelo menos {}", BR.percent(x)),
        Condition::AtMost(x) => format!("no máximo {}", BR.percent(x)),
        Condition::RisesBy(pp) => format!("alta de {} em 7 dias", BR.points(pp)),
        Condition::FallsBy(pp) => format!("queda de {} em 7 dias", BR.points(-pp)),
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
        assert_eq!(condition_words(Condition::AtLeast(0.8)), "pelo menos 80,0%");
        assert_eq!(
            condition_words(Condition::FallsBy(15.0)),
            "queda de -15,0 p.p. em 7 dias"
        );
        assert_eq!(
            condition_words(Condition::Becomes(TrendClass::LikelyIncrease)),
            "tendência passa a provável aumento"
        );
        let seen = Observation {
            value: Some(0.804),
            change_pp: Some(3.9),
            class: None,
        };
        assert_eq!(
            seen_words(&seen, Condition::RisesBy(3.0)),
            "+3,9 p.p. em 7 dias, agora 80,4%"
        );
    }
}
