//! Phone numbers: the raw form is kept; an E.164 form is derived for search and dedupe.

use std::cell::RefCell;
use std::collections::HashMap;

use phonenumber::country;
use phonenumber::metadata::{DATABASE, Database, Descriptor, Metadata};
use regex::{Regex, RegexBuilder};

/// The E.164 form of `raw`, read in `default_region` (ISO 3166 alpha-2, e.g. "US", "DE")
/// when it has no country code; `None` when it is not a valid number.
pub fn normalize_phone(raw: &str, default_region: &str) -> Option<String> {
    let cleaned: String = raw.trim().trim_start_matches("tel:").to_string();
    if digits_only(&cleaned).len() < 3 {
        return None;
    }
    let region = default_region.to_ascii_uppercase().parse::<country::Id>().ok();
    let number = phonenumber::parse(region, &cleaned).ok()?;
    let national = number.national().to_string();
    is_valid(number.code().value(), &national).then(|| format!("+{}{national}", number.code().value()))
}

/// Whether a national number is valid in the country of `code`: libphonenumber's rule (the
/// region the number belongs to is found, its general pattern matches and so does the
/// pattern of one number type), as `phonenumber::is_valid` applies it. The patterns are
/// compiled once per thread here: the crate looks every pattern up in a shared cache by its
/// text, a lock and a hash of a long string each time, which made validation most of the
/// time spent reading an import.
pub fn is_valid(code: u16, national: &str) -> bool {
    region_of(code, national).is_some_and(|meta| has_number_type(meta, national))
}

/// The metadata of the region a number of country code `code` belongs to.
fn region_of(code: u16, national: &str) -> Option<&'static Metadata> {
    let database: &'static Database = &DATABASE;
    let regions = database.region(&code)?;
    if let [only] = regions.as_slice() {
        // "001": a non-geographic code (satellite, universal numbers), found by its code.
        return if *only == "001" { database.by_code(&code)?.into_iter().next() } else { database.by_id(*only) };
    }
    regions.into_iter().filter_map(|region| database.by_id(region)).find(|meta| match meta.leading_digits() {
        Some(leading) => starts_with_match(leading.as_str(), national),
        None => has_number_type(meta, national),
    })
}

/// The number matches the region's general pattern and the pattern of one number type.
fn has_number_type(meta: &'static Metadata, national: &str) -> bool {
    let descriptors = meta.descriptors();
    let types = [
        descriptors.premium_rate(),
        descriptors.toll_free(),
        descriptors.shared_cost(),
        descriptors.voip(),
        descriptors.personal_number(),
        descriptors.pager(),
        descriptors.uan(),
        descriptors.voicemail(),
        descriptors.fixed_line(),
        descriptors.mobile(),
    ];
    matches(descriptors.general(), national)
        && types.into_iter().flatten().any(|descriptor| matches(descriptor, national))
}

/// A descriptor matches a national number of one of its lengths that its pattern matches
/// from the first digit.
fn matches(descriptor: &'static Descriptor, national: &str) -> bool {
    let lengths = descriptor.possible_length();
    (lengths.is_empty() || lengths.contains(&(national.len() as u16)))
        && starts_with_match(descriptor.national_number().as_str(), national)
}

/// Whether `pattern` matches `text` from its start, with the pattern compiled once per thread
/// (metadata patterns are laid out over several lines: whitespace in them is not text).
fn starts_with_match(pattern: &'static str, text: &str) -> bool {
    thread_local! {
        // By the address of the pattern's text, which lives as long as the metadata.
        static COMPILED: RefCell<HashMap<usize, Option<Regex>>> = RefCell::new(HashMap::new());
    }
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        let regex = compiled
            .entry(pattern.as_ptr() as usize)
            .or_insert_with(|| RegexBuilder::new(&format!("^(?:{pattern})")).ignore_whitespace(true).build().ok());
        regex.as_ref().is_some_and(|regex| regex.is_match(text))
    })
}

/// Only the digits of a phone number, for matching regardless of formatting.
pub fn digits_only(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_with_and_without_country_code() {
        assert_eq!(normalize_phone("(650) 253-0000", "US").as_deref(), Some("+16502530000"));
        assert_eq!(normalize_phone("+49 30 901820", "US").as_deref(), Some("+4930901820"));
        assert_eq!(normalize_phone("030 901820", "de").as_deref(), Some("+4930901820"));
        assert_eq!(normalize_phone("tel:+44 20 7946 0958", "US").as_deref(), Some("+442079460958"));
        assert_eq!(normalize_phone("call me", "US"), None);
        assert_eq!(normalize_phone("12", "US"), None);
    }

    /// The validity rule agrees with the phonenumber crate's on every region's example
    /// numbers of every type, and on the same numbers one digit short and one digit long.
    #[test]
    fn validity_agrees_with_the_phonenumber_crate() {
        let mut n_checked = 0;
        let mut n_valid = 0;
        for meta in DATABASE.iter() {
            let descriptors = meta.descriptors();
            let examples = [
                Some(descriptors.general()),
                descriptors.fixed_line(),
                descriptors.mobile(),
                descriptors.toll_free(),
                descriptors.premium_rate(),
                descriptors.voip(),
                descriptors.uan(),
            ]
            .into_iter()
            .flatten()
            .filter_map(|descriptor| descriptor.example());
            for example in examples {
                for national in [example.to_string(), example[..example.len() - 1].to_string(), format!("{example}5")] {
                    let text = format!("+{} {national}", meta.country_code());
                    let Ok(number) = phonenumber::parse(None, &text) else { continue };
                    let expected = phonenumber::is_valid(&number);
                    let national = number.national().to_string();
                    assert_eq!(is_valid(number.code().value(), &national), expected, "{text}");
                    n_checked += 1;
                    n_valid += usize::from(expected);
                }
            }
        }
        assert!(n_checked > 1000 && n_valid > 500, "{n_checked} checked, {n_valid} valid");
    }
}
