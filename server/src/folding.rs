//! Names compared as people write and type them: without accents, case or
//! extra spaces (`São  Paulo`, `SAO PAULO` and `sao paulo` are one name).

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// `text` in upper case, without accents, with single spaces.
pub fn folded(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_spacing_do_not_matter() {
        assert_eq!(folded("  São   Paulo "), "SAO PAULO");
        assert_eq!(folded("SAO PAULO"), folded("são paulo"));
        assert_eq!(folded("Santa Bárbara d'Oeste"), "SANTA BARBARA D'OESTE");
    }
}
