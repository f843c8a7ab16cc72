//! The tooltip layer of the charts and maps: a small script inline in every
//! page (`tooltips.js`), run as soon as the page is read, so before
//! hydration and in embedded views, which are not hydrated. A chart or a map
//! has one tooltip for all its days or areas, shown beside the pointer (or
//! where a finger touched): a map area's `data-tip`, or, over a chart's
//! plot (its layer: [`crate::charts`]), the row of the chart's own table for
//! the day under the pointer, whose column it highlights. A map area in
//! keyboard focus shows its tip too, and on a touch screen the first tap
//! on an area shows it, the second follows its link. Screen readers do not
//! get the tooltip; they read the charts' tables and the areas' names,
//! which hold their values.

/// The script, which the shell writes with the page's nonce.
pub const SCRIPT: &str = include_str!("tooltips.js");
