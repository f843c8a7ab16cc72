//! A sales territory: a named group of states and cities, each with its own
//! manager. A place belongs to it when its state is listed or the city
//! itself is, so a city listed beside its state counts once.

use super::vocabulary::Uf;

/// One territory, as `config/territories.toml` declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Territory {
    /// Its name in URLs (`?territory=norte`): lower-case letters, digits
    /// and dashes.
    pub slug: String,
    /// Its name as shown (`Norte`).
    pub name: String,
    /// The states it holds whole.
    pub states: Vec<Uf>,
    /// The cities it holds beyond those states: 7-digit IBGE codes.
    pub cities: Vec<String>,
}

impl Territory {
    /// Whether a place of state `uf` and city `city` (its IBGE code, when
    /// known) belongs to it.
    pub fn covers(&self, uf: Uf, city: Option<&str>) -> bool {
        self.states.contains(&uf) || city.is_some_and(|city| self.cities.iter().any(|c| c == city))
    }

    /// The cities it lists whose state it does not also hold whole: the
    /// ones a sum over its states would miss.
    pub fn extra_cities(&self) -> impl Iterator<Item = &str> {
        self.cities
            .iter()
            .filter(|city| Uf::of_ibge(city).is_none_or(|uf| !self.states.contains(&uf)))
            .map(String::as_str)
    }

    /// The states it touches: those it holds whole, then those of its
    /// other cities.
    pub fn touched_states(&self) -> Vec<Uf> {
        let mut states = self.states.clone();
        for uf in self.extra_cities().filter_map(Uf::of_ibge) {
            if !states.contains(&uf) {
                states.push(uf);
            }
        }
        states
    }
}

/// Whether `slug` can name a territory in a URL.
pub fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 40
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uf(code: &str) -> Uf {
        Uf::parse(code).unwrap()
    }

    #[test]
    fn a_city_beside_its_state_counts_once() {
        let territory = Territory {
            slug: "sp-e-rio".into(),
            name: "SP e Rio".into(),
            states: vec![uf("SP")],
            cities: vec!["3550308".into(), "3304557".into()],
        };
        assert!(territory.covers(uf("SP"), None));
        assert!(territory.covers(uf("RJ"), Some("3304557")));
        assert!(!territory.covers(uf("RJ"), Some("3303302")));
        assert!(!territory.covers(uf("RJ"), None));
        assert_eq!(territory.extra_cities().collect::<Vec<_>>(), ["3304557"]);
        assert_eq!(territory.touched_states(), [uf("SP"), uf("RJ")]);
    }

    #[test]
    fn slugs_are_what_a_url_carries_plainly() {
        assert!(is_slug("centro-oeste"));
        assert!(is_slug("sul2"));
        for bad in ["", "Norte", "sul sudeste", "a/b", "ção", &"a".repeat(41)] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
