//! The `sentinela` binary: see [`sentinela::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the Tokio runtime starts")
        .block_on(sentinela::cli::run())
}
