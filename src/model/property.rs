//! The one vocabulary of contact properties, used in JSON output, settings and mappings.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A standard (built-in) contact property. Custom properties are plain names beside these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Property {
    FirstName,
    LastName,
    Email,
    AdditionalEmails,
    AdditionalPhones,
    JobTitle,
    Company,
    Phone,
    MobilePhone,
    Fax,
    Website,
    StreetAddress,
    City,
    State,
    PostalCode,
    Country,
    LifecycleStage,
    Owner,
    OriginalSource,
    OriginalSourceDrillDown1,
    OriginalSourceDrillDown2,
    Notes,
}

/// Every standard property, in the order forms and exports show them.
pub const STANDARD_PROPERTIES: [Property; 22] = [
    Property::FirstName,
    Property::LastName,
    Property::Email,
    Property::AdditionalEmails,
    Property::Phone,
    Property::MobilePhone,
    Property::Fax,
    Property::AdditionalPhones,
    Property::JobTitle,
    Property::Company,
    Property::Website,
    Property::StreetAddress,
    Property::City,
    Property::State,
    Property::PostalCode,
    Property::Country,
    Property::LifecycleStage,
    Property::Owner,
    Property::OriginalSource,
    Property::OriginalSourceDrillDown1,
    Property::OriginalSourceDrillDown2,
    Property::Notes,
];

impl Property {
    /// The machine key, e.g. `first_name`.
    pub fn key(self) -> &'static str {
        match self {
            Property::FirstName => "first_name",
            Property::LastName => "last_name",
            Property::Email => "email",
            Property::AdditionalEmails => "additional_emails",
            Property::AdditionalPhones => "additional_phones",
            Property::JobTitle => "job_title",
            Property::Company => "company",
            Property::Phone => "phone",
            Property::MobilePhone => "mobile_phone",
            Property::Fax => "fax",
            Property::Website => "website",
            Property::StreetAddress => "street_address",
            Property::City => "city",
            Property::State => "state",
            Property::PostalCode => "postal_code",
            Property::Country => "country",
            Property::LifecycleStage => "lifecycle_stage",
            Property::Owner => "owner",
            Property::OriginalSource => "original_source",
            Property::OriginalSourceDrillDown1 => "original_source_drill_down_1",
            Property::OriginalSourceDrillDown2 => "original_source_drill_down_2",
            Property::Notes => "notes",
        }
    }

    /// The label forms and the detail view show.
    pub fn label(self) -> &'static str {
        match self {
            Property::FirstName => "First name",
            Property::LastName => "Last name",
            Property::Email => "Email",
            Property::AdditionalEmails => "Additional emails",
            Property::AdditionalPhones => "Additional phones",
            Property::JobTitle => "Job title",
            Property::Company => "Company name",
            Property::Phone => "Phone number",
            Property::MobilePhone => "Mobile phone number",
            Property::Fax => "Fax number",
            Property::Website => "Website URL",
            Property::StreetAddress => "Street address",
            Property::City => "City",
            Property::State => "State/Region",
            Property::PostalCode => "Postal code",
            Property::Country => "Country/Region",
            Property::LifecycleStage => "Lifecycle stage",
            Property::Owner => "Contact owner",
            Property::OriginalSource => "Original source",
            Property::OriginalSourceDrillDown1 => "Original source drill-down 1",
            Property::OriginalSourceDrillDown2 => "Original source drill-down 2",
            Property::Notes => "Notes",
        }
    }

    /// True for the two list-valued properties, whose value is JSON in history rows.
    pub fn is_list(self) -> bool {
        matches!(self, Property::AdditionalEmails | Property::AdditionalPhones)
    }

    /// True for single phone numbers, which are also stored normalized to E.164.
    pub fn is_phone(self) -> bool {
        matches!(self, Property::Phone | Property::MobilePhone | Property::Fax)
    }

    /// Properties that rolo maintains itself and the edit form shows read-only.
    pub fn is_system(self) -> bool {
        matches!(
            self,
            Property::OriginalSource | Property::OriginalSourceDrillDown1 | Property::OriginalSourceDrillDown2
        )
    }
}

impl fmt::Display for Property {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.key())
    }
}

impl FromStr for Property {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        STANDARD_PROPERTIES
            .into_iter()
            .find(|property| property.key() == text)
            .ok_or_else(|| format!("unknown property {text:?}"))
    }
}

/// HubSpot's lifecycle stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    Subscriber,
    Lead,
    MarketingQualifiedLead,
    SalesQualifiedLead,
    Opportunity,
    Customer,
    Evangelist,
    Other,
}

impl LifecycleStage {
    pub const ALL: [LifecycleStage; 8] = [
        LifecycleStage::Subscriber,
        LifecycleStage::Lead,
        LifecycleStage::MarketingQualifiedLead,
        LifecycleStage::SalesQualifiedLead,
        LifecycleStage::Opportunity,
        LifecycleStage::Customer,
        LifecycleStage::Evangelist,
        LifecycleStage::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            LifecycleStage::Subscriber => "subscriber",
            LifecycleStage::Lead => "lead",
            LifecycleStage::MarketingQualifiedLead => "marketing_qualified_lead",
            LifecycleStage::SalesQualifiedLead => "sales_qualified_lead",
            LifecycleStage::Opportunity => "opportunity",
            LifecycleStage::Customer => "customer",
            LifecycleStage::Evangelist => "evangelist",
            LifecycleStage::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LifecycleStage::Subscriber => "Subscriber",
            LifecycleStage::Lead => "Lead",
            LifecycleStage::MarketingQualifiedLead => "Marketing qualified lead",
            LifecycleStage::SalesQualifiedLead => "Sales qualified lead",
            LifecycleStage::Opportunity => "Opportunity",
            LifecycleStage::Customer => "Customer",
            LifecycleStage::Evangelist => "Evangelist",
            LifecycleStage::Other => "Other",
        }
    }
}

impl FromStr for LifecycleStage {
    type Err = String;

    /// Accepts keys, labels and HubSpot's internal values (`marketingqualifiedlead`), any case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted: String = text.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
        LifecycleStage::ALL
            .into_iter()
            .find(|stage| {
                let key: String = stage.key().chars().filter(|c| c.is_alphanumeric()).collect();
                key == wanted
                    || (wanted == "mql" && *stage == LifecycleStage::MarketingQualifiedLead)
                    || (wanted == "sql" && *stage == LifecycleStage::SalesQualifiedLead)
            })
            .ok_or_else(|| format!("unknown lifecycle stage {text:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for property in STANDARD_PROPERTIES {
            assert_eq!(property.key().parse::<Property>(), Ok(property));
        }
        assert!("nickname".parse::<Property>().is_err());
    }

    #[test]
    fn lifecycle_stage_accepts_hubspot_spellings() {
        assert_eq!("marketingqualifiedlead".parse(), Ok(LifecycleStage::MarketingQualifiedLead));
        assert_eq!("Sales qualified lead".parse(), Ok(LifecycleStage::SalesQualifiedLead));
        assert_eq!("LEAD".parse(), Ok(LifecycleStage::Lead));
        assert!("prospect".parse::<LifecycleStage>().is_err());
    }
}
