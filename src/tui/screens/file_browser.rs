//! The file browser of the import: directories and vCard files of one directory. Enter opens
//! a directory or chooses a file, Backspace goes up. The chosen files belong to `FilePrompt`.

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::Block;

use crate::model::sanitize_line;
use crate::tui::action::Action;
use crate::tui::widgets::checklist::{Checklist, ChecklistRow, first_visible_row};

/// One directory's listing and the cursor in it.
pub struct FileBrowser {
    directory: PathBuf,
    entries: Vec<BrowserEntry>,
    cursor: usize,
    /// Why the directory could not be listed.
    error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserEntry {
    /// As shown: directories end with `/`; the parent is `../`.
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
}

impl FileBrowser {
    /// Lists `directory`: its parent, its visible subdirectories, then its .vcf and .vcard files.
    pub fn open(directory: &Path) -> FileBrowser {
        let mut entries = Vec::new();
        if let Some(parent) = directory.parent() {
            entries.push(BrowserEntry { name: "../".into(), path: parent.to_path_buf(), is_dir: true });
        }
        let (mut directories, mut files, mut error) = (Vec::new(), Vec::new(), None);
        match std::fs::read_dir(directory) {
            Ok(listing) => {
                for entry in listing.filter_map(Result::ok) {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    let path = entry.path();
                    if name.starts_with('.') {
                        continue;
                    }
                    if path.is_dir() {
                        directories.push(BrowserEntry { name: format!("{name}/"), path, is_dir: true });
                    } else if is_vcard_file(&path) {
                        files.push(BrowserEntry { name, path, is_dir: false });
                    }
                }
            }
            Err(read_error) => error = Some(format!("cannot list {}: {read_error}", directory.display())),
        }
        directories.sort_by_key(|entry| entry.name.to_lowercase());
        files.sort_by_key(|entry| entry.name.to_lowercase());
        entries.extend(directories);
        entries.extend(files);
        FileBrowser { directory: directory.to_path_buf(), entries, cursor: 0, error }
    }

    pub fn selected(&self) -> Option<&BrowserEntry> {
        self.entries.get(self.cursor)
    }

    /// Moves the cursor for a movement action; `page` is the number of visible rows.
    pub fn move_cursor(&mut self, action: Action, page: usize) {
        let last = self.entries.len().saturating_sub(1);
        self.cursor = match action {
            Action::Up => self.cursor.saturating_sub(1),
            Action::Down => (self.cursor + 1).min(last),
            Action::PageUp => self.cursor.saturating_sub(page),
            Action::PageDown => (self.cursor + page).min(last),
            Action::Home => 0,
            Action::End => last,
            _ => self.cursor,
        };
    }

    /// The listing of the parent directory, with the cursor on the directory we came from.
    pub fn parent(&self) -> Option<FileBrowser> {
        let parent = self.directory.parent()?;
        let mut browser = FileBrowser::open(parent);
        if let Some(index) = browser.entries.iter().position(|entry| entry.path == self.directory) {
            browser.cursor = index;
        }
        Some(browser)
    }

    /// Draws the listing; `chosen` files get a ticked box.
    pub fn render(&self, frame: &mut Frame, area: Rect, chosen: &[PathBuf]) {
        let title = format!(" Import files: {} ", sanitize_line(&self.directory.display().to_string()));
        let mut block = Block::bordered().title(Line::from(title).bold());
        if let Some(error) = &self.error {
            block = block.title_bottom(Line::from(format!(" {} ", sanitize_line(error))).red());
        }
        let height = usize::from(block.inner(area).height);
        let first = first_visible_row(self.cursor, height);
        let rows = self
            .entries
            .iter()
            .skip(first)
            .take(height)
            .map(|entry| ChecklistRow {
                checkbox: (!entry.is_dir).then(|| chosen.contains(&entry.path)),
                cells: vec![entry.name.clone()],
            })
            .collect();
        let checklist = Checklist {
            block,
            header: None,
            widths: vec![Constraint::Fill(1)],
            rows,
            selected: (!self.entries.is_empty()).then(|| self.cursor - first),
        };
        frame.render_widget(checklist, area);
    }
}

/// `.vcf` and `.vcard` files, any case.
fn is_vcard_file(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| extension.eq_ignore_ascii_case("vcf") || extension.eq_ignore_ascii_case("vcard"))
}
