-- rolo schema, version 1. Migrations are append-only: never edit a shipped one.

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    domain      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name        TEXT NOT NULL,
    website     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Standard properties are columns: the list, search and sort read them without joins.
-- NULL means "no value"; the store never writes empty strings.
CREATE TABLE contacts (
    id                            INTEGER PRIMARY KEY,
    first_name                    TEXT,
    last_name                     TEXT,
    email                         TEXT,
    -- normalize_email(email): the dedupe key, unique over live and trashed contacts.
    email_key                     TEXT,
    additional_emails             TEXT,   -- JSON array of strings
    additional_phones             TEXT,   -- JSON array of {"type", "value"}
    job_title                     TEXT,
    company                       TEXT,
    phone                         TEXT,
    phone_e164                    TEXT,
    mobile_phone                  TEXT,
    mobile_phone_e164             TEXT,
    fax                           TEXT,
    fax_e164                      TEXT,
    website                       TEXT,
    street_address                TEXT,
    city                          TEXT,
    state                         TEXT,
    postal_code                   TEXT,
    country                       TEXT,
    lifecycle_stage               TEXT,
    owner                         TEXT,
    original_source               TEXT,
    original_source_drill_down_1  TEXT,
    original_source_drill_down_2  TEXT,
    notes                         TEXT,
    -- vCard lines rolo does not model, one per line, written back on export.
    vcard_extra                   TEXT,
    company_id                    INTEGER REFERENCES companies(id) ON DELETE SET NULL,
    -- Lowercased display name for sorting the list.
    sort_name                     TEXT NOT NULL DEFAULT '',
    created_at                    INTEGER NOT NULL,
    updated_at                    INTEGER NOT NULL,
    deleted_at                    INTEGER
);
-- Not a partial index: a bound value that decides whether a partial index applies makes
-- SQLite prepare the statement again on every call. NULLs never collide in a UNIQUE index.
CREATE UNIQUE INDEX contacts_email_key ON contacts(email_key);
CREATE INDEX contacts_sort_name ON contacts(sort_name);
-- The list's sort orders (read::SortKey), contacts without a value last.
CREATE INDEX contacts_company ON contacts(company IS NULL, company COLLATE NOCASE);
CREATE INDEX contacts_email ON contacts(email_key IS NULL, email_key);
CREATE INDEX contacts_updated_at ON contacts(updated_at);
CREATE INDEX contacts_deleted_at ON contacts(deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE custom_property_definitions (
    name        TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE custom_values (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    name        TEXT NOT NULL REFERENCES custom_property_definitions(name) ON DELETE CASCADE,
    value       TEXT NOT NULL,
    PRIMARY KEY (contact_id, name)
) WITHOUT ROWID;

CREATE TABLE import_batches (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,      -- e.g. vcard-import
    label       TEXT NOT NULL,      -- e.g. the file names
    source      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    n_new       INTEGER NOT NULL DEFAULT 0,
    n_updated   INTEGER NOT NULL DEFAULT 0,
    n_unchanged INTEGER NOT NULL DEFAULT 0,
    n_no_email  INTEGER NOT NULL DEFAULT 0,
    n_skipped   INTEGER NOT NULL DEFAULT 0
);

-- Every property change: its value, where it came from and when. Clustered by contact
-- (WITHOUT ROWID): the history is read a contact at a time, and one B-tree instead of a
-- table plus an index keeps large imports fast.
CREATE TABLE property_changes (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,   -- the order of this contact's changes, from 1
    property    TEXT NOT NULL,      -- standard key or custom name
    value       TEXT NOT NULL,      -- '' when cleared; JSON for list properties
    source      TEXT NOT NULL,      -- model::Source key
    at          INTEGER NOT NULL,
    batch_id    INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    PRIMARY KEY (contact_id, seq)
) WITHOUT ROWID;

CREATE TABLE lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE list_members (
    list_id     INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    added_at    INTEGER NOT NULL,
    PRIMARY KEY (list_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX list_members_contact ON list_members(contact_id);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
) WITHOUT ROWID;

-- Search: maintained by the store on every contact write; rowid = contacts.id. Contentless
-- (the text lives in contacts), with deletes allowed.
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    names, company, emails, phones, notes,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
