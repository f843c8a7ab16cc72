//! Hostile text never comes back as markup. The walk a probe of the server
//! made, with data loaded: every page and error route with `<script>` and
//! its cousins in each parameter, in the parameter's name and in the path;
//! signed out in public mode, signed in and signed out in login mode, and
//! through an embed link that lets any value of every filter through; the
//! embed refusals, the page server function, the API and the sign-in form.
//! Every HTML answer must hold none of it as markup and forbid inline
//! scripts; every other answer must not be HTML; nothing may be a 5xx.

use std::collections::BTreeMap;

use app::account::Role;
use chrono::Duration;
use reqwest::{RequestBuilder, StatusCode, header};
use secrecy::SecretString;
use sentinela::access::{ANY_VALUE, EmbedGrant, Signer};

use crate::{
    access::{PASSWORD, SIGNING_KEY, add, client, login_mode, session},
    api::{bench_sources, ingest},
    support::app::{TestApp, spawn_with},
};

/// What a probe sends: a script, and attribute and URL breakouts.
const PAYLOADS: [&str; 5] = [
    "<script>alert(7331)</script>",
    "\"><img src=x onerror=alert(7331)>",
    "'><svg onload=alert(7331)>",
    "javascript:alert(7331)//",
    // Out of a comment (a page's content starts with one), with control
    // characters.
    "--><script>alert(7331)</script>\u{0}\u{1b}\r\n",
];

/// What would run, had a payload come back as markup.
const EXECUTABLE: [&str; 6] = [
    "<script>alert(7331)",
    "<img src=x onerror",
    "<svg onload",
    "href=\"javascript:",
    "src=\"javascript:",
    "action=\"javascript:",
];

/// Every parameter a page, the sign-in page or the embed gate reads.
const PARAMETERS: [&str; 22] = [
    "q",
    "uf",
    "territory",
    "city",
    "min_beds",
    "pagina",
    "ordem",
    "lang",
    "period",
    "from",
    "to",
    "metric",
    "min_pop",
    "bed_class",
    "scope",
    "per100k",
    "destino",
    "erro",
    "saiu",
    "embed",
    "t",
    "format",
];

const PAGES: [&str; 9] = [
    "/",
    "/busca",
    "/hospitais",
    "/hospital/2081288",
    "/uf/SP",
    "/municipio/3550308",
    "/dados",
    "/entrar",
    "/nao-existe",
];

/// The queries of the walk: each parameter with each payload, and each
/// payload as a parameter's name.
fn hostile_queries() -> Vec<String> {
    let encode = app::url::encode;
    PAYLOADS
        .iter()
        .flat_map(|payload| {
            PARAMETERS
                .iter()
                .map(move |name| format!("{name}={}", encode(payload)))
                .chain([format!("{}=1", encode(payload))])
        })
        .collect()
}

/// The paths of the walk: the pages, and the payloads as a state, a city
/// and a page.
fn hostile_paths() -> Vec<String> {
    let encoded = PAYLOADS.map(app::url::encode);
    encoded
        .iter()
        .flat_map(|p| {
            [
                format!("/uf/{p}"),
                format!("/municipio/{p}"),
                format!("/{p}"),
            ]
        })
        .collect()
}

/// Sends `request` and checks its answer; `what` names it in failures.
async fn check(request: RequestBuilder, what: &str) {
    let response = request.send().await.unwrap();
    let status = response.status();
    assert!(!status.is_server_error(), "{what}: {status}");
    let headers = response.headers().clone();
    if let Some(location) = headers.get(header::LOCATION) {
        let location = location.to_str().unwrap();
        assert!(
            !location.contains(['<', '>', '"', '\'', ' ']) && !location.starts_with("//"),
            "{what}: redirected to {location}"
        );
    }
    let text = |name| headers.get(name).map_or("", |v| v.to_str().unwrap_or(""));
    let body = response.text().await.unwrap();
    if text(header::CONTENT_TYPE).starts_with("text/html") {
        if let Some(markup) = EXECUTABLE.into_iter().find(|m| body.contains(m)) {
            panic!("{what}: {status} holds {markup:?}: {body}");
        }
        let policy = text(header::CONTENT_SECURITY_POLICY);
        let strict = policy.contains("script-src 'self' 'nonce-")
            || policy.starts_with("default-src 'none';");
        assert!(
            strict && !policy.contains("unsafe-inline"),
            "{what}: {policy}"
        );
    } else {
        assert!(
            body.is_empty() || !text(header::CONTENT_TYPE).is_empty(),
            "{what}"
        );
        assert_eq!(text(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{what}");
    }
}

/// GETs every page with every hostile query, and every hostile path, with
/// `cookie` if any; returns how many requests it made.
async fn walk_pages(app: &TestApp, cookie: Option<&str>, mode: &str) -> usize {
    let with = |path: &str| {
        let request = client().get(app.url(path));
        match cookie {
            Some(cookie) => request.header(header::COOKIE, cookie),
            None => request,
        }
    };
    let mut sent = 0;
    for page in PAGES {
        for query in hostile_queries() {
            let path = format!("{page}?{query}");
            check(with(&path), &format!("{mode} GET {path}")).await;
            sent += 1;
        }
    }
    for path in hostile_paths() {
        check(with(&path), &format!("{mode} GET {path}")).await;
        sent += 1;
    }
    sent
}

/// POSTs the page server function with each payload in each argument.
async fn walk_page_function(app: &TestApp, cookie: Option<&str>) -> usize {
    let mut sent = 0;
    for payload in PAYLOADS {
        for form in [
            [("kind", payload), ("param", ""), ("query", "")],
            [("kind", "State"), ("param", payload), ("query", "")],
            [
                ("kind", "Overview"),
                ("param", ""),
                ("query", &format!("lang={}", app::url::encode(payload))),
            ],
        ] {
            let mut request = client().post(app.url("/sf/page")).form(&form);
            if let Some(cookie) = cookie {
                request = request.header(header::COOKIE, cookie);
            }
            check(request, &format!("POST /sf/page {form:?}")).await;
            sent += 1;
        }
    }
    sent
}

/// The app in `configure`'s mode with cases and population loaded.
async fn app_with_data(configure: impl FnOnce(&mut sentinela::config::Settings)) -> TestApp {
    let app = spawn_with(|settings| {
        configure(settings);
        settings.sources = Some(bench_sources());
        settings.api_requests_per_second = 0;
        settings.login_attempts_per_minute = 1000;
        settings.login_attempts_per_second_total = 1000;
    })
    .await;
    ingest(&app, &["cases-states", "cases-cities", "population"]).await;
    app
}

#[tokio::test]
async fn no_parameter_of_any_page_comes_back_as_markup() {
    let public = app_with_data(|_| {}).await;
    let mut sent = walk_pages(&public, None, "public").await;
    sent += walk_page_function(&public, None).await;
    for query in hostile_queries() {
        let path = format!("/api/v1/cases/states?{query}");
        check(client().get(public.url(&path)), &format!("GET {path}")).await;
        sent += 1;
    }
    // A search for 6,000 characters (markup among them) is answered, never
    // an error.
    let huge = app::url::encode(&"São <script>".repeat(500));
    for path in [format!("/busca?q={huge}"), format!("/?ordem={huge}")] {
        check(client().get(public.url(&path)), "a huge value").await;
        sent += 1;
    }

    let login = app_with_data(login_mode).await;
    add(&login, "ana", Role::Viewer).await;
    let (cookie, _) = session(&login, "ana").await;
    sent += walk_pages(&login, Some(&cookie), "signed in").await;
    sent += walk_pages(&login, None, "signed out").await;
    sent += walk_page_function(&login, Some(&cookie)).await;
    for payload in PAYLOADS {
        for (name, password, destination) in [
            ("ana", PASSWORD, payload),
            (payload, PASSWORD, "/"),
            ("ana", "wrong password!", payload),
        ] {
            let request = client().post(login.url("/conta/entrar")).form(&[
                ("usuario", name),
                ("senha", password),
                ("destino", destination),
            ]);
            check(
                request,
                &format!("POST /conta/entrar {name:?} {destination:?}"),
            )
            .await;
            sent += 1;
        }
    }

    // An embed link that lets any value of every filter through: the
    // hostile values reach the embedded page itself.
    let filters = PARAMETERS
        .iter()
        .filter(|name| !matches!(**name, "embed" | "t" | "lang"))
        .map(|name| (name.to_string(), vec![ANY_VALUE.to_owned()]))
        .collect::<BTreeMap<_, _>>();
    let grant = EmbedGrant::new("/uf/SP", filters, Duration::days(1)).unwrap();
    let link = Signer::new(&SecretString::from(SIGNING_KEY))
        .unwrap()
        .link(&grant);
    for query in hostile_queries() {
        let path = format!("{link}&{query}");
        check(
            client().get(login.url(&path)),
            &format!("embedded GET {path}"),
        )
        .await;
        sent += 1;
    }
    assert!(sent > 1_200, "{sent} requests");
}

#[tokio::test]
async fn every_embed_refusal_names_no_value_and_runs_nothing() {
    let app = spawn_with(login_mode).await;
    let signer = Signer::new(&SecretString::from(SIGNING_KEY)).unwrap();
    let grant = EmbedGrant::new(
        "/uf/SP",
        BTreeMap::from([("period".to_owned(), vec!["30".to_owned()])]),
        Duration::days(1),
    )
    .unwrap();
    let link = signer.link(&grant);
    let expired = signer.link(&EmbedGrant {
        expires_at: chrono::Utc::now() - Duration::minutes(1),
        ..grant.clone()
    });
    let encode = app::url::encode;
    for payload in PAYLOADS {
        let hostile = encode(payload);
        for (refused, names_the_key) in [
            // A filter not granted: hostile value, hostile name, both.
            (format!("{link}&period={hostile}"), false),
            (format!("{link}&{hostile}=1"), true),
            (format!("{link}&{hostile}={hostile}"), true),
            // A bad signature, another view, an expired link.
            (format!("/uf/SP?embed=1&t={hostile}"), false),
            (format!("/uf/SP?embed={hostile}&t={hostile}"), false),
            (
                link.replace("/uf/SP", "/uf/RJ") + &format!("&x={hostile}"),
                false,
            ),
            (format!("{expired}&{hostile}={hostile}"), false),
        ] {
            let response = client().get(app.url(&refused)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{refused}");
            let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(policy.starts_with("default-src 'none';"), "{policy}");
            let page = response.text().await.unwrap();
            assert!(page.contains("link de incorporação não é válido"), "{page}");
            let reason = page
                .split_once("<p>")
                .and_then(|(_, rest)| rest.split_once("</p>"))
                .map(|(reason, _)| reason)
                .expect("the refusal's paragraph");
            assert!(!reason.contains(['<', '>']), "an unescaped tag: {page}");
            assert_eq!(reason.contains("7331"), names_the_key, "{page}");
        }
    }
}
