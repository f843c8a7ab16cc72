//! The real `sentinela` binary as a child process: started with JSON logs
//! (on its standard error) on a free port, serving a built site
//! ([`super::site`]), stopped with SIGTERM; its whole log is kept, and its
//! memory read from the kernel's account of it.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Child, Command, ExitStatus, Stdio},
    thread::JoinHandle,
};

use serde_json::Value;
use tempfile::TempDir;

use super::site;

/// A running `sentinela` process.
pub struct Server {
    child: Child,
    /// Its `host:port`.
    pub addr: String,
    /// The JSON log events up to "serving".
    pub startup_log: Vec<Value>,
    /// Reads the rest of the log until the process exits.
    rest_of_log: JoinHandle<String>,
    _site: TempDir,
}

/// A process's resident memory, in bytes.
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    pub resident: u64,
    /// The most it has been resident since it started.
    pub peak_resident: u64,
}

/// A stopped `sentinela` process.
pub struct Stopped {
    pub status: ExitStatus,
    /// Every line it logged.
    pub log: String,
}

impl Server {
    /// Starts `sentinela` with `env` (over LEPTOS settings for port 0 and
    /// a site of its own) and waits until it logs that it is serving.
    pub async fn start(env: &[(&str, &str)]) -> Self {
        let site = tempfile::tempdir().unwrap();
        let options = site::write(site.path());
        let mut command = Command::new(env!("CARGO_BIN_EXE_sentinela"));
        command
            .env("SENTINELA_LOG_FORMAT", "json")
            .envs(site::env(&options))
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("start the sentinela binary");
        let stderr = child.stderr.take().unwrap();
        let (addr, startup_log, rest_of_log) = tokio::task::spawn_blocking(move || {
            let mut lines = Vec::new();
            let mut reader = BufReader::new(stderr);
            let mut line = String::new();
            while reader.read_line(&mut line).expect("read the server's log") > 0 {
                let event: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|_| panic!("a JSON log line: {line}"));
                line.clear();
                lines.push(event.clone());
                if event["message"] == "serving" {
                    // Keep draining the log so the child never blocks on a full pipe.
                    let rest = std::thread::spawn(move || {
                        let mut rest = String::new();
                        let _ = reader.read_to_string(&mut rest);
                        rest
                    });
                    return (event["addr"].as_str().unwrap().to_owned(), lines, rest);
                }
            }
            panic!("the server exited before serving: {lines:?}");
        })
        .await
        .unwrap();
        Server {
            child,
            addr,
            startup_log,
            rest_of_log,
            _site: site,
        }
    }

    /// The process's memory now, from `/proc/<pid>/status`.
    pub fn memory(&self) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("read the server's /proc status");
        let kib = |field: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(field))
                .and_then(|rest| rest.trim().strip_suffix("kB"))
                .and_then(|n| n.trim().parse::<u64>().ok())
                .unwrap_or_else(|| panic!("{field} in /proc status: {status}"))
        };
        Memory {
            resident: kib("VmRSS:") * 1024,
            peak_resident: kib("VmHWM:") * 1024,
        }
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub async fn terminate(self) -> ExitStatus {
        self.stop().await.status
    }

    /// Sends SIGTERM, waits for the process to exit, and returns its log.
    pub async fn stop(self) -> Stopped {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        self.wait().await
    }

    /// Waits for the process to exit on its own, and returns its log.
    pub async fn wait(mut self) -> Stopped {
        let startup: Vec<String> = self.startup_log.iter().map(Value::to_string).collect();
        tokio::task::spawn_blocking(move || {
            let status = self.child.wait().unwrap();
            let rest = self.rest_of_log.join().unwrap();
            Stopped {
                status,
                log: startup.join("\n") + "\n" + &rest,
            }
        })
        .await
        .unwrap()
    }
}
