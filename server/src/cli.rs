//! The `sentinela` command line. Errors are reported once, here.

use std::{path::PathBuf, process::ExitCode, sync::Arc};

use anyhow::Context;
use clap::{Parser, Subcommand};
use leptos::prelude::LeptosOptions;

use crate::{
    config::Settings,
    ingest::{RunReport, fetch::Origin},
    progress::ProgressLines,
    startup::{Application, Dependencies, shutdown_signal},
    store::Store,
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
    /// Collect the sources and refresh the lake and the store.
    Ingest {
        /// Only this source (a name from the source configuration).
        #[arg(long)]
        source: Option<String>,
        /// Read already-downloaded files from this folder instead of the sources' URLs.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
        /// Print the run report as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// List the latest ingest runs.
    Runs {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
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
        Command::Ingest { source, from, json } => {
            ingest(&settings, source.as_deref(), from, json).await
        }
        Command::Runs { limit } => runs(&settings, limit).await,
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

async fn ingest(
    settings: &Settings,
    source: Option<&str>,
    from: Option<PathBuf>,
    json: bool,
) -> anyhow::Result<()> {
    let dependencies = Dependencies::open(settings).await?;
    let pipeline = dependencies
        .pipeline()?
        .observed_by(Arc::new(ProgressLines::default()));
    let Some(_lock) = dependencies.store.try_ingest_lock().await? else {
        anyhow::bail!(
            "another ingest is running (a server's scheduler or another CLI); try again later"
        );
    };
    let origin = from.map_or(Origin::Remote, Origin::Dir);
    let report = pipeline.run(&origin, source.as_slice()).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    if report.status == "failed" {
        anyhow::bail!("every source failed");
    }
    Ok(())
}

/// The run's summary: one line per source and stage.
fn print_report(report: &RunReport) {
    println!("run {}  status {}", report.id, report.status);
    println!(
        "{:<22} {:<10} {:<18} {:>10} {:>10} {:>9} {:>12} {:>8}",
        "source", "outcome", "stage", "rows in", "rows out", "rejected", "bytes", "seconds"
    );
    let lines = report
        .sources
        .iter()
        .flat_map(|s| {
            s.stages
                .iter()
                .map(move |stage| (s.name.as_str(), s.outcome.as_str(), Some(stage)))
                .chain(
                    s.stages
                        .is_empty()
                        .then_some((s.name.as_str(), s.outcome.as_str(), None)),
                )
        })
        .chain(report.gold.iter().map(|stage| ("(gold)", "", Some(stage))));
    for (name, outcome, stage) in lines {
        match stage {
            Some(m) => println!(
                "{name:<22} {outcome:<10} {:<18} {:>10} {:>10} {:>9} {:>12} {:>8.3}",
                m.stage, m.rows_in, m.rows_out, m.rejected, m.bytes, m.seconds
            ),
            None => println!("{name:<22} {outcome:<10}"),
        }
    }
    for failed in report
        .sources
        .iter()
        .filter_map(|s| s.error.as_ref().map(|e| (&s.name, e)))
    {
        println!("error {}: {}", failed.0, failed.1);
    }
}

async fn runs(settings: &Settings, limit: u32) -> anyhow::Result<()> {
    let store = Store::connect(&settings.database_url(), settings.db_max_connections)
        .await
        .context("opening the store")?;
    println!(
        "{:<34} {:<20} {:<8} {:<10} error",
        "run", "started (UTC)", "status", "seconds"
    );
    for run in store.runs(limit).await? {
        let seconds = (run.finished_at - run.started_at).num_milliseconds() as f64 / 1000.0;
        println!(
            "{:<34} {:<20} {:<8} {:<10.3} {}",
            run.id,
            run.started_at.format("%Y-%m-%d %H:%M:%S"),
            run.status,
            seconds,
            run.error.unwrap_or_default()
        );
    }
    Ok(())
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
