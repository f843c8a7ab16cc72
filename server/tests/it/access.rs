//! Access control over real HTTP on loopback: `login` mode keeps pages,
//! server functions and the API behind a session, a live API token or a
//! signed embed link; sign-in, sign-out, anti-forgery checks, admin-only
//! actions and rate limits behave as SECURITY.md says.

use std::collections::BTreeMap;

use app::account::Role;
use chrono::{Duration, Utc};
use reqwest::{Client, Response, StatusCode, header, redirect::Policy};
use secrecy::SecretString;
use sentinela::{
    access::{self, AccessMode, EmbedGrant, Signer},
    config::Settings,
};
use serde_json::{Value, json};

use crate::support::{
    app::{TestApp, csrf_token, spawn_with},
    files::FileServer,
    shared_data,
};

const SIGNING_KEY: &str = "a test key, long enough to sign embed links";
const PASSWORD: &str = "correct horse battery staple";

fn login_mode(settings: &mut Settings) {
    settings.access = AccessMode::Login;
    settings.signing_key = Some(SecretString::from(SIGNING_KEY));
}

/// A client that shows redirects instead of following them.
fn client() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

fn location(response: &Response) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}

async fn add(app: &TestApp, name: &str, role: Role) {
    access::add_account(&app.store, name, role, SecretString::from(PASSWORD))
        .await
        .expect("add the account");
}

async fn sign_in(app: &TestApp, name: &str, password: &str) -> Response {
    client()
        .post(app.url("/conta/entrar"))
        .form(&[
            ("usuario", name),
            ("senha", password),
            ("destino", "/dados"),
        ])
        .send()
        .await
        .unwrap()
}

/// The text of a page, signed out.
async fn text_of(app: &TestApp, path: &str) -> String {
    client()
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The JSON answer to a GET with a session cookie.
async fn json_with(app: &TestApp, path: &str, cookie: &str) -> Value {
    let response = client()
        .get(app.url(path))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

/// Signs in and returns the `Cookie` header value and the CSRF token.
async fn session(app: &TestApp, name: &str) -> (String, String) {
    let response = sign_in(app, name, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set_cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let page = client()
        .get(app.url("/"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (cookie, csrf_token(&page))
}

#[tokio::test]
async fn login_mode_keeps_pages_functions_and_the_api_behind_a_session() {
    let app = spawn_with(login_mode).await;
    let http = client();

    let page = http.get(app.url("/uf/SP?period=30")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&page), "/entrar?destino=%2Fuf%2FSP%3Fperiod%3D30");
    let api = http.get(app.url("/api/v1/states")).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    assert!(api.headers().contains_key(header::WWW_AUTHENTICATE));
    let function = http.post(app.url("/sf/overview")).send().await.unwrap();
    assert_eq!(function.status(), StatusCode::UNAUTHORIZED);
    for open in ["/healthz", "/entrar", "/api/v1/openapi.json"] {
        let response = http.get(app.url(open)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{open}");
    }
    let form = text_of(&app, "/entrar").await;
    assert!(form.contains("Entrar no Sentinela") && form.contains("action=\"/conta/entrar\""));

    add(&app, "ana", Role::Viewer).await;
    let refused = sign_in(&app, "ana", "not the password at all").await;
    assert_eq!(location(&refused), "/entrar?erro=1&destino=%2Fdados");
    assert!(!refused.headers().contains_key(header::SET_COOKIE));
    let unknown = sign_in(&app, "nobody", PASSWORD).await;
    assert_eq!(location(&unknown), "/entrar?erro=1&destino=%2Fdados");

    let accepted = sign_in(&app, "ana", PASSWORD).await;
    assert_eq!(location(&accepted), "/dados");
    let set_cookie = accepted.headers()[header::SET_COOKIE].to_str().unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");

    let (cookie, csrf) = session(&app, "ana").await;
    let with = |path: &str| http.get(app.url(path)).header(header::COOKIE, &cookie);
    let page = with("/").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("<strong>ana</strong>"));
    assert_eq!(
        with("/api/v1/states").send().await.unwrap().status(),
        StatusCode::OK
    );

    let forged = http
        .post(app.url("/conta/sair"))
        .header(header::COOKIE, &cookie)
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let signed_out = http
        .post(app.url("/conta/sair"))
        .header(header::COOKIE, &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&signed_out), "/entrar?saiu=1");
    assert_eq!(
        with("/").send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
    let notice = text_of(&app, "/entrar?saiu=1").await;
    assert!(notice.contains("Você saiu da sua conta."));
}

#[tokio::test]
async fn api_tokens_read_until_revoked() {
    let app = spawn_with(login_mode).await;
    let issued = access::issue_api_token(&app.store, "planilha", "test")
        .await
        .unwrap();
    let read = |token: String| {
        client()
            .get(app.url("/api/v1/states"))
            .bearer_auth(token)
            .send()
    };
    let answer = read(issued.token.clone()).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()[header::CACHE_CONTROL], "private, no-cache");
    let bogus = read("snt_bogus".into()).await.unwrap();
    assert_eq!(bogus.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        bogus.json::<Value>().await.unwrap()["error"],
        "unauthorized"
    );
    assert!(app.store.revoke_api_token(&issued.id).await.unwrap());
    assert_eq!(
        read(issued.token.clone()).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let stored = app.store.api_tokens().await.unwrap();
    assert!(
        stored
            .iter()
            .all(|t| t.token_sha256 != issued.token && !issued.token.contains(&t.token_sha256))
    );
    // A token only reads: it opens no page and no admin action.
    let page = client()
        .get(app.url("/"))
        .bearer_auth(&issued.token)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn admin_actions_need_an_admin_session_and_its_csrf_token() {
    let app = spawn_with(login_mode).await;
    add(&app, "vera", Role::Viewer).await;
    add(&app, "root", Role::Admin).await;
    let (viewer, viewer_csrf) = session(&app, "vera").await;
    let (admin, admin_csrf) = session(&app, "root").await;
    let issue = |cookie: Option<&str>, csrf: Option<&str>| {
        let mut request = client()
            .post(app.url("/admin/tokens"))
            .json(&json!({"name": "relatório semanal"}));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        request.send()
    };
    assert_eq!(
        issue(None, None).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        issue(Some(&viewer), Some(&viewer_csrf))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        issue(Some(&admin), None).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        issue(Some(&admin), Some(&viewer_csrf))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let cross_site = client()
        .post(app.url("/admin/tokens"))
        .header(header::COOKIE, &admin)
        .header("x-csrf-token", &admin_csrf)
        .header(header::ORIGIN, "https://evil.example")
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        cross_site.json::<Value>().await.unwrap()["error"],
        "cross_site"
    );

    let issued = issue(Some(&admin), Some(&admin_csrf)).await.unwrap();
    assert_eq!(issued.status(), StatusCode::CREATED);
    let token = issued.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let read = client()
        .get(app.url("/api/v1/states"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);

    let accounts = json_with(&app, "/admin/accounts", &admin).await;
    assert_eq!(accounts.as_array().unwrap().len(), 2);
    assert!(
        !accounts.to_string().contains("argon2"),
        "no hashes: {accounts}"
    );
    let weak = client()
        .post(app.url("/admin/accounts"))
        .header(header::COOKIE, &admin)
        .header("x-csrf-token", &admin_csrf)
        .json(&json!({"name": "novo", "role": "viewer", "password": "short"}))
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::BAD_REQUEST);
    let removed = client()
        .delete(app.url("/admin/accounts/vera"))
        .header(header::COOKIE, &admin)
        .header("x-csrf-token", &admin_csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let gone = client()
        .get(app.url("/"))
        .header(header::COOKIE, &viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(
        gone.status(),
        StatusCode::SEE_OTHER,
        "a removed account's session ends"
    );
}

#[tokio::test]
async fn embed_links_open_one_view_within_their_filters() {
    let app = spawn_with(login_mode).await;
    let signer = Signer::new(&SecretString::from(SIGNING_KEY)).unwrap();
    let grant = EmbedGrant::new(
        "/uf/SP",
        BTreeMap::from([("period".to_owned(), vec!["30".to_owned(), "90".to_owned()])]),
        Duration::days(7),
    )
    .unwrap();
    let link = signer.link(&grant);
    let get = |path: String| client().get(app.url(&path)).send();

    let framed = get(link.clone()).await.unwrap();
    assert_eq!(framed.status(), StatusCode::OK);
    let html = framed.text().await.unwrap();
    assert!(html.contains("class=\"frame embedded\""), "{html}");
    assert!(
        !html.contains("/pkg/sentinela.js"),
        "an embedded view is not hydrated"
    );
    assert_eq!(
        get(format!("{link}&period=90")).await.unwrap().status(),
        StatusCode::OK
    );

    for refused in [
        format!("{link}&period=365"),
        link.replace("/uf/SP", "/uf/RJ"),
        format!("{}x", link),
        "/uf/SP?embed=1".to_owned(),
        signer.link(&EmbedGrant {
            expires_at: Utc::now() - Duration::minutes(1),
            ..grant.clone()
        }),
        Signer::new(&SecretString::from("another key that is long enough!!"))
            .unwrap()
            .link(&grant),
    ] {
        let response = get(refused.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{refused}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("link de incorporação")
        );
    }
}

#[tokio::test]
async fn public_mode_reads_freely_but_refuses_bad_tokens_and_unsigned_embeds() {
    let app = spawn_with(|_| {}).await;
    assert_eq!(
        client().get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let api = client().get(app.url("/api/v1/states"));
    assert_eq!(api.send().await.unwrap().status(), StatusCode::OK);
    let bogus = client()
        .get(app.url("/api/v1/states"))
        .bearer_auth("snt_bogus")
        .send()
        .await
        .unwrap();
    assert_eq!(bogus.status(), StatusCode::UNAUTHORIZED);
    let embed = client().get(app.url("/?embed=1")).send().await.unwrap();
    assert_eq!(
        embed.status(),
        StatusCode::FORBIDDEN,
        "no signing key: embeds are refused"
    );
    let admin = client()
        .get(app.url("/admin/accounts"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        admin.status(),
        StatusCode::UNAUTHORIZED,
        "admin needs an admin even in public mode"
    );
}

#[tokio::test]
async fn sign_in_attempts_and_api_requests_are_rate_limited() {
    let app = spawn_with(|settings| {
        login_mode(settings);
        settings.login_attempts_per_minute = 3;
        settings.api_requests_per_second = 1;
        settings.api_burst = 2;
    })
    .await;
    for _ in 0..3 {
        let refused = sign_in(&app, "nobody", "guess guess guess").await;
        assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    }
    let limited = sign_in(&app, "nobody", "guess guess guess").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&retry), "{retry}");

    let statuses = api_statuses(&app, 3).await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count(),
        1,
        "{statuses:?}"
    );
}

/// The statuses of `n` API requests sent back to back.
async fn api_statuses(app: &TestApp, n: usize) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    for _ in 0..n {
        statuses.push(
            client()
                .get(app.url("/api/v1/states"))
                .send()
                .await
                .unwrap()
                .status(),
        );
    }
    statuses
}

#[tokio::test]
async fn over_https_cookies_are_secure_and_hsts_is_sent() {
    let app = spawn_with(|settings| {
        login_mode(settings);
        settings.https = true;
    })
    .await;
    add(&app, "ana", Role::Viewer).await;
    let accepted = sign_in(&app, "ana", PASSWORD).await;
    let set_cookie = accepted.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(set_cookie.contains("Secure"), "{set_cookie}");
    let health = client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(
        health.headers()[header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn an_admin_triggers_an_ingest_that_publishes_gold() {
    let files = FileServer::start(shared_data()).await;
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        config.path(),
        format!(
            "[[source]]\nname = \"cases-states\"\ntitle = \"Casos por UF\"\nkind = \"http\"\n\
             url = \"{}\"\nformat = \"wcota-states\"\n",
            files.url("cases/cases-brazil-states_2022-04-24.csv")
        ),
    )
    .unwrap();
    let app = spawn_with(|settings| {
        login_mode(settings);
        settings.sources = Some(config.path().to_owned());
    })
    .await;
    add(&app, "root", Role::Admin).await;
    let (admin, csrf) = session(&app, "root").await;
    let trigger = |source: &str| {
        client()
            .post(app.url("/admin/ingest"))
            .header(header::COOKIE, &admin)
            .header("x-csrf-token", &csrf)
            .json(&json!({ "source": source }))
            .send()
    };
    assert_eq!(
        trigger("cases-states").await.unwrap().status(),
        StatusCode::ACCEPTED
    );
    let mut runs = Vec::new();
    for _ in 0..240 {
        runs = app.store.runs(5).await.unwrap();
        if !runs.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(runs.len(), 1, "the requested run is recorded");
    assert_eq!(runs[0].status, "ok", "{:?}", runs[0]);
    let path = "/api/v1/cases/states?uf=BR&from=2022-04-24&to=2022-04-24";
    let brazil = json_with(&app, path, &admin).await;
    assert_eq!(brazil["rows"][0]["cases"], 30_349_463, "{brazil}");
}
