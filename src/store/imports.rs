//! What imports leave besides contacts: the do-not-email list, ids in other systems, the
//! history of import batches, and remembered column mappings.

use std::collections::HashMap;

use rusqlite::params;

use super::{Result, Store};
use crate::model::{ContactDraft, ContactId, DoNotEmailReason, Property, Timestamp, normalize_email};

/// One address on the do-not-email list with every reason it is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoNotEmailEntry {
    /// The normalized address.
    pub email_key: String,
    pub reasons: Vec<DoNotEmailReason>,
    /// What said so first, e.g. the imported file.
    pub source: String,
    pub at: Timestamp,
}

/// One import, as the import history lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportBatch {
    pub id: i64,
    pub kind: String,
    pub label: String,
    pub at: i64,
    pub n_new: i64,
    pub n_updated: i64,
    pub n_invalid: i64,
    pub n_opted_out: i64,
    pub n_bounced: i64,
    pub undone_at: Option<i64>,
}

/// Settings keys of remembered column mappings start with this, then the normalized header.
pub const SETTING_CSV_MAPPING_PREFIX: &str = "csv_mapping:";

impl Store {
    /// The reasons an address is on the do-not-email list; empty when it is not.
    pub fn do_not_email_reasons(&self, email: &str) -> Result<Vec<DoNotEmailReason>> {
        let mut statement =
            self.connection.prepare_cached("SELECT reason FROM do_not_email WHERE email_key = ?1 ORDER BY reason")?;
        let rows = statement.query_map([normalize_email(email)], |row| row.get::<_, String>(0))?;
        let mut reasons: Vec<DoNotEmailReason> =
            rows.filter_map(|reason| reason.ok()?.parse().ok()).collect::<Vec<_>>();
        reasons.sort();
        Ok(reasons)
    }

    /// The reasons a contact must not be emailed: those of each of its addresses, the
    /// primary one and the additional ones; empty when none is on the list.
    pub fn do_not_email_reasons_of(&self, draft: &ContactDraft) -> Result<Vec<DoNotEmailReason>> {
        let mut reasons = Vec::new();
        for email in draft.get(Property::Email).into_iter().chain(draft.additional_emails.iter().map(String::as_str)) {
            reasons.extend(self.do_not_email_reasons(email)?);
        }
        reasons.sort();
        reasons.dedup();
        Ok(reasons)
    }

    /// The whole list, by address; with `only_opt_outs`, bounced-only addresses are left out.
    pub fn do_not_email_list(&self, only_opt_outs: bool) -> Result<Vec<DoNotEmailEntry>> {
        let mut statement =
            self.connection.prepare("SELECT email_key, reason, source, at FROM do_not_email ORDER BY email_key, at")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?, row.get::<_, i64>(3)?))
        })?;
        let mut entries: Vec<DoNotEmailEntry> = Vec::new();
        for row in rows {
            let (email_key, reason, source, at) = row?;
            let Ok(reason) = reason.parse::<DoNotEmailReason>() else { continue };
            match entries.last_mut() {
                Some(entry) if entry.email_key == email_key => entry.reasons.push(reason),
                _ => entries.push(DoNotEmailEntry { email_key, reasons: vec![reason], source, at: Timestamp(at) }),
            }
        }
        for entry in &mut entries {
            entry.reasons.sort();
        }
        if only_opt_outs {
            entries.retain(|entry| entry.reasons.iter().any(|reason| reason.is_opt_out()));
        }
        Ok(entries)
    }

    /// The do-not-email reasons of every contact whose email is on the list, in one query.
    pub fn do_not_email_by_contact(&self) -> Result<HashMap<ContactId, Vec<DoNotEmailReason>>> {
        // An additional address counts as well: it is kept as written, so it is normalized here
        // the way `normalize_email` does for ASCII.
        let mut statement = self.connection.prepare(
            "SELECT contacts.id, do_not_email.reason FROM do_not_email JOIN contacts ON contacts.email_key = do_not_email.email_key
             UNION
             SELECT contacts.id, do_not_email.reason FROM contacts, json_each(contacts.additional_emails) AS address
             JOIN do_not_email ON do_not_email.email_key = lower(trim(address.value))
             WHERE contacts.additional_emails IS NOT NULL",
        )?;
        let mut reasons: HashMap<ContactId, Vec<DoNotEmailReason>> = HashMap::new();
        for row in statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))? {
            let (contact_id, reason) = row?;
            if let Ok(reason) = reason.parse() {
                reasons.entry(ContactId(contact_id)).or_default().push(reason);
            }
        }
        for list in reasons.values_mut() {
            list.sort();
        }
        Ok(reasons)
    }

    /// Puts an address on the do-not-email list by hand (sticky like every entry).
    pub fn add_do_not_email(&self, email: &str, reason: DoNotEmailReason, source: &str, now: Timestamp) -> Result<()> {
        let key = normalize_email(email);
        if key.is_empty() {
            return Ok(());
        }
        self.connection.execute(
            "INSERT OR IGNORE INTO do_not_email (email_key, reason, source, at) VALUES (?1, ?2, ?3, ?4)",
            params![key, reason.key(), source, now.0],
        )?;
        Ok(())
    }

    /// A contact's id in the system it was imported from, the latest one when there are several.
    pub fn external_id(&self, contact_id: ContactId) -> Result<Option<String>> {
        let mut statement = self
            .connection
            .prepare_cached("SELECT value FROM external_ids WHERE contact_id = ?1 ORDER BY at DESC, system LIMIT 1")?;
        Ok(rusqlite::OptionalExtension::optional(statement.query_row([contact_id.0], |row| row.get(0)))?)
    }

    /// `external_id` for every contact that has one, in one query.
    pub fn external_ids(&self) -> Result<HashMap<ContactId, String>> {
        let mut statement =
            self.connection.prepare("SELECT contact_id, value FROM external_ids ORDER BY contact_id, at, system")?;
        let mut ids = HashMap::new();
        for row in statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))? {
            let (contact_id, value) = row?;
            // Later rows (newer) replace earlier ones.
            ids.insert(ContactId(contact_id), value);
        }
        Ok(ids)
    }

    /// Every import, newest first.
    pub fn import_batches(&self) -> Result<Vec<ImportBatch>> {
        let mut statement = self.connection.prepare(
            "SELECT id, kind, label, at, n_new, n_updated, n_invalid, n_opted_out, n_bounced, undone_at
             FROM import_batches ORDER BY id DESC",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(ImportBatch {
                id: row.get(0)?,
                kind: row.get(1)?,
                label: row.get(2)?,
                at: row.get(3)?,
                n_new: row.get(4)?,
                n_updated: row.get(5)?,
                n_invalid: row.get(6)?,
                n_opted_out: row.get(7)?,
                n_bounced: row.get(8)?,
                undone_at: row.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Column mappings the user chose in earlier imports: normalized header → target text.
    pub fn remembered_mappings(&self) -> Result<HashMap<String, String>> {
        let mut statement = self.connection.prepare("SELECT key, value FROM settings WHERE key >= ?1 AND key < ?2")?;
        let upper = format!("{}\u{10FFFF}", SETTING_CSV_MAPPING_PREFIX);
        let rows = statement.query_map(params![SETTING_CSV_MAPPING_PREFIX, upper], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut mappings = HashMap::new();
        for row in rows {
            let (key, value) = row?;
            if let Some(header) = key.strip_prefix(SETTING_CSV_MAPPING_PREFIX) {
                mappings.insert(header.to_string(), value);
            }
        }
        Ok(mappings)
    }

    /// Remembers the user's choice for a column of this (normalized) header.
    pub fn remember_mapping(&self, normalized_header: &str, target: &str) -> Result<()> {
        self.set_setting(&format!("{SETTING_CSV_MAPPING_PREFIX}{normalized_header}"), target)
    }
}
