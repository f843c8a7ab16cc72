//! The weekly digest: every Monday from 08:00 Brasília time, each account
//! that asked for one gets an e-mail summing up every target its active
//! rules watch: the figure on its newest data date with its change over 7
//! days, whether the rule's line is crossed, and how often it fired in the
//! last 7 days; with a link to the alerts page and a signed one-click
//! unsubscribe link. A digest is claimed like a delivery (so two servers
//! send it once) and tried again after a failure until it is sent or the
//! next week begins. An account without an active rule gets no e-mail that
//! week.

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc};
use hmac::Mac;
use html_escape::{encode_double_quoted_attribute as attr, encode_text as escape};
use url::Url;

use app::{
    alerts_view::{condition_words, metric_name, place_path, seen_words},
    catalog::domain::brasilia,
    format::date_br,
};

use super::{
    email::{Letter, UNSUBSCRIBE_PATH, signed},
    observe::{Seen, observe},
};
use crate::{
    store::{AlertRule, DigestRow, Store},
    territories::Territories,
};

/// The hour of Monday (Brasília time) from which a week's digest is sent.
const SEND_HOUR: i64 = 8;

/// The Monday of the digest week `now` falls in: the latest Monday whose
/// 08:00 Brasília time is at or before `now`.
pub fn week_of(now: DateTime<Utc>) -> NaiveDate {
    let day = (now.with_timezone(&brasilia()) - Duration::hours(SEND_HOUR)).date_naive();
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The HMAC of `digest`'s unsubscribe link: under its key, over its account
/// and address, so a link stops working once the address changes.
fn unsubscribe_mac(digest: &DigestRow) -> hmac::Hmac<sha2::Sha256> {
    signed(&digest.secret, &["digest", &digest.account, &digest.email])
}

/// The token of `digest`'s unsubscribe link.
pub fn unsubscribe_token(digest: &DigestRow) -> String {
    hex::encode(unsubscribe_mac(digest).finalize().into_bytes())
}

/// Whether `token` is `digest`'s unsubscribe token (compared in constant
/// time).
pub fn unsubscribe_token_holds(digest: &DigestRow, token: &str) -> bool {
    hex::decode(token).is_ok_and(|bytes| unsubscribe_mac(digest).verify_slice(&bytes).is_ok())
}

/// One watched target in the digest.
#[derive(Clone, Debug)]
pub struct DigestLine {
    pub rule: AlertRule,
    /// What its metric shows on its newest data date, if anything.
    pub seen: Option<Seen>,
    /// Its firings in the 7 days before the digest.
    pub fired: usize,
}

/// What `account`'s digest sums up at `now`: its active rules, by place,
/// with what they watch.
pub async fn lines(
    store: &Store,
    territories: &Territories,
    account: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<DigestLine>> {
    let mut rules: Vec<AlertRule> = store
        .alert_rules(Some(account))
        .await?
        .into_iter()
        .filter(|rule| !rule.paused)
        .collect();
    rules.sort_by(|a, b| (&a.place, &a.name).cmp(&(&b.place, &b.name)));
    let seen = observe(store, territories, &rules).await?;
    let since = now - Duration::days(7);
    let mut lines = Vec::with_capacity(rules.len());
    for rule in rules {
        let fired = store
            .alert_firings(&rule.id)
            .await?
            .iter()
            .filter(|firing| firing.fired_at >= since)
            .count();
        lines.push(DigestLine {
            seen: seen
                .get(&(rule.spec.target.clone(), rule.spec.metric))
                .copied(),
            rule,
            fired,
        });
    }
    Ok(lines)
}

/// `digest`'s e-mail for the week of `week`, in Portuguese.
pub fn letter(digest: &DigestRow, lines: &[DigestLine], week: NaiveDate, base: &Url) -> Letter {
    let view = base.join("/alertas").expect("a path joins a base URL");
    let mut unsubscribe = base
        .join(UNSUBSCRIBE_PATH)
        .expect("a path joins a base URL");
    unsubscribe
        .query_pairs_mut()
        .append_pair("resumo", &digest.account)
        .append_pair("t", &unsubscribe_token(digest));
    let subject = format!("Sentinela: resumo da semana de {}", date_br(week));
    let crossed = lines
        .iter()
        .filter(|line| holds(line) == Some(true))
        .count();
    let watched = match lines.len() {
        1 => "1 alerta acompanhado".to_owned(),
        n => format!("{n} alertas acompanhados"),
    };
    let intro = format!("{watched}, {crossed} com a linha cruzada no dado mais recente.");
    let why = format!(
        "Você recebe este resumo toda segunda-feira porque a conta {} o pediu para este endereço.",
        digest.account
    );
    let mut text = format!("{subject}\n{intro}\n\n");
    let mut rows = String::new();
    for line in lines {
        let words = Words::of(line);
        text.push_str(&format!(
            "- {} — {}: {} ({}; {}). {}\n",
            words.place, words.metric, words.figure, words.date, words.status, words.fired
        ));
        let href = base
            .join(&place_path(&line.rule.spec.target))
            .expect("a path joins a base URL");
        rows.push_str(&format!(
            "<tr><td><a href=\"{href}\">{place}</a><br><small>{rule}</small></td>\
             <td>{metric}: <strong>{figure}</strong><br><small>{date}</small></td>\
             <td>{status}<br><small>{fired}</small></td></tr>",
            href = attr(href.as_str()),
            place = escape(&words.place),
            rule = escape(&words.rule),
            metric = escape(words.metric),
            figure = escape(&words.figure),
            date = escape(&words.date),
            status = escape(words.status),
            fired = escape(&words.fired),
        ));
    }
    text.push_str(&format!(
        "\nSeus alertas: {view}\n\n{why}\nPara não receber mais o resumo: {unsubscribe}\n"
    ));
    let html = format!(
        "<!DOCTYPE html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
         <body style=\"font-family:sans-serif;color:#1a1a1a\"><h1 style=\"font-size:1.2em\">{subject}</h1>\
         <p>{intro}</p><table cellpadding=\"6\" style=\"border-collapse:collapse\">\
         <thead><tr><th align=\"left\">Local</th><th align=\"left\">Dado mais recente</th>\
         <th align=\"left\">Situação</th></tr></thead><tbody>{rows}</tbody></table>\
         <p><a href=\"{view_href}\">Seus alertas no Sentinela</a></p>\
         <p style=\"color:#555;font-size:0.9em\">{why}<br>\
         <a href=\"{unsubscribe_href}\">Não receber mais o resumo semanal</a></p></body></html>",
        subject = escape(&subject),
        intro = escape(&intro),
        view_href = attr(view.as_str()),
        why = escape(&why),
        unsubscribe_href = attr(unsubscribe.as_str()),
    );
    Letter {
        subject,
        text,
        html,
        view,
        unsubscribe,
        chart: None,
    }
}

/// Whether a line's rule holds on what it sees (`None`: nothing to judge).
fn holds(line: &DigestLine) -> Option<bool> {
    let seen = line.seen.as_ref()?;
    line.rule.spec.condition.holds(&seen.observation)
}

/// A line in words.
struct Words {
    place: String,
    rule: String,
    metric: &'static str,
    figure: String,
    date: String,
    status: &'static str,
    fired: String,
}

impl Words {
    fn of(line: &DigestLine) -> Words {
        let spec = &line.rule.spec;
        let (figure, date) = match &line.seen {
            Some(seen) => (
                seen_words(&seen.observation, spec.metric, spec.condition),
                format!("dado de {}", date_br(seen.data_date)),
            ),
            None => ("—".to_owned(), "sem dado recente".to_owned()),
        };
        Words {
            place: line.rule.place.clone(),
            rule: format!(
                "\u{201c}{}\u{201d}: {}",
                line.rule.name,
                condition_words(spec.metric, spec.condition)
            ),
            metric: metric_name(spec.metric),
            figure,
            date,
            status: match holds(line) {
                Some(true) => "linha cruzada",
                Some(false) => "dentro da linha",
                None => "sem avaliação",
            },
            fired: match line.fired {
                0 => "nenhum disparo em 7 dias".to_owned(),
                1 => "1 disparo em 7 dias".to_owned(),
                n => format!("{n} disparos em 7 dias"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_week_starts_on_monday_at_eight_in_brasilia() {
        let at = |d, h, m| Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let before = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        // 08:00 in Brasília is 11:00 UTC.
        assert_eq!(week_of(at(7, 10, 59)), before);
        assert_eq!(week_of(at(7, 11, 0)), monday);
        assert_eq!(week_of(at(13, 23, 0)), monday, "Sunday evening");
        assert_eq!(week_of(at(14, 2, 30)), monday, "Sunday 23:30 in Brasília");
        assert_eq!(week_of(at(14, 11, 0)), monday + Days::new(7));
    }
}
