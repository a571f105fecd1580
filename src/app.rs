//! The application: parses the command line, dispatches the command and maps
//! its error to an exit code (0 success, 1 runtime failure, 2 invalid input).

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::commands;
use crate::error::AppError;
use crate::stdout::Printer;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = parse_command_line();
    crate::color::init(cli.color);
    crate::interrupt::install();
    match dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", crate::color::error_text(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}

/// Parses the command line; `--version` also lists the dates of the built-in
/// prices (read only when asked: decompressing the tables takes a moment).
fn parse_command_line() -> Cli {
    let mut command = Cli::command();
    if std::env::args_os().any(|a| a == "--version") {
        command = command.long_version(commands::catalog::version_text(env!("CARGO_PKG_VERSION")));
    }
    Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit())
}

/// Runs the command; a failure to print on stdout only counts once the
/// command's own work (and its error, which comes first) is done.
fn dispatch(command: Command) -> Result<(), AppError> {
    let mut out = Printer::stdout();
    match command {
        Command::Run(args) => commands::run(&args, &mut out),
        Command::Validate { scenarios, catalog, quiet } => commands::validate(&scenarios, &catalog, quiet, &mut out),
        Command::Init { path, quiet } => commands::init(&path, out.quiet(quiet)),
        Command::Chart { dir, quiet } => commands::rechart(&dir, out.quiet(quiet)),
        Command::Report { dir, quiet } => commands::report(&dir, out.quiet(quiet)),
        Command::Compare { dir_a, dir_b, format } => commands::compare(&dir_a, &dir_b, format, &mut out),
        Command::Import(args) => commands::import::command(&args, out.quiet(args.quiet)),
        Command::Catalog(args) => crate::commands::catalog::command(&args, &mut out),
        Command::Sweep(args) => crate::sweep::sweep(&args, &mut out),
        Command::Merge(args) => crate::sweep::merge(&args, &mut out),
        Command::Completions { shell } => commands::completions(shell, &mut out),
        Command::Man => commands::man(&mut out),
        Command::Schema => commands::schema(&mut out),
    }?;
    out.finish().map_err(|e| AppError::Runtime(format!("cannot write to stdout: {e}")))
}
