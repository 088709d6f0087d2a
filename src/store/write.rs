//! Writing contacts: creating, merging by email (dedupe), user edits, batch imports in one
//! transaction, the trash, and the history row behind every change.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::rows::PendingRows;
use super::{Error, Result, Store, column};
use crate::model::{
    ContactDraft, ContactId, DoNotEmailReason, LifecycleStage, PhoneEntry, Property, STANDARD_PROPERTIES, Source,
    Timestamp, digits_only, email_domain, is_free_mail_domain, normalize_email, normalize_phone,
};

/// How a draft is written.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    pub source: Source,
    pub now: Timestamp,
    /// Lifecycle stage given to a new contact whose draft has none.
    pub lifecycle_default: Option<LifecycleStage>,
    /// Original source drill-down 2 of a new contact (the import or scanner kind);
    /// `source.key()` when `None`.
    pub drill_down_2: Option<String>,
    /// Whether this write may replace an existing contact owner (scans may not, by default).
    pub may_change_owner: bool,
    /// Property keys whose value the user typed or changed (in a scan's review): those are
    /// written with the user's authority and recorded with `Source::User`.
    pub user_edited: BTreeSet<String>,
}

impl WriteOptions {
    pub fn new(source: Source, now: Timestamp) -> Self {
        WriteOptions {
            source,
            now,
            lifecycle_default: None,
            drill_down_2: None,
            may_change_owner: true,
            user_edited: BTreeSet::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    Created,
    Updated,
    /// The contact existed and the draft changed nothing.
    Unchanged,
}

/// A value that was offered but not written, because the user had set the current one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    pub contact_id: ContactId,
    pub property: String,
    pub kept: String,
    pub offered: String,
}

/// What writing one draft did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub contact_id: ContactId,
    pub kind: OutcomeKind,
    pub conflicts: Vec<Conflict>,
    /// False for contacts without email: they are not deduplicated nor associated.
    pub has_email: bool,
}

/// One batch import: all of it is written, or none of it.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The import kind, e.g. `vcard-import`: original source drill-down 2 of new contacts.
    pub kind: String,
    /// What was imported, e.g. the file names; shown in the import history.
    pub label: String,
    pub source: Source,
    pub lifecycle_default: LifecycleStage,
    /// Add every imported contact to this static list (created if needed).
    pub list_name: Option<String>,
    /// Count what would happen, then roll back.
    pub dry_run: bool,
    /// Drafts the user left out; only counted.
    pub n_skipped: usize,
    /// Rows the reader found invalid; only counted.
    pub n_invalid: usize,
    /// Whether new contacts are created, existing ones updated, or both.
    pub policy: ImportPolicy,
    /// Only put the records' addresses on the do-not-email list; write no contacts.
    pub is_opt_out_list: bool,
    pub now: Timestamp,
}

/// What an import may do with each record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportPolicy {
    /// Create new contacts and update existing ones.
    #[default]
    Upsert,
    /// Only create new contacts; records of existing contacts are skipped.
    CreateOnly,
    /// Only update existing contacts; records of new ones are skipped.
    UpdateOnly,
}

/// One record of a batch: a draft and what comes with it from the source file.
#[derive(Debug, Clone, Default)]
pub struct ImportRecord<'a> {
    pub draft: Cow<'a, ContactDraft>,
    /// Reasons to put the draft's email on the do-not-email list (sticky: only added).
    pub do_not_email: Vec<DoNotEmailReason>,
    /// The record's id in the system it came from: (system, id). Also used to find the
    /// contact again when the record has no email.
    pub external_id: Option<(String, String)>,
    /// Lists the contact goes on (created if needed), besides the import's own list.
    pub lists: Vec<String>,
    /// Set when the reader found the row invalid: it is counted, not written.
    pub is_invalid: bool,
}

/// What undoing an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct UndoReport {
    pub batch_id: i64,
    /// Contacts the import had created, now deleted.
    pub n_deleted: usize,
    /// Contacts the import had updated, now back to their earlier values (where nothing
    /// changed them since).
    pub n_restored: usize,
    /// Addresses taken off the do-not-email list again.
    pub n_do_not_email_removed: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub batch_id: Option<i64>,
    pub n_new: usize,
    pub n_updated: usize,
    pub n_unchanged: usize,
    pub n_no_email: usize,
    pub n_skipped: usize,
    /// Rows the reader found invalid (not written).
    pub n_invalid: usize,
    /// Records that put their address on the do-not-email list as an opt-out.
    pub n_opted_out: usize,
    /// Records that put their address on the do-not-email list as bounced.
    pub n_bounced: usize,
    pub conflicts: Vec<Conflict>,
    /// The contact written for each record that was not skipped, in order.
    #[serde(skip)]
    pub contact_ids: Vec<ContactId>,
    pub list: Option<String>,
    pub dry_run: bool,
}

impl ImportOptions {
    /// A batch of `kind` from `source`: new contacts become leads, no list, written for real.
    pub fn new(kind: &str, label: impl Into<String>, source: Source, now: Timestamp) -> Self {
        ImportOptions {
            kind: kind.to_string(),
            label: label.into(),
            source,
            lifecycle_default: LifecycleStage::Lead,
            list_name: None,
            dry_run: false,
            n_skipped: 0,
            n_invalid: 0,
            policy: ImportPolicy::Upsert,
            is_opt_out_list: false,
            now,
        }
    }
}

impl ImportReport {
    /// Contacts written: new, updated and already up to date.
    pub fn n_imported(&self) -> usize {
        self.n_new + self.n_updated + self.n_unchanged
    }
}

/// Per-write context shared by the helpers below.
struct Writer<'a> {
    connection: &'a Connection,
    options: &'a WriteOptions,
    region: &'a str,
    batch_id: Option<i64>,
    /// In a batch, search-index rows wait here and are written together at the end: FTS5
    /// flushes its pending rows at every statement savepoint, which made per-contact
    /// index writes the largest cost of an import.
    deferred_index: Option<std::cell::RefCell<BTreeMap<ContactId, SearchRow>>>,
    /// E.164 forms (or `None`: not a valid number) computed ahead by a batch's helper thread.
    phone_hints: std::cell::RefCell<HashMap<String, Option<String>>>,
    /// Changes not yet written: contact, sequence number, property, value, source.
    pending_history: std::cell::RefCell<PendingRows>,
    /// List memberships of a batch not yet written: list, contact.
    pending_members: std::cell::RefCell<PendingRows>,
    /// External ids of a batch not yet written: contact, system, value.
    pending_external_ids: std::cell::RefCell<PendingRows>,
    /// Custom properties known to be defined, so that a batch defines each name once.
    defined_custom: std::cell::RefCell<std::collections::HashSet<String>>,
    /// The contact whose changes were recorded last, and its last sequence number.
    last_seq: std::cell::RefCell<Option<(ContactId, i64)>>,
    /// Companies already looked up or created, by domain: (id, website). An import meets
    /// the same few domains again and again.
    companies: std::cell::RefCell<HashMap<String, (i64, String)>>,
}

/// The `property` of a history row that holds several changes made together, as a JSON
/// object of property → value. Readers expand it with `expand_change`.
pub(super) const CHANGE_SET: &str = "*";

/// The changes one history row holds: itself, or the members of a change set in the order
/// forms show properties.
pub(super) fn expand_change(property: String, value: String) -> Vec<(String, String)> {
    if property != CHANGE_SET {
        return vec![(property, value)];
    }
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&value).unwrap_or_default();
    let mut changes: Vec<(String, String)> = object
        .into_iter()
        .map(|(property, value)| (property, value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string())))
        .collect();
    let rank = |key: &str| STANDARD_PROPERTIES.iter().position(|property| property.key() == key).unwrap_or(usize::MAX);
    changes.sort_by(|left, right| rank(&left.0).cmp(&rank(&right.0)).then_with(|| left.0.cmp(&right.0)));
    changes
}

/// The INSERT and UPDATE statements that write every column `write_row` binds, in its order.
fn row_statements() -> (&'static str, &'static str) {
    static STATEMENTS: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    let (insert, update) = STATEMENTS.get_or_init(|| {
        let mut columns = Vec::new();
        for property in STANDARD_PROPERTIES.into_iter().filter(|property| !property.is_list()) {
            columns.push(column(property).to_string());
            if property.is_phone() {
                columns.push(format!("{}_e164", column(property)));
            }
        }
        columns.extend(
            [
                "email_key",
                "additional_emails",
                "additional_phones",
                "vcard_extra",
                "company_id",
                "sort_name",
                "updated_at",
            ]
            .map(String::from),
        );
        let placeholders = vec!["?"; columns.len()].join(", ");
        // A new row's created_at is its updated_at, the last bound value.
        let insert = format!(
            "INSERT INTO contacts ({}, created_at) VALUES ({placeholders}, ?{})",
            columns.join(", "),
            columns.len()
        );
        let assignments: Vec<String> = columns.iter().map(|column| format!("{column} = ?")).collect();
        let update = format!("UPDATE contacts SET {} WHERE id = ?", assignments.join(", "));
        (insert, update)
    });
    (insert, update)
}

/// What writing a contact's row takes besides its values, all computed from the draft: a
/// batch's reading thread computes it ahead for the writer.
struct RowParts {
    /// The E.164 form of each phone number that has one, by raw value.
    normalized: HashMap<String, String>,
    email_key: Option<String>,
    sort_name: String,
    search: SearchRow,
}

impl RowParts {
    fn of(draft: &ContactDraft, normalized: HashMap<String, String>) -> RowParts {
        RowParts {
            email_key: draft.get(Property::Email).map(normalize_email).filter(|key| !key.is_empty()),
            sort_name: sort_name(draft),
            search: SearchRow::of(draft, &normalized),
            normalized,
        }
    }
}

/// A contact a batch would create, prepared on its reading thread: the draft with a new
/// contact's defaults, its row parts, and its history row (property and value).
pub(super) struct NewContact {
    full: ContactDraft,
    /// The properties the defaults filled.
    defaulted: Vec<Property>,
    parts: RowParts,
    history: Option<(String, String)>,
}

impl NewContact {
    fn of(draft: ContactDraft, options: &WriteOptions, normalized: HashMap<String, String>) -> Result<NewContact> {
        let mut full = draft;
        let defaulted = fill_new_contact_defaults(&mut full, options);
        let parts = RowParts::of(&full, normalized);
        let changes = full.keys().into_iter().map(|key| {
            let value = full.value_by_key(&key).unwrap_or_default();
            (key, value)
        });
        let history = change_row(changes.collect())?;
        Ok(NewContact { full, defaulted, parts, history })
    }

    /// The draft it was made from, without a new contact's defaults: what updates an
    /// existing contact when the address turns out to be known.
    fn into_draft(self) -> ContactDraft {
        let mut draft = self.full;
        for property in self.defaulted {
            draft.set(property, "");
        }
        draft
    }
}

/// Fills a new contact's lifecycle stage and original source where the draft has none;
/// returns the properties it filled.
fn fill_new_contact_defaults(draft: &mut ContactDraft, options: &WriteOptions) -> Vec<Property> {
    let drill_down_2 = options.drill_down_2.clone().unwrap_or_else(|| options.source.key().to_string());
    let defaults = [
        (Property::LifecycleStage, options.lifecycle_default.map(|stage| stage.key().to_string())),
        (Property::OriginalSource, Some("offline".to_string())),
        (Property::OriginalSourceDrillDown1, Some(options.source.drill_down_1().to_string())),
        (Property::OriginalSourceDrillDown2, Some(drill_down_2)),
    ];
    let mut filled = Vec::new();
    for (property, value) in defaults {
        if let Some(value) = value.filter(|_| draft.get(property).is_none()) {
            draft.set(property, value);
            filled.push(property);
        }
    }
    filled
}

/// The history row of changes made together from one source: the change itself when there is
/// one, else a change set (see `CHANGE_SET`), which keeps the history of a large import small.
fn change_row(changes: Vec<(String, String)>) -> Result<Option<(String, String)>> {
    Ok(match <[_; 1]>::try_from(changes) {
        Ok([change]) => Some(change),
        Err(changes) if changes.is_empty() => None,
        Err(changes) => {
            let object: BTreeMap<&str, &str> =
                changes.iter().map(|(property, value)| (property.as_str(), value.as_str())).collect();
            let json = serde_json::to_string(&object).map_err(|error| Error::Input(error.to_string()))?;
            Some((CHANGE_SET.to_string(), json))
        }
    })
}

/// One contact's row in the search index.
struct SearchRow {
    names: String,
    company: String,
    emails: String,
    phones: String,
    notes: String,
    /// The contact may already have a row, which must be replaced.
    is_indexed: bool,
}

impl SearchRow {
    /// The search row of a contact not yet in the index: names, company and title, emails,
    /// phone numbers (as written, as digits, and the digits of their E.164 form) and notes.
    fn of(draft: &ContactDraft, normalized: &HashMap<String, String>) -> SearchRow {
        let get = |property| draft.get(property).unwrap_or_default();
        let emails = std::iter::once(get(Property::Email))
            .chain(draft.additional_emails.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        let mut phones: Vec<String> = Vec::new();
        let phone_values = [Property::Phone, Property::MobilePhone, Property::Fax]
            .into_iter()
            .filter_map(|property| draft.get(property))
            .chain(draft.additional_phones.iter().map(|PhoneEntry { value, .. }| value.as_str()));
        for raw in phone_values {
            let digits = digits_only(raw);
            if let Some(e164) = normalized.get(raw).map(|e164| digits_only(e164)).filter(|e164| *e164 != digits) {
                phones.push(e164);
            }
            phones.push(raw.to_string());
            phones.push(digits);
        }
        SearchRow {
            names: format!("{} {}", get(Property::FirstName), get(Property::LastName)),
            company: format!("{} {}", get(Property::Company), get(Property::JobTitle)),
            emails,
            phones: phones.join(" "),
            notes: get(Property::Notes).to_string(),
            is_indexed: false,
        }
    }
}

impl Store {
    /// Saves a draft: updates the contact with the same email if there is one (never
    /// overwriting a value the user set), else creates a new contact.
    pub fn save_draft(&mut self, draft: &ContactDraft, options: &WriteOptions) -> Result<Outcome> {
        self.write(|transaction, region| Writer::new(transaction, options, region).apply(draft))
    }

    /// Saves a scanned card's draft and keeps the card's picture with the contact, in one
    /// transaction: both are written or neither.
    pub fn save_draft_with_card_image(
        &mut self,
        draft: &ContactDraft,
        options: &WriteOptions,
        image: &super::CardImage,
    ) -> Result<Outcome> {
        self.write(|transaction, region| {
            let outcome = Writer::new(transaction, options, region).apply(draft)?;
            super::card_images::insert(transaction, outcome.contact_id, image, options.now)?;
            Ok(outcome)
        })
    }

    /// Writes many drafts in one transaction: the database holds the whole batch or none of it.
    /// `progress(done, total)` is called as drafts are written.
    pub fn import_drafts(
        &mut self,
        drafts: &[ContactDraft],
        import: &ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        let mut records =
            drafts.iter().map(|draft| Ok(ImportRecord { draft: Cow::Borrowed(draft), ..ImportRecord::default() }));
        self.import_records(&mut records, drafts.len(), import, progress)
    }

    /// Writes a stream of records in one transaction, like `import_drafts`. The stream is
    /// read on a helper thread while this one writes, so a file of any size streams
    /// through. An `Err` item stops the import and rolls everything back. `expected_total`
    /// is what `progress` reports as the total until the stream ends.
    pub fn import_records<'a>(
        &mut self,
        records: &mut (dyn Iterator<Item = std::result::Result<ImportRecord<'a>, String>> + Send),
        expected_total: usize,
        import: &ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        // A batch only writes rows that refer to rows it has just written or looked up, so
        // the foreign-key checks (a parent lookup for every history row, list membership and
        // custom value) are off while it runs. The pragma cannot change inside a transaction.
        self.connection.execute_batch("PRAGMA foreign_keys = OFF").map_err(|error| self.classify_sqlite(error))?;
        let report = self.write_or_roll_back(import.dry_run, |transaction, region| {
            import_in(transaction, region, records, expected_total, import, progress)
        });
        self.connection.execute_batch("PRAGMA foreign_keys = ON").map_err(|error| self.classify_sqlite(error))?;
        let mut report = report?;
        if import.dry_run {
            report.batch_id = None;
        }
        Ok(report)
    }

    /// Undoes an import as a whole: deletes the contacts it created, puts the values it
    /// changed back where nothing changed them since, takes off the lists and the
    /// do-not-email entries it added. In one transaction.
    pub fn undo_import(&mut self, batch_id: i64, now: Timestamp) -> Result<UndoReport> {
        self.write(|transaction, region| undo_in(transaction, region, batch_id, now))
    }

    /// Replaces a contact's values with `draft` as the user edited it: properties missing
    /// from the draft are cleared. Every change is recorded with `source`.
    pub fn update_contact(
        &mut self,
        contact_id: ContactId,
        draft: &ContactDraft,
        source: Source,
        now: Timestamp,
    ) -> Result<()> {
        let options = WriteOptions::new(source, now);
        self.write(|transaction, region| Writer::new(transaction, &options, region).replace(contact_id, draft))
    }

    /// Creates a contact from the user's form; fails if the email belongs to another contact.
    pub fn create_contact(&mut self, draft: &ContactDraft, options: &WriteOptions) -> Result<ContactId> {
        self.write(|transaction, region| {
            let writer = Writer::new(transaction, options, region);
            if let Some(existing) = writer.find_by_email(draft.get(Property::Email))? {
                return Err(Error::EmailTaken {
                    email: draft.get(Property::Email).unwrap_or_default().to_string(),
                    existing,
                });
            }
            writer.insert(draft)
        })
    }

    /// Runs `body` in an immediate transaction and commits it; rolls back on error.
    fn write<T>(&mut self, body: impl FnOnce(&rusqlite::Transaction<'_>, &str) -> Result<T>) -> Result<T> {
        self.write_or_roll_back(false, body)
    }

    /// Like `write`, but a dry run rolls back even when `body` succeeds.
    fn write_or_roll_back<T>(
        &mut self,
        is_dry_run: bool,
        body: impl FnOnce(&rusqlite::Transaction<'_>, &str) -> Result<T>,
    ) -> Result<T> {
        let region = self.default_region()?;
        let path = self.path.clone();
        let classify = |error: Error| super::classify(error, path.as_deref());
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|error| classify(error.into()))?;
        let value = body(&transaction, &region).map_err(classify)?;
        if is_dry_run {
            transaction.rollback()?;
            return Ok(value);
        }
        transaction.commit().map_err(|error| classify(error.into()))?;
        Ok(value)
    }

    /// Moves contacts to the trash. Trashed contacts leave the search index.
    pub fn delete_contacts(&self, contact_ids: &[ContactId], now: Timestamp) -> Result<()> {
        let transaction = self.connection.unchecked_transaction().map_err(|e| self.classify_sqlite(e))?;
        let mut trash =
            transaction.prepare_cached("UPDATE contacts SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL")?;
        let mut unindex = transaction.prepare_cached("DELETE FROM contacts_fts WHERE rowid = ?1")?;
        for contact_id in contact_ids {
            if trash.execute(params![contact_id.0, now.0]).map_err(|e| self.classify_sqlite(e))? > 0 {
                unindex.execute([contact_id.0])?;
            }
        }
        drop((trash, unindex));
        transaction.commit().map_err(|e| self.classify_sqlite(e))?;
        Ok(())
    }

    /// Takes contacts out of the trash and back into the search index.
    pub fn restore_contacts(&self, contact_ids: &[ContactId]) -> Result<()> {
        let region = self.default_region()?;
        let options = WriteOptions::new(Source::User, Timestamp::now());
        let transaction = self.connection.unchecked_transaction().map_err(|e| self.classify_sqlite(e))?;
        let writer = Writer::new(&transaction, &options, &region);
        for &contact_id in contact_ids {
            if writer.restore_if_trashed(contact_id).map_err(|e| self.classify(e))? {
                writer.reindex(contact_id)?;
            }
        }
        transaction.commit().map_err(|e| self.classify_sqlite(e))?;
        Ok(())
    }

    /// Deletes trashed contacts for good; returns how many.
    pub fn empty_trash(&mut self) -> Result<usize> {
        let transaction = self.connection.transaction()?;
        transaction.execute(
            "DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM contacts WHERE deleted_at IS NOT NULL)",
            [],
        )?;
        let n_deleted = transaction.execute("DELETE FROM contacts WHERE deleted_at IS NOT NULL", [])?;
        transaction.commit()?;
        Ok(n_deleted)
    }

    fn classify_sqlite(&self, error: rusqlite::Error) -> Error {
        self.classify(Error::Sqlite(error))
    }
}

impl<'a> Writer<'a> {
    fn new(connection: &'a Connection, options: &'a WriteOptions, region: &'a str) -> Self {
        Self::in_batch(connection, options, region, None)
    }

    /// A writer for a batch (an import) when `batch_id` is given: its rows wait and are
    /// written many to a statement, and `finish` must end it.
    fn in_batch(connection: &'a Connection, options: &'a WriteOptions, region: &'a str, batch_id: Option<i64>) -> Self {
        let now = Value::Integer(options.now.0);
        let batch = batch_id.map_or(Value::Null, Value::Integer);
        Writer {
            connection,
            options,
            region,
            batch_id,
            deferred_index: batch_id.map(|_| Default::default()),
            phone_hints: Default::default(),
            pending_history: std::cell::RefCell::new(PendingRows::new(
                "INSERT INTO property_changes (contact_id, seq, property, value, source, at, batch_id) VALUES",
                5,
                vec![now.clone(), batch.clone()],
                "",
            )),
            pending_members: std::cell::RefCell::new(PendingRows::new(
                "INSERT OR IGNORE INTO list_members (list_id, contact_id, added_at, batch_id) VALUES",
                2,
                vec![now.clone(), batch.clone()],
                "",
            )),
            pending_external_ids: std::cell::RefCell::new(PendingRows::new(
                "INSERT INTO external_ids (contact_id, system, value, batch_id, at) VALUES",
                3,
                vec![batch, now],
                "ON CONFLICT (contact_id, system) DO UPDATE SET value = excluded.value, batch_id = excluded.batch_id,
                 at = excluded.at WHERE value <> excluded.value",
            )),
            defined_custom: Default::default(),
            last_seq: Default::default(),
            companies: Default::default(),
        }
    }

    /// Dedupe by email, then create or merge.
    fn apply(&self, draft: &ContactDraft) -> Result<Outcome> {
        self.apply_to(self.find_by_email(draft.get(Property::Email))?, draft)
    }

    /// Merges into `existing`, or creates a contact when there is none.
    fn apply_to(&self, existing: Option<ContactId>, draft: &ContactDraft) -> Result<Outcome> {
        let has_email = draft.get(Property::Email).is_some_and(|email| !normalize_email(email).is_empty());
        match existing {
            None => {
                let contact_id = self.insert(draft)?;
                Ok(Outcome { contact_id, kind: OutcomeKind::Created, conflicts: Vec::new(), has_email })
            }
            Some(contact_id) => {
                let (changed, conflicts) = self.merge(contact_id, draft)?;
                let kind = if changed { OutcomeKind::Updated } else { OutcomeKind::Unchanged };
                Ok(Outcome { contact_id, kind, conflicts, has_email })
            }
        }
    }

    fn find_by_email(&self, email: Option<&str>) -> Result<Option<ContactId>> {
        match email.map(normalize_email).filter(|key| !key.is_empty()) {
            Some(key) => self.find_by_email_key(&key),
            None => Ok(None),
        }
    }

    /// The contact whose address has this `normalize_email` key.
    fn find_by_email_key(&self, key: &str) -> Result<Option<ContactId>> {
        let mut statement = self.connection.prepare_cached("SELECT id FROM contacts WHERE email_key = ?1")?;
        Ok(statement.query_row([key], |row| row.get(0)).optional()?.map(ContactId))
    }

    fn find_by_external_id(&self, system: &str, value: &str) -> Result<Option<ContactId>> {
        // Ids the batch gave earlier contacts may still wait.
        self.pending_external_ids.borrow_mut().flush(self.connection)?;
        let mut statement = self.connection.prepare_cached(
            "SELECT contact_id FROM external_ids WHERE system = ?1 AND value = ?2 ORDER BY at DESC LIMIT 1",
        )?;
        Ok(statement.query_row(params![system, value], |row| row.get(0)).optional()?.map(ContactId))
    }

    /// Creates a contact with the defaults of a new one and records every value's source.
    fn insert(&self, draft: &ContactDraft) -> Result<ContactId> {
        self.insert_new(NewContact::of(draft.clone(), self.options, self.normalized_phones(draft))?)
    }

    /// Creates a prepared contact: associates its company (the website derived from it when
    /// the contact has none), writes the row and records the values' sources.
    fn insert_new(&self, new: NewContact) -> Result<ContactId> {
        let NewContact { mut full, parts, history, .. } = new;
        let company = self.associate_company(&full)?;
        let company_id = company.as_ref().map(|(company_id, _)| *company_id);
        let derived_website = match (company, full.get(Property::Website)) {
            (Some((_, website)), None) => Some(website),
            _ => None,
        };
        if let Some(website) = &derived_website {
            full.set(Property::Website, website.clone());
        }
        let contact_id = self.write_row_with(None, &full, company_id, parts)?;
        // A new contact has no history yet: its changes count from 1.
        *self.last_seq.borrow_mut() = Some((contact_id, 0));
        if self.options.user_edited.is_empty() {
            if let Some((property, value)) = history {
                self.record(contact_id, &property, &value, self.options.source)?;
            }
            if let Some(website) = &derived_website {
                self.record(contact_id, Property::Website.key(), website, Source::Derived)?;
            }
        } else {
            // Values the user edited in a review are recorded as the user's.
            let is_derived = |key: &str| key == Property::Website.key() && derived_website.is_some();
            let (derived, given): (Vec<String>, Vec<String>) = full.keys().into_iter().partition(|key| is_derived(key));
            self.record_by_source(contact_id, &full, given, derived)?;
        }
        Ok(contact_id)
    }

    /// Fills and updates an existing contact from a draft. Values the user set are kept and
    /// reported as conflicts; empty draft values never erase anything.
    fn merge(&self, contact_id: ContactId, draft: &ContactDraft) -> Result<(bool, Vec<Conflict>)> {
        // The sources below are read from the history table.
        self.flush_history()?;
        let current = load_draft(self.connection, contact_id)?;
        let current_sources = current_sources(self.connection, contact_id)?;
        let is_user_value = |key: &str| current_sources.get(key).is_some_and(|(source, _)| *source == Source::User);
        let is_writer_user = self.options.source == Source::User;
        let is_user_edit = |key: &str| is_writer_user || self.options.user_edited.contains(key);
        let mut merged = current.clone();
        let mut changes: Vec<String> = Vec::new();
        let mut conflicts = Vec::new();

        for (&property, offered) in &draft.values {
            let kept = current.get(property);
            if kept == Some(offered.as_str()) {
                continue;
            }
            let is_fill = kept.is_none();
            if property == Property::Email {
                // Same contact by definition; keep the stored spelling of the address.
                continue;
            }
            // Imports never move a lifecycle stage or the original source once set.
            let is_user_edit = is_user_edit(property.key());
            if !is_fill && (property.is_system() || (property == Property::LifecycleStage && !is_user_edit)) {
                continue;
            }
            if !is_fill && property == Property::Owner && !self.options.may_change_owner && !is_user_edit {
                continue;
            }
            if !is_fill && !is_user_edit && is_user_value(property.key()) {
                conflicts.push(Conflict {
                    contact_id,
                    property: property.key().to_string(),
                    kept: kept.unwrap_or_default().to_string(),
                    offered: offered.clone(),
                });
                continue;
            }
            merged.set(property, offered.clone());
            changes.push(property.key().to_string());
        }
        for (name, offered) in &draft.custom {
            let kept = current.custom.get(name);
            if kept == Some(offered) {
                continue;
            }
            if kept.is_some() && !is_user_edit(name) && is_user_value(name) {
                conflicts.push(Conflict {
                    contact_id,
                    property: name.clone(),
                    kept: kept.cloned().unwrap_or_default(),
                    offered: offered.clone(),
                });
                continue;
            }
            merged.custom.insert(name.clone(), offered.clone());
            changes.push(name.clone());
        }
        let primary_key = merged.get(Property::Email).map(normalize_email).unwrap_or_default();
        for email in &draft.additional_emails {
            let key = normalize_email(email);
            if key != primary_key && !merged.additional_emails.iter().any(|known| normalize_email(known) == key) {
                merged.additional_emails.push(email.clone());
            }
        }
        if merged.additional_emails != current.additional_emails {
            changes.push(Property::AdditionalEmails.key().to_string());
        }
        let mut known_numbers: Vec<String> = [Property::Phone, Property::MobilePhone, Property::Fax]
            .iter()
            .filter_map(|&property| merged.get(property))
            .chain(merged.additional_phones.iter().map(|entry| entry.value.as_str()))
            .map(|raw| self.phone_key(raw))
            .collect();
        for entry in &draft.additional_phones {
            let key = self.phone_key(&entry.value);
            if !known_numbers.contains(&key) {
                known_numbers.push(key);
                merged.additional_phones.push(entry.clone());
            }
        }
        if merged.additional_phones != current.additional_phones {
            changes.push(Property::AdditionalPhones.key().to_string());
        }
        for line in &draft.vcard_extra {
            if !merged.vcard_extra.contains(line) {
                merged.vcard_extra.push(line.clone());
            }
        }
        let is_extra_changed = merged.vcard_extra != current.vcard_extra;
        let is_restored = self.restore_if_trashed(contact_id)?;

        if changes.is_empty() && !is_extra_changed {
            if is_restored {
                self.reindex(contact_id)?;
            }
            return Ok((is_restored, conflicts));
        }
        let mut company_id = contact_company_id(self.connection, contact_id)?;
        let mut derived_website = false;
        if company_id.is_none() {
            let company = self.associate_company(&merged)?;
            company_id = company.as_ref().map(|(company_id, _)| *company_id);
            if let (Some((_, website)), None) = (company, merged.get(Property::Website)) {
                merged.set(Property::Website, website);
                changes.push(Property::Website.key().to_string());
                derived_website = true;
            }
        }
        self.write_row(Some(contact_id), &merged, company_id)?;
        let is_derived = |key: &str| derived_website && key == Property::Website.key();
        let (derived, given): (Vec<String>, Vec<String>) = changes.into_iter().partition(|key| is_derived(key));
        self.record_by_source(contact_id, &merged, given, derived)?;
        Ok((true, conflicts))
    }

    /// The user's edit: the draft is the whole new state of the contact.
    fn replace(&self, contact_id: ContactId, draft: &ContactDraft) -> Result<()> {
        let current = load_draft(self.connection, contact_id)?;
        let new_key = draft.get(Property::Email).map(normalize_email).filter(|key| !key.is_empty());
        let old_key = current.get(Property::Email).map(normalize_email).filter(|key| !key.is_empty());
        if new_key != old_key
            && let Some(existing) = self.find_by_email(draft.get(Property::Email))?.filter(|&id| id != contact_id)
        {
            return Err(Error::EmailTaken {
                email: draft.get(Property::Email).unwrap_or_default().to_string(),
                existing,
            });
        }
        let mut next = draft.clone();
        // System properties are rolo's to keep; the form shows them read-only.
        for property in STANDARD_PROPERTIES.into_iter().filter(|property| property.is_system()) {
            match current.get(property) {
                Some(value) => next.set(property, value),
                None => next.set(property, ""),
            }
        }
        next.vcard_extra =
            if draft.vcard_extra.is_empty() { current.vcard_extra.clone() } else { draft.vcard_extra.clone() };
        let mut company_id = contact_company_id(self.connection, contact_id)?;
        if new_key != old_key {
            company_id = self.associate_company(&next)?.map(|(company_id, _)| company_id);
        }
        let mut keys: Vec<String> = current.keys();
        for key in next.keys() {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        self.write_row(Some(contact_id), &next, company_id)?;
        if is_trashed(self.connection, contact_id)? {
            // An edit in the trash: the contact stays out of the search index.
            self.connection.prepare_cached("DELETE FROM contacts_fts WHERE rowid = ?1")?.execute([contact_id.0])?;
        }
        let changes = keys
            .into_iter()
            .filter_map(|key| {
                let (before, after) = (current.value_by_key(&key), next.value_by_key(&key));
                (before != after).then(|| (key, after.unwrap_or_default()))
            })
            .collect();
        self.record_changes(contact_id, changes, self.options.source)
    }

    /// What makes two phone numbers the same: E.164 when parseable, else the digits.
    fn phone_key(&self, raw: &str) -> String {
        normalize_phone(raw, self.region).unwrap_or_else(|| digits_only(raw))
    }

    /// Writes a contact's search-index row from its stored values.
    fn reindex(&self, contact_id: ContactId) -> Result<()> {
        let draft = load_draft(self.connection, contact_id)?;
        let normalized = self.normalized_phones(&draft);
        self.index(contact_id, SearchRow::of(&draft, &normalized))
    }

    fn restore_if_trashed(&self, contact_id: ContactId) -> Result<bool> {
        let mut statement = self
            .connection
            .prepare_cached("UPDATE contacts SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL")?;
        Ok(statement.execute([contact_id.0])? > 0)
    }

    /// The company of the draft's email domain (created if needed), unless it is free mail:
    /// its id and website.
    fn associate_company(&self, draft: &ContactDraft) -> Result<Option<(i64, String)>> {
        let Some(domain) = draft.get(Property::Email).and_then(email_domain) else {
            return Ok(None);
        };
        if is_free_mail_domain(&domain) {
            return Ok(None);
        }
        if let Some(known) = self.companies.borrow().get(&domain) {
            return Ok(Some(known.clone()));
        }
        let mut select = self.connection.prepare_cached("SELECT id, website FROM companies WHERE domain = ?1")?;
        let company = match select.query_row([&domain], |row| Ok((row.get(0)?, row.get(1)?))).optional()? {
            Some(company) => company,
            None => {
                let name =
                    draft.get(Property::Company).map(str::to_string).unwrap_or_else(|| name_from_domain(&domain));
                let website = format!("https://{domain}");
                let mut insert = self.connection.prepare_cached(
                    "INSERT INTO companies (domain, name, website, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?;
                insert.execute(params![domain, name, website, self.options.now.0])?;
                (self.connection.last_insert_rowid(), website)
            }
        };
        self.companies.borrow_mut().insert(domain, company.clone());
        Ok(Some(company))
    }

    /// Writes every column of the contact row (a new row when `contact_id` is `None`), the
    /// custom values and the search index; returns the contact's id.
    fn write_row(
        &self,
        contact_id: Option<ContactId>,
        draft: &ContactDraft,
        company_id: Option<i64>,
    ) -> Result<ContactId> {
        let parts = RowParts::of(draft, self.normalized_phones(draft));
        self.write_row_with(contact_id, draft, company_id, parts)
    }

    /// `write_row` with the parts of the row computed already.
    fn write_row_with(
        &self,
        contact_id: Option<ContactId>,
        draft: &ContactDraft,
        company_id: Option<i64>,
        parts: RowParts,
    ) -> Result<ContactId> {
        let RowParts { normalized, email_key, sort_name, search } = parts;
        let extra = draft.vcard_extra.join("\n");
        let additional_emails = draft.value_by_key(Property::AdditionalEmails.key());
        let additional_phones = draft.value_by_key(Property::AdditionalPhones.key());
        // Borrowed values: a row is written for every contact of an import.
        let mut values: Vec<ToSqlOutput<'_>> = Vec::with_capacity(40);
        for property in STANDARD_PROPERTIES.into_iter().filter(|property| !property.is_list()) {
            values.push(text_or_null(draft.get(property)));
            if property.is_phone() {
                values.push(text_or_null(normalized.get(draft.get(property).unwrap_or_default()).map(String::as_str)));
            }
        }
        values.extend([
            text_or_null(email_key.as_deref()),
            text_or_null(additional_emails.as_deref()),
            text_or_null(additional_phones.as_deref()),
            text_or_null(Some(extra.as_str()).filter(|text| !text.is_empty())),
            company_id.map_or(ToSqlOutput::Owned(rusqlite::types::Value::Null), ToSqlOutput::from),
            text_or_null(Some(sort_name.as_str())),
            ToSqlOutput::from(self.options.now.0),
        ]);
        let (insert_sql, update_sql) = row_statements();
        let sql = match contact_id {
            Some(contact_id) => {
                values.push(ToSqlOutput::from(contact_id.0));
                update_sql
            }
            None => insert_sql,
        };
        let mut statement = self.connection.prepare_cached(sql)?;
        statement.execute(rusqlite::params_from_iter(values)).map_err(|error| match error {
            rusqlite::Error::SqliteFailure(failure, _) if failure.code == rusqlite::ErrorCode::ConstraintViolation => {
                Error::EmailTaken {
                    email: draft.get(Property::Email).unwrap_or_default().to_string(),
                    existing: contact_id.unwrap_or(ContactId(0)),
                }
            }
            other => Error::Sqlite(other),
        })?;
        let is_new = contact_id.is_none();
        let contact_id = contact_id.unwrap_or_else(|| ContactId(self.connection.last_insert_rowid()));

        if !is_new {
            self.connection
                .prepare_cached("DELETE FROM custom_values WHERE contact_id = ?1")?
                .execute([contact_id.0])?;
        }
        let mut insert_custom = self
            .connection
            .prepare_cached("INSERT INTO custom_values (contact_id, name, value) VALUES (?1, ?2, ?3)")?;
        for (name, value) in &draft.custom {
            if !self.defined_custom.borrow().contains(name) {
                define_custom_property(self.connection, name, name, self.options.now)?;
                self.defined_custom.borrow_mut().insert(name.clone());
            }
            insert_custom.execute(params![contact_id.0, name, value])?;
        }
        self.index(contact_id, SearchRow { is_indexed: !is_new, ..search })?;
        Ok(contact_id)
    }

    /// The E.164 form of every phone number of the draft that has one, by raw value.
    /// Numbers a batch's helper thread normalized ahead of time are taken from `phone_hints`.
    fn normalized_phones(&self, draft: &ContactDraft) -> HashMap<String, String> {
        let hints = self.phone_hints.borrow();
        phone_numbers(draft)
            .filter_map(|raw| {
                let normalized = match hints.get(raw) {
                    Some(known) => known.clone(),
                    None => normalize_phone(raw, self.region),
                };
                Some((raw.to_string(), normalized?))
            })
            .collect()
    }

    /// Writes (in a batch: queues) a contact's search row.
    fn index(&self, contact_id: ContactId, row: SearchRow) -> Result<()> {
        match &self.deferred_index {
            Some(pending) => {
                let mut pending = pending.borrow_mut();
                let is_indexed = pending.get(&contact_id).is_some_and(|earlier| earlier.is_indexed) || row.is_indexed;
                pending.insert(contact_id, SearchRow { is_indexed, ..row });
                Ok(())
            }
            None => self.write_search_row(contact_id, &row),
        }
    }

    /// Writes the search rows a batch deferred.
    fn flush_index(&self) -> Result<()> {
        if let Some(pending) = &self.deferred_index {
            for (contact_id, row) in std::mem::take(&mut *pending.borrow_mut()) {
                self.write_search_row(contact_id, &row)?;
            }
        }
        Ok(())
    }

    fn write_search_row(&self, contact_id: ContactId, row: &SearchRow) -> Result<()> {
        if row.is_indexed {
            self.connection.prepare_cached("DELETE FROM contacts_fts WHERE rowid = ?1")?.execute([contact_id.0])?;
        }
        self.connection
            .prepare_cached(
                "INSERT INTO contacts_fts (rowid, names, company, emails, phones, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![contact_id.0, row.names, row.company, row.emails, row.phones, row.notes])?;
        Ok(())
    }

    /// Records the values of `given` keys with the writer's source (the user's for keys the
    /// user edited) and those of `derived` keys as derived.
    fn record_by_source(
        &self,
        contact_id: ContactId,
        draft: &ContactDraft,
        given: Vec<String>,
        derived: Vec<String>,
    ) -> Result<()> {
        let value_of = |key: String| {
            let value = draft.value_by_key(&key).unwrap_or_default();
            (key, value)
        };
        let (edited, given): (Vec<String>, Vec<String>) =
            given.into_iter().partition(|key| self.options.user_edited.contains(key));
        self.record_changes(contact_id, given.into_iter().map(value_of).collect(), self.options.source)?;
        self.record_changes(contact_id, edited.into_iter().map(value_of).collect(), Source::User)?;
        self.record_changes(contact_id, derived.into_iter().map(value_of).collect(), Source::Derived)
    }

    /// Records changes made together from one source in one row (see `change_row`).
    fn record_changes(&self, contact_id: ContactId, changes: Vec<(String, String)>, source: Source) -> Result<()> {
        match change_row(changes)? {
            Some((property, value)) => self.record(contact_id, &property, &value, source),
            None => Ok(()),
        }
    }

    /// Records a change; in a batch, rows are written in chunks (see `flush_history`).
    fn record(&self, contact_id: ContactId, property: &str, value: &str, source: Source) -> Result<()> {
        let seq = self.next_seq(contact_id)?;
        let is_full = self.pending_history.borrow_mut().push([
            Value::Integer(contact_id.0),
            Value::Integer(seq),
            Value::Text(property.to_string()),
            Value::Text(value.to_string()),
            Value::Text(source.key().to_string()),
        ]);
        // Outside a batch nothing waits: the next statement may read the history.
        if is_full || self.batch_id.is_none() {
            self.flush_history()?;
        }
        Ok(())
    }

    /// The next history sequence number of a contact. Only one contact is written at a time,
    /// so one cached counter suffices; changes of another contact start a new count.
    fn next_seq(&self, contact_id: ContactId) -> Result<i64> {
        let mut last = self.last_seq.borrow_mut();
        let seq = match *last {
            Some((cached_id, seq)) if cached_id == contact_id => seq + 1,
            _ => {
                // Rows of this contact may still wait in the buffer.
                let buffered = self.pending_history.borrow().rows().rev().find_map(|row| match row {
                    [Value::Integer(id), Value::Integer(seq), ..] if *id == contact_id.0 => Some(*seq),
                    _ => None,
                });
                let stored: i64 = self
                    .connection
                    .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM property_changes WHERE contact_id = ?1")?
                    .query_row([contact_id.0], |row| row.get(0))?;
                buffered.unwrap_or(0).max(stored) + 1
            }
        };
        *last = Some((contact_id, seq));
        Ok(seq)
    }

    fn flush_history(&self) -> Result<()> {
        self.pending_history.borrow_mut().flush(self.connection)
    }

    /// Queues a list membership of a batch.
    fn add_member(&self, list_id: i64, contact_id: ContactId) -> Result<()> {
        if self.pending_members.borrow_mut().push([Value::Integer(list_id), Value::Integer(contact_id.0)]) {
            self.pending_members.borrow_mut().flush(self.connection)?;
        }
        Ok(())
    }

    /// Queues the id a batch's source system gives a contact.
    fn set_external_id(&self, contact_id: ContactId, system: &str, value: &str) -> Result<()> {
        let row = [Value::Integer(contact_id.0), Value::Text(system.to_string()), Value::Text(value.to_string())];
        if self.pending_external_ids.borrow_mut().push(row) {
            self.pending_external_ids.borrow_mut().flush(self.connection)?;
        }
        Ok(())
    }

    /// Writes everything a batch buffered; a batch ends with it.
    fn finish(&self) -> Result<()> {
        self.flush_history()?;
        self.pending_members.borrow_mut().flush(self.connection)?;
        self.pending_external_ids.borrow_mut().flush(self.connection)?;
        self.flush_index()
    }
}

fn import_in<'a>(
    transaction: &Connection,
    region: &str,
    records: &mut (dyn Iterator<Item = std::result::Result<ImportRecord<'a>, String>> + Send),
    expected_total: usize,
    import: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    transaction.execute(
        "INSERT INTO import_batches (kind, label, source, at) VALUES (?1, ?2, ?3, ?4)",
        params![import.kind, import.label, import.source.key(), import.now.0],
    )?;
    let batch_id = transaction.last_insert_rowid();
    let options = WriteOptions {
        lifecycle_default: Some(import.lifecycle_default),
        drill_down_2: Some(import.kind.clone()),
        ..WriteOptions::new(import.source, import.now)
    };
    let writer = Writer::in_batch(transaction, &options, region, Some(batch_id));
    let mut report = ImportReport {
        n_skipped: import.n_skipped,
        n_invalid: import.n_invalid,
        dry_run: import.dry_run,
        ..ImportReport::default()
    };
    let import_list_id = match &import.list_name {
        Some(list_name) if !import.is_opt_out_list => {
            Some(ensure_batch_list(transaction, list_name, import.now, batch_id)?)
        }
        _ => None,
    };
    let mut list_ids: HashMap<String, i64> = HashMap::new();
    // Reading the records, parsing their phone numbers and preparing their rows is slow; a
    // helper thread does it ahead of the writer, in order, so that the writer mostly writes.
    let options = &options;
    std::thread::scope(|scope| -> Result<()> {
        // Records travel in chunks: one message per record cost more than writing it.
        let (sender, receiver) = crossbeam_channel::bounded::<Vec<ReadAhead<'a>>>(8);
        scope.spawn(move || {
            let mut chunk = Vec::with_capacity(RECORDS_PER_MESSAGE);
            for record in records {
                let item = record.and_then(|mut record| {
                    let prepared =
                        Prepared::of(&mut record, import, options, region).map_err(|error| error.to_string())?;
                    Ok((record, prepared))
                });
                let is_error = item.is_err();
                chunk.push(item);
                if chunk.len() == RECORDS_PER_MESSAGE || is_error {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(RECORDS_PER_MESSAGE));
                    // A failed read ends the stream once the writer has it.
                    if sender.send(full).is_err() || is_error {
                        return;
                    }
                }
            }
            let _ = sender.send(chunk);
        });
        let mut n_done = 0;
        for item in receiver.iter().flatten() {
            let (record, prepared) = item.map_err(Error::Input)?;
            n_done += 1;
            if n_done % 256 == 1 {
                progress(n_done, expected_total.max(n_done));
            }
            *writer.phone_hints.borrow_mut() = prepared.hints;
            let new_contact = prepared.new_contact;
            write_record(&writer, &record, new_contact, import, import_list_id, &mut list_ids, &mut report)?;
            if let Some(pending) = &writer.deferred_index
                && pending.borrow().len() >= DEFERRED_INDEX_MAX
            {
                writer.flush_index()?;
            }
        }
        progress(n_done, n_done);
        Ok(())
    })?;
    writer.finish()?;
    report.list = import_list_id.and(import.list_name.clone());
    let counts = [
        report.n_new,
        report.n_updated,
        report.n_unchanged,
        report.n_no_email,
        report.n_skipped,
        report.n_invalid,
        report.n_opted_out,
        report.n_bounced,
    ]
    .map(|n| n as i64);
    transaction.execute(
        "UPDATE import_batches SET n_new = ?2, n_updated = ?3, n_unchanged = ?4, n_no_email = ?5, n_skipped = ?6,
         n_invalid = ?7, n_opted_out = ?8, n_bounced = ?9 WHERE id = ?1",
        params![batch_id, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7]],
    )?;
    report.batch_id = Some(batch_id);
    Ok(report)
}

fn undo_in(connection: &Connection, region: &str, batch_id: i64, now: Timestamp) -> Result<UndoReport> {
    let undone_at: Option<Option<i64>> = connection
        .query_row("SELECT undone_at FROM import_batches WHERE id = ?1", [batch_id], |row| row.get(0))
        .optional()?;
    match undone_at {
        None => return Err(Error::NoSuchImport(batch_id)),
        Some(Some(_)) => return Err(Error::AlreadyUndone(batch_id)),
        Some(None) => (),
    }
    let ids_of = |sql: &str| -> Result<Vec<i64>> {
        let mut statement = connection.prepare(sql)?;
        let rows = statement.query_map([batch_id], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let created = ids_of("SELECT contact_id FROM property_changes WHERE batch_id = ?1 AND seq = 1")?;
    let touched = ids_of("SELECT DISTINCT contact_id FROM property_changes WHERE batch_id = ?1")?;
    let mut report = UndoReport { batch_id, ..UndoReport::default() };
    for &contact_id in &created {
        connection.prepare_cached("DELETE FROM contacts_fts WHERE rowid = ?1")?.execute([contact_id])?;
        connection.prepare_cached("DELETE FROM contacts WHERE id = ?1")?.execute([contact_id])?;
        report.n_deleted += 1;
    }
    let options = WriteOptions::new(Source::User, now);
    let writer = Writer::new(connection, &options, region);
    let created: std::collections::HashSet<i64> = created.into_iter().collect();
    for contact_id in touched.into_iter().filter(|contact_id| !created.contains(contact_id)) {
        let contact_id = ContactId(contact_id);
        let mut statement = connection.prepare_cached(
            "SELECT seq, property, value, batch_id FROM property_changes WHERE contact_id = ?1 ORDER BY seq",
        )?;
        let rows: Vec<(i64, String, String, Option<i64>)> = statement
            .query_map([contact_id.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        drop(statement);
        let first_batch_seq = rows.iter().find(|row| row.3 == Some(batch_id)).map_or(i64::MAX, |row| row.0);
        let mut before: HashMap<String, String> = HashMap::new();
        let mut offered: HashMap<String, String> = HashMap::new();
        let mut changed_since: std::collections::HashSet<String> = Default::default();
        for (seq, property, value, row_batch) in rows {
            for (key, value) in expand_change(property, value) {
                if row_batch == Some(batch_id) {
                    offered.insert(key, value);
                } else if seq < first_batch_seq {
                    before.insert(key, value);
                } else {
                    changed_since.insert(key);
                }
            }
        }
        let current = load_draft(connection, contact_id)?;
        let mut restored = current.clone();
        for (key, value) in &offered {
            let is_still_imported = current.value_by_key(key).unwrap_or_default() == *value;
            if changed_since.contains(key) || !is_still_imported {
                continue;
            }
            set_by_key(&mut restored, key, before.get(key).map(String::as_str).unwrap_or_default());
        }
        connection
            .prepare_cached("DELETE FROM property_changes WHERE contact_id = ?1 AND batch_id = ?2")?
            .execute(params![contact_id.0, batch_id])?;
        let company_id = contact_company_id(connection, contact_id)?;
        writer.write_row(Some(contact_id), &restored, company_id)?;
        report.n_restored += 1;
    }
    report.n_do_not_email_removed = connection.execute("DELETE FROM do_not_email WHERE batch_id = ?1", [batch_id])?;
    connection.execute("DELETE FROM external_ids WHERE batch_id = ?1", [batch_id])?;
    connection.execute("DELETE FROM list_members WHERE batch_id = ?1", [batch_id])?;
    connection.execute(
        "DELETE FROM lists WHERE batch_id = ?1 AND NOT EXISTS (SELECT 1 FROM list_members WHERE list_id = lists.id)",
        [batch_id],
    )?;
    connection.execute("UPDATE import_batches SET undone_at = ?2 WHERE id = ?1", params![batch_id, now.0])?;
    Ok(report)
}

/// Writes the search row of every live contact (after the search index was recreated).
pub(super) fn index_every_contact(connection: &Connection, region: &str) -> Result<()> {
    let ids: Vec<i64> = connection
        .prepare("SELECT id FROM contacts WHERE deleted_at IS NULL ORDER BY id")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let options = WriteOptions::new(Source::User, Timestamp(0));
    let writer = Writer::new(connection, &options, region);
    for contact_id in ids {
        writer.reindex(ContactId(contact_id))?;
    }
    Ok(())
}

/// Sets a property of a draft by its history key and history value (lists as JSON);
/// an empty value clears it.
fn set_by_key(draft: &mut ContactDraft, key: &str, value: &str) {
    match key.parse::<Property>() {
        Ok(Property::AdditionalEmails) => draft.additional_emails = serde_json::from_str(value).unwrap_or_default(),
        Ok(Property::AdditionalPhones) => draft.additional_phones = serde_json::from_str(value).unwrap_or_default(),
        Ok(property) => draft.set(property, value),
        Err(_) if value.is_empty() => {
            draft.custom.remove(key);
        }
        Err(_) => {
            draft.custom.insert(key.to_string(), value.to_string());
        }
    }
}

/// A record read ahead with what the reading thread prepared for it; or why reading failed.
type ReadAhead<'a> = std::result::Result<(ImportRecord<'a>, Prepared), String>;

/// What a batch's reading thread computes for a record ahead of the writer.
struct Prepared {
    /// The E.164 forms of its phone numbers (`None`: not a valid number), by raw value.
    hints: HashMap<String, Option<String>>,
    /// The contact it becomes if its address is new; `None` when it cannot create one.
    new_contact: Option<NewContact>,
}

impl Prepared {
    /// Prepares a record; a record that can create a contact hands its draft over to the
    /// prepared contact (see `NewContact::into_draft`).
    fn of(
        record: &mut ImportRecord<'_>,
        import: &ImportOptions,
        options: &WriteOptions,
        region: &str,
    ) -> Result<Prepared> {
        let hints: HashMap<String, Option<String>> =
            phone_numbers(&record.draft).map(|raw| (raw.to_string(), normalize_phone(raw, region))).collect();
        let can_create = !record.is_invalid && !import.is_opt_out_list && !record.draft.is_empty();
        let new_contact = if can_create {
            let normalized =
                hints.iter().filter_map(|(raw, normalized)| Some((raw.clone(), normalized.clone()?))).collect();
            let draft = std::mem::take(&mut record.draft).into_owned();
            Some(NewContact::of(draft, options, normalized)?)
        } else {
            None
        };
        Ok(Prepared { hints, new_contact })
    }
}

/// Records a message from the reading thread to the writer holds.
const RECORDS_PER_MESSAGE: usize = 256;

/// Search-index rows a batch keeps before writing them: bounded, so that a million-row
/// import does not hold them all.
const DEFERRED_INDEX_MAX: usize = 20_000;

/// Writes one record of a batch and counts what happened.
fn write_record(
    writer: &Writer<'_>,
    record: &ImportRecord<'_>,
    new_contact: Option<NewContact>,
    import: &ImportOptions,
    import_list_id: Option<i64>,
    list_ids: &mut HashMap<String, i64>,
    report: &mut ImportReport,
) -> Result<()> {
    if record.is_invalid {
        report.n_invalid += 1;
        return Ok(());
    }
    // A record that can create a contact handed its draft over to `new_contact`.
    let email_key = match &new_contact {
        Some(new) => new.parts.email_key.clone(),
        None => record.draft.get(Property::Email).map(normalize_email).filter(|key| !key.is_empty()),
    };
    if let Some(email_key) = &email_key {
        for reason in &record.do_not_email {
            writer
                .connection
                .prepare_cached(
                    "INSERT OR IGNORE INTO do_not_email (email_key, reason, source, at, batch_id) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![email_key, reason.key(), import.label, import.now.0, writer.batch_id])?;
        }
        if record.do_not_email.iter().any(|reason| reason.is_opt_out()) {
            report.n_opted_out += 1;
        }
        if record.do_not_email.contains(&DoNotEmailReason::Bounced) {
            report.n_bounced += 1;
        }
    }
    if import.is_opt_out_list {
        if email_key.is_none() {
            report.n_skipped += 1;
        }
        return Ok(());
    }
    if new_contact.is_none() && record.draft.is_empty() {
        report.n_skipped += 1;
        return Ok(());
    }
    let existing = match &email_key {
        Some(email_key) => writer.find_by_email_key(email_key)?,
        None => match &record.external_id {
            Some((system, value)) => writer.find_by_external_id(system, value)?,
            None => None,
        },
    };
    let is_allowed = match import.policy {
        ImportPolicy::Upsert => true,
        ImportPolicy::CreateOnly => existing.is_none(),
        ImportPolicy::UpdateOnly => existing.is_some(),
    };
    if !is_allowed {
        report.n_skipped += 1;
        return Ok(());
    }
    let outcome = match (existing, new_contact) {
        (None, Some(new)) => {
            let contact_id = writer.insert_new(new)?;
            Outcome { contact_id, kind: OutcomeKind::Created, conflicts: Vec::new(), has_email: email_key.is_some() }
        }
        (existing, Some(new)) => writer.apply_to(existing, &new.into_draft())?,
        (existing, None) => writer.apply_to(existing, &record.draft)?,
    };
    match outcome.kind {
        OutcomeKind::Created => report.n_new += 1,
        OutcomeKind::Updated => report.n_updated += 1,
        OutcomeKind::Unchanged => report.n_unchanged += 1,
    }
    if !outcome.has_email {
        report.n_no_email += 1;
    }
    report.conflicts.extend(outcome.conflicts);
    report.contact_ids.push(outcome.contact_id);
    let contact_id = outcome.contact_id;
    if let Some((system, value)) = &record.external_id {
        writer.set_external_id(contact_id, system, value)?;
    }
    if let Some(list_id) = import_list_id {
        writer.add_member(list_id, contact_id)?;
    }
    for list_name in &record.lists {
        let list_id = match list_ids.get(list_name) {
            Some(&list_id) => list_id,
            None => {
                let list_id =
                    ensure_batch_list(writer.connection, list_name, import.now, writer.batch_id.unwrap_or(0))?;
                list_ids.insert(list_name.clone(), list_id);
                list_id
            }
        };
        writer.add_member(list_id, contact_id)?;
    }
    Ok(())
}

/// Creates the list if needed, remembering the batch that created it; returns its id.
fn ensure_batch_list(connection: &Connection, name: &str, now: Timestamp, batch_id: i64) -> Result<i64> {
    let name = name.trim();
    connection
        .prepare_cached("INSERT OR IGNORE INTO lists (name, created_at, batch_id) VALUES (?1, ?2, ?3)")?
        .execute(params![name, now.0, batch_id])?;
    Ok(connection.prepare_cached("SELECT id FROM lists WHERE name = ?1")?.query_row([name], |row| row.get(0))?)
}

/// Every phone number of a draft, as written.
fn phone_numbers(draft: &ContactDraft) -> impl Iterator<Item = &str> {
    [Property::Phone, Property::MobilePhone, Property::Fax]
        .into_iter()
        .filter_map(|property| draft.get(property))
        .chain(draft.additional_phones.iter().map(|entry| entry.value.as_str()))
}

/// Creates the list if needed and returns its id.
pub(super) fn ensure_list(connection: &Connection, name: &str, now: Timestamp) -> Result<i64> {
    let name = name.trim();
    connection
        .prepare_cached("INSERT OR IGNORE INTO lists (name, created_at) VALUES (?1, ?2)")?
        .execute(params![name, now.0])?;
    Ok(connection.prepare_cached("SELECT id FROM lists WHERE name = ?1")?.query_row([name], |row| row.get(0))?)
}

pub(super) fn define_custom_property(connection: &Connection, name: &str, label: &str, now: Timestamp) -> Result<()> {
    let is_valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.parse::<Property>().is_err()
        && !matches!(name, "id" | "lists" | "do_not_email" | "external_id");
    if !is_valid {
        return Err(Error::InvalidPropertyName(name.to_string()));
    }
    connection
        .prepare_cached(
            "INSERT OR IGNORE INTO custom_property_definitions (name, label, created_at) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![name, label, now.0])?;
    Ok(())
}

/// The stored values of a contact as a draft (live or trashed).
pub(super) fn load_draft(connection: &Connection, contact_id: ContactId) -> Result<ContactDraft> {
    super::read::load_contact(connection, contact_id)?.map(|contact| contact.draft).ok_or(Error::NotFound(contact_id))
}

/// For each property, the source and time of the change that set its current value.
pub(super) fn current_sources(
    connection: &Connection,
    contact_id: ContactId,
) -> Result<BTreeMap<String, (Source, Timestamp)>> {
    let mut statement = connection.prepare_cached(
        "SELECT property, value, source, at FROM property_changes WHERE contact_id = ?1 ORDER BY seq",
    )?;
    let rows = statement.query_map([contact_id.0], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?, row.get::<_, i64>(3)?))
    })?;
    // Later changes replace earlier ones: what is left is the source of each current value.
    let mut sources = BTreeMap::new();
    for row in rows {
        let (property, value, source, at) = row?;
        if let Ok(source) = source.parse::<Source>() {
            for (property, _) in expand_change(property, value) {
                sources.insert(property, (source, Timestamp(at)));
            }
        }
    }
    Ok(sources)
}

fn is_trashed(connection: &Connection, contact_id: ContactId) -> Result<bool> {
    Ok(connection
        .prepare_cached("SELECT deleted_at IS NOT NULL FROM contacts WHERE id = ?1")?
        .query_row([contact_id.0], |row| row.get(0))?)
}

fn contact_company_id(connection: &Connection, contact_id: ContactId) -> Result<Option<i64>> {
    Ok(connection
        .prepare_cached("SELECT company_id FROM contacts WHERE id = ?1")?
        .query_row([contact_id.0], |row| row.get(0))?)
}

fn text_or_null(value: Option<&str>) -> ToSqlOutput<'_> {
    match value {
        Some(text) => ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(text.as_bytes())),
        None => ToSqlOutput::Owned(rusqlite::types::Value::Null),
    }
}

/// `acme-corp.co.uk` → `Acme-corp`: a readable company name until the user gives one.
fn name_from_domain(domain: &str) -> String {
    let label = domain.split('.').next().unwrap_or(domain);
    let mut characters = label.chars();
    characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
}

/// The key the contact list sorts by: last name, first name, else email, else company.
fn sort_name(draft: &ContactDraft) -> String {
    let name = format!(
        "{} {}",
        draft.get(Property::LastName).unwrap_or_default(),
        draft.get(Property::FirstName).unwrap_or_default()
    );
    let name = name.trim();
    let key = if !name.is_empty() {
        name
    } else {
        draft.get(Property::Email).or(draft.get(Property::Company)).unwrap_or_default()
    };
    key.to_lowercase()
}
