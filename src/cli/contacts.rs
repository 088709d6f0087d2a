//! `rolo add`, `edit`, `delete`, `restore` and `trash`: the user's own changes, recorded
//! with `Source::User`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;

use super::list::write_summary_table;
use super::show::load_contact;
use super::{AddArgs, Assignment, EditArgs, TrashArgs};
use crate::model::{
    ContactDraft, ContactId, LifecycleStage, PhoneEntry, Property, STANDARD_PROPERTIES, Source, Timestamp,
    sanitize_line,
};
use crate::store::{ListQuery, OutcomeKind, Store, WriteOptions};

pub fn add(store: &mut Store, args: &AddArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let mut draft = ContactDraft::default();
    apply_assignments(store, &mut draft, &args.assignments, &args.custom_assignments)?;
    if draft.is_empty() {
        anyhow::bail!("nothing to add: every --set value is empty");
    }
    let options = WriteOptions {
        lifecycle_default: Some(LifecycleStage::Lead),
        ..WriteOptions::new(Source::User, Timestamp::now())
    };
    let outcome = store.save_draft(&draft, &options).context("adding the contact")?;
    let name = sanitize_line(&draft.display_name());
    let email = sanitize_line(draft.get(Property::Email).unwrap_or_default());
    match outcome.kind {
        OutcomeKind::Created => writeln!(out, "Added {name} as contact {}.", outcome.contact_id)?,
        OutcomeKind::Updated => {
            writeln!(out, "{email} already belongs to contact {}; updated it.", outcome.contact_id)?
        }
        OutcomeKind::Unchanged => {
            writeln!(out, "{email} already belongs to contact {}; it already had these values.", outcome.contact_id)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn edit(store: &mut Store, args: &EditArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let contact = load_contact(store, args.contact_id)?;
    let mut draft = contact.draft.clone();
    apply_assignments(store, &mut draft, &args.assignments, &args.custom_assignments)?;
    let changed_keys: Vec<String> = contact
        .draft
        .keys()
        .into_iter()
        .chain(draft.keys())
        .filter(|key| contact.draft.value_by_key(key) != draft.value_by_key(key))
        .fold(Vec::new(), |mut keys, key| {
            if !keys.contains(&key) {
                keys.push(key);
            }
            keys
        });
    if changed_keys.is_empty() {
        writeln!(out, "Contact {} already had these values; nothing changed.", contact.id)?;
        return Ok(ExitCode::SUCCESS);
    }
    store
        .update_contact(contact.id, &draft, Source::User, Timestamp::now())
        .with_context(|| format!("saving contact {}", contact.id))?;
    writeln!(
        out,
        "Updated contact {} ({}): {}.",
        contact.id,
        sanitize_line(&draft.display_name()),
        changed_keys.join(", ")
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn delete(store: &mut Store, contact_ids: &[ContactId], out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    // Check every id before changing anything, so a typo leaves all contacts where they were.
    for &contact_id in contact_ids {
        if load_contact(store, contact_id)?.deleted_at.is_some() {
            anyhow::bail!("contact {contact_id} is already in the trash; nothing was deleted");
        }
    }
    store.delete_contacts(contact_ids, Timestamp::now()).context("moving contacts to the trash")?;
    let ids = join_ids(contact_ids);
    writeln!(
        out,
        "Moved {} to the trash; `rolo restore {ids}` brings {} back.",
        contacts_phrase(contact_ids, &ids),
        them(contact_ids)
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn restore(store: &mut Store, contact_ids: &[ContactId], out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    for &contact_id in contact_ids {
        if load_contact(store, contact_id)?.deleted_at.is_none() {
            anyhow::bail!("contact {contact_id} is not in the trash; nothing was restored");
        }
    }
    store.restore_contacts(contact_ids).context("restoring contacts from the trash")?;
    writeln!(out, "Restored {}.", contacts_phrase(contact_ids, &join_ids(contact_ids)))?;
    Ok(ExitCode::SUCCESS)
}

pub fn trash(store: &mut Store, args: &TrashArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if args.empty {
        let n_deleted = store.empty_trash().context("emptying the trash")?;
        writeln!(out, "Deleted {n_deleted} contact{} for good.", if n_deleted == 1 { "" } else { "s" })?;
        return Ok(ExitCode::SUCCESS);
    }
    let summaries = store.summaries(&ListQuery { is_trash: true, ..ListQuery::default() })?;
    if summaries.is_empty() {
        writeln!(out, "The trash is empty.")?;
    } else {
        write_summary_table(&summaries, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Applies `--set KEY=VALUE` (standard keys and existing custom properties) and
/// `--custom NAME=VALUE` (any custom property) to a draft; an empty value clears.
fn apply_assignments(
    store: &Store,
    draft: &mut ContactDraft,
    assignments: &[Assignment],
    custom_assignments: &[Assignment],
) -> anyhow::Result<()> {
    let custom_names: Vec<String> = store.custom_properties()?.into_iter().map(|(name, _)| name).collect();
    for Assignment { key, value } in assignments {
        match key.parse::<Property>() {
            Ok(property) => set_standard(draft, property, value)?,
            Err(_) if custom_names.contains(key) => set_custom(draft, key, value),
            Err(_) => anyhow::bail!(
                "unknown property {key:?}; the keys are {}{}; for a new custom property use --custom {key}=…",
                settable_keys().join(", "),
                if custom_names.is_empty() { String::new() } else { format!(", {}", custom_names.join(", ")) }
            ),
        }
    }
    for Assignment { key, value } in custom_assignments {
        if key.parse::<Property>().is_ok() {
            anyhow::bail!("{key} is a standard property; use --set {key}=…");
        }
        set_custom(draft, key, value);
    }
    Ok(())
}

/// The standard keys `--set` accepts: all but those rolo maintains itself.
fn settable_keys() -> Vec<&'static str> {
    STANDARD_PROPERTIES.into_iter().filter(|property| !property.is_system()).map(Property::key).collect()
}

fn set_standard(draft: &mut ContactDraft, property: Property, value: &str) -> anyhow::Result<()> {
    if property.is_system() {
        anyhow::bail!("{} is kept by rolo and cannot be set", property.key());
    }
    match property {
        Property::AdditionalEmails => {
            draft.additional_emails = split_list(value).map(str::to_string).collect();
        }
        Property::AdditionalPhones => {
            draft.additional_phones = split_list(value)
                .map(|item| match item.split_once(':') {
                    Some((kind, number)) if !kind.trim().is_empty() && !number.trim().is_empty() => {
                        Ok(PhoneEntry { kind: kind.trim().to_lowercase(), value: number.trim().to_string() })
                    }
                    _ => Err(anyhow::anyhow!("{item:?} is not TYPE:NUMBER, e.g. work:+49 30 901820")),
                })
                .collect::<anyhow::Result<_>>()?;
        }
        Property::LifecycleStage if !value.trim().is_empty() => {
            let stage: LifecycleStage = value.parse().map_err(|message: String| {
                anyhow::anyhow!("{message}; the stages are {}", LifecycleStage::ALL.map(LifecycleStage::key).join(", "))
            })?;
            draft.set(property, stage.key());
        }
        _ => draft.set(property, value),
    }
    Ok(())
}

fn set_custom(draft: &mut ContactDraft, name: &str, value: &str) {
    if value.trim().is_empty() {
        draft.custom.remove(name);
    } else {
        draft.custom.insert(name.to_string(), value.trim().to_string());
    }
}

fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|item| !item.is_empty())
}

fn join_ids(contact_ids: &[ContactId]) -> String {
    contact_ids.iter().map(ContactId::to_string).collect::<Vec<_>>().join(" ")
}

/// "contact 3" or "contacts 3 4 5".
fn contacts_phrase(contact_ids: &[ContactId], ids: &str) -> String {
    if contact_ids.len() == 1 { format!("contact {ids}") } else { format!("contacts {ids}") }
}

fn them(contact_ids: &[ContactId]) -> &'static str {
    if contact_ids.len() == 1 { "it" } else { "them" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assignment(key: &str, value: &str) -> Assignment {
        Assignment { key: key.into(), value: value.into() }
    }

    #[test]
    fn assignments_set_clear_and_check_keys() {
        let store = Store::open_in_memory().unwrap();
        let mut draft = ContactDraft::default();
        let assignments = [
            assignment("first_name", "Ada"),
            assignment("lifecycle_stage", "MQL"),
            assignment("additional_emails", "a@x.org, b@x.org"),
            assignment("additional_phones", "work: +49 30 901820"),
        ];
        apply_assignments(&store, &mut draft, &assignments, &[assignment("badge_id", "B-7")]).unwrap();
        assert_eq!(draft.get(Property::LifecycleStage), Some("marketing_qualified_lead"));
        assert_eq!(draft.additional_emails, vec!["a@x.org", "b@x.org"]);
        assert_eq!(draft.additional_phones, vec![PhoneEntry { kind: "work".into(), value: "+49 30 901820".into() }]);
        assert_eq!(draft.custom["badge_id"], "B-7");
        apply_assignments(&store, &mut draft, &[assignment("first_name", "")], &[assignment("badge_id", "")]).unwrap();
        assert_eq!(draft.get(Property::FirstName), None);
        assert!(draft.custom.is_empty());

        let unknown = apply_assignments(&store, &mut draft, &[assignment("nmae", "x")], &[]).unwrap_err();
        assert!(unknown.to_string().contains("--custom nmae="), "{unknown}");
        assert!(apply_assignments(&store, &mut draft, &[assignment("original_source", "x")], &[]).is_err());
        assert!(apply_assignments(&store, &mut draft, &[assignment("lifecycle_stage", "prospect")], &[]).is_err());
        assert!(apply_assignments(&store, &mut draft, &[assignment("additional_phones", "12345")], &[]).is_err());
        assert!(apply_assignments(&store, &mut draft, &[], &[assignment("email", "x")]).is_err());
    }
}
