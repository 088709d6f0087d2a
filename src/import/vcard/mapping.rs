//! A card's properties mapped to a `ContactDraft`. What rolo does not model is kept in
//! `vcard_extra` as content lines, so that an export gives it back.
//!
//! - Names come from the first N (given → first name, family → last name). That N line is
//!   also kept in `vcard_extra` when it has additional names, a prefix or a suffix; export
//!   merges it back. Without a name in N, FN is split (last word → last name), unless FN
//!   just repeats the company or an email address, as rolo's own export writes for nameless
//!   contacts and Apple writes for company cards. FN itself is not kept: export writes the
//!   display name.
//! - EMAIL: the most preferred (lowest PREF, `TYPE=pref`) else the first is `email`; the
//!   rest are `additional_emails`, deduplicated ignoring case.
//! - TEL: the first mobile, fax and other number fill `mobile_phone`, `fax` and `phone`;
//!   every further number is an additional phone with its kind (see `conventions`).
//! - The chosen ADR (TYPE=work, else preferred, else first) fills the address; its street
//!   is street, extended address and post office box joined by ", ".
//! - ORG: first component → company, the further ones → custom `department`.
//! - NOTEs are joined with a blank line. NUL characters are removed from every value, and
//!   line breaks become `\n`.

use std::collections::{HashMap, HashSet};

use crate::model::{ContactDraft, PhoneEntry, Property};

use super::conventions::{ADDITIONAL_PARAM, CUSTOM_NAME_PARAM, PhoneClass, phone_class, phone_kind, rolo_field_name};
use super::{Card, VcardProperty};

/// Properties that say nothing about the contact and that export writes itself.
const DROPPED_PROPERTIES: [&str; 5] = ["VERSION", "PRODID", "REV", "BEGIN", "END"];

impl Card {
    /// The contact this card describes; see the module documentation for the rules.
    pub fn to_draft(&self) -> ContactDraft {
        let mut draft = ContactDraft::default();
        let labels = self.labels_by_group();
        let mut groups_with_mapped_property = HashSet::new();
        let chosen_address = self.chosen_address_index();
        let primary_email = self.primary_email_index();
        let mut seen_emails = HashSet::new();
        if let Some(address) = primary_email.and_then(|index| self.properties[index].email_address()) {
            let address = clean(&address).trim().to_string();
            seen_emails.insert(address.to_lowercase());
            draft.set(Property::Email, address);
        }
        let mut notes: Vec<String> = Vec::new();
        let mut is_first = FirstSeen::default();
        // Unmapped properties, in file order; written to `vcard_extra` at the end.
        let mut extras: Vec<&VcardProperty> = Vec::new();

        match self.name_parts().filter(|parts| !parts[0].is_empty() || !parts[1].is_empty()) {
            Some([family, given, ..]) => {
                draft.set(Property::FirstName, clean(&given));
                draft.set(Property::LastName, clean(&family));
            }
            None => self.set_names_from_formatted_name(&mut draft),
        }

        for (index, property) in self.properties.iter().enumerate() {
            let is_mapped = match property.name.as_str() {
                name if DROPPED_PROPERTIES.contains(&name) => true,
                "FN" => true,
                "N" => {
                    // Only the first N counts; it is kept when it has parts rolo does not map.
                    let has_unmapped_parts = property.components().iter().skip(2).any(|part| !part.trim().is_empty());
                    if is_first.name && has_unmapped_parts {
                        extras.push(property);
                    }
                    is_first.name = false;
                    true
                }
                "EMAIL" => {
                    if let Some(address) = property.email_address().map(|address| clean(&address).trim().to_string())
                        && Some(index) != primary_email
                        && !address.is_empty()
                        && seen_emails.insert(address.to_lowercase())
                    {
                        draft.additional_emails.push(address);
                    }
                    true
                }
                "TEL" => {
                    if let Some(number) = property.phone_number().map(|number| clean(&number).trim().to_string()) {
                        let label = property.group.as_ref().and_then(|group| labels.get(&group.to_lowercase()));
                        add_phone(&mut draft, property, number, label.map(String::as_str));
                    }
                    true
                }
                "TITLE" | "ORG" | "URL" | "ADR" if is_blank(property) => true,
                "TITLE" if is_first.title => {
                    is_first.title = false;
                    draft.set(Property::JobTitle, clean(&property.text()));
                    true
                }
                "ORG" if is_first.organization => {
                    is_first.organization = false;
                    let components: Vec<String> = property.components().iter().map(|part| clean(part.trim())).collect();
                    if let Some((company, further_components)) = components.split_first() {
                        draft.set(Property::Company, company.as_str());
                        let departments: Vec<&str> =
                            further_components.iter().map(String::as_str).filter(|part| !part.is_empty()).collect();
                        if !departments.is_empty() {
                            draft.custom.entry("department".to_string()).or_insert_with(|| departments.join(", "));
                        }
                    }
                    true
                }
                "URL" if is_first.website => {
                    is_first.website = false;
                    draft.set(Property::Website, clean(&property.text()));
                    true
                }
                "ADR" if Some(index) == chosen_address => {
                    set_address(&mut draft, property);
                    true
                }
                "NOTE" => {
                    let note = clean(&property.text());
                    if !note.is_empty() {
                        notes.push(note);
                    }
                    true
                }
                "X-ABLABEL" => false,
                name => match rolo_field_name(name, property.param(CUSTOM_NAME_PARAM)) {
                    Some(field_name) => {
                        set_rolo_field(&mut draft, field_name, clean(&property.text()));
                        true
                    }
                    None => false,
                },
            };
            if is_mapped {
                if let Some(group) = &property.group {
                    groups_with_mapped_property.insert(group.to_lowercase());
                }
            } else {
                extras.push(property);
            }
        }
        if !notes.is_empty() {
            draft.set(Property::Notes, notes.join("\n\n"));
        }
        // A label whose property was mapped is part of that value now (a phone's kind).
        let is_label_of_mapped_property = |property: &VcardProperty| {
            property.name == "X-ABLABEL"
                && property
                    .group
                    .as_ref()
                    .is_some_and(|group| groups_with_mapped_property.contains(&group.to_lowercase()))
        };
        draft.vcard_extra = extras
            .into_iter()
            .filter(|property| !is_label_of_mapped_property(property))
            .map(|property| clean(&property.portable_line()))
            .collect();
        draft
    }

    fn set_names_from_formatted_name(&self, draft: &mut ContactDraft) {
        let Some(formatted_name) = self.formatted_name().map(|name| clean(&name)) else {
            return;
        };
        let repeats_company = self.org().is_some_and(|company| company.eq_ignore_ascii_case(&formatted_name));
        let repeats_email = self.emails().iter().any(|email| email.eq_ignore_ascii_case(&formatted_name));
        if repeats_company || repeats_email {
            return;
        }
        let mut words: Vec<&str> = formatted_name.split_whitespace().collect();
        if words.len() > 1
            && let Some(last_word) = words.pop()
        {
            draft.set(Property::LastName, last_word);
        }
        draft.set(Property::FirstName, words.join(" "));
    }

    /// X-ABLabel values by lowercased group.
    fn labels_by_group(&self) -> HashMap<String, String> {
        let mut labels = HashMap::new();
        for property in self.properties_named("X-ABLABEL") {
            if let Some(group) = &property.group {
                labels.entry(group.to_lowercase()).or_insert_with(|| property.text());
            }
        }
        labels
    }

    fn chosen_address_index(&self) -> Option<usize> {
        let addresses: Vec<(usize, &VcardProperty)> = self
            .properties
            .iter()
            .enumerate()
            .filter(|(_, property)| property.name == "ADR" && !is_blank(property))
            .collect();
        let work_address = addresses.iter().find(|(_, property)| property.has_type("work"));
        let preferred_address = addresses
            .iter()
            .filter(|(_, property)| property.pref_rank().is_some())
            .min_by_key(|(_, property)| property.pref_rank());
        work_address.or(preferred_address).or(addresses.first()).map(|(index, _)| *index)
    }

    /// The index of the EMAIL that becomes `email`: the most preferred, else the first,
    /// never one that rolo marked as additional.
    fn primary_email_index(&self) -> Option<usize> {
        let candidates: Vec<(usize, &VcardProperty)> = self
            .properties
            .iter()
            .enumerate()
            .filter(|(_, property)| property.name == "EMAIL" && property.param(ADDITIONAL_PARAM).is_none())
            .filter(|(_, property)| property.email_address().is_some_and(|address| !clean(&address).trim().is_empty()))
            .collect();
        let preferred = candidates
            .iter()
            .filter(|(_, property)| property.pref_rank().is_some())
            .min_by_key(|(_, property)| property.pref_rank());
        preferred.or(candidates.first()).map(|(index, _)| *index)
    }
}

/// Which properties were already taken; their later occurrences go to `vcard_extra`.
struct FirstSeen {
    name: bool,
    title: bool,
    organization: bool,
    website: bool,
}

impl Default for FirstSeen {
    fn default() -> Self {
        FirstSeen { name: true, title: true, organization: true, website: true }
    }
}

fn add_phone(draft: &mut ContactDraft, property: &VcardProperty, number: String, label: Option<&str>) {
    if number.is_empty() {
        return;
    }
    let types = property.types();
    let kind = phone_kind(&types, label);
    let slot = match phone_class(&types, &kind) {
        PhoneClass::Mobile => Property::MobilePhone,
        PhoneClass::Fax => Property::Fax,
        PhoneClass::Other => Property::Phone,
    };
    if property.param(ADDITIONAL_PARAM).is_none() && draft.get(slot).is_none() {
        draft.set(slot, number);
    } else {
        draft.additional_phones.push(PhoneEntry { kind: clean(&kind), value: number });
    }
}

fn set_address(draft: &mut ContactDraft, property: &VcardProperty) {
    let components: Vec<String> = property.components().iter().map(|part| clean(part.trim())).collect();
    let component = |index: usize| components.get(index).map_or("", String::as_str);
    let street_parts: Vec<&str> =
        [component(2), component(1), component(0)].into_iter().filter(|part| !part.is_empty()).collect();
    draft.set(Property::StreetAddress, street_parts.join(", "));
    draft.set(Property::City, component(3));
    draft.set(Property::State, component(4));
    draft.set(Property::PostalCode, component(5));
    draft.set(Property::Country, component(6));
}

fn set_rolo_field(draft: &mut ContactDraft, field_name: String, value: String) {
    if value.is_empty() {
        return;
    }
    match field_name.parse::<Property>() {
        Ok(property) if !property.is_list() => draft.set(property, value),
        // The lists have their own vCard properties; a custom value must not shadow them.
        Ok(_) => (),
        Err(_) => {
            draft.custom.insert(field_name, value);
        }
    }
}

/// True when every component of the value is empty.
fn is_blank(property: &VcardProperty) -> bool {
    property.components().iter().all(|part| part.trim().is_empty())
}

/// Removes NUL characters, which no terminal, database or exporter wants, and makes every
/// line break (QUOTED-PRINTABLE values carry CRLF) a plain `\n`.
fn clean(text: &str) -> String {
    if !text.contains(['\0', '\r']) {
        return text.to_string();
    }
    text.replace('\0', "").replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::super::parse_vcards;

    /// The draft of the only card in `card_lines` (wrapped in BEGIN/END) as JSON, with
    /// `vcard_extra` added when it is not empty.
    fn check(card_lines: &str, expected: Value) {
        let input = format!("BEGIN:VCARD\r\n{card_lines}\r\nEND:VCARD\r\n");
        let parsed = parse_vcards(input.as_bytes()).unwrap();
        let draft = parsed.cards[0].to_draft();
        let mut actual = draft.to_json_map();
        if !draft.vcard_extra.is_empty() {
            actual.insert("vcard_extra".into(), Value::from(draft.vcard_extra.clone()));
        }
        assert_eq!(Value::Object(actual), expected, "card: {card_lines}");
    }

    #[test]
    fn names() {
        check(
            "VERSION:3.0\nFN:Mr. John Q. Public\\, Esq.\nN:Public;John;Quinlan;Mr.;Esq.\nN:Other;Name;;;",
            json!({"first_name": "John", "last_name": "Public", "vcard_extra": ["N:Public;John;Quinlan;Mr.;Esq."]}),
        );
        check("N:Lovelace;Ada;;;\nFN:Countess", json!({"first_name": "Ada", "last_name": "Lovelace"}));
        check("FN:Ada King  Lovelace", json!({"first_name": "Ada King", "last_name": "Lovelace"}));
        check("FN:Cher\nN:;;;;", json!({"first_name": "Cher"}));
        check(
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:L=C3=B6we;Zo=C3=AB;;Dr.;",
            json!({
                "first_name": "Zoë",
                "last_name": "Löwe",
                "vcard_extra": ["N:Löwe;Zoë;;Dr.;"],
            }),
        );
        // A name that only repeats the company or the email is not a person's name.
        check("FN:Acme Inc\nN:;;;;\nORG:Acme Inc", json!({"company": "Acme Inc"}));
        check("FN:a@b.example\nEMAIL:A@b.example", json!({"email": "A@b.example"}));
        check("FN:\nEMAIL:a@b.example", json!({"email": "a@b.example"}));
    }

    #[test]
    fn emails_by_preference() {
        check(
            "EMAIL;HOME:home@x\nEMAIL;INTERNET;PREF:pref@x\nEMAIL:HOME@X\nEMAIL:mailto:other@x\nEMAIL:",
            json!({"email": "pref@x", "additional_emails": ["home@x", "other@x"]}),
        );
        check(
            "EMAIL;PREF=2:two@x\nEMAIL;PREF=1:one@x\nEMAIL:PREF@X",
            json!({"email": "one@x", "additional_emails": ["two@x", "PREF@X"]}),
        );
        check(
            "EMAIL;TYPE=work:w@x\nEMAIL;TYPE=INTERNET,pref:p@x",
            json!({"email": "p@x", "additional_emails": ["w@x"]}),
        );
        check(
            "EMAIL:a@x\nitem1.EMAIL:b@x\nitem1.X-ABLabel:Custom",
            json!({"email": "a@x", "additional_emails": ["b@x"]}),
        );
        check(
            "EMAIL;X-ROLO-ADDITIONAL=TRUE:a@x\nEMAIL;X-ROLO-ADDITIONAL=TRUE:b@x",
            json!({"additional_emails": ["a@x", "b@x"]}),
        );
    }

    #[test]
    fn phones_fill_slots_then_additional_phones() {
        check(
            "TEL;TYPE=HOME:1\nTEL;TYPE=WORK;TYPE=VOICE;PREF:2\nTEL;CELL:3\nTEL;TYPE=mobile:4\nTEL;TYPE=HOME,FAX:5\n\
             TEL;TYPE=PAGER:6\nTEL:7\nTEL;TYPE=MAIN:8\nitem1.TEL:9\nitem1.X-ABLabel:Sat phone\n\
             item2.TEL:10\nitem2.X-ABLabel:_$!<HomeFAX>!$_\nTEL;X-NEC-SECRET:11\nTEL;VALUE=uri:tel:+1-5;ext=2\nTEL:",
            json!({
                "phone": "1",
                "mobile_phone": "3",
                "fax": "5",
                "additional_phones": [
                    {"type": "work", "value": "2"},
                    {"type": "mobile", "value": "4"},
                    {"type": "pager", "value": "6"},
                    {"type": "other", "value": "7"},
                    {"type": "main", "value": "8"},
                    {"type": "Sat phone", "value": "9"},
                    {"type": "home fax", "value": "10"},
                    {"type": "other", "value": "11"},
                    {"type": "other", "value": "+1-5;ext=2"},
                ],
            }),
        );
        check("item1.TEL:1\nitem1.X-ABLabel:_$!<Mobile>!$_", json!({"mobile_phone": "1"}));
        check("TEL;TYPE=work;X-ROLO-ADDITIONAL=TRUE:1", json!({"additional_phones": [{"type": "work", "value": "1"}]}));
    }

    #[test]
    fn work_fields_address_and_notes() {
        check(
            "TITLE:Director\\, R&D\nTITLE:Blogger\nORG:ABC\\, Inc.;North American Division;Marketing\nORG:Other\n\
             URL:http\\://a.example\nURL;TYPE=home:http://b.example\n\
             ADR;TYPE=HOME:;;1 Home St;Hometown;;;\nADR;TYPE=WORK,PREF:PO 7;Suite 5;2 Work St;Worktown;CA;90210;USA\n\
             NOTE:first\\nline\nNOTE:\nNOTE:second",
            json!({
                "job_title": "Director, R&D",
                "company": "ABC, Inc.",
                "department": "North American Division, Marketing",
                "website": "http://a.example",
                "street_address": "2 Work St, Suite 5, PO 7",
                "city": "Worktown",
                "state": "CA",
                "postal_code": "90210",
                "country": "USA",
                "notes": "first\nline\n\nsecond",
                "vcard_extra": ["TITLE:Blogger", "ORG:Other", "URL;TYPE=home:http://b.example", "ADR;TYPE=HOME:;;1 Home St;Hometown;;;"],
            }),
        );
        check(
            "ADR;TYPE=home:;;1 St;A;;;\nADR;PREF=1:;;2 St;B;;;",
            json!({"street_address": "2 St", "city": "B", "vcard_extra": ["ADR;TYPE=home:;;1 St;A;;;"]}),
        );
        check("ADR:;;;;;;\nADR:;;3 St;;;;", json!({"street_address": "3 St"}));
    }

    #[test]
    fn unmapped_lines_are_kept_for_export() {
        check(
            "VERSION:2.1\nPRODID:x\nREV:1\nUID:u-1\nBDAY:1975-08-20\nitem1.URL:http://a.example\nitem1.X-ABLabel:blog\n\
             item2.TEL:1\nitem2.X-ABLabel:Boat\nitem3.X-ABDATE:2000-01-01\nitem3.X-ABLabel:_$!<Anniversary>!$_\n\
             LABEL;WORK;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:a=0D=0Ab\\, c\nX-CUSTOM;TYPE=\"a,b\";X-Q=\"x:y\":v\n\
             PHOTO;ENCODING=BASE64;JPEG:QUFB\nNICKNAME;CHARSET=UTF-8:Zo\u{eb}",
            json!({
                "website": "http://a.example",
                "phone": "1",
                "vcard_extra": [
                    "UID:u-1",
                    "BDAY:1975-08-20",
                    "item3.X-ABDATE:2000-01-01",
                    "item3.X-ABLabel:_$!<Anniversary>!$_",
                    "LABEL;TYPE=WORK:a\\nb\\, c",
                    "X-CUSTOM;TYPE=\"a,b\";X-Q=\"x:y\":v",
                    "PHOTO;ENCODING=BASE64;TYPE=JPEG:QUFB",
                    "NICKNAME:Zoë",
                ],
            }),
        );
    }

    #[test]
    fn rolo_fields_and_nul_characters() {
        check(
            "X-ROLO-LIFECYCLE-STAGE:lead\nX-ROLO-BADGE-ID:B\\,7\nX-ROLO-CUSTOM;X-NAME=\"Favorite color\":blue\nX-ROLO-CUSTOM:plain\n\
             X-ROLO-ADDITIONAL-EMAILS:ignored\nFN:A\0da\nNOTE:x\0",
            json!({
                "first_name": "Ada",
                "lifecycle_stage": "lead",
                "badge_id": "B,7",
                "Favorite color": "blue",
                "custom": "plain",
                "notes": "x",
            }),
        );
    }
}
