//! Connectors: bring a source's content into the raw layer exactly as
//! fetched, with a manifest ([`manifest`]): HTTP files and `--from DIR`
//! ([`fetch`]), the Elasticsearch search API, Google Drive shared files and
//! a PostgreSQL query, hashed as they stream ([`hashing`]), credentials
//! looked up by name ([`secrets`]).

pub mod dated;
mod elastic;
pub mod fetch;
mod gdrive;
mod hashing;
pub mod manifest;
mod query;
pub mod secrets;
