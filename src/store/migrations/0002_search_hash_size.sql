-- rolo schema, version 2: a larger in-memory search hash. FTS5 writes its pending terms to a
-- new on-disk segment (and merges segments) each time the hash outgrows this size; with the
-- prefix indexes a 1 MiB hash filled every few hundred contacts and large imports spent a
-- third of their time merging. 32 MiB is held only while a write transaction is open.
INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('hashsize', 33554432);
