//! The source configuration: which public datasets Sentinela collects, from
//! where and in which format. A TOML file (`SENTINELA_SOURCES`), or the
//! built-in `config/sources.toml` with the production locations.

use std::{collections::HashSet, fmt, path::Path, time::Duration};

use app::catalog::Format;
use serde::{Deserialize, Deserializer};

use crate::lake::{Key, Layer};

/// The built-in configuration.
const DEFAULT_SOURCES: &str = include_str!("../../config/sources.toml");

/// How a source is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A file over HTTP(S).
    Http,
    /// The Ministry's Elasticsearch search API.
    Elasticsearch,
    /// A Google Drive shared file.
    Gdrive,
    /// A query on another PostgreSQL database.
    Postgres,
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceKind::Http => "http",
            SourceKind::Elasticsearch => "elasticsearch",
            SourceKind::Gdrive => "gdrive",
            SourceKind::Postgres => "postgres",
        })
    }
}

/// One configured source.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Identifier: lake folder, CLI argument, store key.
    pub name: String,
    /// Title shown to users, with the publisher and licence.
    pub title: String,
    pub kind: SourceKind,
    pub url: String,
    /// The parser its content needs.
    pub format: Format,
    /// The file-name pattern (glob) that `ingest --from DIR` looks for;
    /// default: the URL's file name.
    #[serde(default)]
    pub file: Option<String>,
    /// `--from DIR` takes every matching file, not only the newest: for
    /// fetches that are snapshots kept beside the earlier ones (occupancy)
    /// and for editions split across files (municipality outlines, one file
    /// per state).
    #[serde(default)]
    pub history: bool,
    /// A URL with a `{date:<format>}` placeholder (editions under a new
    /// dated name each time): the first edition's date to look for while
    /// none is held (`"2020-06-23"`); without it, only the last 21 days
    /// are tried. Later runs try the days after the newest edition held.
    #[serde(default)]
    pub since: Option<chrono::NaiveDate>,
    /// How often the server's scheduler collects it (`6h`, `1d`, `30m`).
    #[serde(default = "default_every", deserialize_with = "duration")]
    pub every: Duration,
    /// How old the newest date of the source's data may be while its
    /// publisher still updates it (`3d` for a daily series published the
    /// next day); older, the pages say the source has not been updated
    /// since. None for references without dates.
    #[serde(default, deserialize_with = "optional_duration")]
    pub fresh_within: Option<Duration>,
    /// Elasticsearch: hits per scroll page.
    #[serde(default = "default_page_size")]
    pub page_size: u32,
    /// The environment variables holding the source's user name and
    /// password (HTTP basic authentication), never the values themselves.
    #[serde(default)]
    pub user_env: Option<String>,
    #[serde(default)]
    pub password_env: Option<String>,
    /// PostgreSQL: the environment variable holding the connection URL (it
    /// carries credentials; `url` then only names the database for people).
    #[serde(default)]
    pub url_env: Option<String>,
    /// PostgreSQL: the query whose rows are collected.
    #[serde(default)]
    pub query: Option<String>,
    /// What a new edition must keep of the last good one before it may
    /// replace silver.
    #[serde(default)]
    pub contract: Contract,
}

/// A source's data contract: besides the checks every source gets (the
/// newest date may not go back, no place may disappear, no column may go
/// all blank), how many rows a new edition may lose.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// The largest share of rows (0 to 1) a new edition may lose.
    #[serde(default = "default_max_row_drop")]
    pub max_row_drop: f64,
}

fn default_max_row_drop() -> f64 {
    0.05
}

impl Default for Contract {
    fn default() -> Self {
        Contract {
            max_row_drop: default_max_row_drop(),
        }
    }
}

fn default_page_size() -> u32 {
    10_000
}

fn default_every() -> Duration {
    Duration::from_secs(6 * 3600)
}

fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(deserializer)?;
    humantime::parse_duration(&text)
        .map_err(|e| serde::de::Error::custom(format!("invalid duration {text:?}: {e}")))
}

fn optional_duration<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Duration>, D::Error> {
    duration(deserializer).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    source: Vec<SourceConfig>,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    #[error("cannot read the source configuration {path}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid source configuration")]
    Syntax(#[from] toml::de::Error),
    #[error("source name {0:?} is used twice")]
    Duplicate(String),
    #[error("source name {name:?} is not usable as a lake folder: {reason}")]
    BadName { name: String, reason: String },
}

/// Reads the configuration file, or the built-in one when `path` is `None`.
pub fn load(path: Option<&Path>) -> Result<Vec<SourceConfig>, SourcesError> {
    match path {
        None => parse(DEFAULT_SOURCES),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| SourcesError::Read {
                path: path.display().to_string(),
                source,
            })?;
            parse(&text)
        }
    }
}

/// Parses and validates a configuration.
pub fn parse(text: &str) -> Result<Vec<SourceConfig>, SourcesError> {
    let file: SourcesFile = toml::from_str(text)?;
    let mut seen = HashSet::new();
    for source in &file.source {
        if source.name.contains('/') {
            return Err(SourcesError::BadName {
                name: source.name.clone(),
                reason: "it contains '/'".into(),
            });
        }
        if source.name.starts_with('~') {
            return Err(SourcesError::BadName {
                name: source.name.clone(),
                reason: "it starts with '~', which the lineage keeps for itself".into(),
            });
        }
        Key::new(Layer::Raw, &source.name).map_err(|e| SourcesError::BadName {
            name: source.name.clone(),
            reason: e.to_string(),
        })?;
        if !seen.insert(source.name.as_str()) {
            return Err(SourcesError::Duplicate(source.name.clone()));
        }
    }
    Ok(file.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_configuration_is_valid() {
        let sources = load(None).expect("built-in sources parse");
        assert!(sources.len() >= 4);
        assert!(sources.iter().all(|s| s.url.starts_with("https://")));
    }

    #[test]
    fn duplicate_and_unsafe_names_are_refused() {
        let twice = r#"
            [[source]]
            name = "a"
            title = "A"
            kind = "http"
            url = "https://example.org/a.csv"
            format = "wcota-states"
            [[source]]
            name = "a"
            title = "A again"
            kind = "http"
            url = "https://example.org/b.csv"
            format = "wcota-states"
        "#;
        assert!(matches!(parse(twice), Err(SourcesError::Duplicate(name)) if name == "a"));
        let escape = twice.replacen("name = \"a\"", "name = \"..\"", 1);
        assert!(matches!(parse(&escape), Err(SourcesError::BadName { .. })));
        let unknown_kind = twice.replacen("kind = \"http\"", "kind = \"ftp\"", 1);
        assert!(matches!(parse(&unknown_kind), Err(SourcesError::Syntax(_))));
    }
}
