//! The CSV import preview: per file, the detected source, encoding, delimiter and header
//! row; the column mapping, which the user edits; the first rows as they will be stored;
//! and the counts of a dry run. Nothing is written until the user confirms.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::Transition;
use crate::import::csv::{ColumnTarget, MappingOrigin, TextEncoding, custom_property_name, normalize_header};
use crate::import_job::RowError;
use crate::model::{Property, STANDARD_PROPERTIES, sanitize_line};
use crate::tui::action::Action;
use crate::tui::modals::Modal;
use crate::tui::modals::confirm_dialog::ConfirmDialog;
use crate::tui::modals::message_list::MessageList;
use crate::tui::widgets::checklist::first_visible_row;
use crate::tui::widgets::status_line::Notice;
use crate::tui::workers::CsvPreview;

/// The encodings `e` walks through, as WHATWG names.
const ENCODINGS: [&str; 6] = ["utf-8", "windows-1252", "utf-16le", "utf-16be", "iso-8859-2", "shift_jis"];
/// The delimiters `d` walks through.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

pub struct CsvPreviewScreen {
    preview: CsvPreview,
    /// The file shown.
    file_index: usize,
    /// The column under the cursor, across the file's tables.
    cursor: usize,
    /// The mapping was changed since the dry run: its counts are out of date.
    is_stale: bool,
    viewport: Rect,
}

/// One column of the shown file, with the table it belongs to.
struct ColumnRow {
    header: String,
    target: ColumnTarget,
    origin: MappingOrigin,
}

impl CsvPreviewScreen {
    pub fn new(preview: CsvPreview) -> Self {
        CsvPreviewScreen { preview, file_index: 0, cursor: 0, is_stale: false, viewport: Rect::default() }
    }

    pub fn preview(&self) -> &CsvPreview {
        &self.preview
    }

    /// The file names, for titles and the import history.
    pub fn label(&self) -> String {
        crate::tui::workers::files_label(&self.preview.paths)
    }

    pub fn set_viewport(&mut self, viewport: Rect) {
        self.viewport = viewport;
    }

    pub fn update(&mut self, action: Action) -> Option<Transition> {
        let n_columns = self.columns().len();
        let last = n_columns.saturating_sub(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = last,
            Action::PageUp => self.cursor = self.cursor.saturating_sub(10),
            Action::PageDown => self.cursor = (self.cursor + 10).min(last),
            Action::NextChoice | Action::PreviousChoice => self.change_target(action == Action::NextChoice),
            Action::NextField => {
                self.file_index = (self.file_index + 1) % self.preview.files.len().max(1);
                self.cursor = 0;
            }
            Action::PreviousField => {
                let n_files = self.preview.files.len().max(1);
                self.file_index = (self.file_index + n_files - 1) % n_files;
                self.cursor = 0;
            }
            Action::Recount => return Some(Transition::PreviewCsv(self.preview.settings.clone())),
            // Reading the files differently changes everything shown: they are read again, and
            // the new settings hold only once the new preview replaces this one.
            Action::NextEncoding => {
                let current =
                    self.shown_table().and_then(|info| info.encoding).map(|encoding| encoding.encoding.name());
                let position =
                    ENCODINGS.iter().position(|label| Some(*label) == current.map(str::to_ascii_lowercase).as_deref());
                let next = ENCODINGS[position.map_or(0, |position| (position + 1) % ENCODINGS.len())];
                let mut settings = self.preview.settings.clone();
                settings.csv.encoding = TextEncoding::from_label(next);
                return Some(Transition::PreviewCsv(settings));
            }
            Action::NextDelimiter => {
                let current = self.shown_table().and_then(|info| info.delimiter);
                let position = DELIMITERS.iter().position(|delimiter| Some(*delimiter) == current);
                let mut settings = self.preview.settings.clone();
                settings.csv.delimiter =
                    Some(DELIMITERS[position.map_or(0, |position| (position + 1) % DELIMITERS.len())]);
                return Some(Transition::PreviewCsv(settings));
            }
            Action::NextSheet => {
                let info = self.shown_table()?;
                if info.sheet_names.len() < 2 {
                    return Some(Transition::Notice(Notice::info("This file has no other sheet.")));
                }
                let position = info.sheet_names.iter().position(|name| Some(name) == info.sheet.as_ref());
                let next =
                    info.sheet_names[position.map_or(0, |position| (position + 1) % info.sheet_names.len())].clone();
                let mut settings = self.preview.settings.clone();
                settings.csv.sheet = Some(next);
                settings.csv.header_row = None;
                return Some(Transition::PreviewCsv(settings));
            }
            Action::HeaderRowDown | Action::HeaderRowUp => {
                let current = self.shown_table().map_or(1, |info| info.header_row.max(1));
                let line = if action == Action::HeaderRowDown { current + 1 } else { current.saturating_sub(1).max(1) };
                let mut settings = self.preview.settings.clone();
                settings.csv.header_row = Some(line);
                return Some(Transition::PreviewCsv(settings));
            }
            Action::SaveErrors => {
                let errors: Vec<RowError> =
                    self.preview.files.iter().flat_map(|file| file.dry_run.errors.iter().cloned()).collect();
                if errors.is_empty() {
                    return Some(Transition::Notice(Notice::info(
                        "Every row can be imported: no error report to save.",
                    )));
                }
                let file = &self.preview.files[self.file_index.min(self.preview.files.len() - 1)].path;
                let stem = crate::import_job::list_name_for(file);
                let path = file.with_file_name(format!("{stem}.errors.csv"));
                return Some(Transition::SaveErrors { path, errors });
            }
            Action::ShowWarnings => {
                let lines: Vec<String> = self
                    .preview
                    .files
                    .iter()
                    .flat_map(|file| file.dry_run.errors.iter())
                    .map(|error| {
                        let column =
                            if error.column.is_empty() { String::new() } else { format!(", {}", error.column) };
                        format!("{} row {}{column}: {}", error.file, error.row, error.reason)
                    })
                    .collect();
                if lines.is_empty() {
                    return Some(Transition::Notice(Notice::info("Every row can be imported.")));
                }
                return Some(Transition::ShowModal(Modal::Messages(MessageList::new(
                    "Rows that will not be imported",
                    lines,
                ))));
            }
            Action::Submit if self.is_stale => {
                return Some(Transition::Notice(Notice::error(
                    "The mapping changed: r counts again before the import.",
                )));
            }
            Action::Submit => {
                let n_contacts: usize = self.preview.files.iter().map(|file| file.dry_run.report.n_imported()).sum();
                let default_list = match self.preview.paths.as_slice() {
                    [path] => crate::import_job::list_name_for(path),
                    _ => "a list named after each file".to_string(),
                };
                let dialog = ConfirmDialog::import_with_default_list(n_contacts, default_list);
                return Some(Transition::ShowModal(Modal::Confirm(dialog)));
            }
            Action::Back => return Some(Transition::Back),
            _ => (),
        }
        None
    }

    /// A line for each file that could not be read (three at most), which the import leaves out.
    fn left_out_lines(&self) -> Vec<Line<'static>> {
        const MAX_LINES: usize = 3;
        let left_out = &self.preview.left_out;
        let style = Style::new().fg(Color::Yellow);
        let mut lines: Vec<Line> = left_out
            .iter()
            .take(if left_out.len() > MAX_LINES { MAX_LINES - 1 } else { MAX_LINES })
            .map(|why| Line::styled(sanitize_line(&format!(" Left out: {why}")), style))
            .collect();
        if left_out.len() > lines.len() {
            lines.push(Line::styled(
                format!(" Left out: {} more files that cannot be read", left_out.len() - lines.len()),
                style,
            ));
        }
        lines
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let Some(file) = self.preview.files.get(self.file_index) else { return };
        let file_name = file.path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        let title = format!(
            " Import preview: {} ({} of {}) ",
            sanitize_line(&file_name),
            self.file_index + 1,
            self.preview.files.len()
        );
        let block = Block::bordered().title(Line::from(title).bold());
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let n_row_lines = file.tables.iter().map(|(_, rows)| rows.len()).sum::<usize>().min(5) as u16 + 1;
        let left_out = self.left_out_lines();
        let [detected_area, counts_area, mapping_area, rows_area] = Layout::vertical([
            Constraint::Length((file.tables.len().max(1) + left_out.len()) as u16),
            Constraint::Length(2),
            Constraint::Fill(1),
            Constraint::Length(n_row_lines),
        ])
        .areas(inner);

        let detected: Vec<Line> = file
            .tables
            .iter()
            .map(|(info, _)| {
                let mut parts = vec![info.preset.label().to_string()];
                parts.extend(info.encoding.map(|encoding| encoding.label()));
                parts.extend(info.delimiter_label());
                if let Some(sheet) = &info.sheet {
                    parts.push(format!("sheet {sheet}"));
                }
                parts.push(if info.header_row == 0 {
                    "no header row".into()
                } else {
                    format!("header row {}", info.header_row)
                });
                let name = info.name.split(": ").nth(1).unwrap_or("");
                let prefix = if name.is_empty() { String::new() } else { format!("{name}: ") };
                Line::from(sanitize_line(&format!(" {prefix}{}", parts.join(" · "))))
            })
            .collect();
        let detected: Vec<Line> = detected.into_iter().chain(left_out).collect();
        frame.render_widget(Paragraph::new(detected), detected_area);

        let report = &file.dry_run.report;
        let counts = if self.is_stale {
            vec![Line::from(" Counts out of date: r counts again with the new mapping.")]
        } else {
            vec![
                Line::from(format!(
                    " Dry run: {} new · {} updated · {} unchanged · {} skipped · {} invalid",
                    report.n_new, report.n_updated, report.n_unchanged, report.n_skipped, report.n_invalid
                )),
                Line::from(format!(
                    "          {} opted out · {} bounced · {} without email",
                    report.n_opted_out, report.n_bounced, report.n_no_email
                )),
            ]
        };
        frame.render_widget(Paragraph::new(counts).add_modifier(Modifier::BOLD), counts_area);

        let columns = self.columns();
        let height = usize::from(mapping_area.height);
        let first = first_visible_row(self.cursor, height);
        let header_width = columns.iter().map(|column| column.header.chars().count()).max().unwrap_or(0).clamp(8, 30);
        let lines: Vec<Line> = columns
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(index, column)| {
                let marker = if index == self.cursor { "> " } else { "  " };
                let header: String = column.header.chars().take(header_width).collect();
                let origin = match column.origin {
                    MappingOrigin::Chosen => "your choice",
                    MappingOrigin::Remembered => "remembered",
                    MappingOrigin::Preset => "preset",
                    MappingOrigin::Header => "by its name",
                    MappingOrigin::Unmatched => "new custom",
                };
                let text = format!(
                    "{marker}{:<header_width$} → {:<28} {origin}",
                    sanitize_line(&header),
                    column.target.to_string()
                );
                let style = if index == self.cursor {
                    Style::default().add_modifier(Modifier::REVERSED)
                } else {
                    Style::default()
                };
                Line::styled(text, style)
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), mapping_area);

        let mut row_lines = vec![Line::from(" First rows as they will be stored:").italic()];
        for (_, rows) in &file.tables {
            for row in rows {
                if row_lines.len() >= usize::from(n_row_lines) {
                    break;
                }
                let draft = &row.draft;
                let mut notes: Vec<&str> = row.do_not_email.iter().map(|reason| reason.key()).collect();
                if row.problem.is_some() {
                    notes.push("invalid");
                }
                let name = draft.display_name();
                let mut parts = vec![name.clone(), draft.get(Property::Email).unwrap_or("no email").to_string()];
                parts.extend(draft.get(Property::Company).filter(|company| *company != name).map(str::to_string));
                if !notes.is_empty() {
                    parts.push(notes.join(", "));
                }
                let text = format!("  {}", parts.join(" · "));
                row_lines.push(Line::from(sanitize_line(&text)));
            }
        }
        frame.render_widget(Paragraph::new(row_lines), rows_area);
    }

    /// The first table of the shown file.
    fn shown_table(&self) -> Option<&crate::import::csv::TableInfo> {
        self.preview.files.get(self.file_index)?.tables.first().map(|(info, _)| info)
    }

    /// The columns of the shown file, every table's in order, each header once (the tables
    /// of a Mailchimp zip share most of theirs, and a choice applies to a header).
    fn columns(&self) -> Vec<ColumnRow> {
        let Some(file) = self.preview.files.get(self.file_index) else { return Vec::new() };
        let mut seen = std::collections::HashSet::new();
        file.tables
            .iter()
            .flat_map(|(info, _)| info.columns.iter())
            .filter(|column| seen.insert(normalize_header(&column.header)))
            .map(|column| {
                let chosen = self
                    .preview
                    .settings
                    .csv
                    .mappings
                    .iter()
                    .find(|(header, _)| normalize_header(header) == normalize_header(&column.header));
                match chosen {
                    Some((_, target)) => ColumnRow {
                        header: column.header.clone(),
                        target: target.clone(),
                        origin: MappingOrigin::Chosen,
                    },
                    None => ColumnRow {
                        header: column.header.clone(),
                        target: column.target.clone(),
                        origin: column.origin,
                    },
                }
            })
            .collect()
    }

    /// Moves the column under the cursor to the next (or previous) target.
    fn change_target(&mut self, is_next: bool) {
        let columns = self.columns();
        let Some(column) = columns.get(self.cursor) else { return };
        let choices = target_choices(&column.header);
        let position = choices.iter().position(|choice| *choice == column.target);
        let next = match (position, is_next) {
            (Some(position), true) => (position + 1) % choices.len(),
            (Some(position), false) => (position + choices.len() - 1) % choices.len(),
            (None, _) => 0,
        };
        let target = choices[next].clone();
        let mappings = &mut self.preview.settings.csv.mappings;
        mappings.retain(|(header, _)| normalize_header(header) != normalize_header(&column.header));
        mappings.push((column.header.clone(), target));
        self.is_stale = true;
    }
}

/// What a column can be mapped to, in the order ←/→ walk through them.
fn target_choices(header: &str) -> Vec<ColumnTarget> {
    let mut choices = vec![ColumnTarget::Ignore];
    for property in STANDARD_PROPERTIES {
        if property.is_system() {
            continue;
        }
        match property {
            Property::AdditionalEmails => choices.push(ColumnTarget::AdditionalEmail),
            Property::AdditionalPhones => choices.push(ColumnTarget::AdditionalPhone("other".into())),
            property => choices.push(property.key().parse().unwrap_or(ColumnTarget::Property(property))),
        }
    }
    choices.extend([
        ColumnTarget::FullName,
        ColumnTarget::OptOut,
        ColumnTarget::Bounced,
        ColumnTarget::EmailStatus,
        ColumnTarget::ExternalId,
        ColumnTarget::Lists,
    ]);
    let custom = custom_property_name(header);
    if !custom.is_empty() {
        choices.push(ColumnTarget::Custom(custom));
    }
    choices
}
