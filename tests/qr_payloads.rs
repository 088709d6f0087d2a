//! The shared QR payload corpus: every payload in qr-payloads.jsonl gives every expected
//! field, compared by the rules of qr-payloads.md (addresses and values with line breaks
//! with whitespace collapsed, everything else exactly, lists in order).

use std::path::{Path, PathBuf};

use rolo::extract::qr::{AddressParts, Payload, parse_payload};
use serde_json::{Value, json};

fn corpus_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/qr-payloads.jsonl")
}

fn cases() -> Vec<Value> {
    let path = corpus_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "the QR payload corpus is missing: cannot read {} ({error}); it lives in shared/corpus beside the project",
            path.display()
        )
    });
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

/// The fields of a parsed payload under the corpus's names; absent values are null.
fn fields(payload: &Payload) -> serde_json::Map<String, Value> {
    let mut fields = serde_json::Map::new();
    fields.insert("type".into(), json!(payload.kind().key()));
    match payload {
        Payload::AddressBook(book) => {
            fields.insert("names".into(), json!(book.names));
            fields.insert("given_name".into(), json!(book.given_name));
            fields.insert("family_name".into(), json!(book.family_name));
            fields.insert("phones".into(), json!(book.phones.iter().map(|phone| &phone.number).collect::<Vec<_>>()));
            fields.insert("phone_types".into(), json!(book.phones.iter().map(|phone| &phone.kind).collect::<Vec<_>>()));
            fields.insert("emails".into(), json!(book.emails));
            fields.insert("addresses".into(), json!(book.addresses));
            fields.insert("adr_parts".into(), Value::Array(book.address_parts.iter().map(address_parts).collect()));
            fields.insert("org".into(), json!(book.org));
            fields.insert("title".into(), json!(book.title));
            fields.insert("urls".into(), json!(book.urls));
            fields.insert("birthday".into(), json!(book.birthday));
            fields.insert("note".into(), json!(book.note));
            fields.insert("nicknames".into(), json!(book.nicknames));
            fields.insert("pronunciation".into(), json!(book.pronunciation));
        }
        Payload::Email(message) => {
            fields.insert("to".into(), json!(message.to));
            fields.insert("cc".into(), json!(message.cc));
            fields.insert("bcc".into(), json!(message.bcc));
            fields.insert("subject".into(), json!(message.subject));
            fields.insert("body".into(), json!(message.body));
        }
        Payload::Tel { number } => {
            fields.insert("number".into(), json!(number));
        }
        Payload::Uri { url } => {
            fields.insert("url".into(), json!(url));
        }
        Payload::Text(text) => {
            fields.insert("text".into(), json!(text));
        }
    }
    fields
}

/// The non-empty parts, as the corpus lists them.
fn address_parts(parts: &AddressParts) -> Value {
    let named = [
        ("po_box", &parts.po_box),
        ("extended", &parts.extended),
        ("street", &parts.street),
        ("city", &parts.city),
        ("region", &parts.region),
        ("postal_code", &parts.postal_code),
        ("country", &parts.country),
    ];
    Value::Object(
        named
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| (name.into(), json!(value)))
            .collect(),
    )
}

/// Whitespace runs (CR and LF included) collapsed to one space, in every string of `value`
/// that is an address or holds a line break.
fn comparable(value: &Value, is_address: bool) -> Value {
    match value {
        Value::String(text) if is_address || text.contains(['\r', '\n']) => {
            Value::String(text.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        Value::Array(items) => Value::Array(items.iter().map(|item| comparable(item, is_address)).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_payload_gives_every_expected_field() {
    let cases = cases();
    assert_eq!(cases.len(), 50, "the corpus has 50 payloads");
    let mut failures = Vec::new();
    let mut n_compared = 0;
    for case in &cases {
        let payload_text = case["payload"].as_str().expect("payload is a string");
        let actual = fields(&parse_payload(payload_text));
        for (field, expected) in case["expect"].as_object().expect("expect is an object") {
            let is_address = field == "addresses";
            let actual_value = actual.get(field).cloned().unwrap_or(Value::Null);
            // A value with line breaks on either side is compared collapsed.
            let has_line_break = |value: &Value| value.to_string().contains("\\n") || value.to_string().contains("\\r");
            let collapse = is_address || has_line_break(expected) || has_line_break(&actual_value);
            n_compared += 1;
            if comparable(&actual_value, collapse) != comparable(expected, collapse) {
                failures.push(format!("{payload_text:?}: {field}: expected {expected}, got {actual_value}"));
            }
        }
    }
    assert!(n_compared > 150, "only {n_compared} fields were compared");
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_contact_payload_gives_a_draft_and_no_payload_panics_when_cut_anywhere() {
    for case in cases() {
        let payload_text = case["payload"].as_str().unwrap();
        let payload = parse_payload(payload_text);
        let has_values = case["expect"].as_object().unwrap().keys().any(|key| key != "type");
        if case["expect"]["type"] != "TEXT" && has_values {
            assert!(payload.to_draft().is_some(), "{payload_text:?} gives no draft");
        }
        for (cut, _) in payload_text.char_indices() {
            let _ = parse_payload(&payload_text[..cut]).to_draft();
        }
    }
}
