//! The terminal and the loop: raw mode, the alternate screen and mouse capture on the way
//! in, restored on every way out (panics included); an input thread and the workers feed one
//! event channel that the loop drains before each draw.

use std::io::IsTerminal;
use std::io::{self, Write};
use std::iter;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, ThreadId};
use std::time::Duration;

use anyhow::Context;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use crossterm::event::{self as terminal_event, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;

use super::app::App;
use super::event::{Effect, Event};
use super::widgets::camera_preview::PreviewMode;
use super::workers::Workers;
use crate::capture::SourceSpec;
use crate::model::Timestamp;
use crate::store::Store;

/// How often the spinner turns while a worker runs.
const TICK: Duration = Duration::from_millis(100);
/// How long the input thread waits for a key before checking whether to stop.
const INPUT_POLL: Duration = Duration::from_millis(100);

type RoloTerminal = Terminal<CrosstermBackend<io::Stdout>>;
type PanicHook = dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync + 'static;

/// Restores the terminal when dropped, so every return and unwinding path restores it.
struct TerminalSession {
    terminal: RoloTerminal,
}

/// Runs the UI on the database at `db_path` until the user quits.
pub fn run(db_path: &Path, scan_source: Option<SourceSpec>) -> anyhow::Result<()> {
    // Open the store before touching the terminal, so that errors print normally.
    let store = Store::open(db_path).context("opening the contact store")?;
    let scan_source = match scan_source {
        Some(source) => source,
        None => SourceSpec::Camera { index: store.camera_index()?, resolution: None },
    };
    let start_dir = std::env::current_dir().context("finding the current directory")?;
    let mut session = TerminalSession::start()?;
    let previous_hook = install_panic_hook(thread::current().id());
    let result = run_in_terminal(&mut session.terminal, store, db_path, &start_dir, scan_source);
    drop(session);
    let _ = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| previous_hook(info)));
    result
}

/// The app, its input thread and its workers, for as long as the terminal is ours.
fn run_in_terminal(
    terminal: &mut RoloTerminal,
    store: Store,
    db_path: &Path,
    start_dir: &Path,
    scan_source: SourceSpec,
) -> anyhow::Result<()> {
    let size = terminal.size().context("reading the terminal size")?;
    let mut app = App::new(store, Rect::new(0, 0, size.width, size.height), start_dir, Timestamp::now)
        .context("reading the contacts")?;
    app.set_scan_source(scan_source);
    // Asking the terminal what it can show must come before the input thread reads it.
    app.set_preview_mode(PreviewMode::detect());
    let (sender, receiver) = crossbeam_channel::unbounded();
    let is_input_running = Arc::new(AtomicBool::new(true));
    let input_thread = spawn_input_reader(sender.clone(), Arc::clone(&is_input_running));
    let workers = Workers::new(db_path, sender);
    let result = run_loop(terminal, &mut app, &receiver, &workers);
    is_input_running.store(false, Ordering::Relaxed);
    let _ = input_thread.join();
    result
}

fn run_loop(
    terminal: &mut RoloTerminal,
    app: &mut App,
    events: &Receiver<Event>,
    workers: &Workers,
) -> anyhow::Result<()> {
    while !app.should_quit() {
        if app.take_needs_redraw() {
            terminal.draw(|frame| app.render(frame)).context("drawing the screen")?;
        }
        let first = if app.is_busy() {
            match events.recv_timeout(TICK) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => Event::Tick,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match events.recv() {
                Ok(event) => event,
                Err(_) => break,
            }
        };
        // Apply everything already queued, then draw once.
        for event in iter::once(first).chain(events.try_iter()) {
            let effects = app.update(event);
            if effects.iter().any(|effect| matches!(effect, Effect::Bell)) {
                // A code was found. Written here, between draws, so it never splits an escape.
                let backend = terminal.backend_mut();
                let _ = backend.write_all(b"\x07").and_then(|()| backend.flush());
            }
            workers.start_all(effects);
            if app.should_quit() {
                break;
            }
        }
    }
    Ok(())
}

/// Forwards keys, mouse and resizes until `is_running` clears or the channel closes.
fn spawn_input_reader(events: Sender<Event>, is_running: Arc<AtomicBool>) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        while is_running.load(Ordering::Relaxed) {
            match terminal_event::poll(INPUT_POLL) {
                Ok(false) => continue,
                Ok(true) => (),
                Err(_) => return,
            }
            let event = match terminal_event::read() {
                Ok(terminal_event::Event::Key(key)) => Event::Key(key),
                Ok(terminal_event::Event::Mouse(mouse)) => Event::Mouse(mouse),
                Ok(terminal_event::Event::Resize(width, height)) => Event::Resize { width, height },
                Ok(_) => continue,
                Err(_) => return,
            };
            if events.send(event).is_err() {
                return;
            }
        }
    })
}

impl TerminalSession {
    fn start() -> anyhow::Result<TerminalSession> {
        enable_raw_mode().context("switching the terminal to raw mode")?;
        let mut stdout = io::stdout();
        if let Err(error) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture) {
            restore_terminal();
            return Err(error).context("switching to the alternate screen");
        }
        match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(terminal) => Ok(TerminalSession { terminal }),
            Err(error) => {
                restore_terminal();
                Err(error).context("setting up the terminal")
            }
        }
    }
}

impl Drop for TerminalSession {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Leaves the alternate screen, stops mouse capture and raw mode, shows the cursor. Safe to
/// call more than once.
fn restore_terminal() {
    let mut stdout = io::stdout();
    let _ = execute!(stdout, DisableMouseCapture, LeaveAlternateScreen, crossterm::cursor::Show);
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// A panic on the UI thread restores the terminal before the message is printed, so the
/// message is readable and the shell usable. Panics in workers are reported by the worker
/// (`workers::spawn_reporting`) and must not tear down the screen the UI is still drawing.
/// Returns the previous hook, which `run` puts back when the UI is gone.
fn install_panic_hook(ui_thread: ThreadId) -> Arc<PanicHook> {
    let previous_hook: Arc<PanicHook> = Arc::from(std::panic::take_hook());
    let hook_for_ui = Arc::clone(&previous_hook);
    std::panic::set_hook(Box::new(move |info| {
        if thread::current().id() == ui_thread {
            restore_terminal();
            hook_for_ui(info);
            // stderr may go to the log file: say it on the terminal too.
            if !std::io::stderr().is_terminal()
                && let Ok(mut tty) = std::fs::OpenOptions::new().write(true).open("/dev/tty")
            {
                let _ = writeln!(tty, "rolo stopped on an internal error: {info}\r");
            }
        }
    }));
    previous_hook
}
