//! One record to one `ImportRow`: values into the draft (sanitized), several emails or
//! phones in one cell, a full name split, the address of the first group that has one,
//! statuses into do-not-email reasons, tags into lists; or the reason the row is invalid.

use std::collections::BTreeMap;

use super::header::{AddressPart, ColumnTarget, phone_kind_of};
use super::{Column, CsvPreset, DoNotEmailReason, ImportRow, RowProblem, StatusWord};
use crate::model::{ContactDraft, PhoneEntry, Property, normalize_email, sanitize_line, sanitize_text};

/// Google Contacts' and Outlook's values of several emails or phones in one cell.
const MULTI_VALUE_SEPARATOR: &str = " ::: ";

/// Maps one record. `None` for a row whose cells are all empty.
pub fn map_record(
    columns: &[Column],
    preset: CsvPreset,
    file_status: Option<StatusWord>,
    line: usize,
    cells: &[String],
) -> Option<ImportRow> {
    if cells.iter().all(|cell| cell.trim().is_empty()) {
        return None;
    }
    let mut row = ImportRow { line, ..ImportRow::default() };
    let mut draft = ContactDraft::default();
    let mut full_name: Option<String> = None;
    let mut invalid_emails: Vec<(String, String)> = Vec::new();
    // Address parts by group, in column order of the groups.
    let mut addresses: Vec<(String, BTreeMap<AddressPartKey, String>)> = Vec::new();
    let mut statuses: Vec<StatusWord> = file_status.into_iter().collect();

    // Primary email columns first: a secondary email column may come before them.
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&index| !matches!(columns[index].target, ColumnTarget::Property(Property::Email)));
    for index in order {
        let column = &columns[index];
        let Some(raw) = cells.get(index) else { continue };
        let value = clean_text(raw);
        if value.is_empty() {
            continue;
        }
        match &column.target {
            ColumnTarget::Property(Property::Email) | ColumnTarget::AdditionalEmail => {
                for part in value.split(MULTI_VALUE_SEPARATOR) {
                    let address = part.trim().trim_start_matches("mailto:").trim_start_matches("MAILTO:").trim();
                    if address.is_empty() || address.starts_with('/') {
                        // An Exchange X.500 path: the SMTP address is in another column.
                        continue;
                    }
                    if !is_email_address(address) {
                        invalid_emails.push((column.header.clone(), address.to_string()));
                        continue;
                    }
                    add_email(&mut draft, &sanitize_line(address));
                }
            }
            ColumnTarget::Property(property @ (Property::Phone | Property::MobilePhone | Property::Fax)) => {
                for part in value.split(MULTI_VALUE_SEPARATOR).map(str::trim).filter(|part| !part.is_empty()) {
                    let part = sanitize_line(part);
                    if draft.get(*property).is_none() {
                        draft.set(*property, part);
                    } else {
                        let kind = match property {
                            Property::MobilePhone => "mobile".to_string(),
                            Property::Fax => "fax".to_string(),
                            _ => phone_kind_of(&column.header),
                        };
                        add_phone(&mut draft, kind, part);
                    }
                }
            }
            ColumnTarget::AdditionalPhone(kind) => {
                for part in value.split(MULTI_VALUE_SEPARATOR).map(str::trim).filter(|part| !part.is_empty()) {
                    add_phone(&mut draft, kind.clone(), sanitize_line(part));
                }
            }
            ColumnTarget::Property(Property::Notes) => {
                let notes = sanitize_text(&value);
                let joined = match draft.get(Property::Notes) {
                    Some(earlier) => format!("{earlier}\n{notes}"),
                    None => notes,
                };
                draft.set(Property::Notes, joined);
            }
            ColumnTarget::Property(property) => {
                if property.is_list() || property.is_system() {
                    continue;
                }
                if *property == Property::LifecycleStage {
                    if let Ok(stage) = value.parse::<crate::model::LifecycleStage>() {
                        draft.set_if_empty(*property, stage.key());
                    }
                    continue;
                }
                draft.set_if_empty(*property, sanitize_line(&value));
            }
            ColumnTarget::FullName => {
                full_name.get_or_insert_with(|| sanitize_line(&value));
            }
            ColumnTarget::Address { part, group } => {
                let text = if *part == AddressPart::Street { sanitize_text(&value) } else { sanitize_line(&value) };
                let slot = match addresses.iter_mut().position(|(known, _)| known == group) {
                    Some(position) => &mut addresses[position].1,
                    None => {
                        addresses.push((group.clone(), BTreeMap::new()));
                        &mut addresses.last_mut().expect("just pushed").1
                    }
                };
                slot.entry(AddressPartKey(*part))
                    .and_modify(|earlier| {
                        earlier.push_str(if *part == AddressPart::Street { "\n" } else { ", " });
                        earlier.push_str(&text);
                    })
                    .or_insert(text);
            }
            ColumnTarget::OptOut => {
                if is_yes(&value) {
                    statuses.push(StatusWord::Unsubscribed);
                }
            }
            ColumnTarget::Bounced => {
                if is_yes(&value) {
                    statuses.push(StatusWord::Bounced);
                }
            }
            ColumnTarget::EmailStatus => statuses.extend(StatusWord::parse(&value)),
            ColumnTarget::ExternalId => {
                row.external_id.get_or_insert_with(|| sanitize_line(&value));
            }
            ColumnTarget::Lists => {
                for tag in split_tags(&value, preset) {
                    if !row.lists.contains(&tag) {
                        row.lists.push(tag);
                    }
                }
            }
            ColumnTarget::Custom(name) => {
                let text = sanitize_text(&value);
                draft
                    .custom
                    .entry(name.clone())
                    .and_modify(|earlier| {
                        earlier.push_str("; ");
                        earlier.push_str(&text);
                    })
                    .or_insert(text);
            }
            ColumnTarget::Ignore => (),
        }
    }

    if let Some(name) = full_name
        && draft.get(Property::FirstName).is_none()
        && draft.get(Property::LastName).is_none()
    {
        let (first, last) = split_full_name(&name);
        draft.set(Property::FirstName, first);
        draft.set(Property::LastName, last);
    }
    fill_address(&mut draft, addresses);

    for status in statuses {
        let reason = match status {
            StatusWord::Unsubscribed => Some(DoNotEmailReason::Unsubscribed),
            StatusWord::Bounced => Some(DoNotEmailReason::Bounced),
            StatusWord::Complained => Some(DoNotEmailReason::Complained),
            StatusWord::NoConsent => {
                row.has_no_consent = true;
                None
            }
            StatusWord::Subscribed => None,
        };
        if let Some(reason) = reason
            && !row.do_not_email.contains(&reason)
        {
            row.do_not_email.push(reason);
        }
    }

    let has_email = draft.get(Property::Email).is_some();
    if has_email {
        row.warnings.extend(invalid_emails.iter().map(|(column, value)| RowProblem {
            column: column.clone(),
            reason: format!("left out, not an email address: {value}"),
        }));
    } else {
        if let Some((column, value)) = invalid_emails.first() {
            row.problem = Some(RowProblem { column: column.clone(), reason: format!("not an email address: {value}") });
        } else if !has_identity(&draft) {
            row.problem = Some(RowProblem {
                column: String::new(),
                reason: "no email, name, company or phone: nothing to make a contact of".to_string(),
            });
        }
    }
    row.draft = draft;
    Some(row)
}

/// Orders address parts like a postal address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AddressPartKey(AddressPart);

impl AddressPartKey {
    fn rank(self) -> u8 {
        match self.0 {
            AddressPart::Street => 0,
            AddressPart::City => 1,
            AddressPart::State => 2,
            AddressPart::PostalCode => 3,
            AddressPart::Country => 4,
        }
    }
}

impl PartialOrd for AddressPartKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for AddressPartKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

/// The business (else mailing, unnamed, home, other) address fills the standard address;
/// every other address is kept as a custom `…_address` property in one line.
fn fill_address(draft: &mut ContactDraft, mut addresses: Vec<(String, BTreeMap<AddressPartKey, String>)>) {
    let rank = |group: &str| match group {
        "business" => 0,
        "mailing" => 1,
        "" => 2,
        "home" => 3,
        _ => 4,
    };
    addresses.sort_by_key(|(group, _)| rank(group));
    for (index, (group, parts)) in addresses.into_iter().enumerate() {
        if index == 0 {
            for (key, value) in parts {
                draft.set(key.0.property(), value);
            }
            continue;
        }
        let name = if group.is_empty() { "other_address".to_string() } else { format!("{group}_address") };
        let line = parts.into_values().map(|value| value.replace('\n', ", ")).collect::<Vec<_>>().join(", ");
        draft.custom.entry(name).or_insert(line);
    }
}

/// "Ada Lovelace" → (Ada, Lovelace); "Lovelace, Ada" → (Ada, Lovelace); one word → first name.
pub fn split_full_name(name: &str) -> (String, String) {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some((last, first)) = name.split_once(',')
        && !first.trim().is_empty()
        && !last.trim().is_empty()
    {
        return (first.trim().to_string(), last.trim().to_string());
    }
    match name.split_once(' ') {
        Some((first, last)) => (first.to_string(), last.to_string()),
        None => (name, String::new()),
    }
}

/// A plausible address: one `@`, something before it, a dotted domain after it, no spaces.
pub fn is_email_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(|character| character.is_whitespace() || character.is_control() || character == ',')
}

/// Yes in the languages of the header matching, a date, or any other non-empty value that
/// is not a no.
pub fn is_yes(value: &str) -> bool {
    let lower = value.trim().to_lowercase();
    let is_no = matches!(
        lower.as_str(),
        "" | "no"
            | "n"
            | "false"
            | "0"
            | "-"
            | "off"
            | "none"
            | "nein"
            | "non"
            | "nee"
            | "nej"
            | "falsch"
            | "faux"
            | "falso"
            | "unchecked"
            | "opted in"
            | "subscribed"
            | "nicht"
            | "ne"
            | "f"
            | "0.0"
    );
    !is_no
}

/// Tags of one cell: Mailchimp's quoted CSV (`"Customer","VIP"`), Google's ` ::: `,
/// Outlook's `;`, or commas. Google's system groups (`* myContacts`) are left out.
fn split_tags(value: &str, preset: CsvPreset) -> Vec<String> {
    let parts: Vec<String> = if value.contains(MULTI_VALUE_SEPARATOR) {
        value.split(MULTI_VALUE_SEPARATOR).map(str::to_string).collect()
    } else if value.trim_start().starts_with('"') {
        split_quoted(value.trim())
    } else if value.contains(';') {
        value.split(';').map(str::to_string).collect()
    } else {
        value.split(',').map(str::to_string).collect()
    };
    let is_google = matches!(preset, CsvPreset::Google | CsvPreset::GoogleLegacy | CsvPreset::GoogleOutlookCsv);
    parts
        .into_iter()
        .map(|part| sanitize_line(part.trim()))
        .filter(|part| !part.is_empty())
        .filter(|part| {
            !is_google
                || !(part.starts_with('*')
                    || ["mycontacts", "starred", "other contacts", "other"].contains(&part.to_lowercase().as_str()))
        })
        .collect()
}

/// `"Customer","VIP","Newsletter, weekly"` → its three values: commas inside quotes stay,
/// doubled quotes are one quote.
fn split_quoted(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut current = String::new();
    let mut is_in_quotes = false;
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '"' if is_in_quotes && characters.peek() == Some(&'"') => {
                current.push('"');
                characters.next();
            }
            '"' => is_in_quotes = !is_in_quotes,
            ',' if !is_in_quotes => values.push(std::mem::take(&mut current)),
            other => current.push(other),
        }
    }
    values.push(current);
    values
}

fn add_email(draft: &mut ContactDraft, address: &str) {
    let key = normalize_email(address);
    match draft.get(Property::Email) {
        None => draft.set(Property::Email, address),
        Some(primary) if normalize_email(primary) == key => (),
        Some(_) => {
            if !draft.additional_emails.iter().any(|known| normalize_email(known) == key) {
                draft.additional_emails.push(address.trim().to_string());
            }
        }
    }
}

fn add_phone(draft: &mut ContactDraft, kind: String, value: String) {
    let is_known = [Property::Phone, Property::MobilePhone, Property::Fax]
        .iter()
        .any(|&property| draft.get(property) == Some(value.as_str()))
        || draft.additional_phones.iter().any(|entry| entry.value == value);
    if !is_known && !value.trim().is_empty() {
        draft.additional_phones.push(PhoneEntry { kind, value: value.trim().to_string() });
    }
}

/// A name, a company or a phone number: enough for a contact without email.
fn has_identity(draft: &ContactDraft) -> bool {
    [Property::FirstName, Property::LastName, Property::Company, Property::Phone, Property::MobilePhone]
        .iter()
        .any(|&property| draft.get(property).is_some())
        || !draft.additional_phones.is_empty()
}

/// CRLF and CR line ends become LF; surrounding white space goes.
fn clean_text(raw: &str) -> String {
    let text = raw.trim();
    if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_split_at_the_first_space_or_a_comma() {
        assert_eq!(split_full_name("Tomás Ó Briain"), ("Tomás".into(), "Ó Briain".into()));
        assert_eq!(split_full_name("Pablo  Ruiz"), ("Pablo".into(), "Ruiz".into()));
        assert_eq!(split_full_name("Lovelace, Ada"), ("Ada".into(), "Lovelace".into()));
        assert_eq!(split_full_name("Cher"), ("Cher".into(), String::new()));
    }

    #[test]
    fn yes_and_no_in_several_languages() {
        for yes in ["Yes", "ja", "true", "1", "oui", "x", "2023-08-15 10:22:09"] {
            assert!(is_yes(yes), "{yes}");
        }
        for no in ["No", "nein", "false", "0", "", "non", "nej", "nee"] {
            assert!(!is_yes(no), "{no}");
        }
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(is_email_address("ada@example.com"));
        assert!(!is_email_address("not-an-email"));
        assert!(!is_email_address("a b@example.com"));
        assert!(!is_email_address("a@localhost"));
    }

    #[test]
    fn tags_in_every_exporter_style() {
        assert_eq!(
            split_tags("\"Customer\",\"VIP\",\"Newsletter, weekly\"", CsvPreset::Mailchimp),
            ["Customer", "VIP", "Newsletter, weekly"]
        );
        assert_eq!(split_tags("* myContacts ::: Clients", CsvPreset::Google), ["Clients"]);
        assert_eq!(split_tags("myContacts;Clients", CsvPreset::GoogleOutlookCsv), ["Clients"]);
        assert_eq!(split_tags("customer, bakery", CsvPreset::ConstantContact), ["customer", "bakery"]);
    }
}
