//! Reading a business card's OCR text: which line is the name, the title, the company, the
//! email, the phones, the website, the address. Each suggestion is a `Candidate` with a
//! confidence; values are always text that is on the card, never invented (OCR debris such
//! as a stray "|" or a label is dropped, and a name printed in capitals is suggested in
//! normal capitalisation, as card scanners do).
//!
//! The reading goes in passes over the lines: first what has an unmistakable shape (email
//! addresses, websites, phone numbers with their labels), then the address (postal code
//! line, the street above it, the country), and last the name, job title and company among
//! the lines left, judged by lexicons, legal forms, font size, position and agreement with
//! the email address and website.

mod address;
mod agreement;
mod internet;
mod lexicon;
mod name;
mod phone;

use std::collections::BTreeSet;

use crate::extract::ocr::OcrPage;
use crate::model::{ContactDraft, PhoneEntry, Property, is_free_mail_domain, sanitize_line};

/// A value read from the card, the property it probably is, and how sure we are (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub property: Property,
    pub value: String,
    pub confidence: f32,
    /// The OCR line it came from, an index into `CardReading::lines`.
    pub line: usize,
}

/// What was read from one card.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CardReading {
    /// The OCR lines' texts, top to bottom, free of control characters.
    pub lines: Vec<String>,
    /// The suggested values: at most one per single-valued property, plus further phones
    /// and emails as `AdditionalPhones` / `AdditionalEmails`.
    pub candidates: Vec<Candidate>,
}

/// Below this confidence the review marks a suggestion as doubtful.
pub const LOW_CONFIDENCE: f32 = 0.6;

/// Cards have a few dozen lines at most; beyond these limits the input is not a card, and
/// the rest is ignored so that garbage cannot make reading slow.
const MAX_LINES: usize = 200;
const MAX_LINE_CHARS: usize = 400;

/// Suggests properties for the lines of `page`; `default_region` (e.g. "US", "DE") is used
/// for phone numbers printed without a country code.
pub fn read_card_text(page: &OcrPage, default_region: &str) -> CardReading {
    let lines: Vec<String> = page.lines.iter().map(|line| sanitize_line(&line.text()).trim().to_string()).collect();
    let heights: Vec<f32> = page.lines.iter().map(|line| line.font_height() as f32).collect();
    let words: Vec<Vec<(String, f32)>> = page
        .lines
        .iter()
        .take(MAX_LINES)
        .map(|line| line.words.iter().map(|word| (word.text.clone(), word.confidence)).collect())
        .collect();
    let mut reader = Reader::new(&lines, &heights, words, default_region);
    reader.take_internet_and_phones();
    reader.take_address();
    reader.take_name_title_company();
    reader.agree_on_internet_addresses();
    CardReading { candidates: reader.into_candidates(), lines }
}

impl CardReading {
    /// The suggestion for `property`, if any.
    pub fn best(&self, property: Property) -> Option<&Candidate> {
        self.candidates.iter().find(|candidate| candidate.property == property)
    }

    /// The suggestions that came from line `line`: one line can carry several, such as a
    /// first and last name, or a postal code and a city.
    pub fn line_suggestions(&self, line: usize) -> Vec<&Candidate> {
        self.candidates.iter().filter(|candidate| candidate.line == line).collect()
    }

    /// The suggestions as a draft for the review form.
    pub fn to_draft(&self) -> ContactDraft {
        let mut draft = ContactDraft::default();
        for candidate in &self.candidates {
            match candidate.property {
                Property::AdditionalEmails => draft.additional_emails.push(candidate.value.clone()),
                Property::AdditionalPhones => draft
                    .additional_phones
                    .push(PhoneEntry { kind: "work".to_string(), value: candidate.value.clone() }),
                property => draft.set_if_empty(property, candidate.value.clone()),
            }
        }
        draft
    }
}

/// The state of one reading: the lines, what is left of each after the passes so far,
/// and the suggestions found.
struct Reader<'a> {
    region: &'a str,
    heights: Vec<f32>,
    /// Each line's OCR words with their confidence.
    words: Vec<Vec<(String, f32)>>,
    /// Each line's text with what was already taken blanked out.
    rests: Vec<String>,
    emails: Vec<(usize, internet::FoundAddress)>,
    websites: Vec<(usize, internet::FoundAddress)>,
    phones: Vec<(usize, phone::FoundPhone)>,
    found: Vec<Candidate>,
}

impl<'a> Reader<'a> {
    fn new(lines: &[String], heights: &[f32], words: Vec<Vec<(String, f32)>>, region: &'a str) -> Reader<'a> {
        let rests = lines
            .iter()
            .take(MAX_LINES)
            .map(|line| match line.char_indices().nth(MAX_LINE_CHARS) {
                Some((cut, _)) => line[..cut].to_string(),
                None => line.clone(),
            })
            .collect();
        Reader {
            region,
            heights: heights.iter().take(MAX_LINES).copied().collect(),
            words,
            rests,
            emails: Vec::new(),
            websites: Vec::new(),
            phones: Vec::new(),
            found: Vec::new(),
        }
    }

    fn take_internet_and_phones(&mut self) {
        for (index, rest) in self.rests.iter_mut().enumerate() {
            self.emails.extend(internet::take_emails(rest).into_iter().map(|found| (index, found)));
            self.websites.extend(internet::take_websites(rest).into_iter().map(|found| (index, found)));
            self.phones.extend(phone::take_phones(rest, self.region).into_iter().map(|found| (index, found)));
            *rest = clean_debris(rest);
        }
        let mut values: Vec<String> = self.phones.iter().map(|(_, phone)| phone.value.clone()).collect();
        phone::agree_on_grouping(&mut values);
        for ((_, phone), value) in self.phones.iter_mut().zip(values) {
            phone.value = value;
        }
        self.take_emails_with_misread_at();
    }

    /// With no email found, an address whose "@" or domain OCR misread, told by the website's
    /// domain.
    fn take_emails_with_misread_at(&mut self) {
        if !self.emails.is_empty() {
            return;
        }
        let domains: Vec<String> = self.websites.iter().map(|(_, site)| name::website_host(&site.value)).collect();
        for (index, rest) in self.rests.iter_mut().enumerate() {
            let words: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
            for word in words {
                let trimmed = word.trim_end_matches(['.', ',', ';']);
                let Some(email) = domains.iter().find_map(|domain| {
                    agreement::email_with_misread_at(trimmed, domain)
                        .or_else(|| agreement::email_with_misread_domain(trimmed, domain))
                }) else {
                    continue;
                };
                self.emails.push((index, internet::FoundAddress { value: email, confidence: 0.7 }));
                *rest = rest.replacen(&word, "", 1);
                let is_label = |word: &str| lexicon::contains(lexicon::EMAIL_LABELS, word.trim_end_matches([':', '.']));
                if rest.split_whitespace().all(is_label) {
                    rest.clear();
                }
            }
        }
    }

    /// Mends an unsure email from the surely read name, company and website, and finds a
    /// misread website by the email's domain (see `agreement`).
    fn agree_on_internet_addresses(&mut self) {
        let value_of = |property: Property| self.found.iter().find(|candidate| candidate.property == property).cloned();
        let (first, last) = (value_of(Property::FirstName), value_of(Property::LastName));
        let name = first.zip(last).filter(|(first, last)| {
            self.read_confidence(first.line, &format!("{} {}", first.value, last.value))
                .is_some_and(|sure| sure >= agreement::SURE_WORD)
        });
        let mut supports: Vec<String> = value_of(Property::Company)
            .filter(|company| {
                self.read_confidence(company.line, &company.value).is_some_and(|sure| sure >= agreement::SURE_WORD)
            })
            .map(|company| name::company_label(&company.value))
            .into_iter()
            .collect();
        supports.extend(
            self.websites
                .iter()
                .filter(|(line, site)| {
                    self.read_confidence(*line, &site.value).is_some_and(|sure| sure >= agreement::SURE_WORD)
                })
                .map(|(_, site)| name::domain_label(&site.value)),
        );
        let mut emails = std::mem::take(&mut self.emails);
        for (line, email) in &mut emails {
            let Some((local, domain)) = email.value.split_once('@') else { continue };
            let (mut local, mut domain) = (local.to_string(), domain.to_string());
            if let Some((first, last)) = &name
                && let Some(joined) = self
                    .word_before_email(*line)
                    .and_then(|before| agreement::join_split_local_part(&before, &local, &first.value, &last.value))
            {
                local = joined;
            }
            let is_doubtful =
                self.read_confidence(*line, &email.value).is_some_and(|sure| sure < agreement::DOUBTFUL_WORD);
            if is_doubtful {
                if let Some((first, last)) = &name
                    && let Some(mended) = agreement::mend_local_part(&local, &first.value, &last.value)
                {
                    local = mended;
                }
                if let Some(mended) = agreement::mend_domain(&domain, &supports) {
                    domain = mended;
                }
            }
            email.value = format!("{local}@{domain}");
        }
        self.emails = emails;
        if self.websites.is_empty() {
            self.take_website_like_email_domain();
        } else {
            self.mend_websites_by_email_domain();
        }
    }

    /// A website read as only part of its line ("stems.de" from "www.blues /stems.de") whose
    /// whole line is a slip or two away from the email's domain takes that domain.
    fn mend_websites_by_email_domain(&mut self) {
        let Some(domain) = self.company_email_domain() else { return };
        for (line, site) in &mut self.websites {
            if name::website_host(&site.value).eq_ignore_ascii_case(&domain) {
                continue;
            }
            let text = self.words[*line].iter().map(|(word, _)| word.as_str()).collect::<Vec<_>>().join(" ");
            if let Some(mended) = agreement::website_like_domain(&text, &domain, lexicon::WEB_LABELS) {
                *site = internet::FoundAddress { value: mended, confidence: 0.7 };
            }
        }
    }

    /// The domain of the first email that is not a free-mail address.
    fn company_email_domain(&self) -> Option<String> {
        self.emails
            .iter()
            .filter_map(|(_, email)| email.value.split_once('@').map(|(_, domain)| domain.to_string()))
            .find(|domain| !is_free_mail_domain(domain))
    }

    /// A website line OCR misread, found by its likeness to the email's domain.
    fn take_website_like_email_domain(&mut self) {
        let Some(domain) = self.company_email_domain() else { return };
        let taken: Vec<usize> = self.found.iter().map(|candidate| candidate.line).collect();
        let found =
            self.rests.iter().enumerate().filter(|(index, rest)| !taken.contains(index) && !rest.is_empty()).find_map(
                |(index, rest)| {
                    agreement::website_like_domain(rest, &domain, lexicon::WEB_LABELS).map(|site| (index, site))
                },
            );
        if let Some((index, site)) = found {
            self.websites.push((index, internet::FoundAddress { value: site, confidence: 0.7 }));
            self.rests[index].clear();
        }
    }

    /// How sure OCR was of `text` on line `line`: the mean confidence of the line's words
    /// that are part of it (labels and other short words aside); `None` when none are.
    fn read_confidence(&self, line: usize, text: &str) -> Option<f32> {
        let folded = name::fold(text);
        let confidences: Vec<f32> = self
            .words
            .get(line)?
            .iter()
            .filter(|(word, _)| {
                let word = name::fold(word);
                word.len() >= 3 && folded.contains(&word)
            })
            .map(|(_, confidence)| *confidence)
            .collect();
        (!confidences.is_empty()).then(|| confidences.iter().sum::<f32>() / confidences.len() as f32)
    }

    /// The OCR word right before the word with the "@" on line `line`.
    fn word_before_email(&self, line: usize) -> Option<String> {
        let words = self.words.get(line)?;
        let at = words.iter().position(|(word, _)| word.contains('@'))?;
        Some(words.get(at.checked_sub(1)?)?.0.clone())
    }

    fn take_address(&mut self) {
        let postal = self
            .rests
            .iter()
            .enumerate()
            .filter_map(|(index, rest)| Some((index, address::read_postal_line(rest, self.region)?)))
            .filter(|(_, postal)| postal.confidence >= 0.5)
            .max_by(|(_, left), (_, right)| left.confidence.total_cmp(&right.confidence));
        let mut street_line = None;
        if let Some((index, postal)) = postal {
            self.suggest(Property::PostalCode, &postal.postal_code, postal.confidence, index);
            if let Some(city) = &postal.city {
                self.suggest(Property::City, city, postal.confidence - 0.05, index);
            }
            if let Some(state) = &postal.state {
                self.suggest(Property::State, state, postal.confidence, index);
            }
            if let Some(country) = &postal.country {
                self.suggest(Property::Country, country, 0.85, index);
            }
            self.rests[index].clear();
            street_line = self.street_above(index);
        }
        let street_line = street_line.or_else(|| self.best_street_anywhere());
        if let Some((index, value, confidence)) = street_line {
            self.suggest(Property::StreetAddress, &value, confidence, index);
            self.rests[index].clear();
            if let Some(next) = self.rests.get_mut(index + 1)
                && value.len() > next.len()
                && !next.is_empty()
                && value.ends_with(next.as_str())
            {
                next.clear();
            }
        }
        for index in 0..self.rests.len() {
            if address::is_country(&self.rests[index]) && self.rests[index].chars().count() > 1 {
                // "United, Kingdom": a comma inside a country's name is OCR debris.
                let country = self.rests[index].trim_end_matches(['.', ',']).replace(", ", " ");
                self.suggest(Property::Country, &country, 0.9, index);
                self.rests[index].clear();
            }
        }
        self.take_misread_country();
    }

    /// A line that is a country's name but for one letter OCR misread ("Tnited Kingdom"),
    /// taken only when the card's phone numbers or web addresses belong to that country:
    /// the line is the printed name, the other fields confirm which one.
    fn take_misread_country(&mut self) {
        if self.found.iter().any(|candidate| candidate.property == Property::Country) {
            return;
        }
        let regions = self.regions_of_card();
        for index in 0..self.rests.len() {
            if let Some((country, region)) = address::misread_country(&self.rests[index])
                && regions.contains(region)
            {
                self.suggest(Property::Country, &country, 0.6, index);
                self.rests[index].clear();
                return;
            }
        }
    }

    /// The countries the card's fields point to: its phone numbers' country codes and its
    /// email and website domains' country endings (".de", ".co.uk").
    fn regions_of_card(&self) -> BTreeSet<&'static str> {
        let mut regions = BTreeSet::new();
        for (_, found) in &self.phones {
            regions.extend(phone::regions_of_country_code(&found.value));
        }
        for (_, found) in self.emails.iter().chain(&self.websites) {
            if let Some(region) = internet::domain_region(&found.value) {
                regions.insert(region);
            }
        }
        regions
    }

    /// The street line just above the postal code line (or two above, with an "Apt. 4"
    /// line between), joined with such a continuation line.
    fn street_above(&self, postal_index: usize) -> Option<(usize, String, f32)> {
        let above = postal_index.checked_sub(1)?;
        let above_text = &self.rests[above];
        if address::is_street_continuation(above_text) && above >= 1 {
            let street = &self.rests[above - 1];
            if address::street_score(street) >= 0.3 {
                return Some((above - 1, format!("{street} {above_text}"), 0.8));
            }
        }
        let score = address::street_score(above_text);
        if score >= 0.3 {
            return Some((above, above_text.clone(), (score + 0.15).min(0.95)));
        }
        // The street may also sit below the postal line on some layouts; it is rare enough
        // to need a clear street word.
        self.best_street_anywhere()
    }

    fn best_street_anywhere(&self) -> Option<(usize, String, f32)> {
        self.rests
            .iter()
            .enumerate()
            .map(|(index, rest)| (index, rest, address::street_score(rest)))
            .filter(|(_, _, score)| *score >= 0.6)
            .max_by(|left, right| left.2.total_cmp(&right.2))
            .map(|(index, rest, score)| (index, rest.clone(), score - 0.1))
    }

    fn take_name_title_company(&mut self) {
        let local_parts: Vec<String> = self
            .emails
            .iter()
            .filter_map(|(_, email)| email.value.split_once('@').map(|(local, _)| local.to_lowercase()))
            .collect();
        let domains: Vec<String> = self
            .emails
            .iter()
            .filter_map(|(_, email)| email.value.split_once('@').map(|(_, domain)| domain.to_lowercase()))
            .chain(self.websites.iter().map(|(_, site)| site.value.to_lowercase()))
            .filter(|domain| !is_free_mail_domain(domain))
            .collect();
        let remaining: Vec<usize> = (0..self.rests.len())
            .filter(|&index| self.rests[index].chars().filter(|character| character.is_alphabetic()).count() >= 2)
            .collect();
        let mut sorted_heights: Vec<f32> = remaining.iter().map(|&index| self.heights[index]).collect();
        sorted_heights.sort_by(|left, right| right.total_cmp(left));
        sorted_heights.dedup_by(|left, right| (*left - *right).abs() < 0.5);
        let size_bonus = |height: f32| -> f32 {
            if sorted_heights.len() < 2 {
                0.0
            } else if (height - sorted_heights[0]).abs() < 0.5 {
                0.15
            } else if (height - sorted_heights[1]).abs() < 0.5 {
                0.1
            } else {
                0.0
            }
        };

        let company_scores: Vec<(usize, f32)> =
            remaining.iter().map(|&index| (index, name::company_score(&self.rests[index], &domains))).collect();
        let title_scores: Vec<(usize, f32)> =
            remaining.iter().map(|&index| (index, name::title_score(&self.rests[index]))).collect();
        let score_of =
            |scores: &[(usize, f32)], index: usize| scores.iter().find(|(at, _)| *at == index).map_or(0.0, |(_, s)| *s);

        // The person's name.
        let mut best_person: Option<(usize, f32, Option<usize>)> = None;
        for (position, &index) in remaining.iter().enumerate() {
            let text = &self.rests[index];
            let shape = name::person_shape_score(text);
            if shape <= 0.0 {
                continue;
            }
            let words: Vec<&str> = text.split_whitespace().collect();
            let split = name::split_by_email(&words, &local_parts);
            let mut score = shape + size_bonus(self.heights[index]);
            if split.is_some() {
                score += 0.35;
            } else if name::partly_agrees(&words, &local_parts) {
                score += 0.15;
            }
            if position < remaining.len().div_ceil(2) {
                score += 0.05;
            }
            score -= 0.5 * score_of(&company_scores, index).max(score_of(&title_scores, index));
            if best_person.is_none_or(|(_, best, _)| score > best) {
                best_person = Some((index, score, split));
            }
        }
        let person_line = best_person.filter(|(_, score, _)| *score >= 0.35);
        if let Some((index, score, split)) = person_line {
            let text = self.rests[index].clone();
            let words: Vec<&str> = text.split_whitespace().collect();
            let confidence = score.clamp(0.0, 0.97);
            if words.len() == 1 {
                // One word is a name only when the email agrees ("jane@" and "Jane").
                if name::split_by_email(&[words[0], ""], &local_parts).is_some() {
                    self.suggest(Property::FirstName, &name_value(words[0]), confidence.min(0.5), index);
                }
            } else {
                let split = split.unwrap_or_else(|| name::default_split(&words));
                let printed_first = words[..split].join(" ");
                let printed_last = words[split..].join(" ");
                let (first, last) = if name::is_all_caps(&text) {
                    let recased = name::recase_name(&text);
                    let recased_words: Vec<&str> = recased.split_whitespace().collect();
                    (recased_words[..split].join(" "), recased_words[split..].join(" "))
                } else {
                    (printed_first, printed_last)
                };
                self.suggest(Property::FirstName, &first, confidence, index);
                self.suggest(Property::LastName, &last, confidence, index);
            }
        }
        let person_index = person_line.map(|(index, _, _)| index);

        // The company.
        let company = company_scores
            .iter()
            .filter(|(index, _)| Some(*index) != person_index)
            .filter(|(index, score)| *score > score_of(&title_scores, *index))
            .max_by(|left, right| left.1.total_cmp(&right.1))
            .filter(|(_, score)| *score >= 0.25)
            .copied();
        if let Some((index, score)) = company {
            let trimmed = name::trim_after_legal_form(&self.rests[index]);
            let value = if name::is_all_caps(&trimmed) { name::recase_company(&trimmed) } else { trimmed };
            self.suggest(Property::Company, &value, score, index);
        }
        let company_index = company.map(|(index, _)| index);

        // The job title: lexicon words, best right below the name.
        let below_name = person_index.and_then(|person| remaining.iter().find(|&&index| index > person).copied());
        let title = title_scores
            .iter()
            .filter(|(index, _)| Some(*index) != person_index && Some(*index) != company_index)
            .map(|&(index, score)| (index, if Some(index) == below_name && score > 0.0 { score + 0.05 } else { score }))
            .max_by(|left, right| left.1.total_cmp(&right.1))
            .filter(|(_, score)| *score >= 0.5);
        if let Some((index, score)) = title {
            let value = self.rests[index].clone();
            self.suggest(Property::JobTitle, &value, score.min(0.95), index);
        }
    }

    fn suggest(&mut self, property: Property, value: &str, confidence: f32, line: usize) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        self.found.push(Candidate { property, value: value.to_string(), confidence: confidence.clamp(0.0, 1.0), line });
    }

    /// The suggestions, with one per single-valued property: further emails and phones
    /// become `AdditionalEmails` and `AdditionalPhones`, further websites are dropped.
    fn into_candidates(mut self) -> Vec<Candidate> {
        let mut emails = std::mem::take(&mut self.emails);
        emails.sort_by(|(_, left), (_, right)| right.confidence.total_cmp(&left.confidence));
        for (position, (line, email)) in emails.into_iter().enumerate() {
            let property = if position == 0 { Property::Email } else { Property::AdditionalEmails };
            self.suggest(property, &email.value, email.confidence, line);
        }
        let mut websites = std::mem::take(&mut self.websites);
        websites.sort_by(|(_, left), (_, right)| right.confidence.total_cmp(&left.confidence));
        if let Some((line, website)) = websites.into_iter().next() {
            self.suggest(Property::Website, &website.value, website.confidence, line);
        }
        let phones = std::mem::take(&mut self.phones);
        let mut taken: Vec<Property> = Vec::new();
        let (labeled, unlabeled): (Vec<_>, Vec<_>) = phones.into_iter().partition(|(_, phone)| phone.labeled.is_some());
        for (line, phone) in labeled.into_iter().chain(unlabeled) {
            let wanted =
                phone.labeled.unwrap_or(if phone.is_mobile_number { Property::MobilePhone } else { Property::Phone });
            // An unlabelled number goes where its kind says, else to the other of office and
            // mobile: a second number next to an office number is most often the mobile.
            let other = if wanted == Property::Phone { Property::MobilePhone } else { Property::Phone };
            let property = if !taken.contains(&wanted) {
                wanted
            } else if phone.labeled.is_none() && !taken.contains(&other) {
                other
            } else {
                Property::AdditionalPhones
            };
            let confidence = if property == Property::MobilePhone && phone.labeled.is_none() && !phone.is_mobile_number
            {
                phone.confidence.min(0.55)
            } else {
                phone.confidence
            };
            taken.push(property);
            self.suggest(property, &phone.value, confidence, line);
        }
        let mut candidates = self.found;
        // One per single-valued property: the surest, then the first.
        let mut kept: Vec<Candidate> = Vec::new();
        for candidate in candidates.drain(..) {
            let is_list = matches!(candidate.property, Property::AdditionalEmails | Property::AdditionalPhones);
            match kept.iter_mut().find(|existing| existing.property == candidate.property) {
                Some(existing) if !is_list => {
                    if candidate.confidence > existing.confidence {
                        *existing = candidate;
                    }
                }
                _ => kept.push(candidate),
            }
        }
        kept
    }
}

/// A single name word, in normal capitalisation when printed in capitals.
fn name_value(word: &str) -> String {
    if name::is_all_caps(word) { name::recase_name(word) } else { word.to_string() }
}

/// A line's left-over text without OCR debris: runs of spaces collapse, and words made only
/// of punctuation ("|", "—", "•") at either end are dropped.
fn clean_debris(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let is_debris = |word: &&str| !word.chars().any(char::is_alphanumeric);
    let start = words.iter().position(|word| !is_debris(word)).unwrap_or(words.len());
    let end = words.iter().rposition(|word| !is_debris(word)).map_or(start, |end| end + 1);
    let kept = words[start..end.max(start)].join(" ");
    kept.trim_matches(|character: char| matches!(character, '|' | '•' | '·' | '—' | '–' | ':' | ';' | ',' | '_'))
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests;
