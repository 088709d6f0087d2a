//! Converters from what the scanners see to model values: decoded codes and their contact
//! payloads in, `ContactDraft`s out. Never touches the store or the UI, and never opens the
//! camera (frames come from `capture`).

pub mod card;
pub mod card_text;
pub mod ocr;
pub mod qr;
