//! The shared export corpus: every file imports into a fresh database with the counts,
//! opt-outs, bounces and field values of its expected.json; importing all of them into one
//! database leaves exactly the do-not-email and bounce lists the corpus README describes,
//! in either order. The public sample files import or are refused cleanly, never panic.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rolo::import::csv::custom_property_name;
use rolo::import_job::{CsvFileReport, CsvImportSettings, import_csv_file, list_name_for};
use rolo::model::{DoNotEmailReason, Property, Timestamp, normalize_email};
use rolo::store::Store;
use serde_json::Value;

const NOW: Timestamp = Timestamp(1_800_000_000_000);

fn exports_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/exports")
}

fn expectations() -> serde_json::Map<String, Value> {
    let path = exports_dir().join("expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "the export corpus is missing: cannot read {} ({error}); it lives in shared/corpus/exports",
            path.display()
        )
    });
    let expected: Value = serde_json::from_str(&text).expect("expected.json is JSON");
    expected["files"].as_object().expect("expected.json has a files object").clone()
}

fn import(store: &mut Store, file: &str) -> CsvFileReport {
    let path = exports_dir().join(file);
    import_csv_file(store, &path, &CsvImportSettings::new(NOW), &mut |_, _| ())
        .unwrap_or_else(|error| panic!("{file}: {error:#}"))
}

fn emails(values: &Value) -> BTreeSet<String> {
    values.as_array().into_iter().flatten().filter_map(Value::as_str).map(normalize_email).collect()
}

fn listed(store: &Store, reason: DoNotEmailReason) -> BTreeSet<String> {
    store
        .do_not_email_list(false)
        .unwrap()
        .into_iter()
        .filter(|entry| entry.reasons.contains(&reason))
        .map(|entry| entry.email_key)
        .collect()
}

fn opted_out(store: &Store) -> BTreeSet<String> {
    store.do_not_email_list(true).unwrap().into_iter().map(|entry| entry.email_key).collect()
}

/// Line ends as the store keeps them.
fn text(value: &str) -> String {
    value.replace("\r\n", "\n")
}

/// One expected field of one contact, or a description of the mismatch.
fn check_field(store: &Store, file: &str, email: &str, field: &str, expected: &Value) -> Result<(), String> {
    let contact_id = store.contact_by_email(email).unwrap().ok_or_else(|| format!("{file}: no contact {email}"))?;
    let contact = store.contact(contact_id).unwrap().unwrap();
    let draft = &contact.draft;
    let actual: Value = match field {
        "first_name" => draft.get(Property::FirstName).into(),
        "last_name" => draft.get(Property::LastName).into(),
        "company" => draft.get(Property::Company).into(),
        "notes" => draft.get(Property::Notes).into(),
        "phone" => draft.get(Property::Phone).or(draft.get(Property::MobilePhone)).into(),
        "secondary_emails" => {
            Value::from(draft.additional_emails.iter().map(|email| normalize_email(email)).collect::<Vec<_>>())
        }
        "external_id" => store.external_id(contact_id).unwrap().into(),
        "tags" => {
            let file_list = list_name_for(Path::new(file));
            let lists: Vec<String> =
                store.lists_of(contact_id).unwrap().into_iter().filter(|list| *list != file_list).collect();
            let mut expected_tags: Vec<String> =
                expected.as_array().unwrap().iter().map(|tag| tag.as_str().unwrap().to_string()).collect();
            expected_tags.sort_by_key(|tag| tag.to_lowercase());
            let mut lists = lists;
            lists.sort_by_key(|tag| tag.to_lowercase());
            return if lists == expected_tags {
                Ok(())
            } else {
                Err(format!("{file}: {email} tags {lists:?}, expected {expected_tags:?}"))
            };
        }
        custom if custom.starts_with("custom:") => {
            draft.custom.get(&custom_property_name(&custom["custom:".len()..])).map(String::as_str).into()
        }
        // Explanations for the reader of expected.json, not values.
        "note" => return Ok(()),
        other => return Err(format!("{file}: unknown field {other} in expected.json")),
    };
    let expected = match expected {
        Value::String(value) => Value::String(text(value)),
        Value::Array(items) => {
            Value::from(items.iter().filter_map(Value::as_str).map(normalize_email).collect::<Vec<_>>())
        }
        other => other.clone(),
    };
    let actual = match actual {
        Value::String(value) => Value::String(text(&value)),
        other => other,
    };
    if actual == expected { Ok(()) } else { Err(format!("{file}: {email} {field} = {actual}, expected {expected}")) }
}

#[test]
fn every_export_imports_with_its_expected_counts_statuses_and_values() {
    let expectations = expectations();
    assert!(expectations.len() >= 20, "expected.json describes {} files", expectations.len());
    let directory = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (index, (file, expected)) in expectations.iter().enumerate() {
        let mut store = Store::open(&directory.path().join(format!("{index}.db"))).unwrap();
        let imported = import(&mut store, file);
        let report = &imported.report;
        let mut check = |what: &str, actual: usize, key: &str| {
            let wanted = expected[key].as_u64().unwrap_or_else(|| panic!("{file}: no {key}")) as usize;
            if actual != wanted {
                failures.push(format!("{file}: {what} {actual}, expected {wanted}"));
            }
        };
        check("data rows", imported.n_rows, "data_rows");
        check("contacts", report.n_new, "contacts");
        check("contacts without email", report.n_no_email, "contacts_without_email");
        check("contacts with email", report.n_new - report.n_no_email, "contacts_with_email");
        check("invalid rows", report.n_invalid, "invalid_rows");
        if let Some(table) = imported.tables.first() {
            if let Some(source) = expected["source"].as_str()
                && table.preset.key() != source
            {
                failures.push(format!("{file}: source {}, expected {source}", table.preset.key()));
            }
            if let Some(encoding) = expected["encoding"].as_str()
                && table.encoding.map(|encoding| encoding.label()).as_deref() != Some(encoding)
            {
                failures.push(format!("{file}: encoding {:?}, expected {encoding}", table.encoding.map(|e| e.label())));
            }
            if let Some(delimiter) = expected["delimiter"].as_str()
                && table.delimiter.map(|byte| (byte as char).to_string()).as_deref() != Some(delimiter)
            {
                failures.push(format!("{file}: delimiter {:?}, expected {delimiter:?}", table.delimiter));
            }
        }
        let (actual_opted_out, actual_bounced) = (opted_out(&store), listed(&store, DoNotEmailReason::Bounced));
        if actual_opted_out != emails(&expected["opted_out"]) {
            failures.push(format!("{file}: opted out {actual_opted_out:?}, expected {}", expected["opted_out"]));
        }
        if actual_bounced != emails(&expected["bounced"]) {
            failures.push(format!("{file}: bounced {actual_bounced:?}, expected {}", expected["bounced"]));
        }
        for (email, fields) in expected["fields"].as_object().into_iter().flatten() {
            for (field, value) in fields.as_object().unwrap() {
                if let Err(failure) = check_field(&store, file, email, field, value) {
                    failures.push(failure);
                }
            }
        }
        // The do-not-email reasons reach `rolo list --json` through the contact's email.
        for email in emails(&expected["opted_out"]) {
            if let Some(contact_id) = store.contact_by_email(&email).unwrap() {
                let contact = store.contact(contact_id).unwrap().unwrap();
                let reasons = store.do_not_email_reasons(contact.draft.get(Property::Email).unwrap()).unwrap();
                assert!(reasons.contains(&DoNotEmailReason::Unsubscribed), "{file}: {email}");
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn importing_everything_into_one_database_leaves_exactly_the_described_lists() {
    let expectations = expectations();
    let mut files: Vec<&String> = expectations.keys().collect();
    let union =
        |key: &str| -> BTreeSet<String> { expectations.values().flat_map(|expected| emails(&expected[key])).collect() };
    let readme_opted_out: BTreeSet<String> = [
        "farah.haddad@example.org",
        "gustav.oberg@example.com",
        "lucja.wrobel@example.org",
        "rania.aziz@example.com",
        "pablo.ruiz@example.com",
        "juergen.mueller@example.org",
    ]
    .map(String::from)
    .into();
    let readme_bounced: BTreeSet<String> =
        ["ian.oconnell@example.com", "juergen.mueller@example.org"].map(String::from).into();
    assert_eq!(union("opted_out"), readme_opted_out);
    assert_eq!(union("bounced"), readme_bounced);
    let directory = tempfile::tempdir().unwrap();
    for order in ["forward", "backward"] {
        if order == "backward" {
            files.reverse();
        }
        let mut store = Store::open(&directory.path().join(format!("{order}.db"))).unwrap();
        for file in &files {
            import(&mut store, file);
        }
        assert_eq!(opted_out(&store), readme_opted_out, "{order}");
        assert_eq!(listed(&store, DoNotEmailReason::Bounced), readme_bounced, "{order}");
        // The same people recur: one contact per address.
        let ada = store.contact_by_email("ada.lindqvist@example.com").unwrap().unwrap();
        assert!(store.lists_of(ada).unwrap().len() >= 4, "{order}: Ada is on the list of every file she is in");
    }
}

#[test]
fn public_samples_import_or_are_refused_cleanly() {
    let directory = tempfile::tempdir().unwrap();
    let mut store = Store::open(&directory.path().join("public.db")).unwrap();
    let mut n_files = 0;
    let mut stack = vec![exports_dir().join("public")];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let extension = path.extension().map(|extension| extension.to_string_lossy().to_lowercase());
            if !matches!(extension.as_deref(), Some("csv" | "xlsx" | "vcf")) {
                continue;
            }
            n_files += 1;
            // Most of these are not contact lists: what matters is a result, not a panic.
            let _ = import_csv_file(&mut store, &path, &CsvImportSettings::new(NOW), &mut |_, _| ());
        }
    }
    assert!(n_files >= 25, "{n_files} public samples");
}
