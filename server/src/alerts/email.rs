//! A firing as an e-mail: in Portuguese, as plain text and HTML, naming the
//! place, what was seen on which data date and the rule's line, with a link
//! to the view that shows it and a signed one-click unsubscribe link (the
//! `List-Unsubscribe` headers of RFC 2369 and RFC 8058), sent over SMTP by
//! lettre: STARTTLS or TLS, or plain SMTP to a server on loopback only. An
//! error says what failed in words that never hold an address nor the mail
//! server's reply (which may quote one).

use std::{fmt, net::IpAddr, time::Duration};

use anyhow::{Context, bail};
use app::{
    alerts_view::{condition_words, metric_name, place_path, seen_words},
    format::{date_br, datetime_br},
};
use hmac::{Hmac, Mac};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as escape};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Attachment, Mailbox, MultiPart, SinglePart,
        header::{ContentType, HeaderName, HeaderValue},
    },
    transport::smtp::authentication::Credentials,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use url::Url;

use super::Failure;
use crate::store::{AlertRule, Firing};

/// How long the mail server may take to answer a command.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The path of the unsubscribe link.
pub const UNSUBSCRIBE_PATH: &str = "/alertas/cancelar";

/// How the connection to the mail server is protected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: a server on loopback only (a local relay, tests).
    None,
}

/// Where and how alert e-mails are sent.
pub struct SmtpSettings<'a> {
    pub host: &'a str,
    pub port: u16,
    pub security: SmtpSecurity,
    pub user: Option<&'a str>,
    pub password: Option<&'a SecretString>,
    /// The sender (`Sentinela <alertas@example.com>`).
    pub from: &'a str,
    /// The site's address as its users reach it: links start with it.
    pub public_url: &'a str,
}

/// Sends alert e-mails.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: Url,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Mailer(..)")
    }
}

impl Mailer {
    pub fn new(settings: &SmtpSettings) -> anyhow::Result<Self> {
        let public_url = Url::parse(settings.public_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "https" | "http"))
            .context("SENTINELA_PUBLIC_URL is not an http(s) URL")?;
        let from: Mailbox = settings
            .from
            .parse()
            .context("SENTINELA_MAIL_FROM is not an e-mail address")?;
        let host = settings.host;
        let builder = match settings.security {
            SmtpSecurity::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                .context("SENTINELA_SMTP_HOST")?,
            SmtpSecurity::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(host).context("SENTINELA_SMTP_HOST")?
            }
            SmtpSecurity::None if on_loopback(host) => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            }
            SmtpSecurity::None => {
                bail!("SENTINELA_SMTP_SECURITY=none is only for a mail server on loopback")
            }
        };
        let mut builder = builder.port(settings.port).timeout(Some(TIMEOUT));
        if let (Some(user), Some(password)) = (settings.user, settings.password) {
            builder = builder.credentials(Credentials::new(
                user.to_owned(),
                password.expose_secret().to_owned(),
            ));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
            public_url,
        })
    }

    /// Sends `firing` of `rule` to the rule's address, with `chart` (a
    /// PNG) inline when there is one.
    pub async fn send(
        &self,
        rule: &AlertRule,
        firing: &Firing,
        chart: Option<Vec<u8>>,
    ) -> Result<(), Failure> {
        let mut letter = Letter::new(rule, firing, &self.public_url);
        if let Some(png) = chart {
            letter = letter.with_chart(png, &rule.place);
        }
        self.deliver(rule, letter).await
    }

    /// Sends a test of `rule` to its address: its latest firing, or what
    /// its e-mail looks like before any, marked as a test.
    pub async fn send_test(&self, rule: &AlertRule, latest: Option<Firing>) -> Result<(), Failure> {
        let firing = latest.unwrap_or_else(|| Firing {
            id: String::new(),
            rule_id: rule.id.clone(),
            data_date: chrono::Utc::now().date_naive(),
            seen: Default::default(),
            fired_at: chrono::Utc::now(),
        });
        let mut letter = Letter::new(rule, &firing, &self.public_url);
        letter.subject = format!("[Teste] {}", letter.subject);
        self.deliver(rule, letter).await
    }

    /// The site's address as its users reach it.
    pub fn public_url(&self) -> &Url {
        &self.public_url
    }

    /// Sends `letter` to `rule`'s address.
    async fn deliver(&self, rule: &AlertRule, letter: Letter) -> Result<(), Failure> {
        let address = rule
            .email
            .as_deref()
            .ok_or_else(|| Failure::Final("the rule no longer has an e-mail address".into()))?;
        self.send_letter(address, letter).await
    }

    /// Sends `letter` to `address`.
    pub async fn send_letter(&self, address: &str, letter: Letter) -> Result<(), Failure> {
        let to: Mailbox = address
            .parse()
            .map_err(|_| Failure::Final("the e-mail address is not valid".into()))?;
        let message = letter
            .message(self.from.clone(), to)
            .map_err(|_| Failure::Final("the message cannot be built".into()))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| Failure::Retry(failure(&e)))
    }
}

/// Whether `host` names this machine's loopback.
fn on_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// An SMTP failure in words without the server's text.
fn failure(error: &lettre::transport::smtp::Error) -> String {
    let code = error
        .status()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    if error.is_permanent() {
        format!("the mail server refused the message{code}")
    } else if error.is_transient() {
        format!("the mail server asked to try later{code}")
    } else if error.is_timeout() {
        "the mail server did not answer in time".into()
    } else if error.is_tls() {
        "TLS with the mail server failed".into()
    } else {
        "cannot reach the mail server".into()
    }
}

/// HMAC-SHA256 under `key` over `parts`, one per line: what an unsubscribe
/// link's token is.
pub(crate) fn signed(key: &SecretString, parts: &[&str]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.expose_secret().as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(parts.join("\n").as_bytes());
    mac
}

/// The key of a rule's unsubscribe link: HMAC-SHA256 under the rule's key
/// over its id and address, so a link stops working once the address
/// changes.
fn unsubscribe_mac(rule: &AlertRule, email: &str) -> Hmac<Sha256> {
    signed(&rule.webhook_secret, &["unsubscribe", &rule.id, email])
}

/// The token of `rule`'s unsubscribe link, if it has an address.
pub fn unsubscribe_token(rule: &AlertRule) -> Option<String> {
    let email = rule.email.as_deref()?;
    Some(hex::encode(
        unsubscribe_mac(rule, email).finalize().into_bytes(),
    ))
}

/// Whether `token` is `rule`'s unsubscribe token (compared in constant time).
pub fn unsubscribe_token_holds(rule: &AlertRule, token: &str) -> bool {
    match (rule.email.as_deref(), hex::decode(token)) {
        (Some(email), Ok(bytes)) => unsubscribe_mac(rule, email).verify_slice(&bytes).is_ok(),
        _ => false,
    }
}

/// An alert e-mail's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The view that shows the change.
    pub view: Url,
    /// The one-click unsubscribe link.
    pub unsubscribe: Url,
    /// A chart (PNG) the HTML shows inline, as [`CHART_CID`].
    pub chart: Option<Vec<u8>>,
}

/// The content id of a letter's inline chart.
pub const CHART_CID: &str = "grafico";

impl Letter {
    pub fn new(rule: &AlertRule, firing: &Firing, public_url: &Url) -> Letter {
        let spec = &rule.spec;
        let place = &rule.place;
        let view = public_url
            .join(&place_path(&spec.target))
            .expect("a path joins a base URL");
        let mut unsubscribe = public_url
            .join(UNSUBSCRIBE_PATH)
            .expect("a path joins a base URL");
        unsubscribe
            .query_pairs_mut()
            .append_pair("regra", &rule.id)
            .append_pair("t", &unsubscribe_token(rule).unwrap_or_default());
        let what = format!(
            "{} — {}",
            metric_name(spec.metric),
            seen_words(&firing.seen, spec.metric, spec.condition)
        );
        let subject = format!("Alerta Sentinela: {place} — {what}");
        let line = condition_words(spec.metric, spec.condition);
        let dated = format!(
            "Dado mais recente: {}. Alerta disparado em {} (horário de Brasília).",
            date_br(firing.data_date),
            datetime_br(firing.fired_at)
        );
        let why = format!(
            "Você recebe este e-mail porque a regra \"{}\" da conta {} envia alertas para este endereço.",
            rule.name, rule.account
        );
        let plain = format!(
            "{place}\n{what}\nRegra \"{}\": {line}.\n{dated}\n\nVer no Sentinela: {view}\n\n{why}\n\
             Para não receber mais e-mails desta regra: {unsubscribe}\n",
            rule.name
        );
        let html = format!(
            "<!DOCTYPE html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
             <body style=\"font-family:sans-serif;color:#1a1a1a\">\
             <h1 style=\"font-size:1.2em\">{place}</h1><p style=\"font-size:1.1em\"><strong>{what}</strong></p>\
             <p>Regra \u{201c}{name}\u{201d}: {line}.<br>{dated}</p>\
             <p><a href=\"{view_href}\">Ver no Sentinela</a></p>\
             <p style=\"color:#555;font-size:0.9em\">{why}<br>\
             <a href=\"{unsubscribe_href}\">Não receber mais e-mails desta regra</a></p></body></html>",
            subject = escape(&subject),
            place = escape(place),
            what = escape(&what),
            name = escape(&rule.name),
            line = escape(&line),
            dated = escape(&dated),
            view_href = attr(view.as_str()),
            why = escape(&why),
            unsubscribe_href = attr(unsubscribe.as_str()),
        );
        Letter {
            subject,
            text: plain,
            html,
            view,
            unsubscribe,
            chart: None,
        }
    }

    /// The same letter showing `png`, the chart of `place`'s figure over 8
    /// weeks, below its figure.
    pub fn with_chart(mut self, png: Vec<u8>, place: &str) -> Letter {
        let alt = format!("Gráfico das últimas 8 semanas: {place}");
        let image = format!(
            "<p><img src=\"cid:{CHART_CID}\" width=\"460\" height=\"300\" alt=\"{}\" \
             style=\"max-width:100%;height:auto\"></p>",
            attr(&alt)
        );
        if let Some(at) = self.html.find("<p>Regra") {
            self.html.insert_str(at, &image);
        }
        self.chart = Some(png);
        self
    }

    /// The MIME message from `from` to `to`.
    fn message(&self, from: Mailbox, to: Mailbox) -> Result<Message, lettre::error::Error> {
        const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
        const LIST_UNSUBSCRIBE_POST: HeaderName =
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post");
        Message::builder()
            .from(from)
            .to(to)
            .subject(&self.subject)
            .raw_header(HeaderValue::new(
                LIST_UNSUBSCRIBE,
                format!("<{}>", self.unsubscribe),
            ))
            .raw_header(HeaderValue::new(
                LIST_UNSUBSCRIBE_POST,
                "List-Unsubscribe=One-Click".into(),
            ))
            .multipart(match &self.chart {
                None => MultiPart::alternative_plain_html(self.text.clone(), self.html.clone()),
                Some(png) => MultiPart::alternative()
                    .singlepart(SinglePart::plain(self.text.clone()))
                    .multipart(
                        MultiPart::related()
                            .singlepart(SinglePart::html(self.html.clone()))
                            .singlepart(Attachment::new_inline(CHART_CID.to_owned()).body(
                                png.clone(),
                                ContentType::parse("image/png").expect("a valid type"),
                            )),
                    ),
            })
    }
}

#[cfg(test)]
mod tests {
    use app::catalog::{
        alerts::{Condition, Metric, RuleSpec, Target},
        vocabulary::{BedClass, Scope, Uf},
    };
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;

    fn rule(email: Option<&str>) -> AlertRule {
        AlertRule {
            id: "alr_abc".into(),
            account: "gerente".into(),
            name: "UTI <AL>".into(),
            place: "Alagoas".into(),
            spec: RuleSpec {
                target: Target::State(Uf::parse("AL").unwrap()),
                metric: Metric::Occupancy {
                    bed_class: BedClass::Icu,
                    scope: Scope::All,
                },
                condition: Condition::AtLeast(0.8),
            },
            webhook_url: None,
            email: email.map(str::to_owned),
            webhook_secret: SecretString::from("whsec_test"),
            paused: false,
            created_at: Utc::now(),
        }
    }

    fn firing() -> Firing {
        Firing {
            id: "fir_1".into(),
            rule_id: "alr_abc".into(),
            data_date: NaiveDate::from_ymd_opt(2021, 3, 11).unwrap(),
            seen: app::catalog::alerts::Observation {
                value: Some(0.8041),
                change_pp: Some(3.9),
                ..Default::default()
            },
            fired_at: Utc.with_ymd_and_hms(2021, 3, 12, 13, 0, 0).unwrap(),
        }
    }

    #[test]
    fn the_letter_names_the_place_the_figure_the_date_and_escapes_the_rule() {
        let base = Url::parse("https://sentinela.example.com").unwrap();
        let letter = Letter::new(&rule(Some("g@example.com")), &firing(), &base);
        assert_eq!(
            letter.subject,
            "Alerta Sentinela: Alagoas — ocupação de leitos de UTI — 80,4%"
        );
        assert!(letter.text.contains("pelo menos 80,0%"), "{}", letter.text);
        assert!(
            letter.text.contains("Dado mais recente: 11/03/2021."),
            "{}",
            letter.text
        );
        assert_eq!(letter.view.as_str(), "https://sentinela.example.com/uf/AL");
        assert!(letter.html.contains("UTI &lt;AL&gt;"), "{}", letter.html);
        assert!(!letter.html.contains("<AL>"));
        assert!(
            letter
                .unsubscribe
                .as_str()
                .starts_with("https://sentinela.example.com/alertas/cancelar?regra=alr_abc&t=")
        );
    }

    #[test]
    fn an_unsubscribe_token_holds_for_its_rule_and_address_only() {
        let rule = rule(Some("g@example.com"));
        let token = unsubscribe_token(&rule).unwrap();
        assert!(unsubscribe_token_holds(&rule, &token));
        let mut moved = rule.clone();
        moved.email = Some("other@example.com".into());
        assert!(!unsubscribe_token_holds(&moved, &token));
        let mut other = rule.clone();
        other.id = "alr_other".into();
        assert!(!unsubscribe_token_holds(&other, &token));
        assert!(!unsubscribe_token_holds(&rule, "zz"));
        assert!(!unsubscribe_token_holds(&rule, ""));
    }

    /// A tokio test: the transport's pool lives on the runtime.
    #[tokio::test]
    async fn plain_smtp_only_to_loopback() {
        let settings = |host| SmtpSettings {
            host,
            port: 25,
            security: SmtpSecurity::None,
            user: None,
            password: None,
            from: "Sentinela <alertas@example.com>",
            public_url: "https://sentinela.example.com",
        };
        assert!(Mailer::new(&settings("127.0.0.1")).is_ok());
        assert!(Mailer::new(&settings("smtp.example.com")).is_err());
    }
}
