//! The terminal UI: the contact list (sorted, searched, paged from the store), each contact's
//! values with their sources and history, the edit form, and the vCard import. Below `tui`,
//! nothing knows about ratatui or crossterm.

mod action;
mod app;
mod event;
mod keymap;
mod modals;
mod path_completion;
mod runtime;
mod screens;
#[cfg(test)]
mod test_support;
mod widgets;
mod workers;

use std::path::Path;

use anyhow::Context;

/// Runs the UI on the contact database at `db_path` until the user quits. Opens the store
/// itself; workers open their own connections to the same file. The terminal is restored on
/// every exit, panics included. The scanner reads `scan_source`, else the configured camera.
pub fn run(db_path: &Path, scan_source: Option<crate::capture::SourceSpec>) -> anyhow::Result<()> {
    runtime::run(db_path, scan_source)
}

/// Opens the database at `db_path` and draws the UI's first frame into an off-screen buffer
/// of `width` x `height` cells, as `run` would on start-up; returns the screen as text.
/// Benchmarks measure start-up with it, and it gives a terminal-free look at the UI.
pub fn draw_first_frame(db_path: &Path, width: u16, height: u16) -> anyhow::Result<String> {
    let store = crate::store::Store::open(db_path).context("opening the contact store")?;
    let start_dir = std::env::current_dir().context("finding the current directory")?;
    let app =
        app::App::new(store, ratatui::layout::Rect::new(0, 0, width, height), &start_dir, crate::model::Timestamp::now)
            .context("reading the contacts")?;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))?;
    terminal.draw(|frame| app.render(frame))?;
    let buffer = terminal.backend().buffer();
    let lines: Vec<String> = (0..height)
        .map(|row| (0..width).map(|column| buffer[(column, row)].symbol()).collect::<String>().trim_end().to_string())
        .collect();
    Ok(lines.join("\n"))
}

/// An app on an empty in-memory database with the scanner open in a `width` x `height`
/// terminal (its workers are not started: the caller hands it news), and the session id.
fn app_with_scanner(width: u16, height: u16) -> anyhow::Result<(app::App, u64)> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let store = crate::store::Store::open_in_memory()?;
    store.set_setting(crate::store::SETTING_DEMO_OFFERED, "declined")?;
    let start_dir = std::env::temp_dir();
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    let mut app = app::App::new(store, area, &start_dir, || crate::model::Timestamp(0))?;
    app.update(event::Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE)));
    let session_id = app.scanner_session().context("the scanner did not open")?;
    Ok((app, session_id))
}

/// Shows `frames` one after the other in the scanner of a `width` x `height` terminal, as the
/// UI does when the camera delivers them: each frame is shrunk into a preview (the scanner's
/// worker does that), handed to the app and drawn, and the terminal output (escape sequences
/// included) goes to `out`. Benchmarks measure the preview's frame rate with it.
pub fn show_preview_frames(
    frames: &[image::RgbImage],
    width: u16,
    height: u16,
    out: &mut Vec<u8>,
) -> anyhow::Result<()> {
    let (mut app, session_id) = app_with_scanner(width, height)?;
    let backend = ratatui::backend::CrosstermBackend::new(out);
    let viewport = ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, width, height));
    let mut terminal = ratatui::Terminal::with_options(backend, ratatui::TerminalOptions { viewport })?;
    for frame in frames {
        let preview = widgets::camera_preview::PreviewImage::of_frame(frame);
        let news = workers::scanner::ScannerNews::Preview { preview, graphics: None, fps: Some(30.0) };
        app.update(event::Event::Scanner { session_id, news });
        terminal.draw(|screen| app.render(screen))?;
    }
    Ok(())
}

/// Opens the review of `scan` in the scanner of a `width` x `height` terminal, as the UI does
/// when the scan worker reports a code, and draws it; returns the screen as text. With
/// `extract::qr::scan_frame` before it, benchmarks measure a frame's way to the review pane.
pub fn show_scan_review(scan: crate::extract::qr::Scan, width: u16, height: u16) -> anyhow::Result<String> {
    let (mut app, session_id) = app_with_scanner(width, height)?;
    // The scanner's worker shrinks the frame with the code for the frozen picture.
    let frozen = Some(widgets::camera_preview::PreviewImage::of_frame(&scan.frame.image));
    let news = workers::scanner::ScannerNews::Scanned { scan, frozen };
    app.update(event::Event::Scanner { session_id, news });
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))?;
    terminal.draw(|frame| app.render(frame))?;
    Ok(terminal.backend().to_string())
}

/// A captured card's way to the pick pane in a `width` x `height` terminal, as the UI and its
/// workers go it: the capture opens the corners screen, `reader` reads the card (the card
/// reader worker's job), the pick pane opens and is drawn; returns the screen as text.
/// Benchmarks measure a captured frame's way to the review pane with it.
pub fn show_card_review(
    reader: &mut crate::extract::card::CardReader,
    frame: crate::capture::Frame,
    width: u16,
    height: u16,
) -> anyhow::Result<String> {
    let (mut app, session_id) = app_with_scanner(width, height)?;
    let frozen = widgets::camera_preview::PreviewImage::of_frame(&frame.image);
    let effects = app
        .update(event::Event::Scanner { session_id, news: workers::scanner::ScannerNews::Captured { frame, frozen } });
    let Some((request_id, image, corners)) = effects.into_iter().find_map(|effect| match effect {
        event::Effect::ReadCard { request_id, image, corners } => Some((request_id, image, corners)),
        _ => None,
    }) else {
        anyhow::bail!("the capture did not ask for a read");
    };
    let request = workers::card_reader::CardRequest { request_id, image, corners };
    let result = workers::card_reader::read_card(reader, &request);
    app.update(event::Event::CardRead { request_id, result });
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))?;
    terminal.draw(|screen| app.render(screen))?;
    Ok(terminal.backend().to_string())
}
