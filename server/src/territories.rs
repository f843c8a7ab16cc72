//! The sales territories' configuration: the built-in
//! `config/territories.toml` (Brazil's five macro-regions) or the file
//! `SENTINELA_TERRITORIES` names, validated at start. Every error names the
//! line and the value at fault; a city must be a municipality of the data
//! once the store holds any.

use std::{collections::HashSet, ops::Range, path::Path, sync::Arc};

use app::catalog::{
    territory::{Territory, is_slug},
    vocabulary::Uf,
};
use serde::Deserialize;
use toml::Spanned;

/// The built-in configuration.
const DEFAULT_TERRITORIES: &str = include_str!("../../config/territories.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TerritoriesFile {
    #[serde(default)]
    territory: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    slug: Spanned<String>,
    name: String,
    #[serde(default)]
    states: Vec<Spanned<String>>,
    #[serde(default)]
    cities: Vec<Spanned<String>>,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TerritoriesError {
    #[error("cannot read the territories {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid territories")]
    Syntax(#[from] toml::de::Error),
    #[error("territories, line {line}: {problem}")]
    Invalid { line: usize, problem: String },
}

/// The configured territories, in the file's order.
#[derive(Clone, Debug, Default)]
pub struct Territories {
    list: Arc<[Territory]>,
    /// Each listed city and the line that lists it, for the check against
    /// the data's municipalities.
    city_lines: Arc<[(String, usize)]>,
}

impl Territories {
    /// Reads the file, or the built-in configuration when `path` is `None`.
    pub fn load(path: Option<&Path>) -> Result<Territories, TerritoriesError> {
        match path {
            None => Territories::parse(DEFAULT_TERRITORIES),
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|source| TerritoriesError::Read {
                        path: path.display().to_string(),
                        source,
                    })?;
                Territories::parse(&text)
            }
        }
    }

    /// Parses and validates a configuration: slugs plain and unique, every
    /// territory with a state or a city, states and city codes well formed.
    pub fn parse(text: &str) -> Result<Territories, TerritoriesError> {
        let file: TerritoriesFile = toml::from_str(text)?;
        let invalid = |span: Range<usize>, problem: String| TerritoriesError::Invalid {
            line: text[..span.start].matches('\n').count() + 1,
            problem,
        };
        let mut slugs = HashSet::new();
        let mut list = Vec::with_capacity(file.territory.len());
        let mut city_lines = Vec::new();
        for entry in file.territory {
            let slug = entry.slug.get_ref();
            if !is_slug(slug) {
                return Err(invalid(
                    entry.slug.span(),
                    format!(
                        "slug {slug:?} is not usable in a URL: lower-case letters, digits and \
                         dashes, at most 40"
                    ),
                ));
            }
            if !slugs.insert(slug.clone()) {
                return Err(invalid(
                    entry.slug.span(),
                    format!("slug {slug:?} is used twice"),
                ));
            }
            if entry.states.is_empty() && entry.cities.is_empty() {
                return Err(invalid(
                    entry.slug.span(),
                    format!("territory {slug:?} has no state and no city"),
                ));
            }
            let states = entry
                .states
                .iter()
                .map(|state| {
                    Uf::parse(state.get_ref()).ok_or_else(|| {
                        invalid(
                            state.span(),
                            format!(
                                "unknown state {:?} (a state's two-letter code, such as \"SP\")",
                                state.get_ref()
                            ),
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
            let mut cities = Vec::with_capacity(entry.cities.len());
            for city in &entry.cities {
                let code = city.get_ref();
                if code.len() != 7 || Uf::of_ibge(code).is_none() {
                    return Err(invalid(
                        city.span(),
                        format!(
                            "{code:?} is not a municipality's IBGE code (7 digits, the first two \
                             a state's code, such as \"3550308\")"
                        ),
                    ));
                }
                let line = text[..city.span().start].matches('\n').count() + 1;
                city_lines.push((code.clone(), line));
                cities.push(code.clone());
            }
            list.push(Territory {
                slug: entry.slug.into_inner(),
                name: entry.name,
                states,
                cities,
            });
        }
        Ok(Territories {
            list: list.into(),
            city_lines: city_lines.into(),
        })
    }

    /// Refuses a city that is none of `known` (the data's municipalities);
    /// nothing to check against while the store holds none.
    pub fn check_cities(&self, known: &HashSet<String>) -> Result<(), TerritoriesError> {
        if known.is_empty() {
            return Ok(());
        }
        match self
            .city_lines
            .iter()
            .find(|(code, _)| !known.contains(code))
        {
            Some((code, line)) => Err(TerritoriesError::Invalid {
                line: *line,
                problem: format!("city {code} is no municipality of the data"),
            }),
            None => Ok(()),
        }
    }

    /// Every territory, in the file's order.
    pub fn all(&self) -> &[Territory] {
        &self.list
    }

    /// The territory named `slug`.
    pub fn find(&self, slug: &str) -> Option<&Territory> {
        self.list.iter().find(|territory| territory.slug == slug)
    }

    /// The slugs, comma-separated: what an unknown one is told to choose
    /// from.
    pub fn slugs(&self) -> String {
        let slugs: Vec<&str> = self.list.iter().map(|t| t.slug.as_str()).collect();
        slugs.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        Territories::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn the_built_in_territories_are_the_five_regions_covering_every_state_once() {
        let territories = Territories::load(None).expect("built-in territories parse");
        assert_eq!(
            territories.slugs(),
            "norte, nordeste, centro-oeste, sudeste, sul"
        );
        let mut states: Vec<Uf> = territories
            .all()
            .iter()
            .flat_map(|t| t.states.iter().copied())
            .collect();
        states.sort();
        assert_eq!(states, Uf::all().collect::<Vec<_>>());
        assert_eq!(territories.find("sul").unwrap().name, "Sul");
        assert!(territories.find("oeste").is_none());
    }

    #[test]
    fn every_error_names_its_line_and_value() {
        let head = "[[territory]]\nslug = \"a\"\nname = \"A\"\n";
        assert_eq!(
            error(&format!("{head}states = [\"SP\",\n  \"XX\"]\n")),
            "territories, line 5: unknown state \"XX\" (a state's two-letter code, such as \"SP\")"
        );
        assert_eq!(
            error(&format!("{head}cities = [\"355030\"]\n")),
            "territories, line 4: \"355030\" is not a municipality's IBGE code (7 digits, the \
             first two a state's code, such as \"3550308\")"
        );
        assert!(
            error(&format!("{head}cities = [\"9950308\"]\n"))
                .starts_with("territories, line 4: \"9950308\"")
        );
        assert_eq!(
            error(head),
            "territories, line 2: territory \"a\" has no state and no city"
        );
        assert_eq!(
            error(&format!(
                "{head}states = [\"SP\"]\n{head}cities = [\"3304557\"]\n"
            )),
            "territories, line 6: slug \"a\" is used twice"
        );
        assert!(
            error("[[territory]]\nslug = \"A b\"\nname = \"x\"\nstates = [\"SP\"]\n")
                .starts_with("territories, line 2: slug \"A b\" is not usable")
        );
        assert!(matches!(
            Territories::parse("[[territory]]\nslug = \"a\"\nname = \"A\"\nstate = [\"SP\"]\n"),
            Err(TerritoriesError::Syntax(_))
        ));
    }

    #[test]
    fn a_city_must_be_one_of_the_data_once_the_data_has_any() {
        let text = "[[territory]]\nslug = \"rio\"\nname = \"Rio\"\ncities = [\n  \"3304557\",\n  \"3304558\",\n]\n";
        let territories = Territories::parse(text).unwrap();
        assert!(territories.check_cities(&HashSet::new()).is_ok());
        let known: HashSet<String> = ["3304557".to_owned()].into();
        assert_eq!(
            territories.check_cities(&known).unwrap_err().to_string(),
            "territories, line 6: city 3304558 is no municipality of the data"
        );
    }
}
