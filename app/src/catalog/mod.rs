//! The typed catalogue of Sentinela's data, one place that the pipeline,
//! the store, the API and the pages derive from: the vocabulary a request
//! and a row speak ([`vocabulary`]), the formats sources come in
//! ([`Format`]), every gold table with the formats that feed it (hence its
//! attribution) and its default period ([`GoldTable`]), the pure domain
//! functions both the write and the read side use ([`domain`]), what an
//! ingest run reports ([`runs`]), the sales territories ([`territory`]) and
//! what an alert rule watches ([`alerts`]).

#[cfg(feature = "ssr")]
pub mod alerts;
pub mod domain;
mod format;
pub mod runs;
mod table;
pub mod territory;
pub mod vocabulary;

pub use format::Format;
pub use table::GoldTable;
