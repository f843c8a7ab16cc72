//! One module per page, plus the frame (header, language switch, footer) they share.

pub mod city;
pub mod frame;
pub mod not_found;
pub mod overview;
pub mod quality;
pub mod sign_in;
pub mod state;
