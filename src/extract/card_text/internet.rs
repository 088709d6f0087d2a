//! Email addresses and websites on a card line, with the usual OCR slips mended: spaces
//! around "@" and dots, "(at)" for "@", a label letter glued to the address.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon;

/// An email address or website found on a line.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundAddress {
    pub value: String,
    pub confidence: f32,
}

/// The region (ISO 3166) of the country ending of an email's or website's domain
/// ("jane@firm.de" → DE, "www.firm.co.uk" → GB), among the countries rolo knows by name;
/// none for ".com" and other generic endings.
pub fn domain_region(address: &str) -> Option<&'static str> {
    let host = super::name::website_host(address.rsplit('@').next()?);
    let ending = host.trim_end_matches('.').rsplit('.').next()?.to_ascii_uppercase();
    // ".uk" is the one country ending that is not its ISO code.
    let region = if ending == "UK" { "GB" } else { ending.as_str() };
    lexicon::COUNTRIES.iter().map(|(_, known)| *known).find(|known| *known == region)
}

/// "(at)", "[at]", "{at}" and a spaced "@", as people and OCR write them.
static AT_SIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[(\[{]\s*at\s*[)\]}]\s*|\s*@\s*").expect("the at-sign pattern is a valid regex")
});

/// A dot followed or preceded by a space inside an address, e.g. "bluefoods. fr".
static SPACED_DOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)([a-z0-9])\s*(\.|\(dot\)|\[dot\])\s*([a-z0-9])").expect("the dot pattern is a valid regex")
});

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)[a-z0-9][a-z0-9._%+'\-]*@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,24}")
        .expect("the email pattern is a valid regex")
});

/// Common top-level domains, as a regex alternation.
const COMMON_TLDS: &str = "com|net|org|info|biz|io|co|eu|de|at|ch|fr|be|lu|es|it|nl|se|dk|no|fi|is|pt|pl|cz|ie|uk|us|ca|au|nz|jp|cn|in|br|mx|ar|tech|app|dev|ai|online|shop|store|site|cloud|agency|design|digital|group|consulting";

/// A website: with a scheme or "www.", or a bare domain with a common top-level domain.
static WEBSITE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b((https?://)?www\d?\.[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{{2,24}}|https?://[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{{2,24}}|[a-z0-9][a-z0-9\-]*(\.[a-z0-9\-]+)*\.({COMMON_TLDS}))(/[^\s]*)?\b",
    ))
    .expect("the website pattern is a valid regex")
});

/// An address's last dot read as a space: "jane@example fr", "www.example com".
static SPACE_FOR_LAST_DOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)((?:@|\bwww\.)[a-z0-9\-]{{2,}}) ((?:co\.)?(?:{COMMON_TLDS}))(\s|$|[,;>)])"))
        .expect("the last-dot pattern is a valid regex")
});

/// A top-level domain ending in "l" whose "l" OCR read as "!", "|" or "1": "example.n!".
static MISREAD_L_IN_TLD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)((?:@|\bwww\.)[a-z0-9.\-]+\.(?:n|p))[!|1](\s|$)").expect("the TLD pattern is a valid regex")
});

/// Finds the email addresses in `rest`, blanks them and their labels out, and returns them.
pub fn take_emails(rest: &mut String) -> Vec<FoundAddress> {
    if !rest.contains('@') && !rest.to_lowercase().contains("at") {
        return Vec::new();
    }
    let mended = mend(rest);
    let mut found = Vec::new();
    for address in EMAIL.find_iter(&mended) {
        let mut value = address.as_str().trim_end_matches(['.', '-']).to_string();
        let mut confidence = 0.95;
        if let Some(unglued) = strip_glued_label(&value) {
            value = unglued;
            confidence = 0.8;
        }
        found.push(FoundAddress { value, confidence });
    }
    if !found.is_empty() {
        blank_matching(rest, &mended, &EMAIL, lexicon::EMAIL_LABELS);
    }
    found
}

/// Finds the websites in `rest`, blanks them and their labels out, and returns them.
pub fn take_websites(rest: &mut String) -> Vec<FoundAddress> {
    let mended = mend(rest);
    let mut found = Vec::new();
    for site in WEBSITE.find_iter(&mended) {
        let text = site.as_str();
        let lower = text.to_lowercase();
        let domain_part = lower.trim_start_matches("https://").trim_start_matches("http://");
        // "S.A." or "e.K." end in letters after a dot but are legal forms, not domains;
        // a bare domain must have a name of two letters or more before its last dot.
        let name_length = domain_part.split('/').next().unwrap_or_default().rsplit('.').nth(1).map_or(0, str::len);
        let has_prefix = lower.starts_with("www") || lower.starts_with("http");
        // A bare domain printed with capitals is more likely "Dr.In" or "Co.Uk" gone wrong.
        let is_bare_with_capitals = !has_prefix && text.chars().any(char::is_uppercase);
        if name_length < 2 || lexicon::legal_form(text).is_some() || is_bare_with_capitals {
            continue;
        }
        // A bare domain after some other word is most often the tail of a broken email
        // address ("kate.ack botics.de"); only a label may stand before it.
        let word_before = mended[..site.start()].split_whitespace().next_back();
        let is_after_label = word_before.is_some_and(|word| {
            lexicon::contains(lexicon::WEB_LABELS, word.trim_end_matches([':', '.']))
                || !word.chars().any(char::is_alphanumeric)
        });
        if !has_prefix && word_before.is_some() && !is_after_label {
            continue;
        }
        let confidence = if has_prefix { 0.95 } else { 0.75 };
        found.push(FoundAddress { value: text.trim_end_matches(['/', '.']).to_string(), confidence });
    }
    if !found.is_empty() {
        blank_matching(rest, &mended, &WEBSITE, lexicon::WEB_LABELS);
    }
    found
}

/// A domain name broken by a space before its last part: "cedartexti s.co.uk".
static SPLIT_DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(@|\bwww\.)([a-z0-9\-]+) ([a-z0-9\-]+\.[a-z]{2,}(\.[a-z]{2,})?)\b")
        .expect("the split domain pattern is a valid regex")
});

/// The line with "(at)" and spaced "@" and dots closed up.
fn mend(line: &str) -> String {
    let closed = AT_SIGN.replace_all(line, "@");
    // Twice, because neighbouring matches overlap on the letter between them.
    let once = SPACED_DOT.replace_all(&closed, "$1.$3");
    let dotted = SPACED_DOT.replace_all(&once, "$1.$3");
    let joined = SPACE_FOR_LAST_DOT.replace_all(&dotted, "$1.$2$3");
    let joined = SPLIT_DOMAIN.replace_all(&joined, "$1$2$3");
    MISREAD_L_IN_TLD.replace_all(&joined, "${1}l$2").into_owned()
}

/// "Ecsmith@…" is "E csmith@…" with the label glued on: addresses are lowercase, so an
/// uppercase E or M in front of a lowercase rest is taken for a label.
fn strip_glued_label(address: &str) -> Option<String> {
    let (local, _) = address.split_once('@')?;
    let mut characters = local.chars();
    let first = characters.next()?;
    let rest: String = characters.collect();
    let rest_is_lowercase = rest.chars().all(|character| !character.is_uppercase()) && rest.len() > 1;
    if matches!(first, 'E' | 'M') && rest_is_lowercase && rest.starts_with(|character: char| character.is_alphabetic())
    {
        return Some(address[first.len_utf8()..].to_string());
    }
    None
}

/// Blanks from `rest` the words that took part in matches of `pattern` on `mended`, and
/// the label word in front of the first one.
fn blank_matching(rest: &mut String, mended: &str, pattern: &Regex, labels: &[&str]) {
    let matched: Vec<String> = pattern.find_iter(mended).map(|found| found.as_str().to_lowercase()).collect();
    let squeezed_matches: Vec<String> = matched.iter().map(|text| squeeze(text)).collect();
    let words: Vec<(usize, &str)> = word_spans(rest);
    let squeezed_words: Vec<String> =
        words.iter().map(|(_, word)| squeeze(&AT_SIGN.replace_all(&word.to_lowercase(), "@"))).collect();
    let mut to_blank = vec![false; words.len()];
    for target in &squeezed_matches {
        'starts: for start in 0..words.len() {
            let mut joined = String::new();
            for end in start..words.len() {
                if squeezed_words[end].is_empty() && !is_at_word(words[end].1) {
                    break;
                }
                joined.push_str(&squeezed_words[end]);
                if !target.starts_with(&joined) {
                    break;
                }
                if joined == *target {
                    to_blank[start..=end].fill(true);
                    break 'starts;
                }
            }
        }
    }
    // The label in front of the first match, perhaps with a lone ":" between.
    if let Some(first) = to_blank.iter().position(|blank| *blank) {
        let mut index = first;
        while index > 0 && squeezed_words[index - 1].is_empty() && !is_at_word(words[index - 1].1) {
            index -= 1;
        }
        if index > 0 {
            let label = words[index - 1].1.trim_end_matches([':', '.']).to_lowercase();
            if lexicon::contains(labels, &label) || label.chars().count() == 1 {
                to_blank[index - 1..first].fill(true);
            }
        }
    }
    let spans: Vec<(usize, usize)> = words
        .iter()
        .zip(&to_blank)
        .filter(|(_, blank)| **blank)
        .map(|((start, word), _)| (*start, start + word.len()))
        .collect();
    for (start, end) in spans.into_iter().rev() {
        let spaces = " ".repeat(rest[start..end].chars().count());
        rest.replace_range(start..end, &spaces);
    }
}

fn is_at_word(word: &str) -> bool {
    let lower = word.to_lowercase();
    matches!(lower.as_str(), "@" | "(at)" | "[at]" | "{at}" | "(dot)" | "[dot]" | ".")
}

/// Letters and digits only, to compare a word with a mended match.
fn squeeze(text: &str) -> String {
    text.chars().filter(|character| character.is_alphanumeric()).collect()
}

/// The whitespace-separated words of `text` with their byte offsets.
fn word_spans(text: &str) -> Vec<(usize, &str)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (index, character) in text.char_indices() {
        match (character.is_whitespace(), start) {
            (true, Some(begin)) => {
                spans.push((begin, &text[begin..index]));
                start = None;
            }
            (false, None) => start = Some(index),
            _ => (),
        }
    }
    if let Some(begin) = start {
        spans.push((begin, &text[begin..]));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_emails(line: &str, expected: &[&str], expected_rest: &str) {
        let mut rest = line.to_string();
        let found = take_emails(&mut rest);
        let values: Vec<&str> = found.iter().map(|address| address.value.as_str()).collect();
        assert_eq!(values, expected, "{line}");
        assert_eq!(rest.split_whitespace().collect::<Vec<_>>().join(" "), expected_rest, "{line}");
    }

    fn check_websites(line: &str, expected: &[&str]) {
        let mut rest = line.to_string();
        let found = take_websites(&mut rest);
        let values: Vec<&str> = found.iter().map(|address| address.value.as_str()).collect();
        assert_eq!(values, expected, "{line}");
    }

    #[test]
    fn regions_of_domain_endings() {
        assert_eq!(domain_region("jane@firm.de"), Some("DE"));
        assert_eq!(domain_region("www.firm.co.uk"), Some("GB"));
        assert_eq!(domain_region("https://firm.nl/contact"), Some("NL"));
        assert_eq!(domain_region("jane@firm.com"), None);
        assert_eq!(domain_region("www.firm.io"), None);
    }

    #[test]
    fn emails_with_ocr_slips() {
        check_emails("E: ronald.matthews@nordicenergy.co.uk", &["ronald.matthews@nordicenergy.co.uk"], "");
        check_emails("E joseph. rodriguez@bluesoftware.com", &["joseph.rodriguez@bluesoftware.com"], "");
        check_emails("E-mail: yves@bluefoods. fr", &["yves@bluefoods.fr"], "");
        check_emails("brandon @summitnetworks.co.uk", &["brandon@summitnetworks.co.uk"], "");
        check_emails("Ecsmith@prismlogistics.com", &["csmith@prismlogistics.com"], "");
        check_emails("jane(at)example.org", &["jane@example.org"], "");
        check_emails("Courriel : marie [at] exemple .fr", &["marie@exemple.fr"], "");
        check_emails("Email vgual@granitesystems.es", &["vgual@granitesystems.es"], "");
        check_emails("a@b.de, c.d@e-f.com", &["a@b.de", "c.d@e-f.com"], "");
        check_emails("Jane Doe | jane@doe.com", &["jane@doe.com"], "Jane Doe |");
        check_emails("kate.ack botics.de", &[], "kate.ack botics.de");
        check_emails("Kate at home", &[], "Kate at home");
        check_emails("E: amy@cedartexti s.co.uk", &["amy@cedartextis.co.uk"], "");
        check_emails("E-mait michelle.pereira@novarobotics fr", &["michelle.pereira@novarobotics.fr"], "E-mait");
        check_emails("jane@example co.uk", &["jane@example.co.uk"], "");
        check_emails("jane@example.de M: +49 171", &["jane@example.de"], "M: +49 171");
        check_emails("x@blue it.com", &["x@blueit.com"], "");
    }

    #[test]
    fn websites_with_and_without_prefix() {
        check_websites("W www.bluesoftware.com", &["www.bluesoftware.com"]);
        check_websites("Web: https://example.org/contact", &["https://example.org/contact"]);
        check_websites("orbitlogistics.nl", &["orbitlogistics.nl"]);
        check_websites("www.bluefoods. fr", &["www.bluefoods.fr"]);
        check_websites("Blue Medical S.p.A.", &[]);
        check_websites("Granite Systems S.A.", &[]);
        check_websites("Jane Doe", &[]);
        check_websites("kate.ack botics.de", &[]);
        check_websites("W: www.cedartexti s.co.uk", &["www.cedartextis.co.uk"]);
        check_websites("Internet: vertexrobotics.de", &["vertexrobotics.de"]);
        check_websites("W: www.kestrelmedical.n!", &["www.kestrelmedical.nl"]);
        check_websites("www.example com", &["www.example.com"]);
        check_websites("www.example.n1 Tel", &["www.example.nl"]);
    }
}
