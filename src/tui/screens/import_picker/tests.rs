//! Import picker tests: markers, the legend, toggling, select all / none, warnings, and the
//! question before importing.

use super::*;
use crate::model::{ContactId, PhoneEntry};
use crate::tui::test_support::{draft, render};

fn book() -> ParsedBook {
    let mut no_email = draft(&[(Property::FirstName, "Katherine"), (Property::LastName, "Johnson")]);
    no_email.additional_phones.push(PhoneEntry { kind: "work".into(), value: "+1 757 555 0123".into() });
    ParsedBook {
        label: "contacts.vcf".into(),
        cards: vec![
            ParsedCard {
                draft: draft(&[
                    (Property::FirstName, "Ada"),
                    (Property::LastName, "Lovelace"),
                    (Property::Email, "ada@analytical-engines.com"),
                    (Property::Phone, "+1 415 555 0100"),
                    (Property::Company, "Analytical Engines"),
                ]),
                existing: Some(ContactId(1)),
            },
            ParsedCard {
                draft: draft(&[
                    (Property::FirstName, "Dorothy"),
                    (Property::LastName, "Vaughan"),
                    (Property::Email, "dorothy@nasa.gov"),
                    (Property::MobilePhone, "+1 757 555 0188"),
                    (Property::Company, "NASA"),
                ]),
                existing: None,
            },
            ParsedCard { draft: no_email, existing: None },
            ParsedCard { draft: draft(&[(Property::Email, "info@\u{1b}[31mevil.example.com")]), existing: None },
        ],
        warnings: vec![
            "contacts.vcf: card 2, line 14: PHOTO is not valid base64; kept as written".into(),
            "contacts.vcf: line 40: text after END:VCARD was skipped".into(),
        ],
    }
}

fn picker() -> ImportPicker {
    let mut picker = ImportPicker::new(book());
    picker.set_viewport(Rect::new(0, 0, 80, 22));
    picker
}

fn draw(picker: &ImportPicker, width: u16, height: u16) -> String {
    render(width, height, |frame| picker.render(frame, frame.area()))
}

#[test]
fn markers_say_what_an_import_would_do() {
    let picker = picker();
    let screen = draw(&picker, 80, 12);
    assert!(!screen.contains('\u{1b}'));
    insta::assert_snapshot!(screen);
}

#[test]
fn wide_picker_spells_the_markers_out() {
    insta::assert_snapshot!(draw(&picker(), 130, 9));
}

#[test]
fn select_all_then_none_then_toggle_one() {
    let mut picker = picker();
    assert_eq!(picker.n_chosen(), 4);
    picker.update(Action::SelectAll);
    assert_eq!(picker.n_chosen(), 0);
    assert!(matches!(picker.update(Action::Submit), Some(Transition::Notice(notice)) if notice.is_error));
    for action in [Action::Down, Action::ToggleSelected] {
        picker.update(action);
    }
    insta::assert_snapshot!(draw(&picker, 80, 9));
    picker.update(Action::SelectAll);
    assert_eq!(picker.n_chosen(), 4);
    picker.update(Action::ToggleSelected);
    assert_eq!((picker.n_chosen(), picker.n_skipped()), (3, 1));
    let names: Vec<String> = picker.chosen_drafts().iter().map(ContactDraft::display_name).collect();
    assert_eq!(names, ["Ada Lovelace", "Katherine Johnson", "info@\u{1b}[31mevil.example.com"]);
}

#[test]
fn enter_asks_and_w_shows_the_warnings() {
    let mut picker = picker();
    assert!(matches!(picker.update(Action::Submit), Some(Transition::ShowModal(Modal::Confirm(_)))));
    assert!(matches!(picker.update(Action::ShowWarnings), Some(Transition::ShowModal(Modal::Messages(_)))));
    assert!(matches!(picker.update(Action::Back), Some(Transition::Back)));
    let mut quiet = ImportPicker::new(ParsedBook { warnings: Vec::new(), ..book() });
    assert!(matches!(quiet.update(Action::ShowWarnings), Some(Transition::Notice(notice)) if !notice.is_error));
}
