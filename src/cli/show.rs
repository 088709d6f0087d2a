//! `rolo show`: one contact with every property, where its current value came from and,
//! on request, the full history of changes.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::{Map, Value, json};

use super::ShowArgs;
use super::list::{ContactExtras, contact_json};
use super::safe_json;
use super::table::Table;
use crate::model::{
    Contact, ContactId, Property, PropertyChange, STANDARD_PROPERTIES, Source, Timestamp, sanitize_line,
};
use crate::store::{self, Store};

pub fn show(store: &mut Store, args: &ShowArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let contact = load_contact(store, args.contact_id)?;
    let sources = store.current_sources(contact.id)?;
    let list_names = store.lists_of(contact.id)?;
    let history = if args.history { Some(store.history(contact.id)?) } else { None };
    if args.json {
        let extras = ContactExtras { list_names, ..ContactExtras::load(store, &contact)? };
        write_json(&contact, extras, &sources, history.as_deref(), out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let custom_labels: BTreeMap<String, String> = store.custom_properties()?.into_iter().collect();
    writeln!(out, "{}  (contact {})", sanitize_line(&contact.draft.display_name()), contact.id)?;
    if let Some(deleted_at) = contact.deleted_at {
        writeln!(
            out,
            "In the trash since {}; `rolo restore {}` brings it back.",
            deleted_at.format_minutes(),
            contact.id
        )?;
    }
    writeln!(out)?;
    let mut table = Table::new(vec!["Property", "Source", "Changed", "Value"]);
    for key in keys_in_form_order(&contact) {
        let label = match key.parse::<Property>() {
            Ok(property) => property.label().to_string(),
            Err(_) => custom_labels.get(&key).cloned().unwrap_or_else(|| key.clone()),
        };
        let (source, changed) = match sources.get(&key) {
            Some((source, at)) => (source.label().to_string(), at.format_minutes()),
            None => (String::new(), String::new()),
        };
        table.push_row([label, source, changed, display_value(&contact, &key)]);
    }
    table.write_to(out)?;
    writeln!(out)?;
    if let Some(company) = contact.company_id.map(|company_id| store.company(company_id)).transpose()?.flatten() {
        writeln!(out, "Company: {} ({})", sanitize_line(&company.name), sanitize_line(&company.domain))?;
    }
    if !list_names.is_empty() {
        writeln!(out, "Lists: {}", sanitize_line(&list_names.join(", ")))?;
    }
    let extras = ContactExtras::load(store, &contact)?;
    if !extras.do_not_email.is_empty() {
        let reasons: Vec<&str> = extras.do_not_email.iter().map(|reason| reason.key()).collect();
        writeln!(out, "Do not email: {}", reasons.join(", "))?;
    }
    if let Some(external_id) = &extras.external_id {
        writeln!(out, "Id in the system it came from: {}", sanitize_line(external_id))?;
    }
    writeln!(
        out,
        "Created {}, updated {} (UTC)",
        contact.created_at.format_minutes(),
        contact.updated_at.format_minutes()
    )?;
    if let Some(history) = history {
        writeln!(out, "\nHistory, newest first:")?;
        let mut table = Table::new(vec!["Time (UTC)", "Property", "Source", "Value"]);
        for change in history {
            let value = if change.value.is_empty() { "(cleared)".to_string() } else { change.value };
            table.push_row([change.at.format_minutes(), change.property, change.source.label().to_string(), value]);
        }
        table.write_to(out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The contact with that id, live or trashed, or an error saying there is none.
pub fn load_contact(store: &Store, contact_id: ContactId) -> anyhow::Result<Contact> {
    store
        .contact(contact_id)
        .with_context(|| format!("reading contact {contact_id}"))?
        .ok_or_else(|| store::Error::NotFound(contact_id).into())
}

/// Standard keys in the order forms show them, then custom names.
fn keys_in_form_order(contact: &Contact) -> Vec<String> {
    STANDARD_PROPERTIES
        .into_iter()
        .map(|property| property.key().to_string())
        .chain(contact.draft.custom.keys().cloned())
        .filter(|key| contact.draft.value_by_key(key).is_some())
        .collect()
}

/// A property's value as one line: list properties joined with commas.
fn display_value(contact: &Contact, key: &str) -> String {
    match key.parse::<Property>() {
        Ok(Property::AdditionalEmails) => contact.draft.additional_emails.join(", "),
        Ok(Property::AdditionalPhones) => contact
            .draft
            .additional_phones
            .iter()
            .map(|phone| format!("{}: {}", phone.kind, phone.value))
            .collect::<Vec<_>>()
            .join(", "),
        _ => contact.draft.value_by_key(key).unwrap_or_default(),
    }
}

fn write_json(
    contact: &Contact,
    extras: ContactExtras,
    sources: &BTreeMap<String, (Source, Timestamp)>,
    history: Option<&[PropertyChange]>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut current_sources = Map::new();
    for key in contact.draft.keys() {
        if let Some((source, at)) = sources.get(&key) {
            current_sources.insert(key, json!({"source": source.key(), "at": at.rfc3339()}));
        }
    }
    let mut object = Map::new();
    object.insert("contact".into(), contact_json(contact, extras));
    object.insert("sources".into(), Value::Object(current_sources));
    object.insert("created_at".into(), Value::from(contact.created_at.rfc3339()));
    object.insert("updated_at".into(), Value::from(contact.updated_at.rfc3339()));
    object.insert("deleted_at".into(), contact.deleted_at.map_or(Value::Null, |at| Value::from(at.rfc3339())));
    if let Some(history) = history {
        let changes = history
            .iter()
            .map(|change| {
                json!({"at": change.at.rfc3339(), "property": change.property, "value": change.value, "source": change.source.key()})
            })
            .collect();
        object.insert("history".into(), Value::Array(changes));
    }
    safe_json::write_pretty(out, &Value::Object(object))?;
    Ok(())
}
