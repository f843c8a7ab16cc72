//! Sentinela's integration tests, one binary: real PostgreSQL, a real
//! S3-compatible server and real HTTP on loopback (see `support`).

mod api;
mod geometry;
mod http;
mod ingest;
mod lake;
mod lake_tables;
mod ranking;
mod scheduler;
mod store;
mod support;
