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
    access::{self, EmbedGrant, Signer},
    config::AccessMode,
    config::Settings,
};
use serde_json::{Value, json};

use crate::support::{
    app::{TestApp, csrf_token, spawn_with},
    files::FileServer,
    shared_data, site,
};

pub(crate) const SIGNING_KEY: &str = "a test key, long enough to sign embed links";
pub(crate) const PASSWORD: &str = "correct horse battery staple";

pub(crate) fn login_mode(settings: &mut Settings) {
    settings.access = AccessMode::Login;
    settings.signing_key = Some(SecretString::from(SIGNING_KEY));
}

/// A client that shows redirects instead of following them.
pub(crate) fn client() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

pub(crate) fn location(response: &Response) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}

pub(crate) async fn add(app: &TestApp, name: &str, role: Role) {
    access::add_account(&app.store, name, role, SecretString::from(PASSWORD))
        .await
        .expect("add the account");
}

async fn sign_in(app: &TestApp, name: &str, password: &str) -> Response {
    post_sign_in(app, name, password, "/dados", None).await
}

/// Posts the sign-in form, going to `destination`, with the `cookie` of an
/// earlier session if any.
async fn post_sign_in(
    app: &TestApp,
    name: &str,
    password: &str,
    destination: &str,
    cookie: Option<&str>,
) -> Response {
    let mut request = client().post(app.url("/conta/entrar")).form(&[
        ("usuario", name),
        ("senha", password),
        ("destino", destination),
    ]);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.send().await.unwrap()
}

/// The `Cookie` header value a response's `Set-Cookie` asks for.
pub(crate) fn cookie_of(response: &Response) -> String {
    let set_cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
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

/// The answer to a GET with a session cookie.
async fn get_with(app: &TestApp, path: &str, cookie: &str) -> Response {
    client()
        .get(app.url(path))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

/// The JSON answer to a GET with a session cookie.
async fn json_with(app: &TestApp, path: &str, cookie: &str) -> Value {
    get_with(app, path, cookie).await.json().await.unwrap()
}

/// Signs in and returns the `Cookie` header value and the CSRF token.
pub(crate) async fn session(app: &TestApp, name: &str) -> (String, String) {
    let response = sign_in(app, name, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = cookie_of(&response);
    let page = get_with(app, "/", &cookie).await.text().await.unwrap();
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
        !html.contains(site::SCRIPT),
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
    assert!(
        set_cookie.starts_with("__Host-sentinela_session="),
        "{set_cookie}"
    );
    for attribute in ["Secure", "Path=/", "HttpOnly"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Domain"), "{set_cookie}");
    let cookie = cookie_of(&accepted);
    let page = get_with(&app, "/", &cookie).await.text().await.unwrap();
    assert!(page.contains("<strong>ana</strong>"));
    let unprefixed = cookie.replace("__Host-sentinela_session", "sentinela_session");
    assert_eq!(
        get_with(&app, "/", &unprefixed).await.status(),
        StatusCode::SEE_OTHER,
        "over HTTPS only the prefixed cookie is a session"
    );
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

#[tokio::test]
async fn sign_in_goes_back_only_to_a_page_of_this_site() {
    let app = spawn_with(|settings| {
        login_mode(settings);
        settings.login_attempts_per_minute = 100;
    })
    .await;
    add(&app, "ana", Role::Viewer).await;
    for (asked, kept) in [
        ("/uf/SP?period=30", "/uf/SP?period=30"),
        ("/\t/evil.example/landed.html", "/"),
        ("/\n/evil.example", "/"),
        ("/\x01/evil.example", "/"),
        ("/\x0b/evil.example", "/"),
        ("/\x7f/evil.example", "/"),
        ("/ /evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/.//evil.example", "/"),
        ("//evil.example", "/"),
        ("https://evil.example/", "/"),
    ] {
        let signed_in = post_sign_in(&app, "ana", PASSWORD, asked, None).await;
        assert_eq!(signed_in.status(), StatusCode::SEE_OTHER, "{asked:?}");
        assert_eq!(location(&signed_in), kept, "{asked:?}");
        assert!(signed_in.headers().contains_key(header::SET_COOKIE));
        let refused = post_sign_in(&app, "ana", "wrong password!", asked, None).await;
        let again = format!("/entrar?erro=1&destino={}", app::url::encode(kept));
        assert_eq!(location(&refused), again, "{asked:?}");
    }
}

#[tokio::test]
async fn signing_in_again_ends_the_browsers_earlier_session() {
    let app = spawn_with(login_mode).await;
    add(&app, "ana", Role::Viewer).await;
    let first = cookie_of(&sign_in(&app, "ana", PASSWORD).await);
    let second = post_sign_in(&app, "ana", PASSWORD, "/", Some(&first)).await;
    let second = cookie_of(&second);
    assert_ne!(first, second);
    assert_eq!(
        get_with(&app, "/", &first).await.status(),
        StatusCode::SEE_OTHER,
        "the earlier session ended"
    );
    assert_eq!(get_with(&app, "/", &second).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn account_names_are_plain_ascii_and_passwords_bounded() {
    let app = spawn_with(login_mode).await;
    add(&app, "root", Role::Admin).await;
    let (admin, csrf) = session(&app, "root").await;
    let add_account = |name: &str, password: String| {
        client()
            .post(app.url("/admin/accounts"))
            .header(header::COOKIE, &admin)
            .header("x-csrf-token", &csrf)
            .json(&json!({"name": name, "role": "admin", "password": password}))
            .send()
    };
    for (name, password) in [
        ("\u{430}dmin", PASSWORD.to_owned()),
        ("<b>x</b>", PASSWORD.to_owned()),
        ("longa", "x".repeat(1025)),
    ] {
        let refused = add_account(name, password).await.unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{name}");
        assert_eq!(
            refused.json::<Value>().await.unwrap()["error"],
            "invalid_request"
        );
    }
    let added = add_account("longa", "x".repeat(1024)).await.unwrap();
    assert_eq!(added.status(), StatusCode::CREATED);

    let huge = "x".repeat(1 << 20);
    let started = std::time::Instant::now();
    let refused = sign_in(&app, "longa", &huge).await;
    assert_eq!(location(&refused), "/entrar?erro=1&destino=%2Fdados");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "a password too long to exist is not hashed"
    );
}

#[tokio::test]
async fn in_login_mode_only_files_that_exist_are_open() {
    let app = spawn_with(login_mode).await;
    for open in ["/favicon.ico", site::SCRIPT, site::WASM, site::CSS] {
        let response = client().get(app.url(open)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{open}");
    }
    for closed in [
        "/uf/SP.x",
        "/municipio/3550308.0",
        "/pkg/missing.js",
        "/dados.json",
    ] {
        let response = client().get(app.url(closed)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{closed}");
        assert!(
            location(&response).starts_with("/entrar?destino="),
            "{closed}"
        );
    }
}

/// A signed link to `/uf/SP` allowing `period` 30 or 90.
fn state_link() -> String {
    let grant = EmbedGrant::new(
        "/uf/SP",
        BTreeMap::from([("period".to_owned(), vec!["30".to_owned(), "90".to_owned()])]),
        Duration::days(7),
    )
    .unwrap();
    Signer::new(&SecretString::from(SIGNING_KEY))
        .unwrap()
        .link(&grant)
}

#[tokio::test]
async fn the_gate_alone_reads_the_embed_flag() {
    let app = spawn_with(login_mode).await;
    let link = state_link();
    for spelling in [
        link.replace("embed=1", "embed=%31"),
        format!("{link}&embed=0"),
        link.replace("embed=1", "embed=yes"),
    ] {
        let response = client().get(app.url(&spelling)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{spelling}");
        let html = response.text().await.unwrap();
        assert!(html.contains("class=\"frame embedded\""), "{spelling}");
        assert!(!html.contains("site-header"), "{spelling}");
        assert!(!html.contains(site::SCRIPT), "not hydrated: {spelling}");
        assert!(
            !html.contains("/entrar?destino"),
            "no account bar: {spelling}"
        );
    }
    let public = spawn_with(|_| {}).await;
    for unsigned in ["/?embed=%31", "/?embed=0", "/uf/SP?Embed=1&embed="] {
        let response = client().get(public.url(unsigned)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{unsigned}");
    }
}

#[tokio::test]
async fn answers_for_an_account_are_kept_by_no_cache() {
    let login = spawn_with(login_mode).await;
    add(&login, "ana", Role::Viewer).await;
    let (cookie, _) = session(&login, "ana").await;
    let cache_control = |app: &TestApp, path: &str, cookie: Option<&str>| {
        let mut request = client().get(app.url(path));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie.to_owned());
        }
        async move {
            let response = request.send().await.unwrap();
            let value = response.headers().get(header::CACHE_CONTROL).cloned();
            value.map(|v| v.to_str().unwrap().to_owned())
        }
    };
    for path in ["/", "/uf/SP", "/dados", "/no-such-page"] {
        assert_eq!(
            cache_control(&login, path, Some(&cookie)).await.as_deref(),
            Some("private, no-store"),
            "{path}"
        );
    }
    assert_eq!(
        cache_control(&login, &state_link(), None).await.as_deref(),
        Some("private, no-store"),
        "an embedded view in login mode"
    );
    assert_eq!(
        cache_control(&login, "/api/v1/states", Some(&cookie))
            .await
            .as_deref(),
        Some("private, no-cache")
    );

    let public = spawn_with(|_| {}).await;
    add(&public, "ana", Role::Viewer).await;
    let (cookie, _) = session(&public, "ana").await;
    assert_eq!(
        cache_control(&public, "/", Some(&cookie)).await.as_deref(),
        Some("private, no-store"),
        "a page that names its account, in public mode too"
    );
    assert_eq!(
        cache_control(&public, "/", None).await.as_deref(),
        Some("no-cache"),
        "a page for anyone: anyone may keep it, checked again on every visit"
    );
}

/// The data pages' content is rendered once for everyone and kept: each
/// account still sees its own name and anti-forgery token around it, and
/// no other account's.
#[tokio::test]
async fn a_kept_page_carries_no_account_to_another() {
    let app = spawn_with(login_mode).await;
    add(&app, "ana", Role::Viewer).await;
    add(&app, "bruno", Role::Admin).await;
    let (ana, ana_token) = session(&app, "ana").await;
    let (bruno, bruno_token) = session(&app, "bruno").await;
    assert_ne!(ana_token, bruno_token);
    for path in ["/", "/dados", "/uf/SP", "/hospitais?uf=RJ"] {
        let mut contents = Vec::new();
        for (cookie, name, token, other, other_token) in [
            (&ana, "ana", &ana_token, "bruno", &bruno_token),
            (&bruno, "bruno", &bruno_token, "ana", &ana_token),
            (&ana, "ana", &ana_token, "bruno", &bruno_token),
        ] {
            let page = get_with(&app, path, cookie).await.text().await.unwrap();
            assert!(page.contains(&format!(">{name}<")), "{path}: {name}'s name");
            assert_eq!(&csrf_token(&page), token, "{path}: {name}'s token");
            assert!(
                !page.contains(&format!(">{other}<")),
                "{path}: not {other}'s name"
            );
            assert!(
                !page.contains(other_token.as_str()),
                "{path}: not {other}'s token"
            );
            let content = page
                .split_once("<main")
                .and_then(|(_, rest)| rest.split_once("</main>"))
                .map(|(main, _)| main.to_owned());
            contents.push(content.expect("a main element"));
        }
        // The content itself is the same rendering for all three.
        assert_eq!(contents[0], contents[1], "{path}");
        assert_eq!(contents[0], contents[2], "{path}");
    }
}

#[tokio::test]
async fn admin_calls_that_cannot_be_read_get_json_errors() {
    let app = spawn_with(login_mode).await;
    add(&app, "root", Role::Admin).await;
    let (admin, csrf) = session(&app, "root").await;
    let call = |method: reqwest::Method, path: &str| {
        client()
            .request(method, app.url(path))
            .header(header::COOKIE, &admin)
            .header("x-csrf-token", &csrf)
    };
    for (request, status) in [
        (
            call(reqwest::Method::POST, "/admin/tokens")
                .header(header::CONTENT_TYPE, "application/json")
                .body("{not json"),
            StatusCode::BAD_REQUEST,
        ),
        (
            call(reqwest::Method::POST, "/admin/tokens").json(&json!({"nome": "x"})),
            StatusCode::BAD_REQUEST,
        ),
        (
            call(reqwest::Method::POST, "/admin/embed-links")
                .json(&json!({"view": "/", "days": "<b>"})),
            StatusCode::BAD_REQUEST,
        ),
        (
            call(reqwest::Method::POST, "/admin/ingest").body("{}"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            call(reqwest::Method::DELETE, "/admin/tokens/%FF%FE"),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "invalid_request", "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn sign_ins_from_many_addresses_meet_a_global_ceiling() {
    let app = spawn_with(|settings| {
        login_mode(settings);
        settings.trust_forwarded_for = true;
        settings.login_attempts_per_second_total = 3;
    })
    .await;
    // Twelve addresses, once each, at once: each within its own limit, so
    // only the ceiling on all of them refuses: 3 a second, plus what it
    // refilled while the burst lasted.
    let started = std::time::Instant::now();
    let attempts = (1..=12).map(|n| {
        client()
            .post(app.url("/conta/entrar"))
            .header("x-forwarded-for", format!("10.9.8.{n}"))
            .form(&[("usuario", "nobody"), ("senha", "guess guess guess")])
            .send()
    });
    let responses = futures_util::future::join_all(attempts).await;
    let refilled = (started.elapsed().as_secs_f64() * 3.0).ceil() as usize;
    let mut passed = 0;
    for response in responses {
        let response = response.unwrap();
        match response.status() {
            StatusCode::SEE_OTHER => passed += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(response.headers().contains_key(header::RETRY_AFTER))
            }
            other => panic!("a sign-in answered {other}"),
        }
    }
    assert!(
        (3..=3 + refilled).contains(&passed) && passed < 12,
        "{passed} of 12 sign-ins passed a ceiling of 3 a second ({refilled} refilled)"
    );
}

#[tokio::test]
async fn metrics_answer_admins_tokens_and_their_own_address() {
    let app = spawn_with(|settings| {
        login_mode(settings);
        settings.metrics_addr = Some(([127, 0, 0, 1], 0).into());
    })
    .await;
    add(&app, "root", Role::Admin).await;
    add(&app, "vera", Role::Viewer).await;
    let (admin, _) = session(&app, "root").await;
    let (viewer, _) = session(&app, "vera").await;
    let token = access::issue_api_token(&app.store, "prometheus", "test")
        .await
        .unwrap()
        .token;
    let metrics = || client().get(app.url("/metrics"));
    let status =
        |request: reqwest::RequestBuilder| async move { request.send().await.unwrap().status() };
    assert_eq!(status(metrics()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        status(metrics().header(header::COOKIE, &viewer)).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(metrics().bearer_auth("snt_bogus")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        status(metrics().header(header::COOKIE, &admin)).await,
        StatusCode::OK
    );
    assert_eq!(status(metrics().bearer_auth(&token)).await, StatusCode::OK);
    let own = format!("http://{}/metrics", app.metrics_addr.unwrap());
    let scraped = client().get(&own).send().await.unwrap();
    assert_eq!(scraped.status(), StatusCode::OK);
    assert!(
        scraped
            .text()
            .await
            .unwrap()
            .contains("http_requests_total")
    );
    let elsewhere = format!("http://{}/", app.metrics_addr.unwrap());
    assert_eq!(
        client().get(elsewhere).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "the metrics address serves nothing else"
    );
}

#[tokio::test]
async fn the_page_function_refuses_bad_arguments_with_a_400_that_repeats_nothing() {
    let app = spawn_with(|_| {}).await;
    let hostile = "<script>alert(1)</script>";
    for (form, status) in [
        (
            vec![("kind", "Bogus"), ("param", ""), ("query", "")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("kind", hostile), ("param", ""), ("query", "")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("param", "SP"), ("query", "")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("kind", "State"), ("param", "<XX>"), ("query", "")],
            StatusCode::NOT_FOUND,
        ),
        (
            vec![("kind", "Quality"), ("param", ""), ("query", "lang=en")],
            StatusCode::OK,
        ),
    ] {
        let response = client()
            .post(app.url("/sf/page"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{form:?}");
        if status != StatusCode::OK {
            let body = response.text().await.unwrap();
            assert!(
                !body.contains("Bogus") && !body.contains(['<', 'X']),
                "{body}"
            );
        }
    }
}
