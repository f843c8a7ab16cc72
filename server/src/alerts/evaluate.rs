//! One evaluation of every active rule against the newest data date: a rule
//! fires when its condition holds and did not as of the data date last
//! evaluated (hysteresis: it fires again only after being seen false). The
//! new states, the firings and their deliveries are written in one
//! transaction ([`Store::record_evaluation`]).

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::observe::observe;
use crate::{
    access::random_token,
    store::{Evaluation, Firing, RuleState, Store},
    territories::Territories,
};

/// What an evaluation did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EvaluationReport {
    /// Active rules.
    pub rules: usize,
    /// Rules whose metric had a value to compare.
    pub evaluated: usize,
    pub fired: usize,
    pub elapsed: Duration,
}

/// Evaluates every active rule, its territories as `territories`
/// configures them, and records the outcome.
pub async fn evaluate(
    store: &Store,
    territories: &Territories,
    now: DateTime<Utc>,
) -> anyhow::Result<EvaluationReport> {
    let started = Instant::now();
    let rules = store
        .active_alert_rules()
        .await
        .context("reading the alert rules")?;
    let seen = observe(store, territories, rules.iter().map(|(rule, _)| rule))
        .await
        .context("reading what the rules watch")?;
    let mut evaluation = Evaluation::default();
    for (rule, previous) in &rules {
        let Some(seen) = seen.get(&(rule.spec.target.clone(), rule.spec.metric)) else {
            continue;
        };
        if previous.is_some_and(|p| p.data_date > seen.data_date) {
            // Gold went back (an older edition accepted): what was decided
            // on newer data stands.
            continue;
        }
        let Some(holds) = rule.spec.condition.holds(&seen.observation) else {
            continue;
        };
        let held = previous.is_some_and(|p| p.holds);
        evaluation.states.push((
            rule.id.clone(),
            RuleState {
                holds,
                data_date: seen.data_date,
            },
        ));
        if holds && !held {
            let firing = Firing {
                id: random_token("fir_"),
                rule_id: rule.id.clone(),
                data_date: seen.data_date,
                seen: seen.observation,
                fired_at: now,
            };
            evaluation.firings.push((firing, rule.channels()));
        }
    }
    store
        .record_evaluation(&evaluation, now)
        .await
        .context("recording the alert evaluation")?;
    let report = EvaluationReport {
        rules: rules.len(),
        evaluated: evaluation.states.len(),
        fired: evaluation.firings.len(),
        elapsed: started.elapsed(),
    };
    tracing::info!(
        rules = report.rules,
        evaluated = report.evaluated,
        fired = report.fired,
        elapsed_ms = report.elapsed.as_millis() as u64,
        "alerts evaluated"
    );
    Ok(report)
}
