//! How rolo's own fields travel through vCard, shared by import and export so that a card
//! rolo writes reads back as the same draft: phone kinds (TYPE or X-ABLabel), `X-ROLO-`
//! property names, and the marker on additional emails and phones.

/// Prefix of the properties that carry rolo fields vCard has no property for.
pub(crate) const ROLO_PROPERTY_PREFIX: &str = "X-ROLO-";
/// A custom property whose name does not fit in a property name: `X-ROLO-CUSTOM;X-NAME=…`.
pub(crate) const CUSTOM_PROPERTY: &str = "X-ROLO-CUSTOM";
pub(crate) const CUSTOM_NAME_PARAM: &str = "X-NAME";
/// Marks an EMAIL or TEL that must stay an additional value although the draft has no
/// primary one; without it the first such value would be read back as the primary.
pub(crate) const ADDITIONAL_PARAM: &str = "X-ROLO-ADDITIONAL";

/// Which single-valued phone property a TEL can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhoneClass {
    Mobile,
    Fax,
    Other,
}

/// Phone kinds written as a TYPE and read back from it; other kinds travel as X-ABLabel.
pub(crate) const TYPED_PHONE_KINDS: [(&str, &str); 9] = [
    ("mobile", "cell"),
    ("fax", "fax"),
    ("pager", "pager"),
    ("main", "main"),
    ("work", "work"),
    ("home", "home"),
    ("car", "car"),
    ("isdn", "isdn"),
    ("other", "voice"),
];

/// The kind of a TEL: its X-ABLabel, else its most telling TYPE, else "other".
pub(crate) fn phone_kind(types: &[String], label: Option<&str>) -> String {
    if let Some(label) = label.map(label_text).filter(|label| !label.is_empty()) {
        return label;
    }
    let type_kinds = [("cell", "mobile"), ("mobile", "mobile"), ("iphone", "mobile")]
        .into_iter()
        .chain(TYPED_PHONE_KINDS.iter().take(8).map(|&(kind, type_name)| (type_name, kind)));
    for (type_name, kind) in type_kinds {
        if types.iter().any(|candidate| candidate == type_name) {
            return kind.to_string();
        }
    }
    "other".to_string()
}

/// Mobile for TYPE=cell or a mobile-like kind, fax for TYPE=fax or a kind mentioning fax.
pub(crate) fn phone_class(types: &[String], kind: &str) -> PhoneClass {
    let has_type = |wanted: &str| types.iter().any(|type_name| type_name == wanted);
    let kind = kind.to_lowercase();
    if has_type("cell") || has_type("mobile") || has_type("iphone") {
        PhoneClass::Mobile
    } else if has_type("fax") || kind.contains("fax") {
        PhoneClass::Fax
    } else if kind.contains("mobile") || matches!(kind.as_str(), "cell" | "cellular" | "iphone" | "handy") {
        PhoneClass::Mobile
    } else {
        PhoneClass::Other
    }
}

/// The TYPE for a phone kind that has one (`mobile` → `cell`).
pub(crate) fn phone_type_for_kind(kind: &str) -> Option<&'static str> {
    TYPED_PHONE_KINDS.iter().find(|(typed_kind, _)| *typed_kind == kind).map(|&(_, type_name)| type_name)
}

/// Apple's `_$!<HomeFAX>!$_` becomes `home fax`; other labels stay as written, trimmed.
pub(crate) fn label_text(label: &str) -> String {
    let label = label.trim();
    let Some(inner) = label.strip_prefix("_$!<").and_then(|rest| rest.strip_suffix(">!$_")) else {
        return label.to_string();
    };
    let lowercase = inner.trim().to_lowercase();
    match lowercase.strip_suffix("fax") {
        Some(before_fax) if !before_fax.is_empty() => format!("{} fax", before_fax.trim()),
        _ => lowercase,
    }
}

/// The property name and, for names that do not fit in one, the X-NAME parameter value
/// of a rolo field: `badge_id` → `X-ROLO-BADGE-ID`, `Favorite color` →
/// `X-ROLO-CUSTOM;X-NAME=Favorite color`.
pub(crate) fn rolo_property_name(name: &str) -> (String, Option<String>) {
    let fits_property_name =
        !name.is_empty() && name.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_');
    if fits_property_name {
        (format!("{ROLO_PROPERTY_PREFIX}{}", name.to_ascii_uppercase().replace('_', "-")), None)
    } else {
        (CUSTOM_PROPERTY.to_string(), Some(encode_param_value(name)))
    }
}

/// The rolo field name of an `X-ROLO-` property; `None` for other properties.
pub(crate) fn rolo_field_name(property_name: &str, name_param: Option<&str>) -> Option<String> {
    let encoded = property_name.strip_prefix(ROLO_PROPERTY_PREFIX)?;
    if property_name == CUSTOM_PROPERTY
        && let Some(name_param) = name_param
    {
        return Some(decode_param_value(name_param));
    }
    Some(encoded.to_ascii_lowercase().replace('-', "_"))
}

/// RFC 6868 caret encoding, so that any name fits in a quoted parameter value.
fn encode_param_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for character in value.chars() {
        match character {
            '^' => encoded.push_str("^^"),
            '\n' => encoded.push_str("^n"),
            '"' => encoded.push_str("^'"),
            '\r' => (),
            _ => encoded.push(character),
        }
    }
    encoded
}

fn decode_param_value(value: &str) -> String {
    let mut decoded = String::with_capacity(value.len());
    let mut characters = value.chars();
    while let Some(character) = characters.next() {
        if character != '^' {
            decoded.push(character);
            continue;
        }
        match characters.next() {
            Some('^') => decoded.push('^'),
            Some('n' | 'N') => decoded.push('\n'),
            Some('\'') => decoded.push('"'),
            Some(other) => {
                decoded.push('^');
                decoded.push(other);
            }
            None => decoded.push('^'),
        }
    }
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(types: &[&str], label: Option<&str>, expected_kind: &str, expected_class: PhoneClass) {
        let types: Vec<String> = types.iter().map(|type_name| type_name.to_string()).collect();
        let kind = phone_kind(&types, label);
        assert_eq!(kind, expected_kind, "{types:?} {label:?}");
        assert_eq!(phone_class(&types, &kind), expected_class, "{types:?} {label:?}");
    }

    #[test]
    fn phone_kinds_and_classes() {
        check(&["cell", "voice"], None, "mobile", PhoneClass::Mobile);
        check(&["home", "fax"], None, "fax", PhoneClass::Fax);
        check(&["work", "voice", "pref"], None, "work", PhoneClass::Other);
        check(&["x-nec-secret"], None, "other", PhoneClass::Other);
        check(&[], Some("_$!<Mobile>!$_"), "mobile", PhoneClass::Mobile);
        check(&[], Some("_$!<HomeFAX>!$_"), "home fax", PhoneClass::Fax);
        check(&["voice"], Some("Sat phone"), "Sat phone", PhoneClass::Other);
        check(&["voice"], Some("  "), "other", PhoneClass::Other);
        check(&[], Some("Cell"), "Cell", PhoneClass::Mobile);
        check(&["cell"], Some("Sat phone"), "Sat phone", PhoneClass::Mobile);
    }

    #[test]
    fn rolo_names_round_trip() {
        for name in
            ["badge_id", "custom", "department", "lifecycle_stage", "x9", "Favorite color", "a-b", "a^b\"c\nd", "ключ"]
        {
            let (property_name, name_param) = rolo_property_name(name);
            assert!(property_name.starts_with(ROLO_PROPERTY_PREFIX));
            assert_eq!(rolo_field_name(&property_name, name_param.as_deref()).as_deref(), Some(name), "{name:?}");
        }
        assert_eq!(rolo_property_name("badge_id").0, "X-ROLO-BADGE-ID");
        assert_eq!(rolo_field_name("X-ROLO-DEPARTMENT", None).as_deref(), Some("department"));
        assert_eq!(rolo_field_name("X-ABLABEL", None), None);
    }
}
