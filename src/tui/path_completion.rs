//! File paths typed into the import prompt: splitting several paths, resolving `~` and
//! relative paths, and Tab completion of the last path against the file system, as a shell
//! does it (directories get a `/`, a unique file a space).

use std::path::{Path, PathBuf};

/// The result of completing the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The input with its last path completed as far as it is unambiguous.
    pub text: String,
    /// When several names match: all of them (directories end with `/`).
    pub candidates: Vec<String>,
}

/// The paths of the input: spaces separate them unless escaped with a backslash.
pub fn split_paths(input: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut characters = input.chars();
    while let Some(character) = characters.next() {
        match character {
            '\\' => current.extend(characters.next()),
            ' ' => {
                if !current.is_empty() {
                    paths.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(character),
        }
    }
    if !current.is_empty() {
        paths.push(current);
    }
    paths
}

/// A typed path as a real one: `~` is the home directory, relative paths start at `base_dir`.
pub fn resolve(typed: &str, base_dir: &Path) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let expanded = match (typed.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => home.join(rest.trim_start_matches('/')),
        _ => PathBuf::from(typed),
    };
    if expanded.is_absolute() { expanded } else { base_dir.join(expanded) }
}

/// Completes the last path of `input` against the directory it names.
pub fn complete(input: &str, base_dir: &Path) -> Completion {
    let word_start = last_word_start(input);
    let (head, word) = input.split_at(word_start);
    let typed: String = split_paths(word).concat();
    let (directory_part, prefix) = match typed.rfind('/') {
        Some(index) => typed.split_at(index + 1),
        None => ("", typed.as_str()),
    };
    let directory = resolve(if directory_part.is_empty() { "." } else { directory_part }, base_dir);
    let mut matches = matching_entries(&directory, prefix);
    let unchanged = Completion { text: input.to_string(), candidates: Vec::new() };
    match matches.len() {
        0 => unchanged,
        1 => {
            let (name, is_dir) = matches.remove(0);
            let suffix = if is_dir { "/" } else { " " };
            Completion {
                text: format!("{head}{}{suffix}", escape(&format!("{directory_part}{name}"))),
                candidates: Vec::new(),
            }
        }
        _ => {
            let common = common_prefix(matches.iter().map(|(name, _)| name.as_str()));
            let candidates =
                matches.into_iter().map(|(name, is_dir)| if is_dir { format!("{name}/") } else { name }).collect();
            Completion { text: format!("{head}{}", escape(&format!("{directory_part}{common}"))), candidates }
        }
    }
}

/// The byte index where the last path of the input starts (after the last unescaped space).
fn last_word_start(input: &str) -> usize {
    let mut start = 0;
    let mut is_escaped = false;
    for (index, character) in input.char_indices() {
        match character {
            _ if is_escaped => is_escaped = false,
            '\\' => is_escaped = true,
            ' ' => start = index + 1,
            _ => (),
        }
    }
    start
}

/// Names in `directory` starting with `prefix`, sorted; hidden ones only when asked for.
fn matching_entries(directory: &Path, prefix: &str) -> Vec<(String, bool)> {
    let Ok(entries) = std::fs::read_dir(directory) else { return Vec::new() };
    let mut matches: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            let is_visible = !name.starts_with('.') || prefix.starts_with('.');
            (is_visible && name.starts_with(prefix)).then(|| (name, entry.path().is_dir()))
        })
        .collect();
    matches.sort();
    matches
}

fn common_prefix<'a>(mut names: impl Iterator<Item = &'a str>) -> String {
    let Some(first) = names.next() else { return String::new() };
    let mut common = first.to_string();
    for name in names {
        let length = common
            .chars()
            .zip(name.chars())
            .take_while(|(left, right)| left == right)
            .map(|(left, _)| left.len_utf8())
            .sum();
        common.truncate(length);
    }
    common
}

fn escape(path: &str) -> String {
    path.replace('\\', "\\\\").replace(' ', "\\ ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directory() -> tempfile::TempDir {
        let directory = tempfile::tempdir().unwrap();
        for file in ["contacts.vcf", "colleagues.vcf", "my friends.vcf", ".hidden.vcf", "notes.txt"] {
            std::fs::write(directory.path().join(file), "").unwrap();
        }
        std::fs::create_dir(directory.path().join("backups")).unwrap();
        std::fs::write(directory.path().join("backups").join("old.vcf"), "").unwrap();
        directory
    }

    #[test]
    fn completes_unique_names_and_directories() {
        let directory = directory();
        let base = directory.path();
        assert_eq!(complete("con", base).text, "contacts.vcf ");
        assert_eq!(complete("ba", base).text, "backups/");
        assert_eq!(complete("backups/o", base).text, "backups/old.vcf ");
        assert_eq!(complete("my", base).text, "my\\ friends.vcf ");
        assert_eq!(complete("contacts.vcf my\\ f", base).text, "contacts.vcf my\\ friends.vcf ");
        assert_eq!(complete("zzz", base), Completion { text: "zzz".into(), candidates: Vec::new() });
        assert_eq!(complete(".h", base).text, ".hidden.vcf ");
    }

    #[test]
    fn ambiguous_prefix_completes_the_common_part_and_lists_candidates() {
        let directory = directory();
        let completion = complete("c", directory.path());
        assert_eq!(completion.text, "co");
        assert_eq!(completion.candidates, ["colleagues.vcf", "contacts.vcf"]);
        let completion = complete("", directory.path());
        assert_eq!(
            completion.candidates,
            ["backups/", "colleagues.vcf", "contacts.vcf", "my friends.vcf", "notes.txt"]
        );
    }

    #[test]
    fn splits_and_resolves_paths() {
        assert_eq!(split_paths(" a.vcf  my\\ friends.vcf /x/b.vcf"), ["a.vcf", "my friends.vcf", "/x/b.vcf"]);
        assert_eq!(resolve("a.vcf", Path::new("/base")), PathBuf::from("/base/a.vcf"));
        assert_eq!(resolve("/abs/a.vcf", Path::new("/base")), PathBuf::from("/abs/a.vcf"));
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(resolve("~/a.vcf", Path::new("/base")), PathBuf::from(home).join("a.vcf"));
        }
    }
}
