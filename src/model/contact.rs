//! Contacts, the drafts that importers and scanners produce, and property history rows.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Property, Source, Timestamp};

/// The store's row id of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ContactId(pub i64);

impl fmt::Display for ContactId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}", self.0)
    }
}

/// One further phone number with its type label (`work`, `home`, `pager`, `main`…).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhoneEntry {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// A contact's values as importers, scanners and the edit form produce them.
/// The store turns a draft into a new contact or merges it into an existing one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactDraft {
    /// Single-valued standard properties; never holds the two list properties or empty strings.
    pub values: BTreeMap<Property, String>,
    pub additional_emails: Vec<String>,
    pub additional_phones: Vec<PhoneEntry>,
    /// User-defined properties by name.
    pub custom: BTreeMap<String, String>,
    /// vCard content lines rolo does not model (X- fields, PHOTO, BDAY, IMPP…), unfolded,
    /// kept so that an export gives them back.
    pub vcard_extra: Vec<String>,
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: ContactId,
    pub draft: ContactDraft,
    /// E.164 forms of `phone`, `mobile_phone` and `fax` where they could be parsed.
    pub normalized_phones: BTreeMap<Property, String>,
    /// The company this contact is associated with through its email domain.
    pub company_id: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Set while the contact is in the trash.
    pub deleted_at: Option<Timestamp>,
}

/// The few columns the contact list shows, cheap to load for 100,000 rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSummary {
    pub id: ContactId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub company: String,
    pub job_title: String,
    pub lifecycle_stage: String,
    pub updated_at: Timestamp,
    /// The email is on the do-not-email list (unsubscribed, bounced or complained).
    pub is_do_not_email: bool,
}

/// One recorded change of one property: the history the detail view shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PropertyChange {
    pub contact_id: ContactId,
    /// A standard property key or a custom property name.
    pub property: String,
    /// The new value; empty when the property was cleared. JSON for list properties.
    pub value: String,
    pub source: Source,
    pub at: Timestamp,
}

impl ContactDraft {
    pub fn get(&self, property: Property) -> Option<&str> {
        self.values.get(&property).map(String::as_str)
    }

    /// Sets a single-valued property; an empty or blank value removes it.
    pub fn set(&mut self, property: Property, value: impl Into<String>) {
        debug_assert!(!property.is_list(), "list properties have their own fields");
        let value = value.into();
        let trimmed = value.trim();
        if trimmed.is_empty() {
            self.values.remove(&property);
        } else if trimmed.len() == value.len() {
            self.values.insert(property, value);
        } else {
            self.values.insert(property, trimmed.to_string());
        }
    }

    /// Sets a value only when the draft has none yet.
    pub fn set_if_empty(&mut self, property: Property, value: impl Into<String>) {
        if !self.values.contains_key(&property) {
            self.set(property, value);
        }
    }

    /// "First Last", else the email, else the company, else "(no name)".
    pub fn display_name(&self) -> String {
        let name = [self.get(Property::FirstName), self.get(Property::LastName)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            return name;
        }
        self.get(Property::Email).or(self.get(Property::Company)).unwrap_or("(no name)").to_string()
    }

    /// True when nothing would be stored.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.additional_emails.is_empty()
            && self.additional_phones.is_empty()
            && self.custom.is_empty()
            && self.vcard_extra.is_empty()
    }

    /// The value of a property by key, as the history table stores it: lists as JSON.
    pub fn value_by_key(&self, key: &str) -> Option<String> {
        match key.parse::<Property>() {
            Ok(Property::AdditionalEmails) => {
                (!self.additional_emails.is_empty()).then(|| json_text(&self.additional_emails))
            }
            Ok(Property::AdditionalPhones) => {
                (!self.additional_phones.is_empty()).then(|| json_text(&self.additional_phones))
            }
            Ok(property) => self.get(property).map(str::to_string),
            Err(_) => self.custom.get(key).cloned(),
        }
    }

    /// Every property key that has a value, standard ones first.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.values.keys().map(|property| property.key().to_string()).collect();
        if !self.additional_emails.is_empty() {
            keys.push(Property::AdditionalEmails.key().to_string());
        }
        if !self.additional_phones.is_empty() {
            keys.push(Property::AdditionalPhones.key().to_string());
        }
        keys.extend(self.custom.keys().cloned());
        keys
    }

    /// The JSON object of the one vocabulary: standard keys, then custom names; absent = omitted.
    pub fn to_json_map(&self) -> Map<String, Value> {
        let mut map = Map::new();
        for (property, value) in &self.values {
            map.insert(property.key().to_string(), Value::String(value.clone()));
        }
        if !self.additional_emails.is_empty() {
            map.insert(Property::AdditionalEmails.key().to_string(), Value::from(self.additional_emails.clone()));
        }
        if !self.additional_phones.is_empty() {
            map.insert(
                Property::AdditionalPhones.key().to_string(),
                serde_json::to_value(&self.additional_phones).unwrap_or(Value::Null),
            );
        }
        for (name, value) in &self.custom {
            map.entry(name.clone()).or_insert_with(|| Value::String(value.clone()));
        }
        map
    }
}

impl Contact {
    /// The `rolo list --json` object: `id` plus the draft's keys.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("id".into(), Value::from(self.id.0));
        map.extend(self.draft.to_json_map());
        Value::Object(map)
    }
}

impl ContactSummary {
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first_name, self.last_name).trim().to_string();
        if !name.is_empty() {
            name
        } else if !self.email.is_empty() {
            self.email.clone()
        } else if !self.company.is_empty() {
            self.company.clone()
        } else {
            "(no name)".to_string()
        }
    }
}

fn json_text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_trims_and_blank_removes() {
        let mut draft = ContactDraft::default();
        draft.set(Property::City, "  Berlin ");
        assert_eq!(draft.get(Property::City), Some("Berlin"));
        draft.set(Property::City, "   ");
        assert_eq!(draft.get(Property::City), None);
    }

    #[test]
    fn json_uses_vocabulary_and_omits_absent() {
        let mut draft = ContactDraft::default();
        draft.set(Property::FirstName, "Ada");
        draft.additional_phones.push(PhoneEntry { kind: "pager".into(), value: "123".into() });
        draft.custom.insert("badge_id".into(), "B-7".into());
        let json = Value::Object(draft.to_json_map());
        assert_eq!(
            json,
            serde_json::json!({"first_name": "Ada", "additional_phones": [{"type": "pager", "value": "123"}], "badge_id": "B-7"})
        );
    }

    #[test]
    fn display_name_falls_back() {
        let mut draft = ContactDraft::default();
        assert_eq!(draft.display_name(), "(no name)");
        draft.set(Property::Company, "Acme");
        assert_eq!(draft.display_name(), "Acme");
        draft.set(Property::Email, "a@acme.com");
        assert_eq!(draft.display_name(), "a@acme.com");
        draft.set(Property::LastName, "Lovelace");
        assert_eq!(draft.display_name(), "Lovelace");
    }
}
