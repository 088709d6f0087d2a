-- rolo schema, version 5: fewer bytes written for every imported contact.
-- Migrations are append-only: never edit a shipped one.

-- Only undoing an import looked list memberships and history rows up by batch; it now
-- scans, and an import no longer maintains two more B-trees for every contact.
DROP INDEX list_members_batch;
DROP INDEX property_changes_batch;

-- The search index keeps which column of which contact holds a word, not where in the
-- column: a search is words that must each start a word somewhere in the contact (no
-- phrases), which needs nothing more. A third less to write and store;
-- without the columns (detail = none) prefix searches longer than three letters took twice
-- as long. The store writes every live contact's row again after this migration.
DROP TABLE contacts_fts;
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    names, company, emails, phones, notes,
    content = '',
    contentless_delete = 1,
    detail = column,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('hashsize', 33554432);
