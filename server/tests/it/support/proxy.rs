//! A TCP proxy on loopback in front of a real server (PostgreSQL in the
//! tests) that can cut every connection and refuse new ones, then let them
//! through again: the database "goes away" and "comes back" while the
//! server under test runs.

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use tokio::{
    net::{TcpListener, TcpStream},
    task::AbortHandle,
};

#[derive(Default)]
struct Links {
    cut: AtomicBool,
    open: Mutex<Vec<AbortHandle>>,
}

/// A running proxy to `upstream`.
pub struct Proxy {
    pub addr: SocketAddr,
    links: Arc<Links>,
}

impl Proxy {
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let links = Arc::new(Links::default());
        let shared = links.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if shared.cut.load(Ordering::SeqCst) {
                    continue; // dropped: the connection closes at once
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                shared.open.lock().unwrap().push(task.abort_handle());
            }
        });
        Proxy { addr, links }
    }

    /// Closes every open connection and refuses new ones.
    pub fn cut(&self) {
        self.links.cut.store(true, Ordering::SeqCst);
        for link in self.links.open.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    /// Lets connections through again.
    pub fn restore(&self) {
        self.links.cut.store(false, Ordering::SeqCst);
    }
}
