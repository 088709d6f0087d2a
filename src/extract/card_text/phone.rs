//! Phone numbers on a card line: the digits runs, the label in front of each (Tel, Mobil,
//! Fax …), and what the `phonenumber` crate makes of them. Values keep the printed form.

use std::sync::LazyLock;

use phonenumber::metadata::DATABASE;
use phonenumber::{Type, country};
use regex::Regex;

use super::lexicon;
use crate::model::{Property, digits_only};

/// A phone number found on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundPhone {
    /// What the label says: phone, mobile or fax; `None` without a label.
    pub labeled: Option<Property>,
    pub value: String,
    /// True when `phonenumber` says the number is valid and a mobile number.
    pub is_mobile_number: bool,
    pub confidence: f32,
}

/// A run of digits with the separators phone numbers use; "#" is a common misreading of "+".
static PHONE_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[+#]?\(?\+?\d[\d \t().\-/]{4,}\d").expect("the phone pattern is a valid regex"));

/// A US ZIP+4 code, which has as many digits as a short phone number.
static ZIP_PLUS_FOUR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{5}-\d{4}$").expect("the ZIP+4 pattern is a valid regex"));

/// The regions (ISO 3166) that share the country calling code `value` is printed with
/// ("+44 …" → GB, GG, IM, JE); none for a number printed without one.
pub fn regions_of_country_code(value: &str) -> Vec<&'static str> {
    let Some(international) = value.trim().strip_prefix('+') else { return Vec::new() };
    let digits = digits_only(international);
    // Country calling codes are a prefix code: one of the first three prefixes is the code.
    (1..=3.min(digits.len()))
        .filter_map(|length| digits[..length].parse::<u16>().ok())
        .find_map(|code| DATABASE.region(&code))
        .unwrap_or_default()
}

/// Finds the phone numbers in `rest`, blanks them (and their labels) out of it and returns
/// them in reading order.
pub fn take_phones(rest: &mut String, default_region: &str) -> Vec<FoundPhone> {
    let mut found = Vec::new();
    let mut blanked = Vec::new();
    for run in PHONE_RUN.find_iter(rest) {
        let value = clean_value(run.as_str());
        let digit_count = digits_only(&value).len();
        if !(7..=15).contains(&digit_count) || ZIP_PLUS_FOUR.is_match(&value) {
            continue;
        }
        let (label_start, labeled) = label_before(&rest[..run.start()]);
        // Without a label or a leading "+", a short run is more likely a postal code pair,
        // a date or a street number than a phone number.
        if labeled.is_none() && !value.starts_with('+') && digit_count < 8 {
            continue;
        }
        let parsed = parse(&value, default_region);
        let is_valid = parsed.as_ref().is_some_and(phonenumber::is_valid);
        let is_mobile_number =
            is_valid && parsed.as_ref().is_some_and(|number| number.number_type(&DATABASE) == Type::Mobile);
        let mut confidence: f32 = if labeled.is_some() { 0.85 } else { 0.65 };
        if is_valid {
            confidence += 0.1;
        } else if parsed.is_some() || value.starts_with('+') {
            confidence += 0.05;
        }
        found.push(FoundPhone { labeled, value, is_mobile_number, confidence: confidence.min(0.97) });
        blanked.push(label_start..run.end());
    }
    for range in blanked.into_iter().rev() {
        let spaces = " ".repeat(rest[range.clone()].chars().count());
        rest.replace_range(range, &spaces);
    }
    found
}

/// The run without trailing separators, with a misread "#" as "+" and a stray "." among
/// space-separated groups as the space it was ("+34 61 961 92.39").
fn clean_value(run: &str) -> String {
    let trimmed = run.trim_matches(|character: char| matches!(character, ' ' | '\t' | '.' | '-' | '/'));
    let trimmed = trimmed.trim_end_matches('(').trim_end();
    let mut collapsed = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
    let n_spaces = collapsed.matches(' ').count();
    let n_dots = collapsed.matches('.').count();
    // Numbers grouped with dots ("06.12.34.56.78", "+1 650.555.0000") keep them.
    if n_dots > 0 && n_dots < n_spaces && collapsed.chars().all(|c| c.is_ascii_digit() || " .+".contains(c)) {
        collapsed = collapsed.replace('.', " ");
    }
    match collapsed.strip_prefix('#') {
        Some(rest) => format!("+{rest}"),
        None => collapsed,
    }
}

/// The sizes of a number's digit groups when only spaces separate them ("+31 34 439 09 55"
/// is [2, 2, 3, 2, 2]); `None` for other separators.
fn space_groups(value: &str) -> Option<Vec<usize>> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    let groups: Vec<usize> = digits.split(' ').map(str::len).collect();
    digits.split(' ').all(|group| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit())).then_some(groups)
}

/// True when `coarse` is `fine` with some neighbouring groups run together.
fn is_coarser(coarse: &[usize], fine: &[usize]) -> bool {
    let ends = |groups: &[usize]| -> Vec<usize> {
        groups
            .iter()
            .scan(0, |end, size| {
                *end += size;
                Some(*end)
            })
            .collect()
    };
    let fine_ends = ends(fine);
    coarse.len() < fine.len()
        && coarse.iter().sum::<usize>() == fine.iter().sum::<usize>()
        && ends(coarse).iter().all(|end| fine_ends.contains(end))
}

/// A card prints its numbers alike. A number whose groups OCR ran together ("+34 16 057
/// 1727") takes the grouping of another number on the card with as many digits of which its
/// own is a coarser form ("+34 78 584 92 43"). Only numbers grouped by spaces take part, and
/// only with numbers that also do or do not start with "+".
pub fn agree_on_grouping(values: &mut [String]) {
    let groupings: Vec<Option<(bool, Vec<usize>)>> =
        values.iter().map(|value| Some((value.starts_with('+'), space_groups(value)?))).collect();
    for (value, grouping) in values.iter_mut().zip(&groupings) {
        let Some((has_plus, own)) = grouping else { continue };
        let finest = groupings
            .iter()
            .flatten()
            .filter(|(other_plus, other)| other_plus == has_plus && is_coarser(own, other))
            .max_by_key(|(_, other)| other.len());
        let Some((_, pattern)) = finest else { continue };
        let digits = digits_only(value);
        let mut start = 0;
        let groups: Vec<&str> = pattern
            .iter()
            .map(|size| {
                start += size;
                &digits[start - size..start]
            })
            .collect();
        *value = format!("{}{}", if *has_plus { "+" } else { "" }, groups.join(" "));
    }
}

/// The label just before a number, and where it starts in `before`; without a label, the
/// start is the end of `before`.
fn label_before(before: &str) -> (usize, Option<Property>) {
    let trimmed =
        before.trim_end_matches(|character: char| character.is_whitespace() || ":;.|-–=>".contains(character));
    let word_start = trimmed
        .char_indices()
        .rev()
        .find(|(_, character)| character.is_whitespace() || *character == '|')
        .map_or(0, |(index, character)| index + character.len_utf8());
    let word = &trimmed[word_start..];
    // "Tel/Fax" or "Mobile/Cell" name the first kind.
    let kind = word.split('/').find_map(|part| label_kind(part.trim_end_matches(['.', ':', ';'])));
    // "T:" whose T OCR read as a stroke: "1: +31 34 439 09 55".
    let is_misread_t = matches!(word, "1" | "I" | "l") && before.trim_end().ends_with(':');
    let kind = kind.or(is_misread_t.then_some(Property::Phone));
    match kind {
        Some(kind) => (word_start, Some(kind)),
        None => (before.len(), None),
    }
}

/// The property a label names.
pub fn label_kind(label: &str) -> Option<Property> {
    let lower = label.to_lowercase();
    let bare = lower.trim_end_matches(['.', ':']);
    if lexicon::contains(lexicon::MOBILE_LABELS, bare) || lexicon::contains(lexicon::MOBILE_LABELS, &lower) {
        Some(Property::MobilePhone)
    } else if lexicon::contains(lexicon::FAX_LABELS, bare) {
        Some(Property::Fax)
    } else if lexicon::contains(lexicon::PHONE_LABELS, bare) || lexicon::contains(lexicon::PHONE_LABELS, &lower) {
        Some(Property::Phone)
    } else {
        None
    }
}

fn parse(value: &str, default_region: &str) -> Option<phonenumber::PhoneNumber> {
    let region = default_region.to_ascii_uppercase().parse::<country::Id>().ok();
    phonenumber::parse(region, value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, region: &str, expected: &[(Option<Property>, &str)], expected_rest: &str) {
        let mut rest = line.to_string();
        let found = take_phones(&mut rest, region);
        let got: Vec<(Option<Property>, &str)> =
            found.iter().map(|phone| (phone.labeled, phone.value.as_str())).collect();
        assert_eq!(got, expected, "{line}");
        assert_eq!(rest.split_whitespace().collect::<Vec<_>>().join(" "), expected_rest, "{line}");
    }

    #[test]
    fn regions_of_country_codes() {
        assert!(regions_of_country_code("+44 29 025 78 39").contains(&"GB"));
        assert_eq!(regions_of_country_code("+49 28 600 26 75"), vec!["DE"]);
        assert!(regions_of_country_code("+1 (668) 415-4011").contains(&"US"));
        assert_eq!(regions_of_country_code("+353 1 234 5678"), vec!["IE"]);
        assert!(regions_of_country_code("030 1234567").is_empty());
    }

    #[test]
    fn labels_and_values() {
        use Property::{Fax, MobilePhone, Phone};
        check("Tel.: +49 27 010 19 53", "DE", &[(Some(Phone), "+49 27 010 19 53")], "");
        check("T: #1 (790) 912-7629", "US", &[(Some(Phone), "+1 (790) 912-7629")], "");
        check("Movil: +34 65 810 07 71", "ES", &[(Some(MobilePhone), "+34 65 810 07 71")], "");
        check("Portable: +33 62 140 52 96", "FR", &[(Some(MobilePhone), "+33 62 140 52 96")], "");
        check("Cell.: +39 66 520 56 17", "IT", &[(Some(MobilePhone), "+39 66 520 56 17")], "");
        check("Cell.; +39 66 520 56 17", "IT", &[(Some(MobilePhone), "+39 66 520 56 17")], "");
        check("Handy 0171 1234567", "DE", &[(Some(MobilePhone), "0171 1234567")], "");
        check(
            "Tel +31 22 590 83 01  Fax +31 30 499 12 322",
            "NL",
            &[(Some(Phone), "+31 22 590 83 01"), (Some(Fax), "+31 30 499 12 322")],
            "",
        );
        check("F:+44 36 020 54 133", "GB", &[(Some(Fax), "+44 36 020 54 133")], "");
        check("Tlf. 33 12 34 56", "DK", &[(Some(Phone), "33 12 34 56")], "");
        check("Puhelin 09 1234 5678", "FI", &[(Some(Phone), "09 1234 5678")], "");
        check("Telefax: 030 901820", "DE", &[(Some(Fax), "030 901820")], "");
        check("(650) 253-0000", "US", &[(None, "(650) 253-0000")], "");
        check("Jane Doe +44 20 7946 0958", "GB", &[(None, "+44 20 7946 0958")], "Jane Doe");
        check("Quinty Kerkhof 1: +31 34 439 09 55", "NL", &[(Some(Phone), "+31 34 439 09 55")], "Quinty Kerkhof");
        check("Suite 1 +1 650 253 0000", "US", &[(None, "+1 650 253 0000")], "Suite 1");
    }

    #[test]
    fn a_dot_among_spaced_groups_is_a_misread_space() {
        check("Movil: +34 61 961 92.39", "ES", &[(Some(Property::MobilePhone), "+34 61 961 92 39")], "");
        check("T: +49 72.423 15 94", "DE", &[(Some(Property::Phone), "+49 72 423 15 94")], "");
        check("Tél. 01.23.45.67.89", "FR", &[(Some(Property::Phone), "01.23.45.67.89")], "");
        check("Tel +1 650.555.0000", "US", &[(Some(Property::Phone), "+1 650.555.0000")], "");
    }

    #[test]
    fn numbers_run_together_take_the_grouping_of_the_card_s_other_numbers() {
        let regroup = |values: &[&str]| {
            let mut values: Vec<String> = values.iter().map(|value| value.to_string()).collect();
            agree_on_grouping(&mut values);
            values
        };
        assert_eq!(regroup(&["+34 16 057 1727", "+34 78 584 92 43"]), ["+34 16 057 17 27", "+34 78 584 92 43"]);
        assert_eq!(regroup(&["+3177 495 2987", "+31 34 439 09 55"]), ["+31 77 495 29 87", "+31 34 439 09 55"]);
        // Different groupings that are not a coarser form of each other stay as printed.
        let printed = ["+49 30 1234567", "+49 171 123456"];
        assert_eq!(regroup(&printed), printed);
        let printed = ["+44 20 7946 0958", "+44 7700 900123"];
        assert_eq!(regroup(&printed), printed);
        // Other separators, or another digit count, are never regrouped.
        let printed = ["+1 (512) 308-9570", "+1 566 746 4674"];
        assert_eq!(regroup(&printed), printed);
        let printed = ["+49 62 021 0052", "+49 59 612 92 4"];
        assert_eq!(regroup(&printed), printed);
    }

    #[test]
    fn postal_codes_and_street_numbers_are_not_phones() {
        check("26835 Grimmen", "DE", &[], "26835 Grimmen");
        check("Jeremyshire, KY 22914-1234", "US", &[], "Jeremyshire, KY 22914-1234");
        check("47638 Bryan Mission Apt. 546", "US", &[], "47638 Bryan Mission Apt. 546");
        check("123 45 Stockholm", "SE", &[], "123 45 Stockholm");
    }

    #[test]
    fn mobile_numbers_are_recognised_without_a_label() {
        let mut rest = "+49 171 1234567".to_string();
        let found = take_phones(&mut rest, "DE");
        assert!(found[0].is_mobile_number, "{found:?}");
        let mut rest = "+49 30 901820".to_string();
        assert!(!take_phones(&mut rest, "DE")[0].is_mobile_number);
    }
}
