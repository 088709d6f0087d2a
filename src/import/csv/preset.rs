//! Presets: the export formats of other CRMs and email tools, recognised by their header
//! rows. A preset only knows what its exporter means by a few columns; every other column
//! goes through the generic header matching.

use std::fmt;
use std::str::FromStr;

use super::header::{ColumnTarget, normalize_header};
use crate::model::Property;

/// The tool a file was exported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CsvPreset {
    Mailchimp,
    ConstantContact,
    /// Google Contacts, "Google CSV" (current).
    Google,
    /// Google Contacts, the older "Google CSV" (Given Name, Family Name, Group Membership).
    GoogleLegacy,
    /// Google Contacts' "Outlook CSV" export.
    GoogleOutlookCsv,
    /// Classic Outlook for Windows (92 columns, Windows-1252).
    OutlookDesktop,
    /// Outlook.com and the new Outlook.
    OutlookCom,
    HubSpot,
    Zoho,
    Salesforce,
    /// Any other spreadsheet: headers are matched by their words.
    Generic,
}

impl CsvPreset {
    pub const ALL: [CsvPreset; 11] = [
        CsvPreset::Mailchimp,
        CsvPreset::ConstantContact,
        CsvPreset::Google,
        CsvPreset::GoogleLegacy,
        CsvPreset::GoogleOutlookCsv,
        CsvPreset::OutlookDesktop,
        CsvPreset::OutlookCom,
        CsvPreset::HubSpot,
        CsvPreset::Zoho,
        CsvPreset::Salesforce,
        CsvPreset::Generic,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CsvPreset::Mailchimp => "mailchimp",
            CsvPreset::ConstantContact => "constant_contact",
            CsvPreset::Google => "google",
            CsvPreset::GoogleLegacy => "google_legacy",
            CsvPreset::GoogleOutlookCsv => "google_outlook_csv",
            CsvPreset::OutlookDesktop => "outlook_desktop",
            CsvPreset::OutlookCom => "outlook_com",
            CsvPreset::HubSpot => "hubspot",
            CsvPreset::Zoho => "zoho",
            CsvPreset::Salesforce => "salesforce",
            CsvPreset::Generic => "generic",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CsvPreset::Mailchimp => "Mailchimp",
            CsvPreset::ConstantContact => "Constant Contact",
            CsvPreset::Google => "Google Contacts",
            CsvPreset::GoogleLegacy => "Google Contacts (older Google CSV)",
            CsvPreset::GoogleOutlookCsv => "Google Contacts (Outlook CSV)",
            CsvPreset::OutlookDesktop => "Outlook for Windows",
            CsvPreset::OutlookCom => "Outlook.com",
            CsvPreset::HubSpot => "HubSpot",
            CsvPreset::Zoho => "Zoho CRM",
            CsvPreset::Salesforce => "Salesforce",
            CsvPreset::Generic => "generic CSV or spreadsheet",
        }
    }

    /// The preset whose exporter writes this header row.
    pub fn detect(headers: &[String]) -> CsvPreset {
        let names: Vec<String> = headers.iter().map(|header| header.trim().to_lowercase()).collect();
        let has = |name: &str| names.iter().any(|known| known == name);
        let has_any = |candidates: &[&str]| candidates.iter().any(|name| has(name));
        if has("email address") && has_any(&["member_rating", "optin_time", "leid", "euid", "confirm_time"]) {
            CsvPreset::Mailchimp
        } else if has_any(&["email address", "email"])
            && has_any(&["email status", "email permission status", "email lists", "email update source"])
        {
            CsvPreset::ConstantContact
        } else if has("record id")
            && has_any(&["email opt out", "contact owner.id", "account name.id", "secondary email"])
        {
            CsvPreset::Zoho
        } else if has("record id")
            && has_any(&["lifecycle stage", "contact owner", "marketing contact status", "unsubscribed from all email"])
        {
            CsvPreset::HubSpot
        } else if has("id") && has_any(&["hasoptedoutofemail", "isdeleted", "masterrecordid", "emailbouncedreason"]) {
            CsvPreset::Salesforce
        } else if has("e-mail 1 - value") && has_any(&["labels", "organization name", "e-mail 1 - label"]) {
            CsvPreset::Google
        } else if has("given name")
            && has("family name")
            && has_any(&["group membership", "e-mail 1 - type", "e-mail 1 - value"])
        {
            CsvPreset::GoogleLegacy
        } else if has("e-mail address") && has_any(&["e-mail type", "e-mail display name"]) {
            CsvPreset::OutlookDesktop
        } else if has("e-mail address") && has_any(&["business country/region", "home country/region"]) {
            CsvPreset::OutlookCom
        } else if has("e-mail address") && has_any(&["home country", "business country", "categories"]) {
            CsvPreset::GoogleOutlookCsv
        } else {
            CsvPreset::Generic
        }
    }

    /// What this exporter means by a header, where it differs from the generic matching or
    /// the column is the exporter's own bookkeeping.
    pub fn target(self, header: &str) -> Option<ColumnTarget> {
        let normalized = normalize_header(header);
        let ignore = |names: &[&str]| names.contains(&normalized.as_str()).then_some(ColumnTarget::Ignore);
        let custom = |name: &str| ColumnTarget::Custom(name.to_string());
        match self {
            CsvPreset::Mailchimp => match normalized.as_str() {
                "unsub time" => Some(ColumnTarget::OptOut),
                "clean time" => Some(ColumnTarget::Bounced),
                "euid" => Some(ColumnTarget::ExternalId),
                "tags" => Some(ColumnTarget::Lists),
                "address" => {
                    Some(ColumnTarget::Address { part: super::header::AddressPart::Street, group: String::new() })
                }
                "unsub reason" | "unsub reason other" => Some(custom("unsubscribe_reason")),
                "birthday" => Some(custom("birthday")),
                _ => ignore(&[
                    "member rating",
                    "optin time",
                    "optin ip",
                    "confirm time",
                    "confirm ip",
                    "latitude",
                    "longitude",
                    "gmtoff",
                    "dstoff",
                    "timezone",
                    "cc",
                    "region",
                    "last changed",
                    "leid",
                    "unsub campaign title",
                    "unsub campaign id",
                    "clean campaign title",
                    "clean campaign id",
                    "notes 1",
                ]),
            },
            CsvPreset::ConstantContact => match normalized.as_str() {
                "email status" | "email permission status" => Some(ColumnTarget::EmailStatus),
                "confirmed opt out date" => Some(ColumnTarget::OptOut),
                "confirmed opt out reason" => Some(custom("opt_out_reason")),
                "confirmed opt out source" | "email update source" | "created at" | "updated at" => {
                    Some(ColumnTarget::Ignore)
                }
                "source name" => Some(custom("source_name")),
                _ => None,
            },
            CsvPreset::Google | CsvPreset::GoogleLegacy => match normalized.as_str() {
                "name" => Some(ColumnTarget::FullName),
                "organization 1 name" | "organization name" => Some(ColumnTarget::Property(Property::Company)),
                "organization 1 title" | "organization title" => Some(ColumnTarget::Property(Property::JobTitle)),
                "labels" | "group membership" => Some(ColumnTarget::Lists),
                "address 1 formatted"
                | "file as"
                | "initials"
                | "short name"
                | "directory server"
                | "billing information"
                | "mileage"
                | "sensitivity"
                | "priority"
                | "subject"
                | "gender"
                | "yomi name" => Some(ColumnTarget::Ignore),
                _ => None,
            },
            CsvPreset::GoogleOutlookCsv | CsvPreset::OutlookDesktop | CsvPreset::OutlookCom => {
                match normalized.as_str() {
                    // Outlook's "Title" is the form of address ("Dr."), not the job title.
                    "title" => Some(custom("salutation")),
                    "suffix" => Some(custom("name_suffix")),
                    "categories" => Some(ColumnTarget::Lists),
                    "web page" | "personal web page" => Some(ColumnTarget::Property(Property::Website)),
                    "home address" | "business address" | "other address" => Some(ColumnTarget::Ignore),
                    "anniversary" | "birthday" if self == CsvPreset::OutlookDesktop => Some(ColumnTarget::Ignore),
                    "gender"
                    | "priority"
                    | "private"
                    | "sensitivity"
                    | "initials"
                    | "internet free busy"
                    | "directory server"
                    | "billing information"
                    | "mileage"
                    | "keywords"
                    | "account"
                    | "location"
                    | "office location"
                    | "government id number"
                    | "organizational id number"
                    | "user 1"
                    | "user 2"
                    | "user 3"
                    | "user 4"
                    | "language"
                    | "hobby"
                    | "given yomi"
                    | "surname yomi"
                    | "company yomi" => Some(ColumnTarget::Ignore),
                    _ => None,
                }
            }
            CsvPreset::HubSpot => match normalized.as_str() {
                "record id" => Some(ColumnTarget::ExternalId),
                "associated company" => Some(ColumnTarget::Property(Property::Company)),
                "phone number" => Some(ColumnTarget::Property(Property::Phone)),
                "primary associated company id" | "create date" | "last activity date" | "last modified date" => {
                    Some(ColumnTarget::Ignore)
                }
                _ => None,
            },
            CsvPreset::Zoho => match normalized.as_str() {
                "record id" => Some(ColumnTarget::ExternalId),
                "tag" => Some(ColumnTarget::Lists),
                "description" => Some(ColumnTarget::Property(Property::Notes)),
                "created time" | "modified time" | "last activity time" => Some(ColumnTarget::Ignore),
                _ => None,
            },
            CsvPreset::Salesforce => match normalized.as_str() {
                "id" => Some(ColumnTarget::ExternalId),
                "name" => Some(ColumnTarget::FullName),
                "title" => Some(ColumnTarget::Property(Property::JobTitle)),
                "email bounced date" => Some(ColumnTarget::Bounced),
                "is deleted"
                | "master record id"
                | "account id"
                | "owner id"
                | "created date"
                | "last modified date"
                | "created by id"
                | "last modified by id"
                | "system modstamp"
                | "last activity date" => Some(ColumnTarget::Ignore),
                _ => None,
            },
            CsvPreset::Generic => None,
        }
    }
}

impl fmt::Display for CsvPreset {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.key())
    }
}

impl FromStr for CsvPreset {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_lowercase().replace(['-', ' '], "_");
        CsvPreset::ALL.into_iter().find(|preset| preset.key() == wanted).ok_or_else(|| {
            let names: Vec<&str> = CsvPreset::ALL.iter().map(|preset| preset.key()).collect();
            format!("unknown preset {text:?}: choose one of {}", names.join(", "))
        })
    }
}

/// The status every row of a file has because of the file's name: Mailchimp exports one
/// file per status (`unsubscribed_…`, `cleaned_…`, `nonsubscribed_…`, and the older
/// `…_members_export_…` names), and Constant Contact per-status exports end in the status.
pub fn status_from_file_name(file_name: &str) -> Option<super::StatusWord> {
    let stem = file_name.rsplit('/').next().unwrap_or(file_name).to_lowercase();
    let words: Vec<&str> = stem.split(|character: char| !character.is_ascii_alphanumeric()).collect();
    let has = |word: &str| words.contains(&word);
    if has("unsubscribed") || has("optouts") || has("unsubscribes") {
        Some(super::StatusWord::Unsubscribed)
    } else if has("cleaned") || has("bounced") || has("bounces") {
        Some(super::StatusWord::Bounced)
    } else if has("nonsubscribed") {
        Some(super::StatusWord::NoConsent)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(str::to_string).collect()
    }

    #[test]
    fn presets_are_detected_from_headers() {
        for (line, preset) in [
            ("Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,LEID,EUID", CsvPreset::Mailchimp),
            ("Email address,First name,Email status,Email permission status", CsvPreset::ConstantContact),
            ("Record Id,First Name,Email,Email Opt Out,Account Name.id", CsvPreset::Zoho),
            ("Record ID,First Name,Email,Lifecycle Stage,Contact owner", CsvPreset::HubSpot),
            ("Id,LastName,FirstName,Email,HasOptedOutOfEmail", CsvPreset::Salesforce),
            ("First Name,Labels,E-mail 1 - Label,E-mail 1 - Value", CsvPreset::Google),
            ("Name,Given Name,Family Name,Group Membership,E-mail 1 - Value", CsvPreset::GoogleLegacy),
            ("Title,First Name,E-mail Address,E-mail Type,E-mail Display Name", CsvPreset::OutlookDesktop),
            ("First Name,E-mail Address,Business Country/Region", CsvPreset::OutlookCom),
            ("First Name,E-mail Address,Home Country,Categories", CsvPreset::GoogleOutlookCsv),
            ("Email,Name,Company", CsvPreset::Generic),
        ] {
            assert_eq!(CsvPreset::detect(&headers(line)), preset, "{line}");
        }
    }

    #[test]
    fn file_names_carry_statuses() {
        use super::super::StatusWord;
        assert_eq!(status_from_file_name("unsubscribed_email_audience_export_3f.csv"), Some(StatusWord::Unsubscribed));
        assert_eq!(status_from_file_name("cleaned_members_export_3f.csv"), Some(StatusWord::Bounced));
        assert_eq!(status_from_file_name("nonsubscribed_email_audience_export.csv"), Some(StatusWord::NoConsent));
        assert_eq!(status_from_file_name("subscribed_email_audience_export.csv"), None);
        assert_eq!(status_from_file_name("contacts.csv"), None);
    }
}
