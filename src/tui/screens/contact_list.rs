//! The contact list and the trash: a window of summaries around the cursor (never all rows, so
//! 100,000 contacts cost the same as 10), sorted by a column, filtered live by the store's
//! search as the user types, with the counts in the title.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, HighlightSpacing, Paragraph, Row, Table, TableState};

use super::contact_detail::ContactDetail;
use super::contact_form::ContactForm;
use super::{Screen, Transition, store_failure};
use crate::model::{ContactSummary, LifecycleStage, Timestamp, sanitize_line};
use crate::store::{self, ListQuery, SortKey, Store};
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::widgets::status_line::Notice;
use crate::tui::widgets::text_field::TextField;

/// Rows loaded above and below the visible ones, so that scrolling rarely queries.
const WINDOW_MARGIN: usize = 100;
/// From this inner width on, the job title and lifecycle stage columns are shown too.
const WIDE_LIST_WIDTH: u16 = 118;
/// Rows the mouse wheel scrolls.
const WHEEL_ROWS: usize = 3;

/// The list's state. `cursor` and `top` are positions in the whole (filtered, sorted) list;
/// `window` holds the summaries from `window_offset` on.
pub struct ContactList {
    query: ListQuery,
    search: TextField,
    is_searching: bool,
    /// All live contacts (or all trashed ones in the trash view), ignoring the search.
    n_total: usize,
    /// Those that match the search.
    n_matching: usize,
    cursor: usize,
    top: usize,
    viewport: Rect,
    window_offset: usize,
    window: Vec<ContactSummary>,
}

/// Where the parts of the list are drawn.
struct ListLayout {
    search: Rect,
    header: Rect,
    rows: Rect,
}

impl ContactList {
    /// Counts the contacts and loads the first page for a list drawn in `viewport`.
    pub fn new(store: &Store, viewport: Rect) -> store::Result<ContactList> {
        let mut list = ContactList {
            query: ListQuery::default(),
            search: TextField::default(),
            is_searching: false,
            n_total: 0,
            n_matching: 0,
            cursor: 0,
            top: 0,
            viewport,
            window_offset: 0,
            window: Vec::new(),
        };
        list.refresh(store)?;
        Ok(list)
    }

    pub fn key_context(&self) -> KeyContext {
        if self.is_searching {
            KeyContext::Search
        } else if self.query.is_trash {
            KeyContext::Trash
        } else {
            KeyContext::ContactList
        }
    }

    /// All contacts of the view (live, or trashed), ignoring the search.
    pub fn n_total(&self) -> usize {
        self.n_total
    }

    /// The contact under the cursor.
    pub fn selected(&self) -> Option<&ContactSummary> {
        self.cursor.checked_sub(self.window_offset).and_then(|index| self.window.get(index))
    }

    pub fn set_viewport(&mut self, viewport: Rect, store: &Store) -> store::Result<()> {
        self.viewport = viewport;
        self.move_cursor_to(self.cursor, store)
    }

    /// Counts again and reloads the window, keeping the cursor's position.
    pub fn refresh(&mut self, store: &Store) -> store::Result<()> {
        let unfiltered = ListQuery { search: String::new(), ..self.query.clone() };
        self.n_total = store.count(&unfiltered)?;
        self.n_matching = if self.query.search.trim().is_empty() { self.n_total } else { store.count(&self.query)? };
        self.window.clear();
        self.window_offset = 0;
        self.move_cursor_to(self.cursor, store)
    }

    pub fn update(&mut self, action: Action, store: &mut Store, now: Timestamp) -> Option<Transition> {
        match self.apply(action, store, now) {
            Ok(transition) => transition,
            Err(error) => Some(store_failure("Could not read the contacts", &error)),
        }
    }

    /// Selects the row under a mouse click at (`column`, `row`) of the screen.
    pub fn click(&mut self, column: u16, row: u16, store: &Store) -> store::Result<()> {
        let rows = self.layout(self.viewport).rows;
        if column < rows.x || column >= rows.right() || row < rows.y || row >= rows.bottom() {
            return Ok(());
        }
        let index = self.top + usize::from(row - rows.y);
        if index < self.n_matching { self.move_cursor_to(index, store) } else { Ok(()) }
    }

    /// Scrolls for the mouse wheel.
    pub fn scroll(&mut self, is_down: bool, store: &Store) -> store::Result<()> {
        let target = if is_down { self.cursor + WHEEL_ROWS } else { self.cursor.saturating_sub(WHEEL_ROWS) };
        self.move_cursor_to(target, store)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let layout = self.layout(area);
        let block = Block::bordered()
            .title(Line::from(self.title()).bold())
            .title(Line::from(self.sort_title()).alignment(Alignment::Right));
        frame.render_widget(block, area);
        if layout.search.height > 0 {
            let [label, field] = Layout::horizontal([Constraint::Length(9), Constraint::Fill(1)]).areas(layout.search);
            frame.render_widget(Span::styled(" Search: ", Style::default().add_modifier(Modifier::BOLD)), label);
            self.search.render(frame, field, Style::default(), self.is_searching);
        }
        if self.n_matching == 0 {
            frame.render_widget(Paragraph::new(format!(" {}", self.empty_message())).italic(), layout.rows);
            return;
        }
        let is_wide = area.width >= WIDE_LIST_WIDTH + 2;
        let header = Row::new(self.header_cells(is_wide)).style(Style::default().add_modifier(Modifier::BOLD));
        let start = self.top.saturating_sub(self.window_offset);
        let visible = self.window.iter().skip(start).take(usize::from(layout.rows.height));
        let rows = visible.map(|summary| Row::new(summary_cells(summary, is_wide)));
        let table = Table::new(rows, column_widths(is_wide))
            .header(header)
            .column_spacing(1)
            .highlight_symbol("> ")
            .highlight_spacing(HighlightSpacing::Always)
            .row_highlight_style(Style::default().add_modifier(Modifier::REVERSED));
        let mut state = TableState::default().with_selected(Some(self.cursor.saturating_sub(self.top)));
        frame.render_stateful_widget(table, layout.header.union(layout.rows), &mut state);
    }

    fn apply(&mut self, action: Action, store: &mut Store, now: Timestamp) -> store::Result<Option<Transition>> {
        let page = usize::from(self.layout(self.viewport).rows.height.max(1));
        match action {
            Action::Up => self.move_cursor_to(self.cursor.saturating_sub(1), store)?,
            Action::Down => self.move_cursor_to(self.cursor + 1, store)?,
            Action::PageUp => self.move_cursor_to(self.cursor.saturating_sub(page), store)?,
            Action::PageDown => self.move_cursor_to(self.cursor + page, store)?,
            Action::Home => self.move_cursor_to(0, store)?,
            Action::End => self.move_cursor_to(self.n_matching.saturating_sub(1), store)?,
            Action::OpenContact => {
                let Some(summary) = self.selected() else { return Ok(None) };
                return Ok(Some(match ContactDetail::load(store, summary.id)? {
                    Some(detail) => Transition::Open(Box::new(Screen::ContactDetail(detail))),
                    None => Transition::Notice(Notice::error("That contact no longer exists.")),
                }));
            }
            Action::NewContact if !self.query.is_trash => {
                let form = ContactForm::new_contact(store)?;
                return Ok(Some(Transition::Open(Box::new(Screen::ContactForm(form)))));
            }
            Action::EditContact if !self.query.is_trash => {
                let Some(summary) = self.selected() else { return Ok(None) };
                let Some(contact) = store.contact(summary.id)? else { return Ok(None) };
                let form = ContactForm::edit(&contact, store)?;
                return Ok(Some(Transition::Open(Box::new(Screen::ContactForm(form)))));
            }
            Action::DeleteContact if !self.query.is_trash => {
                let Some(summary) = self.selected().cloned() else { return Ok(None) };
                store.delete_contacts(&[summary.id], now)?;
                return Ok(Some(Transition::Deleted { contact_ids: vec![summary.id], name: summary.display_name() }));
            }
            Action::RestoreContact if self.query.is_trash => {
                let Some(summary) = self.selected().cloned() else { return Ok(None) };
                store.restore_contacts(&[summary.id])?;
                self.refresh(store)?;
                return Ok(Some(Transition::Notice(Notice::info(format!("Restored {}", summary.display_name())))));
            }
            Action::StartSearch => self.is_searching = true,
            Action::FinishSearch => self.is_searching = false,
            Action::ClearSearch => {
                self.is_searching = false;
                if !self.search.is_empty() {
                    self.search.set_text("");
                    self.set_search_text(store)?;
                }
            }
            Action::EditText(edit) if self.is_searching => {
                self.search.apply(edit);
                if self.search.text() != self.query.search {
                    self.set_search_text(store)?;
                }
            }
            Action::NextSortColumn => {
                let position = SortKey::ALL.iter().position(|&key| key == self.query.sort).unwrap_or(0);
                self.query.sort = SortKey::ALL[(position + 1) % SortKey::ALL.len()];
                self.query.descending = false;
                self.reload_from_top(store)?;
            }
            Action::ReverseSort => {
                self.query.descending = !self.query.descending;
                self.reload_from_top(store)?;
            }
            Action::ToggleTrash => {
                self.query.is_trash = !self.query.is_trash;
                self.reload_from_top(store)?;
            }
            Action::StartImport if !self.query.is_trash => return Ok(Some(Transition::StartImport)),
            Action::Quit => return Ok(Some(Transition::Quit)),
            _ => (),
        }
        Ok(None)
    }

    fn set_search_text(&mut self, store: &Store) -> store::Result<()> {
        self.query.search = self.search.text().to_string();
        self.reload_from_top(store)
    }

    fn reload_from_top(&mut self, store: &Store) -> store::Result<()> {
        self.cursor = 0;
        self.top = 0;
        self.refresh(store)
    }

    /// Moves the cursor (clamped), scrolls it into view and loads the rows to show.
    fn move_cursor_to(&mut self, index: usize, store: &Store) -> store::Result<()> {
        let height = usize::from(self.layout(self.viewport).rows.height.max(1));
        self.cursor = index.min(self.n_matching.saturating_sub(1));
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + height {
            self.top = self.cursor + 1 - height;
        }
        // After deletes or a resize, keep the page full rather than showing empty rows.
        self.top = self.top.min(self.n_matching.saturating_sub(height));
        self.load_window(height, store)
    }

    /// Loads summaries around `top` unless the visible rows are already loaded.
    fn load_window(&mut self, height: usize, store: &Store) -> store::Result<()> {
        let needed_end = (self.top + height).min(self.n_matching);
        let loaded_end = self.window_offset + self.window.len();
        if self.top >= self.window_offset && needed_end <= loaded_end {
            return Ok(());
        }
        let offset = self.top.saturating_sub(WINDOW_MARGIN);
        let query = ListQuery { offset, limit: height + 2 * WINDOW_MARGIN, ..self.query.clone() };
        self.window = store.summaries(&query)?;
        self.window_offset = offset;
        Ok(())
    }

    fn layout(&self, area: Rect) -> ListLayout {
        let inner = Block::bordered().inner(area);
        let shows_search = self.is_searching || !self.search.is_empty();
        let [search, header, rows] =
            Layout::vertical([Constraint::Length(u16::from(shows_search)), Constraint::Length(1), Constraint::Fill(1)])
                .areas(inner);
        ListLayout { search, header, rows }
    }

    /// " Contacts (42) ", with " · 3 of 42 match " while searching.
    fn title(&self) -> String {
        let name = if self.query.is_trash { "Trash" } else { "Contacts" };
        if self.query.search.trim().is_empty() {
            format!(" {name} ({}) ", self.n_total)
        } else {
            format!(" {name} ({}) · {} of {} match ", self.n_total, self.n_matching, self.n_total)
        }
    }

    fn sort_title(&self) -> String {
        format!(" sorted by {} {} ", self.query.sort.label(), if self.query.descending { "▼" } else { "▲" })
    }

    fn empty_message(&self) -> String {
        if !self.query.search.trim().is_empty() {
            format!("No contact matches “{}”.", sanitize_line(&self.query.search))
        } else if self.query.is_trash {
            "The trash is empty.".to_string()
        } else {
            "No contacts yet: press n to add one, or i to import a vCard file.".to_string()
        }
    }

    fn header_cells(&self, is_wide: bool) -> Vec<String> {
        let mut columns = vec![("Name", Some(SortKey::Name)), ("Email", Some(SortKey::Email)), ("Phone", None)];
        columns.push(("Company", Some(SortKey::Company)));
        if is_wide {
            columns.extend([("Job title", None), ("Lifecycle", None)]);
        }
        let arrow = if self.query.descending { " ▼" } else { " ▲" };
        columns
            .into_iter()
            .map(
                |(label, key)| if key == Some(self.query.sort) { format!("{label}{arrow}") } else { label.to_string() },
            )
            .collect()
    }
}

fn column_widths(is_wide: bool) -> Vec<Constraint> {
    let mut widths = vec![Constraint::Fill(3), Constraint::Fill(4), Constraint::Length(16), Constraint::Fill(3)];
    if is_wide {
        widths.extend([Constraint::Fill(3), Constraint::Length(14)]);
    }
    widths
}

fn summary_cells(summary: &ContactSummary, is_wide: bool) -> Vec<Cell<'static>> {
    // Addresses on the do-not-email list are marked where they are shown.
    let email = if summary.is_do_not_email { format!("⊘ {}", summary.email) } else { summary.email.clone() };
    let mut cells = vec![summary.display_name(), email, summary.phone.clone(), summary.company.clone()];
    if is_wide {
        let stage = summary
            .lifecycle_stage
            .parse::<LifecycleStage>()
            .map_or_else(|_| summary.lifecycle_stage.clone(), |stage| stage.label().to_string());
        cells.extend([summary.job_title.clone(), stage]);
    }
    cells.into_iter().map(|text| Cell::from(sanitize_line(&text))).collect()
}

#[cfg(test)]
mod tests;
