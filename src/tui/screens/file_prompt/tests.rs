//! File prompt tests: Tab completion, several paths, the chosen list, errors for missing
//! files and directories, and the browser.

use super::*;
use crate::tui::action::TextEdit;
use crate::tui::test_support::render;

fn directory() -> tempfile::TempDir {
    let directory = tempfile::tempdir().unwrap();
    for file in ["contacts.vcf", "colleagues.vcf", "conference.VCF", "notes.txt"] {
        std::fs::write(directory.path().join(file), "BEGIN:VCARD\r\nEND:VCARD\r\n").unwrap();
    }
    std::fs::create_dir(directory.path().join("phone backup")).unwrap();
    std::fs::write(directory.path().join("phone backup").join("all.vcf"), "").unwrap();
    directory
}

fn prompt_in(directory: &Path) -> FilePrompt {
    let mut prompt = FilePrompt::new(directory);
    prompt.set_viewport(Rect::new(0, 0, 80, 22));
    prompt
}

fn type_text(prompt: &mut FilePrompt, text: &str) {
    for character in text.chars() {
        prompt.update(Action::EditText(TextEdit::Insert(character)));
    }
}

/// The screen with the temporary directory's path replaced by `/tmp/dir`, so snapshots do not
/// depend on where temporary directories are. The title's border grows to keep the width.
fn draw(prompt: &FilePrompt, directory: &Path) -> String {
    let path = directory.display().to_string();
    let screen = render(80, 22, |frame| prompt.render(frame, frame.area()));
    let lines = screen.lines().map(|line| {
        if !line.contains(&path) {
            return format!("{line}\n");
        }
        let replaced = line.replacen(&path, "/tmp/dir", 1);
        let n_missing = line.chars().count().saturating_sub(replaced.chars().count());
        format!("{}\n", replaced.replacen(" ─", &format!(" {}─", "─".repeat(n_missing)), 1))
    });
    lines.collect()
}

#[test]
fn tab_completes_and_lists_candidates() {
    let directory = directory();
    let mut prompt = prompt_in(directory.path());
    type_text(&mut prompt, "co");
    prompt.update(Action::CompletePath);
    assert_eq!(prompt.input.text(), "co");
    assert_eq!(prompt.completions, ["colleagues.vcf", "conference.VCF", "contacts.vcf"]);
    insta::assert_snapshot!(draw(&prompt, directory.path()));

    type_text(&mut prompt, "nt");
    prompt.update(Action::CompletePath);
    assert_eq!(prompt.input.text(), "contacts.vcf ");
    assert!(prompt.completions.is_empty());
    type_text(&mut prompt, "pho");
    prompt.update(Action::CompletePath);
    assert_eq!(prompt.input.text(), "contacts.vcf phone\\ backup/");
    prompt.update(Action::CompletePath);
    assert_eq!(prompt.input.text(), "contacts.vcf phone\\ backup/all.vcf ");
}

#[test]
fn enter_reads_every_typed_path() {
    let directory = directory();
    let mut prompt = prompt_in(directory.path());
    type_text(&mut prompt, "contacts.vcf phone\\ backup/all.vcf");
    let Some(Transition::ReadFiles(paths)) = prompt.update(Action::Submit) else { panic!("expected files") };
    assert_eq!(paths, [directory.path().join("contacts.vcf"), directory.path().join("phone backup/all.vcf")]);
}

#[test]
fn files_can_be_added_one_by_one() {
    let directory = directory();
    let mut prompt = prompt_in(directory.path());
    type_text(&mut prompt, "contacts.vcf");
    prompt.update(Action::AddTypedPaths);
    type_text(&mut prompt, "colleagues.vcf");
    prompt.update(Action::AddTypedPaths);
    type_text(&mut prompt, "contacts.vcf");
    prompt.update(Action::AddTypedPaths);
    insta::assert_snapshot!(draw(&prompt, directory.path()));
    let Some(Transition::ReadFiles(paths)) = prompt.update(Action::Submit) else { panic!("expected files") };
    assert_eq!(paths.len(), 2);
}

#[test]
fn missing_files_and_directories_are_notices() {
    let directory = directory();
    let mut prompt = prompt_in(directory.path());
    let notice = |transition: Option<Transition>| match transition {
        Some(Transition::Notice(notice)) => notice.text,
        _ => panic!("expected a notice"),
    };
    assert!(notice(prompt.update(Action::Submit)).starts_with("Type the path of a .vcf, .csv, .xlsx or .zip file"));
    type_text(&mut prompt, "nothing.vcf");
    assert_eq!(notice(prompt.update(Action::Submit)), "No such file: nothing.vcf");
    prompt.update(Action::EditText(TextEdit::Clear));
    type_text(&mut prompt, "phone\\ backup");
    assert!(notice(prompt.update(Action::Submit)).starts_with("phone backup is a directory"));
}

#[test]
fn browser_opens_directories_and_chooses_vcard_files() {
    let directory = directory();
    let mut prompt = prompt_in(directory.path());
    prompt.update(Action::SwitchFileMode);
    assert_eq!(prompt.key_context(), KeyContext::FileBrowser);
    // ../, phone backup/, colleagues.vcf, conference.VCF, contacts.vcf (notes.txt is hidden).
    for action in [Action::Down, Action::Down, Action::ToggleSelected, Action::Down, Action::Down, Action::Submit] {
        prompt.update(action);
    }
    insta::assert_snapshot!(draw(&prompt, directory.path()));

    for action in [Action::Home, Action::Down, Action::Submit, Action::Down, Action::Submit] {
        prompt.update(action);
    }
    assert!(prompt.chosen.contains(&directory.path().join("phone backup").join("all.vcf")));
    prompt.update(Action::ParentDirectory);
    let browser = prompt.browser.as_ref().unwrap();
    assert_eq!(browser.selected().map(|entry| entry.name.as_str()), Some("phone backup/"));

    let Some(Transition::ReadFiles(paths)) = prompt.update(Action::ReadChosenFiles) else { panic!("expected files") };
    assert_eq!(paths.len(), 3);
    prompt.update(Action::SwitchFileMode);
    assert_eq!(prompt.key_context(), KeyContext::FilePrompt);
}
