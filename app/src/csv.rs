//! The two CSV dialects Sentinela writes, one implementation for the API's
//! answers and the pages' downloads.

use crate::i18n::Lang;

/// CSV flavours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// RFC 4180: comma, decimal point; for scripts and Power BI.
    Rfc4180,
    /// Semicolon, decimal comma and a UTF-8 byte-order mark: what a
    /// Brazilian Excel opens as columns with a double click.
    ExcelBr,
}

impl Dialect {
    /// What a reader of `lang` opens with a double click.
    pub fn for_reader(lang: Lang) -> Self {
        match lang {
            Lang::Pt => Dialect::ExcelBr,
            Lang::En => Dialect::Rfc4180,
        }
    }

    fn separator(self) -> char {
        match self {
            Dialect::Rfc4180 => ',',
            Dialect::ExcelBr => ';',
        }
    }

    /// `value` with `decimals` decimals, in this dialect.
    pub fn fixed(self, value: f64, decimals: usize) -> String {
        self.number(&format!("{value:.decimals$}"))
    }

    /// A number, written as JSON writes it, in this dialect.
    pub fn number(self, json: &str) -> String {
        match self {
            Dialect::Rfc4180 => json.to_owned(),
            Dialect::ExcelBr => json.replace('.', ","),
        }
    }
}

/// A CSV document being written: records end in CRLF, and a cell is quoted
/// only when it holds the separator, a quote or a line break.
pub struct Table {
    dialect: Dialect,
    text: String,
}

impl Table {
    pub fn new(dialect: Dialect) -> Self {
        let text = match dialect {
            Dialect::Rfc4180 => String::new(),
            Dialect::ExcelBr => String::from('\u{feff}'),
        };
        Table { dialect, text }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Appends one record.
    pub fn record<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let separator = self.dialect.separator();
        for (index, cell) in cells.into_iter().enumerate() {
            if index > 0 {
                self.text.push(separator);
            }
            let cell = cell.as_ref();
            if cell.contains([separator, '"', '\r', '\n']) {
                self.text.push('"');
                self.text.push_str(&cell.replace('"', "\"\""));
                self.text.push('"');
            } else {
                self.text.push_str(cell);
            }
        }
        self.text.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.text
    }

    /// The document as a `data:` URL: what a page's download link holds.
    pub fn data_url(self) -> String {
        format!(
            "data:text/csv;charset=utf-8,{}",
            crate::url::encode(&self.finish())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dialect_separates_quotes_and_writes_numbers_its_way() {
        for (dialect, want) in [
            (Dialect::Rfc4180, "uf,note\r\nSP,0.5,\"a, \"\"b\"\"\"\r\n"),
            (
                Dialect::ExcelBr,
                "\u{feff}uf;note\r\nSP;0,5;\"a; \"\"b\"\"\"\r\n",
            ),
        ] {
            let mut table = Table::new(dialect);
            table.record(["uf", "note"]);
            let note = format!("a{} \"b\"", dialect.separator());
            table.record(["SP".to_owned(), dialect.number("0.5"), note]);
            assert_eq!(table.finish(), want);
        }
        let mut line = Table::new(Dialect::Rfc4180);
        line.record(["two\nlines"]);
        assert_eq!(line.finish(), "\"two\nlines\"\r\n");
    }
}
