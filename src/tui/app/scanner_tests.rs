//! The scanner end to end without a camera: a replay of pictures goes through the real
//! capture, decode and preview workers, the app opens the review when a code appears, and
//! saving writes the contact to a real database file.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use image::{Luma, Rgb, RgbImage};

use super::*;
use crate::model::Property;
use crate::store::SETTING_DEMO_OFFERED;
use crate::tui::test_support::{control, feed, key, now, render_app, typing};
use crate::tui::workers::Workers;

#[path = "../../../tests/support/cards.rs"]
mod cards;

const VCARD: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nORG:Analytical Engines Ltd\r\nTITLE:Head of Research\r\nTEL;TYPE=CELL:+44 20 7946 0018\r\nEMAIL:ada@analytical.example\r\nADR;TYPE=WORK:;;12 St James's Square;London;;SW1Y 4JH;United Kingdom\r\nEND:VCARD";

/// A 640x480 desk-grey frame, with a QR code of `text` in the middle when given.
fn frame(text: Option<&str>) -> RgbImage {
    let mut canvas = RgbImage::from_pixel(640, 480, Rgb([190, 190, 180]));
    if let Some(text) = text {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let picture = code.render::<Luma<u8>>().module_dimensions(4, 4).quiet_zone(true).build();
        let (x0, y0) = ((640 - picture.width()) / 2, (480 - picture.height()) / 2);
        for (x, y, pixel) in picture.enumerate_pixels() {
            let value = pixel.0[0];
            canvas.put_pixel(x0 + x, y0 + y, Rgb([value, value, value]));
        }
    }
    canvas
}

/// Pictures on disk: `texts[i]` is the code of picture i (none for `None`).
fn pictures(directory: &Path, texts: &[Option<&str>]) -> Vec<PathBuf> {
    texts
        .iter()
        .enumerate()
        .map(|(index, text)| {
            let path = directory.join(format!("frame-{index:02}.png"));
            frame(*text).save(&path).unwrap();
            path
        })
        .collect()
}

struct Harness {
    _directory: tempfile::TempDir,
    app: App,
    workers: Workers,
    events: crossbeam_channel::Receiver<Event>,
    rang: bool,
}

impl Harness {
    /// An app on a new database file whose scanner replays `texts` as frames at 20 fps.
    fn new(texts: &[Option<&str>], prepare: impl FnOnce(&mut Store)) -> Harness {
        let directory = tempfile::tempdir().unwrap();
        let paths = pictures(directory.path(), texts);
        Harness::replaying(directory, paths, prepare)
    }

    /// An app on a new database file in `directory` whose scanner replays these pictures.
    fn replaying(directory: tempfile::TempDir, paths: Vec<PathBuf>, prepare: impl FnOnce(&mut Store)) -> Harness {
        let db_path = directory.path().join("rolo.db");
        let mut store = Store::open(&db_path).unwrap();
        store.set_setting(store::SETTING_DEFAULT_REGION, "GB").unwrap();
        store.set_setting(SETTING_DEMO_OFFERED, "declined").unwrap();
        prepare(&mut store);
        store.set_setting(store::SETTING_OCR_LANGUAGE, "eng").unwrap();
        let mut app = App::new(store, Rect::new(0, 0, 100, 44), directory.path(), now).unwrap();
        app.set_scan_source(SourceSpec::Replay { paths, fps: 20.0 });
        let (sender, events) = crossbeam_channel::unbounded();
        let workers = Workers::new(&db_path, sender);
        Harness { _directory: directory, app, workers, events, rang: false }
    }

    fn send(&mut self, events: Vec<Event>) {
        let effects = feed(&mut self.app, events);
        self.rang |= effects.iter().any(|effect| matches!(effect, Effect::Bell));
        self.workers.start_all(effects);
    }

    /// Runs the loop until `is_done` holds, as the runtime would; fails after 30 s.
    fn run_until(&mut self, what: &str, is_done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !is_done(&self.app) {
            let left = deadline.saturating_duration_since(Instant::now());
            let event = self.events.recv_timeout(left).unwrap_or_else(|_| {
                panic!("timed out waiting for {what}; screen:\n{}", render_app(&self.app, 100, 44))
            });
            self.send(vec![event]);
        }
    }

    fn is_reviewing(app: &App) -> bool {
        matches!(app.screens.last(), Some(Screen::ContactForm(form)) if form.is_review())
    }
}

#[test]
fn a_replayed_vcard_code_opens_the_review_and_saving_creates_the_contact() {
    // A camera shows a code for many frames; the scan worker decodes only the newest one.
    let mut harness = Harness::new(&[None, None, Some(VCARD), Some(VCARD), Some(VCARD), None], |_| ());
    harness.send(vec![key(KeyCode::Char('c'))]);
    assert!(matches!(harness.app.screens.last(), Some(Screen::Scanner(_))));
    harness.run_until("the review", Harness::is_reviewing);
    assert!(harness.rang, "finding a code rings the bell");

    let screen = render_app(&harness.app, 100, 44);
    for expected in [
        "Review the scan",
        "QR code with a contact card",
        "Saving creates a new contact.",
        "Ada",
        "Lovelace",
        "Head of Research",
        "Analytical Engines Ltd",
        "ada@analytical.example",
        "+44 20 7946 0018",
        "12 St James's Square",
        "London",
        "United Kingdom",
        "Subscriber",
    ] {
        assert!(screen.contains(expected), "{expected:?} missing from the review:\n{screen}");
    }

    harness.send(vec![control('s')]);
    let notice = harness.app.notice().expect("a notice").text.clone();
    assert!(notice.starts_with("Contact saved: Ada Lovelace (new contact)"), "{notice}");
    assert!(matches!(harness.app.screens.last(), Some(Screen::Scanner(_))), "back on the scanner");

    let store = harness.app.store();
    let contact_id = store.contact_by_email("ada@analytical.example").unwrap().expect("saved");
    let contact = store.contact(contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::JobTitle), Some("Head of Research"));
    assert_eq!(contact.draft.get(Property::MobilePhone), Some("+44 20 7946 0018"));
    assert_eq!(contact.draft.get(Property::LifecycleStage), Some("subscriber"));
    assert_eq!(contact.draft.get(Property::OriginalSourceDrillDown2), Some("qr-code-scanner"));
    let sources = store.current_sources(contact_id).unwrap();
    assert_eq!(sources[Property::FirstName.key()].0, Source::QrCodeScanner);
    assert_eq!(sources[Property::City.key()].0, Source::QrCodeScanner);

    // Space scans the next code; Esc closes the scanner and stops the camera.
    let effects = feed(&mut harness.app, vec![key(KeyCode::Char(' '))]);
    assert!(matches!(effects.as_slice(), [Effect::PauseScanner { is_paused: false }]), "{effects:?}");
    let effects = feed(&mut harness.app, vec![key(KeyCode::Esc)]);
    assert!(matches!(effects.as_slice(), [Effect::StopScanner]), "{effects:?}");
    assert!(harness.app.screens.is_empty());
}

#[test]
fn a_scan_of_a_known_email_shows_what_changes_and_keeps_the_owner_and_users_values() {
    let mut harness = Harness::new(&[None, Some(VCARD)], |store| {
        let mut known = ContactDraft::default();
        known.set(Property::Email, "ADA@analytical.example");
        known.set(Property::FirstName, "Ada");
        known.set(Property::JobTitle, "Countess");
        known.set(Property::Owner, "grace");
        store.save_draft(&known, &store::WriteOptions::new(Source::User, now())).unwrap();
    });
    harness.send(vec![key(KeyCode::Char('c'))]);
    harness.run_until("the review", Harness::is_reviewing);
    let screen = render_app(&harness.app, 100, 44);
    assert!(screen.contains("Matches Ada (by email): saving updates that contact."), "{screen}");
    assert!(screen.contains("keeps your Job title"), "{screen}");
    assert!(screen.contains("fills Last name"), "{screen}");

    // The user retypes the city in the review: that value is the user's.
    let mut events = Vec::new();
    // Focus the city field: the form lists the standard properties in their order.
    let city_position = crate::model::STANDARD_PROPERTIES.iter().position(|&property| property == Property::City);
    events.extend((0..city_position.unwrap()).map(|_| key(KeyCode::Tab)));
    events.push(control('u'));
    events.extend(typing("Marylebone"));
    events.push(control('s'));
    harness.send(events);
    let notice = harness.app.notice().expect("a notice").text.clone();
    assert!(notice.contains("(updated, 1 of your values kept)"), "{notice}");

    let store = harness.app.store();
    let contact_id = store.contact_by_email("ada@analytical.example").unwrap().unwrap();
    let contact = store.contact(contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::JobTitle), Some("Countess"));
    assert_eq!(contact.draft.get(Property::Owner), Some("grace"));
    assert_eq!(contact.draft.get(Property::LastName), Some("Lovelace"));
    assert_eq!(contact.draft.get(Property::City), Some("Marylebone"));
    let sources = store.current_sources(contact_id).unwrap();
    assert_eq!(sources[Property::City.key()].0, Source::User);
    assert_eq!(sources[Property::LastName.key()].0, Source::QrCodeScanner);
}

#[test]
fn control_characters_in_a_code_never_reach_the_screen_and_text_is_offered_for_assignment() {
    let hostile = "\u{1b}]0;owned\u{7}Booth 12\r\n\u{1b}[2JJane Roe\nACME \u{9b}31mBadge";
    let mut harness = Harness::new(&[Some(hostile)], |_| ());
    harness.send(vec![key(KeyCode::Char('c'))]);
    harness.run_until("the review", Harness::is_reviewing);
    let screen = render_app(&harness.app, 100, 44);
    assert!(!screen.chars().any(|character| character.is_control() && character != '\n'), "{screen:?}");
    assert!(screen.contains("Text in the code"), "{screen}");
    assert!(screen.contains("Jane Roe"), "{screen}");

    // Ctrl-R puts the code's lines into the focused field (first name), one after the other.
    harness.send(vec![control('r'), control('r')]);
    harness.send(vec![control('s')]);
    let notice = harness.app.notice().expect("a notice").text.clone();
    assert!(notice.starts_with("Contact saved:"), "{notice}");
    let store = harness.app.store();
    let saved = store.all_contacts(false).unwrap();
    assert_eq!(saved.len(), 1);
    let first_name = saved[0].draft.get(Property::FirstName).unwrap_or_default().to_string();
    assert!(!first_name.chars().any(char::is_control), "{first_name:?}");
    assert!(first_name.contains("Jane Roe"), "{first_name:?}");
    assert!(saved[0].draft.get(Property::Notes).is_some_and(|notes| notes.contains("Booth 12")));
}

#[test]
fn no_camera_is_a_message_with_a_way_out() {
    let mut harness = Harness::new(&[], |_| ());
    harness.app.set_scan_source(SourceSpec::Camera { index: 97, resolution: None });
    harness.send(vec![key(KeyCode::Char('c'))]);
    harness.run_until("the failure", |app| {
        let screen = render_app(app, 100, 44);
        screen.contains("no camera") && screen.contains("o opens an image file or a folder of pictures instead")
    });
    // o, then a folder path: the scanner reads the folder instead.
    let folder = harness._directory.path().join("photos");
    std::fs::create_dir(&folder).unwrap();
    frame(Some("MECARD:N:Roe,Jane;EMAIL:jane@roe.example;;")).save(folder.join("badge.png")).unwrap();
    let mut events = vec![key(KeyCode::Char('o'))];
    events.extend(typing(&folder.display().to_string()));
    events.push(key(KeyCode::Enter));
    harness.send(events);
    harness.run_until("the review", Harness::is_reviewing);
    let screen = render_app(&harness.app, 100, 44);
    assert!(screen.contains("jane@roe.example"), "{screen}");
}

#[test]
fn a_captured_card_is_read_picked_and_saved_with_its_picture() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("card.png");
    cards::flat_card(&cards::sample_lines()).save(&path).unwrap();
    let mut harness = Harness::replaying(directory, vec![path], |_| ());
    harness.send(vec![key(KeyCode::Char('c'))]);
    harness.run_until("the picture", |app| render_app(app, 100, 44).contains("Space reads it as a business card"));

    // Space captures the card; the reader reads it on its own thread.
    harness.send(vec![key(KeyCode::Char(' '))]);
    harness.run_until("the capture", |app| matches!(app.screens.last(), Some(Screen::CardCorners(_))));
    assert!(render_app(&harness.app, 100, 44).contains("Reading the card"));
    harness.run_until("the card's lines", |app| matches!(app.screens.last(), Some(Screen::CardPick(_))));
    let screen = render_app(&harness.app, 100, 44);
    for expected in ["Text on the card", "Ada Lovelace", "ada@analytical-engines.co.uk"] {
        assert!(screen.contains(expected), "{expected:?} missing:\n{screen}");
    }

    // The first line is the name, the second the job title, whatever was suggested.
    harness.send(vec![key(KeyCode::Home), key(KeyCode::Char('n')), key(KeyCode::Down), key(KeyCode::Char('t'))]);
    harness.send(vec![key(KeyCode::Enter)]);
    assert!(Harness::is_reviewing(&harness.app));
    let screen = render_app(&harness.app, 100, 44);
    assert!(screen.contains("Scanned: business card"), "{screen}");
    assert!(screen.contains("Text on the card"), "{screen}");

    harness.send(vec![control('s')]);
    let notice = harness.app.notice().expect("a notice").text.clone();
    assert!(notice.starts_with("Contact saved: Ada Lovelace (new contact)"), "{notice}");
    assert!(matches!(harness.app.screens.last(), Some(Screen::Scanner(_))), "back on the scanner");

    let store = harness.app.store();
    let contact_id = store.contact_by_email("ada@analytical-engines.co.uk").unwrap().expect("saved");
    let contact = store.contact(contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::FirstName), Some("Ada"));
    assert_eq!(contact.draft.get(Property::LastName), Some("Lovelace"));
    assert_eq!(contact.draft.get(Property::JobTitle), Some("Chief Engineer"));
    assert_eq!(contact.draft.get(Property::OriginalSourceDrillDown2), Some("business-card-scanner"));
    let sources = store.current_sources(contact_id).unwrap();
    assert_eq!(sources[Property::Email.key()].0, Source::BusinessCardScanner);
    let images = store.card_images(contact_id).unwrap();
    assert_eq!(images.len(), 1, "the card's picture is kept");
    assert!(images[0].width > images[0].height);

    // The picture can be looked at again from the contact.
    harness.send(vec![key(KeyCode::Esc)]);
    let effects = harness.app.apply_transition(Some(Transition::ViewCardImage(contact_id)));
    assert!(matches!(effects.as_slice(), [Effect::DecodeCardImage { .. }]), "decoded by a worker");
    harness.workers.start_all(effects);
    harness.run_until("the card picture", |app| matches!(app.screens.last(), Some(Screen::CardImage(_))));
    assert!(render_app(&harness.app, 100, 44).contains("Business card of Ada Lovelace"));
}

#[test]
fn a_card_the_reader_cannot_find_leaves_the_corners_to_the_user() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("grey.png");
    RgbImage::from_pixel(640, 480, Rgb([128, 128, 128])).save(&path).unwrap();
    let mut harness = Harness::replaying(directory, vec![path], |_| ());
    harness.send(vec![key(KeyCode::Char('c'))]);
    harness.run_until("the picture", |app| render_app(app, 100, 44).contains("Space reads it as a business card"));
    harness.send(vec![key(KeyCode::Char(' '))]);
    harness.run_until("the reader's answer", |app| render_app(app, 100, 44).contains("Move the corners onto"));
    let screen = render_app(&harness.app, 100, 44);
    assert!(screen.contains("found no business card"), "{screen}");
    // Tab and the arrows move a corner; Esc goes back to scanning.
    harness.send(vec![key(KeyCode::Tab), key(KeyCode::Left)]);
    assert!(render_app(&harness.app, 100, 44).contains("Moving the top-right corner"));
    let effects = feed(&mut harness.app, vec![key(KeyCode::Esc)]);
    assert!(matches!(harness.app.screens.last(), Some(Screen::Scanner(_))));
    assert!(matches!(effects.as_slice(), [Effect::PauseScanner { is_paused: false }]), "{effects:?}");
}
