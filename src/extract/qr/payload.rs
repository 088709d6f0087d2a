//! The text of a code read as a contact: vCard (through the foundation's parser), MECARD,
//! BIZCARD, au MEMORY, MATMSG, `mailto:`, `smtp:`, `tel:`, a bare email address or URL.
//! Anything else is `Text`, shown raw. The result types follow ZXing's parsed results, and
//! every value is sanitized: no control character or escape sequence survives.
//!
//! Runs in linear time on any input and never panics; rxing's own result parser is never
//! used (it panics on MECARD, BIZCARD and MATMSG payloads with CJK text before a `;`).

mod docomo;
mod email;
mod vcard;

use crate::import::vcard::text::escape_text;
use crate::model::{ContactDraft, PhoneEntry, Property, sanitize_line, sanitize_text};

/// What kind of payload a code holds; ZXing's `ParsedResultType` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayloadKind {
    AddressBook,
    EmailAddress,
    Tel,
    Uri,
    Text,
}

/// A code's text, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// vCard, MECARD, BIZCARD or au MEMORY.
    AddressBook(Box<AddressBook>),
    /// MATMSG, `mailto:`, `smtp:` or a bare email address.
    Email(EmailMessage),
    /// `tel:`.
    Tel { number: String },
    /// A bare `http://`, `https://` or `www.` address.
    Uri { url: String },
    /// Anything else, sanitized for display (line breaks kept).
    Text(String),
}

/// A contact card. Lists keep the payload's order; empty values are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressBook {
    /// The display name: vCard FN (else N as "prefix given middle family suffix"), MECARD N
    /// ("last,first" becomes "first last"), BIZCARD "N X", MEMORY NAME1.
    pub names: Vec<String>,
    /// Only where the payload structures the name (vCard N, MECARD with a comma, BIZCARD).
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub nicknames: Vec<String>,
    /// MECARD SOUND, MEMORY NAME2: how the name is read.
    pub pronunciation: Option<String>,
    pub phones: Vec<TypedPhone>,
    pub emails: Vec<String>,
    /// Each address as one text; structured parts on separate lines.
    pub addresses: Vec<String>,
    /// The structured vCard ADRs, in order.
    pub address_parts: Vec<AddressParts>,
    pub org: Option<String>,
    pub title: Option<String>,
    pub urls: Vec<String>,
    pub birthday: Option<String>,
    pub note: Option<String>,
    /// The contact as rolo stores it; see `Payload::to_draft`.
    draft: ContactDraft,
}

/// A phone number with the type the payload gave it (`CELL`, `WORK`, `FAX`…), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedPhone {
    pub number: String,
    pub kind: Option<String>,
}

/// A structured postal address (vCard ADR); empty parts are empty strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressParts {
    pub po_box: String,
    pub extended: String,
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

/// An email to write: MATMSG, `mailto:`, `smtp:`, or just an address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailMessage {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
}

/// Reads a code's text. Never fails: what is not a known payload is `Payload::Text`.
pub fn parse_payload(text: &str) -> Payload {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if starts_with_ignoring_case(trimmed, "BEGIN:VCARD") {
        return Payload::AddressBook(Box::new(vcard::parse(trimmed)));
    }
    if let Some(payload) = docomo::parse(trimmed) {
        return payload;
    }
    if let Some(message) = email::parse(trimmed) {
        return Payload::Email(message);
    }
    if let Some(rest) = strip_prefix_ignoring_case(trimmed, "tel:") {
        let number = sanitize_line(rest).trim().to_string();
        if !number.is_empty() {
            return Payload::Tel { number };
        }
    }
    let single = text.trim();
    let is_url = ["http://", "https://", "www."].iter().any(|prefix| starts_with_ignoring_case(single, prefix))
        && single.len() > 8
        && !single.contains(char::is_whitespace);
    if is_url {
        return Payload::Uri { url: sanitize_line(single) };
    }
    Payload::Text(sanitize_text(text))
}

impl PayloadKind {
    /// `ADDRESSBOOK`, `EMAIL_ADDRESS`, `TEL`, `URI` or `TEXT`.
    pub fn key(self) -> &'static str {
        match self {
            PayloadKind::AddressBook => "ADDRESSBOOK",
            PayloadKind::EmailAddress => "EMAIL_ADDRESS",
            PayloadKind::Tel => "TEL",
            PayloadKind::Uri => "URI",
            PayloadKind::Text => "TEXT",
        }
    }
}

impl Payload {
    pub fn kind(&self) -> PayloadKind {
        match self {
            Payload::AddressBook(_) => PayloadKind::AddressBook,
            Payload::Email(_) => PayloadKind::EmailAddress,
            Payload::Tel { .. } => PayloadKind::Tel,
            Payload::Uri { .. } => PayloadKind::Uri,
            Payload::Text(_) => PayloadKind::Text,
        }
    }

    /// The contact the payload describes, for the review pane and `--save`: a card's
    /// values, the first recipient of an email, a phone number, a website. `None` for text
    /// (the user assigns its parts by hand) and for payloads without any value.
    pub fn to_draft(&self) -> Option<ContactDraft> {
        let mut draft = ContactDraft::default();
        match self {
            Payload::AddressBook(book) => draft = book.draft.clone(),
            Payload::Email(message) => {
                let mut addresses = message.to.iter().chain(&message.cc);
                if let Some(first) = addresses.next() {
                    draft.set(Property::Email, first.as_str());
                }
            }
            Payload::Tel { number } => draft.set(Property::Phone, number.as_str()),
            Payload::Uri { url } => draft.set(Property::Website, url.as_str()),
            Payload::Text(_) => return None,
        }
        (!draft.is_empty()).then_some(draft)
    }
}

impl AddressBook {
    /// The display name, if the payload has one.
    pub fn name(&self) -> Option<&str> {
        self.names.first().map(String::as_str)
    }

    /// Maps the fields to a draft, for the payloads that have no mapping of their own
    /// (MECARD, BIZCARD, MEMORY): the first of each kind fills the property, further phones
    /// are additional phones, further URLs and addresses and the birthday are kept as
    /// vCard lines that an export writes back.
    fn map_to_draft(&mut self) {
        let mut draft = ContactDraft::default();
        match (&self.given_name, &self.family_name) {
            (None, None) => {
                if let Some(name) = self.names.first() {
                    let (first, last) = split_name(name);
                    draft.set(Property::FirstName, first);
                    draft.set(Property::LastName, last);
                }
            }
            (given, family) => {
                draft.set(Property::FirstName, given.as_deref().unwrap_or_default());
                draft.set(Property::LastName, family.as_deref().unwrap_or_default());
            }
        }
        for email in &self.emails {
            let is_known = draft.get(Property::Email).is_some_and(|primary| primary.eq_ignore_ascii_case(email))
                || draft.additional_emails.iter().any(|known| known.eq_ignore_ascii_case(email));
            if draft.get(Property::Email).is_none() {
                draft.set(Property::Email, email.as_str());
            } else if !is_known {
                draft.additional_emails.push(email.clone());
            }
        }
        for phone in &self.phones {
            let (slot, kind) = match phone.kind.as_deref().map(str::to_ascii_uppercase).as_deref() {
                Some("CELL") => (Property::MobilePhone, "mobile".to_string()),
                Some("FAX") => (Property::Fax, "fax".to_string()),
                Some(kind) => (Property::Phone, kind.to_lowercase()),
                None => (Property::Phone, "other".to_string()),
            };
            if draft.get(slot).is_none() {
                draft.set(slot, phone.number.as_str());
            } else {
                draft.additional_phones.push(PhoneEntry { kind, value: phone.number.clone() });
            }
        }
        draft.set(Property::Company, self.org.as_deref().unwrap_or_default());
        draft.set(Property::JobTitle, self.title.as_deref().unwrap_or_default());
        if let Some((website, further)) = self.urls.split_first() {
            draft.set(Property::Website, website.as_str());
            draft.vcard_extra.extend(further.iter().map(|url| format!("URL:{}", escape_text(url))));
        }
        if let Some((address, further)) = self.addresses.split_first() {
            set_address(&mut draft, address);
            draft.vcard_extra.extend(further.iter().map(|address| format!("ADR:;;{};;;;", escape_text(address))));
        }
        draft.set(Property::Notes, self.note.as_deref().unwrap_or_default());
        if let Some(birthday) = &self.birthday {
            draft.vcard_extra.push(format!("BDAY:{}", escape_text(birthday)));
        }
        if !self.nicknames.is_empty() {
            let nicknames: Vec<String> = self.nicknames.iter().map(|nickname| escape_text(nickname)).collect();
            draft.vcard_extra.push(format!("NICKNAME:{}", nicknames.join(",")));
        }
        self.draft = draft;
    }
}

/// A MECARD or DoCoMo address: seven comma-separated parts (post office box, room, street,
/// city, region, postal code, country) when it has exactly that many, else one street text.
fn set_address(draft: &mut ContactDraft, address: &str) {
    let parts: Vec<&str> = address.split(',').map(str::trim).collect();
    if let [po_box, extended, street, city, region, postal_code, country] = parts[..] {
        let street_parts: Vec<&str> = [street, extended, po_box].into_iter().filter(|part| !part.is_empty()).collect();
        draft.set(Property::StreetAddress, street_parts.join(", "));
        draft.set(Property::City, city);
        draft.set(Property::State, region);
        draft.set(Property::PostalCode, postal_code);
        draft.set(Property::Country, country);
    } else {
        draft.set(Property::StreetAddress, address.lines().map(str::trim).collect::<Vec<_>>().join(", "));
    }
}

/// "Ada King Lovelace" → ("Ada King", "Lovelace"); one word is a first name.
fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    match name.rsplit_once(char::is_whitespace) {
        Some((first, last)) => (first.trim_end(), last),
        None => (name, ""),
    }
}

/// Removes control characters and escape sequences from every value of a draft. Notes and
/// other multi-line values keep their line breaks; blank values disappear.
pub(crate) fn sanitize_draft(draft: &mut ContactDraft) {
    let values = std::mem::take(&mut draft.values);
    for (property, value) in values {
        let clean = if matches!(property, Property::Notes) { sanitize_text(&value) } else { sanitize_line(&value) };
        draft.set(property, clean);
    }
    draft.additional_emails = clean_list(draft.additional_emails.iter().map(|email| sanitize_line(email)));
    draft.additional_phones = std::mem::take(&mut draft.additional_phones)
        .into_iter()
        .map(|phone| PhoneEntry { kind: sanitize_line(&phone.kind), value: sanitize_line(&phone.value).trim().into() })
        .filter(|phone| !phone.value.is_empty())
        .collect();
    draft.custom = std::mem::take(&mut draft.custom)
        .into_iter()
        .map(|(name, value)| (sanitize_line(&name), sanitize_text(&value).trim().to_string()))
        .filter(|(name, value)| !name.is_empty() && !value.is_empty())
        .collect();
    draft.vcard_extra = clean_list(draft.vcard_extra.iter().map(|line| sanitize_line(line)));
}

/// Trimmed, blank entries left out.
fn clean_list(values: impl Iterator<Item = String>) -> Vec<String> {
    values.map(|value| value.trim().to_string()).filter(|value| !value.is_empty()).collect()
}

/// A single-line value, sanitized and trimmed; `None` when nothing is left.
fn clean_line(value: &str) -> Option<String> {
    let clean = sanitize_line(value).trim().to_string();
    (!clean.is_empty()).then_some(clean)
}

/// A multi-line value (address, note, body), sanitized and trimmed; `None` when empty.
fn clean_text(value: &str) -> Option<String> {
    let clean = sanitize_text(value).trim().to_string();
    (!clean.is_empty()).then_some(clean)
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    starts_with_ignoring_case(text, prefix).then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests;
