//! `rolo config`: the settings a user may change, read and written through the store.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;

use super::{ConfigCommand, ConfigKey};
use crate::model::sanitize_line;
use crate::store::{SETTING_DEFAULT_REGION, Store};

pub fn config(store: &mut Store, command: &ConfigCommand, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    match command {
        ConfigCommand::Get { key } => writeln!(out, "{}", sanitize_line(&current_value(store, *key)?))?,
        ConfigCommand::Set { key, value } => {
            let value = checked_value(*key, value)?;
            store.set_setting(key.setting_key(), &value).with_context(|| format!("saving {}", key.setting_key()))?;
            writeln!(out, "{} = {value}", key.setting_key())?;
        }
        ConfigCommand::List => {
            for &key in ConfigKey::value_variants() {
                let is_set = store.setting(key.setting_key())?.is_some();
                let note = if is_set { "" } else { "  (not set: from the locale)" };
                writeln!(out, "{} = {}{note}", key.setting_key(), sanitize_line(&current_value(store, key)?))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

impl ConfigKey {
    fn setting_key(self) -> &'static str {
        match self {
            ConfigKey::DefaultRegion => SETTING_DEFAULT_REGION,
        }
    }
}

fn current_value(store: &Store, key: ConfigKey) -> anyhow::Result<String> {
    Ok(match key {
        ConfigKey::DefaultRegion => store.default_region()?,
    })
}

/// The value in its stored form, or an error saying what is expected.
fn checked_value(key: ConfigKey, value: &str) -> anyhow::Result<String> {
    match key {
        ConfigKey::DefaultRegion => {
            let region = value.trim().to_ascii_uppercase();
            let is_known = region.len() == 2 && region.parse::<phonenumber::country::Id>().is_ok();
            if !is_known {
                anyhow::bail!("{value:?} is not a country code; use two letters such as US, DE or GB");
            }
            Ok(region)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_checked_and_uppercased() {
        assert_eq!(checked_value(ConfigKey::DefaultRegion, " de ").unwrap(), "DE");
        assert!(checked_value(ConfigKey::DefaultRegion, "Germany").is_err());
        assert!(checked_value(ConfigKey::DefaultRegion, "XQ").is_err());
    }
}
