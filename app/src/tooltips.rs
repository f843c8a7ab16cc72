//! The tooltip layer of the charts and maps: a small script inline in every
//! page (`tooltips.js`), run as soon as the page is read, so before
//! hydration and in embedded views, which are not hydrated. A chart or a map
//! has one tooltip for all its days or areas, shown beside the pointer (or
//! where a finger touched): a map area's `data-tip`, or, over a chart's
//! plot (its layer: [`crate::charts`]), the row of the chart's own table for
//! the day under the pointer, whose column it highlights. Screen readers do
//! not get the tooltip; they read those tables (and the city map's ranked
//! table) instead.

/// The script, which the shell writes with the page's nonce.
pub const SCRIPT: &str = include_str!("tooltips.js");
