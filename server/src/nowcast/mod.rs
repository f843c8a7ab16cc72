//! The nowcast of SIVEP-Gripe's recent weeks, corrected for reporting
//! delay and learnt from the weekly vintages (docs/nowcast.md): the
//! reporting [`triangle`], chain-ladder [`completion`] factors pooled
//! toward Brazil for small states, intervals from the quantiles of past
//! [`errors`], the nowcast at one vintage ([`estimate`]), its [`trend`]s
//! (and a sales [`territory`]'s, from its states' stored nowcasts) and
//! two-week [`outlook`], all [`replay`]ed vintage by vintage from the
//! data each vintage knew, and scored by the [`backtest`]. Pure
//! computation: the ingest builds the triangle (from the vintages'
//! silver, or a folder of them: `ingest::silver::vintage_folder`) and
//! publishes what it computes.

pub mod backtest;
pub mod completion;
pub mod errors;
pub mod estimate;
pub mod outlook;
pub mod replay;
pub mod territory;
pub mod trend;
pub mod triangle;

/// The method's name, as answers and pages cite it.
pub const METHOD: &str = "chain-ladder completion pooled toward Brazil, \
    intervals from past errors (sentinela nowcast v1)";

/// Where the server serves the method's description (docs/nowcast.md).
pub const DOC_PATH: &str = app::url::NOWCAST_DOC;
