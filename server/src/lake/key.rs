//! Lake keys: `layer/relative/path`, validated once so that no backend can
//! be led outside its root or bucket.

use std::{fmt, str::FromStr};

use super::LakeError;

/// The four layers of the medallion lake.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    Raw,
    Bronze,
    Silver,
    Gold,
}

impl Layer {
    pub const ALL: [Layer; 4] = [Layer::Raw, Layer::Bronze, Layer::Silver, Layer::Gold];

    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Raw => "raw",
            Layer::Bronze => "bronze",
            Layer::Silver => "silver",
            Layer::Gold => "gold",
        }
    }
}

/// A validated object key: a layer, then one or more path segments made of
/// letters, digits and `-_.=`, none of them `.` or `..`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    layer: Layer,
    path: String,
}

impl Key {
    /// Builds a key from its layer and the path inside the layer.
    pub fn new(layer: Layer, path: &str) -> Result<Self, LakeError> {
        let invalid = |reason| LakeError::InvalidKey {
            key: format!("{}/{path}", layer.as_str()),
            reason,
        };
        if path.is_empty() {
            return Err(invalid("the path inside the layer is empty"));
        }
        for segment in path.split('/') {
            if segment.is_empty() || segment == "." || segment == ".." {
                return Err(invalid("empty, '.' or '..' path segment"));
            }
            if segment.starts_with('.') {
                return Err(invalid(
                    "segments may not start with '.' (reserved for temporary files)",
                ));
            }
            if !segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.=".contains(&b))
            {
                return Err(invalid("only ASCII letters, digits and -_.= are allowed"));
            }
        }
        Ok(Key {
            layer,
            path: path.to_owned(),
        })
    }

    pub fn layer(&self) -> Layer {
        self.layer
    }

    /// The path inside the layer.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl FromStr for Key {
    type Err = LakeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (layer, path) = s.split_once('/').unwrap_or((s, ""));
        let layer =
            Layer::ALL
                .into_iter()
                .find(|l| l.as_str() == layer)
                .ok_or(LakeError::InvalidKey {
                    key: s.to_owned(),
                    reason: "the key must start with raw/, bronze/, silver/ or gold/",
                })?;
        Key::new(layer, path)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.layer.as_str(), self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_layer_and_path() {
        let key: Key = "raw/cases/2022-04-24/file.csv".parse().unwrap();
        assert_eq!(key.layer(), Layer::Raw);
        assert_eq!(key.path(), "cases/2022-04-24/file.csv");
        assert_eq!(key.to_string(), "raw/cases/2022-04-24/file.csv");
    }

    #[test]
    fn rejects_escapes_and_unknown_layers() {
        for bad in [
            "raw/../etc/passwd",
            "raw/a//b",
            "raw/",
            "raw",
            "platinum/x",
            "/raw/x",
            "raw/.tmp",
            "raw/a b",
            "raw/a\\b",
        ] {
            assert!(bad.parse::<Key>().is_err(), "{bad} should be rejected");
        }
    }
}
