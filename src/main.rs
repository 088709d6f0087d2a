//! The `rolo` binary: parse the arguments, open the store, run the TUI or a subcommand.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use rolo::cli::{self, Cli};
use rolo::store::Store;

/// mimalloc instead of the system allocator: imports allocate and free many small strings
/// across two threads, where glibc's allocator spent an eighth of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let arguments = Cli::parse();
    let is_tui = arguments.command.is_none();
    if is_tui {
        // Mistakes on the command line are reported here, before stderr goes to the log.
        if let Err(error) = arguments.database_path().and_then(|_| arguments.scan_source()) {
            return report(&error, false);
        }
    }
    // The TUI's stderr goes to a log file: OCR libraries write notes there.
    let log = if is_tui { arguments.log_path() } else { None };
    rolo::extract::ocr::restart_for_tesseract(log.as_deref());
    match run(arguments) {
        Ok(exit_code) => exit_code,
        // Whoever read our output stopped reading (`rolo list | head`); that is not a failure.
        Err(error) if cli::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => report(&error, is_tui),
    }
}

/// Prints the error on stderr; for the TUI, whose stderr may be the log file, on the
/// terminal as well.
fn report(error: &anyhow::Error, is_tui: bool) -> ExitCode {
    use std::io::IsTerminal;
    let message = format!("rolo: {}", cli::error_message(error));
    eprintln!("{message}");
    if is_tui
        && !io::stderr().is_terminal()
        && let Ok(mut terminal) = std::fs::OpenOptions::new().write(true).open("/dev/tty")
    {
        let _ = writeln!(terminal, "{message}");
    }
    ExitCode::FAILURE
}

fn run(arguments: Cli) -> anyhow::Result<ExitCode> {
    let database_path = arguments.database_path()?;
    let Some(command) = arguments.command else {
        let scan_source = arguments.scan_source()?;
        rolo::tui::run(&database_path, scan_source)?;
        return Ok(ExitCode::SUCCESS);
    };
    // The store's errors name the database file and say what is wrong with it.
    let mut store = Store::open(&database_path)?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let exit_code = command.run(&mut store, &mut out)?;
    out.flush()?;
    Ok(exit_code)
}
