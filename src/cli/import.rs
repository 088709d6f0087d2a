//! `rolo import vcard` and `rolo demo`: address books into the store in one batch, all or
//! nothing. Without a choice of cards the numbered cards are listed and nothing is written.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use serde_json::{Map, Value, json};

use super::safe_json;
use super::table::Table;
use super::{EXIT_NEEDS_CHOICE, ImportVcardArgs};
use crate::import::Warning;
use crate::import::demo;
use crate::import::vcard::read_vcard_file;
use crate::model::{ContactDraft, Property, Source, Timestamp, normalize_email, sanitize_line};
use crate::store::{Conflict, ImportOptions, ImportReport, SETTING_DEMO_OFFERED, Store};

/// One card of the command's files, numbered across all of them.
struct NumberedCard {
    file_path: PathBuf,
    draft: ContactDraft,
}

/// A parse warning with the file it came from.
struct FileWarning {
    file_path: PathBuf,
    warning: Warning,
}

pub fn import_vcard(store: &mut Store, args: &ImportVcardArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let (cards, warnings) = read_files(&args.files).context("nothing was imported")?;
    let chosen_indices = match (&args.pick, args.all) {
        (Some(card_numbers), _) => card_numbers.indices(cards.len()).context("nothing was imported")?,
        (None, true) => (0..cards.len()).collect(),
        (None, false) => return list_cards(store, &cards, &warnings, args.json, out),
    };
    let drafts: Vec<ContactDraft> = chosen_indices.iter().map(|&index| cards[index].draft.clone()).collect();
    let file_names: Vec<String> = args.files.iter().map(|path| file_name(path)).collect();
    let options = ImportOptions {
        list_name: args.list_name.as_deref().map(str::trim).filter(|name| !name.is_empty()).map(str::to_string),
        dry_run: args.dry_run,
        n_skipped: cards.len() - drafts.len(),
        ..ImportOptions::new(Source::VcardImport.key(), file_names.join(", "), Source::VcardImport, Timestamp::now())
    };
    let report = store.import_drafts(&drafts, &options, &mut |_, _| ()).context("nothing was imported")?;
    if args.json {
        write_json_report(store, &drafts, &report, &warnings, out)?;
    } else {
        write_warnings(&warnings);
        write_report(store, &report, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Imports the demo address book, as the TUI's first-run offer does.
pub fn load_demo(store: &mut Store, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    // Its contact without an email cannot be deduplicated: a second load would add it twice.
    if let Some(loaded) =
        store.import_batches()?.into_iter().find(|batch| batch.kind == demo::IMPORT_KIND && batch.undone_at.is_none())
    {
        writeln!(
            out,
            "The demo address book is already loaded (import {}); `rolo imports undo {}` takes it back.",
            loaded.id, loaded.id
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let drafts = demo::drafts().context("reading the built-in demo address book")?;
    let options = ImportOptions::new(demo::IMPORT_KIND, "demo address book", Source::Demo, Timestamp::now());
    let report = store.import_drafts(&drafts, &options, &mut |_, _| ()).context("loading the demo address book")?;
    // The TUI offers the demo only until it has been answered; loading it here is an answer.
    store.set_setting(SETTING_DEMO_OFFERED, "accepted")?;
    write_report(store, &report, out)?;
    writeln!(out, "`rolo list` shows them; `rolo delete` with their ids moves them to the trash.")?;
    Ok(ExitCode::SUCCESS)
}

/// Parses every file before anything is written, so one unreadable file stops the whole command.
fn read_files(file_paths: &[PathBuf]) -> anyhow::Result<(Vec<NumberedCard>, Vec<FileWarning>)> {
    let mut cards = Vec::new();
    let mut warnings = Vec::new();
    for file_path in file_paths {
        let mut parsed = read_vcard_file(file_path)?;
        if parsed.cards.is_empty() {
            anyhow::bail!("{} holds no complete vCard", file_path.display());
        }
        warnings.extend(
            std::mem::take(&mut parsed.warnings)
                .into_iter()
                .map(|warning| FileWarning { file_path: file_path.clone(), warning }),
        );
        cards
            .extend(parsed.into_drafts().into_iter().map(|draft| NumberedCard { file_path: file_path.clone(), draft }));
    }
    Ok((cards, warnings))
}

/// The numbered cards with what importing each would do; exits with `EXIT_NEEDS_CHOICE`.
fn list_cards(
    store: &Store,
    cards: &[NumberedCard],
    warnings: &[FileWarning],
    is_json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let mut first_card_by_email: HashMap<String, usize> = HashMap::new();
    let mut table = Table::new(vec!["#", "Name", "Email", "Phone", "Company", "Note"]);
    let mut json_cards = Vec::new();
    for (index, card) in cards.iter().enumerate() {
        let number = index + 1;
        let email = card.draft.get(Property::Email).unwrap_or_default();
        let email_key = normalize_email(email);
        let (note, existing_id) = if email_key.is_empty() {
            ("no email".to_string(), None)
        } else if let Some(existing_id) = store.contact_by_email(email)? {
            let is_trashed = store.contact(existing_id)?.is_some_and(|contact| contact.deleted_at.is_some());
            let note = if is_trashed { "in trash: will restore" } else { "exists: will update" };
            (format!("{note} (contact {existing_id})"), Some(existing_id))
        } else if let Some(first_number) = first_card_by_email.get(&email_key) {
            (format!("same email as #{first_number}: will merge"), None)
        } else {
            first_card_by_email.insert(email_key, number);
            (String::new(), None)
        };
        if is_json {
            json_cards.push(json!({
                "number": number,
                "file": card.file_path.display().to_string(),
                "contact": Value::Object(card.draft.to_json_map()),
                "existing_id": existing_id.map(|contact_id| contact_id.0),
                "note": note,
            }));
        } else {
            let phone = card.draft.get(Property::Phone).or(card.draft.get(Property::MobilePhone)).unwrap_or_default();
            let company = card.draft.get(Property::Company).unwrap_or_default();
            table.push_row([
                number.to_string(),
                card.draft.display_name(),
                email.to_string(),
                phone.into(),
                company.into(),
                note,
            ]);
        }
    }
    if is_json {
        let listing = json!({"cards": json_cards, "warnings": warnings_json(warnings)});
        safe_json::write_pretty(out, &listing)?;
    } else {
        write_warnings(warnings);
        table.write_to(out)?;
    }
    out.flush()?;
    eprintln!("rolo: nothing was imported: choose the cards with --all or with --pick, e.g. --pick 1,3,5-7");
    Ok(ExitCode::from(EXIT_NEEDS_CHOICE))
}

/// "3 contacts imported (2 new, 1 updated, 1 without email, 2 skipped)", the list, the conflicts.
fn write_report(store: &Store, report: &ImportReport, out: &mut dyn Write) -> anyhow::Result<()> {
    let n_imported = report.n_imported();
    let mut parts = vec![format!("{} new", report.n_new), format!("{} updated", report.n_updated)];
    if report.n_unchanged > 0 {
        parts.push(format!("{} unchanged", report.n_unchanged));
    }
    parts.push(format!("{} without email", report.n_no_email));
    parts.push(format!("{} skipped", report.n_skipped));
    let contacts = format!("{n_imported} contact{}", if n_imported == 1 { "" } else { "s" });
    if report.dry_run {
        writeln!(out, "Dry run: {contacts} would be imported ({}); nothing was written.", parts.join(", "))?;
    } else {
        writeln!(out, "{contacts} imported ({}).", parts.join(", "))?;
    }
    if let Some(list_name) = &report.list {
        let verb = if report.dry_run { "would be" } else { "were" };
        writeln!(out, "They {verb} added to the list {}.", sanitize_line(list_name))?;
    }
    for conflict in &report.conflicts {
        writeln!(out, "{}", conflict_sentence(store, conflict)?)?;
    }
    Ok(())
}

/// "kept your value for job_title of Ada Lovelace: "CTO" (the import offered "Engineer")".
fn conflict_sentence(store: &Store, conflict: &Conflict) -> anyhow::Result<String> {
    let name = contact_name(store, conflict)?;
    Ok(sanitize_line(&format!(
        "kept your value for {} of {name} (contact {}): {:?} (the import offered {:?})",
        conflict.property, conflict.contact_id, conflict.kept, conflict.offered
    )))
}

fn contact_name(store: &Store, conflict: &Conflict) -> anyhow::Result<String> {
    Ok(store
        .contact(conflict.contact_id)?
        .map_or_else(|| format!("contact {}", conflict.contact_id), |contact| contact.draft.display_name()))
}

/// Parse warnings go to stderr, each with its file name.
fn write_warnings(warnings: &[FileWarning]) {
    for FileWarning { file_path, warning } in warnings {
        eprintln!("rolo: warning: {}: {}", sanitize_line(&file_name(file_path)), sanitize_line(&warning.to_string()));
    }
}

fn warnings_json(warnings: &[FileWarning]) -> Vec<Value> {
    warnings
        .iter()
        .map(|FileWarning { file_path, warning }| {
            json!({
                "file": file_path.display().to_string(),
                "card": warning.card_index.map(|card_index| card_index + 1),
                "line": warning.line_number,
                "message": warning.message,
            })
        })
        .collect()
}

/// The one JSON object of `import vcard --json`.
fn write_json_report(
    store: &Store,
    drafts: &[ContactDraft],
    report: &ImportReport,
    warnings: &[FileWarning],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // The store skips empty drafts and reports one contact id for each of the others.
    // A dry run rolled its ids back, so they are left out.
    let contacts: Vec<Value> = drafts
        .iter()
        .filter(|draft| !draft.is_empty())
        .zip(&report.contact_ids)
        .map(|(draft, contact_id)| {
            let mut object = Map::new();
            if !report.dry_run {
                object.insert("id".into(), Value::from(contact_id.0));
            }
            object.extend(draft.to_json_map());
            Value::Object(object)
        })
        .collect();
    let conflicts = report
        .conflicts
        .iter()
        .map(|conflict| {
            Ok(json!({
                "contact_id": conflict.contact_id.0,
                "name": contact_name(store, conflict)?,
                "property": conflict.property,
                "kept": conflict.kept,
                "offered": conflict.offered,
            }))
        })
        .collect::<anyhow::Result<Vec<Value>>>()?;
    let object = json!({
        "dry_run": report.dry_run,
        "counts": {
            "new": report.n_new,
            "updated": report.n_updated,
            "unchanged": report.n_unchanged,
            "no_email": report.n_no_email,
            "skipped": report.n_skipped,
            "imported": report.n_imported(),
        },
        "list": report.list,
        "contacts": contacts,
        "warnings": warnings_json(warnings),
        "conflicts": conflicts,
    });
    safe_json::write_pretty(out, &object)?;
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}
