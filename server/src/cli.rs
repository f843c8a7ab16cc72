//! The `sentinela` command line. Errors are reported once, here.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use leptos::prelude::LeptosOptions;

use crate::{
    config::Settings,
    startup::{Application, shutdown_signal},
    telemetry,
};

/// Sentinela: the demand radar built on Brazil's public COVID-19 data.
#[derive(Debug, Parser)]
#[command(name = "sentinela", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the dashboard (the default).
    Serve,
}

/// Parses the arguments, runs the command and turns its outcome into an
/// exit code.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    // A missing .env is normal; settings then come from the environment.
    let _ = dotenvy::dotenv();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("sentinela: invalid settings: {error}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(settings.log_format);
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&settings).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "sentinela failed");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let app = Application::build(settings, leptos_options()?).await?;
    app.run(shutdown_signal()).await
}

/// The site options: from the environment when cargo-leptos (or a
/// container) sets them, else from `Cargo.toml` in the working folder.
fn leptos_options() -> anyhow::Result<LeptosOptions> {
    let file = std::env::var_os("LEPTOS_OUTPUT_NAME")
        .is_none()
        .then_some("Cargo.toml");
    Ok(leptos::config::get_configuration(file)
        .context("reading the Leptos site options")?
        .leptos_options)
}
