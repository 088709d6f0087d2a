//! `rolo lists`: the static lists with their member counts; creating lists and putting
//! contacts on them or taking them off.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::json;

use super::list::find_list;
use super::safe_json;
use super::show::load_contact;
use super::table::Table;
use super::{ListsArgs, ListsCommand};
use crate::model::sanitize_line;
use crate::store::Store;

pub fn lists(store: &mut Store, args: &ListsArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match &args.action {
        None => write_lists(store, args.json, out)?,
        Some(ListsCommand::Create { list_name }) => {
            let list_name = checked_list_name(list_name)?;
            if store.list_by_name(list_name)?.is_some() {
                writeln!(out, "The list {} already exists.", sanitize_line(list_name))?;
            } else {
                store.create_list(list_name).with_context(|| format!("creating the list {list_name:?}"))?;
                writeln!(out, "Created the list {}.", sanitize_line(list_name))?;
            }
        }
        Some(ListsCommand::Add { list_name, contact_ids }) => {
            let list_name = checked_list_name(list_name)?;
            for &contact_id in contact_ids {
                load_contact(store, contact_id)?;
            }
            let list_id = store.create_list(list_name).with_context(|| format!("creating the list {list_name:?}"))?;
            store.add_to_list(list_id, contact_ids).context("adding contacts to the list")?;
            let n_members = find_list(store, list_name)?.n_members;
            writeln!(
                out,
                "Added {} to {}; it has {n_members} now.",
                contacts_count(contact_ids.len()),
                sanitize_line(list_name)
            )?;
        }
        Some(ListsCommand::Remove { list_name, contact_ids }) => {
            let list = find_list(store, list_name)?;
            for &contact_id in contact_ids {
                store.remove_from_list(list.id, contact_id).context("taking contacts off the list")?;
            }
            let n_members = find_list(store, list_name)?.n_members;
            writeln!(
                out,
                "Took {} off {}; it has {n_members} now.",
                contacts_count(contact_ids.len()),
                sanitize_line(&list.name)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_lists(store: &Store, is_json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let lists = store.lists()?;
    if is_json {
        let objects: Vec<_> =
            lists.iter().map(|list| json!({"name": list.name, "n_members": list.n_members})).collect();
        safe_json::write_pretty(out, &objects)?;
    } else if lists.is_empty() {
        writeln!(out, "There are no lists yet; `rolo lists create NAME` makes one.")?;
    } else {
        let mut table = Table::new(vec!["Contacts", "List"]);
        for list in &lists {
            table.push_row([list.n_members.to_string(), list.name.clone()]);
        }
        table.write_to(out)?;
    }
    Ok(())
}

fn checked_list_name(list_name: &str) -> anyhow::Result<&str> {
    let trimmed = list_name.trim();
    if trimmed.is_empty() || trimmed.chars().any(char::is_control) {
        anyhow::bail!("{list_name:?} cannot be a list name");
    }
    Ok(trimmed)
}

fn contacts_count(n_contacts: usize) -> String {
    format!("{n_contacts} contact{}", if n_contacts == 1 { "" } else { "s" })
}
