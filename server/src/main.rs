//! The `sentinela` binary: see [`server::cli`].

#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::cli::run().await
}
