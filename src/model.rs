//! The domain: contacts, their properties, where each value came from, and drafts that
//! importers and scanners hand to the store. No I/O happens here.

mod contact;
mod do_not_email;
mod freemail;
mod phone;
mod property;
mod sanitize;
mod source;

pub use contact::{Contact, ContactDraft, ContactId, ContactSummary, PhoneEntry, PropertyChange};
pub use do_not_email::DoNotEmailReason;
pub use freemail::{email_domain, is_free_mail_domain, normalize_email};
pub use phone::{digits_only, normalize_phone};
pub use property::{LifecycleStage, Property, STANDARD_PROPERTIES};
pub use sanitize::{sanitize_line, sanitize_text};
pub use source::{Source, Timestamp};
