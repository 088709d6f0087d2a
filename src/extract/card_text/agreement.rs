//! Agreement between fields of one card. A card prints some things twice: the email's
//! domain is the website's, and often the company's name; the email's local part is often
//! the person's name. OCR slips on one reading seldom repeat on the other, and Tesseract
//! marks the slipped word as unsure. So an unsure email or website is mended from a surely
//! read field that says the same thing, when the two differ by a slip or two. Nothing is
//! invented: every mended part is text printed elsewhere on the card.

use super::name::{domain_label, fold};

/// An OCR word less sure than this is a doubtful reading.
pub const DOUBTFUL_WORD: f32 = 0.7;

/// An OCR word at least this sure can vouch for another field.
pub const SURE_WORD: f32 = 0.85;

/// The number of single-character edits (insert, delete, replace) between `a` and `b`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, left) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, right) in b.iter().enumerate() {
            let replace = previous[j] + usize::from(left != *right);
            current[j + 1] = replace.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// True when `read` is a slip or two away from `printed`: one edit on short words, two
/// from eight characters on, and never equal.
fn is_slip_of(read: &str, printed: &str) -> bool {
    let allowed = if printed.chars().count() >= 8 { 2 } else { 1 };
    let distance = edit_distance(read, printed);
    distance > 0 && distance <= allowed
}

/// The ways cards build an email's local part from a name: "jane.doe", "jdoe", "doe"…
fn local_parts_of_name(first: &str, last: &str) -> Vec<String> {
    let (first, last) = (fold(first), fold(last));
    if first.is_empty() || last.is_empty() {
        return Vec::new();
    }
    let initial = &first[..1];
    let last_initial = &last[..1];
    vec![
        first.clone(),
        last.clone(),
        format!("{first}.{last}"),
        format!("{first}{last}"),
        format!("{first}_{last}"),
        format!("{first}-{last}"),
        format!("{initial}{last}"),
        format!("{initial}.{last}"),
        format!("{first}{last_initial}"),
        format!("{first}.{last_initial}"),
        format!("{last}.{first}"),
        format!("{last}{first}"),
    ]
}

/// The local part the printed name makes, when `local` is a slip away from the usual forms
/// and one of them is nearer than the others ("ckharlsson" for Carola Karlsson is
/// "ckarlsson", one edit, rather than "karlsson", two).
pub fn mend_local_part(local: &str, first: &str, last: &str) -> Option<String> {
    let local = local.to_lowercase();
    let forms = local_parts_of_name(first, last);
    if forms.contains(&local) {
        return None;
    }
    let mut close: Vec<(usize, String)> = forms
        .into_iter()
        .filter(|form| form.len() >= 3 && is_slip_of(&local, form))
        .map(|form| (edit_distance(&local, &form), form))
        .collect();
    close.sort();
    match close.as_slice() {
        [(_, only)] => Some(only.clone()),
        [(nearest, form), (next, _), ..] if nearest < next => Some(form.clone()),
        _ => None,
    }
}

/// "camille didier@…" with the dot between first and last name read as a space: the word
/// before the address and its local part, when they are the printed first and last name.
pub fn join_split_local_part(word_before: &str, local: &str, first: &str, last: &str) -> Option<String> {
    let is_lowercase_word = !word_before.is_empty() && word_before.chars().all(|c| c.is_lowercase());
    (is_lowercase_word && fold(word_before) == fold(first) && fold(local) == fold(last) && !fold(last).is_empty())
        .then(|| format!("{word_before}.{local}"))
}

/// `domain` with its name ("laiconsystems" in "laiconsystems.se") replaced by the one of
/// `supports` it is a slip away from; `supports` are names as other fields print them,
/// folded ("falconsystems" from "Falcon Systems AB" or www.falconsystems.se). Only letters
/// read wrong count as slips, not letters added or lost: a company name and its domain
/// often differ by a plural "s" or a dropped word ending.
pub fn mend_domain(domain: &str, supports: &[String]) -> Option<String> {
    let label = domain_label(domain);
    if label.len() < 3 || !domain.to_lowercase().contains(&label) {
        return None;
    }
    let support = supports
        .iter()
        .find(|support| support.len() >= 8 && support.len() == label.len() && is_slip_of(&label, support))?;
    Some(domain.to_lowercase().replacen(&label, support, 1))
}

/// An email whose "@" OCR read as another character ("janeQexample.com", "jane(Dexample.com"),
/// recognised by ending in `domain`, the card's website's domain. Local parts are lowercase,
/// so a capital or a symbol right before the domain is taken for the misread "@".
pub fn email_with_misread_at(word: &str, domain: &str) -> Option<String> {
    let domain = domain.to_lowercase();
    let cut = word.len().checked_sub(domain.len())?;
    if !word.is_char_boundary(cut) || !word[cut..].eq_ignore_ascii_case(&domain) || word.contains('@') {
        return None;
    }
    let before = &word[..cut];
    let misread_at =
        ["(D", "(d", "(Q", "(a"].iter().find(|at| before.ends_with(*at)).map(|at| at.len()).or_else(|| {
            let last = before.chars().next_back()?;
            (last.is_uppercase() || !(last.is_alphanumeric() || "._-+'".contains(last))).then(|| last.len_utf8())
        })?;
    let local = &before[..before.len() - misread_at];
    let is_local = local.len() >= 2
        && local.starts_with(|c: char| c.is_ascii_alphanumeric())
        && local.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-+'".contains(c));
    is_local.then(|| format!("{local}@{domain}"))
}

/// An email whose domain OCR misread beyond recognition as one ("dylan@kestrelmeaicalnl":
/// the dot lost, a letter wrong), told by its letters being a slip or two away from those
/// of `domain`, the card's website's domain.
pub fn email_with_misread_domain(word: &str, domain: &str) -> Option<String> {
    let (local, read_domain) = word.split_once('@')?;
    let letters = |text: &str| -> String { text.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect() };
    let (read, printed) = (letters(read_domain), letters(domain));
    let is_local = local.len() >= 2
        && local.starts_with(|c: char| c.is_ascii_alphanumeric())
        && local.chars().all(|c| c.is_ascii_alphanumeric() || "._-+'".contains(c));
    (is_local && printed.len() >= 6 && is_slip_of(&read, &printed))
        .then(|| format!("{}@{}", local.to_lowercase(), domain.to_lowercase()))
}

/// The website a line shows when its letters are a slip or two away from "www." and the
/// email's `domain` (or from the bare domain, when the line has a dot): "W: waw prismenergy.nl",
/// "www.falconenergyfr". A web label in front is skipped.
pub fn website_like_domain(rest: &str, domain: &str, web_labels: &[&str]) -> Option<String> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let start = words
        .iter()
        .position(|word| {
            let label = word.trim_end_matches([':', '.']).to_lowercase();
            !(super::lexicon::contains(web_labels, &label) && label != "www") && label.chars().count() > 1
        })
        .unwrap_or(words.len());
    let text = words[start..].join(" ");
    let read: String = text.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
    let bare: String = domain.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
    if bare.len() < 6 {
        return None;
    }
    let with_www = format!("www{bare}");
    let close = |target: &str| edit_distance(&read, target) <= if target.len() >= 16 { 2 } else { 1 };
    if read.starts_with('w') && close(&with_www) {
        Some(format!("www.{}", domain.to_lowercase()))
    } else if text.contains('.') && close(&bare) {
        Some(domain.to_lowercase())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn local_parts_are_mended_from_the_printed_name() {
        assert_eq!(mend_local_part("pmeyr", "Paula", "Meyer").as_deref(), Some("pmeyer"));
        assert_eq!(mend_local_part("jorg.rnuller", "Jörg", "Müller").as_deref(), Some("jorg.muller"));
        assert_eq!(mend_local_part("ann:lee", "Ann", "Lee"), None, "several forms are as close");
        assert_eq!(mend_local_part("pmeyer", "Paula", "Meyer"), None, "already agrees");
        assert_eq!(mend_local_part("sales", "Paula", "Meyer"), None, "not a form of the name");
        assert_eq!(mend_local_part("oskarsson", "Oskar", "Svensen"), None, "too far from the name");
    }

    #[test]
    fn a_dot_read_as_a_space_is_restored_from_the_name() {
        assert_eq!(join_split_local_part("paula", "meyer", "Paula", "Meyer").as_deref(), Some("paula.meyer"));
        assert_eq!(join_split_local_part("Email", "meyer", "Paula", "Meyer"), None);
        assert_eq!(join_split_local_part("paula", "pm", "Paula", "Meyer"), None);
    }

    #[test]
    fn domains_are_mended_from_the_company_or_website() {
        let supports = ["tidewaterlabs".to_string()];
        assert_eq!(mend_domain("tidewaterlab5.co.uk", &supports).as_deref(), Some("tidewaterlabs.co.uk"));
        assert_eq!(mend_domain("tidewater1abs.com", &supports).as_deref(), Some("tidewaterlabs.com"));
        assert_eq!(mend_domain("tidewaterlab.com", &supports), None, "a shorter name is not a slip");
        assert_eq!(mend_domain("tidewaterlabs.com", &supports), None);
        assert_eq!(mend_domain("tide.com", &supports), None);
        assert_eq!(mend_domain("example.org", &["exampla".to_string(), "other".to_string()]), None, "too short");
    }

    #[test]
    fn an_at_sign_misread_is_found_by_the_website_domain() {
        let domain = "tidewaterlabs.com";
        assert_eq!(
            email_with_misread_at("p.meyerQtidewaterlabs.com", domain).as_deref(),
            Some("p.meyer@tidewaterlabs.com")
        );
        assert_eq!(
            email_with_misread_at("pmeyer(Dtidewaterlabs.com", domain).as_deref(),
            Some("pmeyer@tidewaterlabs.com")
        );
        assert_eq!(
            email_with_misread_at("pmeyer©tidewaterlabs.com", domain).as_deref(),
            Some("pmeyer@tidewaterlabs.com")
        );
        assert_eq!(email_with_misread_at("www.tidewaterlabs.com", domain), None, "the website itself");
        assert_eq!(email_with_misread_at("pmeyertidewaterlabs.com", domain), None, "no sign of the @");
        assert_eq!(email_with_misread_at("Qtidewaterlabs.com", domain), None, "no local part");
    }

    #[test]
    fn a_misread_email_domain_is_told_by_the_website() {
        let mend = |word| email_with_misread_domain(word, "kestrelmedical.nl");
        assert_eq!(mend("dylan@kestrelmeaicalnl").as_deref(), Some("dylan@kestrelmedical.nl"));
        assert_eq!(mend("dylan@kestrelmedical.nl").as_deref(), None, "nothing to mend");
        assert_eq!(mend("dylan@othermedical.nl"), None);
        assert_eq!(mend("@kestrelmeaicalnl"), None);
    }

    #[test]
    fn a_misread_website_is_told_by_the_email_domain() {
        let labels = ["w", "web", "www"];
        let site = |rest: &str| website_like_domain(rest, "tidewaterlabs.com", &labels);
        assert_eq!(site("W: wvw tidewaterlabs.com").as_deref(), Some("www.tidewaterlabs.com"));
        assert_eq!(site("Web www.tidewaterlabscom").as_deref(), Some("www.tidewaterlabs.com"));
        assert_eq!(site("www.tide /aterlabs.com").as_deref(), Some("www.tidewaterlabs.com"));
        assert_eq!(site("tidewaterlabs. com").as_deref(), Some("tidewaterlabs.com"));
        assert_eq!(site("Tidewater Labs"), None, "the company, not a website");
        assert_eq!(site("www.seasidelabs.com"), None);
    }
}
