//! Rejected rows: every input row that fails parsing or validation is kept
//! with the reason, never dropped silently.

use serde::{Deserialize, Serialize};

/// One rejected value or row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// The raw file it came from.
    pub file: String,
    /// 1-based line (or record) number in that file.
    pub line: u64,
    /// The field at fault; empty when the whole row is.
    pub field: String,
    /// The offending value, as written.
    pub value: String,
    pub reason: String,
}
