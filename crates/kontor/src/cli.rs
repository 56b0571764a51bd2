//! The command line: `kontor serve` (default), `migrate`, `staff create`,
//! `token create`, `demo`, `bench`.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use kernel::config::Config;
use tokio::sync::watch;

use crate::{app, modules::staff};

#[derive(Parser)]
#[command(
    name = "kontor",
    version,
    about = "Self-hosted CRM with invoicing, projects and support"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and run the background worker (the default).
    Serve {
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Write every table, every stored file and the vault's key check to
    /// one archive while the app keeps serving.
    Backup {
        file: std::path::PathBuf,
        /// Put the vault key into the archive too (then guard the archive
        /// like the key).
        #[arg(long)]
        with_vault_key: bool,
    },
    /// Restore an archive of `kontor backup` into an empty database and an
    /// empty file store; everything is checked before anything is written.
    Restore { file: std::path::PathBuf },
    /// Manage staff members.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Fill the database with realistic fake customers, contacts and notes
    /// (and invoices with `--invoices`).
    Demo {
        #[arg(long, default_value_t = 1000)]
        customers: u64,
        /// Issued demo invoices (some paid) to add across the customers.
        #[arg(long, default_value_t = 0)]
        invoices: u64,
    },
    /// Measure server time of the main pages (tops up demo data first).
    Bench {
        /// Customers the database should hold before measuring.
        #[arg(long, default_value_t = 100_000)]
        customers: u64,
        #[arg(long, default_value_t = 500)]
        samples: usize,
        /// `customers` (list, search, overview tabs), `portal` (portal,
        /// files, vault, reminders, upload throughput, reminder worker),
        /// `billing` (key figures, invoices, payments, statement, PDF,
        /// issuing, zip), `statement` (pages and PDF of 30,000 movements)
        /// or `estimates` and `proposals` (5,000 of a customer, the public
        /// page, accepting with a signature).
        #[arg(long, default_value = "customers")]
        suite: String,
        /// Demo invoices the billing suite tops the database up to.
        #[arg(long, default_value_t = 1_000_000)]
        invoices: u64,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Generated and printed when omitted.
        #[arg(long)]
        password: Option<String>,
        #[arg(long)]
        admin: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

pub async fn run(cli: Cli) -> Result<()> {
    let mut config = Config::load()?;
    match cli.command.unwrap_or(Command::Serve { bind: None }) {
        Command::Serve { bind } => {
            if let Some(bind) = bind {
                config.bind = bind.parse().context("--bind must be host:port")?;
            }
            let bind = config.bind;
            let state = app::init(config).await?;
            let listener = tokio::net::TcpListener::bind(bind)
                .await
                .with_context(|| format!("bind {bind}"))?;
            if let Some(dir) = state.mailer.file_dir() {
                tracing::info!(dir = %dir.display(), "no KONTOR_SMTP_URL: emails are written as .eml files");
            }
            println!("Kontor listens on http://{bind}");
            let (stop, stopped) = watch::channel(false);
            tokio::spawn(async move {
                shutdown_signal().await;
                let _ = stop.send(true);
            });
            app::serve(state, listener, stopped).await
        }
        Command::Migrate => {
            app::open(config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Backup {
            file,
            with_vault_key,
        } => {
            let state = app::open(config).await?;
            let summary = crate::backup::backup(&state, &file, with_vault_key).await?;
            println!("backup written to {}: {summary}", file.display());
            Ok(())
        }
        Command::Restore { file } => {
            let summary = crate::backup::restore(&config, &file).await?;
            println!("restored from {}: {summary}", file.display());
            Ok(())
        }
        Command::Staff {
            command:
                StaffCommand::Create {
                    email,
                    name,
                    password,
                    admin,
                },
        } => {
            let state = app::open(config).await?;
            let (first, last) = name.split_once(' ').unwrap_or((name.as_str(), ""));
            let generated = password.is_none();
            let password = password.unwrap_or_else(kernel::auth::random_password);
            let input = staff::model::StaffInput {
                email: Some(email.clone()),
                first_name: Some(first.to_string()),
                last_name: Some(last.to_string()),
                password: Some(password.clone()),
                is_admin: Some(admin),
                ..Default::default()
            };
            match staff::service::create_unchecked(&state.db, &input, &state.clock).await {
                Ok((id, first)) => {
                    println!("created staff member {} ({email})", id.0);
                    if first {
                        println!("the first staff member of this installation is an admin");
                    }
                    if generated {
                        println!("password: {password}");
                    }
                    Ok(())
                }
                Err(kernel::AppError::Validation(errors)) => bail!("invalid input: {:?}", errors.0),
                Err(e) => Err(e.into()),
            }
        }
        Command::Demo {
            customers,
            invoices,
        } => {
            let state = app::init(config).await?;
            crate::demo::generate(&state, customers).await?;
            if invoices > 0 {
                crate::demo::billing::generate(&state, invoices, 0).await?;
            }
            Ok(())
        }
        Command::Bench {
            customers,
            samples,
            suite,
            invoices,
        } => {
            let state = app::init(config).await?;
            match suite.as_str() {
                "customers" => crate::bench::run(state, customers, samples).await,
                "portal" => crate::bench::portal::run(state, customers, samples).await,
                "billing" => crate::bench::billing::run(state, customers, samples, invoices).await,
                "statement" => crate::bench::statement::run(state, customers, samples).await,
                "estimates" => {
                    let kind = &crate::bench::answered::ESTIMATES;
                    crate::bench::answered::run(state, customers, samples, kind).await
                }
                "proposals" => {
                    let kind = &crate::bench::answered::PROPOSALS;
                    crate::bench::answered::run(state, customers, samples, kind).await
                }
                other => anyhow::bail!(
                    "unknown suite {other}: use customers, portal, billing, statement, estimates or proposals"
                ),
            }
        }
        Command::Token {
            command: TokenCommand::Create { email, name },
        } => {
            let state = app::open(config).await?;
            let id = staff::service::id_by_email(&state.db, &email)
                .await
                .map_err(|_| anyhow::anyhow!("no staff member {email}"))?;
            let token = staff::service::create_token(&state.db, id, &name, &state.clock).await?;
            println!("{token}");
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
