//! Writes drafts as vCard 3.0 or 4.0: CRLF line ends, lines folded at 75 octets (never
//! inside a UTF-8 sequence), values escaped. What the importer kept in `vcard_extra` is
//! written back, adapted where the target version needs it, so that a card read by
//! `import::vcard` and written here reads back as the same draft.

use std::collections::HashSet;
use std::io::Write;

use crate::import::vcard::conventions::{
    ADDITIONAL_PARAM, CUSTOM_NAME_PARAM, PhoneClass, ROLO_PROPERTY_PREFIX, phone_class, phone_type_for_kind,
    rolo_property_name,
};
use crate::import::vcard::text::{escape_text, escape_uri, split_raw_components};
use crate::import::vcard::{VcardProperty, parse_single_line, render_content_line};
use crate::model::{ContactDraft, Property};

use super::Error;

/// The vCard version to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VcardVersion {
    /// RFC 2426, what older address books and CRMs expect.
    V3,
    /// RFC 6350.
    V4,
}

/// The longest line in octets, CRLF excluded (RFC 6350, section 3.2).
const MAX_LINE_OCTETS: usize = 75;

/// Standard properties vCard has no property for; they travel as `X-ROLO-<KEY>`.
const ROLO_ONLY_PROPERTIES: [Property; 5] = [
    Property::LifecycleStage,
    Property::Owner,
    Property::OriginalSource,
    Property::OriginalSourceDrillDown1,
    Property::OriginalSourceDrillDown2,
];

/// Extra lines that would clash with what this writer produces itself.
const PROPERTIES_WRITTEN_HERE: [&str; 6] = ["BEGIN", "END", "VERSION", "PRODID", "FN", "N"];

/// One card. FN is the display name ("" when the draft has no name, email or company).
pub fn write_vcard(draft: &ContactDraft, version: VcardVersion, uid: Option<&str>) -> String {
    let extras: Vec<VcardProperty> = draft.vcard_extra.iter().filter_map(|line| parse_single_line(line)).collect();
    let used_groups = extras.iter().filter_map(|property| property.group.as_ref().map(|group| group.to_lowercase()));
    let mut card = CardWriter { text: String::new(), version, used_groups: used_groups.collect(), next_item: 1 };

    card.push("BEGIN:VCARD");
    card.push(match version {
        VcardVersion::V3 => "VERSION:3.0",
        VcardVersion::V4 => "VERSION:4.0",
    });
    card.push(&format!("PRODID:-//rolo//rolo {}//EN", env!("CARGO_PKG_VERSION")));
    if let Some(uid) = uid {
        card.push(&format!("UID:{}", escape_text(uid)));
    }
    card.write_names(draft, extras.iter().find(|property| property.name == "N"));
    card.write_emails(draft);
    card.write_phones(draft);
    card.write_work_and_address(draft);
    card.write_rolo_fields(draft);
    for extra in &extras {
        let is_written_here = PROPERTIES_WRITTEN_HERE.contains(&extra.name.as_str())
            || extra.name.starts_with(ROLO_PROPERTY_PREFIX)
            || (extra.name == "UID" && uid.is_some());
        if !is_written_here {
            card.push(&adapted_extra_line(extra, version));
        }
    }
    card.push("END:VCARD");
    card.text
}

/// Writes every draft as one card after the other.
pub fn write_vcards(drafts: &[ContactDraft], version: VcardVersion, out: &mut impl Write) -> Result<(), Error> {
    for draft in drafts {
        out.write_all(write_vcard(draft, version, None).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

struct CardWriter {
    text: String,
    version: VcardVersion,
    /// Lowercased groups of the extra lines, which item groups for labels must avoid.
    used_groups: HashSet<String>,
    next_item: usize,
}

impl CardWriter {
    /// Appends one content line, folded, with CRLF.
    fn push(&mut self, line: &str) {
        let line = if line.contains('\0') { line.replace('\0', "") } else { line.to_string() };
        let mut remaining = line.as_str();
        let mut limit = MAX_LINE_OCTETS;
        while remaining.len() > limit {
            let mut split_at = limit;
            while !remaining.is_char_boundary(split_at) {
                split_at -= 1;
            }
            self.text.push_str(&remaining[..split_at]);
            self.text.push_str("\r\n ");
            remaining = &remaining[split_at..];
            // A continuation line starts with the folding space.
            limit = MAX_LINE_OCTETS - 1;
        }
        self.text.push_str(remaining);
        self.text.push_str("\r\n");
    }

    fn write_names(&mut self, draft: &ContactDraft, kept_name: Option<&VcardProperty>) {
        let has_display_name = [Property::FirstName, Property::LastName, Property::Email, Property::Company]
            .into_iter()
            .any(|property| draft.get(property).is_some());
        let formatted_name = if has_display_name { escape_text(&draft.display_name()) } else { String::new() };
        self.push(&format!("FN:{formatted_name}"));
        self.push(&name_line(draft, kept_name));
    }

    fn write_emails(&mut self, draft: &ContactDraft) {
        let internet_type = match self.version {
            VcardVersion::V3 => ";TYPE=INTERNET",
            VcardVersion::V4 => "",
        };
        if let Some(email) = draft.get(Property::Email) {
            let pref = match self.version {
                VcardVersion::V3 => ";TYPE=PREF",
                VcardVersion::V4 => ";PREF=1",
            };
            self.push(&format!("EMAIL{internet_type}{pref}:{}", escape_text(email)));
        }
        let marker =
            if draft.get(Property::Email).is_none() { format!(";{ADDITIONAL_PARAM}=TRUE") } else { String::new() };
        for email in &draft.additional_emails {
            self.push(&format!("EMAIL{internet_type}{marker}:{}", escape_text(email)));
        }
    }

    fn write_phones(&mut self, draft: &ContactDraft) {
        for (property, type_name) in
            [(Property::Phone, "voice"), (Property::MobilePhone, "cell"), (Property::Fax, "fax")]
        {
            if let Some(number) = draft.get(property) {
                self.push(&format!("TEL;TYPE={type_name}:{}", escape_text(number)));
            }
        }
        for phone in &draft.additional_phones {
            let type_name = phone_type_for_kind(&phone.kind);
            let written_types: Vec<String> = type_name.map(str::to_string).into_iter().collect();
            let slot = match phone_class(&written_types, &phone.kind) {
                PhoneClass::Mobile => Property::MobilePhone,
                PhoneClass::Fax => Property::Fax,
                PhoneClass::Other => Property::Phone,
            };
            // Without the marker, this number would be read back into the empty slot.
            let marker = if draft.get(slot).is_none() { format!(";{ADDITIONAL_PARAM}=TRUE") } else { String::new() };
            let number = escape_text(&phone.value);
            match type_name {
                Some(type_name) => {
                    let voice = if matches!(type_name, "work" | "home") { ";TYPE=voice" } else { "" };
                    self.push(&format!("TEL;TYPE={type_name}{voice}{marker}:{number}"));
                }
                None => {
                    let group = self.free_item_group();
                    self.push(&format!("{group}.TEL{marker}:{number}"));
                    self.push(&format!("{group}.X-ABLabel:{}", escape_text(&phone.kind)));
                }
            }
        }
    }

    /// TITLE, ORG (with the custom `department` as its second component), URL, ADR, NOTE.
    fn write_work_and_address(&mut self, draft: &ContactDraft) {
        if let Some(title) = draft.get(Property::JobTitle) {
            self.push(&format!("TITLE:{}", escape_text(title)));
        }
        if let Some(company) = draft.get(Property::Company) {
            let department = draft.custom.get("department");
            let department = department.map(|department| format!(";{}", escape_text(department))).unwrap_or_default();
            self.push(&format!("ORG:{}{department}", escape_text(company)));
        }
        if let Some(website) = draft.get(Property::Website) {
            self.push(&format!("URL:{}", escape_uri(website)));
        }
        let address_parts =
            [Property::StreetAddress, Property::City, Property::State, Property::PostalCode, Property::Country]
                .map(|property| escape_text(draft.get(property).unwrap_or_default()));
        if address_parts.iter().any(|part| !part.is_empty()) {
            self.push(&format!("ADR;TYPE=work:;;{}", address_parts.join(";")));
        }
        if let Some(notes) = draft.get(Property::Notes) {
            self.push(&format!("NOTE:{}", escape_text(notes)));
        }
    }

    /// Lifecycle stage, owner, original source and custom properties as `X-ROLO-` lines.
    fn write_rolo_fields(&mut self, draft: &ContactDraft) {
        for property in ROLO_ONLY_PROPERTIES {
            if let Some(value) = draft.get(property) {
                self.push(&format!("{}:{}", rolo_property_name(property.key()).0, escape_text(value)));
            }
        }
        for (name, value) in &draft.custom {
            // With a company, the department is ORG's second component.
            if name == "department" && draft.get(Property::Company).is_some() {
                continue;
            }
            let (property_name, name_param) = rolo_property_name(name);
            let params: Vec<(String, String)> =
                name_param.map(|name_param| (CUSTOM_NAME_PARAM.to_string(), name_param)).into_iter().collect();
            self.push(&render_content_line(None, &property_name, &params, &escape_text(value)));
        }
    }

    /// `item1`, `item2`… skipping groups that the extra lines already use.
    fn free_item_group(&mut self) -> String {
        loop {
            let group = format!("item{}", self.next_item);
            self.next_item += 1;
            if self.used_groups.insert(group.clone()) {
                return group;
            }
        }
    }
}

/// N from the draft's names; additional names, prefix and suffix (and parameters) come
/// from the N line the importer kept in `vcard_extra`.
fn name_line(draft: &ContactDraft, kept_name: Option<&VcardProperty>) -> String {
    let kept_name =
        kept_name.map(|property| parse_single_line(&property.portable_line()).unwrap_or_else(|| property.clone()));
    let mut components: Vec<String> = kept_name
        .as_ref()
        .map(|property| split_raw_components(&property.value).into_iter().map(str::to_string).collect())
        .unwrap_or_default();
    components.resize(components.len().max(5), String::new());
    components[0] = escape_text(draft.get(Property::LastName).unwrap_or_default());
    components[1] = escape_text(draft.get(Property::FirstName).unwrap_or_default());
    match kept_name {
        Some(property) => render_content_line(property.group.as_deref(), "N", &property.params, &components.join(";")),
        None => format!("N:{}", components.join(";")),
    }
}

/// An extra line as the target version wants it: 2.1 forms rewritten, base64 values as
/// `ENCODING=b` for 3.0 and as a `data:` URI for 4.0.
fn adapted_extra_line(extra: &VcardProperty, version: VcardVersion) -> String {
    if !extra.is_base64() {
        return extra.portable_line();
    }
    let Some(portable) = parse_single_line(&extra.portable_line()) else {
        return extra.portable_line();
    };
    let data: String = portable.value.chars().filter(|character| !character.is_whitespace()).collect();
    match version {
        VcardVersion::V3 => {
            let params: Vec<(String, String)> =
                portable
                    .params
                    .iter()
                    .map(|(name, value)| {
                        if name == "ENCODING" { (name.clone(), "b".to_string()) } else { (name.clone(), value.clone()) }
                    })
                    .collect();
            render_content_line(portable.group.as_deref(), &portable.name, &params, &data)
        }
        VcardVersion::V4 => {
            let media_type = media_type(&portable);
            let params: Vec<(String, String)> =
                portable.params.iter().filter(|(name, _)| name != "ENCODING" && name != "TYPE").cloned().collect();
            render_content_line(
                portable.group.as_deref(),
                &portable.name,
                &params,
                &format!("data:{media_type};base64,{data}"),
            )
        }
    }
}

/// The media type of a 2.1 or 3.0 inline value from its TYPE (`JPEG` → `image/jpeg`).
fn media_type(property: &VcardProperty) -> String {
    let subtype = property.types().into_iter().next().unwrap_or_default();
    match (property.name.as_str(), subtype.as_str()) {
        (_, "") => "application/octet-stream".to_string(),
        ("PHOTO" | "LOGO", "jpg") => "image/jpeg".to_string(),
        ("PHOTO" | "LOGO", subtype) => format!("image/{subtype}"),
        ("SOUND", subtype) => format!("audio/{subtype}"),
        ("KEY", "x509") => "application/pkix-cert".to_string(),
        ("KEY", "pgp") => "application/pgp-keys".to_string(),
        _ => "application/octet-stream".to_string(),
    }
}

#[cfg(test)]
mod tests;
