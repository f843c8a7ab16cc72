//! The alerts page (`/alertas`): a signed-in account's rules (an admin's:
//! every account's) with their latest firings and deliveries, a button per
//! rule to pause or resume it, send a test e-mail, delete or edit it (its
//! name, value or trend, e-mail), the weekly digest, and the form that
//! creates a rule watched by e-mail, webhook or both. Plain HTML forms posted to the
//! server with the session's anti-forgery token; rendered on the server
//! only (no WASM), never kept in a cache (it names the account).

use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_router::hooks::use_query_map;

#[cfg(feature = "ssr")]
use super::frame::Frame;
#[cfg(feature = "ssr")]
use crate::{
    account::{Account, Role},
    alerts_view::{AlertLine, condition_words, metric_name, place_path, seen_words},
    catalog::{
        alerts::{Channel, ConditionKind, DeliveryStatus},
        territory::Territory,
        vocabulary::{TrendClass, Uf},
    },
    format::date_br,
    i18n::Lang,
};

/// What the last action did, as the form's answer names it (`?feito=`).
#[cfg(feature = "ssr")]
fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "criada" => "Alerta criado.",
        "editada" => "Alerta alterado.",
        "pausada" => "Alerta pausado.",
        "retomada" => "Alerta retomado.",
        "excluida" => "Alerta excluído.",
        "enviado" => "E-mail de teste enviado.",
        "resumo" => "Resumo semanal ativado: o primeiro chega na próxima segunda-feira.",
        "resumo_cancelado" => "Resumo semanal cancelado.",
        _ => return None,
    })
}

/// Why the last action failed, by the field at fault (`?erro=`); any
/// other value gets the general message, never itself.
#[cfg(feature = "ssr")]
fn error_message(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "Dê um nome ao alerta (até 100 caracteres).",
        "target_kind" => {
            "Escolha um só local: um estado ou território, um município ou um hospital."
        }
        "target" => {
            "Informe um local que está nos dados: o código IBGE de um município (7 dígitos) \
             ou o CNES de um hospital."
        }
        "metric" => {
            "Esse indicador não existe para esse local: casos valem para estados, territórios e \
             municípios; a tendência de SRAG, para estados e territórios."
        }
        "condition" => "Essa condição não serve para esse indicador.",
        "threshold" => {
            "Informe o valor: uma ocupação de 0 a 100 % ou uma variação acima de 0 e até 100 p.p.; \
             para casos, de 0 a 100.000 por 100 mil ou uma variação em %."
        }
        "trend_class" => "Escolha a tendência.",
        "email" => "Informe um e-mail válido (o servidor precisa ter um servidor de e-mail).",
        "webhook_url" => {
            "Informe um e-mail ou um webhook https:// para um endereço público (não um da rede \
             interna)."
        }
        "test" => "O e-mail de teste não foi enviado: o servidor de e-mail não respondeu.",
        "csrf" => "A página expirou; recarregue e tente de novo.",
        _ => "Verifique os campos do alerta.",
    })
}

/// The indicators a rule may watch, as the form offers them.
#[cfg(feature = "ssr")]
const INDICATORS: [(&str, &str); 6] = [
    ("icu-all", "Ocupação de UTI (todos os leitos)"),
    ("icu-covid", "Ocupação de UTI COVID/SRAG"),
    ("clinical-all", "Ocupação de leitos clínicos (todos)"),
    ("clinical-covid", "Ocupação de leitos clínicos COVID/SRAG"),
    ("cases-7d", "Casos por 100 mil habitantes em 7 dias"),
    (
        "srag-trend",
        "Tendência de internações por SRAG (estado ou território)",
    ),
];

/// The conditions, as the form offers them.
#[cfg(feature = "ssr")]
const CONDITIONS: [(&str, &str); 5] = [
    ("at_least", "chega a pelo menos"),
    ("at_most", "fica em no máximo"),
    ("rises_by", "sobe em 7 dias pelo menos"),
    ("falls_by", "cai em 7 dias pelo menos"),
    ("becomes", "tendência passa a"),
];

/// The signed-in account's alerts.
#[cfg(feature = "ssr")]
#[component]
pub fn AlertsPage() -> impl IntoView {
    let query = use_query_map();
    let done = query.read().get("feito").and_then(|c| done_message(&c));
    let error = query.read().get("erro").and_then(|f| error_message(&f));
    let account = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Account>().cloned());
    let content = match account {
        None => view! {
            <p>
                "Entre com sua conta para criar alertas: um e-mail quando um estado, território, "
                "município ou hospital que você acompanha passa de uma linha."
            </p>
            <p><a href="/entrar?destino=%2Falertas" rel="external">"Entrar"</a></p>
        }
        .into_any(),
        Some(account) => view! {
            <Suspense fallback=|| view! { <p>"Carregando…"</p> }>
                {
                    let account = account.clone();
                    Suspend::new(async move { rules_view(account).await })
                }
            </Suspense>
        }
        .into_any(),
    };
    view! {
        <Frame>
            <section class="alerts">
                <h1>"Alertas"</h1>
                {done.map(|m| view! { <p class="notice" role="status">{m}</p> })}
                {error.map(|m| view! { <p class="notice notice-error" role="alert">{m}</p> })}
                {content}
            </section>
        </Frame>
    }
}

/// The account's rules and the form for a new one.
#[cfg(feature = "ssr")]
async fn rules_view(account: Account) -> AnyView {
    let admin = account.role == Role::Admin;
    let owner = (!admin).then_some(account.name.as_str());
    let (lines, digest, territories) = match crate::backend::current() {
        Ok(backend) => (
            backend.alert_lines(owner).await.ok(),
            backend.digest_address(&account.name).await.ok(),
            backend.territories().to_vec(),
        ),
        Err(_) => (None, None, Vec::new()),
    };
    let (Some(lines), Some(digest)) = (lines, digest) else {
        return view! {
            <p class="notice notice-error" role="alert">
                "Os alertas estão indisponíveis agora; tente de novo em instantes."
            </p>
        }
        .into_any();
    };
    let csrf = account.csrf.clone();
    let list = match lines.is_empty() {
        true => view! { <p>"Nenhum alerta ainda. Crie o primeiro abaixo."</p> }.into_any(),
        false => view! {
            <div class="table-scroll" tabindex="0">
                <table class="data-table alert-rules">
                    <thead>
                        <tr>
                            <th scope="col">"Alerta"</th>
                            <th scope="col">"Quando"</th>
                            <th scope="col">"Envio"</th>
                            <th scope="col">"Últimos disparos"</th>
                            <th scope="col">"Ações"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {lines
                            .into_iter()
                            .map(|line| rule_row(line, &csrf, admin))
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    };
    view! {
        <h2>"Seus alertas"</h2>
        {list}
        {digest_form(account.csrf.clone(), digest)}
        {new_rule_form(account.csrf, territories)}
    }
    .into_any()
}

/// One rule: what it watches, its line, where it goes, its firings, and
/// its actions.
#[cfg(feature = "ssr")]
fn rule_row(line: AlertLine, csrf: &str, admin: bool) -> impl IntoView {
    let spec = &line.spec;
    let href = place_path(&spec.target);
    let when = format!(
        "{}: {}",
        metric_name(spec.metric),
        condition_words(spec.metric, spec.condition)
    );
    let channels: Vec<String> = [
        line.email.as_ref().map(|e| format!("e-mail {e}")),
        line.webhook_url.as_ref().map(|_| "webhook".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let status = |s: DeliveryStatus| match s {
        DeliveryStatus::Pending => "pendente",
        DeliveryStatus::Delivered => "entregue",
        DeliveryStatus::Dead => "não entregue",
    };
    let channel = |c: Channel| match c {
        Channel::Webhook => "webhook",
        Channel::Email => "e-mail",
    };
    let (metric, condition) = (spec.metric, spec.condition);
    let firings: Vec<String> = line
        .firings
        .iter()
        .map(|f| {
            let deliveries: Vec<String> = f
                .deliveries
                .iter()
                .map(|(c, s)| format!("{} {}", channel(*c), status(*s)))
                .collect();
            format!(
                "{}: {} ({})",
                date_br(f.data_date),
                seen_words(&f.seen, metric, condition),
                deliveries.join(", ")
            )
        })
        .collect();
    let action = format!("/alertas/{}", line.id);
    let (toggle, toggle_label) = match line.paused {
        true => ("retomar", "Retomar"),
        false => ("pausar", "Pausar"),
    };
    let can_test = line.email.is_some();
    let form = move |acao: &'static str, label: &'static str, class: &'static str| {
        view! {
            <form method="post" action=action.clone() class="inline-form">
                <input type="hidden" name="csrf" value=csrf.to_owned() />
                <input type="hidden" name="acao" value=acao />
                <button type="submit" class=class>{label}</button>
            </form>
        }
    };
    let edit = edit_form(&line, csrf);
    view! {
        <tr data-alert=line.id.clone() data-paused=line.paused.to_string()>
            <th scope="row">
                <strong>{line.name.clone()}</strong>
                {admin.then(|| view! { <span class="muted">" · " {line.account.clone()}</span> })}
                <br />
                <a href=href>{line.place.clone()}</a>
                {line.paused.then(|| view! { " " <span class="badge badge-pending">"pausado"</span> })}
            </th>
            <td>{when}</td>
            <td>{channels.join(", ")}</td>
            <td>
                {match firings.is_empty() {
                    true => view! { <span class="muted">"nenhum"</span> }.into_any(),
                    false => view! {
                        <ul class="firings">
                            {firings.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                }}
            </td>
            <td class="actions">
                {form(toggle, toggle_label, "")}
                {can_test.then(|| form("testar", "Enviar teste", ""))}
                {form("excluir", "Excluir", "danger")}
                {edit}
            </td>
        </tr>
    }
}

/// The form that changes a rule's name, value (a rate's in percent) or
/// trend, and e-mail, folded under "Editar".
#[cfg(feature = "ssr")]
fn edit_form(line: &AlertLine, csrf: &str) -> AnyView {
    let s = Lang::Pt.strings();
    let (metric, condition) = (line.spec.metric, line.spec.condition);
    let rate = metric.is_rate();
    let (scale, unit) = match condition.kind() {
        ConditionKind::AtLeast | ConditionKind::AtMost if rate => (100.0, "Valor (%)"),
        ConditionKind::AtLeast | ConditionKind::AtMost => (1.0, "Valor (casos por 100 mil)"),
        _ if rate => (1.0, "Variação em 7 dias (p.p.)"),
        _ => (1.0, "Variação em 7 dias (%)"),
    };
    let value = condition
        .threshold()
        .map(|x| ((x * scale * 100.0).round() / 100.0).to_string());
    let figure = match (value, condition.class()) {
        (Some(value), _) => view! {
            <label>
                {unit}
                <input name="valor" type="number" step="any" min="0" required value=value />
            </label>
        }
        .into_any(),
        (None, chosen) => view! {
            <label>
                "Tendência"
                <select name="tendencia">
                    {TrendClass::ALL
                        .iter()
                        .map(|c| {
                            let selected = chosen == Some(*c);
                            view! { <option value=c.code() selected=selected>{s.trend(*c)}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        }
        .into_any(),
    };
    view! {
        <details class="rule-edit">
            <summary>"Editar"</summary>
            <form method="post" action=format!("/alertas/{}", line.id) class="alert-form">
                <input type="hidden" name="csrf" value=csrf.to_owned() />
                <input type="hidden" name="acao" value="editar" />
                <label>
                    "Nome"
                    <input name="nome" required maxlength="100" value=line.name.clone() />
                </label>
                {figure}
                <label>
                    "E-mail (vazio: nenhum)"
                    <input name="email" type="email" autocomplete="email" value=line.email.clone() />
                </label>
                <button type="submit">"Salvar"</button>
            </form>
        </details>
    }
    .into_any()
}

/// The weekly digest: where it goes and the button that stops it, or the
/// form that asks for it.
#[cfg(feature = "ssr")]
fn digest_form(csrf: String, address: Option<String>) -> impl IntoView {
    let when = "Toda segunda-feira às 8h (horário de Brasília): cada alerta ativo com o dado \
                mais recente, se a linha está cruzada e quantas vezes disparou na semana.";
    let form = match address {
        Some(address) => view! {
            <p data-digest="on">"Enviado para " <strong>{address}</strong> "."</p>
            <form method="post" action="/alertas/resumo" class="inline-form">
                <input type="hidden" name="csrf" value=csrf />
                <input type="hidden" name="acao" value="cancelar" />
                <button type="submit" class="danger">"Cancelar resumo"</button>
            </form>
        }
        .into_any(),
        None => view! {
            <form method="post" action="/alertas/resumo" class="alert-form digest-form">
                <input type="hidden" name="csrf" value=csrf />
                <input type="hidden" name="acao" value="assinar" />
                {email_field(true)}
                <button type="submit">"Receber resumo semanal"</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <h2>"Resumo semanal"</h2>
        <p class="muted">{when}</p>
        {form}
    }
}

/// The address a form's e-mails go to.
#[cfg(feature = "ssr")]
fn email_field(required: bool) -> impl IntoView {
    view! {
        <label>
            "Enviar para o e-mail"
            <input name="email" type="email" required=required autocomplete="email" />
        </label>
    }
}

/// A select's options: value and label.
#[cfg(feature = "ssr")]
fn options(choices: &[(&'static str, &'static str)]) -> impl IntoView {
    choices
        .iter()
        .map(|(code, label)| view! { <option value=*code>{*label}</option> })
        .collect_view()
}

/// The form that creates a rule watched by e-mail.
#[cfg(feature = "ssr")]
fn new_rule_form(csrf: String, territories: Vec<Territory>) -> impl IntoView {
    let s = Lang::Pt.strings();
    view! {
        <h2>"Novo alerta"</h2>
        <form method="post" action="/alertas" class="alert-form">
            <input type="hidden" name="csrf" value=csrf />
            <label>
                "Nome"
                <input name="nome" required maxlength="100" placeholder="UTI de Alagoas acima de 80%" />
            </label>
            <fieldset>
                <legend>"Local"</legend>
                <label>
                    "Estado ou território"
                    <select name="local">
                        <option value="">"— (um município ou hospital)"</option>
                        <optgroup label="Estados">
                            {Uf::all()
                                .map(|uf| {
                                    view! { <option value=format!("uf:{}", uf.code())>{uf.name()}</option> }
                                })
                                .collect_view()}
                        </optgroup>
                        <optgroup label="Territórios">
                            {territories
                                .into_iter()
                                .map(|t| {
                                    view! { <option value=format!("territorio:{}", t.slug)>{t.name}</option> }
                                })
                                .collect_view()}
                        </optgroup>
                    </select>
                </label>
                <label>
                    "ou município (código IBGE)"
                    <input name="municipio" inputmode="numeric" maxlength="7" placeholder="2704302" />
                </label>
                <label>
                    "ou hospital (CNES)"
                    <input name="cnes" inputmode="numeric" maxlength="20" placeholder="2081288" />
                </label>
            </fieldset>
            <label>
                "Indicador"
                <select name="indicador">{options(&INDICATORS)}</select>
            </label>
            <label>
                "Condição"
                <select name="condicao">{options(&CONDITIONS)}</select>
            </label>
            <label>
                "Valor: % de ocupação ou casos por 100 mil; ao subir ou cair, \
                 p.p. de ocupação ou % de casos"
                <input name="valor" type="number" step="0.1" min="0" max="100" placeholder="80" />
            </label>
            <label>
                "Tendência (para a tendência de SRAG)"
                <select name="tendencia">
                    {TrendClass::ALL
                        .iter()
                        .map(|c| view! { <option value=c.code()>{s.trend(*c)}</option> })
                        .collect_view()}
                </select>
            </label>
            {email_field(false)}
            <label>
                "e/ou para o webhook (https://)"
                <input name="webhook" type="url" inputmode="url" placeholder="https://exemplo.com.br/alertas" />
            </label>
            <button type="submit">"Criar alerta"</button>
        </form>
        <p class="muted">
            "Um alerta dispara quando a condição passa a valer no dado mais recente, "
            "e só de novo depois de deixar de valer. Um webhook recebe um POST JSON assinado; "
            "a chave da assinatura aparece uma vez, ao criar o alerta."
        </p>
    }
}

/// Never rendered in the browser: links to the page load it whole.
#[cfg(not(feature = "ssr"))]
#[component]
pub fn AlertsPage() -> impl IntoView {}
