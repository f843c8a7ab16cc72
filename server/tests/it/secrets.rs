//! No secret reaches a log line or an answer: the real binary runs with
//! every kind of secret set (database URL, S3 credentials, signing key,
//! source credentials, account passwords, API and session tokens), verbose
//! JSON logs, a scheduled ingest that succeeds and one that is refused, good
//! and bad sign-ins, admin calls, and the database going away mid-way.

use std::{io::Write, process::Command};

use base64::{Engine, engine::general_purpose::STANDARD};
use reqwest::{Client, StatusCode, header, redirect::Policy};
use secrecy::ExposeSecret;
use serde_json::json;

use crate::support::{
    app::csrf_token,
    binary::Server,
    drop_postgres_database,
    elastic::{ElasticServer, PASSWORD as SOURCE_PASSWORD, USER as SOURCE_USER},
    fresh_bucket, fresh_postgres_url, unique_name,
};

#[tokio::test]
async fn no_secret_reaches_the_logs_or_the_answers() {
    let database_url = fresh_postgres_url().await;
    let database_url = database_url.expose_secret().to_owned();
    let database_password = database_url
        .split('@')
        .next()
        .and_then(|credentials| credentials.rsplit(':').next())
        .unwrap()
        .to_owned();
    let signing_key = unique_name("signing-key-of-the-secrets-test");
    let s3_secret = unique_name("s3-secret-access-key");
    let wrong_source_password = unique_name("wrong-source-password");
    let admin_password = unique_name("admin-password");
    let guessed_password = unique_name("guessed-password");
    let bucket = fresh_bucket().await;
    let elastic = ElasticServer::start().await;
    let data_dir = tempfile::tempdir().unwrap();
    let sources = data_dir.path().join("sources.toml");
    let source = |name: &str, password_env: &str| {
        format!(
            "[[source]]\nname = \"{name}\"\ntitle = \"{name}\"\nkind = \"elasticsearch\"\n\
             url = \"{}\"\nformat = \"occupancy-api\"\npage_size = 1000\n\
             user_env = \"LEITOS_USER\"\npassword_env = \"{password_env}\"\n",
            elastic.search_url()
        )
    };
    std::fs::File::create(&sources)
        .unwrap()
        .write_all(
            (source("occupancy-api", "LEITOS_PASSWORD")
                + &source("occupancy-refused", "WRONG_PASSWORD"))
                .as_bytes(),
        )
        .unwrap();
    let env = [
        ("DATABASE_URL", database_url.as_str()),
        ("SENTINELA_DATA_DIR", data_dir.path().to_str().unwrap()),
        ("SENTINELA_SOURCES", sources.to_str().unwrap()),
        ("SENTINELA_S3_BUCKET", bucket.as_str()),
        (
            "SENTINELA_S3_ENDPOINT",
            &std::env::var("SENTINELA_TEST_S3_ENDPOINT").unwrap(),
        ),
        ("SENTINELA_S3_REGION", "us-east-1"),
        ("SENTINELA_S3_FORCE_PATH_STYLE", "true"),
        ("AWS_SECRET_ACCESS_KEY", s3_secret.as_str()),
        ("SENTINELA_SIGNING_KEY", signing_key.as_str()),
        ("LEITOS_USER", SOURCE_USER),
        ("LEITOS_PASSWORD", SOURCE_PASSWORD),
        ("WRONG_PASSWORD", wrong_source_password.as_str()),
        ("SENTINELA_ACCESS", "login"),
        ("SENTINELA_SCHEDULER_TICK_SECONDS", "1"),
        ("RUST_LOG", "debug"),
    ];

    // The first admin, from the CLI, its password from the environment.
    let added = Command::new(env!("CARGO_BIN_EXE_sentinela"))
        .args(["account", "add", "chefe", "--role", "admin"])
        .envs(env)
        .env("SENTINELA_LOG_FORMAT", "json")
        .env("SENTINELA_PASSWORD", &admin_password)
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let mut output = String::from_utf8_lossy(&added.stdout).into_owned();
    output += &String::from_utf8_lossy(&added.stderr);

    let server = Server::start(&env).await;
    let url = |path: &str| format!("http://{}{path}", server.addr);
    let http = Client::builder().redirect(Policy::none()).build().unwrap();
    let mut answers = Vec::new();

    // Wait for the scheduled ingest: one source refreshed, one refused.
    let mut ran = false;
    for _ in 0..120 {
        if elastic
            .counters
            .unauthorized
            .load(std::sync::atomic::Ordering::SeqCst)
            > 0
            && elastic
                .counters
                .cleared
                .load(std::sync::atomic::Ordering::SeqCst)
                > 0
        {
            ran = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(ran, "the scheduler fetched both sources");

    let sign_in = |password: &str| {
        http.post(url("/conta/entrar"))
            .form(&[("usuario", "chefe"), ("senha", password)])
            .send()
    };
    let refused = sign_in(&guessed_password).await.unwrap();
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    answers.push(format!("{:?}", refused.headers()));
    let accepted = sign_in(&admin_password).await.unwrap();
    let cookie = crate::access::cookie_of(&accepted);
    let session_token = cookie.split_once('=').unwrap().1.to_owned();
    let page = http
        .get(url("/dados"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    let csrf = csrf_token(&page);
    answers.push(page);
    let issued = http
        .post(url("/admin/tokens"))
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "script"}))
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), StatusCode::CREATED);
    let api_token = issued.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        "/api/v1/freshness",
        "/api/v1/runs",
        "/readyz",
        "/?embed=1&t=forged.sig",
    ] {
        let response = http
            .get(url(path))
            .bearer_auth(&api_token)
            .send()
            .await
            .unwrap();
        answers.push(format!("{:?}", response.headers()));
        answers.push(response.text().await.unwrap());
    }

    // The database goes away: answers are 503s that name nothing inside.
    drop_postgres_database(&secrecy::SecretString::from(database_url.clone())).await;
    for path in ["/api/v1/freshness", "/readyz", "/"] {
        let response = http
            .get(url(path))
            .header(header::COOKIE, &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        answers.push(response.text().await.unwrap());
    }
    let stopped = server.stop().await;
    output += &stopped.log;
    assert!(
        output.contains("cannot read the session"),
        "the outage is logged"
    );
    assert!(
        output.contains("occupancy-refused"),
        "the refused source is logged"
    );

    let basic = STANDARD.encode(format!("{SOURCE_USER}:{SOURCE_PASSWORD}"));
    let secrets = [
        ("database password", database_password.as_str()),
        ("signing key", signing_key.as_str()),
        ("S3 secret key", s3_secret.as_str()),
        ("source password", SOURCE_PASSWORD),
        ("source basic credentials", basic.as_str()),
        ("wrong source password", wrong_source_password.as_str()),
        ("admin password", admin_password.as_str()),
        ("guessed password", guessed_password.as_str()),
        ("API token", api_token.as_str()),
        ("session token", session_token.as_str()),
    ];
    for (what, secret) in secrets {
        assert!(!output.contains(secret), "the {what} reached the log");
        for answer in &answers {
            assert!(
                !answer.contains(secret),
                "the {what} reached an answer: {answer}"
            );
        }
    }
}
