//! The first review pane of a business card: the OCR lines on the left, each with the
//! property it was taken for, the properties on the right. Single keys assign the current
//! line to a property, clear it, or split it into words; Enter goes on to the edit form.

use std::sync::Arc;

use image::RgbImage;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph};

use super::Transition;
use crate::extract::card::CardScan;
use crate::extract::card_text::LOW_CONFIDENCE;
use crate::model::{ContactDraft, PhoneEntry, Property, sanitize_line};
use crate::tui::action::Action;
use crate::tui::widgets::camera_preview::{CameraPreview, ColorDepth, PreviewImage};

/// The properties a card can hold, in the order the right pane lists them.
pub const CARD_PROPERTIES: [Property; 14] = [
    Property::FirstName,
    Property::LastName,
    Property::JobTitle,
    Property::Company,
    Property::Email,
    Property::Phone,
    Property::MobilePhone,
    Property::Fax,
    Property::Website,
    Property::StreetAddress,
    Property::City,
    Property::State,
    Property::PostalCode,
    Property::Country,
];

/// A line of the card, or one word of a line that was split.
#[derive(Debug, Clone, PartialEq)]
struct PickItem {
    text: String,
    /// The OCR line it comes from.
    line: usize,
    is_word: bool,
    /// What it is taken for: property, value, confidence (1 when the user chose it).
    assigned: Vec<(Property, String, f32)>,
}

pub struct CardPick {
    scan: Box<CardScan>,
    /// The captured frame, for adjusting the corners.
    frame: Arc<RgbImage>,
    card_preview: PreviewImage,
    depth: ColorDepth,
    items: Vec<PickItem>,
    cursor: usize,
}

impl CardPick {
    /// The pane for a read card; `card_preview` is the straightened card's preview.
    pub fn new(scan: Box<CardScan>, frame: Arc<RgbImage>, card_preview: PreviewImage, depth: ColorDepth) -> CardPick {
        let items = scan
            .reading
            .lines
            .iter()
            .enumerate()
            .map(|(index, text)| PickItem {
                text: sanitize_line(text),
                line: index,
                is_word: false,
                assigned: scan
                    .reading
                    .candidates
                    .iter()
                    .filter(|candidate| candidate.line == index)
                    .map(|candidate| (candidate.property, sanitize_line(&candidate.value), candidate.confidence))
                    .collect(),
            })
            .collect();
        CardPick { scan, frame, card_preview, depth, items, cursor: 0 }
    }

    pub fn scan(&self) -> &CardScan {
        &self.scan
    }

    pub fn frame(&self) -> &Arc<RgbImage> {
        &self.frame
    }

    pub fn update(&mut self, action: Action) -> Option<Transition> {
        let last = self.items.len().saturating_sub(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = last,
            Action::AssignProperty(property) => self.assign(property),
            Action::AssignName => self.assign_name(),
            Action::ClearAssignment => {
                if let Some(item) = self.items.get_mut(self.cursor) {
                    item.assigned.clear();
                }
            }
            Action::SplitLine => self.split_or_join(),
            Action::AdjustCorners => return Some(Transition::AdjustCorners),
            Action::Submit => return Some(Transition::EditCard(self.draft())),
            Action::Back => return Some(Transition::LeaveCard),
            _ => (),
        }
        None
    }

    /// The current item is `property` now, and nothing else is.
    fn assign(&mut self, property: Property) {
        let Some(item) = self.items.get(self.cursor) else { return };
        let value = value_for(property, &item.text);
        if value.is_empty() {
            return;
        }
        for (index, other) in self.items.iter_mut().enumerate() {
            if index != self.cursor {
                other.assigned.retain(|(assigned, _, _)| *assigned != property);
            }
        }
        self.items[self.cursor].assigned = vec![(property, value, 1.0)];
    }

    /// The current line is a full name: its last word the last name, the rest the first.
    fn assign_name(&mut self) {
        let Some(item) = self.items.get(self.cursor) else { return };
        let words: Vec<&str> = item.text.split_whitespace().collect();
        let Some((last, first)) = words.split_last() else { return };
        let first = first.join(" ");
        let last = last.to_string();
        for (index, other) in self.items.iter_mut().enumerate() {
            if index != self.cursor {
                other.assigned.retain(|(assigned, _, _)| !matches!(assigned, Property::FirstName | Property::LastName));
            }
        }
        let mut assigned = vec![(Property::LastName, last, 1.0)];
        if !first.is_empty() {
            assigned.insert(0, (Property::FirstName, first, 1.0));
        }
        self.items[self.cursor].assigned = assigned;
    }

    /// A line becomes its words; a word goes back into its whole line.
    fn split_or_join(&mut self) {
        let Some(item) = self.items.get(self.cursor).cloned() else { return };
        if item.is_word {
            let line = item.line;
            let first = self.items.iter().position(|other| other.line == line).unwrap_or(self.cursor);
            self.items.retain(|other| other.line != line);
            let text = self.scan.reading.lines.get(line).map(|text| sanitize_line(text)).unwrap_or_default();
            self.items.insert(first, PickItem { text, line, is_word: false, assigned: Vec::new() });
            self.cursor = first;
            return;
        }
        let words: Vec<&str> = item.text.split_whitespace().collect();
        if words.len() < 2 {
            return;
        }
        let word_items: Vec<PickItem> = words
            .iter()
            .map(|word| PickItem {
                text: word.to_string(),
                line: item.line,
                is_word: true,
                // A value that was exactly this word stays with it.
                assigned: item.assigned.iter().filter(|(_, value, _)| value == word).cloned().collect(),
            })
            .collect();
        self.items.splice(self.cursor..=self.cursor, word_items);
    }

    /// The draft the assignments make: the first value of a property wins; further phones
    /// and emails become additional ones.
    pub fn draft(&self) -> ContactDraft {
        let mut draft = ContactDraft::default();
        for (property, value, _) in self.items.iter().flat_map(|item| &item.assigned) {
            match property {
                Property::AdditionalEmails => draft.additional_emails.push(value.clone()),
                Property::AdditionalPhones => {
                    draft.additional_phones.push(PhoneEntry { kind: "work".to_string(), value: value.clone() })
                }
                Property::Email if draft.get(Property::Email).is_some() => draft.additional_emails.push(value.clone()),
                property if property.is_phone() && draft.get(*property).is_some() => {
                    let kind = if *property == Property::Fax { "fax" } else { "work" };
                    draft.additional_phones.push(PhoneEntry { kind: kind.to_string(), value: value.clone() });
                }
                property => draft.set_if_empty(*property, value.clone()),
            }
        }
        draft
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let block = Block::bordered().title(Line::from(" Business card: pick what each line is ").bold());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [left, right] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(inner);
        let picture_height = (left.height / 3).min(12);
        let [picture_area, lines_area] =
            Layout::vertical([Constraint::Length(picture_height), Constraint::Fill(1)]).areas(left);
        if picture_height >= 4 {
            frame.render_widget(CameraPreview::new(Some(&self.card_preview), self.depth).without_guide(), picture_area);
        }
        self.render_lines(frame, lines_area);
        self.render_properties(frame, right);
    }

    fn render_lines(&self, frame: &mut Frame, area: Rect) {
        let label_width = 22usize;
        let text_width = (area.width as usize).saturating_sub(label_width + 4).max(8);
        let items: Vec<ListItem> = self
            .items
            .iter()
            .map(|item| {
                let indent = if item.is_word { "  " } else { "" };
                let text = truncate(&format!("{indent}{}", item.text), text_width);
                let labels: Vec<String> = item
                    .assigned
                    .iter()
                    .map(|(property, _, confidence)| {
                        let doubt = if *confidence < LOW_CONFIDENCE { "?" } else { "" };
                        format!("{}{doubt}", short_label(*property))
                    })
                    .collect();
                let is_doubtful = item.assigned.iter().any(|(_, _, confidence)| *confidence < LOW_CONFIDENCE);
                let label_style = if item.assigned.is_empty() {
                    Style::new().fg(Color::DarkGray)
                } else if is_doubtful {
                    Style::new().fg(Color::Yellow)
                } else {
                    Style::new().fg(Color::LightGreen)
                };
                let label = if labels.is_empty() { "—".to_string() } else { labels.join(", ") };
                ListItem::new(Line::from(vec![
                    Span::raw(format!("{text:<text_width$} ")),
                    Span::styled(truncate(&label, label_width), label_style),
                ]))
            })
            .collect();
        let list = List::new(items)
            .block(Block::bordered().title(" Text on the card "))
            .highlight_style(Style::new().add_modifier(Modifier::REVERSED))
            .highlight_symbol("> ");
        let mut state = ListState::default().with_selected(Some(self.cursor));
        frame.render_stateful_widget(list, area, &mut state);
    }

    fn render_properties(&self, frame: &mut Frame, area: Rect) {
        let draft = self.draft();
        let doubtful = |property: Property| {
            self.items
                .iter()
                .flat_map(|item| &item.assigned)
                .any(|(assigned, _, confidence)| *assigned == property && *confidence < LOW_CONFIDENCE)
        };
        let mut lines: Vec<Line> = CARD_PROPERTIES
            .iter()
            .map(|&property| {
                let value = draft.get(property).unwrap_or_default();
                let style = if value.is_empty() {
                    Style::new().fg(Color::DarkGray)
                } else if doubtful(property) {
                    Style::new().fg(Color::Yellow)
                } else {
                    Style::new()
                };
                let mark = if doubtful(property) { "?" } else { " " };
                Line::from(vec![
                    Span::styled(format!("{:<13}", short_label(property)), Style::new().bold()),
                    Span::raw(mark),
                    Span::styled(sanitize_line(value), style),
                ])
            })
            .collect();
        for email in &draft.additional_emails {
            lines.push(Line::from(format!("{:<14}{}", "+ email", sanitize_line(email))));
        }
        for phone in &draft.additional_phones {
            lines.push(Line::from(format!("{:<14}{}", format!("+ {}", phone.kind), sanitize_line(&phone.value))));
        }
        lines.push(Line::from(""));
        lines.push(Line::from(" ? marks a doubtful guess.").italic());
        frame.render_widget(Paragraph::new(lines).block(Block::bordered().title(" Contact ")), area);
    }
}

/// The part of `text` that is the value of `property`: without a label such as "Tel.:" or
/// "E-mail", the address alone for an email or a website.
fn value_for(property: Property, text: &str) -> String {
    let text = text.trim();
    match property {
        Property::Email | Property::AdditionalEmails => text
            .split_whitespace()
            .find(|word| word.contains('@'))
            .unwrap_or(text)
            .trim_matches(|c: char| ",;:<>()".contains(c))
            .to_string(),
        Property::Website => text
            .split_whitespace()
            .find(|word| word.contains('.') && !word.contains('@') && word.len() > 3)
            .unwrap_or(text)
            .trim_matches(|c: char| ",;<>()".contains(c))
            .to_string(),
        property if property.is_phone() || property == Property::AdditionalPhones => {
            let start = text.find(|c: char| c.is_ascii_digit() || c == '+' || c == '(').unwrap_or(0);
            text[start..].trim().to_string()
        }
        _ => without_label(text).to_string(),
    }
}

/// "Adresse: Hauptstr. 1" → "Hauptstr. 1": a short first word ending in a colon is a label.
fn without_label(text: &str) -> &str {
    match text.split_once(':') {
        Some((label, rest))
            if label.chars().count() <= 12 && !label.contains(char::is_numeric) && !rest.trim().is_empty() =>
        {
            rest.trim()
        }
        _ => text,
    }
}

fn short_label(property: Property) -> &'static str {
    match property {
        Property::FirstName => "First name",
        Property::LastName => "Last name",
        Property::JobTitle => "Job title",
        Property::Company => "Company",
        Property::Email => "Email",
        Property::AdditionalEmails => "+ Email",
        Property::Phone => "Phone",
        Property::MobilePhone => "Mobile",
        Property::Fax => "Fax",
        Property::AdditionalPhones => "+ Phone",
        Property::Website => "Website",
        Property::StreetAddress => "Street",
        Property::City => "City",
        Property::State => "State/Region",
        Property::PostalCode => "Postal code",
        Property::Country => "Country",
        other => other.label(),
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut shortened: String = text.chars().take(width.saturating_sub(1)).collect();
    shortened.push('…');
    shortened
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::Quad;
    use crate::extract::card::Timings;
    use crate::extract::card_text::read_card_text;
    use crate::extract::ocr::OcrPage;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    const CARD: &str = "Jane Q. Roe\nHead of Sales\nRoe Widgets GmbH\nTel. +49 30 1234567 Fax +49 30 1234568\n\
                        jane.roe@roe-widgets.de\nHauptstr. 5\n10115 Berlin\n\u{1b}]0;evil\u{7}Booth 7";

    fn pick() -> CardPick {
        let page = OcrPage::from_text(CARD);
        let reading = read_card_text(&page, "DE");
        let card = RgbImage::from_pixel(105, 60, image::Rgb([250, 250, 250]));
        let scan = CardScan {
            detected: None,
            corners: Quad::full(105, 60),
            rotation: 0,
            card: card.clone(),
            card_jpeg: Vec::new(),
            page,
            reading,
            timings: Timings::default(),
        };
        let preview = PreviewImage::of_frame(&card);
        CardPick::new(Box::new(scan), Arc::new(card), preview, ColorDepth::TrueColor)
    }

    fn screen(pick: &CardPick) -> String {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        terminal.draw(|frame| pick.render(frame, frame.area())).unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn suggestions_fill_the_draft_and_keys_reassign_lines() {
        let mut pick = pick();
        let draft = pick.draft();
        assert_eq!(draft.get(Property::Email), Some("jane.roe@roe-widgets.de"));
        assert_eq!(draft.get(Property::Phone), Some("+49 30 1234567"));
        assert_eq!(draft.get(Property::Fax), Some("+49 30 1234568"));
        assert_eq!(draft.get(Property::City), Some("Berlin"));

        // The company line becomes the job title instead: the old title line loses it.
        pick.update(Action::Down);
        pick.update(Action::Down);
        pick.update(Action::AssignProperty(Property::JobTitle));
        let draft = pick.draft();
        assert_eq!(draft.get(Property::JobTitle), Some("Roe Widgets GmbH"));
        assert_eq!(draft.get(Property::Company), None);
        // Cleared lines give nothing; a name line splits into first and last name.
        pick.update(Action::ClearAssignment);
        assert_eq!(pick.draft().get(Property::JobTitle), None);
        pick.update(Action::Home);
        pick.update(Action::AssignName);
        assert_eq!(pick.draft().get(Property::FirstName), Some("Jane Q."));
        assert_eq!(pick.draft().get(Property::LastName), Some("Roe"));
        assert!(matches!(pick.update(Action::Submit), Some(Transition::EditCard(_))));
        assert!(matches!(pick.update(Action::Back), Some(Transition::LeaveCard)));
    }

    #[test]
    fn a_line_splits_into_words_that_take_their_own_properties() {
        let mut pick = pick();
        let last = pick.items.len() - 1;
        for _ in 0..last {
            pick.update(Action::Down);
        }
        pick.update(Action::SplitLine);
        assert!(pick.items[last].is_word);
        let words: Vec<&str> = pick.items[last..].iter().map(|item| item.text.as_str()).collect();
        assert_eq!(words, ["]0;evilBooth", "7"]);
        pick.update(Action::Down);
        pick.update(Action::AssignProperty(Property::State));
        assert_eq!(pick.draft().get(Property::State), Some("7"));
        // Space on a word joins the line again.
        pick.update(Action::SplitLine);
        assert_eq!(pick.items.len(), last + 1);
        assert!(!pick.items[last].is_word);
    }

    #[test]
    fn the_pane_shows_lines_with_their_properties_and_never_control_characters() {
        let pick = pick();
        let screen = screen(&pick);
        assert!(!screen.chars().any(|c| c.is_control() && c != '\n'), "{screen}");
        assert!(screen.contains("Text on the card"), "{screen}");
        assert!(
            screen.lines().any(|line| line.contains("jane.roe@roe-widgets.de") && line.contains("Email")),
            "{screen}"
        );
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn labels_are_stripped_from_assigned_values() {
        assert_eq!(value_for(Property::Phone, "Tel.: +49 30 1234 567"), "+49 30 1234 567");
        assert_eq!(value_for(Property::Email, "E-Mail: jane@example.com"), "jane@example.com");
        assert_eq!(value_for(Property::Website, "Web www.example.com"), "www.example.com");
        assert_eq!(value_for(Property::StreetAddress, "Adresse: Hauptstr. 1"), "Hauptstr. 1");
        assert_eq!(value_for(Property::JobTitle, "Head of Sales"), "Head of Sales");
        assert_eq!(value_for(Property::City, "10:30 Berlin"), "10:30 Berlin");
    }
}
