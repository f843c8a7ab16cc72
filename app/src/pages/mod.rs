//! One module per page, plus the frame (header, language switch, footer) they
//! share. The data pages (overview, state, city, quality) are rendered on the
//! server only, as HTML that [`server_page`] shows in the browser.

pub mod alerts;
#[cfg(feature = "ssr")]
mod backtest;
#[cfg(feature = "ssr")]
pub mod city;
pub mod frame;
#[cfg(feature = "ssr")]
pub mod hospital;
#[cfg(feature = "ssr")]
pub mod hospitals;
pub mod not_found;
#[cfg(feature = "ssr")]
pub mod overview;
#[cfg(feature = "ssr")]
pub mod quality;
#[cfg(feature = "ssr")]
pub mod search;
pub mod server_page;
pub mod sign_in;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
mod territories;
