//! The `sentinela` command line. Errors are reported once, here.

use std::{collections::BTreeMap, path::PathBuf, process::ExitCode, sync::Arc};

use anyhow::Context;
use app::{
    account::Role,
    catalog::runs::{RunReport, RunStatus},
};
use clap::{Parser, Subcommand};
use leptos::prelude::LeptosOptions;
use secrecy::SecretString;

use crate::{
    access,
    config::Settings,
    ingest::connect::fetch::Origin,
    job::{self, Outcome},
    progress::ProgressLines,
    scheduler,
    startup::{Application, Dependencies, open_store, shutdown_signal},
    store::{self, Duty, LoginRole, RoleName, Store},
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
    ///
    /// Exit status: 0 ok; 1 failed (or could not run); 2 partial (some
    /// sources or gold units failed); 3 held (an edition broke its source's
    /// data contract and waits for `sentinela accept`); 4 another ingest is
    /// running (nothing was done).
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
        /// Only the sources that are due, as the server's scheduler picks
        /// them; with none due, only gold that is behind, or nothing (the
        /// ingest job's command in production).
        #[arg(long, conflicts_with_all = ["source", "from"])]
        due: bool,
    },
    /// Accept an edition held by its source's data contract (see
    /// `sentinela held`): refine it into silver and refresh gold.
    Accept {
        /// The source's name.
        source: String,
        /// The id of the run that held it.
        run: String,
        /// Who accepts it, as recorded with the edition (default: $USER (cli)).
        #[arg(long)]
        by: Option<String>,
    },
    /// Apply the store's migrations (and the web service's grants, with
    /// SENTINELA_WEB_DB_ROLE), then exit: run as the tables' owner before
    /// a web service that does not migrate (SENTINELA_DB_MIGRATE=false).
    Migrate,
    /// Create or update the ingest's and the web service's PostgreSQL login
    /// roles, as an administrator: the connection from the PG* variables
    /// (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE,
    /// PGSSLROOTCERT), the roles from SENTINELA_INGEST_DB_USER and
    /// SENTINELA_INGEST_DB_PASSWORD, SENTINELA_WEB_DB_USER and
    /// SENTINELA_WEB_DB_PASSWORD.
    DbRoles,
    /// List the editions held by their sources' data contracts.
    Held,
    /// List the latest ingest runs.
    Runs {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Manage the accounts that sign in to the dashboard.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Manage the read-only API tokens of scripts.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Measure a model against the data it will face.
    #[command(subcommand)]
    Backtest(BacktestCommand),
    /// Print a signed embed link for the intranet's iframe.
    EmbedLink {
        /// The page to embed, e.g. /uf/SP.
        view: String,
        /// A filter the frame may change and its allowed values, e.g.
        /// `period=30,90` or `per100k=*` (any value). Repeatable.
        #[arg(long = "allow", value_name = "FILTER=VALUES")]
        allow: Vec<String>,
        /// Days until the link expires.
        #[arg(long, default_value_t = 30)]
        days: u32,
    },
}

#[derive(Debug, Subcommand)]
enum BacktestCommand {
    /// Replay the nowcast over a folder of SIVEP summary vintages with
    /// rolling origin and print its scores (docs/nowcast.md).
    Nowcast {
        /// A folder of `sum_dados_<YYYY_MM_DD>.csv.xz` vintages.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AccountCommand {
    /// Add an account; the password comes from SENTINELA_PASSWORD or the
    /// first line of standard input, never from the command line.
    Add {
        name: String,
        /// `viewer` or `admin`.
        #[arg(long, default_value = "viewer", value_parser = parse_role)]
        role: Role,
    },
    /// List the accounts.
    List,
    /// Remove an account and end its sessions.
    Remove { name: String },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Issue a token (printed once; only its digest is kept).
    Issue { name: String },
    /// List the tokens.
    List,
    /// Revoke a token by id.
    Revoke { id: String },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("unknown role {text:?}: use viewer or admin"))
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
        Command::Ingest {
            source,
            from,
            json,
            due,
        } => return ingest(&settings, source.as_deref(), from, json, due).await,
        Command::Accept { source, run, by } => {
            return exit(accept(&settings, &source, &run, by).await);
        }
        Command::Migrate => migrate(&settings).await,
        Command::DbRoles => db_roles().await,
        Command::Held => held(&settings).await,
        Command::Runs { limit } => runs(&settings, limit).await,
        Command::Account(command) => account(&settings, command).await,
        Command::Token(command) => token(&settings, command).await,
        Command::EmbedLink { view, allow, days } => embed_link(&settings, &view, &allow, days),
        Command::Backtest(BacktestCommand::Nowcast { from }) => backtest_nowcast(from).await,
    };
    exit(outcome.map(|()| ExitCode::SUCCESS))
}

/// The exit status of a command's outcome; a failure is told on standard
/// error as a person at a terminal reads it.
fn exit(outcome: anyhow::Result<ExitCode>) -> ExitCode {
    outcome.unwrap_or_else(|error| {
        eprintln!("{}", plain_text(&error));
        ExitCode::FAILURE
    })
}

/// An error and its causes, one per line (a cause drawn over several
/// lines, such as a TOML excerpt, as drawn), each said once: a cause whose
/// text the line before already holds is left out.
fn plain_text(error: &anyhow::Error) -> String {
    let mut text = format!("sentinela: {error}");
    let mut previous = error.to_string();
    for cause in error.chain().skip(1) {
        let said = cause.to_string();
        if previous.contains(said.trim()) {
            continue;
        }
        text.push_str("\n  caused by: ");
        text.push_str(&said.trim_end().replace('\n', "\n  "));
        previous = said;
    }
    text
}

/// An ingest run's exit status (see `sentinela ingest --help`).
fn run_exit(report: &RunReport) -> ExitCode {
    ExitCode::from(match report.status {
        RunStatus::Ok => 0,
        RunStatus::Failed => 1,
        RunStatus::Partial => 2,
        RunStatus::Held => 3,
    })
}

/// Another ingest holds the lock: nothing was done.
const BUSY: u8 = 4;

/// Says that another ingest holds the lock, and who if the store knows.
fn tell_busy(store: &Store) -> ExitCode {
    let holder = store
        .ingest_lock_holder()
        .map(|h| format!(" ({h})"))
        .unwrap_or_default();
    eprintln!(
        "sentinela: another ingest is running{holder}, from a server's scheduler or another \
         command; this one stopped without changing anything. Run it again once that one ends."
    );
    ExitCode::from(BUSY)
}

async fn backtest_nowcast(dir: PathBuf) -> anyhow::Result<()> {
    let backtest =
        tokio::task::spawn_blocking(move || crate::ingest::silver::vintage_folder::backtest(&dir))
            .await
            .context("the backtest stopped")??;
    print!("{backtest}");
    Ok(())
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let app = Application::build(settings, leptos_options()?).await?;
    app.run(shutdown_signal()).await
}

/// Runs an ingest and tells its outcome once, in the log event that
/// carries `ingest_run_status` (the alarms count it) and as the exit status.
async fn ingest(
    settings: &Settings,
    source: Option<&str>,
    from: Option<PathBuf>,
    json: bool,
    due: bool,
) -> ExitCode {
    let outcome = match Dependencies::open(settings).await {
        Ok(dependencies) => run_ingest(&dependencies, source, from, due).await,
        Err(error) => Err(error),
    };
    job::log("ingest", &outcome);
    match outcome {
        Ok(Outcome::Ran(report)) => {
            match json {
                true => match serde_json::to_string_pretty(&report) {
                    Ok(text) => println!("{text}"),
                    Err(error) => return exit(Err(error.into())),
                },
                false => print_report(&report),
            }
            run_exit(&report)
        }
        Ok(Outcome::Idle) => ExitCode::SUCCESS,
        Ok(Outcome::Busy) => ExitCode::from(BUSY),
        // Told by job::log.
        Err(_) => ExitCode::FAILURE,
    }
}

async fn run_ingest(
    dependencies: &Dependencies,
    source: Option<&str>,
    from: Option<PathBuf>,
    due: bool,
) -> anyhow::Result<Outcome> {
    let pipeline = dependencies
        .pipeline()?
        .observed_by(Arc::new(ProgressLines::default()));
    let store = &dependencies.store;
    if due {
        let outcome = scheduler::tick(&pipeline, store, &dependencies.sources, false).await?;
        if let Outcome::Busy = outcome {
            tell_busy(store);
        }
        return Ok(outcome);
    }
    let Some(_lock) = store.try_ingest_lock().await? else {
        tell_busy(store);
        return Ok(Outcome::Busy);
    };
    let origin = from.map_or(Origin::Remote, Origin::Dir);
    Ok(Outcome::Ran(
        pipeline.run(&origin, source.as_slice()).await?,
    ))
}

async fn accept(
    settings: &Settings,
    source: &str,
    run: &str,
    by: Option<String>,
) -> anyhow::Result<ExitCode> {
    let dependencies = Dependencies::open(settings).await?;
    let pipeline = dependencies.pipeline()?;
    let Some(_lock) = dependencies.store.try_ingest_lock().await? else {
        return Ok(tell_busy(&dependencies.store));
    };
    let by = by.unwrap_or_else(|| {
        let user = std::env::var("USER").unwrap_or_else(|_| "cli".into());
        format!("{user} (cli)")
    });
    let report = pipeline.accept(source, run, &by).await?;
    print_report(&report);
    Ok(run_exit(&report))
}

async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    open_store(settings).await?.close().await;
    println!("store migrated");
    Ok(())
}

/// A variable `db-roles` needs.
fn required(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| format!("{name} is not set"))
}

async fn db_roles() -> anyhow::Result<()> {
    use sqlx::Connection;
    let role = |user: &str, password: &str, duty| -> anyhow::Result<LoginRole> {
        Ok(LoginRole {
            name: RoleName::parse(&required(user)?)?,
            password: SecretString::from(required(password)?),
            duty,
        })
    };
    let roles = [
        role(
            "SENTINELA_INGEST_DB_USER",
            "SENTINELA_INGEST_DB_PASSWORD",
            Duty::Ingest,
        )?,
        role(
            "SENTINELA_WEB_DB_USER",
            "SENTINELA_WEB_DB_PASSWORD",
            Duty::Web,
        )?,
    ];
    let mut admin =
        sqlx::postgres::PgConnection::connect_with(&sqlx::postgres::PgConnectOptions::new())
            .await
            .context("connecting as the administrator (PG* variables)")?;
    store::create_login_roles(&mut admin, &roles).await?;
    for role in &roles {
        println!("role {} ready ({:?})", role.name.as_str(), role.duty);
    }
    Ok(())
}

async fn held(settings: &Settings) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    println!("{:<22} {:<34} {:<20} reason", "source", "run", "held (UTC)");
    for held in store.held_editions().await? {
        println!(
            "{:<22} {:<34} {:<20} {}",
            held.source,
            held.run_id,
            held.held_at.format("%Y-%m-%d %H:%M:%S"),
            held.reason
        );
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
                .map(move |stage| (s.name.as_str(), s.outcome.code(), Some(stage)))
                .chain(
                    s.stages
                        .is_empty()
                        .then_some((s.name.as_str(), s.outcome.code(), None)),
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
    for held in report
        .sources
        .iter()
        .filter_map(|s| s.held.as_ref().map(|why| (&s.name, why)))
    {
        println!(
            "held {}: {} (`sentinela held` lists it, `sentinela accept` accepts it)",
            held.0, held.1
        );
    }
    for failed in &report.gold_errors {
        println!("error gold {failed}");
    }
}

async fn runs(settings: &Settings, limit: u32) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
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

/// The new account's password: `SENTINELA_PASSWORD`, else standard input.
fn read_password() -> anyhow::Result<SecretString> {
    if let Ok(password) = std::env::var("SENTINELA_PASSWORD") {
        return Ok(SecretString::from(password));
    }
    eprintln!(
        "password (at least {} characters):",
        access::password::MIN_LENGTH
    );
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(SecretString::from(
        line.trim_end_matches(['\r', '\n']).to_owned(),
    ))
}

async fn account(settings: &Settings, command: AccountCommand) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    match command {
        AccountCommand::Add { name, role } => {
            access::add_account(&store, &name, role, read_password()?).await?;
            println!("account {name} added ({})", role.code());
        }
        AccountCommand::List => {
            println!("{:<32} {:<8} created (UTC)", "account", "role");
            for account in store.accounts().await? {
                println!(
                    "{:<32} {:<8} {}",
                    account.name,
                    account.role.code(),
                    account.created_at.format("%Y-%m-%d %H:%M:%S")
                );
            }
        }
        AccountCommand::Remove { name } => {
            anyhow::ensure!(
                store.delete_account(&name).await?,
                "no account named {name:?}"
            );
            println!("account {name} removed");
        }
    }
    Ok(())
}

async fn token(settings: &Settings, command: TokenCommand) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    match command {
        TokenCommand::Issue { name } => {
            let issued = access::issue_api_token(&store, &name, "cli").await?;
            eprintln!(
                "token {} ({}); shown once, keep it secret:",
                issued.id, issued.name
            );
            println!("{}", issued.token);
        }
        TokenCommand::List => {
            println!(
                "{:<14} {:<24} {:<20} revoked",
                "id", "name", "created (UTC)"
            );
            for token in store.api_tokens().await? {
                println!(
                    "{:<14} {:<24} {:<20} {}",
                    token.id,
                    token.name,
                    token.created_at.format("%Y-%m-%d %H:%M:%S"),
                    token
                        .revoked_at
                        .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                        .unwrap_or_default()
                );
            }
        }
        TokenCommand::Revoke { id } => {
            anyhow::ensure!(
                store.revoke_api_token(&id).await?,
                "no live token with id {id:?}"
            );
            println!("token {id} revoked");
        }
    }
    Ok(())
}

fn embed_link(settings: &Settings, view: &str, allow: &[String], days: u32) -> anyhow::Result<()> {
    let key = settings
        .signing_key
        .as_ref()
        .context("embed links need SENTINELA_SIGNING_KEY")?;
    let signer = access::Signer::new(key)?;
    let mut filters = BTreeMap::new();
    for rule in allow {
        let (name, values) = rule
            .split_once('=')
            .with_context(|| format!("--allow {rule:?}: expected FILTER=VALUE[,VALUE…]"))?;
        filters.insert(
            name.to_owned(),
            values.split(',').map(str::to_owned).collect(),
        );
    }
    let grant = access::EmbedGrant::new(view, filters, chrono::Duration::days(i64::from(days)))
        .map_err(anyhow::Error::msg)?;
    println!("{}", signer.link(&grant));
    eprintln!("expires {}", grant.expires_at.format("%Y-%m-%d %H:%M UTC"));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_reads_as_plain_text_each_cause_once() {
        let toml = "[[source]]\nname = \"x\"\nevery = \"banana\"\n";
        let error = anyhow::Error::new(crate::sources::parse(toml).unwrap_err())
            .context("reading the source configuration");
        let text = plain_text(&error);
        assert!(
            text.starts_with("sentinela: reading the source configuration\n"),
            "{text}"
        );
        assert_eq!(text.matches("TOML parse error").count(), 1, "{text}");
        assert!(!text.contains("\\n"), "newlines are newlines: {text}");
        assert!(
            text.contains("\n  caused by: invalid source configuration\n"),
            "{text}"
        );
        let wrapped = anyhow::anyhow!("disk full").context("writing: disk full");
        assert_eq!(plain_text(&wrapped), "sentinela: writing: disk full");
    }
}
