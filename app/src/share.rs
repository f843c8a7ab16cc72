//! "Copiar link": a small script inline in every page that copies the
//! page's address, every filter and the language in it, when the header's
//! button is pressed, and says so in the status beside it; without a
//! clipboard (a plain-HTTP address) it shows the address to copy by hand.
//! Inline rather than in the WASM, so the bundle carries no clipboard
//! bindings.

/// The script, which the shell writes with the page's nonce.
pub const SCRIPT: &str = include_str!("share.js");
