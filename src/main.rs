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
    /// Print a RACI matrix (all processes, or one) or the RACI view of one role,
    /// with its review analysis.
    Raci(RaciArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("selection").args(["process", "role", "all"])))]
struct RaciArgs {
    /// Project folder (holding procflow.yaml and/or models/).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The matrix of one process: its activities × the roles involved.
    #[arg(long, value_name = "ID")]
    process: Option<String>,
    /// The view of one role: its letters, the steps it performs, the processes it owns.
    #[arg(long, value_name = "ID")]
    role: Option<String>,
    /// The matrix of every activity of every process × every role (the default).
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RaciFormat::Md)]
    format: RaciFormat,
    /// Column order: the order of `roles:` in the model, or most letters first.
    #[arg(long, value_enum, default_value_t = RaciOrder::Model)]
    order: RaciOrder,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RaciFormat {
    Csv,
    Md,
    Svg,
    Html,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RaciOrder {
    Model,
    Involvement,
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
        Command::Raci(args) => raci(&args),
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
            // After a load error the model is partial; its counts would mislead.
            let loaded = !checked.diagnostics.iter().any(|d| d.code.is_syntax());
            let counted = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
            if loaded {
                eprintln!(
                    "checked {}: {}, {}, {}",
                    counted(files, "file", "files"),
                    counted(model.roles.len(), "role", "roles"),
                    counted(model.processes.len(), "process", "processes"),
                    counted(model.workflows.len(), "workflow", "workflows")
                );
            } else {
                eprintln!("checked {}", counted(files, "file", "files"));
            }
        }
        ReportFormat::Json => {
            let _ = std::io::stdout().write_all(report.as_bytes());
            let _ = std::io::stdout().write_all(b"\n");
        }
    }
    if checked.is_ok(deny_warnings) { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn raci(args: &RaciArgs) -> ExitCode {
    use procflow::raci::{ColumnOrder, Format, Options, Selection};
    let project = match Project::read(&args.dir) {
        Ok(project) => project,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let checked = procflow::check(&project.sources);
    if !checked.is_ok(false) {
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let report = diagnostic::render_report(&checked.diagnostics, &project.sources, color);
        let _ = std::io::stderr().write_all(report.as_bytes());
        eprintln!("error: the model has errors, so no RACI view was written");
        return ExitCode::from(1);
    }
    let model = &checked.model;
    let selection = if let Some(id) = &args.process {
        let Some(process) = model.process_by_id(id) else {
            let known = model.processes.iter().map(|&p| &*model.process(p).id);
            return unknown_id("process", id, known);
        };
        Selection::Process(process)
    } else if let Some(id) = &args.role {
        let Some(role) = model.role_by_id(id) else {
            let known = model.roles.iter().map(|r| model.role(*r).id.as_str());
            return unknown_id("role", id, known);
        };
        Selection::Role(role)
    } else {
        Selection::All
    };
    let options = Options {
        order: match args.order {
            RaciOrder::Model => ColumnOrder::Model,
            RaciOrder::Involvement => ColumnOrder::Involvement,
        },
        ..Options::default()
    };
    let format = match args.format {
        RaciFormat::Csv => Format::Csv,
        RaciFormat::Md => Format::Markdown,
        RaciFormat::Svg => Format::Svg,
        RaciFormat::Html => Format::Html,
        RaciFormat::Json => Format::Json,
    };
    let text = procflow::raci::render(model, selection, &options, format);
    match &args.output {
        Some(path) => {
            if let Err(err) = std::fs::write(path, text) {
                eprintln!("error: {}: {err}", path.display());
                return ExitCode::from(EXIT_USAGE);
            }
        }
        None => {
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
    ExitCode::SUCCESS
}

/// Reports an id given on the command line that the model does not have.
fn unknown_id<'a>(kind: &str, id: &str, known: impl Iterator<Item = &'a str> + Clone) -> ExitCode {
    eprintln!("error: the model has no {kind} \"{id}\"");
    if let Some(suggestion) = diagnostic::did_you_mean(id, known.clone()) {
        eprintln!("help: did you mean \"{suggestion}\"?");
    } else {
        let all: Vec<&str> = known.collect();
        if !all.is_empty() && all.len() <= 12 {
            eprintln!("help: the {kind} ids are: {}", all.join(", "));
        }
    }
    ExitCode::from(EXIT_USAGE)
}
