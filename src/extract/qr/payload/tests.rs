use proptest::prelude::*;

use super::*;

/// Parses `payload` and compares the draft's JSON object with `expected`.
fn check(payload: &str, kind: PayloadKind, expected: serde_json::Value) {
    let parsed = parse_payload(payload);
    assert_eq!(parsed.kind(), kind, "{payload:?}");
    let draft = parsed.to_draft().map(|draft| serde_json::Value::Object(draft.to_json_map()));
    assert_eq!(draft.unwrap_or(serde_json::Value::Null), expected, "{payload:?}");
}

#[test]
fn payloads_become_drafts_in_the_foundation_vocabulary() {
    use serde_json::json;
    check(
        "MECARD:N:Mustermann,Max;TEL:+49 30 1;TEL:+49 30 2;EMAIL:max@example.de;ORG:ABC;TITLE:CTO;URL:https://abc.de;ADR:,,Hauptstr. 1,Berlin,,10115,Germany;NOTE:met at booth;;",
        PayloadKind::AddressBook,
        json!({
            "first_name": "Max", "last_name": "Mustermann", "email": "max@example.de", "phone": "+49 30 1",
            "additional_phones": [{"type": "other", "value": "+49 30 2"}], "company": "ABC", "job_title": "CTO",
            "website": "https://abc.de", "street_address": "Hauptstr. 1", "city": "Berlin", "postal_code": "10115",
            "country": "Germany", "notes": "met at booth",
        }),
    );
    check(
        "MECARD:N:Sean Owen;EMAIL:a@x.org;EMAIL:A@x.org;EMAIL:b@x.org;;",
        PayloadKind::AddressBook,
        json!({"first_name": "Sean", "last_name": "Owen", "email": "a@x.org", "additional_emails": ["b@x.org"]}),
    );
    check(
        "BIZCARD:N:Sean;X:Owen;T:Engineer;C:Google;A:123 Main St;B:+1 212;M:+1 917;F:+1 212 9;E:srowen@example.org;;",
        PayloadKind::AddressBook,
        json!({
            "first_name": "Sean", "last_name": "Owen", "job_title": "Engineer", "company": "Google",
            "street_address": "123 Main St", "phone": "+1 212", "mobile_phone": "+1 917", "fax": "+1 212 9",
            "email": "srowen@example.org",
        }),
    );
    check(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada\r\nTEL;TYPE=CELL:+44 1\r\nEMAIL:ada@example.org\r\nORG:Analytical\r\nEND:VCARD",
        PayloadKind::AddressBook,
        json!({"first_name": "Ada", "last_name": "Lovelace", "mobile_phone": "+44 1", "email": "ada@example.org", "company": "Analytical"}),
    );
    check("MATMSG:TO:a@x.org;SUB:Hi;BODY:Text;;", PayloadKind::EmailAddress, json!({"email": "a@x.org"}));
    check("mailto:?cc=c@x.org", PayloadKind::EmailAddress, json!({"email": "c@x.org"}));
    check("ada@example.org", PayloadKind::EmailAddress, json!({"email": "ada@example.org"}));
    check("tel:+15551212", PayloadKind::Tel, json!({"phone": "+15551212"}));
    check("https://example.org/ada", PayloadKind::Uri, json!({"website": "https://example.org/ada"}));
    check("Booth 12, hall B", PayloadKind::Text, serde_json::Value::Null);
    check("MECARD:;;", PayloadKind::AddressBook, serde_json::Value::Null);
}

#[test]
fn cjk_text_before_a_semicolon_is_read_not_panicked_on() {
    // rxing 0.9.3's parser panics on these (a byte index inside a character).
    let mecard = parse_payload("MECARD:N:山田,太郎;TEL:03-1234-5678;EMAIL:taro@example.jp;NOTE:東京;;");
    let Payload::AddressBook(book) = &mecard else { panic!("{mecard:?}") };
    assert_eq!(book.names, ["太郎 山田"]);
    assert_eq!(book.note.as_deref(), Some("東京"));
    assert_eq!(mecard.to_draft().unwrap().get(Property::LastName), Some("山田"));
    let bizcard = parse_payload("BIZCARD:N:太郎;X:山田;C:株式会社;;");
    assert_eq!(bizcard.to_draft().unwrap().get(Property::Company), Some("株式会社"));
    let matmsg = parse_payload("MATMSG:TO:a@example.jp;SUB:件名;BODY:本文;;");
    let Payload::Email(message) = matmsg else { panic!() };
    assert_eq!((message.subject.as_deref(), message.body.as_deref()), (Some("件名"), Some("本文")));
}

#[test]
fn escape_sequences_and_control_characters_never_survive() {
    let payloads = [
        "MECARD:N:Evil\u{1b}[2J\u{1b}]0;title\u{7},Eve;NOTE:a\u{9b}31mb\r\nc;TEL:+1\u{0}2;;",
        "BIZCARD:N:Eve\u{1b}[31m;X:\u{202e}evil;E:e@x.org\u{1b}[0m;;",
        "BEGIN:VCARD\r\nFN:Eve\u{1b}[2J\r\nN:\u{1b}[1mEvil;Eve\u{7}\r\nNOTE:line\u{1b}]52;c;Zm9v\u{7}\r\nX-JUNK:\u{9b}2J\r\nEND:VCARD",
        "mailto:a@x.org?subject=%1B%5B2J&body=%07%C2%9B",
        "tel:+1\u{1b}[2J",
        "plain \u{1b}[2J text\u{7}\u{7f}",
    ];
    for payload in payloads {
        let parsed = parse_payload(payload);
        let shown = format!("{parsed:?} {:?}", parsed.to_draft());
        // Debug output escapes control characters as \u{…}: none may be left.
        for forbidden in ["\\u{1b}", "\\u{7}", "\\u{9b}", "\\u{0}", "\\u{7f}", "\\u{202e}", "\\r"] {
            assert!(!shown.contains(forbidden), "{forbidden} survived in {shown}");
        }
    }
}

#[test]
fn a_3_kb_payload_with_thousands_of_properties_is_handled() {
    let mecard = format!("MECARD:N:Many,Max;{};;", "TEL:1;".repeat(600));
    assert!(mecard.len() > 3_000);
    let draft = parse_payload(&mecard).to_draft().unwrap();
    assert_eq!(draft.get(Property::Phone), Some("1"));
    assert_eq!(draft.additional_phones.len(), 599);

    let vcard = format!("BEGIN:VCARD\r\nN:Many;Max\r\n{}END:VCARD", "EMAIL:a@b.c\r\n".repeat(250));
    assert!(vcard.len() > 3_000);
    let Payload::AddressBook(book) = parse_payload(&vcard) else { panic!() };
    assert_eq!(book.emails.len(), 250);

    let semicolons = ";".repeat(3_000);
    assert_eq!(parse_payload(&format!("MECARD:{semicolons}")).to_draft(), None);
    let keys = "N:".repeat(1_500);
    assert!(parse_payload(&format!("BIZCARD:{keys}")).to_draft().is_some());
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let parsed = parse_payload(&text);
        let _ = parsed.to_draft();
    }

    #[test]
    fn arbitrary_fields_after_known_prefixes_never_panic(
        prefix in prop::sample::select(vec!["MECARD:", "BIZCARD:", "MATMSG:", "mailto:", "smtp:", "tel:", "BEGIN:VCARD\r\n", "MEMORY:\r\n"]),
        body in "([A-Z0-9]{0,3}[:;,\\\\\r\n%?&=@]{0,2}[\\PC山田]{0,4}){0,40}",
    ) {
        let parsed = parse_payload(&format!("{prefix}{body}"));
        if let Some(draft) = parsed.to_draft() {
            for value in draft.values.values() {
                prop_assert!(!value.chars().any(|character| character.is_control() && character != '\n' && character != '\t'));
            }
        }
    }
}
