//! The demo address book offered on first run, so that a new user sees something at once.

use super::Error;
use super::vcard::parse_vcards;
use crate::model::ContactDraft;

/// The import kind (original source drill-down 2) of demo contacts.
pub const IMPORT_KIND: &str = "demo";

/// A dozen made-up contacts, as vCard 3.0.
pub const DEMO_VCARD: &[u8] = include_bytes!("../../assets/demo.vcf");

/// The demo contacts as drafts.
pub fn drafts() -> Result<Vec<ContactDraft>, Error> {
    Ok(parse_vcards(DEMO_VCARD)?.into_drafts())
}

/// How many contacts the demo address book holds, counted without parsing it.
pub fn contact_count() -> usize {
    String::from_utf8_lossy(DEMO_VCARD).lines().filter(|line| line.trim().eq_ignore_ascii_case("BEGIN:VCARD")).count()
}
