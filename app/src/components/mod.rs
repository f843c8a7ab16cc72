//! Components more than one page uses.

pub mod map;
