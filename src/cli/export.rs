//! `rolo export`: every live contact as vCards or CSV, to standard output or a file.

use std::fs::OpenOptions;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::{ExportCommand, VcardVersionArg};
use crate::export::{VcardVersion, write_csv, write_vcards};
use crate::model::{ContactDraft, sanitize_text};
use crate::store::Store;

pub fn export(store: &mut Store, command: &ExportCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if let ExportCommand::OptOuts { with_bounces, output_path } = command {
        return export_opt_outs(store, *with_bounces, output_path.as_deref(), out);
    }
    let contacts = store.all_contacts(false).context("reading the contacts")?;
    let drafts: Vec<ContactDraft> = contacts.into_iter().map(|contact| contact.draft).collect();
    let (output_path, format) = match command {
        ExportCommand::Vcard { output_path, .. } => (output_path, "vCard"),
        ExportCommand::Csv { output_path } => (output_path, "CSV"),
        ExportCommand::OptOuts { output_path, .. } => (output_path, "CSV"),
    };
    let write = |sink: &mut dyn Write| -> anyhow::Result<()> {
        match command {
            ExportCommand::Vcard { version, .. } => write_vcards(&drafts, version.vcard_version(), &mut &mut *sink)?,
            ExportCommand::Csv { .. } | ExportCommand::OptOuts { .. } => write_csv(&drafts, sink)?,
        }
        Ok(())
    };
    let written = emit(output_path.as_deref(), &write, out)?;
    if let Some(output_path) = written {
        let plural = if drafts.len() == 1 { "" } else { "s" };
        writeln!(out, "Wrote {} contact{plural} as {format} to {}.", drafts.len(), output_path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The do-not-email list alone: email, reasons (`;`-separated), source, date.
fn export_opt_outs(
    store: &Store,
    with_bounces: bool,
    output_path: Option<&Path>,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let entries = store.do_not_email_list(!with_bounces).context("reading the do-not-email list")?;
    let write = |sink: &mut dyn Write| -> anyhow::Result<()> {
        let mut writer = csv::Writer::from_writer(sink);
        writer.write_record(["email", "reasons", "source", "date"])?;
        for entry in &entries {
            let reasons: Vec<&str> = entry.reasons.iter().map(|reason| reason.key()).collect();
            writer.write_record([entry.email_key.as_str(), &reasons.join(";"), &entry.source, &entry.at.rfc3339()])?;
        }
        writer.flush()?;
        Ok(())
    };
    if let Some(output_path) = emit(output_path, &write, out)? {
        let plural = if entries.len() == 1 { "" } else { "es" };
        writeln!(
            out,
            "Wrote {} address{plural} of the do-not-email list to {}.",
            entries.len(),
            output_path.display()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `write` into the file at `output_path` (created private), or into `out`. On a
/// terminal, escape sequences in values must not reach it; a redirect gets the exact bytes.
/// Returns the path when a file was written, for the caller's confirmation.
fn emit<'p>(
    output_path: Option<&'p Path>,
    write: &dyn Fn(&mut dyn Write) -> anyhow::Result<()>,
    out: &mut dyn Write,
) -> anyhow::Result<Option<&'p Path>> {
    match output_path {
        None if io::stdout().is_terminal() => {
            let mut bytes = Vec::new();
            write(&mut bytes)?;
            out.write_all(sanitize_text(&String::from_utf8_lossy(&bytes)).as_bytes())?;
            Ok(None)
        }
        None => write(out).map(|()| None),
        Some(output_path) => {
            let file =
                create_private_file(output_path).with_context(|| format!("cannot create {}", output_path.display()))?;
            let mut sink = BufWriter::new(file);
            write(&mut sink)
                .and_then(|()| sink.flush().map_err(anyhow::Error::from))
                .with_context(|| format!("cannot write {}", output_path.display()))?;
            Ok(Some(output_path))
        }
    }
}

impl VcardVersionArg {
    fn vcard_version(self) -> VcardVersion {
        match self {
            VcardVersionArg::V4 => VcardVersion::V4,
            VcardVersionArg::V3 => VcardVersion::V3,
        }
    }
}

/// Contacts are personal data: a new export file is readable by its owner only, like the database.
#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    OpenOptions::new().write(true).create(true).truncate(true).open(path)
}
