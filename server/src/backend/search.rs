//! Places by name for the search page: the states, and the cities with a
//! known population, matched as people type (the name, or one of its words,
//! starts with the query, accents, case and spacing aside). Names that start
//! with the query come first, then states before cities, then the most
//! populous.

use app::{
    catalog::vocabulary::Uf,
    search::{Found, MOST, SHORTEST},
};

use crate::{
    folding::folded,
    store::{Filter, Page, Store, StoreError},
};

/// The places whose names match `query`, best first; none for a query
/// shorter than [`SHORTEST`] letters.
pub async fn search(store: &Store, query: &str) -> Result<Vec<Found>, StoreError> {
    let wanted = folded(query);
    if wanted.chars().count() < SHORTEST {
        return Ok(Vec::new());
    }
    let states = Uf::all().map(|uf| Found {
        name: uf.name().to_owned(),
        uf: uf.code().to_owned(),
        city_ibge: None,
        population: None,
    });
    let cities = store
        .cities(Filter::default(), Page::ALL)
        .await?
        .rows
        .into_iter()
        .map(|city| Found {
            name: city.name,
            uf: city.uf,
            city_ibge: Some(city.city_ibge),
            population: Some(city.population),
        });
    let mut found: Vec<(Match, Found)> = states
        .chain(cities)
        .filter_map(|place| Some((matches(&folded(&place.name), &wanted)?, place)))
        .collect();
    found.sort_by(|(a, x), (b, y)| {
        a.cmp(b)
            .then(x.city_ibge.is_some().cmp(&y.city_ibge.is_some()))
            .then(y.population.cmp(&x.population))
            .then(x.name.cmp(&y.name))
    });
    Ok(found
        .into_iter()
        .take(MOST)
        .map(|(_, place)| place)
        .collect())
}

/// How a folded name matches a folded query; better first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    Start,
    Word,
}

fn matches(name: &str, wanted: &str) -> Option<Match> {
    if name.starts_with(wanted) {
        return Some(Match::Start);
    }
    name.match_indices([' ', '-', '\''])
        .any(|(at, separator)| name[at + separator.len()..].starts_with(wanted))
        .then_some(Match::Word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_matches_from_its_start_or_one_of_its_words() {
        let name = folded("São José dos Campos");
        assert_eq!(matches(&name, &folded("sao")), Some(Match::Start));
        assert_eq!(matches(&name, &folded("SÃO JOSÉ")), Some(Match::Start));
        assert_eq!(matches(&name, &folded("campos")), Some(Match::Word));
        assert_eq!(matches(&name, &folded("ampos")), None);
        assert_eq!(
            matches(&folded("Santa Bárbara d'Oeste"), "OESTE"),
            Some(Match::Word)
        );
        assert_eq!(matches(&folded("Embu-Guaçu"), "GUACU"), Some(Match::Word));
    }
}
