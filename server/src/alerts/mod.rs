//! Alerts: an account's rules on a target's figures, evaluated after every
//! publish of gold in the process that published ([`evaluate`]), their
//! firings written with their deliveries into the store's outbox in one
//! transaction, and the worker that drains the outbox ([`worker`]) by
//! signed webhooks ([`webhook`]) to destinations the policy admits
//! ([`destination`]). The figures come from the gold tables through the
//! store's reads ([`observe`]).

pub mod destination;
pub mod evaluate;
pub mod observe;
pub mod webhook;
pub mod worker;

pub use evaluate::{EvaluationReport, evaluate};
