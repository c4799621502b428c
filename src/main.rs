//! The `procflow` command: parses arguments, calls the library, prints
//! diagnostics and sets the exit status. No model logic lives here.

#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use procflow::diagnostic;
use procflow::project::Project;

/// Process and workflow models as code: check them, draw them, publish them.
#[derive(Debug, Parser)]
#[command(name = "procflow", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load and check the models of a project; report every problem found.
    Check {
        /// Project folder (holding procflow.yaml and/or models/).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Report format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
        /// Treat warnings as errors (exit status 1 when there are any).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print the JSON Schema of the model format (for editor completion).
    Schema {
        /// Print the schema of procflow.yaml instead.
        #[arg(long)]
        settings: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ReportFormat {
    Human,
    Json,
}

/// Exit status for usage and I/O problems (clap uses it for usage errors too).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { dir, format, deny_warnings } => check(&dir, format, deny_warnings),
        Command::Schema { settings } => {
            let schema =
                if settings { procflow::schema::settings_schema() } else { procflow::schema::model_schema() };
            println!("{schema}");
            ExitCode::SUCCESS
        }
    }
}

fn check(dir: &std::path::Path, format: ReportFormat, deny_warnings: bool) -> ExitCode {
    let project = match Project::read(dir) {
        Ok(project) => project,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let checked = procflow::check(&project.sources);
    let model = &checked.model;
    let report = match format {
        ReportFormat::Human => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            diagnostic::render_report(&checked.diagnostics, &project.sources, color)
        }
        ReportFormat::Json => diagnostic::render_json(&checked.diagnostics, &project.sources),
    };
    match format {
        ReportFormat::Human => {
            let _ = std::io::stderr().write_all(report.as_bytes());
            let files = project.sources.model_files().count();
            eprintln!(
                "checked {files} file{}: {} roles, {} processes, {} workflows",
                if files == 1 { "" } else { "s" },
                model.roles.len(),
                model.processes.len(),
                model.workflows.len()
            );
        }
        ReportFormat::Json => {
            let _ = std::io::stdout().write_all(report.as_bytes());
            let _ = std::io::stdout().write_all(b"\n");
        }
    }
    if checked.is_ok(deny_warnings) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}
