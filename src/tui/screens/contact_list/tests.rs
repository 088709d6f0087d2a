//! Contact list tests: counts, columns, search, sort, trash, paging and the mouse.

use super::*;
use crate::model::{ContactDraft, Property, Source};
use crate::store::ImportOptions;
use crate::tui::action::TextEdit;
use crate::tui::test_support::{NOW, add, draft, empty_store, render, sample_store};

fn list_on(store: &Store, width: u16, height: u16) -> ContactList {
    ContactList::new(store, Rect::new(0, 0, width, height)).unwrap()
}

fn draw(list: &ContactList, width: u16, height: u16) -> String {
    render(width, height, |frame| list.render(frame, frame.area()))
}

fn run(list: &mut ContactList, store: &mut Store, actions: impl IntoIterator<Item = Action>) -> Option<Transition> {
    actions.into_iter().fold(None, |_, action| list.update(action, store, NOW))
}

fn type_search(list: &mut ContactList, store: &mut Store, text: &str) {
    run(list, store, [Action::StartSearch]);
    for character in text.chars() {
        list.update(Action::EditText(TextEdit::Insert(character)), store, NOW);
    }
}

#[test]
fn list_shows_counts_and_columns() {
    let store = sample_store();
    let list = list_on(&store, 80, 24);
    insta::assert_snapshot!(draw(&list, 80, 24));
}

#[test]
fn wide_list_adds_job_title_and_lifecycle() {
    let store = sample_store();
    let list = list_on(&store, 130, 9);
    insta::assert_snapshot!(draw(&list, 130, 9));
}

#[test]
fn search_filters_as_the_user_types_and_esc_clears() {
    let mut store = sample_store();
    let mut list = list_on(&store, 80, 10);
    type_search(&mut list, &mut store, "lov");
    assert_eq!(list.key_context(), KeyContext::Search);
    insta::assert_snapshot!(draw(&list, 80, 10));

    // Phone numbers and company words match too.
    list.update(Action::ClearSearch, &mut store, NOW);
    type_search(&mut list, &mut store, "bletchley");
    assert_eq!(list.selected().map(ContactSummary::display_name).as_deref(), Some("Alan Turing"));

    list.update(Action::ClearSearch, &mut store, NOW);
    assert_eq!(list.key_context(), KeyContext::ContactList);
    assert_eq!((list.n_matching, list.n_total), (5, 5));
    assert!(draw(&list, 80, 10).contains("Contacts (5)"));
}

#[test]
fn enter_keeps_the_filter_while_moving_in_the_list() {
    let mut store = sample_store();
    let mut list = list_on(&store, 80, 10);
    type_search(&mut list, &mut store, "gmail");
    run(&mut list, &mut store, [Action::FinishSearch]);
    assert_eq!(list.key_context(), KeyContext::ContactList);
    // "gmail" finds Linus by email and Ada by her additional email.
    assert_eq!(list.n_matching, 2);
    assert!(draw(&list, 80, 10).contains("Contacts (5) · 2 of 5 match"));
}

#[test]
fn search_without_match_says_so() {
    let mut store = sample_store();
    let mut list = list_on(&store, 80, 8);
    type_search(&mut list, &mut store, "zebra");
    insta::assert_snapshot!(draw(&list, 80, 8));
}

#[test]
fn sort_cycles_columns_and_reverses() {
    let mut store = sample_store();
    let mut list = list_on(&store, 80, 10);
    let names = |list: &ContactList| list.window.iter().map(ContactSummary::display_name).collect::<Vec<_>>();
    assert_eq!(names(&list), ["Grace Hopper", "Katherine Johnson", "Ada Lovelace", "Linus Pauling", "Alan Turing"]);
    run(&mut list, &mut store, [Action::NextSortColumn]);
    assert_eq!(list.query.sort, SortKey::Company);
    assert_eq!(names(&list)[..3], ["Ada Lovelace", "Alan Turing", "Grace Hopper"]);
    run(&mut list, &mut store, [Action::ReverseSort]);
    insta::assert_snapshot!(draw(&list, 80, 10));
    run(&mut list, &mut store, [Action::NextSortColumn, Action::NextSortColumn, Action::NextSortColumn]);
    assert_eq!((list.query.sort, list.query.descending), (SortKey::Name, false));
}

#[test]
fn delete_goes_to_the_trash_where_restore_brings_it_back() {
    let mut store = sample_store();
    let mut list = list_on(&store, 80, 10);
    run(&mut list, &mut store, [Action::Down, Action::Down]);
    let Some(Transition::Deleted { name, .. }) = run(&mut list, &mut store, [Action::DeleteContact]) else {
        panic!("expected a delete")
    };
    assert_eq!(name, "Ada Lovelace");
    list.refresh(&store).unwrap();
    assert_eq!(list.n_total, 4);

    run(&mut list, &mut store, [Action::ToggleTrash]);
    assert_eq!(list.key_context(), KeyContext::Trash);
    insta::assert_snapshot!(draw(&list, 80, 8));
    let Some(Transition::Notice(notice)) = run(&mut list, &mut store, [Action::RestoreContact]) else {
        panic!("expected a notice")
    };
    assert_eq!(notice.text, "Restored Ada Lovelace");
    assert!(draw(&list, 80, 8).contains("The trash is empty."));
    run(&mut list, &mut store, [Action::ToggleTrash]);
    assert_eq!(list.n_total, 5);
}

#[test]
fn empty_database_explains_what_to_do() {
    let store = empty_store();
    let list = list_on(&store, 80, 6);
    insta::assert_snapshot!(draw(&list, 80, 6));
}

#[test]
fn escape_sequences_in_names_never_reach_the_terminal() {
    let mut store = empty_store();
    let evil = draft(&[
        (Property::FirstName, "Mallory\u{1b}[2J"),
        (Property::LastName, "Bell\u{7}e"),
        (Property::Email, "mallory@evil.example.com"),
        (Property::Company, "Evil\u{1b}]0;pwned\u{7} Corp"),
    ]);
    add(&mut store, &evil, Source::VcardImport, NOW);
    let list = list_on(&store, 80, 6);
    let screen = draw(&list, 80, 6);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
    insta::assert_snapshot!(screen);
}

/// A store with `n` contacts named "Contact 00001"…, imported in one transaction.
fn store_with_many(n: usize) -> Store {
    let mut store = empty_store();
    let drafts: Vec<ContactDraft> = (1..=n)
        .map(|index| {
            draft(&[
                (Property::FirstName, "Contact"),
                (Property::LastName, &format!("{index:05}")),
                (Property::Email, &format!("contact{index}@example.com")),
            ])
        })
        .collect();
    let options = ImportOptions::new("test", "many", Source::CsvImport, NOW);
    store.import_drafts(&drafts, &options, &mut |_, _| ()).unwrap();
    store
}

#[test]
fn only_a_window_around_the_cursor_is_loaded() {
    let mut store = store_with_many(1000);
    let mut list = list_on(&store, 80, 24);
    assert_eq!(list.n_total, 1000);
    assert!(list.window.len() <= 21 + 2 * WINDOW_MARGIN, "loaded {} rows", list.window.len());
    run(&mut list, &mut store, [Action::End]);
    assert_eq!(list.selected().map(|summary| summary.last_name.as_str()), Some("01000"));
    assert!(list.window_offset > 0);
    run(&mut list, &mut store, [Action::PageUp, Action::Up]);
    // 80 × 24 shows 21 rows: End selects row 999, a page up 978, and up 977.
    assert_eq!(list.selected().map(|summary| summary.last_name.as_str()), Some("00978"));
    run(&mut list, &mut store, [Action::Home]);
    assert_eq!(list.selected().map(|summary| summary.last_name.as_str()), Some("00001"));
    insta::assert_snapshot!(draw(&list, 80, 24));
}

#[test]
fn click_selects_a_row_and_the_wheel_scrolls() {
    let store = sample_store();
    let mut list = list_on(&store, 80, 10);
    // Row 0 is the border, row 1 the header: row 4 is the third contact.
    list.click(10, 4, &store).unwrap();
    assert_eq!(list.selected().map(ContactSummary::display_name).as_deref(), Some("Ada Lovelace"));
    list.click(10, 0, &store).unwrap();
    assert_eq!(list.cursor, 2);
    list.scroll(true, &store).unwrap();
    assert_eq!(list.cursor, 4);
    list.scroll(false, &store).unwrap();
    assert_eq!(list.cursor, 1);
}

#[test]
fn resize_keeps_the_cursor_visible() {
    let mut store = store_with_many(60);
    let mut list = list_on(&store, 80, 24);
    run(&mut list, &mut store, [Action::PageDown]);
    assert_eq!(list.cursor, 21);
    list.set_viewport(Rect::new(0, 0, 80, 8), &store).unwrap();
    let screen = draw(&list, 80, 8);
    assert!(screen.contains("> Contact 00022"), "{screen}");
}
