//! The import picker: one checkbox per card of the chosen address books, with markers for
//! cards that will update a stored contact and cards without email (never deduplicated).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::Transition;
use crate::model::{ContactDraft, Property, sanitize_line};
use crate::tui::action::Action;
use crate::tui::modals::Modal;
use crate::tui::modals::confirm_dialog::ConfirmDialog;
use crate::tui::modals::message_list::MessageList;
use crate::tui::widgets::checklist::{Checklist, ChecklistRow, first_visible_row};
use crate::tui::widgets::status_line::Notice;
use crate::tui::workers::{ParsedBook, ParsedCard};

/// From this inner width on, markers are spelled out in their column.
const WIDE_PICKER_WIDTH: u16 = 118;
const MARKER_UPDATE: &str = "already exists: will update";
const MARKER_NO_EMAIL: &str = "no email: won't be deduplicated";

pub struct ImportPicker {
    book: ParsedBook,
    chosen: Vec<bool>,
    cursor: usize,
    viewport: Rect,
}

impl ImportPicker {
    /// Every card starts selected.
    pub fn new(book: ParsedBook) -> Self {
        let chosen = vec![true; book.cards.len()];
        ImportPicker { book, chosen, cursor: 0, viewport: Rect::default() }
    }

    /// The file names.
    pub fn label(&self) -> &str {
        &self.book.label
    }

    pub fn n_chosen(&self) -> usize {
        self.chosen.iter().filter(|&&chosen| chosen).count()
    }

    pub fn n_skipped(&self) -> usize {
        self.chosen.len() - self.n_chosen()
    }

    pub fn chosen_drafts(&self) -> Vec<ContactDraft> {
        self.book
            .cards
            .iter()
            .zip(&self.chosen)
            .filter(|(_, chosen)| **chosen)
            .map(|(card, _)| card.draft.clone())
            .collect()
    }

    pub fn set_viewport(&mut self, viewport: Rect) {
        self.viewport = viewport;
    }

    pub fn update(&mut self, action: Action) -> Option<Transition> {
        let page = usize::from(self.viewport.height.saturating_sub(4).max(1));
        let last = self.chosen.len().saturating_sub(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(page),
            Action::PageDown => self.cursor = (self.cursor + page).min(last),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = last,
            Action::ToggleSelected => {
                if let Some(chosen) = self.chosen.get_mut(self.cursor) {
                    *chosen = !*chosen;
                }
            }
            // Select all, or clear all when everything is already selected.
            Action::SelectAll => {
                let is_all_chosen = self.chosen.iter().all(|&chosen| chosen);
                self.chosen.fill(!is_all_chosen);
            }
            Action::Submit if self.n_chosen() == 0 => {
                return Some(Transition::Notice(Notice::error(
                    "Nothing selected: Space selects a contact, a selects all.",
                )));
            }
            Action::Submit => {
                return Some(Transition::ShowModal(Modal::Confirm(ConfirmDialog::import(self.n_chosen()))));
            }
            Action::ShowWarnings if self.book.warnings.is_empty() => {
                return Some(Transition::Notice(Notice::info("No warnings: every card was read as written.")));
            }
            Action::ShowWarnings => {
                let title = format!("Warnings: {}", self.book.label);
                return Some(Transition::ShowModal(Modal::Messages(MessageList::new(
                    title,
                    self.book.warnings.clone(),
                ))));
            }
            Action::Back => return Some(Transition::Back),
            _ => (),
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let [list_area, legend_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        let title =
            format!(" Import {} of {}: {} ", self.n_chosen(), self.chosen.len(), sanitize_line(&self.book.label));
        let warnings = match self.book.warnings.len() {
            0 => " no warnings ".to_string(),
            1 => " 1 warning (w) ".to_string(),
            n_warnings => format!(" {n_warnings} warnings (w) "),
        };
        let block = Block::bordered().title(Line::from(title).bold()).title(Line::from(warnings).right_aligned());
        let is_wide = area.width >= WIDE_PICKER_WIDTH + 2;
        let height = usize::from(block.inner(list_area).height.saturating_sub(1));
        let first = first_visible_row(self.cursor, height);
        let rows = self
            .book
            .cards
            .iter()
            .zip(&self.chosen)
            .skip(first)
            .take(height)
            .map(|(card, &chosen)| ChecklistRow { checkbox: Some(chosen), cells: card_cells(card, is_wide) })
            .collect();
        let status_width = Constraint::Length(if is_wide { MARKER_NO_EMAIL.len() as u16 } else { 8 });
        let checklist = Checklist {
            block,
            header: Some(vec!["Name", "Email", "Phone", "Company", "Status"]),
            widths: vec![
                Constraint::Fill(4),
                Constraint::Fill(4),
                Constraint::Length(16),
                Constraint::Fill(3),
                status_width,
            ],
            rows,
            selected: (!self.chosen.is_empty()).then(|| self.cursor - first),
        };
        frame.render_widget(checklist, list_area);
        frame.render_widget(Paragraph::new(self.legend()).italic(), legend_area);
    }

    /// What the markers mean, with counts: "2 × already exists: will update · 1 × no email: …".
    fn legend(&self) -> String {
        let n_existing = self.book.cards.iter().filter(|card| card.existing.is_some()).count();
        let n_without_email = self
            .book
            .cards
            .iter()
            .filter(|card| card.existing.is_none() && card.draft.get(Property::Email).is_none())
            .count();
        let mut parts = Vec::new();
        if n_existing > 0 {
            parts.push(format!("{n_existing} × {MARKER_UPDATE}"));
        }
        if n_without_email > 0 {
            parts.push(format!("{n_without_email} × {MARKER_NO_EMAIL}"));
        }
        if parts.is_empty() {
            parts.push("All of them are new contacts.".to_string());
        }
        format!(" {}", parts.join(" · "))
    }
}

fn card_cells(card: &ParsedCard, is_wide: bool) -> Vec<String> {
    let draft = &card.draft;
    let phone = draft
        .get(Property::Phone)
        .or(draft.get(Property::MobilePhone))
        .or(draft.additional_phones.first().map(|phone| phone.value.as_str()))
        .unwrap_or_default();
    let status = match (card.existing.is_some(), draft.get(Property::Email).is_none(), is_wide) {
        (true, _, true) => MARKER_UPDATE,
        (true, _, false) => "update",
        (false, true, true) => MARKER_NO_EMAIL,
        (false, true, false) => "no email",
        (false, false, _) => "new",
    };
    vec![
        draft.display_name(),
        draft.get(Property::Email).unwrap_or_default().to_string(),
        phone.to_string(),
        draft.get(Property::Company).unwrap_or_default().to_string(),
        status.to_string(),
    ]
}

#[cfg(test)]
mod tests;
