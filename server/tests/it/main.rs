//! Sentinela's integration tests, one binary: real PostgreSQL, a real
//! S3-compatible server and real HTTP on loopback (see `support`).

mod access;
mod alert_digest;
mod alert_email;
mod alerts;
mod alerts_page;
mod api;
mod brasilio;
mod city_totals;
mod exhaustion;
mod faults;
mod fuzz;
mod geometry;
mod hospitals;
mod http;
mod ingest;
mod injection;
mod lake;
mod lake_tables;
mod lineage;
mod municipalities;
mod nowcast;
mod nowcast_api;
mod patients;
mod production;
mod ranking;
mod scheduler;
mod secrets;
mod store;
mod support;
mod territories;
