//! App tests: the whole loop without a terminal. Events go in, effects come out, and the
//! workers' functions are called directly where the runtime would start a thread.

use std::path::PathBuf;

use crossterm::event::{KeyCode, MouseEvent, MouseEventKind};

use super::*;
use crate::model::Property;
use crate::tui::test_support::{
    NOW, add, app_with, control, draft, empty_store, feed, key, now, render_app, sample_store, typing,
};
use crate::tui::workers::{ParsedBook, import_demo, import_drafts, read_address_books};

fn no_dir() -> PathBuf {
    PathBuf::from("/nonexistent")
}

/// A store file in a temporary directory, as the runtime uses (workers open it too).
fn store_file() -> (tempfile::TempDir, PathBuf, Store) {
    let directory = tempfile::tempdir().unwrap();
    let db_path = directory.path().join("rolo.db");
    let store = Store::open(&db_path).unwrap();
    store.set_setting(store::SETTING_DEFAULT_REGION, "US").unwrap();
    (directory, db_path, store)
}

#[test]
fn help_overlay_lists_every_key_of_the_screen() {
    let mut app = app_with(sample_store(), &no_dir());
    feed(&mut app, [key(KeyCode::Char('?'))]);
    assert_eq!(app.key_context(), KeyContext::Help);
    insta::assert_snapshot!(render_app(&app, 80, 24));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.key_context(), KeyContext::ContactList);
}

#[test]
fn help_in_the_form_opens_with_f1_because_question_marks_are_typed() {
    let mut app = app_with(sample_store(), &no_dir());
    feed(&mut app, [key(KeyCode::Char('n')), key(KeyCode::Char('?'))]);
    assert_eq!(app.key_context(), KeyContext::ContactForm);
    feed(&mut app, [key(KeyCode::F(1))]);
    insta::assert_snapshot!(render_app(&app, 80, 24));
}

#[test]
fn delete_shows_an_undo_notice_and_u_restores() {
    let mut app = app_with(sample_store(), &no_dir());
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Char('d'))]);
    assert_eq!(app.notice().map(|notice| notice.text.as_str()), Some("Deleted Ada Lovelace — u to undo"));
    insta::assert_snapshot!(render_app(&app, 80, 24));
    feed(&mut app, [key(KeyCode::Char('u'))]);
    assert_eq!(app.notice().map(|notice| notice.text.as_str()), Some("Restored Ada Lovelace"));
    assert!(render_app(&app, 80, 24).contains("Contacts (5)"));
    feed(&mut app, [key(KeyCode::Char('u'))]);
    assert_eq!(app.notice().map(|notice| notice.text.as_str()), Some("Nothing to undo."));
}

#[test]
fn delete_from_the_detail_returns_to_the_list() {
    let mut app = app_with(sample_store(), &no_dir());
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.key_context(), KeyContext::ContactDetail);
    feed(&mut app, [key(KeyCode::Char('d'))]);
    assert_eq!(app.key_context(), KeyContext::ContactList);
    assert!(render_app(&app, 80, 24).contains("Contacts (4)"));
    feed(&mut app, [key(KeyCode::Char('u'))]);
    assert!(render_app(&app, 80, 24).contains("Contacts (5)"));
}

#[test]
fn first_run_offers_the_demo_once() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_setting(store::SETTING_DEFAULT_REGION, "US").unwrap();
    let mut app = App::new(store, Rect::new(0, 0, 80, 24), &no_dir(), now).unwrap();
    assert_eq!(app.key_context(), KeyContext::Confirm);
    insta::assert_snapshot!(render_app(&app, 80, 24));
    feed(&mut app, [key(KeyCode::Char('n'))]);
    assert_eq!(app.key_context(), KeyContext::ContactList);
    assert_eq!(app.store().setting(store::SETTING_DEMO_OFFERED).unwrap().as_deref(), Some("declined"));
    store = std::mem::replace(&mut app, app_with(empty_store(), &no_dir())).store;
    let app = App::new(store, Rect::new(0, 0, 80, 24), &no_dir(), now).unwrap();
    assert_eq!(app.key_context(), KeyContext::ContactList, "asked only once");
}

/// An app on a new database file whose user said yes to the demo: the app asks for the
/// demo import, which the caller runs in the worker's place.
fn accept_the_demo() -> (tempfile::TempDir, PathBuf, App, ImportOptions) {
    let (directory, db_path, store) = store_file();
    let mut app = App::new(store, Rect::new(0, 0, 80, 24), &no_dir(), now).unwrap();
    let effects = feed(&mut app, [key(KeyCode::Char('y'))]);
    let [Effect::ImportDemo { options }] = effects.as_slice() else { panic!("expected the demo import") };
    let options = options.clone();
    (directory, db_path, app, options)
}

#[test]
fn accepting_the_demo_imports_it_through_the_import_path() {
    let (_directory, db_path, mut app, options) = accept_the_demo();
    assert_eq!((options.kind.as_str(), options.source), ("demo", Source::Demo));
    assert!(app.is_busy());
    assert_eq!(app.key_context(), KeyContext::ImportProgress);
    let report = import_demo(&db_path, &options, &mut |_, _| ()).unwrap();
    assert_eq!(report.n_new, 12);
    feed(&mut app, [Event::ImportFinished(Ok(report))]);
    let screen = render_app(&app, 80, 24);
    assert!(screen.contains("12 contacts imported"), "{screen}");
    feed(&mut app, [key(KeyCode::Enter)]);
    let screen = render_app(&app, 80, 24);
    insta::assert_snapshot!(screen);
    let sources =
        app.store().current_sources(app.store().contact_by_email("priya@lumenanalytics.io").unwrap().unwrap());
    assert_eq!(sources.unwrap()["first_name"].0, Source::Demo);
    assert_eq!(app.store().setting(store::SETTING_DEMO_OFFERED).unwrap().as_deref(), Some("accepted"));
}

/// `u` on the result asks first, then takes the import back in a worker: the demo contacts
/// are gone again and the notice says what undoing did.
#[test]
fn the_import_result_undoes_the_import_after_asking() {
    let (_directory, db_path, mut app, options) = accept_the_demo();
    let report = import_demo(&db_path, &options, &mut |_, _| ()).unwrap();
    let batch_id = report.batch_id.expect("a written import has a batch");
    feed(&mut app, [Event::ImportFinished(Ok(report))]);
    assert!(render_app(&app, 80, 24).contains("u takes this import back"));

    let effects = feed(&mut app, [key(KeyCode::Char('u'))]);
    assert!(effects.is_empty(), "nothing happens before the answer");
    let screen = render_app(&app, 80, 24);
    assert!(screen.contains("Undo this import? the 12 contacts it created are deleted"), "{screen}");
    feed(&mut app, [key(KeyCode::Char('n'))]);
    assert_eq!(app.key_context(), KeyContext::ImportResult, "n keeps the import");

    feed(&mut app, [key(KeyCode::Char('u'))]);
    let effects = feed(&mut app, [key(KeyCode::Char('y'))]);
    let [Effect::UndoImports { batch_ids }] = effects.as_slice() else { panic!("expected the undo: {effects:?}") };
    assert_eq!(batch_ids, &[batch_id]);
    assert!(app.is_busy());
    let reports = crate::tui::workers::undo_imports(&db_path, batch_ids).unwrap();
    feed(&mut app, [Event::ImportsUndone(Ok(reports))]);
    assert!(!app.is_busy());
    assert_eq!(app.key_context(), KeyContext::ContactList);
    let notice = app.notice().map(|notice| notice.text.clone()).unwrap_or_default();
    assert_eq!(notice, "Import undone: 12 contacts deleted, 0 restored, 0 addresses taken off the do-not-email list.");
    assert!(render_app(&app, 80, 24).contains("Contacts (0)"));
    assert_eq!(app.store().contact_by_email("priya@lumenanalytics.io").unwrap(), None);

    // A second undo of the same batch is refused with a reason, and nothing changes.
    let error = crate::tui::workers::undo_imports(&db_path, &[batch_id]).unwrap_err();
    assert!(format!("{error:#}").contains("undoing import"), "{error:#}");
}

const FIXTURE: &str = "BEGIN:VCARD\r
VERSION:3.0\r
N:Lovelace;Ada;;;\r
FN:Ada Lovelace\r
EMAIL:ada@analytical-engines.com\r
TITLE:Countess\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:Vaughan;Dorothy;;;\r
FN:Dorothy Vaughan\r
ORG:NASA\r
EMAIL;TYPE=WORK:dorothy@nasa.gov\r
TEL;TYPE=CELL:+1 757 555 0188\r
END:VCARD\r
BEGIN:VCARD\r
VERSION:3.0\r
N:Jackson;Mary;;;\r
FN:Mary Jackson\r
TEL:+1 757 555 0177\r
this line has no colon\r
END:VCARD\r
";

#[test]
fn vcard_import_from_file_to_result() {
    let (directory, db_path, store) = store_file();
    store.set_setting(store::SETTING_DEMO_OFFERED, "declined").unwrap();
    let mut store = store;
    let ada = draft(&[
        (Property::FirstName, "Ada"),
        (Property::Email, "ada@analytical-engines.com"),
        (Property::JobTitle, "Mathematician"),
    ]);
    add(&mut store, &ada, Source::User, NOW);
    std::fs::write(directory.path().join("contacts.vcf"), FIXTURE).unwrap();
    let mut app = app_with(store, directory.path());

    // (1) Choose the file: type its name, Tab completes it, Enter reads it in a worker.
    feed(&mut app, [key(KeyCode::Char('i'))]);
    assert_eq!(app.key_context(), KeyContext::FilePrompt);
    feed(&mut app, typing("cont"));
    feed(&mut app, [key(KeyCode::Tab)]);
    let effects = feed(&mut app, [key(KeyCode::Enter)]);
    let [Effect::ReadAddressBooks { request_id, paths }] = effects.as_slice() else { panic!("expected a read") };
    assert_eq!(paths, &[directory.path().join("contacts.vcf")]);
    assert_eq!(app.key_context(), KeyContext::Reading);
    assert!(render_app(&app, 80, 24).contains("Reading contacts.vcf… Esc cancels"));

    // (2) The worker's answer opens the picker.
    let book = read_address_books(paths, &db_path).unwrap();
    assert_eq!(book.cards.len(), 3);
    assert!(book.cards[0].existing.is_some());
    feed(&mut app, [Event::AddressBooksRead { request_id: *request_id, result: Ok(book) }]);
    assert_eq!(app.key_context(), KeyContext::ImportPicker);
    insta::assert_snapshot!("picker", render_app(&app, 80, 24));

    // (3) None, then all, then Enter asks; a list name is typed in the question.
    feed(&mut app, [key(KeyCode::Char('a'))]);
    assert!(render_app(&app, 80, 24).contains("Import 0 of 3"));
    feed(&mut app, [key(KeyCode::Char('a')), key(KeyCode::Enter), key(KeyCode::Char('l'))]);
    feed(&mut app, typing("Conference"));
    feed(&mut app, [key(KeyCode::Enter)]);
    insta::assert_snapshot!("confirm", render_app(&app, 80, 24));
    let effects = feed(&mut app, [key(KeyCode::Char('y'))]);
    let [Effect::Import { drafts, options }] = effects.as_slice() else { panic!("expected an import") };
    assert_eq!(drafts.len(), 3);
    assert_eq!(
        (
            options.kind.as_str(),
            options.source,
            options.lifecycle_default,
            options.list_name.as_deref(),
            options.n_skipped
        ),
        ("vcard-import", Source::VcardImport, crate::model::LifecycleStage::Lead, Some("Conference"), 0)
    );

    // (4) Progress, then the result.
    feed(&mut app, [Event::ImportProgress { n_done: 1, n_total: 3 }]);
    insta::assert_snapshot!("progress", render_app(&app, 80, 24));
    let report = import_drafts(&db_path, drafts, options, &mut |_, _| ()).unwrap();
    feed(&mut app, [Event::ImportFinished(Ok(report))]);
    insta::assert_snapshot!("result", render_app(&app, 80, 24));
    feed(&mut app, [key(KeyCode::Char('c'))]);
    let screen = render_app(&app, 80, 24);
    assert!(screen.contains("Ada Lovelace · Job title: kept “Mathematician”, not “Countess”"), "{screen}");
    feed(&mut app, [key(KeyCode::Esc), key(KeyCode::Enter)]);
    assert_eq!(app.key_context(), KeyContext::ContactList);
    assert!(render_app(&app, 80, 24).contains("Contacts (3)"));

    // The store has the contacts, from the import, on the list.
    let store = app.store();
    let dorothy = store.contact_by_email("dorothy@nasa.gov").unwrap().unwrap();
    let contact = store.contact(dorothy).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::LifecycleStage), Some("lead"));
    assert_eq!(contact.draft.get(Property::OriginalSourceDrillDown2), Some("vcard-import"));
    assert_eq!(store.current_sources(dorothy).unwrap()["company"].0, Source::VcardImport);
    assert_eq!(store.lists_of(dorothy).unwrap(), ["Conference"]);
    let ada = store.contact_by_email("ada@analytical-engines.com").unwrap().unwrap();
    assert_eq!(store.contact(ada).unwrap().unwrap().draft.get(Property::JobTitle), Some("Mathematician"));
}

#[test]
fn esc_while_reading_drops_the_result() {
    let (directory, db_path, store) = store_file();
    store.set_setting(store::SETTING_DEMO_OFFERED, "declined").unwrap();
    std::fs::write(directory.path().join("contacts.vcf"), FIXTURE).unwrap();
    let mut app = app_with(store, directory.path());
    feed(&mut app, [key(KeyCode::Char('i'))]);
    feed(&mut app, typing("contacts.vcf"));
    let effects = feed(&mut app, [key(KeyCode::Enter)]);
    let [Effect::ReadAddressBooks { request_id, paths }] = effects.as_slice() else { panic!("expected a read") };
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(!app.is_busy());
    assert_eq!(app.key_context(), KeyContext::FilePrompt);
    let book = read_address_books(paths, &db_path).unwrap();
    feed(&mut app, [Event::AddressBooksRead { request_id: *request_id, result: Ok(book) }]);
    assert_eq!(app.key_context(), KeyContext::FilePrompt, "a cancelled read opens no picker");
}

#[test]
fn failed_import_returns_to_the_picker_with_a_notice() {
    let mut app = app_with(sample_store(), &no_dir());
    let book = ParsedBook { label: "x.vcf".into(), cards: Vec::new(), warnings: Vec::new() };
    let mut picker = ImportPicker::new(ParsedBook {
        cards: vec![crate::tui::workers::ParsedCard { draft: draft(&[(Property::FirstName, "Zed")]), existing: None }],
        ..book
    });
    picker.set_viewport(Rect::new(0, 0, 80, 22));
    app.push_screen(Screen::ImportPicker(picker));
    let effects = feed(&mut app, [key(KeyCode::Enter), key(KeyCode::Char('y'))]);
    assert_eq!(effects.len(), 1);
    feed(&mut app, [Event::ImportFinished(Err(anyhow::anyhow!("the database is locked")))]);
    assert_eq!(app.key_context(), KeyContext::ImportPicker);
    let screen = render_app(&app, 80, 24);
    assert!(screen.contains("Import failed, nothing was imported: the database is locked"), "{screen}");
}

#[test]
fn new_contact_is_saved_and_shown_with_its_sources() {
    let mut app = app_with(sample_store(), &no_dir());
    feed(&mut app, [key(KeyCode::Char('n'))]);
    feed(&mut app, typing("Dorothy"));
    feed(&mut app, [key(KeyCode::Tab)]);
    feed(&mut app, typing("Vaughan"));
    feed(&mut app, [key(KeyCode::Tab)]);
    feed(&mut app, typing("grace@navy.mil"));
    feed(&mut app, [control('s')]);
    assert_eq!(app.key_context(), KeyContext::ContactForm, "the email belongs to Grace");
    insta::assert_snapshot!("email_taken", render_app(&app, 80, 24));
    feed(&mut app, [control('u')]);
    feed(&mut app, typing("dorothy@nasa.gov"));
    feed(&mut app, [control('s')]);
    assert_eq!(app.key_context(), KeyContext::ContactDetail);
    insta::assert_snapshot!("saved", render_app(&app, 80, 24));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(render_app(&app, 80, 24).contains("Contacts (6)"));
}

#[test]
fn esc_on_a_changed_form_asks_before_discarding() {
    let mut app = app_with(sample_store(), &no_dir());
    feed(&mut app, [key(KeyCode::Char('e'))]);
    feed(&mut app, typing("x"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.key_context(), KeyContext::Confirm);
    insta::assert_snapshot!(render_app(&app, 80, 24));
    feed(&mut app, [key(KeyCode::Char('n'))]);
    assert_eq!(app.key_context(), KeyContext::ContactForm);
    feed(&mut app, [key(KeyCode::Esc), key(KeyCode::Char('y'))]);
    assert_eq!(app.key_context(), KeyContext::ContactList);
    assert!(!render_app(&app, 80, 24).contains("Hopperx"));
}

#[test]
fn escape_sequences_never_reach_the_detail_view() {
    let mut store = empty_store();
    let evil = draft(&[
        (Property::FirstName, "Eve\u{1b}[2J"),
        (Property::LastName, "Sneaky\u{7}"),
        (Property::Notes, "line one\nline two\u{1b}]0;title\u{7}"),
    ]);
    add(&mut store, &evil, Source::VcardImport, NOW);
    let mut app = app_with(store, &no_dir());
    feed(&mut app, [key(KeyCode::Enter)]);
    let screen = render_app(&app, 80, 24);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
    insta::assert_snapshot!(screen);
}

#[test]
fn mouse_clicks_select_and_resize_redraws() {
    let mut app = app_with(sample_store(), &no_dir());
    app.take_needs_redraw();
    let click = MouseEvent {
        kind: MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: 5,
        row: 4,
        modifiers: crossterm::event::KeyModifiers::NONE,
    };
    feed(&mut app, [Event::Mouse(click)]);
    assert!(app.take_needs_redraw());
    assert!(render_app(&app, 80, 24).contains("> Ada Lovelace"));
    let moved = MouseEvent { kind: MouseEventKind::Moved, ..click };
    feed(&mut app, [Event::Mouse(moved)]);
    assert!(!app.take_needs_redraw(), "mouse moves do not redraw");
    feed(&mut app, [Event::Resize { width: 60, height: 12 }]);
    assert!(app.take_needs_redraw());
    insta::assert_snapshot!(render_app(&app, 60, 12));
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let mut app = app_with(sample_store(), &no_dir());
    feed(&mut app, [key(KeyCode::Char('n')), key(KeyCode::Char('?'))]);
    feed(&mut app, [control('c')]);
    assert!(app.should_quit());
    let mut app = app_with(sample_store(), &no_dir());
    feed(&mut app, [key(KeyCode::Char('q'))]);
    assert!(app.should_quit());
}

const CSV_FIXTURE: &str = "\
Email Address,First Name,Last Name,Company,Badge,Opted out?
ada@analytical-engines.com,Ada,Lovelace,Analytical Engines,K-1,no
bob@example.org,Bob,Builder,,K-2,yes
not-an-email,Broken,Row,,K-3,no
";

/// A file that cannot be read is left out of the preview and the import, which go on with
/// the others, as `rolo import csv` does; alone, it is an error.
#[test]
fn csv_preview_leaves_out_a_file_that_cannot_be_read() {
    let (directory, db_path, store) = store_file();
    store.set_setting(store::SETTING_DEMO_OFFERED, "declined").unwrap();
    std::fs::write(directory.path().join("fair.csv"), CSV_FIXTURE).unwrap();
    std::fs::write(directory.path().join("broken.csv"), [0u8, 159, 146, 150, 0, 1, 2, 3].repeat(64)).unwrap();
    let mut app = app_with(store, directory.path());
    feed(&mut app, [key(KeyCode::Char('i'))]);
    feed(&mut app, typing("fair.csv broken.csv"));
    let effects = feed(&mut app, [key(KeyCode::Enter)]);
    let [Effect::PreviewCsv { request_id, paths, settings }] = effects.as_slice() else { panic!("expected a preview") };
    assert_eq!(paths.len(), 2);
    let preview = crate::tui::workers::preview_csv(paths, settings, &db_path).unwrap();
    assert_eq!(preview.paths, [directory.path().join("fair.csv")]);
    assert_eq!(preview.left_out.len(), 1);
    feed(&mut app, [Event::CsvPreviewRead { request_id: *request_id, result: Ok(preview) }]);
    let screen = render_app(&app, 100, 24);
    assert!(screen.contains("Left out: broken.csv is not a CSV or spreadsheet file"), "{screen}");
    assert!(screen.contains("(1 of 1)"), "{screen}");
    feed(&mut app, [key(KeyCode::Enter)]);
    let effects = feed(&mut app, [key(KeyCode::Char('y'))]);
    let [Effect::ImportCsv { paths, .. }] = effects.as_slice() else { panic!("expected an import") };
    assert_eq!(paths, &[directory.path().join("fair.csv")]);

    let alone = crate::tui::workers::preview_csv(&[directory.path().join("broken.csv")], settings, &db_path);
    let error = format!("{:#}", alone.unwrap_err());
    assert!(error.contains("broken.csv") && error.contains("not a CSV"), "{error}");
}

#[test]
fn csv_import_from_file_through_preview_and_mapping_to_result() {
    let (directory, db_path, store) = store_file();
    store.set_setting(store::SETTING_DEMO_OFFERED, "declined").unwrap();
    std::fs::write(directory.path().join("fair.csv"), CSV_FIXTURE).unwrap();
    let mut app = app_with(store, directory.path());

    // (1) A CSV file goes to the preview worker, which also counts a dry run.
    feed(&mut app, [key(KeyCode::Char('i'))]);
    feed(&mut app, typing("fair.csv"));
    let effects = feed(&mut app, [key(KeyCode::Enter)]);
    let [Effect::PreviewCsv { request_id, paths, settings }] = effects.as_slice() else { panic!("expected a preview") };
    assert_eq!(app.key_context(), KeyContext::Reading);
    let preview = crate::tui::workers::preview_csv(paths, settings, &db_path).unwrap();
    assert_eq!(preview.files[0].dry_run.report.n_new, 2);
    assert_eq!(app.store().count(&ListQuery::default()).unwrap(), 0, "a dry run writes nothing");
    feed(&mut app, [Event::CsvPreviewRead { request_id: *request_id, result: Ok(preview) }]);
    assert_eq!(app.key_context(), KeyContext::ImportPreview);
    insta::assert_snapshot!("csv_preview", render_app(&app, 80, 24));

    // (2) Badge becomes the external id: → walks the choices; the counts go stale.
    let badge_line =
        |app: &App| render_app(app, 80, 24).lines().find(|line| line.contains("Badge")).unwrap_or_default().to_string();
    assert!(badge_line(&app).contains("→ custom:badge"), "{}", badge_line(&app));
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Down)]);
    for _ in 0..40 {
        feed(&mut app, [key(KeyCode::Right)]);
        if badge_line(&app).contains("→ external_id") {
            break;
        }
    }
    let screen = render_app(&app, 80, 24);
    assert!(badge_line(&app).contains("→ external_id"), "{screen}");
    assert!(screen.contains("Counts out of date"), "{screen}");
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.notice().is_some_and(|notice| notice.text.contains("counts again")));
    let effects = feed(&mut app, [key(KeyCode::Char('r'))]);
    let [Effect::PreviewCsv { request_id, paths, settings }] = effects.as_slice() else { panic!("expected a recount") };
    let preview = crate::tui::workers::preview_csv(paths, settings, &db_path).unwrap();
    feed(&mut app, [Event::CsvPreviewRead { request_id: *request_id, result: Ok(preview) }]);
    let screen = render_app(&app, 80, 24);
    assert!(screen.contains("Dry run: 2 new · 0 updated · 0 unchanged · 0 skipped · 1 invalid"), "{screen}");
    assert!(screen.contains("1 opted out · 0 bounced · 0 without email"), "{screen}");

    // The rows that will not be imported can be saved beside the file; `d` reads the file
    // again with the next delimiter.
    let effects = feed(&mut app, [key(KeyCode::Char('s'))]);
    let [Effect::SaveErrors { path, errors }] = effects.as_slice() else { panic!("expected a save") };
    assert_eq!(path, &directory.path().join("fair.errors.csv"));
    crate::tui::workers::save_errors(path, errors).unwrap();
    feed(&mut app, [Event::ErrorsSaved(Ok(path.clone()))]);
    let saved = std::fs::read_to_string(path).unwrap();
    assert_eq!(saved, "file,row,column,reason\nfair.csv,4,Email Address,not an email address: not-an-email\n");
    let effects = feed(&mut app, [key(KeyCode::Char('d'))]);
    let [Effect::PreviewCsv { settings, .. }] = effects.as_slice() else { panic!("expected a new read") };
    assert_eq!(settings.csv.delimiter, Some(b';'));
    let effects = feed(&mut app, [key(KeyCode::Esc)]);
    assert!(effects.is_empty() && !app.is_busy(), "Esc drops the new read");

    // (3) Enter asks (the list is named after the file), y imports in a worker.
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(render_app(&app, 80, 24).contains("(fair; l to type another)"));
    let effects = feed(&mut app, [key(KeyCode::Char('y'))]);
    let [Effect::ImportCsv { paths, settings }] = effects.as_slice() else { panic!("expected an import") };
    feed(&mut app, [Event::ImportProgress { n_done: 1, n_total: 3 }]);
    assert_eq!(app.key_context(), KeyContext::ImportProgress);
    let reports = crate::tui::workers::import_csv_files(&db_path, paths, settings, &mut |_, _| ()).unwrap();
    feed(&mut app, [Event::CsvImportFinished(Ok(reports))]);
    insta::assert_snapshot!("csv_result", render_app(&app, 80, 24));
    feed(&mut app, [key(KeyCode::Enter)]);
    let screen = render_app(&app, 80, 24);
    assert!(screen.contains("⊘ bob@example.org"), "the list marks the opted-out address: {screen}");
    feed(&mut app, [key(KeyCode::Home), key(KeyCode::Enter)]);
    let detail = render_app(&app, 80, 60);
    assert!(detail.contains("⊘ unsubscribed"), "the detail says why: {detail}");
    feed(&mut app, [key(KeyCode::Esc)]);

    let store = app.store();
    let ada = store.contact_by_email("ada@analytical-engines.com").unwrap().unwrap();
    assert_eq!(store.external_id(ada).unwrap().as_deref(), Some("K-1"));
    assert_eq!(store.lists_of(ada).unwrap(), ["fair"]);
    assert_eq!(store.do_not_email_reasons("bob@example.org").unwrap(), [crate::model::DoNotEmailReason::Unsubscribed]);
    assert_eq!(store.remembered_mappings().unwrap().get("badge").map(String::as_str), Some("external_id"));
}
