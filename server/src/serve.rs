//! Serving a router on a listener: HTTP/1 and HTTP/2 connections through
//! hyper, as `axum::serve` makes them, plus what it does not offer: a
//! deadline for a request's header, so a client that sends one a byte at a
//! time (slowloris) or holds an idle connection open loses it instead of
//! holding it forever. Each request carries the peer's address
//! (`ConnectInfo`) for the rate limits. On shutdown the listener closes,
//! idle connections close, and requests in flight finish.

use std::{future::Future, io, time::Duration};

use axum::{Router, body::Body, extract::ConnectInfo};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto::Builder, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How long accepting waits after an error that is not the peer's (out of
/// file descriptors, say) before trying again.
const ACCEPT_BACKOFF: Duration = Duration::from_secs(1);

/// Serves `router` on `listener` until `shutdown` completes, closing any
/// connection whose next request's header takes longer than
/// `header_timeout` to arrive; then waits for the requests in flight.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let connections = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    accept_failed(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // A response's pieces go out as they come: waiting for the
        // peer's acknowledgement of the last one (Nagle's algorithm, against
        // a delayed ACK) would hold each answer back by up to 40 ms.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%peer, %error, "cannot send without delay");
        }
        let service =
            router
                .clone()
                .map_request(move |mut request: axum::http::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    request.map(Body::new)
                });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = connections.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, error = %error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    connections.shutdown().await;
    Ok(())
}

/// A peer that gave up before being accepted is no concern; anything else
/// (out of descriptors) is logged, and accepting pauses.
async fn accept_failed(error: io::Error) {
    let peers_fault = matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    );
    if !peers_fault {
        tracing::error!(error = %error, "cannot accept a connection");
        tokio::time::sleep(ACCEPT_BACKOFF).await;
    }
}
