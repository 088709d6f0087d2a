//! Which lines are a person's name, a job title or a company, and how a name splits into
//! first and last: word shapes, lexicons, legal forms, and agreement with the email
//! address and the website. Also the capitalisation of names printed in capitals.

use unicode_normalization::UnicodeNormalization;

use super::lexicon;

/// Small words inside titles that are neither title words nor names ("Head of Sales").
const CONNECTORS: &[&str] = &[
    "of", "and", "&", "for", "the", "de", "del", "della", "di", "der", "des", "du", "für", "und", "la", "le", "el",
    "y", "et", "och", "og", "en", "e", "van", "voor", "i", "a", "-", "/", "|", "–", ",", "d'", "l'",
];

/// How much `text` looks like a job title, 0 to 1.
pub fn title_score(text: &str) -> f32 {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 || has_digits(text) || text.contains('@') {
        return 0.0;
    }
    let meaningful: Vec<&str> = words
        .iter()
        .map(|word| strip_elision(word))
        .filter(|word| !lexicon::contains(CONNECTORS, word) && !word.is_empty())
        .collect();
    if meaningful.is_empty() {
        return 0.0;
    }
    let n_title_words = meaningful.iter().filter(|word| lexicon::is_title_word(word)).count();
    if n_title_words == 0 {
        return 0.0;
    }
    let share = n_title_words as f32 / meaningful.len() as f32;
    0.55 + 0.4 * share
}

/// How much `text` looks like a company name, 0 to 1, given the domains of the card's
/// email addresses and website.
pub fn company_score(text: &str, domains: &[String]) -> f32 {
    let words: Vec<&str> = text.split_whitespace().collect();
    // "manalstics.co.up" is a website misread, not a company.
    let looks_like_domain = words.len() == 1 && text.contains('.') && legal_form_position(&words).is_none();
    if words.is_empty() || words.len() > 8 || text.contains('@') || looks_like_domain {
        return 0.0;
    }
    let mut score: f32 = 0.0;
    if legal_form_position(&words).is_some() {
        score = 0.85;
    } else if words.iter().any(|word| lexicon::contains(lexicon::COMPANY_WORDS, word.trim_matches(','))) {
        score = 0.45;
    } else if words.len() >= 2 && is_all_caps(text) {
        score = 0.25;
    }
    if matches_domain(text, domains) {
        score = (score + 0.5).max(0.75);
    }
    if has_digits(text) && score < 0.8 {
        score *= 0.5;
    }
    score.min(0.97)
}

/// How much `text` is shaped like a person's name (capitalised words of letters), 0 to 1;
/// lexicon words for titles, companies and places count against it.
pub fn person_shape_score(text: &str) -> f32 {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || has_digits(text) {
        return 0.0;
    }
    let is_name_word = |word: &&str| {
        let letters = word.trim_end_matches([',', '.']);
        let first = letters.chars().next();
        let is_capitalised = first.is_some_and(char::is_uppercase);
        let is_particle = lexicon::contains(lexicon::NAME_PARTICLES, letters);
        let has_only_name_characters =
            letters.chars().all(|character| character.is_alphabetic() || "-'’.".contains(character));
        (is_capitalised || is_particle) && has_only_name_characters && letters.chars().any(char::is_alphabetic)
    };
    if !words.iter().all(is_name_word) {
        return 0.0;
    }
    let n_lexicon_words = words
        .iter()
        .filter(|word| {
            lexicon::is_title_word(word)
                || lexicon::legal_form(word).is_some()
                || lexicon::contains(lexicon::COMPANY_WORDS, word)
        })
        .count();
    if n_lexicon_words > 0 || super::address::is_country(text) {
        return 0.1;
    }
    match words.len() {
        1 => 0.2,
        2 | 3 => 0.6,
        _ => 0.45,
    }
}

/// Where a name printed as `words` splits into first and last name, judged by the email
/// local parts; `None` when no local part agrees with the name.
pub fn split_by_email(words: &[&str], local_parts: &[String]) -> Option<usize> {
    let folded: Vec<String> = words.iter().map(|word| fold(word)).collect();
    for local in local_parts {
        let local_joined: String = local.chars().filter(char::is_ascii_alphanumeric).collect();
        let local_joined = local_joined.trim_end_matches(|character: char| character.is_ascii_digit());
        if local_joined.len() < 2 {
            continue;
        }
        for split in 1..words.len() {
            let first = folded[..split].concat();
            let last = folded[split..].concat();
            let initial = first.chars().next().map(String::from).unwrap_or_default();
            let last_initial = last.chars().next().map(String::from).unwrap_or_default();
            let agrees = [
                format!("{first}{last}"),
                format!("{initial}{last}"),
                format!("{last}{first}"),
                format!("{first}{last_initial}"),
                format!("{last}{initial}"),
            ]
            .contains(&local_joined.to_string());
            if agrees {
                return Some(split);
            }
        }
        // "jane@" names the first name: the split is after the words it spans.
        for split in 1..words.len() {
            if folded[..split].concat() == local_joined {
                return Some(split);
            }
        }
        // "doe@" or "vandeneerenbeemt@" names the last name.
        for split in 1..words.len() {
            if folded[split..].concat() == local_joined {
                return Some(split);
            }
        }
    }
    None
}

/// True when some email local part contains one of the name's words (of 3 letters or more).
pub fn partly_agrees(words: &[&str], local_parts: &[String]) -> bool {
    words.iter().map(|word| fold(word)).filter(|word| word.len() >= 3).any(|word| {
        local_parts
            .iter()
            .any(|local| local.chars().filter(char::is_ascii_alphanumeric).collect::<String>().contains(&word))
    })
}

/// The split without help from the email: the last name starts at the first particle
/// ("Lola van Gelder") or is the last word.
pub fn default_split(words: &[&str]) -> usize {
    let particle =
        (1..words.len().saturating_sub(1)).find(|&index| lexicon::contains(lexicon::NAME_PARTICLES, words[index]));
    particle.unwrap_or(words.len().saturating_sub(1)).max(1)
}

/// A name printed in capitals in normal capitalisation: "GIANPIETRO SGALAMBRO" →
/// "Gianpietro Sgalambro", "LOLA VAN GELDER" → "Lola van Gelder", "KARL-GEORG" → "Karl-Georg".
pub fn recase_name(text: &str) -> String {
    text.split_whitespace()
        .enumerate()
        .map(|(index, word)| {
            if index > 0 && lexicon::contains(lexicon::NAME_PARTICLES, word) {
                word.to_lowercase()
            } else {
                capitalise_parts(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A company printed in capitals in normal capitalisation, legal forms in their usual
/// spelling and short words (likely acronyms) kept: "VERTEX ROBOTICS GMBH" → "Vertex Robotics GmbH".
pub fn recase_company(text: &str) -> String {
    text.split_whitespace()
        .map(|word| match lexicon::legal_form(word) {
            Some(spelling) => spelling.to_string(),
            None if word.chars().filter(|character| character.is_alphabetic()).count() <= 3 => word.to_string(),
            None => capitalise_parts(word),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A company line without OCR debris after its legal form: "Solar Networks N.V. ee" →
/// "Solar Networks N.V.".
pub fn trim_after_legal_form(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if let Some(position) = legal_form_position(&words) {
        let tail_is_debris = words[position + 1..]
            .iter()
            .all(|word| word.chars().filter(|character| character.is_alphanumeric()).count() <= 2);
        if tail_is_debris {
            return words[..=position].join(" ");
        }
    }
    text.to_string()
}

/// True when letters of `text` are all capitals and there are at least two of them.
pub fn is_all_caps(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|character| character.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|character| !character.is_lowercase())
}

/// Letters and digits of `text` without accents, lowercase: "Käte" → "kate".
pub fn fold(text: &str) -> String {
    text.nfd().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase()
}

/// The index of the last legal-form word of a company name, if any. Short forms without
/// dots ("AS", "SA", "AB") only count in capitals, so that "as" or "sa" in a sentence do not.
fn legal_form_position(words: &[&str]) -> Option<usize> {
    (1..words.len()).rev().find(|&index| {
        let word = words[index].trim_end_matches(',');
        match lexicon::legal_form(word) {
            Some(spelling) => word.contains('.') || word.chars().count() > 3 || word == spelling || is_all_caps(word),
            None => false,
        }
    })
}

/// True when the company name without its legal form is the name of one of `domains`
/// ("Orbit Logistics B.V." and orbitlogistics.nl), or close to it.
fn matches_domain(text: &str, domains: &[String]) -> bool {
    let name = company_label(text);
    if name.len() < 3 {
        return false;
    }
    domains.iter().any(|domain| {
        let label = domain_label(domain);
        label.len() >= 3 && (label == name || (name.len() >= 5 && (label.contains(&name) || name.contains(&label))))
    })
}

/// A company's name as a domain would spell it: "Orbit Logistics B.V." → "orbitlogistics".
pub fn company_label(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let end = legal_form_position(&words).unwrap_or(words.len());
    fold(&words[..end].concat())
}

/// "https://www.example.com/contact" → "example.com".
pub fn website_host(website: &str) -> String {
    let lower = website.to_lowercase();
    let bare = lower.trim_start_matches("https://").trim_start_matches("http://");
    let host = bare.split('/').next().unwrap_or_default();
    host.strip_prefix("www.").unwrap_or(host).to_string()
}

/// "www.orbit-logistics.co.uk" → "orbitlogistics".
pub fn domain_label(domain: &str) -> String {
    let host = website_host(domain);
    let host = host.trim_start_matches("www.");
    let parts: Vec<&str> = host.split('.').collect();
    // The registrable name is before the public suffix: one part, or two for "co.uk".
    let is_two_part_suffix =
        parts.len() >= 3 && ["co", "com", "org", "net", "ac", "gov", "ltd", "plc"].contains(&parts[parts.len() - 2]);
    let index = if is_two_part_suffix { parts.len() - 3 } else { parts.len().saturating_sub(2) };
    fold(parts.get(index).copied().unwrap_or_default())
}

/// "d'affaires" → "affaires".
fn strip_elision(word: &str) -> &str {
    let lower_start = word.get(..2).map(str::to_lowercase);
    match lower_start.as_deref() {
        Some("d'" | "l'" | "d’" | "l’") if word.len() > 2 => &word[2..],
        _ => word,
    }
}

/// "KARL-GEORG" → "Karl-Georg", "O'NEILL" → "O'Neill", "MCDONALD" → "McDonald".
fn capitalise_parts(word: &str) -> String {
    let mut result = String::with_capacity(word.len());
    let mut at_part_start = true;
    for character in word.chars() {
        if at_part_start {
            result.extend(character.to_uppercase());
        } else {
            result.extend(character.to_lowercase());
        }
        at_part_start = matches!(character, '-' | '\'' | '’' | '.');
    }
    if let Some(rest) = result.strip_prefix("Mc")
        && rest.chars().count() > 2
    {
        let mut characters = rest.chars();
        if let Some(first) = characters.next() {
            return format!("Mc{}{}", first.to_uppercase(), characters.as_str());
        }
    }
    result
}

fn has_digits(text: &str) -> bool {
    text.chars().any(|character| character.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        for title in [
            "Regional Sales Director",
            "Chief Executive Officer",
            "Head of Sales",
            "VP Business Development",
            "Key Account Manager",
            "Geschäftsführer",
            "Leiterin Marketing",
            "Vertriebsleiter",
            "Directrice Générale",
            "Chargé d'affaires",
            "Ingeniero de Software",
            "Jefa de Marketing",
            "Algemeen Directeur",
            "Inkoper",
            "Marknadschef",
            "Projektledare",
            "VD",
            "Responsabile Marketing",
            "Amministratore Delegato",
            "Diretor Comercial",
            "Daglig leder",
        ] {
            assert!(title_score(title) >= 0.6, "{title}: {}", title_score(title));
        }
        for other in ["Jane Doe", "Orbit Logistics B.V.", "Seifertplatz 31/33"] {
            assert!(title_score(other) < 0.5, "{other}");
        }
    }

    #[test]
    fn companies() {
        let domains = vec!["orbitlogistics.nl".to_string()];
        for company in ["Orbit Logistics B.V.", "Orbit Logistics", "ORBIT LOGISTICS"] {
            assert!(company_score(company, &domains) >= 0.75, "{company}");
        }
        for company in ["Blue Medical S.p.A.", "Vertex Robotics GmbH", "Atlas Materials AB", "Nordisk Byg A/S"] {
            assert!(company_score(company, &[]) >= 0.8, "{company}");
        }
        assert!(company_score("Jane Doe", &domains) < 0.3);
        assert!(company_score("Sales as usual", &[]) < 0.3);
    }

    #[test]
    fn name_splits_agree_with_the_email() {
        let locals = |local: &str| vec![local.to_string()];
        assert_eq!(split_by_email(&["Victor", "Manuel", "Gual"], &locals("vgual")), Some(2));
        assert_eq!(
            split_by_email(&["Madelief", "Wouters", "van", "Eijndhoven"], &locals("mwoutersvaneijndhoven")),
            Some(1)
        );
        assert_eq!(split_by_email(&["Käte", "Ackermann"], &locals("kate.ackermann")), Some(1));
        assert_eq!(split_by_email(&["Karl-Georg", "Hecker"], &locals("karlgeorg")), Some(1));
        assert_eq!(split_by_email(&["Jane", "Doe"], &locals("info")), None);
        assert_eq!(default_split(&["Lola", "van", "Gelder"]), 1);
        assert_eq!(default_split(&["Victor", "Manuel", "Gual"]), 2);
    }

    #[test]
    fn capitals_become_normal_capitalisation() {
        assert_eq!(recase_name("GIANPIETRO SGALAMBRO"), "Gianpietro Sgalambro");
        assert_eq!(recase_name("LOLA VAN GELDER"), "Lola van Gelder");
        assert_eq!(recase_name("KARL-GEORG O'NEILL MCDONALD"), "Karl-Georg O'Neill McDonald");
        assert_eq!(recase_name("ÉLODIE PEREZ"), "Élodie Perez");
        assert_eq!(recase_company("VERTEX ROBOTICS GMBH"), "Vertex Robotics GmbH");
        assert_eq!(recase_company("PRISM LOGISTICS INC."), "Prism Logistics Inc.");
        assert_eq!(trim_after_legal_form("Solar Networks N.V. ee"), "Solar Networks N.V.");
    }
}
