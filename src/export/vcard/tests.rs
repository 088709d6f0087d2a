//! Tests of the vCard writer: exact output for both versions, folding, and extra lines.

use super::*;
use crate::model::PhoneEntry;

fn sample_draft() -> ContactDraft {
    let mut draft = ContactDraft::default();
    draft.set(Property::FirstName, "Ada");
    draft.set(Property::LastName, "Lovelace");
    draft.set(Property::Email, "ada@example.com");
    draft.additional_emails.push("countess@example.org".into());
    draft.set(Property::Phone, "+44 20 7946 0958");
    draft.set(Property::MobilePhone, "+44 7700 900123");
    draft.additional_phones.push(PhoneEntry { kind: "pager".into(), value: "123".into() });
    draft.additional_phones.push(PhoneEntry { kind: "Sat phone".into(), value: "+870 123".into() });
    draft.additional_phones.push(PhoneEntry { kind: "fax".into(), value: "+44 20 1".into() });
    draft.set(Property::JobTitle, "Analyst, first");
    draft.set(Property::Company, "Analytical Engines; Ltd");
    draft.custom.insert("department".into(), "Research".into());
    draft.custom.insert("badge_id".into(), "B-7".into());
    draft.custom.insert("Favorite color".into(), "blue".into());
    draft.set(Property::Website, "https://example.com/ada?a=1,2");
    draft.set(Property::StreetAddress, "12 St James's Square");
    draft.set(Property::City, "London");
    draft.set(Property::Country, "United Kingdom");
    draft.set(Property::Notes, "Met at the Royal Society.\nLikes poetry; and \\math\\.");
    draft.set(Property::LifecycleStage, "lead");
    draft.vcard_extra = vec![
        "N:Lovelace;Ada;Augusta;Countess;".into(),
        "item1.X-ABDATE:1815-12-10".into(),
        "item1.X-ABLabel:born".into(),
        format!("PHOTO;ENCODING=BASE64;TYPE=JPEG:{}", "QUFB".repeat(20)),
        "LABEL;WORK;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:a=0D=0Ab".into(),
        "UID:old".into(),
        "VERSION:2.1".into(),
        "X-ROLO-BADGE-ID:stale".into(),
        "not a content line".into(),
    ];
    draft
}

const EXPECTED_V4: &str = "BEGIN:VCARD\r
VERSION:4.0\r
PRODID:-//rolo//rolo VERSION//EN\r
UID:urn:uuid:1\r
FN:Ada Lovelace\r
N:Lovelace;Ada;Augusta;Countess;\r
EMAIL;PREF=1:ada@example.com\r
EMAIL:countess@example.org\r
TEL;TYPE=voice:+44 20 7946 0958\r
TEL;TYPE=cell:+44 7700 900123\r
TEL;TYPE=pager:123\r
item2.TEL:+870 123\r
item2.X-ABLabel:Sat phone\r
TEL;TYPE=fax;X-ROLO-ADDITIONAL=TRUE:+44 20 1\r
TITLE:Analyst\\, first\r
ORG:Analytical Engines\\; Ltd;Research\r
URL:https://example.com/ada?a=1,2\r
ADR;TYPE=work:;;12 St James's Square;London;;;United Kingdom\r
NOTE:Met at the Royal Society.\\nLikes poetry\\; and \\\\math\\\\.\r
X-ROLO-LIFECYCLE-STAGE:lead\r
X-ROLO-CUSTOM;X-NAME=Favorite color:blue\r
X-ROLO-BADGE-ID:B-7\r
item1.X-ABDATE:1815-12-10\r
item1.X-ABLabel:born\r
PHOTO:data:image/jpeg;base64,QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU\r
 FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB\r
LABEL;TYPE=WORK:a\\nb\r
END:VCARD\r
";

#[test]
fn writes_version_4() {
    let expected = EXPECTED_V4.replace("VERSION//", &format!("{}//", env!("CARGO_PKG_VERSION")));
    assert_eq!(write_vcard(&sample_draft(), VcardVersion::V4, Some("urn:uuid:1")), expected);
}

#[test]
fn writes_version_3() {
    let text = write_vcard(&sample_draft(), VcardVersion::V3, None);
    let lines: Vec<&str> = text.split("\r\n").collect();
    for expected_line in [
        "VERSION:3.0",
        "UID:old",
        "EMAIL;TYPE=INTERNET;TYPE=PREF:ada@example.com",
        "EMAIL;TYPE=INTERNET:countess@example.org",
        "PHOTO;ENCODING=b;TYPE=JPEG:QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB",
        " QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB",
    ] {
        assert!(lines.contains(&expected_line), "{expected_line:?} missing in\n{text}");
    }
    assert!(!text.contains("PREF=1") && !text.contains("data:"), "{text}");
}

#[test]
fn nameless_drafts_get_an_empty_name() {
    let mut draft = ContactDraft::default();
    draft.set(Property::Phone, "1");
    assert!(write_vcard(&draft, VcardVersion::V4, None).contains("\r\nFN:\r\nN:;;;;\r\n"));
    draft.set(Property::Company, "Acme");
    assert!(write_vcard(&draft, VcardVersion::V4, None).contains("\r\nFN:Acme\r\nN:;;;;\r\n"));
}

fn check(line: &str, expected_physical_lines: &[&str]) {
    let mut writer =
        CardWriter { text: String::new(), version: VcardVersion::V4, used_groups: HashSet::new(), next_item: 1 };
    writer.push(line);
    let physical_lines: Vec<&str> = writer.text.strip_suffix("\r\n").unwrap().split("\r\n").collect();
    assert_eq!(physical_lines, expected_physical_lines);
}

#[test]
fn folds_at_75_octets_between_characters() {
    let ascii = "N".repeat(75);
    check(&ascii, &[&ascii]);
    let long_ascii = "A".repeat(75 + 74 + 3);
    check(&long_ascii, &[&"A".repeat(75), &format!(" {}", "A".repeat(74)), " AAA"]);
    // "ë" is two octets: it moves to the next line rather than being split.
    let accented = format!("{}ë", "x".repeat(74));
    check(&accented, &[&"x".repeat(74), " ë"]);
    let emoji = format!("X:{}", "😀".repeat(20));
    check(&emoji, &[&format!("X:{}", "😀".repeat(18)), &format!(" {}", "😀".repeat(2))]);
    check("NOTE:a\0b", &["NOTE:ab"]);
}
