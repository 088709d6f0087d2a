-- rolo schema, version 4: the straightened pictures of scanned business cards, kept with
-- the contact so that the card can be looked at again.
-- Migrations are append-only: never edit a shipped one.

CREATE TABLE card_images (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    format      TEXT NOT NULL,      -- 'jpeg'
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    image       BLOB NOT NULL,
    scanned_at  INTEGER NOT NULL
);
CREATE INDEX card_images_contact ON card_images(contact_id, scanned_at);
