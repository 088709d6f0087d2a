//! The pictures of scanned business cards, kept with their contact.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store};
use crate::model::{ContactId, Timestamp};

/// A stored card picture, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardImageInfo {
    pub id: i64,
    pub contact_id: ContactId,
    pub width: u32,
    pub height: u32,
    pub scanned_at: Timestamp,
    /// The size of the encoded picture in bytes.
    pub size: usize,
}

/// An encoded card picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardImage {
    /// `jpeg`.
    pub format: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Inserts a card picture on `connection` (a transaction, or the store's connection).
pub(super) fn insert(
    connection: &Connection,
    contact_id: ContactId,
    image: &CardImage,
    scanned_at: Timestamp,
) -> Result<i64> {
    connection.execute(
        "INSERT INTO card_images (contact_id, format, width, height, image, scanned_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![contact_id.0, image.format, image.width, image.height, image.bytes, scanned_at.0],
    )?;
    Ok(connection.last_insert_rowid())
}

impl Store {
    /// Keeps a card picture with the contact; returns its id.
    pub fn add_card_image(&self, contact_id: ContactId, image: &CardImage, scanned_at: Timestamp) -> Result<i64> {
        insert(&self.connection, contact_id, image, scanned_at).map_err(|error| self.classify(error))
    }

    /// The contact's card pictures, newest first.
    pub fn card_images(&self, contact_id: ContactId) -> Result<Vec<CardImageInfo>> {
        let mut statement = self.connection.prepare_cached(
            "SELECT id, width, height, scanned_at, length(image) FROM card_images
             WHERE contact_id = ?1 ORDER BY scanned_at DESC, id DESC",
        )?;
        let rows = statement.query_map([contact_id.0], |row| {
            Ok(CardImageInfo {
                id: row.get(0)?,
                contact_id,
                width: row.get(1)?,
                height: row.get(2)?,
                scanned_at: Timestamp(row.get(3)?),
                size: row.get::<_, i64>(4)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One card picture with its bytes.
    pub fn card_image(&self, id: i64) -> Result<Option<CardImage>> {
        Ok(self
            .connection
            .query_row("SELECT format, width, height, image FROM card_images WHERE id = ?1", [id], |row| {
                Ok(CardImage { format: row.get(0)?, width: row.get(1)?, height: row.get(2)?, bytes: row.get(3)? })
            })
            .optional()?)
    }
}
