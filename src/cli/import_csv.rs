//! `rolo import csv` (CSV files, spreadsheets, Mailchimp zips, one transaction per file) and
//! `rolo imports` (the import history, and undoing an import).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::{Value, json};

use super::safe_json;
use super::table::Table;
use super::{ImportCsvArgs, ImportsArgs, ImportsCommand, PolicyArg};
use crate::import::csv::{MappingOrigin, TableInfo, normalize_header};
use crate::import_job::{
    CsvFileReport, CsvImportSettings, ListChoice, RowError, import_csv_file, open_csv_file, write_error_report,
};
use crate::model::{Property, Timestamp, sanitize_line};
use crate::store::{ImportPolicy, Store};

/// Rows shown by `--preview`.
const PREVIEW_ROWS: usize = 5;
/// Row errors printed as text; the rest are counted (all of them go to `--errors FILE`).
const ERRORS_SHOWN: usize = 20;

pub fn import_csv(store: &mut Store, args: &ImportCsvArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let settings = settings_of(args);
    if args.preview {
        for path in &args.files {
            let tables =
                open_csv_file(store, path, &settings).with_context(|| format!("reading {}", path.display()))?;
            write_preview(&tables, args.json, out)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    // The user's column choices are remembered for the next file with such a column.
    if !args.dry_run {
        for mapping in &args.mappings {
            store.remember_mapping(&normalize_header(&mapping.column), &mapping.target.to_string())?;
        }
    }
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for path in &args.files {
        match import_csv_file(store, path, &settings, &mut |_, _| ()) {
            Ok(report) => reports.push(report),
            Err(error) => {
                let error = error.context(format!("nothing was imported from {}", path.display()));
                failures.push(super::error_message(&error));
            }
        }
    }
    let errors: Vec<RowError> = reports.iter().flat_map(|report| report.errors.iter().cloned()).collect();
    if let Some(errors_path) = &args.errors_path {
        let file = std::fs::File::create(errors_path)
            .with_context(|| format!("cannot create the error report {}", errors_path.display()))?;
        write_error_report(&errors, std::io::BufWriter::new(file))?;
    }
    if args.json {
        let object = json!({
            "dry_run": args.dry_run,
            "files": reports.iter().map(file_json).collect::<Vec<_>>(),
            "failures": failures,
        });
        safe_json::write_pretty(out, &object)?;
    } else {
        for report in &reports {
            write_file_report(store, report, args.errors_path.is_some(), out)?;
        }
        for failure in &failures {
            eprintln!("rolo: {failure}");
        }
    }
    Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `rolo imports`: the history, newest first; `rolo imports undo ID`.
pub fn imports(store: &mut Store, args: &ImportsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if let Some(ImportsCommand::Undo { batch_id }) = &args.action {
        let undo = store.undo_import(*batch_id, Timestamp::now()).context("nothing was undone")?;
        writeln!(
            out,
            "Import {} undone: {} contact{} deleted, {} restored, {} address{} taken off the do-not-email list.",
            undo.batch_id,
            undo.n_deleted,
            if undo.n_deleted == 1 { "" } else { "s" },
            undo.n_restored,
            undo.n_do_not_email_removed,
            if undo.n_do_not_email_removed == 1 { "" } else { "es" },
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let batches = store.import_batches()?;
    if args.json {
        safe_json::write_pretty(out, &serde_json::to_value(&batches)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new(vec!["ID", "When", "Kind", "What", "New", "Updated", "Invalid", "Opted out", "Undone"]);
    for batch in batches {
        table.push_row([
            batch.id.to_string(),
            Timestamp(batch.at).format_minutes(),
            batch.kind,
            batch.label,
            batch.n_new.to_string(),
            batch.n_updated.to_string(),
            batch.n_invalid.to_string(),
            batch.n_opted_out.to_string(),
            batch.undone_at.map(|at| Timestamp(at).format_minutes()).unwrap_or_default(),
        ]);
    }
    table.write_to(out)?;
    Ok(ExitCode::SUCCESS)
}

fn settings_of(args: &ImportCsvArgs) -> CsvImportSettings {
    let mut settings = CsvImportSettings::new(Timestamp::now());
    settings.csv.preset = args.preset;
    settings.csv.encoding = args.encoding;
    settings.csv.delimiter = args.delimiter;
    settings.csv.header_row = args.header_row;
    settings.csv.sheet = args.sheet.clone();
    settings.csv.mappings =
        args.mappings.iter().map(|mapping| (mapping.column.clone(), mapping.target.clone())).collect();
    settings.policy = match args.policy {
        PolicyArg::Upsert => ImportPolicy::Upsert,
        PolicyArg::Create => ImportPolicy::CreateOnly,
        PolicyArg::Update => ImportPolicy::UpdateOnly,
    };
    settings.list = match (&args.list_name, args.no_list) {
        (_, true) => ListChoice::None,
        (Some(name), false) => ListChoice::Named(name.clone()),
        (None, false) => ListChoice::NamedAfterFile,
    };
    settings.is_opt_out_list = args.opt_out_list;
    settings.dry_run = args.dry_run;
    settings
}

/// What was detected for each table, its mapping and its first rows as they would be stored.
fn write_preview(tables: &[crate::import::csv::Table], is_json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    if is_json {
        let previews: Vec<Value> = tables
            .iter()
            .map(|table| {
                let mut object = table_json(&table.info);
                let rows: Vec<Value> = table
                    .preview(PREVIEW_ROWS)
                    .into_iter()
                    .map(|row| {
                        json!({
                            "row": row.line,
                            "contact": Value::Object(row.draft.to_json_map()),
                            "do_not_email": row.do_not_email.iter().map(|reason| reason.key()).collect::<Vec<_>>(),
                            "external_id": row.external_id,
                            "lists": row.lists,
                            "problem": row.problem.map(|problem| problem.reason),
                        })
                    })
                    .collect();
                object["rows"] = Value::from(rows);
                object
            })
            .collect();
        safe_json::write_pretty(out, &json!({ "tables": previews }))?;
        return Ok(());
    }
    for table in tables {
        let info = &table.info;
        writeln!(out, "{}", sanitize_line(&info.name))?;
        writeln!(out, "  source:     {}", info.preset.label())?;
        if let Some(encoding) = &info.encoding {
            writeln!(out, "  encoding:   {}", encoding.label())?;
        }
        if let Some(delimiter) = info.delimiter_label() {
            writeln!(out, "  delimiter:  {delimiter}")?;
        }
        if let Some(sheet) = &info.sheet {
            writeln!(
                out,
                "  sheet:      {} (of {})",
                sanitize_line(sheet),
                sanitize_line(&info.sheet_names.join(", "))
            )?;
        }
        let header_row = if info.header_row == 0 { "none".to_string() } else { info.header_row.to_string() };
        writeln!(out, "  header row: {header_row}")?;
        if let Some(status) = info.file_status {
            writeln!(out, "  every row:  {status:?} (from the file name)")?;
        }
        writeln!(out)?;
        let mut mapping = Table::new(vec!["Column", "Goes to", "Because"]);
        for column in &info.columns {
            let because = match column.origin {
                MappingOrigin::Chosen => "--map",
                MappingOrigin::Remembered => "your earlier choice",
                MappingOrigin::Preset => info.preset.label(),
                MappingOrigin::Header => "the column name",
                MappingOrigin::Unmatched => "no match: custom property",
            };
            mapping.push_row([column.header.clone(), column.target.to_string(), because.to_string()]);
        }
        mapping.write_to(out)?;
        writeln!(out)?;
        let mut rows = Table::new(vec!["Row", "Name", "Email", "Phone", "Company", "Note"]);
        for row in table.preview(PREVIEW_ROWS) {
            let draft = &row.draft;
            let mut notes: Vec<String> = row.do_not_email.iter().map(|reason| reason.key().to_string()).collect();
            if let Some(problem) = &row.problem {
                notes.push(format!("invalid: {}", problem.reason));
            }
            rows.push_row([
                row.line.to_string(),
                draft.display_name(),
                draft.get(Property::Email).unwrap_or_default().to_string(),
                draft.get(Property::Phone).or(draft.get(Property::MobilePhone)).unwrap_or_default().to_string(),
                draft.get(Property::Company).unwrap_or_default().to_string(),
                notes.join(", "),
            ]);
        }
        rows.write_to(out)?;
        writeln!(out)?;
    }
    Ok(())
}

/// "contacts.csv: 12 contacts imported (10 new, 2 updated, …)", the list, row errors, conflicts.
fn write_file_report(
    store: &Store,
    file: &CsvFileReport,
    has_error_file: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let report = &file.report;
    let name = file
        .path
        .file_name()
        .map_or_else(|| file.path.display().to_string(), |name| name.to_string_lossy().into_owned());
    for info in &file.tables {
        let mut detected = vec![info.preset.label().to_string()];
        detected.extend(info.encoding.map(|encoding| encoding.label()));
        detected.extend(info.delimiter_label());
        if let Some(sheet) = &info.sheet {
            detected.push(format!("sheet {sheet}"));
        }
        writeln!(out, "{}: {}", sanitize_line(&info.name), sanitize_line(&detected.join(", ")))?;
    }
    let n_imported = report.n_imported();
    let parts = [
        format!("{} new", report.n_new),
        format!("{} updated", report.n_updated),
        format!("{} unchanged", report.n_unchanged),
        format!("{} skipped", report.n_skipped),
        format!("{} invalid", report.n_invalid),
        format!("{} opted out", report.n_opted_out),
        format!("{} bounced", report.n_bounced),
        format!("{} without email", report.n_no_email),
    ];
    let contacts = format!("{n_imported} contact{}", if n_imported == 1 { "" } else { "s" });
    let verb = if report.dry_run { "would be imported" } else { "imported" };
    writeln!(out, "{}: {contacts} {verb} from {} rows ({}).", sanitize_line(&name), file.n_rows, parts.join(", "))?;
    if report.dry_run {
        writeln!(out, "Dry run: nothing was written.")?;
    } else if let Some(batch_id) = report.batch_id {
        writeln!(out, "Import {batch_id}; `rolo imports undo {batch_id}` takes it back.")?;
    }
    if let Some(list_name) = &report.list {
        let verb = if report.dry_run { "would be" } else { "were" };
        writeln!(out, "They {verb} added to the list {}.", sanitize_line(list_name))?;
    }
    for error in file.errors.iter().take(ERRORS_SHOWN) {
        let column = if error.column.is_empty() { String::new() } else { format!(", column {}", error.column) };
        writeln!(out, "{}", sanitize_line(&format!("row {}{column}: {} ({})", error.row, error.reason, error.file)))?;
    }
    if file.errors.len() > ERRORS_SHOWN && !has_error_file {
        writeln!(out, "… and {} more invalid rows; --errors FILE saves them all.", file.errors.len() - ERRORS_SHOWN)?;
    }
    for conflict in &report.conflicts {
        let name = store
            .contact(conflict.contact_id)?
            .map_or_else(|| format!("contact {}", conflict.contact_id), |contact| contact.draft.display_name());
        writeln!(
            out,
            "{}",
            sanitize_line(&format!(
                "kept your value for {} of {name} (contact {}): {:?} (the import offered {:?})",
                conflict.property, conflict.contact_id, conflict.kept, conflict.offered
            ))
        )?;
    }
    Ok(())
}

fn table_json(info: &TableInfo) -> Value {
    json!({
        "name": info.name,
        "source": info.preset.key(),
        "encoding": info.encoding.map(|encoding| encoding.label()),
        "delimiter": info.delimiter.map(|delimiter| (delimiter as char).to_string()),
        "sheet": info.sheet,
        "header_row": info.header_row,
        "mapping": info.columns.iter().map(|column| json!({"column": column.header, "property": column.target.to_string()})).collect::<Vec<_>>(),
    })
}

fn file_json(file: &CsvFileReport) -> Value {
    let report = &file.report;
    json!({
        "file": file.path.display().to_string(),
        "tables": file.tables.iter().map(table_json).collect::<Vec<_>>(),
        "batch_id": report.batch_id,
        "rows": file.n_rows,
        "counts": {
            "new": report.n_new,
            "updated": report.n_updated,
            "unchanged": report.n_unchanged,
            "skipped": report.n_skipped,
            "invalid": report.n_invalid,
            "opted_out": report.n_opted_out,
            "bounced": report.n_bounced,
            "no_email": report.n_no_email,
            "imported": report.n_imported(),
        },
        "list": report.list,
        "errors": file.errors,
        "conflicts": report.conflicts,
    })
}
