//! Alert rules as types: what a rule watches (a [`Target`] and a
//! [`Metric`]), when it holds (a [`Condition`] on an [`Observation`] of the
//! newest data date), and how a firing is delivered ([`Channel`],
//! [`DeliveryStatus`]). Rates are fractions, as in gold; a change of a rate
//! is in percentage points (a rise from 0.70 to 0.85 is +15 p.p.), a change
//! of a count (cases per 100k) in percent.
//! Server-side only (`ssr`): the alerts' pages are rendered on the server.

use super::vocabulary::{BedClass, Scope, TrendClass, Uf, vocabulary};

vocabulary!(
    /// What kind of place a rule watches.
    TargetKind {
        /// A state (`uf`).
        State = "state",
        /// A city (its 7-digit IBGE code).
        City = "city",
        /// A sales territory (its slug).
        Territory = "territory",
        /// A hospital (its CNES, as the data writes it).
        Hospital = "hospital",
    }
);

vocabulary!(
    /// What a rule measures of its target.
    MetricKind {
        /// A bed occupancy rate (bed class × scope), with its 7-day change.
        Occupancy = "occupancy",
        /// New cases over the 7 days to the newest day per 100,000
        /// inhabitants, with its change in percent on the 7 days before.
        CasesPer100k7d = "cases_per_100k_7d",
        /// The short-term (3-week) trend class of SRAG hospitalisations,
        /// from the newest nowcast (states, and territories by their whole
        /// states).
        SragTrend = "srag_trend",
    }
);

vocabulary!(
    /// How a rule's condition compares.
    ConditionKind {
        /// The value is at least the threshold.
        AtLeast = "at_least",
        /// The value is at most the threshold.
        AtMost = "at_most",
        /// The value rose by at least the threshold within 7 days (p.p. for
        /// a rate, percent for a count).
        RisesBy = "rises_by",
        /// The value fell by at least the threshold within 7 days.
        FallsBy = "falls_by",
        /// The trend class is the given one.
        Becomes = "becomes",
    }
);

vocabulary!(
    /// How a firing reaches its account.
    Channel {
        /// A signed JSON POST to the rule's URL.
        Webhook = "webhook",
        /// An e-mail to the rule's address.
        Email = "email",
    }
);

vocabulary!(
    /// Where a delivery stands.
    DeliveryStatus {
        /// Waiting for its next attempt.
        Pending = "pending",
        /// Accepted by its destination.
        Delivered = "delivered",
        /// Given up after retrying for the whole retry window.
        Dead = "dead",
    }
);

/// The place a rule watches.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    State(Uf),
    /// A city by its 7-digit IBGE code.
    City(String),
    /// A sales territory by its slug.
    Territory(String),
    /// A hospital by its normalised CNES code (7 digits, as a rule).
    Hospital(String),
}

impl Target {
    pub fn kind(&self) -> TargetKind {
        match self {
            Target::State(_) => TargetKind::State,
            Target::City(_) => TargetKind::City,
            Target::Territory(_) => TargetKind::Territory,
            Target::Hospital(_) => TargetKind::Hospital,
        }
    }

    /// Its code: the state's two letters, the city's IBGE code, the
    /// territory's slug or the hospital's CNES.
    pub fn code(&self) -> &str {
        match self {
            Target::State(uf) => uf.code(),
            Target::City(code) | Target::Territory(code) | Target::Hospital(code) => code,
        }
    }

    /// The target of this kind and code; `None` for a code that is not
    /// one (a state that does not exist, a city code that is not 7 digits
    /// of a state, a territory name that is not a slug, a hospital code
    /// with other characters than letters, digits, spaces and dashes). A
    /// hospital's code is taken as the data writes it (normalised:
    /// `0009768`). Whether the city, territory or hospital exists is for
    /// the caller to check.
    pub fn parse(kind: TargetKind, code: &str) -> Option<Target> {
        match kind {
            TargetKind::State => Uf::parse(code).map(Target::State),
            TargetKind::City => (code.len() == 7 && Uf::of_ibge(code).is_some())
                .then(|| Target::City(code.to_owned())),
            TargetKind::Territory => {
                super::territory::is_slug(code).then(|| Target::Territory(code.to_owned()))
            }
            TargetKind::Hospital => crate::hospital_view::is_hospital_code(code)
                .then(|| Target::Hospital(code.to_owned())),
        }
    }
}

/// What a rule measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    Occupancy { bed_class: BedClass, scope: Scope },
    CasesPer100k7d,
    SragTrend,
}

impl Metric {
    pub fn kind(self) -> MetricKind {
        match self {
            Metric::Occupancy { .. } => MetricKind::Occupancy,
            Metric::CasesPer100k7d => MetricKind::CasesPer100k7d,
            Metric::SragTrend => MetricKind::SragTrend,
        }
    }

    /// Whether its value is a rate (a fraction, changing in p.p.) rather
    /// than a count (changing in percent).
    pub fn is_rate(self) -> bool {
        matches!(self, Metric::Occupancy { .. })
    }
}

/// When a rule holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Condition {
    /// A value (a rate as a fraction) at least this.
    AtLeast(f64),
    /// A value (a rate as a fraction) at most this.
    AtMost(f64),
    /// Rose by at least this much within 7 days: percentage points for a
    /// rate, percent for a count.
    RisesBy(f64),
    /// Fell by at least this much within 7 days, in the same units.
    FallsBy(f64),
    /// The trend class is this one.
    Becomes(TrendClass),
}

impl Condition {
    pub fn kind(self) -> ConditionKind {
        match self {
            Condition::AtLeast(_) => ConditionKind::AtLeast,
            Condition::AtMost(_) => ConditionKind::AtMost,
            Condition::RisesBy(_) => ConditionKind::RisesBy,
            Condition::FallsBy(_) => ConditionKind::FallsBy,
            Condition::Becomes(_) => ConditionKind::Becomes,
        }
    }

    /// Its number: a threshold, or a change in p.p. or percent.
    pub fn threshold(self) -> Option<f64> {
        match self {
            Condition::AtLeast(x)
            | Condition::AtMost(x)
            | Condition::RisesBy(x)
            | Condition::FallsBy(x) => Some(x),
            Condition::Becomes(_) => None,
        }
    }

    /// Its trend class, for [`Condition::Becomes`].
    pub fn class(self) -> Option<TrendClass> {
        match self {
            Condition::Becomes(class) => Some(class),
            _ => None,
        }
    }

    /// Whether it holds for `seen`; `None` when `seen` lacks what it
    /// compares (no rate that day, no rate 7 days before, no trend).
    pub fn holds(self, seen: &Observation) -> Option<bool> {
        match self {
            Condition::AtLeast(x) => seen.value.map(|v| v >= x),
            Condition::AtMost(x) => seen.value.map(|v| v <= x),
            Condition::RisesBy(x) => seen.change().map(|c| c >= x),
            Condition::FallsBy(x) => seen.change().map(|c| -c >= x),
            Condition::Becomes(class) => seen.class.map(|c| c == class),
        }
    }
}

/// What was seen of a target's metric on a data date: the figures a
/// condition compares, kept with every firing.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Observation {
    /// A rate (fraction), or a count (cases per 100k).
    pub value: Option<f64>,
    /// A rate's change over 7 days, in percentage points.
    pub change_pp: Option<f64>,
    /// A count's change on the 7 days before, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_pct: Option<f64>,
    /// A trend's class.
    pub class: Option<TrendClass>,
}

impl Observation {
    /// The change over 7 days in the value's own unit: p.p. for a rate,
    /// percent for a count (an observation has one or the other).
    pub fn change(&self) -> Option<f64> {
        self.change_pp.or(self.change_pct)
    }
}

/// What a rule watches and when it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSpec {
    pub target: Target,
    pub metric: Metric,
    pub condition: Condition,
}

/// A rule that cannot be: the field at fault and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct RuleError {
    pub field: &'static str,
    pub reason: &'static str,
}

impl RuleSpec {
    /// Checks that the metric can be read of the target and that the
    /// condition fits the metric.
    pub fn check(&self) -> Result<(), RuleError> {
        let refuse = |field, reason| Err(RuleError { field, reason });
        match (self.metric, &self.target) {
            (Metric::SragTrend, Target::City(_) | Target::Hospital(_)) => {
                return refuse("metric", "srag_trend is per state or territory");
            }
            (Metric::CasesPer100k7d, Target::Hospital(_)) => {
                return refuse(
                    "metric",
                    "cases_per_100k_7d is per state, city or territory",
                );
            }
            _ => {}
        }
        match (self.metric, self.condition) {
            (Metric::SragTrend, Condition::Becomes(_)) => Ok(()),
            (Metric::SragTrend, _) => refuse("condition", "srag_trend takes `becomes`"),
            (_, Condition::Becomes(_)) => refuse("condition", "`becomes` is for srag_trend"),
            (Metric::Occupancy { .. }, Condition::AtLeast(x) | Condition::AtMost(x)) => {
                match (0.0..=1.0).contains(&x) {
                    true => Ok(()),
                    false => refuse("threshold", "a rate is a fraction from 0 to 1"),
                }
            }
            (Metric::Occupancy { .. }, Condition::RisesBy(pp) | Condition::FallsBy(pp)) => {
                match pp > 0.0 && pp <= 100.0 {
                    true => Ok(()),
                    false => refuse("threshold", "a change is in p.p., above 0 and at most 100"),
                }
            }
            (Metric::CasesPer100k7d, Condition::AtLeast(x) | Condition::AtMost(x)) => {
                match (0.0..=100_000.0).contains(&x) {
                    true => Ok(()),
                    false => refuse("threshold", "cases per 100k run from 0 to 100000"),
                }
            }
            (Metric::CasesPer100k7d, Condition::RisesBy(pct)) => {
                match pct > 0.0 && pct <= 10_000.0 {
                    true => Ok(()),
                    false => refuse("threshold", "a rise is in percent, above 0"),
                }
            }
            (Metric::CasesPer100k7d, Condition::FallsBy(pct)) => match pct > 0.0 && pct <= 100.0 {
                true => Ok(()),
                false => refuse("threshold", "a fall is in percent, above 0 and at most 100"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(value: Option<f64>, change_pp: Option<f64>) -> Observation {
        Observation {
            value,
            change_pp,
            ..Observation::default()
        }
    }

    #[test]
    fn conditions_compare_rates_and_changes_in_points() {
        assert_eq!(
            Condition::AtLeast(0.8).holds(&seen(Some(0.8), None)),
            Some(true)
        );
        assert_eq!(
            Condition::AtLeast(0.8).holds(&seen(Some(0.79), None)),
            Some(false)
        );
        assert_eq!(
            Condition::AtMost(0.5).holds(&seen(Some(0.4), None)),
            Some(true)
        );
        assert_eq!(Condition::AtLeast(0.8).holds(&seen(None, Some(3.0))), None);
        assert_eq!(
            Condition::RisesBy(15.0).holds(&seen(None, Some(15.0))),
            Some(true)
        );
        assert_eq!(
            Condition::RisesBy(15.0).holds(&seen(None, Some(-20.0))),
            Some(false)
        );
        assert_eq!(
            Condition::FallsBy(15.0).holds(&seen(None, Some(-20.0))),
            Some(true)
        );
        let count = Observation {
            value: Some(60.0),
            change_pct: Some(-40.0),
            ..Observation::default()
        };
        assert_eq!(Condition::FallsBy(30.0).holds(&count), Some(true));
        assert_eq!(Condition::RisesBy(30.0).holds(&count), Some(false));
        let trend = Observation {
            class: Some(TrendClass::LikelyIncrease),
            ..Observation::default()
        };
        assert_eq!(
            Condition::Becomes(TrendClass::LikelyIncrease).holds(&trend),
            Some(true)
        );
        assert_eq!(
            Condition::Becomes(TrendClass::Increase).holds(&trend),
            Some(false)
        );
    }

    #[test]
    fn a_rule_refuses_what_cannot_be_read_naming_the_field() {
        let icu = Metric::Occupancy {
            bed_class: BedClass::Icu,
            scope: Scope::All,
        };
        let cases = Metric::CasesPer100k7d;
        let trend = Metric::SragTrend;
        let target = |kind, code| Target::parse(kind, code).unwrap();
        let sp = target(TargetKind::State, "SP");
        let hospital = target(TargetKind::Hospital, "0009768");
        let city = target(TargetKind::City, "3550308");
        let norte = target(TargetKind::Territory, "norte");
        let increase = Condition::Becomes(TrendClass::Increase);
        for (target, metric, condition, expected) in [
            (&sp, icu, Condition::AtLeast(0.8), Ok(())),
            (&sp, icu, Condition::AtLeast(80.0), Err("threshold")),
            (&sp, icu, increase, Err("condition")),
            (&hospital, trend, increase, Err("metric")),
            (&hospital, cases, Condition::AtLeast(50.0), Err("metric")),
            (&city, cases, Condition::AtLeast(50.0), Ok(())),
            (&city, cases, Condition::RisesBy(150.0), Ok(())),
            (&city, cases, Condition::FallsBy(150.0), Err("threshold")),
            (&city, trend, increase, Err("metric")),
            (&norte, trend, increase, Ok(())),
            (&norte, icu, Condition::RisesBy(5.0), Ok(())),
        ] {
            let rule = RuleSpec {
                target: target.clone(),
                metric,
                condition,
            };
            assert_eq!(rule.check().map_err(|e| e.field), expected, "{rule:?}");
        }
        assert_eq!(Target::parse(TargetKind::Territory, "Norte"), None);
        assert_eq!(Target::parse(TargetKind::City, "9950308"), None);
        assert_eq!(Target::parse(TargetKind::City, "355030"), None);
        assert_eq!(Target::parse(TargetKind::Hospital, "<b>9768"), None);
        assert!(Target::parse(TargetKind::Hospital, "002746891-70").is_some());
        assert_eq!(Target::parse(TargetKind::State, "XX"), None);
    }
}
