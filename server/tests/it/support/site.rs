//! A built site as a release build leaves it: the script, the WASM and the
//! stylesheet under names that carry a hash, the hash file listing those
//! hashes, and a favicon.

use std::{net::SocketAddr, path::Path};

use leptos::prelude::LeptosOptions;

/// The stylesheet, which pages carry inline.
pub const STYLESHEET: &str = "body{margin:0}.chart>svg{width:100%}";
/// The URL paths of the files named by a hash.
pub const SCRIPT: &str = "/pkg/sentinela.c2NyaXB0LWhhc2gtb25l.js";
pub const WASM: &str = "/pkg/sentinela.d2FzbS1oYXNoLW9uZQ.wasm";
pub const CSS: &str = "/pkg/sentinela.Y3NzLWhhc2gtb25l.css";

/// Writes the site into the folder `root` and returns the options that
/// serve it on a free loopback port.
pub fn write(root: &Path) -> LeptosOptions {
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("favicon.ico"), b"").unwrap();
    for (path, content) in [
        (SCRIPT, "export function hydrate() {}"),
        (WASM, ""),
        (CSS, STYLESHEET),
    ] {
        std::fs::write(root.join(path.trim_start_matches('/')), content).unwrap();
    }
    let hash = |path: &str| path.split('.').nth(1).unwrap().to_owned();
    let hash_file = root.join("hash.txt");
    std::fs::write(
        &hash_file,
        format!(
            "js: {}\nwasm: {}\ncss: {}\n",
            hash(SCRIPT),
            hash(WASM),
            hash(CSS)
        ),
    )
    .unwrap();
    LeptosOptions::builder()
        .output_name("sentinela")
        .site_addr(SocketAddr::from(([127, 0, 0, 1], 0)))
        .site_root(root.to_str().unwrap())
        .hash_files(true)
        .hash_file(hash_file.to_str().unwrap().into())
        .build()
}

/// The environment that makes the binary serve `options`' site.
pub fn env(options: &LeptosOptions) -> Vec<(&'static str, String)> {
    vec![
        ("LEPTOS_OUTPUT_NAME", options.output_name.to_string()),
        ("LEPTOS_SITE_ADDR", options.site_addr.to_string()),
        ("LEPTOS_SITE_ROOT", options.site_root.to_string()),
        ("LEPTOS_HASH_FILES", options.hash_files.to_string()),
        ("LEPTOS_HASH_FILE_NAME", options.hash_file.to_string()),
    ]
}
