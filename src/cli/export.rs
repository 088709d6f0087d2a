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
    let contacts = store.all_contacts(false).context("reading the contacts")?;
    let drafts: Vec<ContactDraft> = contacts.into_iter().map(|contact| contact.draft).collect();
    let (output_path, format) = match command {
        ExportCommand::Vcard { output_path, .. } => (output_path, "vCard"),
        ExportCommand::Csv { output_path } => (output_path, "CSV"),
    };
    let write = |sink: &mut dyn Write| -> anyhow::Result<()> {
        match command {
            ExportCommand::Vcard { version, .. } => write_vcards(&drafts, version.vcard_version(), &mut &mut *sink)?,
            ExportCommand::Csv { .. } => write_csv(&drafts, sink)?,
        }
        Ok(())
    };
    match output_path {
        // On a terminal, escape sequences in values must not reach it; a redirect gets the exact bytes.
        None if io::stdout().is_terminal() => {
            let mut bytes = Vec::new();
            write(&mut bytes)?;
            out.write_all(sanitize_text(&String::from_utf8_lossy(&bytes)).as_bytes())?;
        }
        None => write(out)?,
        Some(output_path) => {
            let file =
                create_private_file(output_path).with_context(|| format!("cannot create {}", output_path.display()))?;
            let mut sink = BufWriter::new(file);
            write(&mut sink)
                .and_then(|()| sink.flush().map_err(anyhow::Error::from))
                .with_context(|| format!("cannot write {}", output_path.display()))?;
            writeln!(
                out,
                "Wrote {} contact{} as {format} to {}.",
                drafts.len(),
                if drafts.len() == 1 { "" } else { "s" },
                output_path.display()
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
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
