//! Converter tests on the hand-written fixtures in tests/fixtures/csv: detection, mapping,
//! statuses, and rows that are not contacts.

use std::path::{Path, PathBuf};

use super::*;
use crate::model::Property;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv").join(name)
}

/// Opens one fixture and returns its only table's info and rows.
fn check(name: &str, options: &CsvOptions) -> (TableInfo, Vec<ImportRow>) {
    let mut tables = open_tables(&fixture(name), options).unwrap_or_else(|error| panic!("{name}: {error}"));
    assert_eq!(tables.len(), 1, "{name}");
    let table = tables.remove(0);
    let info = table.info.clone();
    let rows = table.rows().collect::<Result<Vec<_>, _>>().unwrap();
    (info, rows)
}

fn target_of(info: &TableInfo, header: &str) -> String {
    info.columns.iter().find(|column| column.header == header).map(|column| column.target.to_string()).unwrap()
}

#[test]
fn title_rows_above_the_header_windows_1252_and_semicolons() {
    let (info, rows) = check("german_title_rows.csv", &CsvOptions::default());
    assert_eq!(info.encoding.unwrap().label(), "windows-1252");
    assert_eq!(info.delimiter, Some(b';'));
    assert_eq!(info.header_row, 4, "two title lines and a blank line come first");
    assert_eq!(target_of(&info, "Mobil"), "mobile_phone");
    assert_eq!(target_of(&info, "Abgemeldet"), "do_not_email");
    assert_eq!(target_of(&info, "Kundennr"), "custom:kundennr");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].line, 5);
    assert_eq!(rows[0].draft.get(Property::LastName), Some("Müller"));
    assert_eq!(rows[0].draft.get(Property::City), Some("Köln"));
    assert_eq!(rows[0].do_not_email, vec![DoNotEmailReason::Unsubscribed]);
    assert!(rows[1].do_not_email.is_empty());
}

#[test]
fn chosen_mappings_and_remembered_ones_win() {
    let mut options = CsvOptions::default();
    options.mappings.push(("Kundennr".into(), ColumnTarget::ExternalId));
    options.remembered.insert(normalize_header("Stadt"), ColumnTarget::Custom("messestadt".into()));
    let (info, rows) = check("german_title_rows.csv", &options);
    assert_eq!(info.columns.iter().find(|column| column.header == "Kundennr").unwrap().origin, MappingOrigin::Chosen);
    assert_eq!(rows[0].external_id.as_deref(), Some("K-1"));
    assert_eq!(rows[0].draft.custom.get("messestadt").map(String::as_str), Some("Köln"));
}

#[test]
fn pipes_and_status_words() {
    let (info, rows) = check("pipe_statuses.csv", &CsvOptions::default());
    assert_eq!(info.delimiter_label().as_deref(), Some("pipe"));
    let reasons: Vec<Vec<DoNotEmailReason>> = rows.iter().map(|row| row.do_not_email.clone()).collect();
    assert_eq!(reasons, vec![vec![], vec![DoNotEmailReason::Unsubscribed], vec![DoNotEmailReason::Bounced], vec![]]);
    assert!(rows[3].has_no_consent, "pending is no consent, not an opt-out");
    assert_eq!(rows[1].draft.get(Property::FirstName), Some("Bob"));
}

#[test]
fn a_file_of_addresses_alone_has_no_header_row() {
    let (info, rows) = check("emails_only.txt", &CsvOptions::default());
    assert_eq!(info.header_row, 0);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2].draft.get(Property::Email), Some("CY@Example.com"));
}

#[test]
fn ragged_rows_names_and_rows_that_are_not_contacts() {
    let (info, rows) = check("ragged_and_names.csv", &CsvOptions::default());
    assert_eq!(info.preset, CsvPreset::Generic);
    assert_eq!(rows.len(), 4, "the blank row is left out");
    assert_eq!(rows[0].draft.get(Property::FirstName), Some("Ada"));
    assert_eq!(rows[0].draft.get(Property::LastName), Some("Lovelace"));
    assert!(rows[1].problem.as_ref().unwrap().reason.contains("no email, name, company or phone"));
    let grace = &rows[2].draft;
    assert_eq!(grace.get(Property::Phone), Some("555-0101"));
    assert_eq!(grace.additional_phones.len(), 1);
    assert!(rows[2].is_valid(), "extra cells beyond the header are ignored");
    assert_eq!(rows[3].draft.get(Property::FirstName), Some("Short"));
}

#[test]
fn header_row_and_delimiter_can_be_chosen() {
    let options = CsvOptions { header_row: Some(5), delimiter: Some(b';'), ..CsvOptions::default() };
    let (info, rows) = check("german_title_rows.csv", &options);
    assert_eq!(info.header_row, 5, "the first data row taken as the header on purpose");
    assert_eq!(rows.len(), 1);
    let too_far = CsvOptions { header_row: Some(99), ..CsvOptions::default() };
    assert!(matches!(open_tables(&fixture("german_title_rows.csv"), &too_far), Err(Error::NoSuchHeaderRow { .. })));
}

#[test]
fn sniffing_prefers_the_delimiter_that_agrees_across_rows() {
    assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n4;5,5;6\n", false), b';');
    assert_eq!(sniff_delimiter("a,b\n1,2\n", false), b',');
    assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n", false), b'\t');
    assert_eq!(sniff_delimiter("only@one.example\n", false), b',');
}

#[test]
fn status_words_in_both_constant_contact_vocabularies() {
    for (word, status) in [
        ("Unsubscribed", Some(StatusWord::Unsubscribed)),
        ("unsubscribed", Some(StatusWord::Unsubscribed)),
        ("Pending Confirmation", Some(StatusWord::NoConsent)),
        ("pending_confirmation", Some(StatusWord::NoConsent)),
        ("Not Set", Some(StatusWord::NoConsent)),
        ("not_set", Some(StatusWord::NoConsent)),
        ("Explicit", Some(StatusWord::Subscribed)),
        ("implicit", Some(StatusWord::Subscribed)),
        ("temp_hold", Some(StatusWord::NoConsent)),
        ("cleaned", Some(StatusWord::Bounced)),
        ("nonsubscribed", Some(StatusWord::NoConsent)),
        ("Active", Some(StatusWord::Subscribed)),
        ("", None),
    ] {
        assert_eq!(StatusWord::parse(word), status, "{word}");
    }
}

#[test]
fn an_invalid_second_address_is_reported_and_the_row_kept() {
    let columns: Vec<Column> = [("Email", "email"), ("Other Email", "additional_emails"), ("Name", "full_name")]
        .iter()
        .map(|(header, target)| Column {
            header: header.to_string(),
            target: target.parse().unwrap(),
            origin: MappingOrigin::Header,
        })
        .collect();
    let cells: Vec<String> = ["ada@example.com", "ada at home", "Ada Lovelace"].map(String::from).to_vec();
    let row = row::map_record(&columns, CsvPreset::Generic, None, 2, &cells).unwrap();
    assert!(row.is_valid());
    assert_eq!(row.warnings.len(), 1);
    assert_eq!(row.warnings[0].column, "Other Email");
    assert!(row.draft.additional_emails.is_empty());
}
