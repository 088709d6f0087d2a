//! Email payloads: `mailto:` URIs (RFC 6068, percent-encoded), `smtp:address:subject:body`
//! and a bare address, which must have a dotted domain as ZXing requires since 2024.

use super::{EmailMessage, clean_line, clean_text, strip_prefix_ignoring_case};

/// `mailto:`, `smtp:` or a bare address; `None` for anything else.
pub(super) fn parse(text: &str) -> Option<EmailMessage> {
    if let Some(rest) = strip_prefix_ignoring_case(text, "mailto:") {
        return Some(mailto(rest));
    }
    if let Some(rest) = strip_prefix_ignoring_case(text, "smtp:") {
        let mut parts = rest.splitn(3, ':');
        let address = parts.next().unwrap_or_default();
        return Some(EmailMessage {
            to: split_addresses(address),
            subject: parts.next().and_then(clean_line),
            body: parts.next().and_then(clean_text),
            ..EmailMessage::default()
        });
    }
    let address = text.trim();
    is_email_address(address).then(|| EmailMessage { to: vec![address.to_string()], ..EmailMessage::default() })
}

/// Comma-separated addresses, each sanitized and trimmed; blanks left out.
pub(super) fn split_addresses(text: &str) -> Vec<String> {
    text.split(',').filter_map(clean_line).collect()
}

/// `to,to2?cc=…&bcc=…&subject=…&body=…&to=…`.
fn mailto(rest: &str) -> EmailMessage {
    let (addresses, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut message = EmailMessage { to: split_addresses(&percent_decode(addresses)), ..EmailMessage::default() };
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        match key.to_ascii_lowercase().as_str() {
            "to" => message.to.extend(split_addresses(&value)),
            "cc" => message.cc.extend(split_addresses(&value)),
            "bcc" => message.bcc.extend(split_addresses(&value)),
            "subject" if message.subject.is_none() => message.subject = clean_line(&value),
            "body" if message.body.is_none() => message.body = clean_text(&value),
            _ => (),
        }
    }
    message
}

/// `%XX` escapes decoded as UTF-8 (invalid sequences become U+FFFD); `+` stays a plus.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex_value = |offset: usize| bytes.get(index + offset).and_then(|&byte| (byte as char).to_digit(16));
        match (bytes[index], hex_value(1), hex_value(2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// `local@domain.tld`: an atom-like local part and at least two DNS labels.
fn is_email_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let is_local_character =
        |character: char| character.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(character);
    let is_label = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|character| character.is_ascii_alphanumeric() || character == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    !local.is_empty()
        && local.chars().all(is_local_character)
        && domain.contains('.')
        && domain.split('.').all(is_label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_addresses_need_a_dotted_domain() {
        assert!(is_email_address("srowen@example.org"));
        assert!(is_email_address("a.b+c@mail.example.co.uk"));
        assert!(!is_email_address("srowen@example"));
        assert!(!is_email_address("two@@example.org"));
        assert!(!is_email_address("a b@example.org"));
        assert!(!is_email_address("a@-x.org"));
    }

    #[test]
    fn percent_escapes_decode_as_utf8() {
        assert_eq!(percent_decode("Hell%C3%B6%20a+b%zz%4"), "Hellö a+b%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{fffd}");
    }
}
