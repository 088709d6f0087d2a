//! The one table of key bindings: (context, key) → `Action`. The footer hints and the `?` help
//! are generated from this table, so they cannot drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Nudge, TextEdit};
use crate::model::Property;

/// Where the keys go: the screen, or the dialog on top of it, and its mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    ContactList,
    Trash,
    /// Typing in the contact list's search field.
    Search,
    ContactDetail,
    /// A contact in the trash: it can be restored, not edited.
    TrashedContact,
    ContactForm,
    FilePrompt,
    FileBrowser,
    /// Files are being read by a worker.
    Reading,
    ImportPicker,
    /// The CSV import preview: detection, mapping, first rows, dry-run counts.
    ImportPreview,
    ImportProgress,
    ImportResult,
    Confirm,
    ConfirmImport,
    /// Typing the list name in the import confirmation.
    ListName,
    Help,
    Messages,
    /// The scanner's live picture.
    Scanner,
    /// Typing the path of a picture or folder to scan.
    ScannerPath,
    /// Adjusting a captured card's corners.
    CardCorners,
    /// Picking what each line of a card is.
    CardPick,
    /// Looking at a contact's card picture.
    CardImage,
}

/// A key with its modifiers, as the table writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

/// One row of the table: these keys do this action in these contexts.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub contexts: &'static [KeyContext],
    pub keys: &'static [Key],
    /// Shown instead of the key names, for rows that describe many keys ("letters").
    pub keys_label: Option<&'static str>,
    pub action: Action,
    /// The line in the `?` help.
    pub description: &'static str,
    /// The word in the footer; `None` keeps the binding out of the footer.
    pub hint: Option<&'static str>,
}

/// One footer entry: `keys` in bold, then `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub keys: String,
    pub text: &'static str,
    /// The help hint is the last one dropped when the footer is too narrow.
    pub is_help: bool,
}

impl KeyContext {
    /// The heading of the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            KeyContext::ContactList => "Contact list",
            KeyContext::Trash => "Trash",
            KeyContext::Search => "Search",
            KeyContext::ContactDetail => "Contact",
            KeyContext::TrashedContact => "Contact in the trash",
            KeyContext::ContactForm => "Edit form",
            KeyContext::FilePrompt => "Import: type file paths",
            KeyContext::FileBrowser => "Import: browse for files",
            KeyContext::Reading => "Reading files",
            KeyContext::ImportPicker => "Import: choose contacts",
            KeyContext::ImportPreview => "Import: preview and mapping",
            KeyContext::ImportProgress => "Importing",
            KeyContext::ImportResult => "Import finished",
            KeyContext::Confirm => "Question",
            KeyContext::ConfirmImport => "Confirm the import",
            KeyContext::ListName => "List name",
            KeyContext::Help => "Help",
            KeyContext::Messages => "Messages",
            KeyContext::Scanner => "Scanner",
            KeyContext::ScannerPath => "Scanner: scan a picture or folder",
            KeyContext::CardCorners => "Business card: corners",
            KeyContext::CardPick => "Business card: pick the lines",
            KeyContext::CardImage => "Business card picture",
        }
    }

    /// Contexts where a text field has the keys: unbound keys edit it.
    pub fn is_text_entry(self) -> bool {
        matches!(
            self,
            KeyContext::Search
                | KeyContext::ContactForm
                | KeyContext::FilePrompt
                | KeyContext::ListName
                | KeyContext::ScannerPath
        )
    }
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key { code, modifiers: KeyModifiers::NONE }
    }

    const fn character(character: char) -> Key {
        Key::plain(KeyCode::Char(character))
    }

    const fn shift(code: KeyCode) -> Key {
        Key { code, modifiers: KeyModifiers::SHIFT }
    }

    const fn control(character: char) -> Key {
        Key { code: KeyCode::Char(character), modifiers: KeyModifiers::CONTROL }
    }

    /// The table's form of a key event.
    pub fn from_event(event: &KeyEvent) -> Key {
        // Terminals disagree on whether `S` or Shift-Tab also carry SHIFT; the code says enough.
        let modifiers = match event.code {
            KeyCode::Char(_) | KeyCode::BackTab => event.modifiers.difference(KeyModifiers::SHIFT),
            _ => event.modifiers,
        };
        let code = match event.code {
            KeyCode::Char(character) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(character.to_ascii_lowercase())
            }
            code => code,
        };
        Key { code, modifiers }
    }

    /// How the footer and help name the key: `↑`, `PgDn`, `Ctrl-S`, `Space`.
    pub fn label(self) -> String {
        let name = match self.code {
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::F(number) => format!("F{number}"),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(character) => character.to_string(),
            other => format!("{other:?}"),
        };
        if self.modifiers.contains(KeyModifiers::CONTROL) { format!("Ctrl-{}", name.to_uppercase()) } else { name }
    }
}

impl Binding {
    /// All the keys of the binding, as the help shows them: `↑/k`.
    pub fn keys_text(&self) -> String {
        match self.keys_label {
            Some(label) => label.to_string(),
            None => self.keys.iter().map(|key| key.label()).collect::<Vec<_>>().join("/"),
        }
    }

    const fn hint(self, hint: &'static str) -> Binding {
        Binding { hint: Some(hint), ..self }
    }

    const fn labelled(self, keys_label: &'static str) -> Binding {
        Binding { keys_label: Some(keys_label), ..self }
    }
}

/// The action of a key in a context. In text-entry contexts, printable keys the table does
/// not bind are typed into the field.
pub fn action_for(context: KeyContext, event: &KeyEvent) -> Option<Action> {
    let key = Key::from_event(event);
    let bound = BINDINGS
        .iter()
        .find(|binding| binding.contexts.contains(&context) && binding.keys.contains(&key))
        .map(|binding| binding.action);
    if bound.is_some() || !context.is_text_entry() {
        return bound;
    }
    match key.code {
        KeyCode::Char(character)
            if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SUPER) =>
        {
            Some(Action::EditText(TextEdit::Insert(character)))
        }
        _ => None,
    }
}

/// Every binding of a context, in table order: the `?` help.
pub fn bindings_for(context: KeyContext) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |binding| binding.contexts.contains(&context))
}

/// The footer of a context: bindings with a hint, first key only, in table order.
pub fn hints_for(context: KeyContext) -> Vec<Hint> {
    bindings_for(context)
        .filter_map(|binding| {
            let text = binding.hint?;
            let keys =
                binding.keys_label.map(str::to_string).or_else(|| binding.keys.first().map(|key| key.label()))?;
            Some(Hint { keys, text, is_help: binding.action == Action::ShowHelp })
        })
        .collect()
}

const fn bind(
    contexts: &'static [KeyContext],
    keys: &'static [Key],
    action: Action,
    description: &'static str,
) -> Binding {
    Binding { contexts, keys, keys_label: None, action, description, hint: None }
}

use KeyCode::{BackTab, Backspace, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};
use KeyContext::{
    CardCorners, CardImage, CardPick, Confirm, ConfirmImport, ContactDetail, ContactForm, ContactList, FileBrowser,
    FilePrompt, Help, ImportPicker, ImportPreview, ImportProgress, ImportResult, ListName, Messages, Reading, Scanner,
    ScannerPath, Search, Trash, TrashedContact,
};

/// Contexts that show a list or a page to move through.
const SCROLLING: &[KeyContext] = &[
    ContactList,
    Trash,
    ContactDetail,
    TrashedContact,
    FileBrowser,
    ImportPicker,
    ImportPreview,
    Help,
    Messages,
    CardPick,
];
const LIST_VIEWS: &[KeyContext] = &[ContactList, Trash];
const TEXT_ENTRY: &[KeyContext] = &[Search, ContactForm, FilePrompt, ListName, ScannerPath];
/// Contexts where `?` is a key rather than a typed character.
const QUESTION_MARK_HELP: &[KeyContext] = &[
    ContactList,
    Trash,
    ContactDetail,
    TrashedContact,
    FileBrowser,
    Reading,
    ImportPicker,
    ImportPreview,
    ImportProgress,
    ImportResult,
    Confirm,
    ConfirmImport,
    Messages,
    Scanner,
    CardCorners,
    CardPick,
    CardImage,
];
const EVERYWHERE: &[KeyContext] = &[
    ContactList,
    Trash,
    Search,
    ContactDetail,
    TrashedContact,
    ContactForm,
    FilePrompt,
    FileBrowser,
    Reading,
    ImportPicker,
    ImportPreview,
    ImportProgress,
    ImportResult,
    Confirm,
    ConfirmImport,
    ListName,
    Help,
    Messages,
    Scanner,
    ScannerPath,
    CardCorners,
    CardPick,
    CardImage,
];

/// The table. Order matters: the first matching row wins, help lists rows in this order,
/// and the footer keeps the earlier hints when it runs out of room.
// One binding per line reads as a table; rustfmt would break the rows apart.
#[rustfmt::skip]
static BINDINGS: &[Binding] = &[
    // Dialogs first: their keys win over everything below.
    bind(&[Help], &[Key::plain(Esc), Key::character('?'), Key::character('q'), Key::plain(Enter), Key::plain(KeyCode::F(1))], Action::Back, "close the help").hint("close"),
    bind(&[Messages], &[Key::plain(Esc), Key::character('q'), Key::plain(Enter)], Action::Back, "close").hint("close"),
    bind(&[Confirm], &[Key::character('y'), Key::plain(Enter)], Action::Yes, "yes").hint("yes"),
    bind(&[Confirm], &[Key::character('n'), Key::plain(Esc)], Action::No, "no").hint("no"),
    bind(&[ConfirmImport], &[Key::character('y'), Key::plain(Enter)], Action::Yes, "import the selected contacts").hint("import"),
    bind(&[ConfirmImport], &[Key::character('n'), Key::plain(Esc)], Action::No, "back to the picker").hint("back"),
    bind(&[ConfirmImport], &[Key::character('l')], Action::NameList, "add the imported contacts to a list (type its name)").hint("list name"),
    bind(&[ListName], &[Key::plain(Enter)], Action::Submit, "done with the list name").hint("done"),
    bind(&[ListName], &[Key::plain(Esc)], Action::Back, "no list").hint("no list"),
    bind(&[Reading], &[Key::plain(Esc)], Action::CancelWork, "stop reading and drop the result").hint("cancel"),

    // Moving around.
    bind(SCROLLING, &[Key::plain(Up), Key::character('k')], Action::Up, "move up"),
    bind(SCROLLING, &[Key::plain(Down), Key::character('j')], Action::Down, "move down"),
    bind(&[Search], &[Key::plain(Up)], Action::Up, "move up in the list"),
    bind(&[Search], &[Key::plain(Down)], Action::Down, "move down in the list"),
    bind(SCROLLING, &[Key::plain(PageUp)], Action::PageUp, "one page up"),
    bind(SCROLLING, &[Key::plain(PageDown)], Action::PageDown, "one page down"),
    bind(SCROLLING, &[Key::plain(Home), Key::character('g')], Action::Home, "to the top"),
    bind(SCROLLING, &[Key::plain(End), Key::character('G')], Action::End, "to the bottom"),

    // The contact list, the trash and the contact. The footer keeps the first hints that fit.
    bind(LIST_VIEWS, &[Key::plain(Enter)], Action::OpenContact, "open the contact: values, sources, history").hint("open"),
    bind(&[ContactList], &[Key::character('n')], Action::NewContact, "new contact").hint("new"),
    bind(&[ContactList, ContactDetail], &[Key::character('e')], Action::EditContact, "edit the contact").hint("edit"),
    bind(&[ContactList, ContactDetail], &[Key::character('d')], Action::DeleteContact, "move the contact to the trash").hint("delete"),
    bind(&[ContactDetail], &[Key::character('v')], Action::ViewCardImage, "show the picture of the scanned business card"),
    bind(&[Trash, TrashedContact], &[Key::character('r')], Action::RestoreContact, "restore the contact from the trash").hint("restore"),
    bind(LIST_VIEWS, &[Key::character('/')], Action::StartSearch, "search: the list filters as you type").hint("search"),
    bind(&[ContactList], &[Key::character('i')], Action::StartImport, "import vCard, CSV or spreadsheet files").hint("import"),
    bind(&[ContactList], &[Key::character('c')], Action::StartScan, "scan a QR code or badge with the camera").hint("scan"),
    bind(LIST_VIEWS, &[Key::character('q')], Action::Quit, "quit").hint("quit"),
    bind(&[ContactList], &[Key::character('t')], Action::ToggleTrash, "show the trash").hint("trash"),
    bind(&[Trash], &[Key::character('t')], Action::ToggleTrash, "back to the contacts").hint("contacts"),
    bind(&[ContactList], &[Key::character('u')], Action::UndoDelete, "undo the last delete").hint("undo"),
    bind(LIST_VIEWS, &[Key::character('s')], Action::NextSortColumn, "sort by the next column (name, company, email, updated)").hint("sort"),
    bind(LIST_VIEWS, &[Key::character('S')], Action::ReverseSort, "reverse the sort order"),
    bind(LIST_VIEWS, &[Key::plain(Esc)], Action::ClearSearch, "clear the search"),
    bind(&[Search], &[Key::plain(Enter)], Action::FinishSearch, "keep the filter and go back to the list").hint("done"),
    bind(&[Search], &[Key::plain(Esc)], Action::ClearSearch, "clear the search").hint("clear"),
    bind(&[ContactDetail, TrashedContact], &[Key::plain(Esc), Key::character('q')], Action::Back, "back to the list").hint("back"),

    // The edit form.
    bind(&[ContactForm], &[Key::plain(Tab), Key::plain(Down)], Action::NextField, "next field").hint("next"),
    bind(&[ContactForm], &[Key::plain(BackTab), Key::plain(Up)], Action::PreviousField, "previous field"),
    bind(&[ContactForm], &[Key::plain(Enter)], Action::Submit, "next field; on the Save button: save"),
    bind(&[ContactForm], &[Key::control('s')], Action::Save, "save").hint("save"),
    bind(&[ContactForm], &[Key::control('r')], Action::InsertRawLine, "scan review: the code's next line of text into the field"),
    bind(&[ContactForm], &[Key::plain(Esc)], Action::Back, "cancel (asks first when something changed)").hint("cancel"),

    // Choosing files: typing paths.
    bind(&[FilePrompt], &[Key::plain(Enter)], Action::Submit, "read the typed and the chosen files").hint("read"),
    bind(&[FilePrompt], &[Key::plain(Tab)], Action::CompletePath, "complete the file or directory name").hint("complete"),
    bind(&[FilePrompt], &[Key::control('a')], Action::AddTypedPaths, "add the typed paths to the chosen files").hint("add"),
    bind(&[FilePrompt], &[Key::control('b')], Action::SwitchFileMode, "browse for files instead").hint("browse"),
    bind(&[FilePrompt], &[Key::plain(Esc)], Action::Back, "cancel the import").hint("cancel"),

    // Choosing files: browsing.
    bind(&[FileBrowser], &[Key::plain(Enter)], Action::Submit, "open the directory, or choose the file").hint("open/choose"),
    bind(&[FileBrowser], &[Key::character(' ')], Action::ToggleSelected, "choose or unchoose the file"),
    bind(&[FileBrowser], &[Key::plain(Backspace)], Action::ParentDirectory, "up one directory").hint("up"),
    bind(&[FileBrowser], &[Key::character('r')], Action::ReadChosenFiles, "read the chosen files").hint("read"),
    bind(&[FileBrowser], &[Key::control('b'), Key::plain(Tab)], Action::SwitchFileMode, "type a path instead").hint("type path"),
    bind(&[FileBrowser], &[Key::plain(Esc)], Action::Back, "cancel the import").hint("cancel"),

    // The scanner.
    bind(&[Scanner], &[Key::plain(Enter)], Action::Submit, "review the code that was found").hint("review"),
    bind(&[Scanner], &[Key::character(' ')], Action::ToggleSelected, "capture the business card; after a code or a card: scan the next").hint("capture/next"),
    bind(&[Scanner], &[Key::character('p')], Action::Pause, "pause the picture, or go on").hint("pause"),
    bind(&[Scanner], &[Key::character('a')], Action::ToggleAutoCapture, "capture a card by itself once it is sharp and still, or only on Space").hint("auto"),
    bind(&[Scanner], &[Key::character('o')], Action::OpenScanPath, "scan an image file or a folder of pictures instead").hint("open file"),
    bind(&[Scanner], &[Key::plain(Esc), Key::character('q')], Action::Back, "close the scanner").hint("close"),
    bind(&[ScannerPath], &[Key::plain(Enter)], Action::Submit, "scan the picture or folder").hint("scan"),
    bind(&[ScannerPath], &[Key::plain(Tab)], Action::CompletePath, "complete the file or folder name").hint("complete"),
    bind(&[ScannerPath], &[Key::plain(Esc)], Action::Back, "back to the scanner").hint("cancel"),

    // A captured business card: its corners, then what each line is.
    bind(&[CardCorners], &[Key::plain(Enter)], Action::Submit, "read the card inside these corners").hint("read"),
    bind(&[CardCorners], &[Key::plain(Tab)], Action::NextField, "the next corner, clockwise").hint("next corner"),
    bind(&[CardCorners], &[Key::plain(BackTab)], Action::PreviousField, "the previous corner"),
    bind(&[CardCorners], &[Key::plain(Left)], Action::MoveCorner(Nudge { dx: -1, dy: 0, is_fast: false }), "move the corner left"),
    bind(&[CardCorners], &[Key::plain(Right)], Action::MoveCorner(Nudge { dx: 1, dy: 0, is_fast: false }), "move the corner right"),
    bind(&[CardCorners], &[Key::plain(Up)], Action::MoveCorner(Nudge { dx: 0, dy: -1, is_fast: false }), "move the corner up"),
    bind(&[CardCorners], &[Key::plain(Down)], Action::MoveCorner(Nudge { dx: 0, dy: 1, is_fast: false }), "move the corner down"),
    bind(&[CardCorners], &[Key::shift(Left)], Action::MoveCorner(Nudge { dx: -1, dy: 0, is_fast: true }), "move the corner left, faster"),
    bind(&[CardCorners], &[Key::shift(Right)], Action::MoveCorner(Nudge { dx: 1, dy: 0, is_fast: true }), "move the corner right, faster"),
    bind(&[CardCorners], &[Key::shift(Up)], Action::MoveCorner(Nudge { dx: 0, dy: -1, is_fast: true }), "move the corner up, faster"),
    bind(&[CardCorners], &[Key::shift(Down)], Action::MoveCorner(Nudge { dx: 0, dy: 1, is_fast: true }), "move the corner down, faster"),
    bind(&[CardCorners], &[Key::character('r')], Action::ResetCorners, "back to the detected corners").hint("reset"),
    bind(&[CardCorners], &[Key::plain(Esc)], Action::Back, "drop this capture and scan again").hint("scan again"),
    bind(&[CardPick], &[Key::plain(Enter)], Action::Submit, "go on to the contact form").hint("edit"),
    bind(&[CardPick], &[Key::character('n')], Action::AssignName, "the line is the full name").hint("name"),
    bind(&[CardPick], &[Key::character('f')], Action::AssignProperty(Property::FirstName), "the line is the first name"),
    bind(&[CardPick], &[Key::character('l')], Action::AssignProperty(Property::LastName), "the line is the last name"),
    bind(&[CardPick], &[Key::character('t')], Action::AssignProperty(Property::JobTitle), "the line is the job title").hint("title"),
    bind(&[CardPick], &[Key::character('c')], Action::AssignProperty(Property::Company), "the line is the company").hint("company"),
    bind(&[CardPick], &[Key::character('e')], Action::AssignProperty(Property::Email), "the line is the email"),
    bind(&[CardPick], &[Key::character('p')], Action::AssignProperty(Property::Phone), "the line is the phone number"),
    bind(&[CardPick], &[Key::character('m')], Action::AssignProperty(Property::MobilePhone), "the line is the mobile number"),
    bind(&[CardPick], &[Key::character('x')], Action::AssignProperty(Property::Fax), "the line is the fax number"),
    bind(&[CardPick], &[Key::character('w')], Action::AssignProperty(Property::Website), "the line is the website"),
    bind(&[CardPick], &[Key::character('s')], Action::AssignProperty(Property::StreetAddress), "the line is the street address"),
    bind(&[CardPick], &[Key::character('y')], Action::AssignProperty(Property::City), "the line is the city"),
    bind(&[CardPick], &[Key::character('z')], Action::AssignProperty(Property::PostalCode), "the line is the postal code"),
    bind(&[CardPick], &[Key::character('r')], Action::AssignProperty(Property::State), "the line is the state or region"),
    bind(&[CardPick], &[Key::character('o')], Action::AssignProperty(Property::Country), "the line is the country"),
    bind(&[CardPick], &[Key::plain(Backspace), Key::plain(Delete), Key::character('-')], Action::ClearAssignment, "the line is nothing").hint("clear"),
    bind(&[CardPick], &[Key::character(' ')], Action::SplitLine, "split the line into words, or join them back").hint("split"),
    bind(&[CardPick], &[Key::character('b')], Action::AdjustCorners, "back to the card's corners").hint("corners"),
    bind(&[CardPick], &[Key::plain(Esc)], Action::Back, "drop this card and scan again").hint("scan again"),
    bind(&[CardImage], &[Key::plain(Esc), Key::character('q'), Key::plain(Enter)], Action::Back, "close the picture").hint("close"),

    // The import picker and result.
    bind(&[ImportPicker], &[Key::character(' ')], Action::ToggleSelected, "select or unselect the contact").hint("toggle"),
    bind(&[ImportPicker], &[Key::character('a')], Action::SelectAll, "select all; none when all are selected").hint("all/none"),
    bind(&[ImportPicker], &[Key::plain(Enter)], Action::Submit, "import the selected contacts (asks first)").hint("import"),
    bind(&[ImportPicker], &[Key::character('w')], Action::ShowWarnings, "show what the reader skipped or repaired").hint("warnings"),
    bind(&[ImportPicker], &[Key::plain(Esc)], Action::Back, "back to the file choice").hint("back"),
    bind(&[ImportPreview], &[Key::plain(Right), Key::character('l')], Action::NextChoice, "map the column to the next property").hint("change"),
    bind(&[ImportPreview], &[Key::plain(Left), Key::character('h')], Action::PreviousChoice, "map the column to the previous property"),
    bind(&[ImportPreview], &[Key::plain(Enter)], Action::Submit, "import (asks first)").hint("import"),
    bind(&[ImportPreview], &[Key::character('r')], Action::Recount, "count again with the edited mapping (a dry run)").hint("recount"),
    bind(&[ImportPreview], &[Key::character('e')], Action::NextEncoding, "read the files in the next encoding (utf-8, windows-1252, utf-16…)"),
    bind(&[ImportPreview], &[Key::character('d')], Action::NextDelimiter, "split the columns at the next delimiter (, ; tab |)"),
    bind(&[ImportPreview], &[Key::character('t')], Action::NextSheet, "read the next sheet of the spreadsheet"),
    bind(&[ImportPreview], &[Key::character(']')], Action::HeaderRowDown, "take the headers from the next line"),
    bind(&[ImportPreview], &[Key::character('[')], Action::HeaderRowUp, "take the headers from the line before"),
    bind(&[ImportPreview], &[Key::character('s')], Action::SaveErrors, "save the rows that will not be imported as CSV, beside the file"),
    bind(&[ImportPreview], &[Key::plain(Tab)], Action::NextField, "next file"),
    bind(&[ImportPreview], &[Key::plain(BackTab)], Action::PreviousField, "previous file"),
    bind(&[ImportPreview], &[Key::character('w')], Action::ShowWarnings, "show the rows that will not be imported, and why").hint("invalid rows"),
    bind(&[ImportPreview], &[Key::plain(Esc)], Action::Back, "back to the file choice").hint("back"),
    bind(&[ImportResult], &[Key::plain(Enter), Key::plain(Esc)], Action::Submit, "back to the contact list").hint("done"),
    bind(&[ImportResult], &[Key::character('c')], Action::ShowConflicts, "show the values that were kept over imported ones").hint("conflicts"),
    bind(&[ImportResult], &[Key::character('u')], Action::UndoImport, "undo this import (asks first)").hint("undo"),

    // Editing a text field.
    bind(TEXT_ENTRY, &[], Action::EditText(TextEdit::Insert(' ')), "type into the field").labelled("letters…"),
    bind(TEXT_ENTRY, &[Key::plain(Left)], Action::EditText(TextEdit::Left), "caret left; on a choice: previous value"),
    bind(TEXT_ENTRY, &[Key::plain(Right)], Action::EditText(TextEdit::Right), "caret right; on a choice: next value"),
    bind(TEXT_ENTRY, &[Key::plain(Home)], Action::EditText(TextEdit::Home), "caret to the start"),
    bind(TEXT_ENTRY, &[Key::plain(End)], Action::EditText(TextEdit::End), "caret to the end"),
    bind(TEXT_ENTRY, &[Key::plain(Backspace)], Action::EditText(TextEdit::DeleteBackward), "delete before the caret"),
    bind(TEXT_ENTRY, &[Key::plain(Delete)], Action::EditText(TextEdit::DeleteForward), "delete after the caret"),
    bind(TEXT_ENTRY, &[Key::control('w')], Action::EditText(TextEdit::DeleteWordBackward), "delete the word before the caret"),
    bind(TEXT_ENTRY, &[Key::control('u')], Action::EditText(TextEdit::Clear), "clear the field"),

    // Everywhere.
    bind(QUESTION_MARK_HELP, &[Key::character('?'), Key::plain(KeyCode::F(1))], Action::ShowHelp, "show every key of this screen").hint("help"),
    bind(TEXT_ENTRY, &[Key::plain(KeyCode::F(1))], Action::ShowHelp, "show every key of this screen").hint("help"),
    bind(EVERYWHERE, &[Key::control('c')], Action::Quit, "quit rolo"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn same_key_means_different_things_in_different_contexts() {
        let d = key(KeyCode::Char('d'), KeyModifiers::NONE);
        assert_eq!(action_for(KeyContext::ContactList, &d), Some(Action::DeleteContact));
        assert_eq!(action_for(KeyContext::Search, &d), Some(Action::EditText(TextEdit::Insert('d'))));
        assert_eq!(action_for(KeyContext::ImportPicker, &d), None);
        let question = key(KeyCode::Char('?'), KeyModifiers::NONE);
        assert_eq!(action_for(KeyContext::ContactForm, &question), Some(Action::EditText(TextEdit::Insert('?'))));
        assert_eq!(action_for(KeyContext::ContactList, &question), Some(Action::ShowHelp));
    }

    #[test]
    fn shift_and_control_are_normalized() {
        let shifted = key(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(action_for(KeyContext::ContactList, &shifted), Some(Action::ReverseSort));
        let control_s = key(KeyCode::Char('S'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
        assert_eq!(action_for(KeyContext::ContactForm, &control_s), Some(Action::Save));
        let back_tab = key(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(action_for(KeyContext::ContactForm, &back_tab), Some(Action::PreviousField));
        for context in EVERYWHERE {
            assert_eq!(action_for(*context, &key(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        }
    }

    #[test]
    fn every_context_has_help_and_a_footer() {
        for &context in EVERYWHERE {
            assert!(bindings_for(context).count() > 0, "{context:?} has no bindings");
            assert!(!hints_for(context).is_empty(), "{context:?} has no footer");
            if context != KeyContext::Help {
                assert!(bindings_for(context).any(|binding| binding.action == Action::ShowHelp), "{context:?}");
            }
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for &context in EVERYWHERE {
            let keys: Vec<Key> = bindings_for(context).flat_map(|binding| binding.keys.iter().copied()).collect();
            for (index, key) in keys.iter().enumerate() {
                assert!(!keys[index + 1..].contains(key), "{context:?} binds {} twice", key.label());
            }
        }
    }
}
