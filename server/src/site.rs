//! The site cargo-leptos built for the server: the names it gave the
//! script, the WASM and the stylesheet, each carrying the hash of the file's
//! content (listed in its hash file), and the stylesheet itself, which every
//! page carries inline instead of linking it. Both are read once, at
//! start-up: a new build is served by a new process.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::Context;
use leptos::prelude::LeptosOptions;

/// The file kinds cargo-leptos names by their content's hash, as its hash
/// file lists them (a `js: <hash>` line each).
const HASHED: [&str; 3] = ["js", "wasm", "css"];

/// The built site's files.
#[derive(Clone, Debug)]
pub struct Site {
    /// The folder they are served from.
    pub root: PathBuf,
    /// The URL paths of the files whose name carries their content's hash
    /// (`/pkg/sentinela.<hash>.wasm`): a changed file gets a new name.
    pub(crate) hashed: Arc<[String]>,
    /// The stylesheet's text.
    pub stylesheet: Arc<str>,
}

impl Site {
    /// Reads the site `options` describe. With `hash_files`, its file names
    /// come from the build's hash file, found as Leptos finds it for the
    /// pages' scripts: `hash_file` beside the running binary (or at that
    /// path, when absolute).
    pub fn open(options: &LeptosOptions) -> anyhow::Result<Site> {
        let root = PathBuf::from(&*options.site_root);
        let pkg = root.join(&*options.site_pkg_dir);
        let name = &options.output_name;
        let hashes = match options.hash_files {
            true => {
                let path = std::env::current_exe()
                    .context("finding the running binary")?
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default()
                    .join(&*options.hash_file);
                let text = std::fs::read_to_string(&path).with_context(|| {
                    format!(
                        "reading the build's hash file {} (LEPTOS_HASH_FILES is on: \
                         cargo-leptos writes it beside the binary)",
                        path.display()
                    )
                })?;
                parse_hashes(&text)
                    .with_context(|| format!("reading the hash file {}", path.display()))?
            }
            false => Vec::new(),
        };
        let file_name = |kind: &str| match hashes.iter().find(|(k, _)| *k == kind) {
            Some((_, hash)) => format!("{name}.{hash}.{kind}"),
            None => format!("{name}.{kind}"),
        };
        let hashed = hashes
            .iter()
            .map(|(kind, _)| format!("/{}/{}", options.site_pkg_dir, file_name(kind)))
            .collect();
        let css = pkg.join(file_name("css"));
        let stylesheet = std::fs::read_to_string(&css).with_context(|| {
            format!(
                "reading the stylesheet {} (is the site built, and LEPTOS_HASH_FILES=true \
                 when its names are hashed?)",
                css.display()
            )
        })?;
        Ok(Site {
            root,
            hashed,
            stylesheet: stylesheet.into(),
        })
    }

    /// Whether the URL `path` names one of the files whose name carries
    /// their content's hash.
    pub fn is_hashed(&self, path: &str) -> bool {
        self.hashed.iter().any(|hashed| hashed == path)
    }
}

/// The hash of each of the [`HASHED`] kinds in a hash file's text; other
/// lines (a split WASM's manifest) are not this site's.
fn parse_hashes(text: &str) -> anyhow::Result<Vec<(&'static str, String)>> {
    HASHED
        .into_iter()
        .map(|kind| {
            let hash = text
                .lines()
                .filter_map(|line| line.split_once(':'))
                .find(|(k, _)| k.trim() == kind)
                .map(|(_, hash)| hash.trim())
                .with_context(|| format!("no `{kind}:` line"))?;
            anyhow::ensure!(
                !hash.is_empty()
                    && hash
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "`{kind}:` is not a file hash: {hash:?}"
            );
            Ok((kind, hash.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_file_names_the_script_the_wasm_and_the_stylesheet() {
        let hashes = parse_hashes(
            "js: rHvQi67cE1R_8v2ybXqdpA\nwasm: gt_CqG-CHfAyvI2psz9D4Q\n\
             css: kVVT6bjZUD4gNwWvLJRL7g\nmanifest: x\n",
        )
        .unwrap();
        assert_eq!(
            hashes,
            [
                ("js", "rHvQi67cE1R_8v2ybXqdpA".to_owned()),
                ("wasm", "gt_CqG-CHfAyvI2psz9D4Q".to_owned()),
                ("css", "kVVT6bjZUD4gNwWvLJRL7g".to_owned()),
            ]
        );
        let missing = parse_hashes("js: a\nwasm: b\n").unwrap_err();
        assert!(missing.to_string().contains("css"), "{missing}");
        for bad in ["js: a/b\nwasm: b\ncss: c", "js:\nwasm: b\ncss: c"] {
            assert!(parse_hashes(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn opens_the_stylesheet_of_the_names_in_use() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("pkg")).unwrap();
        std::fs::write(site.path().join("pkg/sentinela.css"), "main{}").unwrap();
        std::fs::write(site.path().join("pkg/sentinela.c55.css"), "body{}").unwrap();
        std::fs::write(site.path().join("hash.txt"), "js: j5\nwasm: w5\ncss: c55\n").unwrap();
        let options = |hash_files| {
            LeptosOptions::builder()
                .output_name("sentinela")
                .site_root(site.path().to_str().unwrap())
                .hash_files(hash_files)
                .hash_file(site.path().join("hash.txt").to_str().unwrap().into())
                .build()
        };

        let hashed = Site::open(&options(true)).unwrap();
        assert_eq!(&*hashed.stylesheet, "body{}");
        assert!(hashed.is_hashed("/pkg/sentinela.w5.wasm"));
        assert!(hashed.is_hashed("/pkg/sentinela.c55.css"));
        assert!(!hashed.is_hashed("/pkg/sentinela.css"));
        assert!(!hashed.is_hashed("/favicon.ico"));

        let plain = Site::open(&options(false)).unwrap();
        assert_eq!(&*plain.stylesheet, "main{}");
        assert!(!plain.is_hashed("/pkg/sentinela.wasm"));

        std::fs::remove_file(site.path().join("hash.txt")).unwrap();
        let error = format!("{:#}", Site::open(&options(true)).unwrap_err());
        assert!(error.contains("hash.txt"), "{error}");
    }
}
