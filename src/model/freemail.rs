//! Email addresses: normalization and the free-mail domains that never define a company.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The list lives in assets/ so that it reads as data and can grow without code changes.
const FREE_MAIL_DOMAINS: &str = include_str!("../../assets/free-mail-domains.txt");

/// The form used for uniqueness and dedupe: trimmed, `mailto:` removed, lowercased.
pub fn normalize_email(email: &str) -> String {
    let trimmed = email.trim();
    let without_scheme =
        trimmed.get(..7).filter(|prefix| prefix.eq_ignore_ascii_case("mailto:")).map_or(trimmed, |_| &trimmed[7..]);
    without_scheme.trim().to_lowercase()
}

/// The domain part of an email address, lowercased; `None` when there is no `@`.
pub fn email_domain(email: &str) -> Option<String> {
    let normalized = normalize_email(email);
    let (local, domain) = normalized.rsplit_once('@')?;
    let domain = domain.trim_end_matches('.');
    (!local.is_empty() && domain.contains('.') && !domain.starts_with('.')).then(|| domain.to_string())
}

/// True for consumer mailbox providers (gmail.com, gmx.de, …), whose domain says nothing
/// about the person's company.
pub fn is_free_mail_domain(domain: &str) -> bool {
    static DOMAINS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let domains = DOMAINS.get_or_init(|| {
        FREE_MAIL_DOMAINS.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')).collect()
    });
    domains.contains(domain.trim().to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_free_mail() {
        assert_eq!(normalize_email(" MailTo:Ada@Example.COM "), "ada@example.com");
        assert_eq!(email_domain("ada@Example.com").as_deref(), Some("example.com"));
        assert_eq!(email_domain("not-an-email"), None);
        assert_eq!(email_domain("@example.com"), None);
        for domain in ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "gmx.de", "web.de", "GMAIL.COM"] {
            assert!(is_free_mail_domain(domain), "{domain}");
        }
        assert!(!is_free_mail_domain("acme.com"));
    }
}
