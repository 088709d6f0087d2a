//! The `KEY:value;` formats of Japanese phones and their successors: MECARD, BIZCARD and
//! MATMSG, and the au line format (`MEMORY:`, `NAME1:`, `TEL1:` on CRLF lines). Values are
//! split on unescaped `;` and a backslash escapes the next character. Works on characters,
//! never on byte offsets inside them, so CJK text is as safe as ASCII.

use super::{
    AddressBook, EmailMessage, Payload, TypedPhone, clean_line, clean_text, email::split_addresses,
    strip_prefix_ignoring_case,
};

/// MECARD, BIZCARD, MATMSG or au MEMORY; `None` for anything else.
pub(super) fn parse(text: &str) -> Option<Payload> {
    if let Some(body) = strip_prefix_ignoring_case(text, "MECARD:") {
        return Some(Payload::AddressBook(Box::new(mecard(&fields(body)))));
    }
    if let Some(body) = strip_prefix_ignoring_case(text, "BIZCARD:") {
        return Some(Payload::AddressBook(Box::new(bizcard(&fields(body)))));
    }
    if let Some(body) = strip_prefix_ignoring_case(text, "MATMSG:") {
        return Some(Payload::Email(matmsg(&fields(body))));
    }
    if text.contains("MEMORY") && text.contains("\r\n") {
        return Some(Payload::AddressBook(Box::new(au_memory(text))));
    }
    None
}

/// `KEY:value` pairs split on unescaped `;`, keys uppercased, values unescaped; fields
/// without a colon (the closing `;;`) are dropped.
fn fields(body: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut characters = body.chars();
    let mut push = |field: &mut String| {
        if let Some((key, value)) = field.split_once(':') {
            fields.push((key.trim().to_ascii_uppercase(), unescape(value)));
        }
        field.clear();
    };
    while let Some(character) = characters.next() {
        match character {
            '\\' => {
                // Kept escaped until the field is split at its first colon.
                field.push('\\');
                if let Some(next) = characters.next() {
                    field.push(next);
                }
            }
            ';' => push(&mut field),
            _ => field.push(character),
        }
    }
    push(&mut field);
    fields
}

/// Resolves backslash escapes: `\;` → `;`, `\\` → `\`, `\:` → `:`, `\,` → `,`.
fn unescape(value: &str) -> String {
    let mut unescaped = String::with_capacity(value.len());
    let mut characters = value.chars();
    while let Some(character) = characters.next() {
        if character == '\\' {
            unescaped.extend(characters.next());
        } else {
            unescaped.push(character);
        }
    }
    unescaped
}

/// The values of one key, in order.
fn values<'a>(fields: &'a [(String, String)], key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    fields.iter().filter(move |(field_key, _)| field_key == key).map(|(_, value)| value.as_str())
}

fn first_line(fields: &[(String, String)], key: &str) -> Option<String> {
    values(fields, key).find_map(clean_line)
}

fn all_lines(fields: &[(String, String)], key: &str) -> Vec<String> {
    values(fields, key).filter_map(clean_line).collect()
}

/// DoCoMo MECARD: N (`last,first` or one name), SOUND, TEL, TEL-AV, EMAIL, ADR, NOTE,
/// BDAY, URL, NICKNAME, and the common extensions ORG and TITLE.
fn mecard(fields: &[(String, String)]) -> AddressBook {
    let mut book = AddressBook::default();
    if let Some(name) = first_line(fields, "N") {
        match name.split_once(',') {
            Some((family, given)) => {
                let (family, given) = (family.trim(), given.trim());
                book.names
                    .push([given, family].into_iter().filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" "));
                book.family_name = (!family.is_empty()).then(|| family.to_string());
                book.given_name = (!given.is_empty()).then(|| given.to_string());
            }
            None => book.names.push(name),
        }
    }
    book.names.retain(|name| !name.is_empty());
    book.pronunciation = first_line(fields, "SOUND");
    book.phones = ["TEL", "TEL-AV"]
        .iter()
        .flat_map(|key| all_lines(fields, key))
        .map(|number| TypedPhone { number, kind: None })
        .collect();
    book.emails = all_lines(fields, "EMAIL");
    book.addresses = values(fields, "ADR").filter_map(clean_text).collect();
    let notes: Vec<String> = values(fields, "NOTE").filter_map(clean_text).collect();
    book.note = (!notes.is_empty()).then(|| notes.join("\n"));
    book.birthday = first_line(fields, "BDAY");
    book.urls = all_lines(fields, "URL");
    book.nicknames = all_lines(fields, "NICKNAME");
    book.org = first_line(fields, "ORG");
    book.title = first_line(fields, "TITLE");
    book.map_to_draft();
    book
}

/// BIZCARD: N first name, X last name, T title, C company, A address, B phone, M mobile,
/// F fax, E email.
fn bizcard(fields: &[(String, String)]) -> AddressBook {
    let mut book = AddressBook {
        given_name: first_line(fields, "N"),
        family_name: first_line(fields, "X"),
        title: first_line(fields, "T"),
        org: first_line(fields, "C"),
        addresses: values(fields, "A").filter_map(clean_text).collect(),
        emails: all_lines(fields, "E"),
        ..AddressBook::default()
    };
    let name = [book.given_name.as_deref(), book.family_name.as_deref()].into_iter().flatten().collect::<Vec<_>>();
    if !name.is_empty() {
        book.names.push(name.join(" "));
    }
    for (key, kind) in [("B", None), ("M", Some("CELL")), ("F", Some("FAX"))] {
        book.phones.extend(
            all_lines(fields, key).into_iter().map(|number| TypedPhone { number, kind: kind.map(str::to_string) }),
        );
    }
    book.map_to_draft();
    book
}

/// MATMSG: TO, SUB, BODY.
fn matmsg(fields: &[(String, String)]) -> EmailMessage {
    EmailMessage {
        to: values(fields, "TO").flat_map(split_addresses).collect(),
        subject: first_line(fields, "SUB"),
        body: values(fields, "BODY").find_map(clean_text),
        ..EmailMessage::default()
    }
}

/// au's format: one `KEY:value` a line. MEMORY note, NAME1 name, NAME2 its reading,
/// TEL1-3, MAIL1-3, ADD address.
fn au_memory(text: &str) -> AddressBook {
    let fields: Vec<(String, String)> = text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_ascii_uppercase(), value.to_string()))
        .collect();
    let mut book = AddressBook {
        names: first_line(&fields, "NAME1").into_iter().collect(),
        pronunciation: first_line(&fields, "NAME2"),
        phones: ["TEL1", "TEL2", "TEL3"]
            .iter()
            .flat_map(|key| all_lines(&fields, key))
            .map(|number| TypedPhone { number, kind: None })
            .collect(),
        emails: ["MAIL1", "MAIL2", "MAIL3"].iter().flat_map(|key| all_lines(&fields, key)).collect(),
        addresses: values(&fields, "ADD").filter_map(clean_text).collect(),
        note: values(&fields, "MEMORY").find_map(clean_text),
        ..AddressBook::default()
    };
    book.map_to_draft();
    book
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_split_on_unescaped_semicolons_only() {
        let fields = fields(r"N:a\;b;URL:http://x.org;;");
        assert_eq!(fields, [("N".into(), "a;b".into()), ("URL".into(), "http://x.org".into())]);
        assert_eq!(unescape(r"this,is\;a\\sound\"), r"this,is;a\sound");
    }
}
