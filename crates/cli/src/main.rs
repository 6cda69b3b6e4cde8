//! `zuji`: product carbon footprints from the command line.
//!
//! The binary only parses arguments and calls the crates; each subcommand lives in its
//! own module.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod admin_command;
mod clock;
mod data_dir;
mod databases;
mod db_command;
mod export_command;
mod footprint_command;
mod i18n;
mod lci_command;
mod log_command;
mod pact_command;
mod platform;
mod serve_command;
mod verify_command;
mod workbook_command;

#[derive(Parser, Debug)]
#[command(
    name = "zuji",
    version,
    about = "Zuji 足迹 — product carbon footprints (ISO 14067, GB/T 24067)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compute a product's carbon footprint from its model file.
    Footprint(footprint_command::FootprintArgs),
    /// Check a product model: fields, formulas, units and links to background data.
    Validate(footprint_command::ValidateArgs),
    /// Browse background databases.
    Db(db_command::DbArgs),
    /// Compute scores of activities in a tabular LCI database.
    Lci(lci_command::LciArgs),
    /// Exchange product footprints in the WBCSD PACT format.
    Pact(pact_command::PactArgs),
    /// Write a blank data template (Excel) for enterprises.
    Template(workbook_command::TemplateArgs),
    /// Turn a filled workbook (or a JSON model) into a product model in TOML.
    Import(workbook_command::ImportArgs),
    /// Export a product model to another tool's format (openLCA JSON-LD).
    Export(export_command::ExportArgs),
    /// Start the platform: web API, job workers (SQLite in the data directory by default).
    Serve(serve_command::ServeArgs),
    /// Run background jobs from the platform's queue (several may share one PostgreSQL).
    Worker(serve_command::WorkerArgs),
    /// Operate the platform: organisations, users, API clients, stale footprints.
    Admin(admin_command::AdminArgs),
    /// Verify the public transparency log (or save a copy of it).
    Log(log_command::LogArgs),
    /// Verify a carbon label (PNG, SVG or its QR text): signature offline, then the
    /// certificate's status and the log entry at the registry.
    Verify(verify_command::VerifyArgs),
    /// Write a consistent copy of the SQLite store (PostgreSQL: pg_dump).
    Backup(admin_command::BackupArgs),
    /// Replace the SQLite store with a backup.
    Restore(admin_command::RestoreArgs),
}

fn main() -> ExitCode {
    // Like other Unix tools, end quietly when the reader of our output goes away
    // (`zuji footprint m.toml | head`) instead of failing on the next write.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE disposition before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Footprint(a) => footprint_command::run(a),
        Command::Validate(a) => footprint_command::validate(a),
        Command::Db(a) => db_command::run(a),
        Command::Lci(a) => lci_command::run(a),
        Command::Pact(a) => pact_command::run(a),
        Command::Template(a) => workbook_command::template(a),
        Command::Import(a) => workbook_command::import(a),
        Command::Export(a) => export_command::run(a),
        Command::Serve(a) => serve_command::serve(a),
        Command::Worker(a) => serve_command::worker(a),
        Command::Admin(a) => admin_command::run(a),
        Command::Log(a) => log_command::run(a),
        Command::Verify(a) => verify_command::run(a),
        Command::Backup(a) => admin_command::backup(a),
        Command::Restore(a) => admin_command::restore(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
