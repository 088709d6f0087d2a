//! Phone numbers: the raw form is kept; an E.164 form is derived for search and dedupe.

use phonenumber::{Mode, country};

/// The E.164 form of `raw`, read in `default_region` (ISO 3166 alpha-2, e.g. "US", "DE")
/// when it has no country code; `None` when it is not a valid number.
pub fn normalize_phone(raw: &str, default_region: &str) -> Option<String> {
    let cleaned: String = raw.trim().trim_start_matches("tel:").to_string();
    if digits_only(&cleaned).len() < 3 {
        return None;
    }
    let region = default_region.to_ascii_uppercase().parse::<country::Id>().ok();
    let number = phonenumber::parse(region, &cleaned).ok()?;
    if !phonenumber::is_valid(&number) {
        return None;
    }
    Some(number.format().mode(Mode::E164).to_string())
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
}
