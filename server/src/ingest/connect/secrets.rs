//! Source credentials: looked up by name in the environment when a source
//! needs them (or, in tests, in a fixed table), held as `SecretString` so
//! they never reach a log or an error message.

use std::{collections::HashMap, fmt};

use secrecy::SecretString;

/// Where credentials come from.
#[derive(Clone, Default)]
pub enum Secrets {
    /// The process environment.
    #[default]
    Environment,
    /// A fixed table (tests).
    Fixed(HashMap<String, String>),
}

impl Secrets {
    /// The value of the named secret, if set.
    pub fn get(&self, name: &str) -> Option<SecretString> {
        match self {
            Secrets::Environment => std::env::var(name).ok().map(SecretString::from),
            Secrets::Fixed(table) => table.get(name).cloned().map(SecretString::from),
        }
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Secrets::Environment => f.write_str("Secrets::Environment"),
            Secrets::Fixed(table) => {
                write!(f, "Secrets::Fixed({} names, values redacted)", table.len())
            }
        }
    }
}
