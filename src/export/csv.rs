//! Writes drafts as CSV whose column names HubSpot's contact import maps by itself
//! (it matches headers to property labels, ignoring case), plus the additional emails and
//! phones and one column for each custom property.

use std::collections::BTreeSet;
use std::io::Write;

use crate::model::{ContactDraft, LifecycleStage, Property};

use super::Error;

/// The fixed columns, in order, and the property each one holds.
pub const CSV_COLUMNS: [(&str, Property); 17] = [
    ("First Name", Property::FirstName),
    ("Last Name", Property::LastName),
    ("Email", Property::Email),
    ("Phone Number", Property::Phone),
    ("Mobile Phone Number", Property::MobilePhone),
    ("Fax Number", Property::Fax),
    ("Job Title", Property::JobTitle),
    ("Company Name", Property::Company),
    ("Website URL", Property::Website),
    ("Street Address", Property::StreetAddress),
    ("City", Property::City),
    ("State/Region", Property::State),
    ("Postal Code", Property::PostalCode),
    ("Country/Region", Property::Country),
    ("Lifecycle Stage", Property::LifecycleStage),
    ("Contact Owner", Property::Owner),
    ("Notes", Property::Notes),
];

/// Additional emails, joined by ";".
pub const ADDITIONAL_EMAILS_COLUMN: &str = "Additional Emails";
/// Additional phones as `kind: number`, joined by "; ".
pub const ADDITIONAL_PHONES_COLUMN: &str = "Additional Phones";

/// One header row, then one row per contact. Custom columns are the union of the custom
/// property names, sorted; a name that repeats a fixed header gets " (custom)" appended.
pub fn write_csv(contacts: &[ContactDraft], out: impl Write) -> Result<(), Error> {
    let custom_names: BTreeSet<&str> =
        contacts.iter().flat_map(|contact| contact.custom.keys().map(String::as_str)).collect();
    let fixed_headers: Vec<&str> = CSV_COLUMNS
        .iter()
        .map(|(header, _)| *header)
        .chain([ADDITIONAL_EMAILS_COLUMN, ADDITIONAL_PHONES_COLUMN])
        .collect();
    let custom_headers = custom_names.iter().map(|name| {
        let repeats_fixed_header = fixed_headers.iter().any(|header| header.eq_ignore_ascii_case(name));
        if repeats_fixed_header { format!("{name} (custom)") } else { name.to_string() }
    });
    let headers: Vec<String> = fixed_headers.iter().map(|header| header.to_string()).chain(custom_headers).collect();

    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(&headers)?;
    for contact in contacts {
        let mut row: Vec<String> = CSV_COLUMNS.iter().map(|&(_, property)| column_value(contact, property)).collect();
        row.push(contact.additional_emails.join(";"));
        let phones: Vec<String> =
            contact.additional_phones.iter().map(|phone| format!("{}: {}", phone.kind, phone.value)).collect();
        row.push(phones.join("; "));
        row.extend(custom_names.iter().map(|name| contact.custom.get(*name).cloned().unwrap_or_default()));
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}

/// The cell for a property; lifecycle stages as the labels HubSpot's import accepts.
fn column_value(contact: &ContactDraft, property: Property) -> String {
    let value = contact.get(property).unwrap_or_default();
    if property == Property::LifecycleStage
        && let Ok(stage) = value.parse::<LifecycleStage>()
    {
        return stage.label().to_string();
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PhoneEntry;

    fn check(contacts: &[ContactDraft], expected: &str) {
        let mut output = Vec::new();
        write_csv(contacts, &mut output).unwrap();
        assert_eq!(String::from_utf8(output).unwrap(), expected);
    }

    const HEADER: &str = "First Name,Last Name,Email,Phone Number,Mobile Phone Number,Fax Number,Job Title,\
        Company Name,Website URL,Street Address,City,State/Region,Postal Code,Country/Region,Lifecycle Stage,\
        Contact Owner,Notes,Additional Emails,Additional Phones";

    #[test]
    fn writes_hubspot_columns() {
        check(&[], &format!("{HEADER}\n"));

        let mut ada = ContactDraft::default();
        ada.set(Property::FirstName, "Ada");
        ada.set(Property::LastName, "Lovelace");
        ada.set(Property::Email, "ada@example.com");
        ada.set(Property::Phone, "+44 20 7946 0958");
        ada.set(Property::LifecycleStage, "marketing_qualified_lead");
        ada.set(Property::Notes, "Met at \"the\" fair,\nsecond line");
        ada.additional_emails = vec!["a@x.com".into(), "b@y.com".into()];
        ada.additional_phones = vec![PhoneEntry { kind: "pager".into(), value: "123".into() }];
        ada.custom.insert("badge_id".into(), "B-7".into());
        let mut alan = ContactDraft::default();
        alan.set(Property::FirstName, "Alan");
        alan.custom.insert("city".into(), "Wilmslow".into());
        check(
            &[ada, alan],
            &format!(
                "{HEADER},badge_id,city (custom)\n\
                 Ada,Lovelace,ada@example.com,+44 20 7946 0958,,,,,,,,,,,Marketing qualified lead,,\"Met at \"\"the\"\" fair,\nsecond line\",a@x.com;b@y.com,pager: 123,B-7,\n\
                 Alan,,,,,,,,,,,,,,,,,,,,Wilmslow\n"
            ),
        );
    }
}
