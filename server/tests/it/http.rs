//! The server over real HTTP on loopback: probes, metrics, compression, the
//! server-rendered first page, and shutdown of the real binary on SIGTERM.

use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::{StatusCode, header};
use sentinela::{access, store::SourceStateRow};
use serde_json::Value;

use crate::support::{
    app::{TestApp, spawn},
    binary::Server,
    drop_postgres_database, fresh_postgres_url, site,
};

/// The nonce a page's Content-Security-Policy names.
fn policy_nonce(response: &reqwest::Response) -> String {
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("a nonce in the policy {policy}"))
        .to_owned()
}

#[tokio::test]
async fn healthz_answers_while_the_process_is_up() {
    let app = spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap()["status"], "ok");
    app.stop().await.expect("clean shutdown");
}

/// A page's scripts: this site's files and inline scripts carrying the
/// response's nonce, a new one each time; nothing else runs. Its styles:
/// inline with that nonce; no style attribute applies.
#[tokio::test]
async fn pages_allow_only_their_own_and_nonced_scripts_and_styles() {
    let app = crate::support::app::spawn().await;
    // Every kind of page (data pages, the sign-in form, unknown places and
    // addresses), 12 of each at once, as browsers load them.
    let paths = ["/", "/uf/SP", "/dados", "/entrar", "/uf/XX", "/nada"];
    let requests = paths.iter().cycle().take(paths.len() * 12).map(|path| {
        let app = &app;
        async move {
            let response = app.get(path).await;
            let policy = response.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .to_owned();
            (path, policy, response.text().await.unwrap())
        }
    });
    let mut nonces = std::collections::HashSet::new();
    for (path, policy, html) in futures_util::future::join_all(requests).await {
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: a nonce in the policy {policy}"))
            .to_owned();
        assert!(
            policy.contains("script-src 'self' 'nonce-"),
            "{path}: {policy}"
        );
        assert!(
            policy.contains(&format!("style-src 'nonce-{nonce}';")),
            "{path}: {policy}"
        );
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        let scripts = html.matches("<script").count();
        let styles = html.matches("<style").count();
        assert!(scripts > 0 && styles == 1, "{path}");
        assert_eq!(
            html.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts + styles,
            "{path}: every script and style carries the policy's nonce: {html}"
        );
        assert!(
            !html.contains(" style="),
            "{path}: no style attribute: {html}"
        );
        assert!(nonces.insert(nonce), "{path}: a fresh nonce per response");
    }
}

/// The build's files named by their content's hash are kept by anyone for a
/// year without asking again: a new build gives a changed file a new name,
/// which the pages, checked again on every visit, then name. The stylesheet
/// comes inline.
#[tokio::test]
async fn files_named_by_their_hash_are_kept_for_good_and_pages_name_them() {
    let app = spawn().await;
    let cache_control = |response: &reqwest::Response| {
        response
            .headers()
            .get(header::CACHE_CONTROL)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    for path in [site::SCRIPT, site::WASM, site::CSS] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            cache_control(&response).as_deref(),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
    }
    let favicon = app.get("/favicon.ico").await;
    assert_eq!(favicon.status(), StatusCode::OK);
    assert_eq!(cache_control(&favicon), None, "not named by its hash");
    let other_build = app.get("/pkg/sentinela.b3RoZXItYnVpbGQ.wasm").await;
    assert_eq!(other_build.status(), StatusCode::NOT_FOUND);
    assert_eq!(cache_control(&other_build).as_deref(), Some("no-cache"));

    let page = app.get("/").await;
    assert_eq!(cache_control(&page).as_deref(), Some("no-cache"));
    let html = page.text().await.unwrap();
    for (file, how) in [
        (site::SCRIPT, "rel=\"modulepreload\" href="),
        (site::WASM, "rel=\"preload\" href="),
    ] {
        assert!(html.contains(&format!("{how}\"{file}\"")), "{file}: {html}");
    }
    assert!(
        html.contains(&format!("\">{}</style>", site::STYLESHEET)),
        "{html}"
    );
    assert!(!html.contains("stylesheet"), "no sheet to fetch: {html}");
}

#[tokio::test]
async fn readyz_follows_the_store() {
    let app = spawn().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        (body["store"].as_str(), body["lake"].as_str()),
        (Some("ok"), Some("ok"))
    );

    drop_postgres_database(&app.database_url).await;
    let started = Instant::now();
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < Duration::from_secs(10), "fails fast");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["lake"], "ok");
    assert_ne!(body["store"], "ok");
    assert!(
        !body.to_string().contains("sentinela_test"),
        "no internals leak: {body}"
    );
}

#[tokio::test]
async fn the_first_page_says_plainly_that_no_data_is_loaded() {
    let app = spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Ainda não há dados carregados"), "{html}");
    for source in sentinela::sources::load(None).unwrap() {
        assert!(
            html.contains(&source.title),
            "source {} is listed",
            source.name
        );
    }
    assert!(html.contains("Pendente"));
    assert!(
        html.contains(site::SCRIPT),
        "the hydration script is linked"
    );
}

/// A page for anyone is written once and kept: every answer is that
/// document with its own nonce, until the data moves (here written by
/// another connection, as another process would: seen within the store's
/// poll), and from then on the new document.
#[tokio::test]
async fn a_kept_page_differs_only_by_its_nonce_until_the_data_moves() {
    let app = spawn().await;
    let page = |path: &'static str| {
        let app = &app;
        async move {
            let response = app.get(path).await;
            let nonce = policy_nonce(&response);
            let html = response.text().await.unwrap();
            assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{path}");
            html.replace(&nonce, "NONCE")
        }
    };
    // A hostile address is kept like any other, and comes back escaped.
    let hostile = "/?lang=%3Cscript%3Ealert(1)%3C/script%3E%01&q=%22%3E%3Cimg";
    let kept = page(hostile).await;
    assert_eq!(page(hostile).await, kept);
    assert!(
        !kept.contains("<script>alert") && !kept.contains("\"><img"),
        "{kept}"
    );
    let first = page("/dados").await;
    assert_eq!(page("/dados").await, first);
    assert!(!first.contains("HTTP 418"), "{first}");
    app.store
        .save_source_state(&SourceStateRow {
            name: "cases-states".into(),
            last_attempt_at: Some(Utc::now()),
            last_error: Some("HTTP 418 I'm a teapot".into()),
            ..SourceStateRow::default()
        })
        .await
        .unwrap();
    let started = Instant::now();
    let after = loop {
        let html = page("/dados").await;
        if html.contains("HTTP 418") {
            break html;
        }
        assert_eq!(html, first, "the old page or the new one, never another");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never showed the new state"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(page("/dados").await, after);
}

#[tokio::test]
async fn a_failing_source_shows_its_reason() {
    let app = spawn().await;
    app.store
        .save_source_state(&SourceStateRow {
            name: "cases-states".into(),
            last_attempt_at: Some(Utc::now()),
            last_error: Some("HTTP 503 Service Unavailable".into()),
            ..SourceStateRow::default()
        })
        .await
        .unwrap();
    // A machine without internet: the source cannot be reached.
    app.store
        .save_source_state(&SourceStateRow {
            name: "population".into(),
            last_attempt_at: Some(Utc::now()),
            last_error: Some(
                "fetching https://brasil.io/x.csv: error sending request for url \
                 (https://brasil.io/x.csv): client error (Connect): dns error: \
                 failed to lookup address information: Name or service not known"
                    .into(),
            ),
            ..SourceStateRow::default()
        })
        .await
        .unwrap();
    let html = app.get("/?lang=en").await.text().await.unwrap();
    assert!(html.contains("No data loaded yet"), "English on request");
    assert!(html.contains("Failing"));
    assert!(
        html.contains("HTTP 503 Service Unavailable"),
        "the detail kept"
    );
    assert!(html.contains("The source answered with HTTP error 503"));
    let html = app.get("/dados").await.text().await.unwrap();
    assert!(
        html.contains("A fonte respondeu com o erro HTTP 503"),
        "{html}"
    );
    assert!(html.contains("Sem acesso à fonte: sem internet, ou a fonte fora do ar"));
    assert!(
        html.contains("sentinela ingest --from PASTA"),
        "the way without internet"
    );
    assert!(
        html.contains("dns error: failed to lookup address"),
        "the detail on demand"
    );
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = spawn().await;
    let response = app.get("/nao-existe").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Página não encontrada")
    );
}

#[tokio::test]
async fn pages_are_compressed_for_clients_that_accept_it() {
    let app = spawn().await;
    let page = |encoding: &'static str| {
        let app = &app;
        async move {
            let response = app
                .client
                .get(app.url("/uf/SP"))
                .header(header::ACCEPT_ENCODING, encoding)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let coding = response.headers().get(header::CONTENT_ENCODING).cloned();
            let nonce = policy_nonce(&response);
            let body = response.bytes().await.unwrap();
            (coding, nonce, body)
        }
    };
    let (coding, nonce, plain) = page("identity").await;
    assert_eq!(coding, None);
    let plain = String::from_utf8(plain.to_vec())
        .unwrap()
        .replace(&nonce, "N");
    // The kept document, compressed once, twice with a nonce of its own.
    for encoding in ["gzip", "br;q=1, gzip;q=0.8"] {
        let (coding, nonce, body) = page(encoding).await;
        assert_eq!(coding.unwrap(), "gzip", "{encoding}");
        assert!(body.len() * 2 < plain.len(), "{} bytes", body.len());
        let mut html = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut html)
            .expect("one valid gzip member");
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "its own nonce"
        );
        assert_eq!(html.replace(&nonce, "N"), plain, "{encoding}");
    }
    // Anything else is compressed as it goes out.
    let (coding, _, _) = page("br").await;
    assert_eq!(coding.unwrap(), "br");
}

#[tokio::test]
async fn metrics_count_requests_by_matched_route() {
    let app = spawn().await;
    app.get("/healthz").await;
    app.get("/nao-existe/123").await;
    let text = metrics_text(&app).await;
    assert!(
        text.lines().any(|l| l.starts_with("http_requests_total{")
            && l.contains(r#"route="/healthz""#)
            && l.contains(r#"status="200""#)),
        "{text}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket{"),
        "{text}"
    );
    assert!(
        !text.contains("/nao-existe/123"),
        "raw paths never become labels"
    );
}

/// `/metrics` as a scraper with an API token reads it.
pub(crate) async fn metrics_text(app: &TestApp) -> String {
    let token = access::issue_api_token(&app.store, "prometheus", "test")
        .await
        .unwrap()
        .token;
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_binary_logs_json_and_stops_cleanly_on_sigterm() {
    let url = fresh_postgres_url().await;
    let data_dir = tempfile::tempdir().unwrap();
    let server = Server::start(&[
        ("DATABASE_URL", secrecy::ExposeSecret::expose_secret(&url)),
        ("SENTINELA_DATA_DIR", data_dir.path().to_str().unwrap()),
        ("SENTINELA_SCHEDULER", "false"),
    ])
    .await;
    let password = url_password(&url);
    assert!(
        server
            .startup_log
            .iter()
            .all(|l| !l.to_string().contains(&password)),
        "the database password never reaches the log"
    );
    let ok = reqwest::get(format!("http://{}/healthz", server.addr))
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let exit = server.terminate().await;
    assert!(exit.success(), "graceful shutdown exits 0, got {exit}");
}

fn url_password(url: &secrecy::SecretString) -> String {
    let text = secrecy::ExposeSecret::expose_secret(url);
    let credentials = text.split('@').next().unwrap().rsplit(':').next().unwrap();
    assert!(credentials.len() >= 4, "the test URL carries a password");
    credentials.to_owned()
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = crate::support::app::spawn_with(|settings| {
        settings.frame_ancestors = "'self' https://intranet.example".into();
    })
    .await;
    for (path, page) in [
        ("/", true),
        ("/no-such-page", true),
        ("/api/v1/states", false),
        ("/healthz", false),
        ("/favicon.ico", false),
        ("/?embed=1", false),
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(
            policy.contains("frame-ancestors 'self' https://intranet.example;"),
            "{path}: {policy}"
        );
        match page {
            true => assert!(
                policy.contains("script-src 'self' 'nonce-"),
                "{path}: {policy}"
            ),
            false => assert!(
                policy.starts_with("default-src 'none';"),
                "{path}: {policy}"
            ),
        }
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(
            !headers.contains_key("x-frame-options"),
            "X-Frame-Options cannot name the intranet: {path}"
        );
    }
    app.stop().await.expect("clean shutdown");

    let framed_by_self = spawn().await;
    for path in ["/", "/api/v1/states", "/healthz"] {
        let response = framed_by_self.get(path).await;
        assert_eq!(
            response.headers()["x-frame-options"],
            "SAMEORIGIN",
            "{path}"
        );
    }
}

#[tokio::test]
async fn an_api_answer_is_not_modified_for_if_none_match_any() {
    let app = spawn().await;
    let any = |value: &'static str| {
        app.client
            .get(app.url("/api/v1/states"))
            .header(header::IF_NONE_MATCH, value)
            .send()
    };
    assert_eq!(any("*").await.unwrap().status(), StatusCode::NOT_MODIFIED);
    assert_eq!(any("\"another\"").await.unwrap().status(), StatusCode::OK);
}
