//! Gold: the indicator tables, one module per family, each computed from
//! silver into the rows of `app::indicators` and written to the lake
//! (`store::tables` maps each row type onto its store table). Some
//! families also say how their source's editions are refined, beside the
//! gold they feed.

pub mod brasilio;
pub mod cases;
pub mod cities;
pub mod geometry;
pub mod hospitals;
pub mod nowcast;
pub mod occupancy;
pub mod patients;
pub mod ranking;
pub mod srag;
