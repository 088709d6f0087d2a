//! Store tests: every migration runs, dedupe and merge rules, history, companies, lists,
//! trash, search and the all-or-nothing import.

use super::*;
use crate::model::{ContactDraft, LifecycleStage, PhoneEntry, Property, Source, Timestamp};

const NOW: Timestamp = Timestamp(1_800_000_000_000);

fn draft(pairs: &[(Property, &str)]) -> ContactDraft {
    let mut draft = ContactDraft::default();
    for (property, value) in pairs {
        draft.set(*property, *value);
    }
    draft
}

fn import_options(kind: &str) -> ImportOptions {
    ImportOptions::new(kind, "test.vcf", Source::VcardImport, NOW)
}

fn store() -> Store {
    let store = Store::open_in_memory().unwrap();
    store.set_setting(SETTING_DEFAULT_REGION, "US").unwrap();
    store
}

#[test]
fn new_contact_gets_defaults_history_company_and_website() {
    let mut store = store();
    let options = WriteOptions {
        lifecycle_default: Some(LifecycleStage::Lead),
        drill_down_2: Some("vcard-import".into()),
        ..WriteOptions::new(Source::VcardImport, NOW)
    };
    let ada =
        draft(&[(Property::FirstName, "Ada"), (Property::Email, "Ada@Acme.com"), (Property::Phone, "(650) 253-0000")]);
    let outcome = store.save_draft(&ada, &options).unwrap();
    assert_eq!(outcome.kind, OutcomeKind::Created);
    let contact = store.contact(outcome.contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::LifecycleStage), Some("lead"));
    assert_eq!(contact.draft.get(Property::OriginalSourceDrillDown2), Some("vcard-import"));
    assert_eq!(contact.draft.get(Property::Website), Some("https://acme.com"));
    assert_eq!(contact.normalized_phones.get(&Property::Phone).map(String::as_str), Some("+16502530000"));
    let company = store.company(contact.company_id.unwrap()).unwrap().unwrap();
    assert_eq!((company.domain.as_str(), company.name.as_str()), ("acme.com", "Acme"));
    let sources = store.current_sources(outcome.contact_id).unwrap();
    assert_eq!(sources["first_name"].0, Source::VcardImport);
    assert_eq!(sources["website"].0, Source::Derived);
    assert_eq!(store.properties_filled_by(outcome.contact_id, Source::Derived).unwrap(), vec!["website".to_string()]);
}

#[test]
fn free_mail_and_no_email_are_not_associated() {
    let mut store = store();
    let options = WriteOptions::new(Source::User, NOW);
    let gmail = store.save_draft(&draft(&[(Property::Email, "ada@gmail.com")]), &options).unwrap();
    let nobody = store.save_draft(&draft(&[(Property::FirstName, "Nobody")]), &options).unwrap();
    assert!(!nobody.has_email);
    for contact_id in [gmail.contact_id, nobody.contact_id] {
        let contact = store.contact(contact_id).unwrap().unwrap();
        assert_eq!(contact.company_id, None);
        assert_eq!(contact.draft.get(Property::Website), None);
    }
    // Two contacts without email never merge.
    let again = store.save_draft(&draft(&[(Property::FirstName, "Nobody")]), &options).unwrap();
    assert_ne!(again.contact_id, nobody.contact_id);
}

#[test]
fn same_email_updates_and_user_values_win_as_conflicts() {
    let mut store = store();
    let user = WriteOptions::new(Source::User, NOW);
    let first = store
        .save_draft(&draft(&[(Property::Email, "grace@navy.mil"), (Property::JobTitle, "Rear Admiral")]), &user)
        .unwrap();
    let scan = WriteOptions::new(Source::QrCodeScanner, Timestamp(NOW.0 + 1));
    let offered =
        draft(&[(Property::Email, "GRACE@navy.mil"), (Property::JobTitle, "Commodore"), (Property::City, "Arlington")]);
    let outcome = store.save_draft(&offered, &scan).unwrap();
    assert_eq!(outcome.contact_id, first.contact_id);
    assert_eq!(outcome.kind, OutcomeKind::Updated);
    assert_eq!(
        outcome.conflicts,
        vec![Conflict {
            contact_id: first.contact_id,
            property: "job_title".into(),
            kept: "Rear Admiral".into(),
            offered: "Commodore".into()
        }]
    );
    let contact = store.contact(first.contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::JobTitle), Some("Rear Admiral"));
    assert_eq!(contact.draft.get(Property::City), Some("Arlington"));
    assert_eq!(contact.draft.get(Property::Email), Some("grace@navy.mil"));
    assert!(store.was_ever_set_by(first.contact_id, "job_title", Source::User).unwrap());
    assert!(!store.was_ever_set_by(first.contact_id, "city", Source::User).unwrap());
    // The same scan again changes nothing.
    let again = store.save_draft(&offered, &scan).unwrap();
    assert_eq!(again.kind, OutcomeKind::Unchanged);
}

#[test]
fn imported_values_update_imported_values_and_owner_rule_holds() {
    let mut store = store();
    let import = WriteOptions::new(Source::VcardImport, NOW);
    let first = store
        .save_draft(
            &draft(&[(Property::Email, "a@b.org"), (Property::City, "Oslo"), (Property::Owner, "kim")]),
            &import,
        )
        .unwrap();
    let scan = WriteOptions { may_change_owner: false, ..WriteOptions::new(Source::BusinessCardScanner, NOW) };
    store
        .save_draft(
            &draft(&[(Property::Email, "a@b.org"), (Property::City, "Bergen"), (Property::Owner, "lee")]),
            &scan,
        )
        .unwrap();
    let contact = store.contact(first.contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::City), Some("Bergen"));
    assert_eq!(contact.draft.get(Property::Owner), Some("kim"));
}

#[test]
fn merge_unions_additional_emails_and_phones_and_never_erases() {
    let mut store = store();
    let options = WriteOptions::new(Source::VcardImport, NOW);
    let mut first =
        draft(&[(Property::Email, "x@y.com"), (Property::Phone, "+1 650 253 0000"), (Property::Notes, "keep me")]);
    first.additional_emails.push("x2@y.com".into());
    let outcome = store.save_draft(&first, &options).unwrap();
    let mut second = draft(&[(Property::Email, "x@y.com")]);
    second.additional_emails = vec!["X2@y.com".into(), "x3@y.com".into()];
    second.additional_phones = vec![
        PhoneEntry { kind: "work".into(), value: "650-253-0000".into() },
        PhoneEntry { kind: "pager".into(), value: "555 0100".into() },
    ];
    store.save_draft(&second, &options).unwrap();
    let contact = store.contact(outcome.contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.additional_emails, vec!["x2@y.com", "x3@y.com"]);
    assert_eq!(contact.draft.additional_phones, vec![PhoneEntry { kind: "pager".into(), value: "555 0100".into() }]);
    assert_eq!(contact.draft.get(Property::Notes), Some("keep me"));
}

#[test]
fn user_edit_replaces_clears_and_checks_email_uniqueness() {
    let mut store = store();
    let options = WriteOptions::new(Source::VcardImport, NOW);
    let ada =
        store.save_draft(&draft(&[(Property::Email, "ada@acme.com"), (Property::City, "London")]), &options).unwrap();
    let bob = store.save_draft(&draft(&[(Property::Email, "bob@acme.com")]), &options).unwrap();
    let mut edited = store.contact(ada.contact_id).unwrap().unwrap().draft;
    edited.set(Property::City, "");
    edited.set(Property::FirstName, "Ada");
    store.update_contact(ada.contact_id, &edited, Source::User, Timestamp(NOW.0 + 5)).unwrap();
    let contact = store.contact(ada.contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::City), None);
    assert_eq!(contact.draft.get(Property::OriginalSource), Some("offline"));
    let history = store.history(ada.contact_id).unwrap();
    assert!(
        history
            .iter()
            .any(|change| change.property == "city" && change.value.is_empty() && change.source == Source::User)
    );
    edited.set(Property::Email, "BOB@acme.com");
    let error = store.update_contact(ada.contact_id, &edited, Source::User, NOW).unwrap_err();
    assert!(matches!(error, Error::EmailTaken { existing, .. } if existing == bob.contact_id), "{error}");
}

#[test]
fn import_is_one_batch_with_counts_list_and_dry_run() {
    let mut store = store();
    store.save_draft(&draft(&[(Property::Email, "old@acme.com")]), &WriteOptions::new(Source::User, NOW)).unwrap();
    let drafts = vec![
        draft(&[(Property::Email, "old@acme.com"), (Property::City, "Paris")]),
        draft(&[(Property::Email, "new@acme.com")]),
        draft(&[(Property::FirstName, "No Email")]),
        ContactDraft::default(),
    ];
    let mut dry = import_options("vcard-import");
    dry.dry_run = true;
    dry.list_name = Some("Booth".into());
    let preview = store.import_drafts(&drafts, &dry, &mut |_, _| ()).unwrap();
    assert_eq!((preview.n_new, preview.n_updated, preview.n_no_email, preview.n_skipped), (2, 1, 1, 1));
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 1, "a dry run writes nothing");
    assert!(store.lists().unwrap().is_empty());

    let mut real = dry.clone();
    real.dry_run = false;
    let mut progress_calls = Vec::new();
    let report = store.import_drafts(&drafts, &real, &mut |done, total| progress_calls.push((done, total))).unwrap();
    assert_eq!(report.n_imported(), 3);
    assert_eq!(progress_calls.last(), Some(&(4, 4)));
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 3);
    let booth = store.list_by_name("booth").unwrap().unwrap();
    assert_eq!(booth.n_members, 3);
    let new_id = store.contact_by_email("new@acme.com").unwrap().unwrap();
    assert_eq!(store.lists_of(new_id).unwrap(), vec!["Booth"]);
    assert_eq!(store.contacts_filled_by(Source::VcardImport).unwrap().len(), 3);
    assert_foreign_keys_hold(&store);
}

#[test]
fn failed_import_leaves_nothing_behind() {
    let mut store = store();
    let mut bad = draft(&[(Property::Email, "ok@acme.com")]);
    bad.custom.insert("Not A Valid Name".into(), "x".into());
    let drafts = vec![draft(&[(Property::Email, "first@acme.com")]), bad];
    assert!(store.import_drafts(&drafts, &import_options("vcard-import"), &mut |_, _| ()).is_err());
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 0);
    assert!(store.companies().unwrap().is_empty());
    assert_foreign_keys_hold(&store);
}

#[test]
fn trash_and_restore_and_reimport_restores() {
    let mut store = store();
    let options = WriteOptions::new(Source::User, NOW);
    let ada = store.save_draft(&draft(&[(Property::Email, "ada@acme.com")]), &options).unwrap();
    store.delete_contacts(&[ada.contact_id], NOW).unwrap();
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 0);
    assert_eq!(store.count(&ListQuery { is_trash: true, ..ListQuery::default() }).unwrap(), 1);
    store.restore_contacts(&[ada.contact_id]).unwrap();
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 1);
    store.delete_contacts(&[ada.contact_id], NOW).unwrap();
    let again = store.save_draft(&draft(&[(Property::Email, "ada@acme.com")]), &options).unwrap();
    assert_eq!((again.contact_id, again.kind), (ada.contact_id, OutcomeKind::Updated));
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 1);
    store.delete_contacts(&[ada.contact_id], NOW).unwrap();
    assert_eq!(store.empty_trash().unwrap(), 1);
    assert!(store.contact(ada.contact_id).unwrap().is_none());
}

#[test]
fn search_matches_prefixes_across_fields_and_sorts() {
    let mut store = store();
    let options = WriteOptions::new(Source::User, NOW);
    for (first, last, email, company, phone) in [
        ("Ada", "Lovelace", "ada@analytical.org", "Analytical Engines", "+44 20 7946 0958"),
        ("Grace", "Hopper", "grace@navy.mil", "US Navy", "(650) 253-0000"),
        ("Zoë", "Ångström", "", "Ürban Labs", ""),
    ] {
        let mut contact = draft(&[
            (Property::FirstName, first),
            (Property::LastName, last),
            (Property::Email, email),
            (Property::Company, company),
            (Property::Phone, phone),
        ]);
        contact.set(Property::Notes, "met at booth 7");
        store.save_draft(&contact, &options).unwrap();
    }
    let search = |text: &str| {
        store
            .summaries(&ListQuery { search: text.into(), ..ListQuery::default() })
            .unwrap()
            .into_iter()
            .map(|summary| summary.first_name)
            .collect::<Vec<_>>()
    };
    assert_eq!(search("lov"), vec!["Ada"]);
    assert_eq!(search("navy"), vec!["Grace"]);
    assert_eq!(search("grace@nav"), vec!["Grace"]);
    assert_eq!(search("6502530000"), vec!["Grace"]);
    assert_eq!(search("253-0000"), vec!["Grace"]);
    assert_eq!(search("angstrom"), vec!["Zoë"], "diacritics are folded");
    assert_eq!(
        search("booth"),
        vec!["Grace", "Ada", "Zoë"].into_iter().map(|name| name.to_string()).collect::<Vec<_>>()
    );
    assert!(search("nobody").is_empty());
    let by_name: Vec<String> =
        store.summaries(&ListQuery::default()).unwrap().into_iter().map(|s| s.last_name).collect();
    assert_eq!(by_name, vec!["Hopper", "Lovelace", "Ångström"]);
    let page = store.summaries(&ListQuery { offset: 1, limit: 1, descending: true, ..ListQuery::default() }).unwrap();
    assert_eq!(page[0].last_name, "Lovelace");
}

#[test]
fn custom_property_names_are_checked() {
    let store = store();
    store.define_custom_property("badge_id", "Badge ID").unwrap();
    assert!(matches!(store.define_custom_property("email", "x"), Err(Error::InvalidPropertyName(_))));
    assert!(matches!(store.define_custom_property("Has Space", "x"), Err(Error::InvalidPropertyName(_))));
    assert_eq!(store.custom_properties().unwrap(), vec![("badge_id".to_string(), "Badge ID".to_string())]);
}

#[cfg(unix)]
#[test]
fn file_database_is_private_wal_and_shared_between_connections() {
    use std::os::unix::fs::PermissionsExt;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("nested/rolo.db");
    let mut first = Store::open(&path).unwrap();
    let second = Store::open(&path).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let mode: String = first.connection.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let page_size: i64 = first.connection.query_row("PRAGMA page_size", [], |row| row.get(0)).unwrap();
    assert_eq!(page_size, 16384);
    assert_eq!(first.schema_version().unwrap(), MIGRATIONS.len() as i64);
    first.save_draft(&draft(&[(Property::Email, "a@b.org")]), &WriteOptions::new(Source::User, NOW)).unwrap();
    assert_eq!(second.count(&ListQuery::default()).unwrap(), 1);
}

/// A database made with SQLite's default 4 KiB pages (as earlier versions did) keeps them.
#[test]
fn an_existing_database_keeps_its_page_size() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("rolo.db");
    let old = rusqlite::Connection::open(&path).unwrap();
    old.execute_batch("PRAGMA page_size = 4096; CREATE TABLE earlier (x);").unwrap();
    drop(old);
    let mut store = Store::open(&path).unwrap();
    store.save_draft(&draft(&[(Property::Email, "a@b.org")]), &WriteOptions::new(Source::User, NOW)).unwrap();
    let page_size: i64 = store.connection.query_row("PRAGMA page_size", [], |row| row.get(0)).unwrap();
    assert_eq!(page_size, 4096);
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 1);
}

/// Schema 5 recreates the search index: contacts of an older database are found again,
/// by name and by phone digits, and trashed ones are not.
#[test]
fn a_schema_4_database_is_searchable_after_the_upgrade() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("rolo.db");
    let old = rusqlite::Connection::open(&path).unwrap();
    for migration in &MIGRATIONS[..4] {
        old.execute_batch(migration).unwrap();
    }
    old.execute_batch(
        "PRAGMA user_version = 4;
         INSERT INTO contacts (id, first_name, last_name, phone, sort_name, created_at, updated_at)
             VALUES (1, 'Ada', 'Lovelace', '+44 20 7946 0000', 'lovelace ada', 1, 1);
         INSERT INTO contacts (id, first_name, sort_name, created_at, updated_at, deleted_at)
             VALUES (2, 'Adam', 'adam', 1, 1, 5);
         INSERT INTO contacts_fts (rowid, names) VALUES (1, 'Ada Lovelace');",
    )
    .unwrap();
    drop(old);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    let found = |search: &str| store.count(&ListQuery { search: search.into(), ..ListQuery::default() }).unwrap();
    assert_eq!(found("lovel"), 1);
    assert_eq!(found("ada"), 1, "the trashed Adam stays out of the index");
    assert_eq!(found("442079"), 1);
    let index_names: Vec<String> = store
        .connection
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE '%batch'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(index_names, ["do_not_email_batch"]);
}

#[cfg(unix)]
#[test]
fn read_only_database_gives_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("rolo.db");
    drop(Store::open(&path).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    // Root ignores file modes; the check only means something for ordinary users.
    if std::fs::OpenOptions::new().write(true).open(&path).is_ok() {
        return;
    }
    let result = Store::open(&path).and_then(|mut store| {
        store.save_draft(&draft(&[(Property::Email, "a@b.org")]), &WriteOptions::new(Source::User, NOW))
    });
    let message = result.unwrap_err().to_string();
    assert!(message.contains("read-only"), "{message}");
}

#[test]
fn list_memberships_of_all_contacts_in_one_query() {
    let mut store = store();
    let options = WriteOptions::new(Source::User, NOW);
    let ada = store.save_draft(&draft(&[(Property::Email, "ada@acme.com")]), &options).unwrap().contact_id;
    let bob = store.save_draft(&draft(&[(Property::Email, "bob@acme.com")]), &options).unwrap().contact_id;
    let nobody = store.save_draft(&draft(&[(Property::FirstName, "Nobody")]), &options).unwrap().contact_id;
    let booth = store.create_list("booth").unwrap();
    let friends = store.create_list("Friends").unwrap();
    store.add_to_list(friends, &[ada]).unwrap();
    store.add_to_list(booth, &[ada, bob]).unwrap();
    let memberships = store.list_memberships().unwrap();
    assert_eq!(memberships[&ada], vec!["booth", "Friends"]);
    assert_eq!(memberships[&bob], vec!["booth"]);
    assert!(!memberships.contains_key(&nobody));
    assert_eq!(memberships[&ada], store.lists_of(ada).unwrap());
}

#[test]
fn trashed_contacts_leave_search_and_come_back_on_restore() {
    let mut store = store();
    let options = WriteOptions::new(Source::User, NOW);
    let ada =
        store.save_draft(&draft(&[(Property::FirstName, "Ada"), (Property::Email, "ada@acme.com")]), &options).unwrap();
    store.save_draft(&draft(&[(Property::FirstName, "Adam"), (Property::Email, "adam@acme.com")]), &options).unwrap();
    let search = |store: &Store, text: &str, is_trash: bool| {
        let query = ListQuery { search: text.into(), is_trash, limit: 10, ..ListQuery::default() };
        let names: Vec<String> = store.summaries(&query).unwrap().into_iter().map(|s| s.first_name).collect();
        assert_eq!(store.count(&query).unwrap(), names.len());
        names
    };
    assert_eq!(search(&store, "ada", false), vec!["Ada", "Adam"]);
    store.delete_contacts(&[ada.contact_id], NOW).unwrap();
    assert_eq!(search(&store, "ada", false), vec!["Adam"]);
    assert_eq!(search(&store, "ada", true), vec!["Ada"], "the trash is searched too");
    assert_eq!(search(&store, "acme", true), vec!["Ada"]);
    store.restore_contacts(&[ada.contact_id]).unwrap();
    assert_eq!(search(&store, "ada", false), vec!["Ada", "Adam"]);
    // Re-importing a trashed contact without changes restores it into the search too.
    store.delete_contacts(&[ada.contact_id], NOW).unwrap();
    store.save_draft(&draft(&[(Property::Email, "ada@acme.com")]), &options).unwrap();
    assert_eq!(search(&store, "ada", false), vec!["Ada", "Adam"]);
}

#[test]
fn pages_from_the_end_and_dense_searches_match_the_plain_order() {
    let mut store = store();
    let drafts: Vec<ContactDraft> = (0..300)
        .map(|index| {
            let mut contact =
                draft(&[(Property::FirstName, &format!("Name{index:03}")), (Property::Notes, "met at booth")]);
            if index % 3 == 0 {
                contact.set(Property::Company, format!("Company {}", index % 7));
            }
            contact
        })
        .collect();
    store.import_drafts(&drafts, &import_options("vcard-import"), &mut |_, _| ()).unwrap();
    for sort in SortKey::ALL {
        for descending in [false, true] {
            for search in ["", "met", "name01"] {
                let all = ListQuery { search: search.into(), sort, descending, ..ListQuery::default() };
                let everything: Vec<ContactId> = store.summaries(&all).unwrap().into_iter().map(|s| s.id).collect();
                assert_eq!(store.count(&all).unwrap(), everything.len());
                for offset in [0, 7, 140, 250, 295] {
                    let page = ListQuery { offset, limit: 20, ..all.clone() };
                    let ids: Vec<ContactId> = store.summaries(&page).unwrap().into_iter().map(|s| s.id).collect();
                    let expected: Vec<ContactId> = everything.iter().skip(offset).take(20).copied().collect();
                    assert_eq!(ids, expected, "{sort:?} descending={descending} search={search:?} offset={offset}");
                }
            }
        }
    }
}

#[test]
fn search_answers_follow_writes_of_other_connections() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("rolo.db");
    let mut writer = Store::open(&path).unwrap();
    let reader = Store::open(&path).unwrap();
    let query = ListQuery { search: "booth".into(), limit: 10, ..ListQuery::default() };
    let options = WriteOptions::new(Source::User, NOW);
    writer.save_draft(&draft(&[(Property::FirstName, "Ada"), (Property::Notes, "booth 1")]), &options).unwrap();
    assert_eq!(reader.count(&query).unwrap(), 1);
    writer.save_draft(&draft(&[(Property::FirstName, "Bob"), (Property::Notes, "booth 2")]), &options).unwrap();
    assert_eq!(reader.count(&query).unwrap(), 2, "a cached answer must not outlive a write");
    assert_eq!(reader.summaries(&query).unwrap().len(), 2);
}

#[test]
fn values_the_user_edited_in_a_review_are_the_users() {
    let mut store = store();
    let user = WriteOptions::new(Source::User, NOW);
    let first = store
        .save_draft(
            &draft(&[(Property::Email, "a@b.org"), (Property::JobTitle, "CTO"), (Property::City, "Oslo")]),
            &user,
        )
        .unwrap();
    // The scan offers a new title (a conflict with the user's) and a city the user retyped.
    let mut scan = WriteOptions { may_change_owner: false, ..WriteOptions::new(Source::QrCodeScanner, NOW) };
    scan.user_edited.insert(Property::City.key().to_string());
    let outcome = store
        .save_draft(
            &draft(&[
                (Property::Email, "a@b.org"),
                (Property::JobTitle, "CEO"),
                (Property::City, "Bergen"),
                (Property::Phone, "+47 22 00 00 00"),
            ]),
            &scan,
        )
        .unwrap();
    assert_eq!(outcome.conflicts.len(), 1, "{:?}", outcome.conflicts);
    assert_eq!(outcome.conflicts[0].property, Property::JobTitle.key());
    let contact = store.contact(first.contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::JobTitle), Some("CTO"));
    assert_eq!(contact.draft.get(Property::City), Some("Bergen"));
    let sources = store.current_sources(first.contact_id).unwrap();
    assert_eq!(sources[Property::City.key()].0, Source::User);
    assert_eq!(sources[Property::Phone.key()].0, Source::QrCodeScanner);

    // A new contact from a review: typed values are the user's, scanned ones the scanner's.
    let mut scan = WriteOptions::new(Source::QrCodeScanner, NOW);
    scan.user_edited.insert(Property::LastName.key().to_string());
    let outcome =
        store.save_draft(&draft(&[(Property::Email, "n@b.org"), (Property::LastName, "Fixed")]), &scan).unwrap();
    let sources = store.current_sources(outcome.contact_id).unwrap();
    assert_eq!(sources[Property::LastName.key()].0, Source::User);
    assert_eq!(sources[Property::Email.key()].0, Source::QrCodeScanner);
    assert!(store.was_ever_set_by(outcome.contact_id, Property::LastName.key(), Source::User).unwrap());
}

#[test]
fn scans_save_with_the_scan_settings() {
    let mut store = store();
    let options = store.scan_write_options(Source::QrCodeScanner, NOW).unwrap();
    assert_eq!(options.lifecycle_default, Some(LifecycleStage::Subscriber));
    assert_eq!(options.drill_down_2.as_deref(), Some("qr-code-scanner"));
    assert!(!options.may_change_owner);
    let first = draft(&[(Property::Email, "ada@acme.com"), (Property::Owner, "grace")]);
    let contact_id = store.save_draft(&first, &options).unwrap().contact_id;
    let contact = store.contact(contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::LifecycleStage), Some("subscriber"));
    assert_eq!(contact.draft.get(Property::OriginalSourceDrillDown2), Some("qr-code-scanner"));
    assert_eq!(contact.draft.get(Property::OriginalSourceDrillDown1), Some("scanner"));

    let second = draft(&[(Property::Email, "ada@acme.com"), (Property::Owner, "alan")]);
    store.save_draft(&second, &options).unwrap();
    assert_eq!(store.contact(contact_id).unwrap().unwrap().draft.get(Property::Owner), Some("grace"));

    store.set_setting(SETTING_SCAN_MAY_CHANGE_OWNER, "true").unwrap();
    store.set_setting(SETTING_SCAN_LIFECYCLE_DEFAULT, "lead").unwrap();
    let options = store.scan_write_options(Source::QrCodeScanner, NOW).unwrap();
    assert_eq!(options.lifecycle_default, Some(LifecycleStage::Lead));
    store.save_draft(&second, &options).unwrap();
    assert_eq!(store.contact(contact_id).unwrap().unwrap().draft.get(Property::Owner), Some("alan"));
}

fn record(pairs: &[(Property, &str)], reasons: &[crate::model::DoNotEmailReason]) -> ImportRecord<'static> {
    ImportRecord {
        draft: std::borrow::Cow::Owned(draft(pairs)),
        do_not_email: reasons.to_vec(),
        ..ImportRecord::default()
    }
}

fn import_records(store: &mut Store, records: Vec<ImportRecord<'static>>, options: &ImportOptions) -> ImportReport {
    let total = records.len();
    store.import_records(&mut records.into_iter().map(Ok), total, options, &mut |_, _| ()).unwrap()
}

/// Imports write with foreign-key checks off: every row they wrote must still satisfy them,
/// and the checks must be on again afterwards.
fn assert_foreign_keys_hold(store: &Store) {
    let is_on: bool = store.connection.query_row("PRAGMA foreign_keys", [], |row| row.get(0)).unwrap();
    assert!(is_on, "foreign keys are checked again after an import");
    let mut check = store.connection.prepare("PRAGMA foreign_key_check").unwrap();
    let violations: Vec<String> =
        check.query_map([], |row| row.get::<_, String>(0)).unwrap().map(Result::unwrap).collect();
    assert!(violations.is_empty(), "rows without their parent in {violations:?}");
}

fn csv_options(label: &str) -> ImportOptions {
    ImportOptions::new("csv-import", label, Source::CsvImport, NOW)
}

#[test]
fn opt_outs_are_sticky_and_bounces_are_kept_apart() {
    use crate::model::DoNotEmailReason::{Bounced, Unsubscribed};
    let mut store = store();
    let ada = [(Property::Email, "Ada@Acme.com"), (Property::FirstName, "Ada")];
    let report = import_records(&mut store, vec![record(&ada, &[Unsubscribed])], &csv_options("unsub.csv"));
    assert_eq!((report.n_new, report.n_opted_out), (1, 1));
    // A later file lists her as subscribed: the opt-out stays.
    import_records(&mut store, vec![record(&ada, &[])], &csv_options("subscribed.csv"));
    import_records(
        &mut store,
        vec![record(&[(Property::Email, "ada@acme.com")], &[Bounced])],
        &csv_options("bounces.csv"),
    );
    assert_eq!(store.do_not_email_reasons("ADA@acme.com").unwrap(), vec![Unsubscribed, Bounced]);
    let only_bounced = record(&[(Property::Email, "ian@acme.com")], &[Bounced]);
    import_records(&mut store, vec![only_bounced], &csv_options("bounces.csv"));
    let opt_outs: Vec<String> =
        store.do_not_email_list(true).unwrap().into_iter().map(|entry| entry.email_key).collect();
    assert_eq!(opt_outs, vec!["ada@acme.com"]);
    assert_eq!(store.do_not_email_list(false).unwrap().len(), 2);
}

#[test]
fn a_contact_is_not_to_be_emailed_when_any_of_its_addresses_is_on_the_list() {
    use crate::model::DoNotEmailReason::Unsubscribed;
    let mut store = store();
    let mut ada = draft(&[(Property::Email, "ada@acme.com"), (Property::FirstName, "Ada")]);
    ada.additional_emails = vec![" Ada.Private@Example.org ".into()];
    let ada_id = store.save_draft(&ada, &WriteOptions::new(Source::User, NOW)).unwrap().contact_id;
    let grace = draft(&[(Property::Email, "grace@acme.com")]);
    let grace_id = store.save_draft(&grace, &WriteOptions::new(Source::User, NOW)).unwrap().contact_id;
    let optouts = ImportOptions { is_opt_out_list: true, ..csv_options("optouts.csv") };
    import_records(
        &mut store,
        vec![record(&[(Property::Email, "ada.private@example.org")], &[Unsubscribed])],
        &optouts,
    );

    assert_eq!(store.do_not_email_reasons_of(&ada).unwrap(), vec![Unsubscribed]);
    assert!(store.do_not_email_reasons_of(&grace).unwrap().is_empty());
    let by_contact = store.do_not_email_by_contact().unwrap();
    assert_eq!(by_contact.get(&ada_id), Some(&vec![Unsubscribed]));
    assert!(!by_contact.contains_key(&grace_id));
    let flagged: Vec<(ContactId, bool)> = store
        .summaries(&ListQuery::default())
        .unwrap()
        .into_iter()
        .map(|summary| (summary.id, summary.is_do_not_email))
        .collect();
    assert!(flagged.contains(&(ada_id, true)) && flagged.contains(&(grace_id, false)), "{flagged:?}");
}

#[test]
fn opt_out_list_import_writes_no_contacts() {
    use crate::model::DoNotEmailReason::Unsubscribed;
    let mut store = store();
    let options = ImportOptions { is_opt_out_list: true, ..csv_options("optouts.csv") };
    let report =
        import_records(&mut store, vec![record(&[(Property::Email, "x@acme.com")], &[Unsubscribed])], &options);
    assert_eq!((report.n_new, report.n_opted_out), (0, 1));
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 0);
    assert_eq!(store.do_not_email_reasons("x@acme.com").unwrap(), vec![Unsubscribed]);
}

#[test]
fn policies_create_only_and_update_only() {
    let mut store = store();
    let ada = record(&[(Property::Email, "ada@acme.com"), (Property::City, "London")], &[]);
    import_records(&mut store, vec![ada], &csv_options("a.csv"));
    let both = || {
        vec![
            record(&[(Property::Email, "ada@acme.com"), (Property::City, "Paris")], &[]),
            record(&[(Property::Email, "bob@acme.com")], &[]),
        ]
    };
    let create_only = ImportOptions { policy: ImportPolicy::CreateOnly, ..csv_options("b.csv") };
    let report = import_records(&mut store, both(), &create_only);
    assert_eq!((report.n_new, report.n_updated, report.n_skipped), (1, 0, 1));
    let ada_id = store.contact_by_email("ada@acme.com").unwrap().unwrap();
    assert_eq!(store.contact(ada_id).unwrap().unwrap().draft.get(Property::City), Some("London"));
    let update_only = ImportOptions { policy: ImportPolicy::UpdateOnly, ..csv_options("c.csv") };
    let mut records = both();
    records[1] = record(&[(Property::Email, "cy@acme.com")], &[]);
    let report = import_records(&mut store, records, &update_only);
    assert_eq!((report.n_new, report.n_updated, report.n_skipped), (0, 1, 1));
    assert_eq!(store.contact(ada_id).unwrap().unwrap().draft.get(Property::City), Some("Paris"));
    assert_eq!(store.contact_by_email("cy@acme.com").unwrap(), None);
}

#[test]
fn external_ids_find_contacts_without_email_and_lists_are_filled() {
    let mut store = store();
    let front_desk = || ImportRecord {
        external_id: Some(("hubspot".into(), "51005".into())),
        lists: vec!["Customers".into()],
        ..record(&[(Property::Phone, "555-010-0199")], &[])
    };
    let options = ImportOptions { list_name: Some("hubspot.csv".into()), ..csv_options("hubspot.csv") };
    let first = import_records(&mut store, vec![front_desk()], &options);
    let second = import_records(&mut store, vec![front_desk()], &options);
    assert_eq!((first.n_new, second.n_new, second.n_unchanged), (1, 0, 1));
    let contact_id = first.contact_ids[0];
    assert_eq!(store.external_id(contact_id).unwrap().as_deref(), Some("51005"));
    assert_eq!(store.lists_of(contact_id).unwrap(), vec!["Customers", "hubspot.csv"]);
    assert_foreign_keys_hold(&store);
}

#[test]
fn undo_removes_created_contacts_and_restores_updated_values() {
    use crate::model::DoNotEmailReason::Unsubscribed;
    let mut store = store();
    import_records(
        &mut store,
        vec![record(&[(Property::Email, "ada@acme.com"), (Property::City, "London")], &[])],
        &csv_options("a.csv"),
    );
    let options = ImportOptions { list_name: Some("b.csv".into()), ..csv_options("b.csv") };
    let report = import_records(
        &mut store,
        vec![
            record(
                &[(Property::Email, "ada@acme.com"), (Property::City, "Paris"), (Property::JobTitle, "CTO")],
                &[Unsubscribed],
            ),
            record(&[(Property::Email, "bob@acme.com")], &[]),
        ],
        &options,
    );
    let batch_id = report.batch_id.unwrap();
    let undo = store.undo_import(batch_id, NOW).unwrap();
    assert_eq!((undo.n_deleted, undo.n_restored, undo.n_do_not_email_removed), (1, 1, 1));
    let ada = store.contact(store.contact_by_email("ada@acme.com").unwrap().unwrap()).unwrap().unwrap();
    assert_eq!(ada.draft.get(Property::City), Some("London"));
    assert_eq!(ada.draft.get(Property::JobTitle), None);
    assert_eq!(store.contact_by_email("bob@acme.com").unwrap(), None);
    assert!(store.do_not_email_reasons("ada@acme.com").unwrap().is_empty());
    assert!(store.list_by_name("b.csv").unwrap().is_none());
    assert!(matches!(store.undo_import(batch_id, NOW), Err(Error::AlreadyUndone(_))));
    // The search index follows: Bob is gone, Ada is found in London again.
    let query = ListQuery { search: "bob".into(), ..ListQuery::default() };
    assert_eq!(store.count(&query).unwrap(), 0);
}

#[test]
fn a_failing_stream_rolls_the_whole_import_back() {
    let mut store = store();
    let mut records =
        vec![Ok(record(&[(Property::Email, "ada@acme.com")], &[])), Err("the file broke".to_string())].into_iter();
    let error = store.import_records(&mut records, 2, &csv_options("x.csv"), &mut |_, _| ()).unwrap_err();
    assert!(error.to_string().contains("the file broke"));
    assert_eq!(store.count(&ListQuery::default()).unwrap(), 0);
}

#[test]
fn the_default_ocr_languages_follow_the_locale() {
    assert_eq!(super::ocr_language_for_locale("de_DE.UTF-8"), "eng+deu");
    assert_eq!(super::ocr_language_for_locale("nn_NO"), "eng+nor");
    assert_eq!(super::ocr_language_for_locale("en_GB.UTF-8"), "eng");
    assert_eq!(super::ocr_language_for_locale("C"), "eng");
    assert_eq!(super::ocr_language_for_locale(""), "eng");
}
