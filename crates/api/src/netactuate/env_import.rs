//! The preview of a `.env` import into one secret list: what each key would do, and the
//! requests that apply it (one per change). Nothing is sent before the user confirms it.

use super::dotenv::EnvEntry;
use super::secret_lists::{create_value, list_name, update_value, ListValue, SecretListInfo};
use super::SecretValue;
use crate::mask_secret;
use crate::request::ApiRequest;

/// What importing one key would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportAction {
    /// The account has no such key: it is added to the list.
    New,
    /// The list holds the key with another value: the value is replaced.
    Changed {
        /// The id of the value that is updated.
        value_id: String,
        /// The old and new values masked, never in clear.
        masked_diff: String,
    },
    /// The list holds the key with this very value: nothing to send.
    Unchanged,
    /// Another list holds the key (keys are unique across the account): not sent.
    HeldByAnotherList { list: String },
}

impl ImportAction {
    /// The action in a word or two, for the preview's status column.
    pub fn label(&self) -> &'static str {
        match self {
            ImportAction::New => "New",
            ImportAction::Changed { .. } => "Changed",
            ImportAction::Unchanged => "Unchanged",
            ImportAction::HeldByAnotherList { .. } => "Held by another list",
        }
    }

    /// True when applying the import sends a request for it.
    pub fn sends(&self) -> bool {
        matches!(self, ImportAction::New | ImportAction::Changed { .. })
    }
}

/// One key of the preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    pub key: String,
    pub line: usize,
    pub value: SecretValue,
    pub action: ImportAction,
}

impl PreviewRow {
    /// The request that applies this row to the list named `list`, if it needs one.
    pub fn request(&self, token: &str, list: &str) -> Option<ApiRequest> {
        match &self.action {
            ImportAction::New => Some(create_value(token, list, &self.key, &self.value)),
            ImportAction::Changed { value_id, .. } => {
                Some(update_value(token, list, value_id, &self.key, &self.value))
            }
            _ => None,
        }
    }

    /// What the row does, in a sentence (never the value).
    pub fn describe(&self) -> String {
        match &self.action {
            ImportAction::New => format!("{} is added to the list.", self.key),
            ImportAction::Changed { masked_diff, .. } => {
                format!("{}'s value changes: {masked_diff}.", self.key)
            }
            ImportAction::Unchanged => format!("{} already has this value.", self.key),
            ImportAction::HeldByAnotherList { list } => format!(
                "The list \u{201c}{list}\u{201d} holds {}: keys are unique across the account, so it is not imported.",
                self.key
            ),
        }
    }
}

/// Classifies each entry against the account's values: new, changed, unchanged, or held by
/// another list than `list_id`.
pub fn preview_import(
    entries: &[EnvEntry],
    list_id: &str,
    all_values: &[ListValue],
    lists: &[SecretListInfo],
) -> Vec<PreviewRow> {
    entries
        .iter()
        .map(|e| {
            let action = match all_values.iter().find(|v| v.secret_key == e.key) {
                None => ImportAction::New,
                Some(v) if v.secret_list_id != list_id => ImportAction::HeldByAnotherList {
                    list: list_name(&v.secret_list_id, lists),
                },
                Some(v) if v.secret_value == e.value => ImportAction::Unchanged,
                Some(v) => ImportAction::Changed {
                    value_id: v.id.clone(),
                    masked_diff: masked_diff(&v.secret_value, &e.value),
                },
            };
            PreviewRow {
                key: e.key.clone(),
                line: e.line,
                value: e.value.clone(),
                action,
            }
        })
        .collect()
}

/// Counts of a preview: (new, changed, unchanged, held by another list).
pub fn preview_counts(rows: &[PreviewRow]) -> (usize, usize, usize, usize) {
    let mut c = (0, 0, 0, 0);
    for r in rows {
        match r.action {
            ImportAction::New => c.0 += 1,
            ImportAction::Changed { .. } => c.1 += 1,
            ImportAction::Unchanged => c.2 += 1,
            ImportAction::HeldByAnotherList { .. } => c.3 += 1,
        }
    }
    c
}

/// Old and new values masked, with their lengths: `••••••••ab12 (12 characters) → •••••••• (8
/// characters)`. Only the tails `mask_secret` allows are shown.
pub fn masked_diff(old: &SecretValue, new: &SecretValue) -> String {
    let side = |v: &SecretValue| {
        let n = v.char_count();
        format!(
            "{} ({})",
            mask_secret(v.expose()),
            crate::words::count(n, "character", "characters")
        )
    };
    format!("{} \u{2192} {}", side(old), side(new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netactuate::dotenv::parse_env;
    use crate::netactuate::secret_lists::Data;

    fn account() -> (Vec<ListValue>, Vec<SecretListInfo>) {
        let values = serde_json::from_str::<Data<Vec<ListValue>>>(
            r#"{"data": [
                {"id": 1, "secret_list_id": 1, "secret_key": "DB_PASSWORD", "secret_value": "old-password-1234"},
                {"id": 2, "secret_list_id": 1, "secret_key": "API_KEY", "secret_value": "same"},
                {"id": 4, "secret_list_id": "2", "secret_key": "STAGING_DB_PASSWORD", "secret_value": "x"}]}"#,
        )
        .unwrap()
        .data;
        let lists = serde_json::from_str::<Data<Vec<SecretListInfo>>>(
            r#"{"data": [{"id": 1, "name": "production"}, {"id": 2, "name": "staging"}]}"#,
        )
        .unwrap()
        .data;
        (values, lists)
    }

    #[test]
    fn each_key_is_new_changed_unchanged_or_held_elsewhere() {
        let (values, lists) = account();
        let env = parse_env(
            "NEW_KEY=fresh\nDB_PASSWORD=new-password-5678\nAPI_KEY=same\nSTAGING_DB_PASSWORD=y\n",
        );
        let rows = preview_import(&env.entries, "1", &values, &lists);
        let actions: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.key.as_str(), r.action.label()))
            .collect();
        assert_eq!(
            actions,
            [
                ("NEW_KEY", "New"),
                ("DB_PASSWORD", "Changed"),
                ("API_KEY", "Unchanged"),
                ("STAGING_DB_PASSWORD", "Held by another list")
            ]
        );
        assert_eq!(
            rows[3].action,
            ImportAction::HeldByAnotherList {
                list: "staging".into()
            }
        );
        assert_eq!(preview_counts(&rows), (1, 1, 1, 1));
        // The diff is masked: neither value appears, only the tails mask_secret shows.
        let ImportAction::Changed {
            masked_diff,
            value_id,
        } = &rows[1].action
        else {
            panic!("changed")
        };
        assert_eq!(value_id, "1");
        assert!(!masked_diff.contains("old-password") && !masked_diff.contains("new-password"));
        assert_eq!(
            masked_diff,
            "••••••••1234 (17 characters) \u{2192} ••••••••5678 (17 characters)"
        );
        for r in &rows {
            assert!(!r.describe().contains("password-"), "{}", r.describe());
        }
    }

    #[test]
    fn only_new_and_changed_keys_become_requests() {
        let (values, lists) = account();
        let env =
            parse_env("NEW_KEY=fresh\nDB_PASSWORD=new\nAPI_KEY=same\nSTAGING_DB_PASSWORD=y\n");
        let rows = preview_import(&env.entries, "1", &values, &lists);
        let sent: Vec<String> = rows
            .iter()
            .filter_map(|r| r.request("tok", "production"))
            .map(|r| format!("{} {}", r.describe(), r.body.unwrap_or_default()))
            .collect();
        assert_eq!(
            sent,
            [
                r#"POST /api/secrets/lists/production/values {"secret_key":"NEW_KEY","secret_value":"fresh"}"#,
                // The key with the value: every public SDK sends both (NOTES.md, issue 27).
                r#"POST /api/secrets/lists/production/values/1 {"secret_key":"DB_PASSWORD","secret_value":"new"}"#,
            ]
        );
        assert!(rows[0].action.sends() && !rows[2].action.sends() && !rows[3].action.sends());
    }

    #[test]
    fn into_an_empty_list_everything_unknown_is_new() {
        let (values, lists) = account();
        let env = parse_env("A=1\nAPI_KEY=same\n");
        let rows = preview_import(&env.entries, "9", &values, &lists);
        assert_eq!(rows[0].action, ImportAction::New);
        assert_eq!(
            rows[1].action,
            ImportAction::HeldByAnotherList {
                list: "production".into()
            }
        );
    }
}
