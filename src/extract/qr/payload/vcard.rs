//! vCard payloads, read by the foundation's vCard parser and mapped by `Card::to_draft`, so
//! that a scanned card and an imported one give the same contact. Only the first card of a
//! payload counts.

use super::{AddressBook, AddressParts, TypedPhone, clean_line, clean_text, sanitize_draft};
use crate::import::vcard::{Card, parse_vcards};

/// The first card of `text`; an empty card when the text holds none that can be read.
pub(super) fn parse(text: &str) -> AddressBook {
    let Some(card) = parse_vcards(text.as_bytes()).ok().and_then(|parsed| parsed.cards.into_iter().next()) else {
        return AddressBook::default();
    };
    let mut book = AddressBook::default();
    let name_parts = card.name_parts();
    let structured_name = name_parts.as_ref().map(|[family, given, additional, prefix, suffix]| {
        [prefix, given, additional, family, suffix]
            .into_iter()
            .filter(|part| !part.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    });
    book.names = card.formatted_name().or(structured_name).and_then(|name| clean_line(&name)).into_iter().collect();
    if let Some([family, given, ..]) = &name_parts {
        book.family_name = clean_line(family);
        book.given_name = clean_line(given);
    }
    book.nicknames = texts(&card, "NICKNAME").iter().flat_map(|text| text.split(',').filter_map(clean_line)).collect();
    book.phones = card
        .properties_named("TEL")
        .filter_map(|property| {
            let number = clean_line(&property.phone_number()?)?;
            let types: Vec<String> = property
                .types()
                .into_iter()
                .filter(|type_name| type_name != "pref")
                .map(|t| t.to_uppercase())
                .collect();
            let kind = (!types.is_empty()).then(|| clean_line(&types.join(","))).flatten();
            Some(TypedPhone { number, kind })
        })
        .collect();
    book.emails = card.emails().iter().filter_map(|email| clean_line(email)).collect();
    for property in card.properties_named("ADR") {
        let components: Vec<String> = property.components().iter().map(|part| part.trim().to_string()).collect();
        let joined: Vec<&str> = components.iter().map(String::as_str).filter(|part| !part.is_empty()).collect();
        let Some(address) = clean_text(&joined.join("\n")) else { continue };
        book.addresses.push(address);
        if components.len() > 1 {
            let part = |index: usize| components.get(index).and_then(|part| clean_line(part)).unwrap_or_default();
            book.address_parts.push(AddressParts {
                po_box: part(0),
                extended: part(1),
                street: part(2),
                city: part(3),
                region: part(4),
                postal_code: part(5),
                country: part(6),
            });
        }
    }
    book.org = card.org().and_then(|org| clean_line(&org));
    book.title = card.title().and_then(|title| clean_line(&title));
    book.urls = texts(&card, "URL").iter().filter_map(|url| clean_line(url)).collect();
    book.birthday = texts(&card, "BDAY").first().and_then(|birthday| clean_line(birthday));
    let notes: Vec<String> = texts(&card, "NOTE").iter().filter_map(|note| clean_text(note)).collect();
    book.note = (!notes.is_empty()).then(|| notes.join("\n"));
    book.draft = card.to_draft();
    sanitize_draft(&mut book.draft);
    book
}

/// The unescaped, trimmed values of every property with this name.
fn texts(card: &Card, name: &str) -> Vec<String> {
    card.properties_named(name).map(|property| property.text()).filter(|text| !text.is_empty()).collect()
}
