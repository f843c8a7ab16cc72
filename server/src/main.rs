//! The `sentinela` binary: see [`sentinela::cli`].

#[tokio::main]
async fn main() -> std::process::ExitCode {
    sentinela::cli::run().await
}
