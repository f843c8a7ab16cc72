//! The loopback SMTP server (`scripts/smtp_sink.py` on aiosmtpd, which
//! `scripts/test` installs and names in `SENTINELA_TEST_SMTP_SINK`): every
//! message it accepts, decoded, as JSON. Stopping it and starting it again
//! on the same port takes the mail server down and brings it back.

use std::{
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

use super::required_env;

/// A running (or stopped) SMTP sink.
pub struct SmtpSink {
    pub port: u16,
    out: PathBuf,
    _dir: tempfile::TempDir,
    child: Option<Child>,
}

/// A free loopback port (nothing listens on it once this returns).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl SmtpSink {
    /// A sink on a free port, not started: the mail server is down.
    pub fn down() -> Self {
        let dir = tempfile::tempdir().unwrap();
        SmtpSink {
            port: free_port(),
            out: dir.path().join("messages.jsonl"),
            _dir: dir,
            child: None,
        }
    }

    /// A running sink on a free port.
    pub async fn start() -> Self {
        let mut sink = SmtpSink::down();
        sink.up().await;
        sink
    }

    /// Starts it on its port, once it accepts connections.
    pub async fn up(&mut self) {
        let command = required_env("SENTINELA_TEST_SMTP_SINK");
        let mut words = command.split_whitespace();
        let child = Command::new(words.next().expect("a command"))
            .args(words)
            .arg(self.port.to_string())
            .arg(&self.out)
            .stdout(Stdio::null())
            .spawn()
            .expect("start the SMTP sink");
        self.child = Some(child);
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the SMTP sink did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops it: connections are refused until [`SmtpSink::up`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// Every message accepted so far, in order.
    pub fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
