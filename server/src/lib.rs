//! Sentinela's server: the Axum application that renders the Leptos
//! dashboard, and the data machinery behind it (lake, store, sources).
//! See ARCHITECTURE.md for the map.

pub mod access;
pub mod alerts;
pub mod allocator;
pub mod aws;
pub mod backend;
pub mod cli;
pub mod config;
pub mod crash;
pub mod folding;
pub mod ingest;
pub mod job;
pub mod json_error;
pub mod lake;
pub mod lineage;
pub mod nowcast;
pub mod progress;
pub mod routes;
pub mod scheduler;
pub mod serve;
pub mod site;
pub mod sources;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod territories;
pub mod trigger;
