//! Alerts: an account's rules on a target's figures, evaluated after every
//! publish of gold in the process that published ([`evaluate`]), their
//! firings written with their deliveries into the store's outbox in one
//! transaction, and the worker that drains the outbox ([`worker`]) by
//! signed webhooks ([`webhook`]) to destinations the policy admits
//! ([`destination`]) and e-mails ([`email`], with their [`chart`]), and sends the weekly digests
//! ([`digest`]). The figures come from the gold tables through the store's
//! reads ([`observe`]).

pub mod chart;
pub mod destination;
pub mod digest;
pub mod email;
pub mod evaluate;
pub mod observe;
pub mod webhook;
pub mod worker;

pub use evaluate::{EvaluationReport, evaluate};

/// Why a delivery attempt failed, and whether trying again may help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The destination could not be reached or did not accept it yet.
    Retry(String),
    /// It can never be delivered (its rule, firing or address is gone).
    Final(String),
}

/// What a new rule may ask of this deployment: where its webhook may go,
/// and whether it may send e-mail (a mail server is set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admission {
    pub webhooks: destination::Policy,
    pub email: bool,
}
