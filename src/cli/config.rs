//! `rolo config`: the settings a user may change, read and written through the store.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;

use super::{ConfigCommand, ConfigKey};
use crate::model::LifecycleStage;
use crate::model::sanitize_line;
use crate::store::{
    SETTING_CAMERA, SETTING_CARD_AUTO_CAPTURE, SETTING_DEFAULT_REGION, SETTING_OCR_LANGUAGE,
    SETTING_SCAN_LIFECYCLE_DEFAULT, SETTING_SCAN_MAY_CHANGE_OWNER, Store,
};

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
                let note = match (is_set, key) {
                    (true, _) => "",
                    (false, ConfigKey::DefaultRegion) => "  (not set: from the locale)",
                    (false, _) => "  (not set: the default)",
                };
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
            ConfigKey::ScanLifecycleDefault => SETTING_SCAN_LIFECYCLE_DEFAULT,
            ConfigKey::ScanMayChangeOwner => SETTING_SCAN_MAY_CHANGE_OWNER,
            ConfigKey::Camera => SETTING_CAMERA,
            ConfigKey::OcrLanguage => SETTING_OCR_LANGUAGE,
            ConfigKey::CardAutoCapture => SETTING_CARD_AUTO_CAPTURE,
        }
    }
}

fn current_value(store: &Store, key: ConfigKey) -> anyhow::Result<String> {
    Ok(match key {
        ConfigKey::DefaultRegion => store.default_region()?,
        ConfigKey::ScanLifecycleDefault => store.scan_lifecycle_default()?.key().to_string(),
        ConfigKey::ScanMayChangeOwner => store.scan_may_change_owner()?.to_string(),
        ConfigKey::Camera => store.camera_index()?.to_string(),
        ConfigKey::OcrLanguage => store.ocr_language()?,
        ConfigKey::CardAutoCapture => store.card_auto_capture()?.to_string(),
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
        ConfigKey::ScanLifecycleDefault => {
            let stage: LifecycleStage = value.parse().map_err(|_| {
                let stages: Vec<&str> = LifecycleStage::ALL.iter().map(|stage| stage.key()).collect();
                anyhow::anyhow!("{value:?} is not a lifecycle stage; use one of {}", stages.join(", "))
            })?;
            Ok(stage.key().to_string())
        }
        ConfigKey::ScanMayChangeOwner | ConfigKey::CardAutoCapture => {
            match value.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Ok("true".to_string()),
                "false" | "no" | "off" | "0" => Ok("false".to_string()),
                _ => anyhow::bail!("{value:?} is neither true nor false"),
            }
        }
        ConfigKey::OcrLanguage => {
            let language = value.split(['+', ',', ' ']).filter(|part| !part.is_empty()).collect::<Vec<_>>().join("+");
            let installed = crate::extract::ocr::installed_languages();
            match language.split('+').find(|part| !installed.iter().any(|known| known == part)) {
                _ if language.is_empty() => anyhow::bail!("give a language such as eng or eng+deu"),
                Some(missing) => anyhow::bail!(
                    "Tesseract has no data for {missing:?}; installed: {} (Debian: apt install tesseract-ocr-{missing})",
                    installed.join(", ")
                ),
                None => Ok(language),
            }
        }
        ConfigKey::Camera => match value.trim().parse::<u32>() {
            Ok(index) => Ok(index.to_string()),
            Err(_) => anyhow::bail!("{value:?} is not a camera number; see `rolo scan cameras`"),
        },
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

    #[test]
    fn scan_settings_are_checked_and_normalized() {
        assert_eq!(
            checked_value(ConfigKey::ScanLifecycleDefault, "Marketing qualified lead").unwrap(),
            "marketing_qualified_lead"
        );
        assert!(
            checked_value(ConfigKey::ScanLifecycleDefault, "prospect")
                .unwrap_err()
                .to_string()
                .contains("subscriber, lead")
        );
        assert_eq!(checked_value(ConfigKey::ScanMayChangeOwner, "Yes").unwrap(), "true");
        assert_eq!(checked_value(ConfigKey::ScanMayChangeOwner, "0").unwrap(), "false");
        assert!(checked_value(ConfigKey::ScanMayChangeOwner, "maybe").is_err());
    }
}
