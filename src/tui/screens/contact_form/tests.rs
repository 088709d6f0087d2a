//! Edit form tests: typing, moving between fields, the lifecycle choice, lists of emails and
//! phones, custom properties, saving as the user, and errors that keep the edits.

use super::*;
use crate::tui::test_support::{NOW, render, sample_store};

fn edit_form(store: &Store, email: &str) -> ContactForm {
    let contact_id = store.contact_by_email(email).unwrap().unwrap();
    let contact = store.contact(contact_id).unwrap().unwrap();
    let mut form = ContactForm::edit(&contact, store).unwrap();
    form.set_viewport(Rect::new(0, 0, 80, 24));
    form
}

fn draw(form: &ContactForm) -> String {
    render(80, 24, |frame| form.render(frame, frame.area()))
}

fn focus_on(form: &mut ContactForm, label: &str) {
    for _ in 0..=form.fields.len() {
        if form.fields.get(form.focus).is_some_and(|field| field.label == label) {
            return;
        }
        form.move_focus(true);
    }
    panic!("no field {label}");
}

fn type_text(form: &mut ContactForm, store: &mut Store, text: &str) {
    for character in text.chars() {
        form.update(Action::EditText(TextEdit::Insert(character)), store, NOW);
    }
}

fn clear_field(form: &mut ContactForm, store: &mut Store) {
    form.update(Action::EditText(TextEdit::Clear), store, NOW);
}

#[test]
fn form_shows_every_field_and_the_caret() {
    let mut store = sample_store();
    let mut form = edit_form(&store, "ada@analytical-engines.com");
    form.update(Action::NextField, &mut store, NOW);
    type_text(&mut form, &mut store, "-King");
    insta::assert_snapshot!(draw(&form));
}

#[test]
fn read_only_fields_are_skipped_and_focus_wraps_to_save() {
    let mut store = sample_store();
    let mut form = edit_form(&store, "grace@navy.mil");
    focus_on(&mut form, "Contact owner");
    form.update(Action::NextField, &mut store, NOW);
    assert_eq!(form.fields[form.focus].label, "Notes");
    form.update(Action::PreviousField, &mut store, NOW);
    assert_eq!(form.fields[form.focus].label, "Contact owner");
    form.focus = 0;
    form.update(Action::PreviousField, &mut store, NOW);
    assert_eq!(form.focus, form.fields.len(), "Shift-Tab from the first field goes to Save");
    insta::assert_snapshot!(draw(&form));
}

#[test]
fn saving_writes_every_edit_as_the_user() {
    let mut store = sample_store();
    let mut form = edit_form(&store, "ada@analytical-engines.com");
    focus_on(&mut form, "Job title");
    clear_field(&mut form, &mut store);
    type_text(&mut form, &mut store, "Analyst");
    focus_on(&mut form, "Additional emails");
    clear_field(&mut form, &mut store);
    type_text(&mut form, &mut store, "ada@home.org, countess@lovelace.uk");
    focus_on(&mut form, "Additional phones");
    clear_field(&mut form, &mut store);
    type_text(&mut form, &mut store, "home: +1 415 555 0111; +1 415 555 0122");
    focus_on(&mut form, "Lifecycle stage");
    form.update(Action::EditText(TextEdit::Insert('c')), &mut store, NOW);
    focus_on(&mut form, "New custom property");
    type_text(&mut form, &mut store, "badge_id = B-7");
    focus_on(&mut form, "City");
    clear_field(&mut form, &mut store);
    assert!(form.is_dirty());

    let Some(Transition::Saved { contact_id, name, is_new }) = form.update(Action::Save, &mut store, NOW) else {
        panic!("expected a save")
    };
    assert_eq!((name.as_str(), is_new), ("Ada Lovelace", false));
    let contact = store.contact(contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.get(Property::JobTitle), Some("Analyst"));
    assert_eq!(contact.draft.get(Property::City), None);
    assert_eq!(contact.draft.get(Property::LifecycleStage), Some("customer"));
    assert_eq!(contact.draft.additional_emails, ["ada@home.org", "countess@lovelace.uk"]);
    assert_eq!(
        contact.draft.additional_phones,
        [
            PhoneEntry { kind: "home".into(), value: "+1 415 555 0111".into() },
            PhoneEntry { kind: "other".into(), value: "+1 415 555 0122".into() }
        ]
    );
    assert_eq!(contact.draft.custom.get("badge_id").map(String::as_str), Some("B-7"));
    // The system properties and unmodelled vCard lines were kept.
    assert_eq!(contact.draft.get(Property::OriginalSource), Some("offline"));
    assert_eq!(contact.draft.vcard_extra, ["BDAY:1815-12-10"]);
    let sources = store.current_sources(contact_id).unwrap();
    for key in ["job_title", "city", "lifecycle_stage", "additional_emails", "badge_id"] {
        assert_eq!(sources[key], (Source::User, NOW), "{key}");
    }
    assert_eq!(sources["first_name"].0, Source::VcardImport);
}

#[test]
fn lifecycle_is_chosen_from_the_allowed_stages() {
    let mut store = sample_store();
    let mut form = edit_form(&store, "grace@navy.mil");
    focus_on(&mut form, "Lifecycle stage");
    let chosen = |form: &ContactForm| match &form.fields[form.focus].kind {
        FieldKind::Lifecycle { choices, chosen } => choices[*chosen].1.clone(),
        _ => unreachable!("focus is on the lifecycle stage"),
    };
    assert_eq!(chosen(&form), "(none)");
    form.update(Action::EditText(TextEdit::Right), &mut store, NOW);
    assert_eq!(chosen(&form), "Subscriber");
    form.update(Action::EditText(TextEdit::Left), &mut store, NOW);
    form.update(Action::EditText(TextEdit::Left), &mut store, NOW);
    assert_eq!(chosen(&form), "Other");
    form.update(Action::EditText(TextEdit::Insert('o')), &mut store, NOW);
    assert_eq!(chosen(&form), "Opportunity");
    form.update(Action::EditText(TextEdit::Insert('z')), &mut store, NOW);
    assert_eq!(chosen(&form), "Opportunity");
    insta::assert_snapshot!(draw(&form));
}

#[test]
fn new_contact_is_created_with_user_as_source() {
    let mut store = sample_store();
    let mut form = ContactForm::new_contact(&store).unwrap();
    form.set_viewport(Rect::new(0, 0, 80, 24));
    assert!(matches!(form.update(Action::Save, &mut store, NOW), Some(Transition::Notice(notice)) if notice.is_error));
    type_text(&mut form, &mut store, "Dorothy");
    form.update(Action::NextField, &mut store, NOW);
    type_text(&mut form, &mut store, "Vaughan");
    form.update(Action::Submit, &mut store, NOW);
    type_text(&mut form, &mut store, "dorothy@nasa.gov");
    insta::assert_snapshot!(draw(&form));
    form.focus = form.fields.len();
    let Some(Transition::Saved { contact_id, is_new: true, .. }) = form.update(Action::Submit, &mut store, NOW) else {
        panic!("Enter on Save saves")
    };
    let contact = store.contact(contact_id).unwrap().unwrap();
    assert_eq!(contact.draft.display_name(), "Dorothy Vaughan");
    assert_eq!(contact.draft.get(Property::OriginalSourceDrillDown1), Some("manual"));
    assert_eq!(store.current_sources(contact_id).unwrap()["email"].0, Source::User);
}

#[test]
fn taken_email_is_a_notice_and_the_edits_stay() {
    let mut store = sample_store();
    let mut form = edit_form(&store, "ada@analytical-engines.com");
    focus_on(&mut form, "Email");
    clear_field(&mut form, &mut store);
    type_text(&mut form, &mut store, "GRACE@navy.mil");
    let Some(Transition::Notice(notice)) = form.update(Action::Save, &mut store, NOW) else {
        panic!("expected a notice")
    };
    assert_eq!(notice.text, "Not saved: GRACE@navy.mil already belongs to Grace Hopper.");
    assert!(notice.is_error);
    assert_eq!(form.fields[form.focus].input.text(), "GRACE@navy.mil");
    let mut new_form = ContactForm::new_contact(&store).unwrap();
    focus_on(&mut new_form, "Email");
    type_text(&mut new_form, &mut store, "grace@navy.mil");
    let Some(Transition::Notice(notice)) = new_form.update(Action::Save, &mut store, NOW) else { panic!() };
    assert_eq!(notice.text, "Not saved: grace@navy.mil already belongs to Grace Hopper.");
}

#[test]
fn bad_custom_property_is_a_notice() {
    let mut store = sample_store();
    let mut form = edit_form(&store, "grace@navy.mil");
    focus_on(&mut form, "New custom property");
    type_text(&mut form, &mut store, "no equals sign");
    let Some(Transition::Notice(notice)) = form.update(Action::Save, &mut store, NOW) else { panic!() };
    assert!(notice.text.starts_with("Not saved: write a new custom property as name=value"), "{}", notice.text);
    clear_field(&mut form, &mut store);
    type_text(&mut form, &mut store, "Badge ID=7");
    let Some(Transition::Notice(notice)) = form.update(Action::Save, &mut store, NOW) else { panic!() };
    assert!(notice.text.contains("cannot be a custom property name"), "{}", notice.text);
}

#[test]
fn escape_asks_only_when_something_changed() {
    let mut store = sample_store();
    let mut form = edit_form(&store, "grace@navy.mil");
    assert!(!form.is_dirty());
    assert!(matches!(form.update(Action::Back, &mut store, NOW), Some(Transition::Back)));
    type_text(&mut form, &mut store, "x");
    assert!(matches!(form.update(Action::Back, &mut store, NOW), Some(Transition::ShowModal(Modal::Confirm(_)))));
}
