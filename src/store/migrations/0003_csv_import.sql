-- rolo schema, version 3: what CSV migrations from other tools bring along.
-- Migrations are append-only: never edit a shipped one.

-- Addresses that must not be emailed, by normalize_email(address), with why: unsubscribed,
-- bounced or complained. Sticky: imports and edits only ever add rows; only undoing the
-- import that added a row removes it.
CREATE TABLE do_not_email (
    email_key   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    source      TEXT NOT NULL,      -- what said so, e.g. the imported file's name
    at          INTEGER NOT NULL,
    batch_id    INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    PRIMARY KEY (email_key, reason)
) WITHOUT ROWID;
CREATE INDEX do_not_email_batch ON do_not_email(batch_id) WHERE batch_id IS NOT NULL;

-- A contact's id in the system it was imported from (HubSpot Record ID, Salesforce Id…).
CREATE TABLE external_ids (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    system      TEXT NOT NULL,      -- the preset key, e.g. hubspot
    value       TEXT NOT NULL,
    batch_id    INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (contact_id, system)
) WITHOUT ROWID;
CREATE INDEX external_ids_value ON external_ids(system, value);

-- Which import put a contact on a list or created the list, so that an import can be undone.
ALTER TABLE list_members ADD COLUMN batch_id INTEGER;
ALTER TABLE lists ADD COLUMN batch_id INTEGER;
CREATE INDEX list_members_batch ON list_members(batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX property_changes_batch ON property_changes(batch_id) WHERE batch_id IS NOT NULL;

ALTER TABLE import_batches ADD COLUMN n_invalid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN n_opted_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN n_bounced INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_batches ADD COLUMN undone_at INTEGER;
