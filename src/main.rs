//! The `procflow` command: parses arguments, calls the library, prints
//! diagnostics and sets the exit status. No model logic lives here.

#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
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
    /// Start a new project: write procflow.yaml and a small, commented model
    /// (roles, a process with RACI, a workflow) that checks clean and builds.
    /// Overwrites nothing.
    Init {
        /// Folder to create the project in (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
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
    /// Print a completion script for a shell, e.g. `procflow completions bash >
    /// ~/.local/share/bash-completion/completions/procflow`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `procflow man > ~/.local/share/man/man1/procflow.1`;
    /// with -o, write it and one page per subcommand (procflow-check.1…) into a folder.
    Man {
        /// Write procflow.1 and procflow-<subcommand>.1 into DIR instead of printing procflow.1.
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
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
    /// Build the documentation site (pages, diagrams, downloads, search).
    Build(BuildArgs),
    /// Serve the site on this machine while you edit: rebuilds on every save
    /// and reloads the open pages; errors show over the page.
    Serve(ServeArgs),
    /// Draw a workflow as a BPMN swimlane diagram (SVG or PNG), or the process
    /// landscape; `--stats` prints layout quality figures instead.
    Render(RenderArgs),
    /// Export workflows for other tools (BPMN 2.0 XML for Camunda Modeler,
    /// bpmn.io, Signavio…).
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import models from other tools (BPMN 2.0 XML from Camunda Modeler,
    /// bpmn.io, Signavio…) as procflow YAML.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Compare the workflows with the ITSM tool's exported workflow
    /// configuration (statuses, transitions, who may take them); exit status 1
    /// on any drift. Without export files, reads those `tool_exports` in
    /// procflow.yaml names.
    Drift(DriftArgs),
    /// Show what changed between two revisions of the project, by id: roles,
    /// processes, activities and RACI cells, workflow steps and flows,
    /// findings, check results. Exit status 0 when nothing changed, 1 when
    /// something did, 2 on usage or I/O errors.
    Diff(DiffArgs),
}

#[derive(Debug, clap::Args)]
struct DiffArgs {
    /// The base side: a git revision (branch, tag, commit) or a project
    /// folder (an existing folder wins) [default: HEAD].
    base: Option<String>,
    /// The head side: a git revision or a project folder [default: the
    /// working tree].
    head: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The project folder, or any folder inside it.
    #[arg(short = 'C', long, value_name = "DIR", default_value = ".")]
    project: PathBuf,
}

/// Formats of `procflow diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    /// Text, coloured on a terminal unless NO_COLOR is set.
    Text,
    /// Markdown for a pull-request comment.
    Markdown,
    /// JSON for tools.
    Json,
    /// A self-contained HTML report with each changed workflow's new and old
    /// diagrams, changes highlighted (use with -o).
    Html,
}

#[derive(Debug, clap::Args)]
struct DriftArgs {
    /// Project folder (holding procflow.yaml and/or models/).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// A Jira Data Center / Server workflow XML export, named after its
    /// workflow (as Jira names the download).
    #[arg(long, value_name = "FILE")]
    jira: Vec<PathBuf>,
    /// A Jira Cloud workflow JSON export (the workflows search response).
    #[arg(long, value_name = "FILE")]
    jira_cloud: Vec<PathBuf>,
    /// A ServiceNow sys_choice export (record XML or Table API JSON).
    #[arg(long, value_name = "FILE")]
    servicenow: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// A BPMN 2.0 file as roles and workflows (one per process); elements
    /// procflow does not model are listed as warnings on standard error.
    Bpmn(ImportBpmnArgs),
    /// A Jira workflow export as a first workflow model: statuses as steps,
    /// transitions as flows, restricted groups and project roles as lanes
    /// where unambiguous; what could not be mapped is listed on standard error.
    Jira(ImportJiraArgs),
}

#[derive(Debug, clap::Args)]
struct ImportJiraArgs {
    /// The export: Jira Data Center / Server workflow XML (named after the
    /// workflow), or with --cloud Jira Cloud workflow JSON.
    file: PathBuf,
    /// The file is a Jira Cloud workflow JSON export.
    #[arg(long)]
    cloud: bool,
    /// The workflow to import, when the export holds several.
    #[arg(long, value_name = "NAME")]
    workflow: Option<String>,
    /// Write the model file here instead of printing it.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ImportBpmnArgs {
    /// The .bpmn file to import.
    file: PathBuf,
    /// Write DIR/models/roles.yaml and DIR/models/<workflow id>.yaml instead
    /// of printing the YAML, so that `procflow check DIR` and `procflow build
    /// DIR` work on the result.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Overwrite model files that already exist in DIR/models.
    #[arg(long, requires = "output")]
    force: bool,
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// A workflow as BPMN 2.0 XML with its swimlane layout (BPMNDI); with
    /// --all, every workflow into a folder as <workflow id>.bpmn.
    Bpmn(BpmnArgs),
    /// Pages for a wiki: one per process, workflow and role plus a home page,
    /// with RACI and step tables and the diagrams as image files (GitHub,
    /// GitLab and Azure DevOps wikis as Markdown; Confluence as storage-format
    /// pages with attachments and a manifest for a publishing script).
    Wiki(WikiArgs),
    /// The whole documentation as one PDF handbook: cover, contents and
    /// bookmarks, a chapter per process with its workflows' diagrams (as
    /// vector graphics with searchable text) and work instructions, the
    /// roles, the RACI overview, the KPI catalogue and the improvement
    /// register.
    Pdf(PdfArgs),
}

#[derive(Debug, clap::Args)]
struct PdfArgs {
    /// Project folder (holding procflow.yaml and/or models/).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The PDF file to write (replaced whole, never half-written).
    #[arg(short, long, value_name = "FILE", default_value = "handbook.pdf")]
    output: PathBuf,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, clap::Args)]
struct WikiArgs {
    /// Project folder (holding procflow.yaml and/or models/).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The wiki to write for.
    #[arg(long, value_enum)]
    flavor: WikiFlavor,
    /// The folder to write into (created; replaced only if empty or written by procflow).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Keep the text of diagram SVGs as text instead of outlines (smaller
    /// files, selectable text, but the look depends on the reader's fonts).
    #[arg(long)]
    svg_text: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum WikiFlavor {
    /// GitHub wiki (GitHub-flavoured Markdown, flat pages, _Sidebar.md).
    Gfm,
    /// GitLab wiki (pages in folders, images in uploads/).
    Gitlab,
    /// Azure DevOps wiki (folders, .order files, images in .attachments/).
    Azure,
    /// Confluence (storage-format XHTML, attachments, manifest.json).
    Confluence,
}

#[derive(Debug, clap::Args)]
struct BpmnArgs {
    /// The workflow to export (with --all: the project folder).
    workflow: Option<String>,
    /// Project folder (holding procflow.yaml and/or models/).
    dir: Option<PathBuf>,
    /// Export every workflow into the folder given with -o.
    #[arg(long)]
    all: bool,
    /// Write to FILE instead of standard output (with --all: the folder to write into).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// Project folder (holding procflow.yaml and/or models/).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Output folder (default: `output` of procflow.yaml, else output/).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
    /// Keep running: rebuild whenever a model file or procflow.yaml changes,
    /// rewriting only the files that change (for a folder another web server
    /// serves).
    #[arg(long)]
    watch: bool,
    /// Publish only processes and workflows whose `document:` status is
    /// `approved` (references to the others are left out).
    #[arg(long, conflicts_with = "watch")]
    approved_only: bool,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Project folder (holding procflow.yaml and/or models/).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Address to listen on. The default serves this machine only; another
    /// address (0.0.0.0 for every interface) shares the preview on the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in the default web browser once it is served.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, clap::Args)]
struct RenderArgs {
    /// The workflow to draw (all workflows with --stats).
    workflow: Option<String>,
    /// Project folder (holding procflow.yaml and/or models/).
    dir: Option<PathBuf>,
    /// Output format [default: from -o's extension, else svg].
    #[arg(long, value_enum)]
    format: Option<DiagramFormat>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Pixels per diagram unit in PNG output.
    #[arg(long, default_value_t = 2.0, value_name = "N")]
    scale: f32,
    /// Draw the process landscape: processes and the data flows between them.
    #[arg(long)]
    landscape: bool,
    /// Print crossings, overlapping flows, bends, backward flows, edge length and area per diagram.
    #[arg(long)]
    stats: bool,
    /// Reorder lanes to shorten flows instead of keeping the authored order.
    #[arg(long)]
    optimise_lanes: bool,
    /// Write the SVG's text as outlines, so it looks the same in every viewer
    /// whatever fonts it has (for wikis and documents; the file is larger).
    #[arg(long)]
    text_as_paths: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DiagramFormat {
    Svg,
    Png,
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
    /// Output format [default: from -o's extension, else md].
    #[arg(long, value_enum)]
    format: Option<RaciFormat>,
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
    /// Text in the style of rustc, on standard error.
    Human,
    /// One JSON document for tools, on standard output.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning, GitLab, IDEs), on standard output.
    Sarif,
    /// GitHub workflow commands (annotations on the changed lines), on standard output.
    Github,
}

/// Exit status for usage and I/O problems (clap uses it for usage errors too).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Init { dir } => init(&dir),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "procflow", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man { output } => man(output.as_deref()),
        Command::Check { dir, format, deny_warnings } => check(&dir, format, deny_warnings),
        Command::Raci(args) => raci(&args),
        Command::Render(args) => render(&args),
        Command::Build(args) if args.watch => build_watch(&args),
        Command::Build(args) => build(&args),
        Command::Serve(args) => serve(&args),
        Command::Export(ExportCommand::Bpmn(args)) => export_bpmn(&args),
        Command::Export(ExportCommand::Wiki(args)) => export_wiki(&args),
        Command::Export(ExportCommand::Pdf(args)) => export_pdf(&args),
        Command::Import(ImportCommand::Bpmn(args)) => import_bpmn(&args),
        Command::Import(ImportCommand::Jira(args)) => import_jira(&args),
        Command::Drift(args) => drift(&args),
        Command::Diff(args) => diff(&args),
        Command::Schema { settings } => {
            let schema = if settings { procflow::schema::settings_schema() } else { procflow::schema::model_schema() };
            println!("{schema}");
            ExitCode::SUCCESS
        }
    }
}

fn init(dir: &std::path::Path) -> ExitCode {
    match procflow::init::init(dir) {
        Ok(created) => {
            for path in &created.written {
                eprintln!("created {}", path.display());
            }
            for path in &created.kept {
                eprintln!("kept {} as it was", path.display());
            }
            let shown = dir.display();
            eprintln!(
                "next: `procflow check {shown}`, then `procflow build {shown}` (the site goes to {shown}/output)"
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            eprintln!("help: nothing was written; give init a new or empty folder, e.g. `procflow init my-processes`");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn man(folder: Option<&std::path::Path>) -> ExitCode {
    let written = match folder {
        Some(folder) => std::fs::create_dir_all(folder)
            .and_then(|()| clap_mangen::generate_to(Cli::command(), folder))
            .map(|()| eprintln!("wrote the man pages into {}", folder.display())),
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut page).map(|()| {
                // A closed pipe (`| head`) is not an error worth reporting.
                let _ = std::io::stdout().write_all(&page);
            })
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            match folder {
                Some(folder) => eprintln!("error: {}: {err}", folder.display()),
                None => eprintln!("error: {err}"),
            }
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn check(dir: &std::path::Path, format: ReportFormat, deny_warnings: bool) -> ExitCode {
    let mut project = match read_project(dir) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let mut checked = procflow::check(&project.sources);
    if let Err(code) = add_tool_exports(&mut project, &mut checked) {
        return code;
    }
    let model = &checked.model;
    emit_report(format, &checked.diagnostics, &project, dir);
    match format {
        ReportFormat::Human => {
            let files = project.sources.model_files().filter(|(_, file)| !file.is_skipped()).count();
            // After a load error the model is partial; its counts would mislead.
            let loaded = !checked.diagnostics.iter().any(|d| d.code.is_syntax());
            let counted = diagnostic::counted;
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
        ReportFormat::Json | ReportFormat::Sarif => {}
        ReportFormat::Github => {
            // The log shows the counts; the annotations show the problems.
            eprintln!("procflow check: {}", diagnostic::summary(diagnostic::count(&checked.diagnostics)));
        }
    }
    let status = if checked.is_ok(deny_warnings) { ExitCode::SUCCESS } else { ExitCode::from(1) };
    // The process ends here: freeing a model of 50,000 steps piece by piece
    // would only delay the exit (by tens of milliseconds), so leave it to the OS.
    std::mem::forget(checked);
    std::mem::forget(project);
    status
}

/// Prints diagnostics in a report format: the human text on standard error,
/// the formats for tools on standard output. `check` and `drift` share it.
fn emit_report(format: ReportFormat, diagnostics: &[diagnostic::Diagnostic], project: &Project, dir: &std::path::Path) {
    let sources = &project.sources;
    let report = match format {
        ReportFormat::Human => diagnostic::render_report(diagnostics, sources, stderr_color()),
        ReportFormat::Json => diagnostic::render_json(diagnostics, sources),
        ReportFormat::Sarif => {
            let root = std::fs::canonicalize(&project.root).ok();
            procflow::ci::render_sarif(diagnostics, sources, root.as_deref())
        }
        ReportFormat::Github => procflow::ci::render_github(diagnostics, sources, dir),
    };
    match format {
        ReportFormat::Human => {
            let _ = std::io::stderr().write_all(report.as_bytes());
        }
        ReportFormat::Json | ReportFormat::Sarif => {
            let _ = std::io::stdout().write_all(report.as_bytes());
            let _ = std::io::stdout().write_all(b"\n");
        }
        ReportFormat::Github => {
            let _ = std::io::stdout().write_all(report.as_bytes());
        }
    }
}

fn drift(args: &DriftArgs) -> ExitCode {
    let mut project = match read_project(&args.dir) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let checked = procflow::check(&project.sources);
    if !checked.is_ok(false) {
        emit_report(args.format, &checked.diagnostics, &project, &args.dir);
        eprintln!("error: the model has errors; fix them (`procflow check`) before comparing it with the tool");
        return ExitCode::from(1);
    }
    let given = export_files(args, &project.root, &checked.settings.tool_exports);
    if given.is_empty() {
        eprintln!("error: no export to compare with");
        eprintln!(
            "help: give --jira, --jira-cloud or --servicenow FILE, or list the files under `tool_exports` in procflow.yaml"
        );
        return ExitCode::from(EXIT_USAGE);
    }
    let given_count = given.len();
    let (exports, mut diagnostics) = match read_exports(&mut project, given) {
        Ok(read) => read,
        Err(code) => return code,
    };
    diagnostics.extend(procflow::drift::drift(&checked.model, &exports, &project.sources));
    diagnostic::sort(&mut diagnostics, &project.sources);
    emit_report(args.format, &diagnostics, &project, &args.dir);
    let compared = checked.model.workflows.iter().filter(|w| checked.model.workflow(**w).tool.is_some()).count();
    let counted = diagnostic::counted;
    eprintln!(
        "drift: {} with {}: {}",
        counted(compared, "mapped workflow", "mapped workflows"),
        counted(given_count, "export", "exports"),
        if diagnostics.is_empty() { "no drift".to_string() } else { counted(diagnostics.len(), "finding", "findings") }
    );
    if diagnostics.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

fn diff(args: &DiffArgs) -> ExitCode {
    let root = procflow::revision::project_root(&args.project);
    let base = match diff_side(&root, Some(args.base.as_deref().unwrap_or("HEAD"))) {
        Ok(side) => side,
        Err(code) => return code,
    };
    let head = match diff_side(&root, args.head.as_deref()) {
        Ok(side) => side,
        Err(code) => return code,
    };
    let diff = procflow::diff::diff(&base.0, &head.0, &base.1, &head.1);
    let report = match args.format {
        DiffFormat::Text => {
            let color =
                args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            procflow::diff::text::render(&diff, color)
        }
        DiffFormat::Markdown => procflow::diff::markdown::render(&diff),
        DiffFormat::Json => procflow::diff::json::render(&diff),
        DiffFormat::Html => procflow::diff::html::render(&diff, &base.0, &head.0),
    };
    let written = write_output(args.output.as_deref(), report.as_bytes());
    if written != ExitCode::SUCCESS {
        return written;
    }
    if diff.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// One side of a diff, checked, with the name reports give it: a folder
/// given as such, the working tree (`None`), or a git revision of the
/// repository `root` is in.
fn diff_side(root: &std::path::Path, side: Option<&str>) -> Result<(procflow::Checked, String), ExitCode> {
    let sources = match side {
        None => read_project(root)?.sources,
        Some(folder) if std::path::Path::new(folder).is_dir() => read_project(folder.as_ref())?.sources,
        Some(revision) => procflow::revision::read(root, revision).map_err(|err| {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_USAGE)
        })?,
    };
    let name = side.map_or("working tree".to_string(), str::to_string);
    Ok((procflow::check(&sources), name))
}

/// The exports `given` (format, path, name shown), each added to the
/// project's sources and read: the exports read, and one unreadable-export
/// error for each of the others.
type ReadExports = (Vec<procflow::drift::Export>, Vec<diagnostic::Diagnostic>);
fn read_exports(
    project: &mut Project,
    given: Vec<(procflow::drift::ExportFormat, PathBuf, PathBuf)>,
) -> Result<ReadExports, ExitCode> {
    let (mut exports, mut unreadable) = (Vec::new(), Vec::new());
    for (format, path, shown) in given {
        let file = add_export(&mut project.sources, &path, shown)?;
        match procflow::drift::read_export(format, &project.sources, file) {
            Ok(export) => exports.push(export),
            Err(error) => unreadable.push(*error),
        }
    }
    Ok((exports, unreadable))
}

/// When the settings name tool exports (`tool_exports`) and the model has no
/// errors, compares it with them: `check` and the site then report drift
/// with the rest. An export that cannot be opened is a usage error.
fn add_tool_exports(project: &mut Project, checked: &mut procflow::Checked) -> Result<(), ExitCode> {
    if !checked.is_ok(false) {
        return Ok(());
    }
    let named = settings_exports(&project.root, &checked.settings.tool_exports);
    if named.is_empty() {
        return Ok(());
    }
    let (exports, unreadable) = read_exports(project, named)?;
    checked.add_drift(&exports, unreadable, &project.sources);
    Ok(())
}

/// Adds the export at `path` to `sources` under the name reports show, or
/// records it as too large unread (at most [`procflow::drift::MAX_EXPORT_BYTES`]
/// are read); a file that cannot be read at all is a usage error.
fn add_export(
    sources: &mut procflow::source::Sources,
    path: &std::path::Path,
    shown: impl Into<PathBuf>,
) -> Result<procflow::source::FileId, ExitCode> {
    match read_at_most(path, procflow::drift::MAX_EXPORT_BYTES) {
        Ok(Some(bytes)) => Ok(sources.add_bytes(shown, bytes)),
        Ok(None) => Ok(sources.add_too_large(shown, std::fs::metadata(path).map_or(0, |m| m.len()))),
        Err(err) => {
            eprintln!("error: {}: {err}", path.display());
            Err(ExitCode::from(EXIT_USAGE))
        }
    }
}

/// The exports to read: those given on the command line, else those the
/// settings name (relative to the project folder), each with its format and
/// the path reports show (relative to the project folder where it is inside).
fn export_files(
    args: &DriftArgs,
    root: &std::path::Path,
    settings: &procflow::model::ToolExports,
) -> Vec<(procflow::drift::ExportFormat, PathBuf, PathBuf)> {
    use procflow::drift::ExportFormat;
    let given = [
        (ExportFormat::JiraXml, &args.jira),
        (ExportFormat::JiraCloud, &args.jira_cloud),
        (ExportFormat::ServiceNow, &args.servicenow),
    ];
    if given.iter().any(|(_, files)| !files.is_empty()) {
        let root = std::fs::canonicalize(root).ok();
        let shown = |path: &PathBuf| {
            let full = std::fs::canonicalize(path).ok();
            match (full, &root) {
                (Some(full), Some(root)) => full.strip_prefix(root).map_or(path.clone(), std::path::Path::to_path_buf),
                _ => path.clone(),
            }
        };
        return given.iter().flat_map(|(f, files)| files.iter().map(|p| (*f, p.clone(), shown(p)))).collect();
    }
    settings_exports(root, settings)
}

/// The exports the settings name, relative to the project folder `root`.
fn settings_exports(
    root: &std::path::Path,
    settings: &procflow::model::ToolExports,
) -> Vec<(procflow::drift::ExportFormat, PathBuf, PathBuf)> {
    use procflow::drift::ExportFormat;
    let named = [
        (ExportFormat::JiraXml, &settings.jira),
        (ExportFormat::JiraCloud, &settings.jira_cloud),
        (ExportFormat::ServiceNow, &settings.servicenow),
    ];
    named.iter().flat_map(|(f, files)| files.iter().map(|p| (*f, root.join(p), PathBuf::from(p)))).collect()
}

fn raci(args: &RaciArgs) -> ExitCode {
    use procflow::raci::{ColumnOrder, Format, Options, Selection};
    let checked = match load_clean(&args.dir, "RACI view") {
        Ok(checked) => checked,
        Err(code) => return code,
    };
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
    let format = match output_format(args.format, args.output.as_deref(), RaciFormat::Md) {
        Ok(format) => format,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let format = match format {
        RaciFormat::Csv => Format::Csv,
        RaciFormat::Md => Format::Markdown,
        RaciFormat::Svg => Format::Svg,
        RaciFormat::Html => Format::Html,
        RaciFormat::Json => Format::Json,
    };
    let text = procflow::raci::render(model, selection, &options, format);
    write_output(args.output.as_deref(), text.as_bytes())
}

/// Reads a project folder; an unreadable one is a usage problem (exit 2).
fn build_watch(args: &BuildArgs) -> ExitCode {
    let log = |text: &str| eprint!("{text}");
    match procflow::watch::build_and_watch(&args.dir, args.output.as_deref(), stderr_color(), args.quiet, &log) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn serve(args: &ServeArgs) -> ExitCode {
    if let Err(code) = read_project(&args.dir) {
        return code;
    }
    let options = procflow::serve::ServeOptions {
        address: std::net::SocketAddr::new(args.bind, args.port),
        color: stderr_color(),
    };
    let ready = |address: std::net::SocketAddr| {
        let url = format!("http://{address}/");
        // The first line on standard output is the address (scripts and
        // tests read it, with --port 0 in particular).
        println!("serving {url}");
        let _ = std::io::stdout().flush();
        eprintln!("watching {} for changes; Ctrl-C stops", args.dir.display());
        if args.open {
            open_browser(&url);
        }
    };
    let log = |text: &str| eprint!("{text}");
    match procflow::serve::run(&args.dir, &options, ready, &log) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            if let procflow::serve::ServeError::Bind { source, .. } = &err
                && source.kind() == std::io::ErrorKind::AddrInUse
            {
                eprintln!("help: another program listens on port {}; `--port 0` picks a free one", args.port);
            }
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Best effort: a missing opener only means the user opens the address.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("could not start a browser; open {url}");
    }
}

fn read_project(dir: &std::path::Path) -> Result<Project, ExitCode> {
    Project::read(dir).map_err(|err| {
        eprintln!("error: {err}");
        ExitCode::from(EXIT_USAGE)
    })
}

/// Prints diagnostics as the human report on standard error.
fn print_diagnostics(diagnostics: &[diagnostic::Diagnostic], sources: &procflow::source::Sources) {
    let report = diagnostic::render_report(diagnostics, sources, stderr_color());
    let _ = std::io::stderr().write_all(report.as_bytes());
}

/// Whether diagnostics on stderr may use colour.
fn stderr_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Loads and checks a project for a command that produces output; on model
/// errors prints the diagnostics and returns the exit status to use.
fn load_clean(dir: &std::path::Path, what: &str) -> Result<procflow::Checked, ExitCode> {
    check_clean(&read_project(dir)?, what)
}

/// [`load_clean`] for a project already read.
fn check_clean(project: &Project, what: &str) -> Result<procflow::Checked, ExitCode> {
    let checked = procflow::check(&project.sources);
    if !checked.is_ok(false) {
        print_diagnostics(&checked.diagnostics, &project.sources);
        eprintln!("error: the model has errors, so no {what} was written");
        return Err(ExitCode::from(1));
    }
    Ok(checked)
}

/// Writes a command's output to FILE, or to standard output.
fn write_output(path: Option<&std::path::Path>, bytes: &[u8]) -> ExitCode {
    match path {
        Some(path) => {
            if let Err(err) = std::fs::write(path, bytes) {
                eprintln!("error: {}: {err}", path.display());
                return ExitCode::from(EXIT_USAGE);
            }
        }
        None => {
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = std::io::stdout().write_all(bytes);
        }
    }
    ExitCode::SUCCESS
}

fn build(args: &BuildArgs) -> ExitCode {
    let started = std::time::Instant::now();
    let mut project = match read_project(&args.dir) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let out = args.output.clone().unwrap_or_else(|| project.output_dir.clone());
    if let Err(err) = procflow::output::check_target(&out, &project.root) {
        eprintln!("error: {err}");
        return ExitCode::from(EXIT_USAGE);
    }
    let (mut checked, left_out) = if args.approved_only {
        procflow::check_approved_only(&project.sources)
    } else {
        (procflow::check(&project.sources), procflow::model::LeftOut::default())
    };
    if !checked.is_ok(false) || (!args.quiet && !checked.diagnostics.is_empty()) {
        print_diagnostics(&checked.diagnostics, &project.sources);
    }
    if args.approved_only && !args.quiet {
        eprintln!(
            "approved only: left out {} and {} not approved",
            diagnostic::counted(left_out.processes, "process", "processes"),
            diagnostic::counted(left_out.workflows, "workflow", "workflows")
        );
    }
    if !checked.is_ok(false) {
        eprintln!("error: the model has errors; the site in {} was left as it was", out.display());
        return ExitCode::from(1);
    }
    // Drift is the tool's disagreement with a sound model: reported, and
    // shown on the site's check report and tool alignment page, never a
    // reason to withhold the site.
    if let Err(code) = add_tool_exports(&mut project, &mut checked) {
        return code;
    }
    // In a git repository the site shows the commits that changed the models.
    match procflow::history::read(&project.root, std::path::Path::new(&checked.settings.models)) {
        Ok(history) => checked.history = history,
        Err(err) if !args.quiet => eprintln!("warning: the site leaves out what changed: {err}"),
        Err(_) => {}
    }
    if !args.quiet {
        let drift: Vec<_> = checked.diagnostics.iter().filter(|d| d.code.is_drift()).cloned().collect();
        print_diagnostics(&drift, &project.sources);
    }
    let spinner = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message("building the site");
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
        bar
    });
    let site = procflow::site::build(&checked, &project.sources);
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    let site = match site {
        Ok(site) => site,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(1);
        }
    };
    if !args.quiet && !site.warnings.is_empty() {
        print_diagnostics(&site.warnings, &project.sources);
    }
    if let Err(err) = procflow::output::write_site(&site, &out, &project.root) {
        eprintln!("error: {err}");
        return ExitCode::from(EXIT_USAGE);
    }
    if !args.quiet {
        eprintln!(
            "built {} and {} into {} in {:.2} s",
            diagnostic::counted(site.pages(), "page", "pages"),
            diagnostic::counted(site.diagrams, "diagram", "diagrams"),
            out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

fn render(args: &RenderArgs) -> ExitCode {
    use procflow::layout::{self, LayoutOptions, metrics};
    // With --landscape or --stats alone, the one positional is the folder.
    let (workflow, dir) = match (&args.workflow, &args.dir) {
        (Some(first), None) if args.landscape || (args.stats && std::path::Path::new(first).is_dir()) => {
            (None, PathBuf::from(first))
        }
        (workflow, dir) => (workflow.clone(), dir.clone().unwrap_or_else(|| PathBuf::from("."))),
    };
    let checked = match load_clean(&dir, "diagram") {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let model = &checked.model;
    let options = LayoutOptions { optimise_lanes: args.optimise_lanes };
    let selected: Vec<_> = match &workflow {
        Some(id) => match model.workflow_by_id(id) {
            Some(w) => vec![w],
            None => {
                let known = model.workflows.iter().map(|w| model.workflow(*w).id.as_str());
                return unknown_id("workflow", id, known);
            }
        },
        None if args.stats => model.workflows.clone(),
        None if args.landscape => Vec::new(),
        None => {
            eprintln!("error: name the workflow to draw (or use --landscape or --stats)");
            let known: Vec<&str> = model.workflows.iter().map(|w| model.workflow(*w).id.as_str()).collect();
            eprintln!("help: the workflow ids are: {}", known.join(", "));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut diagrams: Vec<_> = selected.iter().map(|w| layout::workflow(model, *w, options)).collect();
    if args.landscape {
        diagrams.push(layout::landscape(model));
    }
    if args.stats {
        // Reader defects after the classic figures (bends, and those on the
        // main path): flows sharing a line, gateways whose branches share a
        // vertex, labels nearer another flow (of all labelled flows), false
        // junctions, rails, crowded arrowheads, area over node area.
        let mut out = format!(
            "{:<32} {:>6} {:>6} {:>9} {:>8} {:>6} {:>10} {:>9} {:>11} {:>12} {:>6} {:>6} {:>10} {:>9} {:>5} {:>6} {:>9}\n",
            "diagram",
            "nodes",
            "flows",
            "crossings",
            "overlaps",
            "bends",
            "main-bends",
            "backward",
            "length",
            "area",
            "shared",
            "trunks",
            "misplaced",
            "junctions",
            "rails",
            "heads",
            "area/node"
        );
        for d in &diagrams {
            let m = metrics::measure(d);
            out.push_str(&format!(
                "{:<32} {:>6} {:>6} {:>9} {:>8} {:>6} {:>10} {:>9} {:>11.0} {:>12} {:>6} {:>6} {:>10} {:>9} {:>5} {:>6} {:>9.1}\n",
                d.id,
                m.nodes,
                m.edges,
                m.crossings,
                m.overlaps,
                m.bends,
                m.main_path_bends,
                m.backward_edges,
                m.edge_length,
                format!("{:.0}x{:.0}", m.width, m.height),
                m.shared_lines,
                m.shared_trunks,
                format!("{} of {}", m.misplaced_labels, m.labelled_flows),
                m.false_junctions,
                m.rails,
                m.crowded_arrowheads,
                m.area_ratio
            ));
        }
        return write_output(args.output.as_deref(), out.as_bytes());
    }
    let Some(diagram) = diagrams.first() else { return ExitCode::SUCCESS };
    let format = match output_format(args.format, args.output.as_deref(), DiagramFormat::Svg) {
        Ok(format) => format,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    match format {
        DiagramFormat::Svg if args.text_as_paths => match procflow::render::svg_outlined(diagram) {
            Ok(svg) => write_output(args.output.as_deref(), svg.as_bytes()),
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::from(1)
            }
        },
        DiagramFormat::Svg => write_output(args.output.as_deref(), procflow::render::svg(diagram).as_bytes()),
        DiagramFormat::Png => {
            if args.output.is_none() && std::io::stdout().is_terminal() {
                eprintln!("error: a PNG is not shown on a terminal; use -o FILE or a pipe");
                return ExitCode::from(EXIT_USAGE);
            }
            match procflow::render::png(diagram, args.scale) {
                Ok(png) => write_output(args.output.as_deref(), &png),
                Err(err) => {
                    eprintln!("error: {err}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn export_bpmn(args: &BpmnArgs) -> ExitCode {
    use procflow::layout::{self, LayoutOptions};
    // With --all, the one positional is the folder.
    let (workflow, dir) = match (&args.workflow, &args.dir) {
        (Some(_), Some(_)) if args.all => {
            eprintln!("error: --all exports every workflow; name no workflow with it");
            return ExitCode::from(EXIT_USAGE);
        }
        (Some(first), None) if args.all => (None, PathBuf::from(first)),
        (workflow, dir) => (workflow.clone(), dir.clone().unwrap_or_else(|| PathBuf::from("."))),
    };
    if args.all && args.output.is_none() {
        eprintln!("error: --all writes one file per workflow; name the folder with -o FOLDER");
        return ExitCode::from(EXIT_USAGE);
    }
    let checked = match load_clean(&dir, "BPMN file") {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let model = &checked.model;
    let export = |w| procflow::bpmn::export(model, w, &layout::workflow(model, w, LayoutOptions::default()));
    let known = || model.workflows.iter().map(|w| model.workflow(*w).id.as_str());
    match (workflow, args.output.as_deref()) {
        (None, Some(folder)) if args.all => {
            if let Some(other) = foreign_entry(folder) {
                eprintln!(
                    "error: {} holds `{}`, which is not a BPMN file; --all writes into an empty folder or one of .bpmn files only",
                    folder.display(),
                    other
                );
                eprintln!("help: name a new folder with -o, e.g. -o bpmn");
                return ExitCode::from(EXIT_USAGE);
            }
            if let Err(err) = std::fs::create_dir_all(folder) {
                eprintln!("error: {}: {err}", folder.display());
                return ExitCode::from(EXIT_USAGE);
            }
            for &w in &model.workflows {
                let path = folder.join(format!("{}.bpmn", model.workflow(w).id));
                let code = write_output(Some(&path), export(w).as_bytes());
                if code != ExitCode::SUCCESS {
                    return code;
                }
            }
            let exported = diagnostic::counted(model.workflows.len(), "workflow", "workflows");
            eprintln!("exported {exported} into {}", folder.display());
            ExitCode::SUCCESS
        }
        (Some(id), output) => match model.workflow_by_id(&id) {
            Some(w) => write_output(output, export(w).as_bytes()),
            None => unknown_id("workflow", &id, known()),
        },
        (None, _) => {
            eprintln!("error: name the workflow to export (or use --all -o FOLDER)");
            eprintln!("help: the workflow ids are: {}", known().collect::<Vec<_>>().join(", "));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn export_wiki(args: &WikiArgs) -> ExitCode {
    use procflow::wiki::{Flavor, WikiOptions};
    let started = std::time::Instant::now();
    let project = match read_project(&args.dir) {
        Ok(project) => project,
        Err(code) => return code,
    };
    // A wrong -o is reported before the (long) export, and again before
    // anything is written.
    if let Err(err) = procflow::output::check_target(&args.output, &project.root) {
        eprintln!("error: {err}");
        return ExitCode::from(EXIT_USAGE);
    }
    let checked = match check_clean(&project, "wiki page") {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let flavor = match args.flavor {
        WikiFlavor::Gfm => Flavor::Gfm,
        WikiFlavor::Gitlab => Flavor::Gitlab,
        WikiFlavor::Azure => Flavor::Azure,
        WikiFlavor::Confluence => Flavor::Confluence,
    };
    let wiki = match procflow::wiki::export(&checked, &WikiOptions { flavor, text_as_paths: !args.svg_text }) {
        Ok(wiki) => wiki,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(1);
        }
    };
    let note = "This folder is generated by procflow export wiki and replaced on every export.\n";
    if let Err(err) = procflow::output::write_folder(&wiki.files, &args.output, &project.root, note) {
        eprintln!("error: {err}");
        return ExitCode::from(EXIT_USAGE);
    }
    if !args.quiet {
        eprintln!(
            "exported {} and {} into {} in {:.2} s",
            diagnostic::counted(wiki.pages, "page", "pages"),
            diagnostic::counted(wiki.diagrams, "diagram", "diagrams"),
            args.output.display(),
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

fn export_pdf(args: &PdfArgs) -> ExitCode {
    let started = std::time::Instant::now();
    let checked = match load_clean(&args.dir, "handbook") {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    let pdf = match procflow::pdf::export(&checked, &procflow::model::today()) {
        Ok(pdf) => pdf,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(1);
        }
    };
    if let Err(err) = procflow::output::write_file(&args.output, &pdf.bytes) {
        eprintln!("error: {err}");
        return ExitCode::from(EXIT_USAGE);
    }
    if !args.quiet {
        eprintln!(
            "exported a handbook of {} with {} into {} ({} kB) in {:.2} s",
            diagnostic::counted(pdf.pages, "page", "pages"),
            diagnostic::counted(pdf.diagrams, "diagram", "diagrams"),
            args.output.display(),
            pdf.bytes.len().div_ceil(1024),
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

fn import_bpmn(args: &ImportBpmnArgs) -> ExitCode {
    let limit = procflow::bpmn::MAX_INPUT_BYTES;
    let bytes = match read_at_most(&args.file, limit) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            eprintln!(
                "error: {}: the file has more than {limit} bytes; at most that much is read",
                args.file.display()
            );
            eprintln!("help: split the BPMN file into smaller ones (one per process) and import each");
            return ExitCode::from(1);
        }
        Err(err) => {
            eprintln!("error: {}: {err}", args.file.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let imported = match procflow::bpmn::import(&bytes) {
        Ok(imported) => imported,
        Err(err) => {
            eprintln!("error: {}: {err}", args.file.display());
            return ExitCode::from(1);
        }
    };
    if !imported.warnings.is_empty() {
        eprintln!(
            "warning: {} BPMN element(s) of {} are not modelled by procflow and were left out or simplified:",
            imported.warnings.len(),
            args.file.display()
        );
        for warning in &imported.warnings {
            eprintln!("  - {warning}");
        }
    }
    let Some(dir) = &args.output else {
        return write_output(None, imported.yaml().as_bytes());
    };
    let models = dir.join("models");
    let paths: Vec<PathBuf> = imported.files.iter().map(|f| models.join(&f.name)).collect();
    // `symlink_metadata`: a dangling link exists too (writing to it would
    // create a file wherever it points).
    let existing: Vec<String> =
        paths.iter().filter(|p| p.symlink_metadata().is_ok()).map(|p| p.display().to_string()).collect();
    if !existing.is_empty() && !args.force {
        eprintln!("error: these files exist already: {}", existing.join(", "));
        eprintln!("help: import into another folder, or pass --force to overwrite them");
        return ExitCode::from(EXIT_USAGE);
    }
    if let Err(err) = std::fs::create_dir_all(&models) {
        eprintln!("error: {}: {err}", models.display());
        return ExitCode::from(EXIT_USAGE);
    }
    for (file, path) in imported.files.iter().zip(&paths) {
        if let Err(err) = procflow::output::write_replacing(path, file.text.as_bytes()) {
            eprintln!("error: {}: {err}", path.display());
            return ExitCode::from(EXIT_USAGE);
        }
    }
    eprintln!(
        "imported {} workflow(s) ({}) into {}; check with `procflow check {}`",
        imported.workflows.len(),
        imported.workflows.join(", "),
        models.display(),
        dir.display()
    );
    ExitCode::SUCCESS
}

fn import_jira(args: &ImportJiraArgs) -> ExitCode {
    use procflow::drift::{ExportFormat, read_export};
    let mut sources = procflow::source::Sources::new();
    let file = match add_export(&mut sources, &args.file, &args.file) {
        Ok(file) => file,
        Err(code) => return code,
    };
    let format = if args.cloud { ExportFormat::JiraCloud } else { ExportFormat::JiraXml };
    let export = match read_export(format, &sources, file) {
        Ok(export) => export,
        Err(error) => {
            print_diagnostics(&[*error], &sources);
            return ExitCode::from(1);
        }
    };
    let chosen = match (&args.workflow, export.workflows.as_slice()) {
        (Some(name), workflows) => workflows.iter().find(|w| &w.name == name),
        (None, [only]) => Some(only),
        (None, _) => None,
    };
    let Some(workflow) = chosen else {
        let names: Vec<&str> = export.workflows.iter().map(|w| w.name.as_str()).collect();
        eprintln!("error: choose one workflow with --workflow; the export holds: {}", names.join(", "));
        return ExitCode::from(EXIT_USAGE);
    };
    let imported = procflow::drift::import(workflow);
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    write_output(args.output.as_deref(), imported.yaml.as_bytes())
}

/// Reads at most `limit` bytes of `path` (`None` when it holds more), so that
/// `/dev/zero`, a pipe or a huge file cannot exhaust memory.
fn read_at_most(path: &std::path::Path, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    std::fs::File::open(path)?.take(cap).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
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

/// The format to write: `--format` if given, else the one `-o FILE`'s
/// extension names, else `default`. A `--format` that contradicts the
/// extension is refused (`-o diagram.png --format svg` would write SVG into a
/// `.png`).
fn output_format<F: ValueEnum + Copy>(
    given: Option<F>,
    output: Option<&std::path::Path>,
    default: F,
) -> Result<F, String> {
    let name = |f: F| f.to_possible_value().map_or(String::new(), |v| v.get_name().to_string());
    let ext = output.and_then(|o| o.extension()).and_then(|e| e.to_str());
    let from_ext = ext.and_then(|e| F::from_str(e, true).ok());
    match (given, from_ext) {
        (Some(f), Some(e)) if name(f) != name(e) => Err(format!(
            "-o names a .{} file but --format is {}; drop --format, or use a matching file name",
            ext.unwrap_or_default(),
            name(f)
        )),
        (Some(f), _) => Ok(f),
        (None, Some(e)) => Ok(e),
        (None, None) => Ok(default),
    }
}

/// The first entry of `folder` (sorted) that is not a `.bpmn` file, if any:
/// `export bpmn --all` refuses to mix its files into a folder that holds
/// something else (a project, a site), where they would be hard to tell apart.
fn foreign_entry(folder: &std::path::Path) -> Option<String> {
    let mut names: Vec<(String, bool)> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|e| {
            let bpmn_file = e.file_type().is_ok_and(|t| t.is_file())
                && e.path().extension().is_some_and(|x| x.eq_ignore_ascii_case("bpmn"));
            (e.file_name().to_string_lossy().into_owned(), bpmn_file)
        })
        .collect();
    names.sort();
    names.into_iter().find(|(_, bpmn)| !bpmn).map(|(name, _)| name)
}
