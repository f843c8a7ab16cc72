//! What a flood of requests may cost the server, and no more: a burst of
//! sign-ins from many addresses queues for the password slots in bounded
//! memory, which it gives back, and each gets an answer; headers sent too
//! slowly lose their connection; methods made up by a client do not grow
//! the metrics.

use std::{
    net::IpAddr,
    time::{Duration, Instant},
};

use app::account::Role;
use reqwest::{Client, Method, StatusCode, redirect::Policy};
use secrecy::{ExposeSecret, SecretString};
use sentinela::{access, store::Store};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    task::JoinSet,
};

use crate::{
    access::PASSWORD,
    http::metrics_text,
    support::{
        app::{spawn, spawn_with},
        binary::Server,
        fresh_postgres_url,
    },
};

const MIB: u64 = 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_sign_ins_queues_in_bounded_memory_and_gives_it_back() {
    let url = fresh_postgres_url().await;
    let store = Store::connect(&url, 2).await.unwrap();
    access::add_account(&store, "ana", Role::Viewer, SecretString::from(PASSWORD))
        .await
        .unwrap();
    store.close().await;
    let data_dir = tempfile::tempdir().unwrap();
    let server = Server::start(&[
        ("DATABASE_URL", url.expose_secret()),
        ("SENTINELA_DATA_DIR", data_dir.path().to_str().unwrap()),
        ("SENTINELA_SCHEDULER", "false"),
        ("SENTINELA_ACCESS", "login"),
        // The ceiling of all addresses out of the way: every attempt
        // reaches the password slots.
        ("SENTINELA_LOGIN_ATTEMPTS_PER_SECOND_TOTAL", "100000"),
    ])
    .await;
    let sign_in = format!("http://{}/conta/entrar", server.addr);
    let idle = server.memory();

    // 30 loopback addresses, 10 sign-ins each (within the per-address
    // limit), all at once; the first of each address with the password.
    let clients = (2..32u8).map(|n| {
        Client::builder()
            .local_address(IpAddr::from([127, 0, 0, n]))
            .redirect(Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap()
    });
    let mut attempts = JoinSet::new();
    for client in clients {
        for round in 0..10 {
            let (client, url) = (client.clone(), sign_in.clone());
            let password = if round == 0 {
                PASSWORD
            } else {
                "wrong password!"
            };
            attempts.spawn(async move {
                client
                    .post(url)
                    .form(&[
                        ("usuario", "ana"),
                        ("senha", password),
                        ("destino", "/dados"),
                    ])
                    .send()
                    .await
                    .map(|response| response.status())
            });
        }
    }
    let started = Instant::now();
    let mut statuses = Vec::new();
    while let Some(attempt) = attempts.join_next().await {
        statuses.push(attempt.unwrap().expect("an answer, never a hang"));
    }
    let took = started.elapsed();
    let burst = server.memory();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = server.memory();
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    let (answered, busy, limited) = (
        count(StatusCode::SEE_OTHER),
        count(StatusCode::SERVICE_UNAVAILABLE),
        count(StatusCode::TOO_MANY_REQUESTS),
    );
    eprintln!(
        "300 sign-ins in {took:?}: {answered} answered, {busy} busy (503), {limited} limited; \
         resident {} MiB idle, peak {} MiB, {} MiB 2 s after",
        idle.resident / MIB,
        burst.peak_resident / MIB,
        after.resident / MIB
    );
    assert_eq!(answered + busy + limited, 300, "{statuses:?}");
    assert!(answered >= 30, "the password slots served: {statuses:?}");
    assert!(
        burst.peak_resident < 300 * MIB,
        "peak {} MiB",
        burst.peak_resident / MIB
    );
    assert!(
        after.resident < idle.resident + 64 * MIB,
        "{} MiB held after the burst, {} MiB before",
        after.resident / MIB,
        idle.resident / MIB
    );
    assert!(server.terminate().await.success());
}

#[tokio::test]
async fn a_header_sent_too_slowly_loses_its_connection() {
    let app = spawn_with(|settings| settings.header_read_timeout_seconds = 1).await;
    let mut slow = Vec::new();
    for _ in 0..300 {
        let mut stream = TcpStream::connect(app.addr).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: sentinela\r\nX-Slow: ")
            .await
            .unwrap();
        slow.push(stream);
    }
    let started = Instant::now();
    assert_eq!(
        app.get("/healthz").await.status(),
        StatusCode::OK,
        "whole requests still pass"
    );
    let deadline = started + Duration::from_secs(10);
    for mut stream in slow {
        let mut answer = Vec::new();
        let closed =
            tokio::time::timeout_at(deadline.into(), stream.read_to_end(&mut answer)).await;
        assert!(
            closed.is_ok(),
            "a half-sent request still open after {:?}",
            started.elapsed()
        );
        assert!(
            answer.is_empty(),
            "closed without an answer: {}",
            String::from_utf8_lossy(&answer)
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn made_up_methods_do_not_grow_the_metrics() {
    let app = spawn().await;
    let before = metrics_text(&app).await.len();
    for n in 0..2_000u32 {
        // 40 letters, a new method each time.
        let name: String = format!("{n:040}")
            .bytes()
            .map(|digit| char::from(b'A' + digit - b'0'))
            .collect();
        let method = Method::from_bytes(name.as_bytes()).unwrap();
        let response = app.client.request(method, app.url("/healthz")).send().await;
        assert!(!response.unwrap().status().is_server_error());
    }
    let after = metrics_text(&app).await;
    assert!(after.contains("method=\"OTHER\""), "{after}");
    assert!(
        after.len() < before + 16 * 1024,
        "/metrics grew from {before} to {} bytes",
        after.len()
    );
}
