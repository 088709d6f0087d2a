//! The shared vCard corpus: every file parses to what `expected.jsonl` says, compared by
//! the rules of its EXPECTED.md. Mismatches in `uncertain` fields are printed, not failed.
//! Also feeds mutated corpus files to the parser, which must never panic.

use std::path::{Path, PathBuf};

use rolo::import::vcard::{Card, parse_vcards, read_vcard_file};
use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/vcard")
}

/// Each line of expected.jsonl; panics with a clear message when the corpus is missing.
fn expectations() -> Vec<Value> {
    let expected_path = corpus_dir().join("expected.jsonl");
    let text = std::fs::read_to_string(&expected_path).unwrap_or_else(|error| {
        panic!(
            "the vCard corpus is missing: cannot read {} ({error}); it lives in shared/corpus/vcard beside the project",
            expected_path.display()
        )
    });
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("expected.jsonl holds one JSON object per line"))
        .collect()
}

/// Trimmed, whitespace runs collapsed to one space, NFC.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").nfc().collect()
}

fn normalized_option(value: Option<String>) -> Value {
    value.map_or(Value::Null, |text| Value::String(normalized(&text)))
}

fn normalized_expected(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(normalized(text)),
        Value::Array(items) => Value::Array(items.iter().map(normalized_expected).collect()),
        other => other.clone(),
    }
}

fn normalized_list(items: Vec<String>) -> Value {
    Value::Array(items.iter().map(|item| Value::String(normalized(item))).collect())
}

/// What the importer reports for one expected field, in the expected JSON shape.
fn actual_field(card: &Card, field: &str) -> Value {
    match field {
        "formatted_name" => normalized_option(card.formatted_name()),
        "n" => match card.name_parts() {
            Some(parts) if parts.iter().any(|part| !part.is_empty()) => normalized_list(parts.to_vec()),
            _ => Value::Null,
        },
        "emails" => normalized_list(card.emails()),
        "phones" => normalized_list(card.phones()),
        "org" => normalized_option(card.org()),
        "title" => normalized_option(card.title()),
        other => panic!("unknown field {other} in expected.jsonl"),
    }
}

fn is_empty_name(value: &Value) -> bool {
    value.is_null() || value.as_array().is_some_and(|parts| parts.iter().all(|part| part.as_str() == Some("")))
}

#[test]
fn corpus_matches_expectations() {
    let expectations = expectations();
    assert_eq!(expectations.len(), 61, "expected.jsonl should describe 61 files");
    let mut failures = Vec::new();
    let mut n_checked_fields = 0;
    for expectation in &expectations {
        let file = expectation["file"].as_str().expect("every line names its file");
        let parsed = match read_vcard_file(&corpus_dir().join(file)) {
            Ok(parsed) => parsed,
            Err(error) => {
                failures.push(format!("{file}: failed to parse: {error}"));
                continue;
            }
        };
        let expected_count = expectation["cards"].as_u64().expect("cards is a number") as usize;
        if parsed.cards.len() != expected_count {
            failures.push(format!("{file}: {} cards, expected {expected_count}", parsed.cards.len()));
        }
        let expected_cards = expectation["expect"].as_array().expect("expect is a list");
        for (card_index, expected_card) in expected_cards.iter().enumerate() {
            let Some(card) = parsed.cards.get(card_index) else {
                failures.push(format!("{file}: card {card_index} is missing"));
                continue;
            };
            let uncertain: Vec<&str> = expected_card["uncertain"]
                .as_array()
                .map(|fields| fields.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let expected_fields = expected_card.as_object().expect("a card is an object");
            for (field, expected_value) in expected_fields {
                if field == "uncertain" {
                    continue;
                }
                n_checked_fields += 1;
                let actual = actual_field(card, field);
                let expected = normalized_expected(expected_value);
                let matches = if field == "n" {
                    actual == expected || (is_empty_name(&actual) && is_empty_name(&expected))
                } else {
                    actual == expected
                };
                if matches {
                    continue;
                }
                let report = format!("{file} card {card_index} {field}: got {actual}, expected {expected}");
                if uncertain.contains(&field.as_str()) {
                    println!("uncertain (not a failure): {report}");
                } else {
                    failures.push(report);
                }
            }
        }
    }
    println!("checked {n_checked_fields} fields of {} files", expectations.len());
    assert!(failures.is_empty(), "{} corpus mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_card_maps_to_a_draft_without_nul() {
    for expectation in expectations() {
        let file = expectation["file"].as_str().expect("every line names its file");
        let parsed = read_vcard_file(&corpus_dir().join(file)).expect("corpus files parse");
        for card in &parsed.cards {
            let draft = card.to_draft();
            assert!(draft.vcard_extra.iter().all(|line| !line.contains(['\0', '\r', '\n'])), "{file}");
        }
    }
}

/// A small deterministic generator, so that the mutations are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

#[test]
fn mutated_corpus_files_never_panic() {
    let interesting_bytes = b"\r\n\t =:;,\\\".\x00\xff\xc3\x88";
    let mut generator = Lcg(42);
    for expectation in expectations() {
        let file = expectation["file"].as_str().expect("every line names its file");
        let original = std::fs::read(corpus_dir().join(file)).expect("corpus files are readable");
        for _ in 0..40 {
            let mut mutated = original.clone();
            for _ in 0..1 + generator.below(8) {
                let position = generator.below(mutated.len());
                match generator.below(4) {
                    0 => mutated[position] = interesting_bytes[generator.below(interesting_bytes.len())],
                    1 => mutated[position] = generator.next() as u8,
                    2 => {
                        mutated.remove(position);
                    }
                    _ => mutated.insert(position, interesting_bytes[generator.below(interesting_bytes.len())]),
                }
                if mutated.is_empty() {
                    break;
                }
            }
            let cut = generator.below(mutated.len() + 1);
            for input in [&mutated[..], &mutated[..cut]] {
                if let Ok(parsed) = parse_vcards(input) {
                    for card in &parsed.cards {
                        let _ = card.to_draft();
                    }
                }
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config {
        cases: 500,
        rng_seed: proptest::test_runner::RngSeed::Fixed(7),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })]

    /// Random bytes, alone and after a BEGIN:VCARD line, never make the parser panic.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
        let _ = parse_vcards(&bytes);
        let with_card = [&b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:="[..], &bytes].concat();
        if let Ok(parsed) = parse_vcards(&with_card) {
            for card in &parsed.cards {
                let _ = card.to_draft();
            }
        }
    }
}
