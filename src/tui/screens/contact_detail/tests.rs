//! Contact detail tests: every value with its source and time, company, lists, other vCard
//! fields and the history; delete, restore and scrolling.

use super::*;
use crate::tui::test_support::{NOW, render, sample_store};

fn detail_of(store: &Store, email: &str, width: u16, height: u16) -> ContactDetail {
    let contact_id = store.contact_by_email(email).unwrap().unwrap();
    let mut detail = ContactDetail::load(store, contact_id).unwrap().unwrap();
    detail.set_viewport(Rect::new(0, 0, width, height));
    detail
}

fn draw(detail: &ContactDetail, width: u16, height: u16) -> String {
    render(width, height, |frame| detail.render(frame, frame.area()))
}

#[test]
fn shows_each_value_with_its_source_and_time() {
    let store = sample_store();
    let detail = detail_of(&store, "grace@navy.mil", 80, 24);
    // The job title was edited by the user today; the rest came from the import yesterday.
    insta::assert_snapshot!(draw(&detail, 80, 24));
}

#[test]
fn history_lists_every_change_with_source() {
    let mut store = sample_store();
    let mut detail = detail_of(&store, "grace@navy.mil", 80, 24);
    detail.update(Action::End, &mut store, NOW);
    insta::assert_snapshot!(draw(&detail, 80, 24));
}

#[test]
fn wide_detail_puts_sources_beside_values_and_shows_lists_and_extra_fields() {
    let store = sample_store();
    let ada = store.contact_by_email("ada@analytical-engines.com").unwrap().unwrap();
    let speakers = store.create_list("Speakers").unwrap();
    store.add_to_list(speakers, &[ada]).unwrap();
    let detail = detail_of(&store, "ada@analytical-engines.com", 120, 40);
    insta::assert_snapshot!(draw(&detail, 120, 40));
}

#[test]
fn scrolling_stops_at_the_last_line() {
    let mut store = sample_store();
    let mut detail = detail_of(&store, "ada@analytical-engines.com", 80, 24);
    detail.update(Action::End, &mut store, NOW);
    let bottom = detail.scroll;
    assert!(bottom > 0);
    detail.update(Action::Down, &mut store, NOW);
    assert_eq!(detail.scroll, bottom);
    detail.update(Action::PageUp, &mut store, NOW);
    assert_eq!(detail.scroll, bottom.saturating_sub(22));
    detail.update(Action::Home, &mut store, NOW);
    assert_eq!(detail.scroll, 0);
}

#[test]
fn delete_then_restore_from_the_trashed_detail() {
    let mut store = sample_store();
    let mut detail = detail_of(&store, "grace@navy.mil", 80, 24);
    let Some(Transition::Deleted { name, contact_ids }) = detail.update(Action::DeleteContact, &mut store, NOW) else {
        panic!("expected a delete")
    };
    assert_eq!(name, "Grace Hopper");
    let mut trashed = ContactDetail::load(&store, contact_ids[0]).unwrap().unwrap();
    trashed.set_viewport(Rect::new(0, 0, 80, 24));
    assert!(draw(&trashed, 80, 24).contains("Grace Hopper (in the trash)"));
    let Some(Transition::Notice(notice)) = trashed.update(Action::EditContact, &mut store, NOW) else {
        panic!("expected a notice")
    };
    assert!(notice.is_error);
    let Some(Transition::Notice(notice)) = trashed.update(Action::RestoreContact, &mut store, NOW) else {
        panic!("expected a notice")
    };
    assert_eq!(notice.text, "Restored Grace Hopper");
    assert!(store.contact(contact_ids[0]).unwrap().unwrap().deleted_at.is_none());
    assert!(matches!(trashed.update(Action::Back, &mut store, NOW), Some(Transition::Back)));
}
