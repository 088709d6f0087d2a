//! What a column holds, guessed from its header: the same words in English, German,
//! French, Spanish, Dutch and Swedish, any case, with or without accents and punctuation.

use std::fmt;
use std::str::FromStr;

use unicode_normalization::UnicodeNormalization;

use crate::model::Property;

/// Where the values of one column go.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnTarget {
    /// A single-valued standard property. A second email or phone of a row becomes an
    /// additional one.
    Property(Property),
    AdditionalEmail,
    /// A further phone number of this type (`home`, `work`, `other`…).
    AdditionalPhone(String),
    /// "First Last" (or "Last, First"), split where the file has no separate name columns.
    FullName,
    /// One part of an address. `group` tells the business address from the home one: the
    /// first group with a value fills the standard address, the others a custom property.
    Address {
        part: AddressPart,
        group: String,
    },
    /// A yes/no column (or a date of opting out): yes puts the email on the do-not-email list.
    OptOut,
    /// A bounce reason or date: a value marks the address as bounced.
    Bounced,
    /// A subscription status in words (subscribed, unsubscribed, cleaned, pending…).
    EmailStatus,
    /// The record's id in the system it was exported from.
    ExternalId,
    /// Tags, labels, categories or lists: each value becomes a list the contact is on.
    Lists,
    /// A custom property of this name (lowercase `a-z0-9_`).
    Custom(String),
    Ignore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressPart {
    Street,
    City,
    State,
    PostalCode,
    Country,
}

impl AddressPart {
    pub fn property(self) -> Property {
        match self {
            AddressPart::Street => Property::StreetAddress,
            AddressPart::City => Property::City,
            AddressPart::State => Property::State,
            AddressPart::PostalCode => Property::PostalCode,
            AddressPart::Country => Property::Country,
        }
    }
}

impl fmt::Display for ColumnTarget {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnTarget::Property(property) => formatter.write_str(property.key()),
            ColumnTarget::AdditionalEmail => formatter.write_str("additional_emails"),
            ColumnTarget::AdditionalPhone(kind) => write!(formatter, "additional_phones:{kind}"),
            ColumnTarget::FullName => formatter.write_str("full_name"),
            ColumnTarget::Address { part, group } if group.is_empty() => formatter.write_str(part.property().key()),
            ColumnTarget::Address { part, group } => write!(formatter, "{}:{group}", part.property().key()),
            ColumnTarget::OptOut => formatter.write_str("do_not_email"),
            ColumnTarget::Bounced => formatter.write_str("bounced"),
            ColumnTarget::EmailStatus => formatter.write_str("email_status"),
            ColumnTarget::ExternalId => formatter.write_str("external_id"),
            ColumnTarget::Lists => formatter.write_str("lists"),
            ColumnTarget::Custom(name) => write!(formatter, "custom:{name}"),
            ColumnTarget::Ignore => formatter.write_str("ignore"),
        }
    }
}

impl FromStr for ColumnTarget {
    type Err = String;

    /// The words of `--map` and of remembered choices: a property key, `full_name`,
    /// `do_not_email`, `bounced`, `email_status`, `external_id`, `lists` (or `tags`),
    /// `ignore`, `additional_phones:TYPE`, `custom:NAME`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (word, detail) = text.split_once(':').map_or((text, ""), |(word, detail)| (word, detail.trim()));
        let word = word.trim().to_ascii_lowercase();
        let target = match word.as_str() {
            "full_name" | "name" => ColumnTarget::FullName,
            "do_not_email" | "opt_out" | "unsubscribed" => ColumnTarget::OptOut,
            "bounced" | "bounce" => ColumnTarget::Bounced,
            "email_status" | "status" => ColumnTarget::EmailStatus,
            "external_id" | "id" => ColumnTarget::ExternalId,
            "lists" | "tags" | "list" => ColumnTarget::Lists,
            "ignore" | "skip" | "none" | "" => ColumnTarget::Ignore,
            "additional_emails" => ColumnTarget::AdditionalEmail,
            "additional_phones" => {
                ColumnTarget::AdditionalPhone(if detail.is_empty() { "other".into() } else { detail.to_lowercase() })
            }
            "custom" => {
                let name = custom_property_name(detail);
                if name.is_empty() {
                    return Err(format!("{text:?}: custom needs a name, e.g. custom:badge_id"));
                }
                ColumnTarget::Custom(name)
            }
            key => match key.parse::<Property>() {
                Ok(property) => match property {
                    Property::AdditionalEmails => ColumnTarget::AdditionalEmail,
                    Property::AdditionalPhones => ColumnTarget::AdditionalPhone("other".into()),
                    Property::StreetAddress
                    | Property::City
                    | Property::State
                    | Property::PostalCode
                    | Property::Country => {
                        let part = match property {
                            Property::StreetAddress => AddressPart::Street,
                            Property::City => AddressPart::City,
                            Property::State => AddressPart::State,
                            Property::PostalCode => AddressPart::PostalCode,
                            _ => AddressPart::Country,
                        };
                        ColumnTarget::Address { part, group: detail.to_lowercase() }
                    }
                    property if property.is_system() => return Err(format!("{key} is set by rolo itself")),
                    property => ColumnTarget::Property(property),
                },
                Err(_) => {
                    return Err(format!(
                        "{text:?} is not a property: use a property key (first_name, email…), full_name, \
                         do_not_email, bounced, email_status, external_id, lists, ignore or custom:NAME"
                    ));
                }
            },
        };
        Ok(target)
    }
}

/// A header in comparable form: lowercase, accents and punctuation removed, words
/// separated by one space, `e-mail` spelled `email`.
pub fn normalize_header(header: &str) -> String {
    // API names such as `MailingCity` or `HasOptedOutOfEmail` are words too.
    let mut spaced = String::with_capacity(header.len() + 8);
    let mut previous: Option<char> = None;
    for character in header.trim().chars() {
        if character.is_uppercase() && previous.is_some_and(|previous| previous.is_lowercase()) {
            spaced.push(' ');
        }
        spaced.push(character);
        previous = Some(character);
    }
    let folded: String = spaced
        .replace('ß', "ss")
        .nfd()
        .filter(|character| !unicode_normalization::char::is_combining_mark(*character))
        .flat_map(char::to_lowercase)
        .map(|character| if character.is_alphanumeric() { character } else { ' ' })
        .collect();
    // `e mail` and `e post` (from "E-Mail", "E-post") are one word.
    let mut words: Vec<String> = Vec::new();
    for word in folded.split_whitespace() {
        if (word.starts_with("mail") || word.starts_with("post")) && words.last().is_some_and(|last| last == "e") {
            words.pop();
            words.push(format!("e{word}"));
        } else {
            words.push(word.to_string());
        }
    }
    words.join(" ")
}

/// The custom property name for a header: `Favourite colour` → `favourite_colour`.
/// Empty when the header has no letters or digits that fit.
pub fn custom_property_name(header: &str) -> String {
    let normalized = normalize_header(header);
    let name: String = normalized
        .chars()
        .map(|character| if character.is_ascii_alphanumeric() { character } else { '_' })
        .collect::<String>()
        .split('_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let name: String = name.chars().take(60).collect();
    let is_reserved =
        name.parse::<Property>().is_ok() || matches!(name.as_str(), "id" | "lists" | "do_not_email" | "external_id");
    if is_reserved { format!("{name}_custom") } else { name }
}

/// The target of a header by its words alone, or `None` when nothing fits (the caller
/// then makes it a custom property).
pub fn match_header(header: &str) -> Option<ColumnTarget> {
    let normalized = normalize_header(header);
    if normalized.is_empty() {
        return None;
    }
    // Zoho's lookup columns (`Account Name.id`) repeat another column's id.
    if header.trim().to_ascii_lowercase().ends_with(".id") {
        return Some(ColumnTarget::Ignore);
    }
    let words: Vec<&str> = normalized.split(' ').collect();
    let has = |candidates: &[&str]| words.iter().any(|word| candidates.contains(word));
    let contains = |candidates: &[&str]| candidates.iter().any(|candidate| normalized.contains(candidate));
    let is = |candidates: &[&str]| candidates.contains(&normalized.as_str());

    // Labels and types of another column's value, and display forms, hold no value of their own.
    if has(&["label", "type", "typ"]) && words.len() > 1 && !has(&["lifecycle"]) {
        return Some(ColumnTarget::Ignore);
    }
    if contains(&["display name", "formatted", "yomi", "phonetic"]) {
        return Some(ColumnTarget::Ignore);
    }
    if is(&["photo", "picture", "avatar", "foto", "bild"]) {
        return Some(ColumnTarget::Ignore);
    }

    // Opt-outs, bounces and statuses come before emails: their headers often say "email".
    if contains(&[
        "opt out",
        "opted out",
        "optout",
        "optedout",
        "unsubscribed",
        "unsubscribe",
        "do not email",
        "donotemail",
        "do not mail",
        "no email",
        "abbestellt",
        "abgemeldet",
        "austragen",
        "ausgetragen",
        "keine werbung",
        "desabonne",
        "desinscrit",
        "desinscription",
        "desabonnement",
        "baja",
        "darse de baja",
        "no enviar",
        "afgemeld",
        "uitgeschreven",
        "afmelden",
        "avregistrerad",
        "avanmald",
        "avprenumererad",
        "avanmalan",
        "unsub time",
    ]) {
        return Some(ColumnTarget::OptOut);
    }
    if contains(&["bounce", "clean time", "cleaned", "undeliverable", "unzustellbar", "rebote", "rebondi"]) {
        return Some(ColumnTarget::Bounced);
    }
    let is_email_word = has(&["email", "mail", "courriel", "correo", "epost", "mejl", "newsletter"]);
    if (is_email_word && has(&["status", "permission", "subscription", "consent", "einwilligung", "statut", "estado"]))
        || is(&["status", "subscription status", "member status", "abonnement", "subscription"])
    {
        return Some(ColumnTarget::EmailStatus);
    }
    if is(&[
        "id",
        "record id",
        "contact id",
        "external id",
        "hubspot id",
        "salesforce id",
        "zoho id",
        "euid",
        "customer id",
        "kundennummer",
        "kunden nr",
        "client id",
        "id client",
        "id cliente",
        "klantnummer",
        "kundnummer",
    ]) {
        return Some(ColumnTarget::ExternalId);
    }
    if is(&[
        "tags",
        "tag",
        "labels",
        "categories",
        "category",
        "group membership",
        "groups",
        "group",
        "lists",
        "email lists",
        "schlagworte",
        "schlagwort",
        "kategorien",
        "kategorie",
        "gruppen",
        "etiquettes",
        "etiquette",
        "categories",
        "etiquetas",
        "etiqueta",
        "categorias",
        "grupos",
        "etiketten",
        "categorieen",
        "groepen",
        "taggar",
        "kategorier",
        "grupper",
        "listen",
        "listes",
        "listas",
        "lijsten",
        "listor",
    ]) {
        return Some(ColumnTarget::Lists);
    }

    if is_email_word || has(&["mailadresse", "emailadresse", "emailadres", "mailadres", "epostadress", "mejladress"]) {
        let is_other = has(&[
            "2",
            "3",
            "4",
            "secondary",
            "second",
            "other",
            "alternate",
            "alternative",
            "additional",
            "home",
            "personal",
            "private",
            "weitere",
            "zweite",
            "privat",
            "autre",
            "secondaire",
            "otro",
            "secundario",
            "andere",
            "tweede",
            "annan",
            "andra",
            "prive",
        ]);
        return Some(if is_other { ColumnTarget::AdditionalEmail } else { ColumnTarget::Property(Property::Email) });
    }

    if is(&[
        "first name",
        "firstname",
        "given name",
        "forename",
        "first",
        "vorname",
        "prenom",
        "nombre",
        "voornaam",
        "fornamn",
        "tilltalsnamn",
        "givenname",
    ]) {
        return Some(ColumnTarget::Property(Property::FirstName));
    }
    if is(&[
        "last name",
        "lastname",
        "surname",
        "family name",
        "last",
        "nachname",
        "familienname",
        "nom de famille",
        "nom",
        "apellido",
        "apellidos",
        "achternaam",
        "efternamn",
        "familyname",
    ]) {
        return Some(ColumnTarget::Property(Property::LastName));
    }
    if is(&[
        "name",
        "full name",
        "fullname",
        "contact name",
        "contact",
        "vollstandiger name",
        "nom complet",
        "nombre completo",
        "naam",
        "volledige naam",
        "namn",
        "fullstandigt namn",
        "person",
        "contact person",
        "ansprechpartner",
        "kontakt",
    ]) {
        return Some(ColumnTarget::FullName);
    }
    if is(&[
        "company",
        "company name",
        "organization",
        "organisation",
        "organization name",
        "organisation name",
        "organization 1 name",
        "account name",
        "account",
        "firma",
        "firmenname",
        "unternehmen",
        "entreprise",
        "societe",
        "nom de l entreprise",
        "empresa",
        "compania",
        "bedrijf",
        "bedrijfsnaam",
        "organisatie",
        "foretag",
        "foretagsnamn",
        "employer",
        "business",
    ]) {
        return Some(ColumnTarget::Property(Property::Company));
    }
    if is(&[
        "job title",
        "jobtitle",
        "title",
        "position",
        "role",
        "organization title",
        "organization 1 title",
        "jobtitel",
        "berufsbezeichnung",
        "funktion",
        "stellung",
        "poste",
        "fonction",
        "titre",
        "cargo",
        "puesto",
        "titulo",
        "functie",
        "functietitel",
        "titel",
        "befattning",
        "yrkestitel",
        "roll",
        "occupation",
    ]) {
        return Some(ColumnTarget::Property(Property::JobTitle));
    }

    let is_phone_word = has(&["phone", "telephone", "tel", "telefon", "telefono", "telefoon", "tfn", "phonenumber"])
        || contains(&["telefonnummer", "rufnummer", "telefoonnummer"]);
    if has(&[
        "mobile",
        "cell",
        "cellphone",
        "mobil",
        "handy",
        "mobiltelefon",
        "portable",
        "movil",
        "celular",
        "mobiel",
        "gsm",
    ]) || is(&["mobile phone number", "mobilephone"])
    {
        return Some(ColumnTarget::Property(Property::MobilePhone));
    }
    if has(&["fax", "telefax"]) {
        return Some(ColumnTarget::Property(Property::Fax));
    }
    if has(&["pager", "callback", "isdn", "telex", "tty", "radio", "car"]) && is_phone_word
        || is(&["pager", "telex", "isdn", "callback"])
    {
        return Some(ColumnTarget::AdditionalPhone(phone_kind(&words)));
    }
    if is_phone_word {
        let kind = phone_kind(&words);
        let is_additional = has(&["2", "3", "home", "other", "private", "privat"]) && kind != "work";
        return Some(if is_additional {
            ColumnTarget::AdditionalPhone(kind)
        } else {
            ColumnTarget::Property(Property::Phone)
        });
    }

    if let Some(part) = address_part(&normalized, &words) {
        return Some(ColumnTarget::Address { part, group: address_group(&words) });
    }
    if is(&[
        "website",
        "web site",
        "web page",
        "webpage",
        "url",
        "homepage",
        "home page",
        "webseite",
        "internetseite",
        "site web",
        "site internet",
        "sitio web",
        "pagina web",
        "web",
        "webbplats",
        "hemsida",
        "personal web page",
        "website 1 value",
        "www",
    ]) {
        return Some(ColumnTarget::Property(Property::Website));
    }
    if is(&[
        "notes",
        "note",
        "comments",
        "comment",
        "description",
        "notizen",
        "notiz",
        "bemerkung",
        "bemerkungen",
        "kommentar",
        "anmerkungen",
        "remarques",
        "remarque",
        "commentaire",
        "commentaires",
        "notas",
        "nota",
        "comentarios",
        "comentario",
        "opmerkingen",
        "opmerking",
        "notities",
        "notitie",
        "anteckningar",
        "anteckning",
        "kommentarer",
    ]) {
        return Some(ColumnTarget::Property(Property::Notes));
    }
    if is(&[
        "contact owner",
        "owner",
        "record owner",
        "account owner",
        "besitzer",
        "proprietaire",
        "propietario",
        "eigenaar",
        "agare",
    ]) {
        return Some(ColumnTarget::Property(Property::Owner));
    }
    if is(&["lifecycle stage", "lifecyclestage", "lifecycle"]) {
        return Some(ColumnTarget::Property(Property::LifecycleStage));
    }
    None
}

/// The type of a further phone number from its column header: `home`, `work`, `pager`…
pub fn phone_kind_of(header: &str) -> String {
    let normalized = normalize_header(header);
    phone_kind(&normalized.split(' ').collect::<Vec<_>>())
}

fn phone_kind(words: &[&str]) -> String {
    let has = |candidates: &[&str]| words.iter().any(|word| candidates.contains(word));
    let kind = if has(&["home", "privat", "private", "domicile", "casa", "thuis", "hem", "personal"]) {
        "home"
    } else if has(&[
        "work",
        "business",
        "office",
        "company",
        "geschaftlich",
        "buro",
        "arbeit",
        "travail",
        "trabajo",
        "werk",
        "arbete",
        "main",
    ]) {
        "work"
    } else if has(&["pager"]) {
        "pager"
    } else if has(&["car"]) {
        "car"
    } else {
        "other"
    };
    kind.to_string()
}

fn address_part(normalized: &str, words: &[&str]) -> Option<AddressPart> {
    let has = |candidates: &[&str]| words.iter().any(|word| candidates.contains(word));
    let contains = |candidates: &[&str]| candidates.iter().any(|candidate| normalized.contains(candidate));
    if contains(&["po box", "postfach", "boite postale", "apartado"]) || has(&["ip", "latitude", "longitude"]) {
        return None;
    }
    if contains(&["postal code", "post code", "zip code", "code postal", "codigo postal"])
        || has(&["zip", "zipcode", "plz", "postcode", "postalcode", "postleitzahl", "postnummer", "postcode"])
    {
        return Some(AddressPart::PostalCode);
    }
    if has(&["country", "nation", "land", "pays", "pais", "countrycode"]) {
        return Some(AddressPart::Country);
    }
    if has(&["state", "region", "province", "county", "bundesland", "etat", "provincia", "estado", "provincie", "lan"])
    {
        return Some(AddressPart::State);
    }
    if has(&[
        "city",
        "town",
        "ort",
        "stadt",
        "ville",
        "ciudad",
        "localidad",
        "plaats",
        "woonplaats",
        "stad",
        "postort",
        "wohnort",
    ]) {
        return Some(AddressPart::City);
    }
    if has(&[
        "street",
        "strasse",
        "address",
        "adresse",
        "anschrift",
        "rue",
        "direccion",
        "calle",
        "straat",
        "adres",
        "gatuadress",
        "adress",
    ]) || contains(&["mailingstreet", "billingstreet"])
    {
        return Some(AddressPart::Street);
    }
    None
}

/// `business`, `home`, `other`, `mailing` or "" from the words of an address header.
fn address_group(words: &[&str]) -> String {
    let has = |candidates: &[&str]| words.iter().any(|word| candidates.contains(word));
    let group = if has(&[
        "business",
        "work",
        "office",
        "company",
        "billing",
        "geschaftlich",
        "firma",
        "travail",
        "trabajo",
        "werk",
        "arbete",
    ]) {
        "business"
    } else if has(&["home", "private", "privat", "personal", "domicile", "casa", "thuis", "hem"]) {
        "home"
    } else if has(&["mailing", "shipping"]) {
        "mailing"
    } else if has(&["other", "2", "3"]) {
        "other"
    } else {
        ""
    };
    group.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &str, expected: &str) {
        let target = match_header(header).map(|target| target.to_string()).unwrap_or_else(|| "-".into());
        assert_eq!(target, expected, "header {header:?}");
    }

    #[test]
    fn headers_in_several_languages() {
        for (header, expected) in [
            ("Email Address", "email"),
            ("E-Mail-Adresse", "email"),
            ("Adresse e-mail", "email"),
            ("Correo electrónico", "email"),
            ("E-postadress", "email"),
            ("Secondary Email", "additional_emails"),
            ("E-mail 2 Address", "additional_emails"),
            ("Vorname", "first_name"),
            ("Prénom", "first_name"),
            ("Förnamn", "first_name"),
            ("Achternaam", "last_name"),
            ("Apellidos", "last_name"),
            ("Full Name", "full_name"),
            ("Firma", "company"),
            ("Société", "company"),
            ("Företag", "company"),
            ("Telefon", "phone"),
            ("Mobile Phone", "mobile_phone"),
            ("Handy", "mobile_phone"),
            ("Home Phone", "additional_phones:home"),
            ("Business Fax", "fax"),
            ("Pager", "additional_phones:pager"),
            ("PLZ", "postal_code"),
            ("Business Postal Code", "postal_code:business"),
            ("Home City", "city:home"),
            ("Home Postal Code", "postal_code:home"),
            ("MailingPostalCode", "postal_code:mailing"),
            ("Zip/Postal Code - Home", "postal_code:home"),
            ("Mailing Street", "street_address:mailing"),
            ("Pays", "country"),
            ("Newsletter abbestellt", "do_not_email"),
            ("Opted out?", "do_not_email"),
            ("Unsubscribed from all email", "do_not_email"),
            ("HasOptedOutOfEmail", "do_not_email"),
            ("EmailBouncedReason", "bounced"),
            ("Email permission status", "email_status"),
            ("Record ID", "external_id"),
            ("Labels", "lists"),
            ("E-mail 1 - Label", "ignore"),
            ("Account Name.id", "ignore"),
            ("Notizen", "notes"),
            ("Favourite colour", "-"),
            ("Lead Status", "-"),
        ] {
            check(header, expected);
        }
    }

    #[test]
    fn custom_names_are_slugs() {
        assert_eq!(custom_property_name("Favourite colour"), "favourite_colour");
        assert_eq!(custom_property_name("Straße 2"), "strasse_2");
        assert_eq!(custom_property_name("Notes"), "notes_custom");
        assert_eq!(custom_property_name("株式"), "");
    }

    #[test]
    fn targets_round_trip_through_text() {
        for text in
            ["email", "full_name", "do_not_email", "custom:badge_id", "city:home", "additional_phones:pager", "ignore"]
        {
            assert_eq!(text.parse::<ColumnTarget>().unwrap().to_string(), text);
        }
        assert!("original_source".parse::<ColumnTarget>().is_err());
        assert!("nonsense".parse::<ColumnTarget>().is_err());
    }
}
