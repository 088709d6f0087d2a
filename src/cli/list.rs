//! `rolo list`: contacts as a table, or as one JSON array of contact objects for scripts.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::Value;

use super::ListArgs;
use super::safe_json;
use super::table::Table;
use crate::model::{Contact, ContactId, ContactSummary, DoNotEmailReason};
use crate::store::{self, ListQuery, Store};

/// Up to this many results, loading each contact by id is faster than loading them all.
const MAX_CONTACTS_LOADED_ONE_BY_ONE: usize = 2_000;

pub fn list(store: &mut Store, args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let list_id = match &args.list_name {
        Some(list_name) => Some(find_list(store, list_name)?.id),
        None => None,
    };
    let query = ListQuery {
        search: args.search.clone().unwrap_or_default(),
        sort: args.sort.sort_key(),
        descending: args.desc,
        is_trash: args.trash,
        list_id,
        offset: 0,
        limit: args.limit.map_or(0, |limit| limit as usize),
    };
    let summaries = store.summaries(&query).context("reading the contact list")?;
    if args.json {
        write_contacts_json(store, &summaries, args.trash, out)?;
    } else {
        write_summary_table(&summaries, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The list of that name, or an error that names the lists there are.
pub fn find_list(store: &Store, list_name: &str) -> anyhow::Result<store::ContactList> {
    if let Some(list) = store.list_by_name(list_name)? {
        return Ok(list);
    }
    let names: Vec<String> = store.lists()?.into_iter().map(|list| list.name).collect();
    let known = if names.is_empty() {
        "there are no lists yet".to_string()
    } else {
        format!("the lists are {}", names.join(", "))
    };
    anyhow::bail!("{}; {known}", store::Error::NoSuchList(list_name.to_string()))
}

/// The table `rolo list` and `rolo trash` print: id, name, email, phone, company.
pub fn write_summary_table(summaries: &[ContactSummary], out: &mut dyn Write) -> anyhow::Result<()> {
    let mut table = Table::new(vec!["ID", "Name", "Email", "Phone", "Company"]);
    for summary in summaries {
        table.push_row([
            summary.id.to_string(),
            summary.display_name(),
            summary.email.clone(),
            summary.phone.clone(),
            summary.company.clone(),
        ]);
    }
    table.write_to(out)?;
    Ok(())
}

/// One JSON array, one contact object per line, in the order of `summaries`. Many contacts
/// are loaded with their list memberships, do-not-email reasons and external ids in one
/// query each rather than one per contact.
fn write_contacts_json(
    store: &Store,
    summaries: &[ContactSummary],
    is_trash: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let is_bulk = summaries.len() > MAX_CONTACTS_LOADED_ONE_BY_ONE;
    let mut contacts: HashMap<ContactId, Contact> = if is_bulk {
        store.all_contacts(is_trash)?.into_iter().map(|contact| (contact.id, contact)).collect()
    } else {
        let mut contacts = HashMap::new();
        for summary in summaries {
            if let Some(contact) = store.contact(summary.id)? {
                contacts.insert(summary.id, contact);
            }
        }
        contacts
    };
    let mut extras: HashMap<ContactId, ContactExtras> = HashMap::new();
    if is_bulk {
        for (contact_id, list_names) in store.list_memberships()? {
            extras.entry(contact_id).or_default().list_names = list_names;
        }
        for (contact_id, reasons) in store.do_not_email_by_contact()? {
            extras.entry(contact_id).or_default().do_not_email = reasons;
        }
        for (contact_id, external_id) in store.external_ids()? {
            extras.entry(contact_id).or_default().external_id = Some(external_id);
        }
    } else {
        for contact in contacts.values() {
            extras.insert(contact.id, ContactExtras::load(store, contact)?);
        }
    }
    write!(out, "[")?;
    let mut n_written = 0;
    for summary in summaries {
        let Some(contact) = contacts.remove(&summary.id) else { continue };
        let contact_extras = extras.remove(&contact.id).unwrap_or_default();
        let separator = if n_written == 0 { "\n" } else { ",\n" };
        write!(out, "{separator}")?;
        safe_json::write_compact(out, &contact_json(&contact, contact_extras))?;
        n_written += 1;
    }
    writeln!(out, "{}]", if n_written == 0 { "" } else { "\n" })?;
    Ok(())
}

/// What `rolo list --json` and `rolo show --json` add to a contact's properties.
#[derive(Debug, Clone, Default)]
pub struct ContactExtras {
    pub list_names: Vec<String>,
    /// Why its email is on the do-not-email list; empty when it is not.
    pub do_not_email: Vec<DoNotEmailReason>,
    /// Its id in the system it was imported from.
    pub external_id: Option<String>,
}

impl ContactExtras {
    pub fn load(store: &Store, contact: &Contact) -> anyhow::Result<ContactExtras> {
        Ok(ContactExtras {
            list_names: store.lists_of(contact.id)?,
            do_not_email: store.do_not_email_reasons_of(&contact.draft)?,
            external_id: store.external_id(contact.id)?,
        })
    }
}

/// `Contact::to_json` plus `"lists"`, and `"do_not_email"` (its reasons) and
/// `"external_id"` where the contact has them: the object `rolo list --json` and
/// `rolo show --json` print.
pub fn contact_json(contact: &Contact, extras: ContactExtras) -> Value {
    let mut json = contact.to_json();
    if let Value::Object(map) = &mut json {
        map.insert("lists".into(), Value::from(extras.list_names));
        if !extras.do_not_email.is_empty() {
            let reasons: Vec<&str> = extras.do_not_email.iter().map(|reason| reason.key()).collect();
            map.insert("do_not_email".into(), Value::from(reasons));
        }
        if let Some(external_id) = extras.external_id {
            map.insert("external_id".into(), Value::from(external_id));
        }
    }
    json
}
