//! The first step of an import (vCard, CSV, spreadsheets, Mailchimp zips): choosing files, either by typing paths (several,
//! separated by spaces; Tab completes) or with the file browser. Both add to one list of
//! chosen files.

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Transition;
use super::file_browser::FileBrowser;
use crate::model::sanitize_line;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::path_completion::{complete, resolve, split_paths};
use crate::tui::widgets::status_line::Notice;
use crate::tui::widgets::text_field::TextField;

pub struct FilePrompt {
    /// Where relative paths start: the directory rolo was started in.
    base_dir: PathBuf,
    input: TextField,
    /// The names an ambiguous Tab matched.
    completions: Vec<String>,
    chosen: Vec<PathBuf>,
    /// Set while browsing; kept when switching back so the directory is remembered.
    browser: Option<FileBrowser>,
    is_browsing: bool,
    viewport: Rect,
}

impl FilePrompt {
    pub fn new(base_dir: &Path) -> Self {
        FilePrompt {
            base_dir: base_dir.to_path_buf(),
            input: TextField::default(),
            completions: Vec::new(),
            chosen: Vec::new(),
            browser: None,
            is_browsing: false,
            viewport: Rect::default(),
        }
    }

    pub fn key_context(&self) -> KeyContext {
        if self.is_browsing { KeyContext::FileBrowser } else { KeyContext::FilePrompt }
    }

    pub fn set_viewport(&mut self, viewport: Rect) {
        self.viewport = viewport;
    }

    pub fn update(&mut self, action: Action) -> Option<Transition> {
        if self.is_browsing { self.update_browsing(action) } else { self.update_typing(action) }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        match (&self.browser, self.is_browsing) {
            (Some(browser), true) => {
                let [listing, chosen_line] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
                browser.render(frame, listing, &self.chosen);
                let names: Vec<String> = self.chosen.iter().map(|path| self.display_path(path)).collect();
                let text = match names.len() {
                    0 => " No file chosen yet: Space or Enter chooses one.".to_string(),
                    n_chosen => format!(" {n_chosen} chosen: {}", names.join(", ")),
                };
                frame.render_widget(Paragraph::new(sanitize_line(&text)).italic(), chosen_line);
            }
            _ => self.render_typing(frame, area),
        }
    }

    fn update_typing(&mut self, action: Action) -> Option<Transition> {
        match action {
            Action::EditText(edit) => {
                self.input.apply(edit);
                self.completions.clear();
            }
            Action::CompletePath => {
                let completion = complete(self.input.text(), &self.base_dir);
                self.input.set_text(completion.text);
                self.completions = completion.candidates;
            }
            Action::AddTypedPaths => match self.typed_files() {
                Ok(paths) if paths.is_empty() => return Some(notice_error("Type a path first (Tab completes).")),
                Ok(paths) => {
                    self.add_chosen(paths);
                    self.input.set_text("");
                    self.completions.clear();
                }
                Err(message) => return Some(notice_error(message)),
            },
            Action::Submit => {
                let typed = match self.typed_files() {
                    Ok(typed) => typed,
                    Err(message) => return Some(notice_error(message)),
                };
                self.add_chosen(typed);
                if self.chosen.is_empty() {
                    return Some(notice_error(
                        "Type the path of a .vcf, .csv, .xlsx or .zip file (Tab completes), or browse with Ctrl-B.",
                    ));
                }
                self.input.set_text("");
                return Some(Transition::ReadFiles(self.chosen.clone()));
            }
            Action::SwitchFileMode => {
                if self.browser.is_none() {
                    self.browser = Some(FileBrowser::open(&self.browse_start()));
                }
                self.is_browsing = true;
            }
            Action::Back => return Some(Transition::Back),
            _ => (),
        }
        None
    }

    fn update_browsing(&mut self, action: Action) -> Option<Transition> {
        let page = usize::from(self.viewport.height.saturating_sub(3).max(1));
        let browser = self.browser.as_mut()?;
        match action {
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Home | Action::End => {
                browser.move_cursor(action, page);
            }
            Action::Submit => {
                let entry = browser.selected()?.clone();
                if entry.is_dir {
                    *browser = FileBrowser::open(&entry.path);
                } else {
                    self.toggle_chosen(entry.path);
                }
            }
            Action::ToggleSelected => {
                let entry = browser.selected()?.clone();
                if !entry.is_dir {
                    self.toggle_chosen(entry.path);
                }
            }
            Action::ParentDirectory => {
                if let Some(parent) = browser.parent() {
                    *browser = parent;
                }
            }
            Action::ReadChosenFiles if self.chosen.is_empty() => {
                return Some(notice_error("Choose files first: Space or Enter on a file."));
            }
            Action::ReadChosenFiles => return Some(Transition::ReadFiles(self.chosen.clone())),
            Action::SwitchFileMode => self.is_browsing = false,
            Action::Back => return Some(Transition::Back),
            _ => (),
        }
        None
    }

    fn render_typing(&self, frame: &mut Frame, area: Rect) {
        let block = Block::bordered().title(Line::from(" Import contacts: vCard, CSV, Excel, Mailchimp zip ").bold());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [input_line, help_line, _, completions_area, chosen_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(if self.completions.is_empty() { 0 } else { 4 }),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let label = " Files: ";
        let [label_area, field_area] =
            Layout::horizontal([Constraint::Length(label.len() as u16), Constraint::Fill(1)]).areas(input_line);
        frame.render_widget(Span::styled(label, Style::default().add_modifier(Modifier::BOLD)), label_area);
        self.input.render(frame, field_area, Style::default().add_modifier(Modifier::UNDERLINED), true);
        let help = " Paths are separated by spaces. Tab completes · Ctrl-A adds · Ctrl-B browses";
        frame.render_widget(Paragraph::new(help).italic(), help_line);

        if !self.completions.is_empty() {
            let names = self.completions.iter().map(|name| sanitize_line(name)).collect::<Vec<_>>().join("  ");
            let completions = Paragraph::new(format!(" {names}")).wrap(Wrap { trim: false });
            frame.render_widget(completions, completions_area);
        }

        let mut lines = vec![Line::styled(format!(" Chosen files ({})", self.chosen.len()), Style::default().bold())];
        if self.chosen.is_empty() {
            lines.push(Line::from("   none yet: Enter reads the typed paths").italic());
        }
        lines.extend(
            self.chosen.iter().map(|path| Line::from(format!("   {}", sanitize_line(&self.display_path(path))))),
        );
        frame.render_widget(Paragraph::new(lines), chosen_area);
    }

    /// The typed paths as files; a missing file or a directory is an error naming it.
    fn typed_files(&self) -> Result<Vec<PathBuf>, String> {
        let mut files = Vec::new();
        for typed in split_paths(self.input.text()) {
            let path = resolve(&typed, &self.base_dir);
            if path.is_dir() {
                return Err(format!("{typed} is a directory: type a file in it (Tab completes), or browse (Ctrl-B)."));
            }
            if !path.is_file() {
                return Err(format!("No such file: {typed}"));
            }
            files.push(path);
        }
        Ok(files)
    }

    fn add_chosen(&mut self, paths: Vec<PathBuf>) {
        for path in paths {
            if !self.chosen.contains(&path) {
                self.chosen.push(path);
            }
        }
    }

    fn toggle_chosen(&mut self, path: PathBuf) {
        match self.chosen.iter().position(|chosen| *chosen == path) {
            Some(index) => {
                self.chosen.remove(index);
            }
            None => self.chosen.push(path),
        }
    }

    /// The browser starts in the directory of the last typed path, else in the base directory.
    fn browse_start(&self) -> PathBuf {
        split_paths(self.input.text())
            .last()
            .map(|typed| resolve(typed, &self.base_dir))
            .map(|path| if path.is_dir() { path } else { path.parent().map(Path::to_path_buf).unwrap_or(path) })
            .filter(|path| path.is_dir())
            .unwrap_or_else(|| self.base_dir.clone())
    }

    /// Paths under the base directory are shown relative to it.
    fn display_path(&self, path: &Path) -> String {
        path.strip_prefix(&self.base_dir).unwrap_or(path).display().to_string()
    }
}

fn notice_error(message: impl Into<String>) -> Transition {
    Transition::Notice(Notice::error(message))
}

#[cfg(test)]
mod tests;
