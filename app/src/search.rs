//! The search for a state or a city by name (`/busca?q=sao`): what it
//! finds of each place, and the page that lists them, linked to their pages.

use serde::{Deserialize, Serialize};

/// The shortest query searched, in letters.
pub const SHORTEST: usize = 2;
/// The most places listed.
pub const MOST: usize = 30;

/// A state or a city whose name matches the query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Found {
    pub name: String,
    pub uf: String,
    /// 7-digit IBGE code for a city; absent for a state.
    pub city_ibge: Option<String>,
    /// A city's inhabitants.
    pub population: Option<i64>,
}

impl Found {
    /// The place's page.
    pub fn href(&self) -> String {
        match &self.city_ibge {
            Some(code) => format!("/municipio/{code}"),
            None => format!("/uf/{}", self.uf),
        }
    }
}
