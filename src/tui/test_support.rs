//! Helpers for the TUI tests: stores with known contacts at a fixed time, drawing into a
//! `TestBackend`, and key events.

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Frame, Terminal, backend::TestBackend};

use super::app::App;
use super::event::Event;
use crate::model::{ContactDraft, ContactId, PhoneEntry, Property, Source, Timestamp};
use crate::store::{SETTING_DEFAULT_REGION, SETTING_DEMO_OFFERED, Store, WriteOptions};

/// 2027-01-15 08:00 UTC.
pub const NOW: Timestamp = Timestamp(1_800_000_000_000);

pub fn now() -> Timestamp {
    NOW
}

/// An empty in-memory store whose demo offer was already answered.
pub fn empty_store() -> Store {
    let store = Store::open_in_memory().unwrap();
    store.set_setting(SETTING_DEFAULT_REGION, "US").unwrap();
    store.set_setting(SETTING_DEMO_OFFERED, "declined").unwrap();
    store
}

pub fn draft(pairs: &[(Property, &str)]) -> ContactDraft {
    let mut draft = ContactDraft::default();
    for (property, value) in pairs {
        draft.set(*property, *value);
    }
    draft
}

/// Saves a draft as `source` at `at`.
pub fn add(store: &mut Store, draft: &ContactDraft, source: Source, at: Timestamp) -> ContactId {
    store.save_draft(draft, &WriteOptions::new(source, at)).unwrap().contact_id
}

/// Five contacts from a vCard import a day before `NOW`; Grace's title was then edited by the user.
pub fn sample_store() -> Store {
    let mut store = empty_store();
    let yesterday = Timestamp(NOW.0 - 86_400_000);
    let mut ada = draft(&[
        (Property::FirstName, "Ada"),
        (Property::LastName, "Lovelace"),
        (Property::Email, "ada@analytical-engines.com"),
        (Property::Phone, "+1 415 555 0100"),
        (Property::Company, "Analytical Engines"),
        (Property::JobTitle, "Mathematician"),
        (Property::City, "London"),
    ]);
    ada.additional_emails.push("ada.lovelace@gmail.com".into());
    ada.additional_phones.push(PhoneEntry { kind: "pager".into(), value: "+1 415 555 0199".into() });
    ada.vcard_extra.push("BDAY:1815-12-10".into());
    let contacts = [
        ada,
        draft(&[
            (Property::FirstName, "Grace"),
            (Property::LastName, "Hopper"),
            (Property::Email, "grace@navy.mil"),
            (Property::Company, "US Navy"),
            (Property::JobTitle, "Commodore"),
        ]),
        draft(&[
            (Property::FirstName, "Alan"),
            (Property::LastName, "Turing"),
            (Property::Email, "alan@bletchley.org.uk"),
            (Property::Phone, "+44 20 7946 0958"),
            (Property::Company, "Bletchley Park"),
        ]),
        draft(&[
            (Property::FirstName, "Katherine"),
            (Property::LastName, "Johnson"),
            (Property::Phone, "+1 757 555 0123"),
        ]),
        draft(&[
            (Property::FirstName, "Linus"),
            (Property::LastName, "Pauling"),
            (Property::Email, "linus.pauling@gmail.com"),
        ]),
    ];
    for contact in &contacts {
        add(&mut store, contact, Source::VcardImport, yesterday);
    }
    let grace = store.contact_by_email("grace@navy.mil").unwrap().unwrap();
    let mut edited = store.contact(grace).unwrap().unwrap().draft;
    edited.set(Property::JobTitle, "Rear Admiral");
    store.update_contact(grace, &edited, Source::User, NOW).unwrap();
    store
}

/// What `draw` puts on a `width` × `height` terminal, as text.
pub fn render(width: u16, height: u16, draw: impl FnOnce(&mut Frame)) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(draw).unwrap();
    terminal.backend().to_string()
}

/// The whole app drawn on a `width` × `height` terminal.
pub fn render_app(app: &App, width: u16, height: u16) -> String {
    render(width, height, |frame| app.render(frame))
}

/// An app of 80 × 24 on `store`, with relative import paths starting at `start_dir`.
pub fn app_with(store: Store, start_dir: &Path) -> App {
    App::new(store, Rect::new(0, 0, 80, 24), start_dir, now).unwrap()
}

pub fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn control(character: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(character), KeyModifiers::CONTROL))
}

/// Key events typing `text`.
pub fn typing(text: &str) -> Vec<Event> {
    text.chars().map(|character| key(KeyCode::Char(character))).collect()
}

/// Feeds events to the app; returns the effects they asked for.
pub fn feed(app: &mut App, events: impl IntoIterator<Item = Event>) -> Vec<super::event::Effect> {
    events.into_iter().flat_map(|event| app.update(event)).collect()
}
