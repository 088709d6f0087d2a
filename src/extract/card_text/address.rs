//! Postal addresses on a card: the postal code and city line in the formats of many
//! countries (US "City, ST 12345", UK postcodes, NL "1234 AB City", SE "123 45 City", five
//! and four digit codes), street lines, and country names.

use std::sync::LazyLock;

use regex::Regex;

use super::agreement::edit_distance;
use super::lexicon;

/// A postal code with its city (and US state) read from one line.
#[derive(Debug, Clone, PartialEq)]
pub struct PostalLine {
    pub postal_code: String,
    pub city: Option<String>,
    pub state: Option<String>,
    /// A country printed after the city, as in "75001 Paris, France".
    pub country: Option<String>,
    pub confidence: f32,
}

static US_CITY_STATE_ZIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<city>[^\d,]*?[\p{L}.'])\s*,?\s+(?P<state>[A-Z]{2})\.?,?\s+(?P<code>\d{5}(?:-\d{4})?)\b\s*,?\s*(?P<after>.*)$")
        .expect("the US address pattern is a valid regex")
});

static UK_POSTCODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<code>[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\b").expect("the UK postcode pattern is a valid regex")
});

/// Postal code first, then the city: NL "1234 AB", PT "1234-567", SE "123 45", CA "A1A 1A1",
/// five and four digits, each optionally after a country prefix such as "D-" or "CH-".
static CODE_THEN_CITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[A-Z]{1,3}[-‐ ])?(?P<code>\d{4}\s?[A-Z]{2}|\d{4}-\d{3}|\d{3}\s\d{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{5}|\d{4})\b[\s,]+(?P<city>\p{L}.*)$",
    )
    .expect("the postal code pattern is a valid regex")
});

/// City first, then a code: "Lisboa 1000-001", "Berlin 10115".
static CITY_THEN_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<city>\p{L}[\p{L} .'\-]*?)[\s,]+(?P<code>\d{4}-\d{3}|\d{5}|\d{3}\s\d{2}|\d{4})$")
        .expect("the city-code pattern is a valid regex")
});

/// Reads `text` as a postal code and city line.
pub fn read_postal_line(text: &str, region: &str) -> Option<PostalLine> {
    let text = text.trim().trim_matches(|character: char| matches!(character, '|' | ',' | '-' | '—' | '–'));
    let text = text.trim();
    if let Some(captures) = US_CITY_STATE_ZIP.captures(text)
        && lexicon::STATE_CODES.contains(&&captures["state"])
    {
        let after = captures["after"].trim();
        let country = is_country(after).then(|| after.to_string());
        return Some(PostalLine {
            postal_code: captures["code"].to_string(),
            city: non_empty(&captures["city"]),
            state: Some(captures["state"].to_string()),
            country,
            confidence: 0.9,
        });
    }
    if let Some(captures) = UK_POSTCODE.captures(text) {
        let code = captures.name("code")?;
        let before = text[..code.start()].trim().trim_end_matches(',').trim();
        let after = text[code.end()..].trim().trim_start_matches(',').trim();
        // Neither side may look like a street or a sentence: the rest is the town.
        let (city, country) = split_country(if before.is_empty() { after } else { before });
        let city_is_plausible = city.as_deref().is_none_or(is_place_name);
        if city_is_plausible && !has_digits(before) && !has_digits(after) {
            return Some(PostalLine {
                postal_code: code.as_str().to_string(),
                city,
                state: None,
                country,
                confidence: 0.85,
            });
        }
    }
    if let Some(captures) = CODE_THEN_CITY.captures(text) {
        let code = captures["code"].to_string();
        let (city, country) = split_country(&captures["city"]);
        let city_text = city.clone().unwrap_or_default();
        // "1600 Amphitheatre Parkway" is a street with a house number, not a postal code.
        if !is_place_name(&city_text) || city_text.split_whitespace().any(lexicon::is_street_word) {
            return None;
        }
        let digit_count = code.chars().filter(char::is_ascii_digit).count();
        let is_four_digits = digit_count == 4 && code.chars().all(|character| character.is_ascii_digit());
        let confidence = match (is_four_digits, uses_four_digit_codes(region)) {
            (false, _) => 0.85,
            (true, true) => 0.75,
            // "6400 Melissa Roads" on a US card is a house number and a street.
            (true, false) => 0.45,
        };
        return Some(PostalLine { postal_code: code, city, state: None, country, confidence });
    }
    if let Some(captures) = CITY_THEN_CODE.captures(text) {
        let city = captures["city"].trim().to_string();
        if is_place_name(&city) && !city.split_whitespace().any(lexicon::is_street_word) {
            return Some(PostalLine {
                postal_code: captures["code"].to_string(),
                city: Some(city),
                state: None,
                country: None,
                confidence: 0.65,
            });
        }
    }
    None
}

/// True for countries whose postal codes are four digits.
fn uses_four_digit_codes(region: &str) -> bool {
    let region = region.to_ascii_uppercase();
    [
        "AT", "AU", "BE", "BG", "CH", "CY", "DK", "GE", "GL", "HU", "LI", "LU", "LV", "MK", "NL", "NO", "NZ", "PH",
        "SI", "TN", "ZA", "AR", "BD", "AM", "AF", "PY", "VE",
    ]
    .contains(&region.as_str())
}

/// How much `text` looks like a street line, 0 when not at all.
pub fn street_score(text: &str) -> f32 {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 10 || text.contains('@') {
        return 0.0;
    }
    let has_number = has_digits(text);
    let letters = text.chars().filter(|character| character.is_alphabetic()).count();
    if letters < 3 {
        return 0.0;
    }
    let has_street_word = words.iter().any(|word| lexicon::is_street_word(word));
    let starts_with_number = words[0].trim_end_matches(',').chars().all(|character| character.is_ascii_digit())
        && words.len() > 1
        && words[1].starts_with(char::is_alphabetic);
    match (has_street_word, has_number, starts_with_number) {
        (true, true, _) => 0.85,
        (false, true, true) => 0.6,
        (false, true, false) => 0.3,
        (true, false, _) => 0.35,
        (false, false, _) => 0.0,
    }
}

/// True for a line that continues a street line: "Apt. 4", "Suite 200", "Piso 2".
pub fn is_street_continuation(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default().to_lowercase();
    let first = first.trim_end_matches(['.', ',', ':']);
    has_digits(text)
        && text.split_whitespace().count() <= 4
        && [
            "apt",
            "apartment",
            "suite",
            "ste",
            "unit",
            "floor",
            "fl",
            "flat",
            "piso",
            "puerta",
            "planta",
            "appartamento",
            "interno",
            "scala",
            "etage",
            "étage",
            "stock",
            "bâtiment",
            "batiment",
            "building",
            "bldg",
            "room",
            "box",
            "postbus",
            "postfach",
            "bp",
            "cp",
            "bus",
        ]
        .contains(&first)
}

/// True when `text` is a country name.
pub fn is_country(text: &str) -> bool {
    country_region(text).is_some()
}

/// The ISO 3166 region of the country named `text` ("Deutschland" → "DE").
pub fn country_region(text: &str) -> Option<&'static str> {
    let cleaned = text.trim().trim_end_matches(['.', ',']).trim();
    if cleaned.is_empty() {
        return None;
    }
    let without_commas = cleaned.replace(',', "");
    [cleaned, text.trim(), without_commas.as_str()].into_iter().find_map(|candidate| {
        let lower = candidate.to_lowercase();
        lexicon::COUNTRIES.iter().find(|(name, _)| *name == lower).map(|(_, region)| *region)
    })
}

/// A country's name that OCR misread by one letter ("Tnited Kingdom", "ermany"), as the
/// name is printed, with the country's ISO region. Only names of six letters or more, only
/// a line of letters alone, and only when a single country is that close: a short word is
/// too often one letter away from a country's name by chance.
pub fn misread_country(text: &str) -> Option<(String, &'static str)> {
    let cleaned = text.trim().trim_end_matches(['.', ',']).trim();
    if cleaned.chars().count() < 5
        || !cleaned.chars().all(|character| character.is_alphabetic() || character == ' ')
        || is_country(cleaned)
    {
        return None;
    }
    let lower = cleaned.to_lowercase();
    let mut close =
        lexicon::COUNTRIES.iter().filter(|(name, _)| name.chars().count() >= 6 && edit_distance(&lower, name) == 1);
    let (name, region) = close.next()?;
    if close.any(|(_, other)| other != region) {
        return None;
    }
    Some((printed_country(name), region))
}

/// "united kingdom" → "United Kingdom", "united states of america" → "United States of America".
fn printed_country(name: &str) -> String {
    name.split(' ')
        .enumerate()
        .map(|(index, word)| {
            if index > 0 && ["of", "the"].contains(&word) {
                return word.to_string();
            }
            let mut characters = word.chars();
            characters.next().map(|first| first.to_uppercase().chain(characters).collect()).unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// "Paris, France" → ("Paris", "France"); a lone country is a country without a city.
fn split_country(text: &str) -> (Option<String>, Option<String>) {
    let text = text.trim();
    if let Some((city, country)) = text.rsplit_once(',')
        && is_country(country)
    {
        return (non_empty(city), Some(country.trim().to_string()));
    }
    if is_country(text) {
        return (None, Some(text.to_string()));
    }
    (non_empty(text), None)
}

/// True for text that can be a town's name: letters, spaces, hyphens, apostrophes, dots.
fn is_place_name(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.chars().count() <= 50
        && text.split_whitespace().count() <= 6
        && text.starts_with(|character: char| character.is_alphabetic())
        && text.chars().all(|character| character.is_alphanumeric() || " -'’.()/".contains(character))
        // Digits only inside words, where OCR misread a letter ("Nyk6ping").
        && text.split_whitespace().all(|word| word.chars().any(char::is_alphabetic))
}

fn has_digits(text: &str) -> bool {
    text.chars().any(|character| character.is_ascii_digit())
}

fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim().trim_end_matches(',').trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The postal code, city, state and country read from a line.
    type Parts<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

    fn check(text: &str, region: &str, expected: Option<Parts>) {
        let got = read_postal_line(text, region);
        let got = got.as_ref().map(|line| {
            (line.postal_code.as_str(), line.city.as_deref(), line.state.as_deref(), line.country.as_deref())
        });
        assert_eq!(got, expected, "{text}");
    }

    #[test]
    fn countries_misread_by_one_letter() {
        assert_eq!(misread_country("Tnited Kingdom"), Some(("United Kingdom".to_string(), "GB")));
        assert_eq!(misread_country("ermany"), Some(("Germany".to_string(), "DE")));
        assert_eq!(misread_country("Osterreich"), Some(("Österreich".to_string(), "AT")));
        assert_eq!(misread_country("Netherland."), Some(("Netherlands".to_string(), "NL")));
        // A name printed right is a country, not a misreading.
        assert_eq!(misread_country("Germany"), None);
        // Two letters off, short names, and lines with digits are not countries.
        assert_eq!(misread_country("Grmny"), None);
        assert_eq!(misread_country("Spai"), None);
        assert_eq!(misread_country("Pero"), None);
        assert_eq!(misread_country("Fr4nce"), None);
        assert_eq!(misread_country("Franke 2"), None);
        assert_eq!(country_region("Deutschland"), Some("DE"));
        assert_eq!(country_region("United, Kingdom"), Some("GB"));
        assert_eq!(country_region("Paris"), None);
    }

    #[test]
    fn postal_lines_of_many_countries() {
        check("26835 Grimmen", "DE", Some(("26835", Some("Grimmen"), None, None)));
        check("12757 Sainte Célina-la-Forêt", "FR", Some(("12757", Some("Sainte Célina-la-Forêt"), None, None)));
        check("Jeremyshire, KY 22914", "US", Some(("22914", Some("Jeremyshire"), Some("KY"), None)));
        check(
            "Lake Williamton, TN 44962-1234 USA",
            "US",
            Some(("44962-1234", Some("Lake Williamton"), Some("TN"), Some("USA"))),
        );
        check("Palmerberg LN4V 4LG", "GB", Some(("LN4V 4LG", Some("Palmerberg"), None, None)));
        check("DG4 0RD O'Neillberg", "GB", Some(("DG4 0RD", Some("O'Neillberg"), None, None)));
        check("London SW1A 1AA", "GB", Some(("SW1A 1AA", Some("London"), None, None)));
        check("1886 MS Valkenburg", "NL", Some(("1886 MS", Some("Valkenburg"), None, None)));
        check("2028EH Garnwerd", "NL", Some(("2028EH", Some("Garnwerd"), None, None)));
        check("123 45 Stockholm", "SE", Some(("123 45", Some("Stockholm"), None, None)));
        check("D-80331 München", "DE", Some(("80331", Some("München"), None, None)));
        check("2100 København Ø", "DK", Some(("2100", Some("København Ø"), None, None)));
        check("75001 Paris, France", "FR", Some(("75001", Some("Paris"), None, Some("France"))));
        check("1000-001 Lisboa", "PT", Some(("1000-001", Some("Lisboa"), None, None)));
        check("Lisboa 1000-001", "PT", Some(("1000-001", Some("Lisboa"), None, None)));
        check("1600 Amphitheatre Parkway", "US", None);
        check("1600 Amphitheatre Parkway", "NL", None);
        check("Jane Doe", "DE", None);
        check("10538 Nyk6ping", "SE", Some(("10538", Some("Nyk6ping"), None, None)));
        check("Seifertplatz 31/33", "DE", None);
    }

    #[test]
    fn street_lines() {
        for street in [
            "Seifertplatz 31/33",
            "Via Agazzi, 484 Appartamento 4",
            "852 Daniel Club",
            "97, chemin Jacqueline Bernard",
            "Calle Silvia Roldan 603 Puerta 0",
            "Industrigatan 176",
            "Flat 54 Gemma Lake",
            "Theo-Beyer-Straße 249",
            "Girschnerstr. 32",
            "Keizersgracht 123",
            "Nørrebrogade 12",
        ] {
            assert!(street_score(street) >= 0.6, "{street}: {}", street_score(street));
        }
        for other in ["Jane Doe", "Marketing Manager", "Blue Medical S.p.A.", ""] {
            assert!(street_score(other) < 0.6, "{other}");
        }
    }
}
