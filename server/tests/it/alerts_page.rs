//! The alerts page (`/alertas`) in the real server, with a session: a rule
//! created with the page's form is the API's rule (a rate typed in percent),
//! listed on the page with its line; edited (its value typed in percent),
//! paused, a test e-mail to a loopback SMTP server, delete; without the session's anti-forgery token, from another
//! site or by another account, nothing changes; a value out of range or two
//! places at once names its field and echoes nothing; a territory's cases
//! per 100k are taken as typed; the weekly digest is asked for on the page
//! and stopped by its signed link.

use crate::{
    access::{add, client, location, session},
    alert_email::serving_with_mail_to,
    support::smtp::SmtpSink,
};
use app::account::Role;
use reqwest::{StatusCode, header};
use sentinela::alerts::digest::unsubscribe_token;

#[tokio::test]
async fn a_rule_made_on_the_page_is_listed_paused_tested_and_deleted_by_its_account_only() {
    let sink = SmtpSink::start().await;
    let app = serving_with_mail_to(&sink).await;
    add(&app, "gerente", Role::Viewer).await;
    add(&app, "outro", Role::Viewer).await;
    let anonymous = app.get("/alertas").await.text().await.unwrap();
    assert!(anonymous.contains("Entre com sua conta"), "{anonymous}");
    let (cookie, csrf) = session(&app, "gerente").await;
    let (other_cookie, other_csrf) = session(&app, "outro").await;
    let post = |path: &str, cookie: &str, form: &[(&str, &str)]| {
        client()
            .post(app.url(path))
            .header(header::COOKIE, cookie)
            .form(form)
            .send()
    };
    let page = |cookie: String, path: &str| {
        let request = client().get(app.url(path)).header(header::COOKIE, cookie);
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    assert!(
        page(cookie.clone(), "/alertas")
            .await
            .contains("Nenhum alerta ainda")
    );

    let form = |csrf: &str, valor: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("nome", "UTI de Alagoas".to_owned()),
            ("local", "uf:AL".to_owned()),
            ("municipio", String::new()),
            ("cnes", String::new()),
            ("indicador", "icu-all".to_owned()),
            ("condicao", "at_least".to_owned()),
            ("valor", valor.to_owned()),
            ("tendencia", "aumento".to_owned()),
            ("email", "gerente@example.com".to_owned()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>, cookie: String| {
        let request = client()
            .post(app.url("/alertas"))
            .header(header::COOKIE, cookie)
            .form(&fields);
        async move { request.send().await.unwrap() }
    };
    let mut two_places = form(&csrf, "80");
    two_places[4].1 = "2081288".to_owned();
    for (fields, expected) in [
        (form("forged", "80"), "/alertas?erro=csrf"),
        (form(&csrf, "180"), "/alertas?erro=threshold"),
        (form(&csrf, "<script>"), "/alertas?erro=threshold"),
        (two_places, "/alertas?erro=target_kind"),
    ] {
        let answer = send(fields, cookie.clone()).await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&answer), expected);
    }
    let cross_site = client()
        .post(app.url("/alertas"))
        .header(header::COOKIE, cookie.clone())
        .header(header::ORIGIN, "https://evil.example")
        .form(&form(&csrf, "80"))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert!(app.store.alert_rules(None).await.unwrap().is_empty());

    let created = send(form(&csrf, "80"), cookie.clone()).await;
    assert_eq!(location(&created), "/alertas?feito=criada");
    let rules = app.store.alert_rules(None).await.unwrap();
    assert_eq!(rules.len(), 1);
    let rule = &rules[0];
    assert_eq!(
        (rule.account.as_str(), rule.spec.condition.threshold()),
        ("gerente", Some(0.8))
    );
    assert_eq!(rule.email.as_deref(), Some("gerente@example.com"));
    let listed = page(cookie.clone(), location(&created)).await;
    assert!(listed.contains("Alerta criado."));
    assert!(listed.contains("ocupação de leitos de UTI: pelo menos 80,0%"));
    assert!(listed.contains(&format!("data-alert=\"{}\"", rule.id)));
    let others = page(other_cookie.clone(), "/alertas").await;
    assert!(
        !others.contains(&rule.id),
        "another account does not see it"
    );

    let path = format!("/alertas/{}", rule.id);
    let foreign = post(
        &path,
        &other_cookie,
        &[("csrf", &other_csrf), ("acao", "excluir")],
    )
    .await
    .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    // Edited on the page: the value typed in percent, a new name and
    // address; a value that is no number names its field.
    let edit = |valor: &str| {
        let form = [
            ("csrf", csrf.as_str()),
            ("acao", "editar"),
            ("nome", "UTI de Alagoas, 85%"),
            ("valor", valor),
            ("email", "outro@example.com"),
        ];
        post(&path, &cookie, &form)
    };
    assert_eq!(
        location(&edit("abc").await.unwrap()),
        "/alertas?erro=threshold"
    );
    assert_eq!(
        location(&edit("85").await.unwrap()),
        "/alertas?feito=editada"
    );
    let edited = app.store.alert_rule(&rule.id).await.unwrap().unwrap();
    assert_eq!(edited.name, "UTI de Alagoas, 85%");
    assert_eq!(edited.spec.condition.threshold(), Some(0.85));
    assert_eq!(edited.email.as_deref(), Some("outro@example.com"));
    let listed = page(cookie.clone(), "/alertas").await;
    assert!(listed.contains("pelo menos 85,0%"), "{listed}");
    for (acao, expected) in [
        ("pausar", "/alertas?feito=pausada"),
        ("testar", "/alertas?feito=enviado"),
    ] {
        let answer = post(&path, &cookie, &[("csrf", &csrf), ("acao", acao)])
            .await
            .unwrap();
        assert_eq!(location(&answer), expected, "{acao}");
    }
    assert!(
        app.store
            .alert_rule(&rule.id)
            .await
            .unwrap()
            .unwrap()
            .paused
    );
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    let subject = messages[0]["subject"].as_str().unwrap();
    assert!(
        subject.starts_with("[Teste] Alerta Sentinela: Alagoas"),
        "{subject}"
    );

    let deleted = post(&path, &cookie, &[("csrf", &csrf), ("acao", "excluir")])
        .await
        .unwrap();
    assert_eq!(location(&deleted), "/alertas?feito=excluida");
    assert!(app.store.alert_rules(None).await.unwrap().is_empty());

    // A territory's cases: the number is cases per 100k, not a percent.
    let mut territory = form(&csrf, "50");
    territory[2].1 = "territorio:nordeste".to_owned();
    territory[5].1 = "cases-7d".to_owned();
    let created = send(territory, cookie.clone()).await;
    assert_eq!(location(&created), "/alertas?feito=criada");
    let rules = app.store.alert_rules(None).await.unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].place, "Nordeste");
    assert_eq!(rules[0].spec.condition.threshold(), Some(50.0));
    let listed = page(cookie.clone(), "/alertas").await;
    assert!(listed.contains("casos por 100 mil habitantes em 7 dias: pelo menos 50,0"));
    assert!(
        listed.contains(r#"href="/?territory=nordeste""#),
        "{listed}"
    );

    // A webhook instead of an e-mail: the answer shows its signing key
    // once, kept by no cache; a plain-HTTP or missing destination names
    // the field.
    let mut hooked = form(&csrf, "80");
    hooked[9].1 = String::new();
    for (webhook, expected) in [
        (
            "http://hooks.example.com/sentinela",
            "/alertas?erro=webhook_url",
        ),
        ("", "/alertas?erro=webhook_url"),
    ] {
        let mut fields = hooked.clone();
        fields.push(("webhook", webhook.to_owned()));
        assert_eq!(
            location(&send(fields, cookie.clone()).await),
            expected,
            "{webhook:?}"
        );
    }
    hooked.push(("webhook", "https://hooks.example.com/sentinela".to_owned()));
    let shown = send(hooked, cookie.clone()).await;
    assert_eq!(shown.status(), StatusCode::OK);
    let cache = shown.headers()[header::CACHE_CONTROL].to_str().unwrap();
    assert!(cache.contains("no-store"), "{cache}");
    let html = shown.text().await.unwrap();
    let key = html
        .split("<code data-webhook-key>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .expect("the key on the page");
    let with_hook = app
        .store
        .alert_rules(None)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.webhook_url.is_some())
        .expect("the rule with its webhook");
    assert_eq!(with_hook.email, None);
    assert_eq!(
        key,
        secrecy::ExposeSecret::expose_secret(&with_hook.webhook_secret)
    );
    assert!(app.store.delete_alert_rule(&with_hook.id).await.unwrap());

    // The weekly digest: asked for on the page, shown there, stopped by
    // its e-mail's link (a forged one changes nothing).
    let digest_form = |email: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("acao", "assinar".into()),
            ("email", email.into()),
        ]
    };
    for (email, expected) in [
        ("não é e-mail", "/alertas?erro=email"),
        ("gerente@example.com", "/alertas?feito=resumo"),
    ] {
        let answer = client()
            .post(app.url("/alertas/resumo"))
            .header(header::COOKIE, cookie.clone())
            .form(&digest_form(email))
            .send()
            .await
            .unwrap();
        assert_eq!(location(&answer), expected, "{email}");
    }
    let digest = app.store.digest("gerente").await.unwrap().unwrap();
    assert_eq!(digest.email, "gerente@example.com");
    let listed = page(cookie.clone(), "/alertas").await;
    assert!(listed.contains(r#"data-digest="on""#), "{listed}");
    let link = |token: &str| app.url(&format!("/alertas/cancelar?resumo=gerente&t={token}"));
    let forged = client().post(link(&"0".repeat(64))).send().await.unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert!(app.store.digest("gerente").await.unwrap().is_some());
    let stopped = client()
        .post(link(&unsubscribe_token(&digest)))
        .send()
        .await
        .unwrap();
    assert_eq!(stopped.status(), StatusCode::OK);
    assert!(
        stopped
            .text()
            .await
            .unwrap()
            .contains("resumo semanal da conta gerente")
    );
    assert!(app.store.digest("gerente").await.unwrap().is_none());
    app.stop().await.unwrap();
}
