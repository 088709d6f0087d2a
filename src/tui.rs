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

/// Runs the UI on the contact database at `db_path` until the user quits. Opens the store
/// itself; workers open their own connections to the same file. The terminal is restored on
/// every exit, panics included.
pub fn run(db_path: &Path) -> anyhow::Result<()> {
    runtime::run(db_path)
}
