//! The import result: "12 contacts imported" with what that means (new, updated, without
//! email, skipped), the conflicts, where the user's own values were kept, and a way to take
//! the import back.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::Transition;
use crate::model::{Property, sanitize_line};
use crate::store::{ImportReport, Store};
use crate::tui::action::Action;
use crate::tui::modals::Modal;
use crate::tui::modals::confirm_dialog::{ConfirmDialog, ConfirmIntent};
use crate::tui::modals::message_list::MessageList;
use crate::tui::widgets::status_line::Notice;

pub struct ImportResult {
    label: String,
    report: ImportReport,
    /// One line per conflict, naming the contact.
    conflict_lines: Vec<String>,
    /// The import batches that wrote this: one per file of a CSV import.
    batch_ids: Vec<i64>,
}

impl ImportResult {
    /// Looks up the names of the contacts with conflicts. `batch_ids` are the batches the
    /// import wrote (none for a dry run).
    pub fn new(label: impl Into<String>, report: ImportReport, batch_ids: Vec<i64>, store: &Store) -> Self {
        let conflict_lines: Vec<String> = report
            .conflicts
            .iter()
            .map(|conflict| {
                let name = store
                    .contact(conflict.contact_id)
                    .ok()
                    .flatten()
                    .map_or_else(|| format!("contact {}", conflict.contact_id), |contact| contact.draft.display_name());
                let property = conflict
                    .property
                    .parse::<Property>()
                    .map_or(conflict.property.as_str(), |property| property.label());
                format!("{name} · {property}: kept “{}”, not “{}”", conflict.kept, conflict.offered)
            })
            .collect();
        ImportResult { label: label.into(), report, conflict_lines, batch_ids }
    }

    pub fn batch_ids(&self) -> &[i64] {
        &self.batch_ids
    }

    pub fn update(&mut self, action: Action) -> Option<Transition> {
        match action {
            Action::Submit => Some(Transition::FinishImport),
            Action::ShowConflicts if self.conflict_lines.is_empty() => {
                Some(Transition::Notice(Notice::info("No conflicts: no imported value met one you had set.")))
            }
            Action::ShowConflicts => {
                Some(Transition::ShowModal(Modal::Messages(MessageList::new("Conflicts", self.conflict_lines.clone()))))
            }
            Action::UndoImport if self.batch_ids.is_empty() => {
                Some(Transition::Notice(Notice::info("Nothing was written, so there is nothing to undo.")))
            }
            Action::UndoImport => Some(Transition::ShowModal(Modal::Confirm(ConfirmDialog::new(
                self.undo_question(),
                ConfirmIntent::UndoImport,
            )))),
            _ => None,
        }
    }

    /// "Undo this import? …" with what undoing does to these contacts.
    fn undo_question(&self) -> String {
        let report = &self.report;
        let plural = |n: usize, noun: &str| format!("{n} {noun}{}", if n == 1 { "" } else { "s" });
        let mut parts = vec![format!("the {} it created are deleted", plural(report.n_new, "contact"))];
        if report.n_updated > 0 {
            parts.push(format!("the {} it updated get their earlier values back", plural(report.n_updated, "contact")));
        }
        if report.n_opted_out + report.n_bounced > 0 {
            parts.push("the addresses it put on the do-not-email list come off it".to_string());
        }
        format!("Undo this import? {}. y/n", parts.join("; "))
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let report = &self.report;
        let n_imported = report.n_imported();
        let noun = if n_imported == 1 { "contact" } else { "contacts" };
        let row = |label: &str, count: usize, note: &str| Line::from(format!("   {label:<12}{count:>6}   {note}"));
        let mut lines = vec![
            Line::default(),
            Line::styled(format!(" {n_imported} {noun} imported"), Style::default().add_modifier(Modifier::BOLD)),
            Line::default(),
            row("new", report.n_new, ""),
            row("updated", report.n_updated, "already stored, now with the imported values"),
            row("unchanged", report.n_unchanged, "already stored with these values"),
            row("no email", report.n_no_email, "not deduplicated: importing again adds them again"),
            row("skipped", report.n_skipped, "not selected, or empty"),
            row("conflicts", report.conflicts.len(), "your own values were kept (c shows them)"),
        ];
        if report.n_invalid > 0 {
            lines.push(row("invalid", report.n_invalid, "rows that are not contacts: not imported"));
        }
        if report.n_opted_out > 0 || report.n_bounced > 0 {
            lines.push(row("opted out", report.n_opted_out, "on the do-not-email list, for good"));
            lines.push(row("bounced", report.n_bounced, "on the do-not-email list: the address does not work"));
        }
        if !self.batch_ids.is_empty() {
            lines.push(Line::from("   u takes this import back."));
        }
        if let Some(list) = &report.list {
            lines.push(Line::from(format!("   Added to the list “{}”.", sanitize_line(list))));
        }
        lines.push(Line::default());
        lines.push(Line::from(" Enter returns to the contact list.").italic());
        let title = format!(" Import finished: {} ", sanitize_line(&self.label));
        frame.render_widget(Paragraph::new(lines).block(Block::bordered().title(Line::from(title).bold())), area);
    }
}
