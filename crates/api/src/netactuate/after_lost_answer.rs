//! What a second read of NetActuate's secrets and lists says about a change whose answer was
//! lost (see [`crate::lost_answer`]): which list a create made, whether a rename, an added or
//! edited value, or an imported key was stored, whether a secret exists or has a new value.

use super::env_import::{ImportAction, PreviewRow};
use super::secret_lists::{ListValue, SecretListInfo};
use super::secrets::{SecretSummary, SecretWithValue};
use super::SecretValue;

/// The lists a second read shows that were not there before a create was sent. NetActuate
/// names a new list itself, so only "not there before" tells it apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewLists {
    /// No new list: the create was not carried out.
    None,
    /// Exactly one: the one the create made.
    One(SecretListInfo),
    /// Several appeared meanwhile (someone else is creating lists too): their names. Which one
    /// is this create's cannot be told, so none is renamed.
    Several(Vec<String>),
}

/// Compares the lists read just before a create with those read after its answer was lost.
pub fn new_lists(before: &[SecretListInfo], after: &[SecretListInfo]) -> NewLists {
    let mut new: Vec<&SecretListInfo> = after
        .iter()
        .filter(|l| !before.iter().any(|b| b.id == l.id))
        .collect();
    match new.len() {
        0 => NewLists::None,
        1 => NewLists::One(new.remove(0).clone()),
        _ => NewLists::Several(new.into_iter().map(|l| l.name.clone()).collect()),
    }
}

/// The list `id` as read again, when it now bears `name` (a rename whose answer was lost
/// happened).
pub fn renamed<'a>(
    id: &str,
    name: &str,
    after: &'a [SecretListInfo],
) -> Option<&'a SecretListInfo> {
    after.iter().find(|l| l.id == id && l.name == name)
}

/// The value an "add" whose answer was lost stored: `key` in the list `list_id`, holding
/// `value`. Keys are unique across the account, so the key alone finds it; a listing that
/// carries no value counts on the key, one with another value is someone else's.
pub fn stored_value<'a>(
    list_id: &str,
    key: &str,
    value: &SecretValue,
    after: &'a [ListValue],
) -> Option<&'a ListValue> {
    after.iter().find(|v| {
        v.secret_list_id == list_id
            && v.secret_key == key
            && (v.secret_value.is_empty() || v.secret_value == *value)
    })
}

/// Whether an edit of the value `id` whose answer was lost was saved: its key is now `key`
/// and its value `value` (each only when the edit changed it).
pub fn edit_saved(
    id: &str,
    key: Option<&str>,
    value: Option<&SecretValue>,
    after: &[ListValue],
) -> bool {
    after.iter().any(|v| {
        v.id == id
            && key.is_none_or(|k| v.secret_key == k)
            && value.is_none_or(|new| v.secret_value.is_empty() || v.secret_value == *new)
    })
}

/// Whether an imported key whose answer was lost is in the list `list_id` as the import
/// wanted it.
pub fn import_row_applied(row: &PreviewRow, list_id: &str, after: &[ListValue]) -> bool {
    match &row.action {
        ImportAction::New => stored_value(list_id, &row.key, &row.value, after).is_some(),
        ImportAction::Changed { value_id, .. } => {
            edit_saved(value_id, None, Some(&row.value), after)
        }
        ImportAction::Unchanged | ImportAction::HeldByAnotherList { .. } => false,
    }
}

/// The secret named `name`, when the list read again has it (a create whose answer was lost
/// happened).
pub fn created_secret<'a>(name: &str, after: &'a [SecretSummary]) -> Option<&'a SecretSummary> {
    after.iter().find(|s| s.name == name)
}

/// Whether an update of a secret's value whose answer was lost happened: read again, the
/// secret holds the value sent.
pub fn secret_updated(sent: &SecretValue, reread: &SecretWithValue) -> bool {
    reread.value == *sent
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netactuate::dotenv::parse_env;
    use crate::netactuate::env_import::preview_import;
    use crate::netactuate::secret_lists::Data;

    fn lists(json: &str) -> Vec<SecretListInfo> {
        serde_json::from_str::<Data<Vec<SecretListInfo>>>(json)
            .unwrap()
            .data
    }

    fn values(json: &str) -> Vec<ListValue> {
        serde_json::from_str::<Data<Vec<ListValue>>>(json)
            .unwrap()
            .data
    }

    #[test]
    fn the_list_a_lost_create_made_is_the_one_not_there_before() {
        let before =
            lists(r#"{"data": [{"id": 1, "name": "production"}, {"id": 2, "name": "staging"}]}"#);
        let same = before.clone();
        assert_eq!(new_lists(&before, &same), NewLists::None);
        let one = lists(
            r#"{"data": [{"id": 1, "name": "production"}, {"id": 2, "name": "staging"}, {"id": 3, "name": "Secret List 3"}]}"#,
        );
        assert_eq!(new_lists(&before, &one), NewLists::One(one[2].clone()));
        // A list deleted meanwhile changes nothing; two new ones cannot be told apart.
        let two = lists(
            r#"{"data": [{"id": 2, "name": "staging"}, {"id": 3, "name": "Secret List 3"}, {"id": "4", "name": "Secret List 4"}]}"#,
        );
        assert_eq!(
            new_lists(&before, &two),
            NewLists::Several(vec!["Secret List 3".into(), "Secret List 4".into()])
        );
        assert!(renamed("3", "web", &one).is_none());
        let done = lists(r#"{"data": [{"id": 3, "name": "web"}]}"#);
        assert_eq!(renamed("3", "web", &done).map(|l| l.id.as_str()), Some("3"));
    }

    #[test]
    fn an_added_value_is_found_by_list_key_and_value() {
        let after = values(
            r#"{"data": [
                {"id": 5, "secret_list_id": 3, "secret_key": "API_KEY", "secret_value": "abc"},
                {"id": 6, "secret_list_id": "3", "secret_key": "NO_VALUE_LISTED"},
                {"id": 7, "secret_list_id": 2, "secret_key": "OTHER", "secret_value": "x"}]}"#,
        );
        let abc = SecretValue::new("abc");
        assert_eq!(
            stored_value("3", "API_KEY", &abc, &after).map(|v| v.id.as_str()),
            Some("5")
        );
        // Someone else's value under that key, or the key in another list: not this add's.
        assert!(stored_value("3", "API_KEY", &SecretValue::new("other"), &after).is_none());
        assert!(stored_value("3", "OTHER", &SecretValue::new("x"), &after).is_none());
        assert!(stored_value("3", "NO_VALUE_LISTED", &abc, &after).is_some());
        assert!(stored_value("3", "MISSING", &abc, &after).is_none());
    }

    #[test]
    fn an_edit_was_saved_when_the_value_reads_as_sent() {
        let after = values(
            r#"{"data": [{"id": 5, "secret_list_id": 3, "secret_key": "NEW_NAME", "secret_value": "v2"}]}"#,
        );
        let v2 = SecretValue::new("v2");
        assert!(edit_saved("5", Some("NEW_NAME"), Some(&v2), &after));
        assert!(edit_saved("5", None, Some(&v2), &after));
        assert!(edit_saved("5", Some("NEW_NAME"), None, &after));
        assert!(!edit_saved("5", Some("OLD_NAME"), None, &after));
        assert!(!edit_saved(
            "5",
            None,
            Some(&SecretValue::new("v1")),
            &after
        ));
        assert!(!edit_saved("6", None, Some(&v2), &after));
    }

    #[test]
    fn an_imported_key_was_applied_when_the_list_holds_it_as_imported() {
        let before = values(
            r#"{"data": [{"id": 1, "secret_list_id": 1, "secret_key": "CHANGED", "secret_value": "old"}]}"#,
        );
        let env = parse_env("NEW_KEY=fresh\nCHANGED=new\n");
        let rows = preview_import(&env.entries, "1", &before, &[]);
        let after = values(
            r#"{"data": [
                {"id": 1, "secret_list_id": 1, "secret_key": "CHANGED", "secret_value": "new"},
                {"id": 2, "secret_list_id": 1, "secret_key": "NEW_KEY", "secret_value": "fresh"}]}"#,
        );
        assert!(import_row_applied(&rows[0], "1", &after));
        assert!(import_row_applied(&rows[1], "1", &after));
        assert!(!import_row_applied(&rows[0], "1", &before));
        assert!(!import_row_applied(&rows[1], "1", &before));
    }

    #[test]
    fn a_secret_is_found_by_name_and_an_update_by_its_value() {
        let after: Vec<SecretSummary> =
            serde_json::from_str(r#"[{"id": 9, "name": "db-password"}]"#).unwrap();
        assert_eq!(
            created_secret("db-password", &after).map(|s| s.id.as_str()),
            Some("9")
        );
        assert!(created_secret("api-key", &after).is_none());
        let reread: SecretWithValue =
            serde_json::from_str(r#"{"id": 9, "name": "db-password", "value": "new"}"#).unwrap();
        assert!(secret_updated(&SecretValue::new("new"), &reread));
        assert!(!secret_updated(&SecretValue::new("old"), &reread));
    }
}
