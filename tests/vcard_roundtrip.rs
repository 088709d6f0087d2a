//! A draft written as vCard 3.0 or 4.0 and read back is the same draft; and every card of
//! the shared corpus survives import → export → import.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use rolo::export::{VcardVersion, write_vcard, write_vcards};
use rolo::import::vcard::{parse_vcards, read_vcard_file};
use rolo::model::{ContactDraft, PhoneEntry, Property};

const VERSIONS: [VcardVersion; 2] = [VcardVersion::V4, VcardVersion::V3];

/// Text as the model holds it: trimmed and not empty, with the characters vCard escapes,
/// non-ASCII letters, emoji and a control character (the UI strips those, not the converters).
fn single_line_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,;:=.@+()\"'\\\\\t\u{1b}äöüßÅ王😀-]{1,24}".prop_filter_map("trimmed and not empty", trimmed)
}

fn multi_line_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ,;:=.@+()\"'\\\\\n\täöü王😀-]{1,60}".prop_filter_map("trimmed and not empty", trimmed)
}

fn trimmed(text: String) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// Emails and phones: any text except the URI schemes the importer removes.
fn address_text(scheme: &'static str) -> impl Strategy<Value = String> {
    single_line_text().prop_filter("no URI scheme", move |text| !text.to_lowercase().starts_with(scheme))
}

fn phone_kind() -> impl Strategy<Value = String> {
    let known = [
        "mobile",
        "fax",
        "pager",
        "main",
        "work",
        "home",
        "car",
        "isdn",
        "other",
        "Work",
        "Cell",
        "home fax",
        "Sat phone",
    ];
    prop_oneof![proptest::sample::select(known.to_vec()).prop_map(str::to_string), single_line_text()]
}

fn custom_name() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z][a-z0-9_]{0,12}", Just("department".to_string()), single_line_text()]
        .prop_filter("not a standard property", |name| name.parse::<Property>().is_err())
}

/// Lines as the importer keeps them in `vcard_extra`.
fn extra_line() -> impl Strategy<Value = String> {
    proptest::sample::select(vec![
        "BDAY:1975-08-20",
        "NICKNAME:Bob\\, the builder",
        "IMPP;TYPE=work:xmpp:ada@example.com",
        "item1.X-ABDATE:2000-01-01",
        "item1.X-ABLabel:_$!<Anniversary>!$_",
        "X-SOCIALPROFILE;TYPE=\"twitter\";X-USER=ada:https://example.com/ada",
        "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
        "CATEGORIES:a,b",
    ])
    .prop_map(str::to_string)
}

fn draft() -> impl Strategy<Value = ContactDraft> {
    let names = (proptest::option::of(single_line_text()), proptest::option::of(single_line_text()));
    let emails =
        (proptest::option::of(address_text("mailto:")), proptest::collection::vec(address_text("mailto:"), 0..3));
    let phones = (
        proptest::option::of(address_text("tel:")),
        proptest::option::of(address_text("tel:")),
        proptest::option::of(address_text("tel:")),
        proptest::collection::vec((phone_kind(), address_text("tel:")), 0..4),
    );
    let work = (
        proptest::option::of(single_line_text()),
        proptest::option::of(single_line_text()),
        proptest::option::of(single_line_text()),
    );
    let address = proptest::collection::vec(proptest::option::of(single_line_text()), 5);
    let rest = (
        proptest::option::of(multi_line_text()),
        proptest::option::of(proptest::sample::select(vec!["lead", "customer", "someone@example.com"])),
        proptest::collection::btree_map(custom_name(), multi_line_text(), 0..4),
        proptest::collection::vec(extra_line(), 0..3),
    );
    (names, emails, phones, work, address, rest).prop_map(
        |((first, last), (email, additional_emails), (phone, mobile, fax, additional_phones), work, address, rest)| {
            let (title, company, website) = work;
            let (notes, owner_or_stage, custom, vcard_extra) = rest;
            let mut draft = ContactDraft::default();
            let single_values = [
                (Property::FirstName, first),
                (Property::LastName, last),
                (Property::Email, email),
                (Property::Phone, phone),
                (Property::MobilePhone, mobile),
                (Property::Fax, fax),
                (Property::JobTitle, title),
                (Property::Company, company),
                (Property::Website, website),
                (Property::Notes, notes),
            ];
            for (property, value) in single_values {
                if let Some(value) = value {
                    draft.set(property, value);
                }
            }
            let address_properties =
                [Property::StreetAddress, Property::City, Property::State, Property::PostalCode, Property::Country];
            for (property, value) in address_properties.into_iter().zip(address) {
                if let Some(value) = value {
                    draft.set(property, value);
                }
            }
            match owner_or_stage {
                Some(email) if email.contains('@') => draft.set(Property::Owner, email),
                Some(stage) => draft.set(Property::LifecycleStage, stage),
                None => (),
            }
            // Additional emails are unique ignoring case, as the importer keeps them.
            let mut seen: Vec<String> = draft.get(Property::Email).map(str::to_lowercase).into_iter().collect();
            for email in additional_emails {
                if !seen.contains(&email.to_lowercase()) {
                    seen.push(email.to_lowercase());
                    draft.additional_emails.push(email);
                }
            }
            draft.additional_phones =
                additional_phones.into_iter().map(|(kind, value)| PhoneEntry { kind, value }).collect();
            draft.custom = custom;
            draft.vcard_extra = vcard_extra;
            draft
        },
    )
}

fn read_back(text: &str) -> ContactDraft {
    let parsed = parse_vcards(text.as_bytes()).expect("an exported card parses");
    assert_eq!(parsed.cards.len(), 1, "{text}");
    assert!(parsed.warnings.is_empty(), "{:?}\n{text}", parsed.warnings);
    parsed.cards[0].to_draft()
}

fn assert_well_formed(text: &str) {
    assert!(text.ends_with("END:VCARD\r\n"));
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
        assert!(!line.contains(['\r', '\n']), "bare line break in {line:?}");
    }
}

fn deterministic_config() -> Config {
    Config { cases: 300, rng_seed: RngSeed::Fixed(20_251_121), failure_persistence: None, ..Config::default() }
}

proptest! {
    #![proptest_config(deterministic_config())]

    #[test]
    fn drafts_round_trip(draft in draft()) {
        for version in VERSIONS {
            let text = write_vcard(&draft, version, None);
            assert_well_formed(&text);
            prop_assert_eq!(&read_back(&text), &draft, "{:?}:\n{}", version, text);
        }
    }
}

#[test]
fn uid_is_written_once() {
    let mut draft = ContactDraft::default();
    draft.set(Property::FirstName, "Ada");
    draft.vcard_extra.push("UID:old".to_string());
    let text = write_vcard(&draft, VcardVersion::V4, Some("new"));
    assert_eq!(text.matches("UID:").count(), 1, "{text}");
    assert!(text.contains("UID:new\r\n"));
    let read = read_back(&text);
    assert_eq!(read.vcard_extra, ["UID:new"]);
}

#[test]
fn several_drafts_in_one_file() {
    let drafts: Vec<ContactDraft> = ["Ada", "Alan", "Grace"]
        .iter()
        .map(|name| {
            let mut draft = ContactDraft::default();
            draft.set(Property::FirstName, *name);
            draft
        })
        .collect();
    let mut output = Vec::new();
    write_vcards(&drafts, VcardVersion::V3, &mut output).unwrap();
    let parsed = parse_vcards(&output).unwrap();
    let read: Vec<ContactDraft> = parsed.cards.iter().map(|card| card.to_draft()).collect();
    assert_eq!(read, drafts);
}

/// Import, export and import again: the draft stays the same, except that extra lines may
/// change form once (2.1 base64 becomes `ENCODING=b` or a `data:` URI); a second round
/// changes nothing at all.
#[test]
fn corpus_cards_survive_export() {
    let corpus_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/vcard");
    let expected = std::fs::read_to_string(corpus_dir.join("expected.jsonl"))
        .unwrap_or_else(|error| panic!("the vCard corpus is missing in {}: {error}", corpus_dir.display()));
    let mut n_cards = 0;
    for line in expected.lines().filter(|line| !line.trim().is_empty()) {
        let expectation: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
        let file = expectation["file"].as_str().expect("file name");
        for card in read_vcard_file(&corpus_dir.join(file)).expect("corpus files parse").cards {
            let imported = card.to_draft();
            for version in VERSIONS {
                let first_text = write_vcard(&imported, version, None);
                assert_well_formed(&first_text);
                let first_round = read_back(&first_text);
                let without_extras = |draft: &ContactDraft| ContactDraft { vcard_extra: Vec::new(), ..draft.clone() };
                assert_eq!(without_extras(&first_round), without_extras(&imported), "{file} {version:?}\n{first_text}");
                assert_eq!(
                    first_round.vcard_extra.len(),
                    imported.vcard_extra.len(),
                    "{file} {version:?}\n{first_text}"
                );
                let second_text = write_vcard(&first_round, version, None);
                assert_eq!(read_back(&second_text), first_round, "{file} {version:?}");
                assert_eq!(second_text, first_text, "{file} {version:?}: a second export differs");
            }
            n_cards += 1;
        }
    }
    assert_eq!(n_cards, 85);
}
