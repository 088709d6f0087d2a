//! The edit form, for a new contact or an existing one: one field per editable standard
//! property, the lifecycle stage as a choice, additional emails and phones as text, custom
//! properties, and the system properties read-only. Saving writes with `Source::User`.
//!
//! The same form reviews a scan: prefilled with what the scanner read, it says whether the
//! contact exists and what saving would change, shows the code's raw text, and saves with
//! the scanner as the source of the values the user left as they were.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::contact_detail::phones_text;
use super::{Transition, store_failure};
use crate::model::{
    Contact, ContactDraft, ContactId, LifecycleStage, PhoneEntry, Property, STANDARD_PROPERTIES, Source, Timestamp,
    sanitize_line,
};
use crate::store::{self, OutcomeKind, Store, WriteOptions};
use crate::tui::action::{Action, TextEdit};
use crate::tui::modals::Modal;
use crate::tui::modals::confirm_dialog::{ConfirmDialog, ConfirmIntent};
use crate::tui::widgets::checklist::first_visible_row;
use crate::tui::widgets::fit::{fit, fit_padded};
use crate::tui::widgets::status_line::Notice;
use crate::tui::widgets::text_field::TextField;

const LABEL_WIDTH: usize = 28;

/// The form: its fields, which one has the focus (`fields.len()` is the Save button), and
/// the values it started from.
pub struct ContactForm {
    contact_id: Option<ContactId>,
    original: ContactDraft,
    fields: Vec<FormField>,
    focus: usize,
    viewport: Rect,
    /// Set when the form reviews a scan.
    review: Option<Review>,
}

/// A scanned contact under review.
#[derive(Debug, Clone)]
pub struct Review {
    /// What was scanned, e.g. "QR code with a contact card".
    pub what: String,
    /// The scanner: the source of the values, and original source drill-down 2.
    pub source: Source,
    /// The stored contact with the scanned email, and what saving would do to it.
    pub existing: Option<ExistingMatch>,
    /// The code's text, line by line (sanitized), when it is not a contact card.
    pub raw_lines: Vec<String>,
    /// The straightened picture of a business card, kept with the contact on save.
    pub card_image: Option<crate::store::CardImage>,
}

/// The contact a scan would update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingMatch {
    pub contact_id: ContactId,
    pub name: String,
    /// Properties the scan fills (empty now).
    pub fills: Vec<String>,
    /// Properties it changes: label, stored value, scanned value.
    pub changes: Vec<(String, String, String)>,
    /// Properties whose stored value the user set: kept.
    pub keeps: Vec<String>,
}

struct FormField {
    kind: FieldKind,
    label: String,
    input: TextField,
}

enum FieldKind {
    Standard(Property),
    /// Maintained by rolo; shown, never edited.
    ReadOnly(Property),
    /// `choices` are (key, label); the first is "no stage".
    Lifecycle {
        choices: Vec<(String, String)>,
        chosen: usize,
    },
    AdditionalEmails,
    AdditionalPhones,
    Custom(String),
    /// `name=value` adds a custom property.
    NewCustom,
}

impl ContactForm {
    /// An empty form for a new contact.
    pub fn new_contact(store: &Store) -> store::Result<ContactForm> {
        Ok(ContactForm::with_draft(None, ContactDraft::default(), &store.custom_properties()?))
    }

    /// A form holding a stored contact's values.
    pub fn edit(contact: &Contact, store: &Store) -> store::Result<ContactForm> {
        Ok(ContactForm::with_draft(Some(contact.id), contact.draft.clone(), &store.custom_properties()?))
    }

    fn with_draft(
        contact_id: Option<ContactId>,
        original: ContactDraft,
        custom_definitions: &[(String, String)],
    ) -> Self {
        let mut fields = Vec::new();
        for property in STANDARD_PROPERTIES {
            let value = original.get(property).unwrap_or_default().to_string();
            let kind = match property {
                Property::AdditionalEmails => FieldKind::AdditionalEmails,
                Property::AdditionalPhones => FieldKind::AdditionalPhones,
                Property::LifecycleStage => lifecycle_field(&value),
                _ if property.is_system() => FieldKind::ReadOnly(property),
                _ => FieldKind::Standard(property),
            };
            let text = match kind {
                FieldKind::AdditionalEmails => original.additional_emails.join(", "),
                FieldKind::AdditionalPhones => phones_text(&original.additional_phones),
                _ => value,
            };
            fields.push(FormField { kind, label: property.label().to_string(), input: TextField::new(text) });
        }
        let mut custom_names: Vec<(String, String)> = custom_definitions.to_vec();
        for name in original.custom.keys() {
            if !custom_names.iter().any(|(defined, _)| defined == name) {
                custom_names.push((name.clone(), name.clone()));
            }
        }
        for (name, label) in custom_names {
            let value = original.custom.get(&name).cloned().unwrap_or_default();
            fields.push(FormField { kind: FieldKind::Custom(name), label, input: TextField::new(value) });
        }
        fields.push(FormField {
            kind: FieldKind::NewCustom,
            label: "New custom property".into(),
            input: TextField::default(),
        });
        ContactForm { contact_id, original, fields, focus: 0, viewport: Rect::default(), review: None }
    }

    /// A form for reviewing a scanned draft before saving it. A new contact shows the
    /// lifecycle stage it will get.
    pub fn review(mut scanned: ContactDraft, review: Review, store: &Store) -> store::Result<ContactForm> {
        if review.existing.is_none() {
            scanned.set_if_empty(Property::LifecycleStage, store.scan_lifecycle_default()?.key());
        }
        let mut form = ContactForm::with_draft(None, scanned, &store.custom_properties()?);
        form.review = Some(review);
        Ok(form)
    }

    pub fn is_review(&self) -> bool {
        self.review.is_some()
    }

    pub fn set_viewport(&mut self, viewport: Rect) {
        self.viewport = viewport;
    }

    /// True when saving would change something (or the form cannot be read as a contact).
    pub fn is_dirty(&self) -> bool {
        self.build_draft().map_or(true, |draft| draft != self.original)
    }

    pub fn update(&mut self, action: Action, store: &mut Store, now: Timestamp) -> Option<Transition> {
        match action {
            Action::NextField => self.move_focus(true),
            Action::PreviousField => self.move_focus(false),
            Action::Submit if self.focus == self.fields.len() => return Some(self.save(store, now)),
            Action::Submit => self.move_focus(true),
            Action::Save => return Some(self.save(store, now)),
            Action::InsertRawLine => self.insert_raw_line(),
            Action::EditText(edit) => {
                if let Some(field) = self.fields.get_mut(self.focus) {
                    field.edit(edit);
                }
            }
            Action::Back if self.is_dirty() => {
                let question = format!("Discard your changes to {}? y/n", self.title_name());
                return Some(Transition::ShowModal(Modal::Confirm(ConfirmDialog::new(
                    question,
                    ConfirmIntent::DiscardEdits,
                ))));
            }
            Action::Back => return Some(Transition::Back),
            _ => (),
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let title = match (&self.review, self.contact_id) {
            (Some(_), _) => " Review the scan ".to_string(),
            (None, Some(_)) => format!(" Edit {} ", sanitize_line(&self.title_name())),
            (None, None) => " New contact ".to_string(),
        };
        let changed = if self.is_dirty() { " changed " } else { "" };
        let block = Block::bordered().title(Line::from(title).bold()).title(Line::from(changed).right_aligned());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let review_lines = self.review.as_ref().map(|review| review_lines(review, inner.width)).unwrap_or_default();
        let header_height = (review_lines.len() as u16).min(inner.height / 2);
        let [header_area, rows_area, hint_area] =
            Layout::vertical([Constraint::Length(header_height), Constraint::Fill(1), Constraint::Length(1)])
                .areas(inner);
        frame.render_widget(Paragraph::new(review_lines), header_area);

        // Rows: every field, a blank line, the Save button.
        let n_rows = self.fields.len() + 2;
        let focus_row = if self.focus == self.fields.len() { n_rows - 1 } else { self.focus };
        let first = first_visible_row(focus_row, usize::from(rows_area.height));
        let value_width = usize::from(inner.width).saturating_sub(2 + LABEL_WIDTH + 1);
        for (offset, row) in (first..n_rows).take(usize::from(rows_area.height)).enumerate() {
            let row_area = Rect { y: rows_area.y + offset as u16, height: 1, ..rows_area };
            if row == n_rows - 1 {
                let style = if self.focus == self.fields.len() {
                    Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
                } else {
                    Style::default().add_modifier(Modifier::BOLD)
                };
                let indent = " ".repeat(2 + LABEL_WIDTH + 1);
                frame.render_widget(Line::from(vec![Span::raw(indent), Span::styled("[ Save ]", style)]), row_area);
            } else if let Some(field) = self.fields.get(row) {
                self.render_field(frame, row_area, field, row == self.focus, value_width);
            }
        }
        frame.render_widget(Paragraph::new(format!(" {}", self.focus_hint())).italic(), hint_area);
    }

    fn render_field(&self, frame: &mut Frame, area: Rect, field: &FormField, is_focused: bool, value_width: usize) {
        let marker = if is_focused { "› " } else { "  " };
        let label_style = if is_focused { Style::default().add_modifier(Modifier::BOLD) } else { Style::default() };
        let label = format!("{marker}{} ", fit_padded(&field.label, LABEL_WIDTH));
        let [label_area, value_area] =
            Layout::horizontal([Constraint::Length((2 + LABEL_WIDTH + 1) as u16), Constraint::Fill(1)]).areas(area);
        frame.render_widget(Span::styled(label, label_style), label_area);
        let dim = Style::default().add_modifier(Modifier::DIM);
        match &field.kind {
            FieldKind::ReadOnly(property) => {
                let text = match self.original.get(*property) {
                    Some(value) => format!("{} (read-only)", fit(value, value_width.saturating_sub(12))),
                    None => "(set when saved)".to_string(),
                };
                frame.render_widget(Span::styled(text, dim), value_area);
            }
            FieldKind::Lifecycle { choices, chosen } => {
                let label = &choices[*chosen].1;
                let text = if is_focused { format!("◀ {label} ▶") } else { label.clone() };
                let style =
                    if is_focused { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default() };
                frame.render_widget(Span::styled(text, style), value_area);
            }
            _ => field.input.render(frame, value_area, Style::default().add_modifier(Modifier::UNDERLINED), is_focused),
        }
    }

    fn focus_hint(&self) -> &'static str {
        let has_raw_lines = self.review.as_ref().is_some_and(|review| !review.raw_lines.is_empty());
        match self.fields.get(self.focus).map(|field| &field.kind) {
            Some(FieldKind::Standard(_) | FieldKind::Custom(_)) if has_raw_lines => {
                "Ctrl-R puts the next line of the code's text into this field. Ctrl-S saves."
            }
            None => "Enter saves. Ctrl-S saves from any field; Esc cancels.",
            Some(FieldKind::AdditionalEmails) => "Several addresses: separate them with commas.",
            Some(FieldKind::AdditionalPhones) => {
                "Several numbers: type: number; type: number (work: +1 555 0100; pager: 123)"
            }
            Some(FieldKind::Lifecycle { .. }) => "←/→ or Space choose the stage, or type its first letter.",
            Some(FieldKind::NewCustom) => "Add a property as name=value, e.g. badge_id=B-7 (lowercase, digits, _).",
            Some(FieldKind::Custom(_)) => "A custom property; empty removes it from this contact.",
            Some(FieldKind::Standard(Property::Email)) => {
                "The email identifies the contact: no other contact may have it."
            }
            Some(FieldKind::Standard(_) | FieldKind::ReadOnly(_)) => "Ctrl-S saves; Esc cancels.",
        }
    }

    fn title_name(&self) -> String {
        match self.build_draft() {
            Ok(draft) if !draft.is_empty() => draft.display_name(),
            _ => self.original.display_name(),
        }
    }

    fn move_focus(&mut self, is_forward: bool) {
        let n_stops = self.fields.len() + 1;
        let mut focus = self.focus;
        for _ in 0..n_stops {
            focus = if is_forward { (focus + 1) % n_stops } else { (focus + n_stops - 1) % n_stops };
            let is_read_only = matches!(self.fields.get(focus).map(|field| &field.kind), Some(FieldKind::ReadOnly(_)));
            if !is_read_only {
                break;
            }
        }
        self.focus = focus;
    }

    /// Review: the focused field gets the next line of the code's text.
    fn insert_raw_line(&mut self) {
        let Some(review) = &self.review else { return };
        if review.raw_lines.is_empty() {
            return;
        }
        let Some(field) = self.fields.get_mut(self.focus) else { return };
        if !matches!(field.kind, FieldKind::Standard(_) | FieldKind::Custom(_)) {
            return;
        }
        // The line after the one the field holds now, so repeated presses go through them.
        let position = review.raw_lines.iter().position(|line| line == field.input.text());
        let next = position.map_or(0, |index| (index + 1) % review.raw_lines.len());
        field.input.set_text(review.raw_lines[next].clone());
    }

    /// Saves a reviewed scan: merged into the contact with its email if there is one. Values
    /// the user changed in the form are recorded as the user's.
    fn save_review(&self, draft: ContactDraft, store: &mut Store, now: Timestamp) -> Transition {
        let Some(review) = &self.review else { return Transition::Back };
        if draft.is_empty() {
            return Transition::Notice(Notice::error("Not saved: fill in at least one field."));
        }
        let mut options = match store.scan_write_options(review.source, now) {
            Ok(options) => options,
            Err(error) => return store_failure("Not saved", &error),
        };
        let mut keys = draft.keys();
        keys.extend(self.original.keys());
        options.user_edited =
            keys.into_iter().filter(|key| draft.value_by_key(key) != self.original.value_by_key(key)).collect();
        let saved = match &review.card_image {
            Some(image) => store.save_draft_with_card_image(&draft, &options, image),
            None => store.save_draft(&draft, &options),
        };
        match saved {
            Ok(outcome) => Transition::ScanSaved {
                name: draft.display_name(),
                is_new: outcome.kind == OutcomeKind::Created,
                n_conflicts: outcome.conflicts.len(),
            },
            Err(error) => store_failure("Not saved", &error),
        }
    }

    fn save(&mut self, store: &mut Store, now: Timestamp) -> Transition {
        let draft = match self.build_draft() {
            Ok(draft) => draft,
            Err(message) => return Transition::Notice(Notice::error(format!("Not saved: {message}"))),
        };
        if self.review.is_some() {
            return self.save_review(draft, store, now);
        }
        let name = draft.display_name();
        let result = match self.contact_id {
            Some(contact_id) => store.update_contact(contact_id, &draft, Source::User, now).map(|()| contact_id),
            None if draft.is_empty() => {
                return Transition::Notice(Notice::error("Not saved: fill in at least one field."));
            }
            None => store.create_contact(&draft, &WriteOptions::new(Source::User, now)),
        };
        match result {
            Ok(contact_id) => Transition::Saved { contact_id, name, is_new: self.contact_id.is_none() },
            Err(store::Error::EmailTaken { email, .. }) => {
                // The error of an update names the edited contact; the owner is the other one.
                let owner = store
                    .contact_by_email(&email)
                    .ok()
                    .flatten()
                    .and_then(|owner_id| store.contact(owner_id).ok().flatten())
                    .map_or_else(|| "another contact".to_string(), |owner| owner.draft.display_name());
                Transition::Notice(Notice::error(format!("Not saved: {email} already belongs to {owner}.")))
            }
            Err(error) => store_failure("Not saved", &error),
        }
    }

    /// The contact the form describes; system properties and unmodelled vCard lines are kept.
    fn build_draft(&self) -> Result<ContactDraft, String> {
        let mut draft = ContactDraft { vcard_extra: self.original.vcard_extra.clone(), ..ContactDraft::default() };
        for field in &self.fields {
            let text = field.input.text();
            match &field.kind {
                FieldKind::Standard(property) => draft.set(*property, text),
                FieldKind::ReadOnly(property) => {
                    if let Some(value) = self.original.get(*property) {
                        draft.set(*property, value);
                    }
                }
                FieldKind::Lifecycle { choices, chosen } => {
                    draft.set(Property::LifecycleStage, choices[*chosen].0.clone())
                }
                FieldKind::AdditionalEmails => {
                    draft.additional_emails =
                        text.split(',').map(str::trim).filter(|email| !email.is_empty()).map(str::to_string).collect();
                }
                FieldKind::AdditionalPhones => draft.additional_phones = parse_phones(text),
                FieldKind::Custom(name) => {
                    if !text.trim().is_empty() {
                        draft.custom.insert(name.clone(), text.trim().to_string());
                    }
                }
                FieldKind::NewCustom if text.trim().is_empty() => (),
                FieldKind::NewCustom => {
                    let Some((name, value)) = text
                        .split_once('=')
                        .filter(|(name, value)| !name.trim().is_empty() && !value.trim().is_empty())
                    else {
                        return Err("write a new custom property as name=value, e.g. badge_id=B-7.".to_string());
                    };
                    draft.custom.insert(name.trim().to_string(), value.trim().to_string());
                }
            }
        }
        Ok(draft)
    }
}

impl FormField {
    fn edit(&mut self, edit: TextEdit) {
        match &mut self.kind {
            FieldKind::ReadOnly(_) => (),
            FieldKind::Lifecycle { choices, chosen } => {
                let n_choices = choices.len();
                match edit {
                    TextEdit::Left => *chosen = (*chosen + n_choices - 1) % n_choices,
                    TextEdit::Right | TextEdit::Insert(' ') => *chosen = (*chosen + 1) % n_choices,
                    TextEdit::Insert(letter) => {
                        // The next stage (after the current one) whose label starts with the letter.
                        let letter = letter.to_lowercase().to_string();
                        let next = (1..=n_choices)
                            .map(|step| (*chosen + step) % n_choices)
                            .find(|&index| choices[index].1.to_lowercase().starts_with(&letter));
                        if let Some(next) = next {
                            *chosen = next;
                        }
                    }
                    TextEdit::DeleteBackward | TextEdit::DeleteForward | TextEdit::Clear => *chosen = 0,
                    _ => (),
                }
            }
            _ => self.input.apply(edit),
        }
    }
}

/// The review's header: what was scanned, whether it updates a stored contact and how, and
/// the code's raw text.
fn review_lines(review: &Review, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width).saturating_sub(2);
    let mut lines = vec![Line::from(vec![
        Span::raw(" Scanned: ").bold(),
        Span::raw(fit(&sanitize_line(&review.what), width.saturating_sub(10))),
    ])];
    match &review.existing {
        None => lines.push(Line::from(" Saving creates a new contact.")),
        Some(existing) => {
            let name = sanitize_line(&existing.name);
            lines.push(Line::from(format!(" Matches {name} (by email): saving updates that contact.")).yellow());
            let mut parts = Vec::new();
            if !existing.fills.is_empty() {
                parts.push(format!("fills {}", existing.fills.join(", ")));
            }
            if !existing.changes.is_empty() {
                let changes: Vec<String> = existing
                    .changes
                    .iter()
                    .map(|(label, stored, scanned)| {
                        format!("{label} {} → {}", sanitize_line(stored), sanitize_line(scanned))
                    })
                    .collect();
                parts.push(format!("changes {}", changes.join("; ")));
            }
            if !existing.keeps.is_empty() {
                parts.push(format!("keeps your {} (you set them; yours win)", existing.keeps.join(", ")));
            }
            if parts.is_empty() {
                parts.push("adds nothing new".to_string());
            }
            lines.extend(parts.iter().map(|part| Line::from(format!("   {}", fit(part, width.saturating_sub(3))))));
            lines.push(Line::from(" Empty fields keep the stored values.").italic());
        }
    }
    if !review.raw_lines.is_empty() {
        let whose = if review.card_image.is_some() { "on the card" } else { "in the code" };
        lines.push(Line::from(format!(" Text {whose} (Ctrl-R puts the next line into the focused field):")).bold());
        for line in review.raw_lines.iter().take(4) {
            lines.push(Line::from(format!("   {}", fit(line, width.saturating_sub(3)))));
        }
        if review.raw_lines.len() > 4 {
            lines.push(Line::from(format!("   … {} more lines", review.raw_lines.len() - 4)).italic());
        }
    }
    lines.push(Line::from(""));
    lines
}

impl ExistingMatch {
    /// What saving `scanned` over `current` would do, given who set the current values.
    pub fn new(
        contact_id: ContactId,
        current: &ContactDraft,
        scanned: &ContactDraft,
        user_set: &dyn Fn(&str) -> bool,
    ) -> ExistingMatch {
        let mut found = ExistingMatch {
            contact_id,
            name: current.display_name(),
            fills: Vec::new(),
            changes: Vec::new(),
            keeps: Vec::new(),
        };
        for (&property, offered) in &scanned.values {
            if property == Property::Email || property.is_system() || property == Property::LifecycleStage {
                continue;
            }
            let label = property.label().to_string();
            match current.get(property) {
                None => found.fills.push(label),
                Some(stored) if stored == offered => (),
                Some(_) if user_set(property.key()) => found.keeps.push(label),
                Some(stored) => found.changes.push((label, stored.to_string(), offered.clone())),
            }
        }
        found
    }
}

/// The lifecycle choice field: no stage, the allowed stages, and a stored value that is not
/// one of them (kept as it is unless the user picks another).
fn lifecycle_field(stored: &str) -> FieldKind {
    let mut choices = vec![(String::new(), "(none)".to_string())];
    choices.extend(LifecycleStage::ALL.iter().map(|stage| (stage.key().to_string(), stage.label().to_string())));
    let chosen = match stored.parse::<LifecycleStage>() {
        _ if stored.is_empty() => 0,
        Ok(stage) if stage.key() == stored => choices.iter().position(|(key, _)| key == stored).unwrap_or(0),
        _ => {
            choices.push((stored.to_string(), stored.to_string()));
            choices.len() - 1
        }
    };
    FieldKind::Lifecycle { choices, chosen }
}

/// `work: +1 555 0100; pager: 123` → entries; a number without a type gets `other`.
fn parse_phones(text: &str) -> Vec<PhoneEntry> {
    text.split(';')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .map(|entry| match entry.split_once(':') {
            Some((kind, value)) => PhoneEntry { kind: kind.trim().to_string(), value: value.trim().to_string() },
            None => PhoneEntry { kind: "other".to_string(), value: entry.to_string() },
        })
        .filter(|phone| !phone.value.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
