//! The words a request and a row speak, as types: states, bed classes and
//! scopes, ranking metrics and kinds of place. Each parses from its code
//! (an unknown one is refused where the request enters) and gives its code
//! back where it leaves: in SQL, in JSON, in a URL.

use std::fmt;

/// A closed set of words, each with its code: what a request parameter,
/// a column or a JSON field may hold.
pub trait Word: Copy + Sized {
    /// Every code, for the message that refuses an unknown one.
    const CODES: &'static [&'static str];
    /// Its code.
    fn code(self) -> &'static str;
    /// The word with this code.
    fn parse(code: &str) -> Option<Self>;
}

/// Declares a closed set of words with its codes: `code`, `parse`, `ALL`,
/// `Display`, serde as the code, and comparison with a code.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every code, for the message that refuses an unknown one.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// Its code.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The word with this code.
            pub fn parse(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = <String as serde::Deserialize>::deserialize(deserializer)?;
                $name::parse(&code).ok_or_else(|| {
                    serde::de::Error::unknown_variant(&code, $name::CODES)
                })
            }
        }

        impl $crate::catalog::vocabulary::Word for $name {
            const CODES: &'static [&'static str] = $name::CODES;

            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn parse(code: &str) -> Option<Self> {
                $name::parse(code)
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, code: &&str) -> bool {
                self.code() == *code
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// A bed class of the occupancy data.
    BedClass {
        /// Clinical ward beds (`Cli`).
        Clinical = "clinical",
        /// Intensive care beds (`Uti`).
        Icu = "icu",
    }
);

vocabulary!(
    /// Which beds of a class an occupancy rate counts.
    Scope {
        /// All beds: general and SRAG (`Hosp` + `SRAG`).
        All = "all",
        /// Beds for SRAG and COVID-19 patients (`SRAG`).
        Covid = "covid",
    }
);

vocabulary!(
    /// What a hospital's current report counts for one bed type on a day
    /// (indicator 2's rules applied to that hospital alone).
    BedStatus {
        /// Counted: beds offered, occupied and the rate.
        Counted = "counted",
        /// Its latest report is older than the 14-day window.
        Stale = "stale",
        /// A value is negative, or above 10,000.
        Rejected = "rejected",
        /// It offers no beds of this type.
        NoBeds = "no_beds",
    }
);

vocabulary!(
    /// How a hospital's city was found in IBGE's municipality list, by
    /// name and state (accents, case and spacing aside): never guessed.
    CityMatch {
        /// One municipality of that state has that name.
        Matched = "matched",
        /// None has it (or the list is not collected yet).
        Unmatched = "unmatched",
        /// Several have it.
        Ambiguous = "ambiguous",
    }
);

vocabulary!(
    /// The order of the hospitals' list, most first.
    HospitalSort {
        /// By occupancy rate.
        Pressure = "pressure",
        /// By the rate's change over 7 days.
        Change = "change",
        /// By beds offered.
        Size = "size",
    }
);

vocabulary!(
    /// What places are ranked by.
    Metric {
        /// Cumulative cases per 100,000 inhabitants.
        CasesPer100k = "cases_per_100k",
        /// Cumulative deaths per 100,000 inhabitants.
        DeathsPer100k = "deaths_per_100k",
        /// New cases of the last 7 days per 100,000, ranked by the rise
        /// against the 7 days before.
        NewCasesWeekPer100k = "new_cases_week_per_100k",
    }
);

vocabulary!(
    /// A kind of place a ranking or a series is about.
    PlaceKind {
        State = "state",
        City = "city",
    }
);

vocabulary!(
    /// A count of SIVEP-Gripe's summary that the nowcast completes.
    SragMeasure {
        /// SRAG hospitalisations, by week of first symptoms (`srag`).
        Srag = "srag",
        /// Confirmed COVID-19 hospitalisations among them (`covid`).
        Covid = "covid",
        /// SRAG deaths, by week of death (`ob.srag`).
        Deaths = "deaths",
    }
);

vocabulary!(
    /// What a backtest scores: the nowcast of the weeks that have ended,
    /// or the outlook of the weeks ahead.
    BacktestKind {
        Nowcast = "nowcast",
        Outlook = "outlook",
    }
);

vocabulary!(
    /// A trend's class, from the probability that it is an increase.
    TrendClass {
        /// Above 0.95.
        Increase = "aumento",
        /// Above 0.75.
        LikelyIncrease = "provavel_aumento",
        Stable = "estavel",
        /// Below 0.25.
        LikelyDecrease = "provavel_queda",
        /// Below 0.05.
        Decrease = "queda",
    }
);

impl TrendClass {
    /// The class of a trend whose probability of increase is `p`.
    pub fn of(p: f64) -> TrendClass {
        if p > 0.95 {
            TrendClass::Increase
        } else if p > 0.75 {
            TrendClass::LikelyIncrease
        } else if p < 0.05 {
            TrendClass::Decrease
        } else if p < 0.25 {
            TrendClass::LikelyDecrease
        } else {
            TrendClass::Stable
        }
    }
}

/// The 27 federative units: code, name and IBGE's 2-digit code.
const STATES: [(&str, &str, &str); 27] = [
    ("AC", "Acre", "12"),
    ("AL", "Alagoas", "27"),
    ("AM", "Amazonas", "13"),
    ("AP", "Amapá", "16"),
    ("BA", "Bahia", "29"),
    ("CE", "Ceará", "23"),
    ("DF", "Distrito Federal", "53"),
    ("ES", "Espírito Santo", "32"),
    ("GO", "Goiás", "52"),
    ("MA", "Maranhão", "21"),
    ("MG", "Minas Gerais", "31"),
    ("MS", "Mato Grosso do Sul", "50"),
    ("MT", "Mato Grosso", "51"),
    ("PA", "Pará", "15"),
    ("PB", "Paraíba", "25"),
    ("PE", "Pernambuco", "26"),
    ("PI", "Piauí", "22"),
    ("PR", "Paraná", "41"),
    ("RJ", "Rio de Janeiro", "33"),
    ("RN", "Rio Grande do Norte", "24"),
    ("RO", "Rondônia", "11"),
    ("RR", "Roraima", "14"),
    ("RS", "Rio Grande do Sul", "43"),
    ("SC", "Santa Catarina", "42"),
    ("SE", "Sergipe", "28"),
    ("SP", "São Paulo", "35"),
    ("TO", "Tocantins", "17"),
];

/// A federative unit (a state, or the Federal District).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uf(u8);

impl Uf {
    /// The code the country's series carry beside the states'.
    pub const COUNTRY: &'static str = "BR";

    /// Every state, by code.
    pub fn all() -> impl Iterator<Item = Uf> {
        (0..STATES.len() as u8).map(Uf)
    }

    /// The state with this two-letter code (exact, upper case).
    pub fn parse(code: &str) -> Option<Uf> {
        STATES
            .iter()
            .position(|(c, _, _)| *c == code)
            .map(|i| Uf(i as u8))
    }

    /// Its two-letter code (`SP`).
    pub fn code(self) -> &'static str {
        STATES[usize::from(self.0)].0
    }

    /// Its name (`São Paulo`).
    pub fn name(self) -> &'static str {
        STATES[usize::from(self.0)].1
    }

    /// IBGE's 2-digit code (`35`), the first two digits of its
    /// municipalities' codes.
    pub fn ibge(self) -> &'static str {
        STATES[usize::from(self.0)].2
    }

    /// The state of an IBGE code: a state's own 2-digit code, or a
    /// municipality's 7-digit code (by its first two digits).
    pub fn of_ibge(code: &str) -> Option<Uf> {
        if !(code.len() == 2 || code.len() == 7) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        STATES
            .iter()
            .position(|(_, _, ibge)| *ibge == &code[..2])
            .map(|i| Uf(i as u8))
    }
}

impl fmt::Display for Uf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What a state-level series is about: a state, or Brazil (`BR`, the
/// country's own series or the states' sum).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    Brazil,
    State(Uf),
}

impl Place {
    /// Brazil, then every state by code.
    pub fn all() -> impl Iterator<Item = Place> {
        std::iter::once(Place::Brazil).chain(Uf::all().map(Place::State))
    }

    /// The place with this code: `BR` or a state's (exact, upper case).
    pub fn parse(code: &str) -> Option<Place> {
        match code {
            Uf::COUNTRY => Some(Place::Brazil),
            _ => Uf::parse(code).map(Place::State),
        }
    }

    /// `BR` or the state's code.
    pub fn code(self) -> &'static str {
        match self {
            Place::Brazil => Uf::COUNTRY,
            Place::State(uf) => uf.code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_through_their_codes() {
        for metric in Metric::ALL {
            assert_eq!(Metric::parse(metric.code()), Some(*metric));
        }
        assert_eq!(BedClass::parse("icu"), Some(BedClass::Icu));
        assert_eq!(BedClass::parse("ICU"), None);
        assert_eq!(Scope::CODES, ["all", "covid"]);
        assert_eq!(Uf::all().count(), 27);
        assert_eq!(Uf::parse("SP").map(Uf::name), Some("São Paulo"));
        assert_eq!(Uf::parse("sp"), None);
        assert_eq!(Uf::parse(Uf::COUNTRY), None);
        assert_eq!(Place::parse("BR"), Some(Place::Brazil));
        assert_eq!(Place::parse("SP"), Uf::parse("SP").map(Place::State));
        assert_eq!(Place::parse("br"), None);
        assert!(Place::all().all(|p| Place::parse(p.code()) == Some(p)));
        assert_eq!(Uf::of_ibge("35"), Uf::parse("SP"));
        assert_eq!(Uf::of_ibge("3550308"), Uf::parse("SP"));
        assert_eq!(Uf::parse("DF").map(Uf::ibge), Some("53"));
        for bad in ["355030", "10", "3x50308", "", "35503080"] {
            assert_eq!(Uf::of_ibge(bad), None, "{bad}");
        }
        let classes: Vec<_> = [0.99, 0.951, 0.95, 0.8, 0.75, 0.5, 0.25, 0.2, 0.05, 0.01]
            .into_iter()
            .map(|p| TrendClass::of(p).code())
            .collect();
        assert_eq!(
            classes,
            [
                "aumento",
                "aumento",
                "provavel_aumento",
                "provavel_aumento",
                "estavel",
                "estavel",
                "estavel",
                "provavel_queda",
                "provavel_queda",
                "queda"
            ]
        );
    }
}
