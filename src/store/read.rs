//! Reading contacts: one contact, pages of the list (sorted, searched), history and sources.

use std::collections::BTreeMap;
use std::sync::Arc;

use rusqlite::types::ToSqlOutput;
use rusqlite::{Connection, OptionalExtension, Row, params_from_iter};

use super::write::expand_change;
use super::{Result, Store, column};
use crate::model::{
    Contact, ContactDraft, ContactId, ContactSummary, PhoneEntry, Property, PropertyChange, STANDARD_PROPERTIES,
    Source, Timestamp, normalize_email,
};

/// The contact list's sort columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    Company,
    Email,
    Updated,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [SortKey::Name, SortKey::Company, SortKey::Email, SortKey::Updated];

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Company => "company",
            SortKey::Email => "email",
            SortKey::Updated => "updated",
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            SortKey::Name => "contacts.sort_name",
            // These match the expression indexes of the schema exactly, so a page is read
            // from an index instead of sorting every contact.
            SortKey::Company => "contacts.company IS NULL, contacts.company COLLATE NOCASE",
            SortKey::Email => "contacts.email_key IS NULL, contacts.email_key",
            SortKey::Updated => "contacts.updated_at",
        }
    }
}

/// Which contacts to list, in what order, which page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Incremental search text; every word must match the start of a word in a name,
    /// company, email, phone or the notes.
    pub search: String,
    pub sort: SortKey,
    pub descending: bool,
    /// List the trash instead of live contacts.
    pub is_trash: bool,
    /// Only members of this static list.
    pub list_id: Option<i64>,
    pub offset: usize,
    pub limit: usize,
}

/// The last search's matches (see `Store::search_matches`).
#[derive(Debug)]
pub(super) struct SearchCache {
    expression: String,
    stamp: (i64, u64),
    ids: Arc<Vec<i64>>,
}

/// Rows a walk of the sort order reads before it gives up and sorts the matches instead.
const WALK_MAX: usize = if cfg!(test) { 100 } else { 8_000 };

/// Up to this many search matches are sorted; beyond it, the sort order is walked. Unit
/// tests lower it so that their small databases take both paths.
const SORTED_MATCHES_MAX: usize = if cfg!(test) { 50 } else { 20_000 };

const SUMMARY_COLUMNS: &str = "contacts.id, contacts.first_name, contacts.last_name, contacts.email, \
     COALESCE(contacts.phone, contacts.mobile_phone), contacts.company, contacts.job_title, contacts.lifecycle_stage, contacts.updated_at, \
     EXISTS (SELECT 1 FROM do_not_email WHERE do_not_email.email_key = contacts.email_key) \
     OR (contacts.additional_emails IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(contacts.additional_emails) AS address \
         JOIN do_not_email ON do_not_email.email_key = lower(trim(address.value))))";

impl Store {
    /// One contact, live or trashed.
    pub fn contact(&self, contact_id: ContactId) -> Result<Option<Contact>> {
        load_contact(&self.connection, contact_id)
    }

    pub fn contact_by_email(&self, email: &str) -> Result<Option<ContactId>> {
        let key = normalize_email(email);
        Ok(self
            .connection
            .prepare_cached("SELECT id FROM contacts WHERE email_key = ?1")?
            .query_row([key], |row| row.get(0))
            .optional()?
            .map(ContactId))
    }

    /// One page of the contact list. Pages past the middle are read from the other end, so
    /// that End costs what Home does.
    pub fn summaries(&self, query: &ListQuery) -> Result<Vec<ContactSummary>> {
        if query.limit == 0 || query.offset == 0 {
            return self.summaries_from_start(query);
        }
        let total = self.count(query)?;
        if query.offset >= total {
            return Ok(Vec::new());
        }
        if query.offset <= total / 2 {
            return self.summaries_from_start(query);
        }
        let n_rows = query.limit.min(total - query.offset);
        let from_end = ListQuery {
            descending: !query.descending,
            offset: total - query.offset - n_rows,
            limit: n_rows,
            ..query.clone()
        };
        let mut rows = self.summaries_from_start(&from_end)?;
        rows.reverse();
        Ok(rows)
    }

    fn summaries_from_start(&self, query: &ListQuery) -> Result<Vec<ContactSummary>> {
        let is_plain_search = !query.is_trash && query.list_id.is_none();
        match fts_match_expression(&query.search) {
            Some(expression) if is_plain_search => self.search_page(query, &expression),
            _ => {
                let (filter, arguments) = where_clause(query);
                self.sorted_page(query, &filter, arguments.into_iter().map(ToSqlOutput::Owned).collect())
            }
        }
    }

    /// A page of live contacts matching a search. Few matches are looked up and sorted; when
    /// many contacts match, the sort order is walked and the first matching rows are taken,
    /// which stops after a few rows instead of sorting tens of thousands.
    fn search_page(&self, query: &ListQuery, expression: &str) -> Result<Vec<ContactSummary>> {
        let matching_ids = self.search_matches(expression)?;
        if matching_ids.len() <= SORTED_MATCHES_MAX || query.limit == 0 {
            return self.sorted_page(query, "contacts.id IN rarray(?)", vec![id_array(&matching_ids)]);
        }
        let highest_id = matching_ids.iter().copied().max().unwrap_or(0).max(0) as usize;
        let mut is_match = vec![false; highest_id + 1];
        for &id in matching_ids.iter() {
            if let Some(slot) = usize::try_from(id).ok().and_then(|index| is_match.get_mut(index)) {
                *slot = true;
            }
        }
        let sql = format!(
            "SELECT contacts.id FROM contacts WHERE contacts.deleted_at IS NULL ORDER BY {}",
            order_clause(query)
        );
        let mut statement = self.connection.prepare_cached(&sql)?;
        let mut rows = statement.query([])?;
        let mut page_ids = Vec::with_capacity(query.limit);
        let mut n_skipped = 0;
        let mut n_walked = 0;
        while let Some(row) = rows.next()? {
            n_walked += 1;
            if n_walked > WALK_MAX {
                // The matches gather late in this order (e.g. one company, sorted by
                // company): sorting them is the cheaper way after all.
                drop(rows);
                return self.sorted_page(query, "contacts.id IN rarray(?)", vec![id_array(&matching_ids)]);
            }
            let id: i64 = row.get(0)?;
            if !usize::try_from(id).ok().and_then(|index| is_match.get(index).copied()).unwrap_or(false) {
                continue;
            }
            if n_skipped < query.offset {
                n_skipped += 1;
                continue;
            }
            page_ids.push(id);
            if page_ids.len() == query.limit {
                break;
            }
        }
        drop(rows);
        let page_query = ListQuery { offset: 0, ..query.clone() };
        self.sorted_page(&page_query, "contacts.id IN rarray(?)", vec![id_array(&page_ids)])
    }

    /// Sorted rows of `filter`, one page of them.
    fn sorted_page(
        &self,
        query: &ListQuery,
        filter: &str,
        mut arguments: Vec<ToSqlOutput<'static>>,
    ) -> Result<Vec<ContactSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM contacts WHERE {filter} ORDER BY {} LIMIT ? OFFSET ?",
            order_clause(query)
        );
        arguments.push(ToSqlOutput::from(if query.limit == 0 { -1 } else { query.limit as i64 }));
        arguments.push(ToSqlOutput::from(query.offset as i64));
        let mut statement = self.connection.prepare_cached(&sql)?;
        let rows = statement.query_map(params_from_iter(arguments), summary_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many contacts the query matches (ignoring offset and limit).
    pub fn count(&self, query: &ListQuery) -> Result<usize> {
        if !query.is_trash && query.list_id.is_none() {
            // Trashed contacts are not in the search index, so both counts are cheap.
            return match fts_match_expression(&query.search) {
                Some(expression) => self.n_search_matches(&expression),
                None => self.n_live(),
            };
        }
        let (filter, arguments) = where_clause(query);
        let sql = format!("SELECT COUNT(*) FROM contacts WHERE {filter}");
        let count: i64 =
            self.connection.prepare_cached(&sql)?.query_row(params_from_iter(arguments), |row| row.get(0))?;
        Ok(count as usize)
    }

    /// Live contacts: all rows minus the trash, both counted from B-tree sizes.
    fn n_live(&self) -> Result<usize> {
        let count: i64 =
            self.connection.prepare_cached("SELECT COUNT(*) FROM contacts")?.query_row([], |row| row.get(0))?;
        let trashed: i64 = self
            .connection
            .prepare_cached("SELECT COUNT(*) FROM contacts WHERE deleted_at IS NOT NULL")?
            .query_row([], |row| row.get(0))?;
        Ok((count - trashed) as usize)
    }

    /// Forgets the remembered answer of the last search, so that the next search reads the
    /// index again, as a new keystroke does; benchmarks measure keystrokes with it.
    pub fn forget_search_cache(&self) {
        self.search_cache.borrow_mut().take();
    }

    fn n_search_matches(&self, expression: &str) -> Result<usize> {
        Ok(self.search_matches(expression)?.len())
    }

    /// The ids of the live contacts matching a search expression. The last answer is kept
    /// until the database changes, so the count and the page of one keystroke share one
    /// index lookup.
    fn search_matches(&self, expression: &str) -> Result<Arc<Vec<i64>>> {
        // data_version moves when another connection commits, total_changes when this one writes.
        let data_version: i64 = self.connection.query_row("PRAGMA data_version", [], |row| row.get(0))?;
        let stamp = (data_version, self.connection.total_changes());
        let mut cache = self.search_cache.borrow_mut();
        if let Some(cached) = cache.as_ref().filter(|cached| cached.expression == expression && cached.stamp == stamp) {
            return Ok(Arc::clone(&cached.ids));
        }
        let ids: Vec<i64> = self
            .connection
            .prepare_cached("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1")?
            .query_map([expression], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let ids = Arc::new(ids);
        *cache = Some(SearchCache { expression: expression.to_string(), stamp, ids: Arc::clone(&ids) });
        Ok(ids)
    }

    /// Every live contact (or every trashed one), in id order; for export and `list --json`.
    pub fn all_contacts(&self, is_trash: bool) -> Result<Vec<Contact>> {
        let filter = if is_trash { "deleted_at IS NOT NULL" } else { "deleted_at IS NULL" };
        let sql = format!("SELECT {} FROM contacts WHERE {filter} ORDER BY id", contact_columns());
        let mut statement = self.connection.prepare(&sql)?;
        let mut contacts: Vec<Contact> = statement.query_map([], contact_from_row)?.collect::<rusqlite::Result<_>>()?;
        let mut custom: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
        let mut statement = self.connection.prepare("SELECT contact_id, name, value FROM custom_values")?;
        for row in statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?)))? {
            let (contact_id, name, value) = row?;
            custom.entry(contact_id).or_default().push((name, value));
        }
        for contact in &mut contacts {
            if let Some(values) = custom.remove(&contact.id.0) {
                contact.draft.custom.extend(values);
            }
        }
        Ok(contacts)
    }

    /// Every recorded change of a contact's properties, newest first.
    pub fn history(&self, contact_id: ContactId) -> Result<Vec<PropertyChange>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT property, value, source, at FROM property_changes WHERE contact_id = ?1 ORDER BY seq DESC",
        )?;
        let rows = statement.query_map([contact_id.0], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?, row.get::<_, i64>(3)?))
        })?;
        let mut changes = Vec::new();
        for row in rows {
            let (property, value, source, at) = row?;
            let Ok(source) = source.parse() else { continue };
            for (property, value) in expand_change(property, value) {
                changes.push(PropertyChange { contact_id, property, value, source, at: Timestamp(at) });
            }
        }
        Ok(changes)
    }

    /// For each property with history: the source and time of its current value.
    pub fn current_sources(&self, contact_id: ContactId) -> Result<BTreeMap<String, (Source, Timestamp)>> {
        super::write::current_sources(&self.connection, contact_id)
    }

    /// "Was this property ever set by `source`?" (e.g. by the user), over the whole history.
    pub fn was_ever_set_by(&self, contact_id: ContactId, property: &str, source: Source) -> Result<bool> {
        Ok(self
            .history(contact_id)?
            .iter()
            .any(|change| change.property == property && change.source == source && !change.value.is_empty()))
    }

    /// "Which properties were filled by `source`?": those whose current value came from it.
    pub fn properties_filled_by(&self, contact_id: ContactId, source: Source) -> Result<Vec<String>> {
        let contact = self.contact(contact_id)?;
        let Some(contact) = contact else { return Ok(Vec::new()) };
        Ok(self
            .current_sources(contact_id)?
            .into_iter()
            .filter(|(property, (current, _))| *current == source && contact.draft.value_by_key(property).is_some())
            .map(|(property, _)| property)
            .collect())
    }

    /// Contacts (live) that have at least one current value from `source`, with those properties.
    pub fn contacts_filled_by(&self, source: Source) -> Result<Vec<(ContactId, Vec<String>)>> {
        let mut statement = self.connection.prepare(
            "SELECT changes.contact_id, changes.property, changes.value, changes.source FROM property_changes AS changes
             JOIN contacts ON contacts.id = changes.contact_id AND contacts.deleted_at IS NULL
             ORDER BY changes.contact_id, changes.seq",
        )?;
        let mut rows = statement.query([])?;
        let mut filled: Vec<(ContactId, Vec<String>)> = Vec::new();
        // Per contact: the source and value of the latest change of each property.
        let mut current: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut current_id: Option<i64> = None;
        let mut finish = |contact_id: Option<i64>, current: &mut BTreeMap<String, (String, String)>| {
            let properties: Vec<String> = std::mem::take(current)
                .into_iter()
                .filter(|(_, (value, from))| from == source.key() && !value.is_empty())
                .map(|(property, _)| property)
                .collect();
            if let (Some(contact_id), false) = (contact_id, properties.is_empty()) {
                filled.push((ContactId(contact_id), properties));
            }
        };
        while let Some(row) = rows.next()? {
            let contact_id: i64 = row.get(0)?;
            if current_id != Some(contact_id) {
                finish(current_id, &mut current);
                current_id = Some(contact_id);
            }
            let from: String = row.get(3)?;
            for (property, value) in expand_change(row.get(1)?, row.get(2)?) {
                current.insert(property, (value, from.clone()));
            }
        }
        finish(current_id, &mut current);
        Ok(filled)
    }
}

/// `ORDER BY` of a list query: the sort key's columns, then the id, in one direction.
fn order_clause(query: &ListQuery) -> String {
    let direction = if query.descending { "DESC" } else { "ASC" };
    query
        .sort
        .order_by()
        .split(", ")
        .chain(std::iter::once("contacts.id"))
        .map(|part| format!("{part} {direction}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Contact ids as one `rarray(?)` argument.
fn id_array(ids: &[i64]) -> ToSqlOutput<'static> {
    let array: rusqlite::vtab::array::Array =
        std::rc::Rc::new(ids.iter().copied().map(rusqlite::types::Value::Integer).collect());
    ToSqlOutput::from_rc(array, c"rarray")
}

/// The SQL filter and its arguments for a list query.
fn where_clause(query: &ListQuery) -> (String, Vec<rusqlite::types::Value>) {
    let mut conditions = vec![
        if query.is_trash { "contacts.deleted_at IS NOT NULL" } else { "contacts.deleted_at IS NULL" }.to_string(),
    ];
    let mut arguments = Vec::new();
    if query.is_trash {
        // Trashed contacts are not in the search index; the trash is small enough to scan.
        for word in search_words(&query.search) {
            conditions.push(
                "(contacts.first_name LIKE ?1 OR contacts.last_name LIKE ?1 OR contacts.email LIKE ?1 \
                  OR contacts.company LIKE ?1 OR contacts.phone LIKE ?1 OR contacts.mobile_phone LIKE ?1)"
                    .replace("?1", "?"),
            );
            let pattern = format!("%{}%", word.replace(['%', '_'], ""));
            arguments.extend(std::iter::repeat_n(rusqlite::types::Value::Text(pattern), 6));
        }
    } else if let Some(match_expression) = fts_match_expression(&query.search) {
        conditions.push("contacts.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)".to_string());
        arguments.push(rusqlite::types::Value::Text(match_expression));
    }
    if let Some(list_id) = query.list_id {
        conditions.push("contacts.id IN (SELECT contact_id FROM list_members WHERE list_id = ?)".to_string());
        arguments.push(rusqlite::types::Value::Integer(list_id));
    }
    (conditions.join(" AND "), arguments)
}

/// The words of what the user typed, as the search index's tokenizer (unicode61) cuts
/// them: runs of letters, digits and private-use characters; accents written as combining
/// marks are left out. Every word must be one token of the index: the index keeps no
/// positions (schema 5), so a term that is two tokens (a phrase) is an error.
fn search_words(search: &str) -> impl Iterator<Item = String> + '_ {
    // The combining accents unicode61 folds away inside a word (its mask over U+0300–U+0331).
    let is_diacritic = |character: char| match u32::from(character) {
        code @ 768..800 => 0x0802_9FDF_u32 & (1 << (code - 768)) != 0,
        code @ 800..=817 => 0x0003_61F8_u32 & (1 << (code - 800)) != 0,
        _ => false,
    };
    let is_word_character = |character: char| {
        let is_private_use = ('\u{E000}'..='\u{F8FF}').contains(&character) || character >= '\u{F0000}';
        // Letters in circles and squares are symbols to the tokenizer.
        let is_enclosed =
            ('\u{24B6}'..='\u{24E9}').contains(&character) || ('\u{1F130}'..='\u{1F189}').contains(&character);
        is_private_use
            || (character.is_alphanumeric()
                && !is_enclosed
                && !unicode_normalization::char::is_combining_mark(character))
    };
    search
        .split(move |character: char| !is_word_character(character) && !is_diacritic(character))
        .map(move |word| word.chars().filter(|&character| !is_diacritic(character)).collect::<String>())
        .filter(|word| !word.is_empty())
}

/// Turns what the user typed into an FTS5 query: every word as a quoted prefix term.
/// Quoting keeps FTS5 syntax characters in the input from being read as operators.
pub(super) fn fts_match_expression(search: &str) -> Option<String> {
    let terms: Vec<String> = search_words(search).map(|word| format!("\"{word}\"*")).collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<ContactSummary> {
    let text = |index| row.get::<_, Option<String>>(index).map(Option::unwrap_or_default);
    Ok(ContactSummary {
        id: ContactId(row.get(0)?),
        first_name: text(1)?,
        last_name: text(2)?,
        email: text(3)?,
        phone: text(4)?,
        company: text(5)?,
        job_title: text(6)?,
        lifecycle_stage: text(7)?,
        updated_at: Timestamp(row.get(8)?),
        is_do_not_email: row.get(9)?,
    })
}

/// The standard property columns, then the rest of the row, in the order `contact_from_row` reads.
fn contact_columns() -> String {
    let mut columns: Vec<String> = vec!["id".into()];
    for property in STANDARD_PROPERTIES {
        columns.push(column(property).to_string());
    }
    for property in STANDARD_PROPERTIES.into_iter().filter(|property| property.is_phone()) {
        columns.push(format!("{}_e164", column(property)));
    }
    columns.extend(["vcard_extra", "company_id", "created_at", "updated_at", "deleted_at"].map(String::from));
    columns.join(", ")
}

fn contact_from_row(row: &Row<'_>) -> rusqlite::Result<Contact> {
    let mut draft = ContactDraft::default();
    let mut index = 1;
    for property in STANDARD_PROPERTIES {
        let value: Option<String> = row.get(index)?;
        index += 1;
        let Some(value) = value else { continue };
        match property {
            Property::AdditionalEmails => draft.additional_emails = serde_json::from_str(&value).unwrap_or_default(),
            Property::AdditionalPhones => {
                draft.additional_phones = serde_json::from_str::<Vec<PhoneEntry>>(&value).unwrap_or_default()
            }
            _ => draft.set(property, value),
        }
    }
    let mut normalized_phones = BTreeMap::new();
    for property in STANDARD_PROPERTIES.into_iter().filter(|property| property.is_phone()) {
        if let Some(value) = row.get::<_, Option<String>>(index)? {
            normalized_phones.insert(property, value);
        }
        index += 1;
    }
    let extra: Option<String> = row.get(index)?;
    draft.vcard_extra = extra.map(|text| text.lines().map(str::to_string).collect()).unwrap_or_default();
    Ok(Contact {
        id: ContactId(row.get(0)?),
        draft,
        normalized_phones,
        company_id: row.get(index + 1)?,
        created_at: Timestamp(row.get(index + 2)?),
        updated_at: Timestamp(row.get(index + 3)?),
        deleted_at: row.get::<_, Option<i64>>(index + 4)?.map(Timestamp),
    })
}

pub(super) fn load_contact(connection: &Connection, contact_id: ContactId) -> Result<Option<Contact>> {
    let sql = format!("SELECT {} FROM contacts WHERE id = ?1", contact_columns());
    let Some(mut contact) = connection.prepare_cached(&sql)?.query_row([contact_id.0], contact_from_row).optional()?
    else {
        return Ok(None);
    };
    let mut statement = connection.prepare_cached("SELECT name, value FROM custom_values WHERE contact_id = ?1")?;
    for row in statement.query_map([contact_id.0], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))? {
        let (name, value) = row?;
        contact.draft.custom.insert(name, value);
    }
    Ok(Some(contact))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_quoted_prefix_terms() {
        assert_eq!(fts_match_expression("ada lov").as_deref(), Some("\"ada\"* \"lov\"*"));
        assert_eq!(fts_match_expression("ada@acme.c").as_deref(), Some("\"ada\"* \"acme\"* \"c\"*"));
        assert_eq!(fts_match_expression("\"OR* NEAR("), Some("\"OR\"* \"NEAR\"*".to_string()));
        assert_eq!(fts_match_expression("  -- "), None);
    }

    #[test]
    fn search_words_are_cut_where_the_index_tokenizer_cuts() {
        // A decomposed accent stays in its word; other marks, circled letters and
        // punctuation end it.
        assert_eq!(fts_match_expression("Jose\u{301} o'brien").as_deref(), Some("\"Jose\"* \"o\"* \"brien\"*"));
        assert_eq!(fts_match_expression("हिंदी").as_deref(), Some("\"ह\"* \"द\"*"));
        assert_eq!(fts_match_expression("Ⓐx").as_deref(), Some("\"x\"*"));
    }
}
