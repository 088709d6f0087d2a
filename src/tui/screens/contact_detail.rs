//! One contact: every property with its value and where that value came from (source and
//! time), its company and lists, the vCard lines rolo does not model, and the full history.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::contact_form::ContactForm;
use super::{Screen, Transition, store_failure};
use crate::model::{
    Contact, ContactId, LifecycleStage, PhoneEntry, Property, PropertyChange, STANDARD_PROPERTIES, Source, Timestamp,
    sanitize_line,
};
use crate::store::{self, Company, Store};
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::widgets::fit::{fit, fit_padded};
use crate::tui::widgets::status_line::Notice;

/// Fits "Original source drill-down 1".
const LABEL_WIDTH: usize = 28;
/// Fits "address-book import", the longest source label.
const HISTORY_SOURCE_WIDTH: usize = 19;

/// The contact as loaded when the screen opened (reloaded after edits).
pub struct ContactDetail {
    contact: Contact,
    sources: BTreeMap<String, (Source, Timestamp)>,
    history: Vec<PropertyChange>,
    lists: Vec<String>,
    /// Why the contact's email is on the do-not-email list; empty when it is not.
    do_not_email: Vec<crate::model::DoNotEmailReason>,
    company: Option<Company>,
    custom_labels: BTreeMap<String, String>,
    scroll: usize,
    viewport: Rect,
}

impl ContactDetail {
    /// Loads a contact, live or trashed; `None` when there is no such contact.
    pub fn load(store: &Store, contact_id: ContactId) -> store::Result<Option<ContactDetail>> {
        let Some(contact) = store.contact(contact_id)? else { return Ok(None) };
        let company = contact.company_id.map(|company_id| store.company(company_id)).transpose()?.flatten();
        Ok(Some(ContactDetail {
            sources: store.current_sources(contact_id)?,
            history: store.history(contact_id)?,
            lists: store.lists_of(contact_id)?,
            do_not_email: store.do_not_email_reasons_of(&contact.draft)?,
            custom_labels: store.custom_properties()?.into_iter().collect(),
            company,
            contact,
            scroll: 0,
            viewport: Rect::default(),
        }))
    }

    /// Loads the contact again after a change, keeping the scroll position.
    pub fn reload(&mut self, store: &Store) -> store::Result<()> {
        if let Some(mut fresh) = ContactDetail::load(store, self.contact.id)? {
            fresh.scroll = self.scroll;
            fresh.viewport = self.viewport;
            *self = fresh;
        }
        Ok(())
    }

    pub fn key_context(&self) -> KeyContext {
        if self.contact.deleted_at.is_some() { KeyContext::TrashedContact } else { KeyContext::ContactDetail }
    }

    pub fn set_viewport(&mut self, viewport: Rect) {
        self.viewport = viewport;
        self.scroll = self.scroll.min(self.max_scroll());
    }

    pub fn update(&mut self, action: Action, store: &mut Store, now: Timestamp) -> Option<Transition> {
        let page = usize::from(self.inner(self.viewport).height.max(1));
        let is_trashed = self.contact.deleted_at.is_some();
        match action {
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = (self.scroll + 1).min(self.max_scroll()),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll = (self.scroll + page).min(self.max_scroll()),
            Action::Home => self.scroll = 0,
            Action::End => self.scroll = self.max_scroll(),
            Action::ViewCardImage => return Some(Transition::ViewCardImage(self.contact.id)),
            Action::EditContact if is_trashed => {
                return Some(Transition::Notice(Notice::error(
                    "This contact is in the trash: restore it (r) to edit it.",
                )));
            }
            Action::EditContact => {
                return Some(match ContactForm::edit(&self.contact, store) {
                    Ok(form) => Transition::Open(Box::new(Screen::ContactForm(form))),
                    Err(error) => store_failure("Could not open the form", &error),
                });
            }
            Action::DeleteContact if !is_trashed => {
                if let Err(error) = store.delete_contacts(&[self.contact.id], now) {
                    return Some(store_failure("Could not delete the contact", &error));
                }
                let name = self.contact.draft.display_name();
                return Some(Transition::Deleted { contact_ids: vec![self.contact.id], name });
            }
            Action::RestoreContact if is_trashed => {
                if let Err(error) = store.restore_contacts(&[self.contact.id]).and_then(|()| self.reload(store)) {
                    return Some(store_failure("Could not restore the contact", &error));
                }
                return Some(Transition::Notice(Notice::info(format!(
                    "Restored {}",
                    self.contact.draft.display_name()
                ))));
            }
            Action::Back => return Some(Transition::Back),
            _ => (),
        }
        None
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let mut title = format!(" {} ", sanitize_line(&self.contact.draft.display_name()));
        if self.contact.deleted_at.is_some() {
            title.push_str("(in the trash) ");
        }
        let block = Block::bordered().title(Line::from(title).bold());
        let inner = block.inner(area);
        let lines = self.lines(inner.width);
        let scroll = self.scroll.min(lines.len().saturating_sub(usize::from(inner.height)));
        frame.render_widget(
            Paragraph::new(lines).block(block).scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
            area,
        );
    }

    fn inner(&self, area: Rect) -> Rect {
        Block::bordered().inner(area)
    }

    fn max_scroll(&self) -> usize {
        let inner = self.inner(self.viewport);
        self.lines(inner.width).len().saturating_sub(usize::from(inner.height))
    }

    /// Everything the screen shows, laid out for `width` cells.
    fn lines(&self, width: u16) -> Vec<Line<'static>> {
        let width = usize::from(width);
        let heading = Style::default().add_modifier(Modifier::BOLD);
        let dim = Style::default().add_modifier(Modifier::DIM);
        let mut lines = Vec::new();
        let draft = &self.contact.draft;

        if let Some(deleted_at) = self.contact.deleted_at {
            lines.push(
                Line::from(format!(" In the trash since {}; r restores it.", deleted_at.format_minutes())).italic(),
            );
            lines.push(Line::default());
        }
        lines.push(Line::styled(" Properties", heading));
        // The source follows the value on its line when both fit, else it gets a line below.
        let indent = 3 + LABEL_WIDTH + 1;
        let value_width = width.saturating_sub(indent);
        for (key, label, value) in self.properties() {
            let label_cell = Span::raw(format!("   {} ", fit_padded(&label, LABEL_WIDTH)));
            let Some((source, at)) = self.sources.get(&key) else {
                lines.push(Line::from(vec![label_cell, Span::raw(fit(&value, value_width))]));
                continue;
            };
            let source = format!("{} · {}", source.label(), at.format_minutes());
            let source_width = source.chars().count();
            let value = sanitize_line(&value);
            if value.chars().count() + 2 + source_width <= value_width {
                lines.push(Line::from(vec![
                    label_cell,
                    Span::raw(fit_padded(&value, value_width - source_width)),
                    Span::styled(source, dim),
                ]));
            } else {
                lines.push(Line::from(vec![label_cell, Span::raw(fit(&value, value_width))]));
                let source_line = format!("{}↳ {}", " ".repeat(indent), fit(&source, value_width.saturating_sub(2)));
                lines.push(Line::styled(source_line, dim));
            }
        }

        lines.push(Line::default());
        lines.push(Line::styled(" Company", heading));
        let company = match &self.company {
            Some(company) => format!("{} · {} · {}", company.name, company.domain, company.website),
            None => "(none: no email, or a free-mail address)".to_string(),
        };
        lines.push(Line::from(format!("   {}", fit(&company, width.saturating_sub(3)))));
        lines.push(Line::styled(" Lists", heading));
        let lists = if self.lists.is_empty() { "(none)".to_string() } else { self.lists.join(", ") };
        lines.push(Line::from(format!("   {}", fit(&lists, width.saturating_sub(3)))));
        if !self.do_not_email.is_empty() {
            let reasons: Vec<&str> = self.do_not_email.iter().map(|reason| reason.key()).collect();
            lines.push(Line::styled(" Do not email", heading));
            lines.push(Line::from(format!("   ⊘ {}", reasons.join(", "))));
        }

        if !draft.vcard_extra.is_empty() {
            lines.push(Line::default());
            lines.push(Line::styled(" Other vCard fields", heading));
            for extra in &draft.vcard_extra {
                lines.push(Line::from(format!("   {}", fit(extra, width.saturating_sub(3)))));
            }
        }

        lines.push(Line::default());
        lines.push(Line::styled(format!(" History ({} changes, newest first)", self.history.len()), heading));
        let text_width = width.saturating_sub(3 + 16 + 2 + HISTORY_SOURCE_WIDTH + 2);
        for change in &self.history {
            let value = if change.value.is_empty() { "(cleared)".to_string() } else { history_value(change) };
            let text = format!("{}: {}", self.property_label(&change.property), value);
            lines.push(Line::from(vec![
                Span::styled(format!("   {}  ", change.at.format_minutes()), dim),
                Span::raw(fit_padded(change.source.label(), HISTORY_SOURCE_WIDTH)),
                Span::raw("  "),
                Span::raw(fit(&text, text_width)),
            ]));
        }
        lines
    }

    /// (key, label, value) of every property with a value: standard ones, then custom ones.
    fn properties(&self) -> Vec<(String, String, String)> {
        let draft = &self.contact.draft;
        let mut properties = Vec::new();
        for property in STANDARD_PROPERTIES {
            let value = match property {
                Property::AdditionalEmails => draft.additional_emails.join(", "),
                Property::AdditionalPhones => phones_text(&draft.additional_phones),
                Property::LifecycleStage => stage_label(draft.get(property).unwrap_or_default()),
                _ => draft.get(property).unwrap_or_default().to_string(),
            };
            if !value.is_empty() {
                properties.push((property.key().to_string(), property.label().to_string(), value));
            }
        }
        for (name, value) in &draft.custom {
            properties.push((name.clone(), self.property_label(name), value.clone()));
        }
        properties
    }

    fn property_label(&self, key: &str) -> String {
        match key.parse::<Property>() {
            Ok(property) => property.label().to_string(),
            Err(_) => self.custom_labels.get(key).cloned().unwrap_or_else(|| key.to_string()),
        }
    }
}

/// `work: +1 555 0100; pager: 123`
pub fn phones_text(phones: &[PhoneEntry]) -> String {
    phones.iter().map(|phone| format!("{}: {}", phone.kind, phone.value)).collect::<Vec<_>>().join("; ")
}

/// A history value as people read it: list properties are JSON in the history table.
fn history_value(change: &PropertyChange) -> String {
    match change.property.parse::<Property>() {
        Ok(Property::AdditionalEmails) => serde_json::from_str::<Vec<String>>(&change.value)
            .map(|emails| emails.join(", "))
            .unwrap_or_else(|_| change.value.clone()),
        Ok(Property::AdditionalPhones) => serde_json::from_str::<Vec<PhoneEntry>>(&change.value)
            .map(|phones| phones_text(&phones))
            .unwrap_or_else(|_| change.value.clone()),
        Ok(Property::LifecycleStage) => stage_label(&change.value),
        _ => change.value.clone(),
    }
}

/// `marketing_qualified_lead` → `Marketing qualified lead`; unknown values as they are.
fn stage_label(key: &str) -> String {
    key.parse::<LifecycleStage>().map_or_else(|_| key.to_string(), |stage| stage.label().to_string())
}

#[cfg(test)]
mod tests;
