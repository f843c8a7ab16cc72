//! Silver: each source's rows conformed (deduplicated, sorted, completed
//! from references) into the tables gold is computed from. Editions that
//! replace each other ([`edition`]); hospital reports that accumulate
//! ([`reports`]) and the hospitals they name ([`hospitals`]); SIVEP's weekly vintages ([`vintages`]); the references
//! other steps look up ([`municipalities`], [`population`]); and the
//! external sort the large ones go through ([`sort`]).

pub mod edition;
pub mod hospitals;
pub mod municipalities;
pub mod population;
pub mod reports;
pub mod sort;
mod spill;
pub mod vintage_folder;
pub mod vintages;
