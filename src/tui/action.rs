//! Actions: what the user means by a key, whichever key it was. `keymap.rs` turns keys into
//! actions; screens and modals only ever see actions.

/// One intent of the user. Screens ignore the actions that mean nothing to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    // Moving around a list or a page.
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,

    // The contact list and the contact.
    OpenContact,
    NewContact,
    EditContact,
    DeleteContact,
    UndoDelete,
    RestoreContact,
    StartSearch,
    FinishSearch,
    ClearSearch,
    NextSortColumn,
    ReverseSort,
    ToggleTrash,
    StartImport,
    StartScan,

    // The scanner and its review.
    OpenScanPath,
    InsertRawLine,
    /// Pause the scanner, or go on.
    Pause,
    /// Capture cards by themselves, or only on Space.
    ToggleAutoCapture,
    /// Move the chosen card corner.
    MoveCorner(Nudge),
    /// Put the card's corners back where they were detected.
    ResetCorners,
    /// Back from the card's lines to its corners.
    AdjustCorners,
    /// The current card line is this property.
    AssignProperty(crate::model::Property),
    /// The current card line is a full name: first and last name.
    AssignName,
    /// The current card line is nothing.
    ClearAssignment,
    /// Split the current card line into words, or join the words back.
    SplitLine,
    /// Show the picture of the contact's business card.
    ViewCardImage,

    // The edit form.
    NextField,
    PreviousField,
    Save,

    /// Changes the text of the focused field.
    EditText(TextEdit),

    // Choosing files.
    CompletePath,
    AddTypedPaths,
    SwitchFileMode,
    ParentDirectory,
    ReadChosenFiles,

    // Checklists.
    ToggleSelected,
    SelectAll,

    // The import.
    /// The next or previous value of a choice (a column's target in the CSV preview).
    NextChoice,
    PreviousChoice,
    /// Count the CSV import again with the edited mapping.
    Recount,
    /// Read the CSV files in the next encoding, with the next delimiter, or with the
    /// header on a later or earlier line.
    NextEncoding,
    NextDelimiter,
    NextSheet,
    HeaderRowDown,
    HeaderRowUp,
    /// Save the rows that will not be imported as a CSV file.
    SaveErrors,
    ShowWarnings,
    ShowConflicts,
    /// Take back the import just shown: delete what it created, restore what it changed.
    UndoImport,
    NameList,

    /// Enter on a form, a prompt, a picker or a result: go ahead with what is shown.
    Submit,
    Yes,
    No,
    /// Leave the current screen or dialog without doing anything.
    Back,
    /// Stop the work that is running (reading files).
    CancelWork,
    ShowHelp,
    Quit,
}

/// One arrow-key step of a card corner: -1, 0 or 1 on each axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nudge {
    pub dx: i8,
    pub dy: i8,
    pub is_fast: bool,
}

/// An edit of a one-line text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEdit {
    Insert(char),
    DeleteBackward,
    DeleteForward,
    DeleteWordBackward,
    Clear,
    Left,
    Right,
    Home,
    End,
}
