//! Secret lists and their key/value pairs (`netactuate-secret-lists-api.txt`), under
//! `/api/secrets/...`. Lists are addressed by name, values by id; updates use POST. Keys are
//! unique across the whole account. Answers come in any of NetActuate's envelopes
//! ([`super::answer`]).

use serde::{Deserialize, Serialize};

use super::{bearer, SecretValue};
use crate::request::{ApiRequest, Method};
use crate::url::{check_segment, path, RequestPath};

/// An answer's payload, out of whichever envelope it came in: Laravel's `{"data": ...}`, v3's
/// `{code, data, message}`, v2's `{result, message, code, data}`, a list's `{data, meta}`, or
/// none ([`super::answer::payload`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Data<T> {
    pub data: T,
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Data<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::answer::from_payload(d).map(|data| Data { data })
    }
}

/// A list of lists or of values, read item by item, whose pages are joined in order.
impl<T: serde::de::DeserializeOwned> super::ListAnswer for Data<crate::Rows<T>> {
    fn item_count(&self) -> usize {
        self.data.len()
    }

    fn join(&mut self, later: Self) {
        self.data.read.extend(later.data.read);
        self.data.unreadable.extend(later.data.unreadable);
    }
}

/// A list whose items must all read (a check after a lost answer), pages joined in order.
impl<T: serde::de::DeserializeOwned> super::ListAnswer for Data<Vec<T>> {
    fn item_count(&self) -> usize {
        self.data.len()
    }

    fn join(&mut self, later: Self) {
        self.data.extend(later.data);
    }
}

fn list_path(list: &str) -> RequestPath {
    path("/api/secrets/lists/{}", &[list])
}

fn values_path(list: &str) -> RequestPath {
    path("/api/secrets/lists/{}/values", &[list])
}

fn value_path(list: &str, value_id: &str) -> RequestPath {
    path("/api/secrets/lists/{}/values/{}", &[list, value_id])
}

/// `GET /api/secrets/lists`.
pub fn list_secret_lists(token: &str) -> ApiRequest {
    bearer(Method::Get, "/api/secrets/lists", token)
}

/// `GET /api/secrets/lists/{secretList}`, by name.
pub fn get_secret_list(token: &str, list: &str) -> ApiRequest {
    bearer(Method::Get, list_path(list), token)
}

/// `POST /api/secrets/lists` with no payload: the documented way to create an (empty, provider
/// named) list. Name it with [`rename_secret_list`].
pub fn create_secret_list(token: &str) -> ApiRequest {
    bearer(Method::Post, "/api/secrets/lists", token)
}

/// `POST /api/secrets/lists/{secretList}` `{name}`: renames; names are unique in the account.
pub fn rename_secret_list(token: &str, list: &str, new_name: &str) -> ApiRequest {
    bearer(Method::Post, list_path(list), token).json_body(&Rename { name: new_name })
}

/// `DELETE /api/secrets/lists/{secretList}`: the list and its values.
pub fn delete_secret_list(token: &str, list: &str) -> ApiRequest {
    bearer(Method::Delete, list_path(list), token)
}

/// `GET /api/secrets/all-values`: every value of every list.
pub fn list_all_values(token: &str) -> ApiRequest {
    bearer(Method::Get, "/api/secrets/all-values", token)
}

/// `GET /api/secrets/lists/{secretList}/values`.
pub fn list_values(token: &str, list: &str) -> ApiRequest {
    bearer(Method::Get, values_path(list), token)
}

/// `GET /api/secrets/lists/{secretList}/values/{secretListValue}`: one value, read when revealed.
pub fn get_value(token: &str, list: &str, value_id: &str) -> ApiRequest {
    bearer(Method::Get, value_path(list, value_id), token)
}

/// `POST /api/secrets/lists/{secretList}/values` `{secret_key, secret_value}`.
pub fn create_value(token: &str, list: &str, key: &str, value: &SecretValue) -> ApiRequest {
    bearer(Method::Post, values_path(list), token).json_body(&ValueBody {
        secret_key: key,
        secret_value: value.expose(),
    })
}

/// `POST /api/secrets/lists/{secretList}/values/{secretListValue}` `{secret_key, secret_value}`:
/// always both, the value's key and its value, even when only one of them changes. The only body
/// the document shows has both, and every public client (the Go, Rust, Python and Node SDKs, the
/// Terraform provider) sends both; what NetActuate does with half a body is not written anywhere.
pub fn update_value(
    token: &str,
    list: &str,
    value_id: &str,
    key: &str,
    value: &SecretValue,
) -> ApiRequest {
    bearer(Method::Post, value_path(list, value_id), token).json_body(&ValueBody {
        secret_key: key,
        secret_value: value.expose(),
    })
}

/// `DELETE /api/secrets/lists/{secretList}/values/{secretListValue}`.
pub fn delete_value(token: &str, list: &str, value_id: &str) -> ApiRequest {
    bearer(Method::Delete, value_path(list, value_id), token)
}

#[derive(Serialize)]
struct Rename<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct ValueBody<'a> {
    secret_key: &'a str,
    secret_value: &'a str,
}

/// A secret list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SecretListInfo {
    #[serde(deserialize_with = "crate::ids::string_or_number")]
    pub id: String,
    pub name: String,
    /// How many values it holds, when the answer says.
    #[serde(default)]
    pub values_count: Option<u64>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// One key/value pair: `{id, secret_list_id, secret_key, secret_value}`, where the list id may
/// be a string or a number [confirmed, NOTES.md].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ListValue {
    #[serde(deserialize_with = "crate::ids::string_or_number")]
    pub id: String,
    #[serde(deserialize_with = "crate::ids::string_or_number")]
    pub secret_list_id: String,
    pub secret_key: String,
    #[serde(default)]
    pub secret_value: SecretValue,
}

/// The list that already holds `key`, if another list (not `list_id`) does: keys are unique
/// across the account. `except_value` is the value being edited (its own key is no clash).
pub fn key_held_elsewhere<'a>(
    key: &str,
    except_value: Option<&str>,
    all_values: &'a [ListValue],
) -> Option<&'a ListValue> {
    all_values
        .iter()
        .find(|v| v.secret_key == key && Some(v.id.as_str()) != except_value)
}

/// Checks a value before it is added or edited: a key and a value, and a key no other value
/// of the account holds. `lists` names the list that holds a clashing key. Returns (field,
/// message) pairs; empty when it may be sent.
pub fn check_value(
    key: &str,
    value: Option<&str>,
    except_value: Option<&str>,
    all_values: &[ListValue],
    lists: &[SecretListInfo],
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if let Some(problem) = super::secret_key::key_problem(key.trim()) {
        problems.push(("key", problem));
    } else if let Some(holder) = key_held_elsewhere(key, except_value, all_values) {
        problems.push((
            "key",
            format!(
                "The list \u{201c}{}\u{201d} already holds the key {key}: keys are unique across the account.",
                list_name(&holder.secret_list_id, lists)
            ),
        ));
    }
    if value.is_some_and(|v| v.trim().is_empty()) {
        problems.push(("value", "Enter a value.".to_string()));
    }
    problems
}

/// The name of the list with id `id`, or the id itself when it is not known.
pub fn list_name(id: &str, lists: &[SecretListInfo]) -> String {
    lists
        .iter()
        .find(|l| l.id == id)
        .map(|l| l.name.clone())
        .unwrap_or_else(|| format!("list {id}"))
}

/// A warning (not a refusal) when another value's key differs from `key` only by case:
/// references are case-sensitive, so the two are two values, which is rarely what was meant.
pub fn key_case_warning(
    key: &str,
    except_value: Option<&str>,
    all_values: &[ListValue],
    lists: &[SecretListInfo],
) -> Option<String> {
    let key = key.trim();
    let others = all_values
        .iter()
        .filter(|v| Some(v.id.as_str()) != except_value);
    let twin = others.clone().map(|v| v.secret_key.as_str());
    let twin = super::secret_key::case_twin(key, twin)?;
    let holder = others.clone().find(|v| v.secret_key == twin)?;
    Some(format!(
        "The list \u{201c}{}\u{201d} holds {twin}, which differs only by case: references are case-sensitive, so ${{{{secret.{key}}}}} and ${{{{secret.{twin}}}}} would be two different values.",
        list_name(&holder.secret_list_id, lists)
    ))
}

/// The list with this id as listed, for addressing it; one not listed is known by its id alone
/// (and addressed by it).
pub fn list_by_id(id: &str, lists: &[SecretListInfo]) -> SecretListInfo {
    lists
        .iter()
        .find(|l| l.id == id)
        .cloned()
        .unwrap_or_else(|| SecretListInfo {
            id: id.into(),
            name: id.into(),
            ..SecretListInfo::default()
        })
}

/// Checks a list's new name: not empty, one that can address the list, not another list's.
///
/// NetActuate addresses a list by its name (`/api/secrets/lists/{secretList}`) and its documents
/// say nothing more of names than that they are unique, so a name that cannot be one segment of
/// that address (`.`, `..`, a slash...) would make a list that can be neither opened, renamed nor
/// deleted: it is refused here, before anything is sent.
pub fn check_list_name(
    name: &str,
    own_id: Option<&str>,
    lists: &[SecretListInfo],
) -> Option<String> {
    if name.trim().is_empty() {
        return Some("Enter a name.".into());
    }
    if let Err(reason) = check_segment(name) {
        return Some(format!(
            "Choose another name: NetActuate finds a list by its name in the request's address \
             (/api/secrets/lists/name), and {reason}."
        ));
    }
    lists
        .iter()
        .any(|l| l.name == name && Some(l.id.as_str()) != own_id)
        .then(|| "A list with that name exists: list names are unique across the account.".into())
}

/// A refusal's field errors (NetActuate's `fields` or Laravel's `errors`, by the body's names
/// `secret_key` / `secret_value`) as the value forms' (field, message) pairs: `key`, `value`,
/// and `""` for what is about neither. Empty when the refusal names no field.
pub fn value_field_errors(error: &crate::ApiError) -> Vec<(&'static str, String)> {
    let crate::ApiError::Http(e) = error else {
        return Vec::new();
    };
    let placed = crate::form_errors::FormErrors::place(&e.fields, &["secret_key", "secret_value"]);
    placed
        .fields
        .into_iter()
        .map(|(field, message)| {
            (
                if field == "secret_key" {
                    "key"
                } else {
                    "value"
                },
                message,
            )
        })
        .chain(placed.general.into_iter().map(|m| ("", m)))
        .collect()
}

/// The values whose key contains `query` (case-insensitive), for the all-values search.
pub fn search_values<'a>(values: &'a [ListValue], query: &str) -> Vec<&'a ListValue> {
    let q = query.trim().to_lowercase();
    values
        .iter()
        .filter(|v| q.is_empty() || v.secret_key.to_lowercase().contains(&q))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Vec<ListValue> {
        serde_json::from_str::<Data<Vec<ListValue>>>(
            r#"{"data": [{"id": 1, "secret_list_id": 1, "secret_key": "DB_PASSWORD", "secret_value": "a"},
                {"id": 2, "secret_list_id": "2", "secret_key": "STAGING_KEY", "secret_value": "b"}]}"#,
        )
        .unwrap()
        .data
    }

    fn lists() -> Vec<SecretListInfo> {
        serde_json::from_str::<Data<Vec<SecretListInfo>>>(
            r#"{"data": [{"id": 1, "name": "production", "values_count": 1}, {"id": 2, "name": "staging"}]}"#,
        )
        .unwrap()
        .data
    }

    #[test]
    fn requests_follow_the_document() {
        let create = create_secret_list("tok");
        assert_eq!(create.describe(), "POST /api/secrets/lists");
        assert_eq!(create.body, None);
        let rename = rename_secret_list("tok", "Secret List 3", "new name");
        assert_eq!(
            rename.describe(),
            "POST /api/secrets/lists/Secret%20List%203"
        );
        assert_eq!(rename.body.as_deref(), Some(r#"{"name":"new name"}"#));
        let add = create_value("tok", "prod", "new key", &SecretValue::new("new value"));
        assert_eq!(add.describe(), "POST /api/secrets/lists/prod/values");
        assert_eq!(
            add.body.as_deref(),
            Some(r#"{"secret_key":"new key","secret_value":"new value"}"#)
        );
        // Both fields, always (the document's only body; every public SDK sends both).
        let edit = update_value("tok", "prod", "7", "DB_PASSWORD", &SecretValue::new("v2"));
        assert_eq!(edit.describe(), "POST /api/secrets/lists/prod/values/7");
        assert_eq!(
            edit.body.as_deref(),
            Some(r#"{"secret_key":"DB_PASSWORD","secret_value":"v2"}"#)
        );
        assert_eq!(
            get_value("tok", "prod", "7").describe(),
            "GET /api/secrets/lists/prod/values/7"
        );
        assert_eq!(
            delete_value("tok", "prod", "7").describe(),
            "DELETE /api/secrets/lists/prod/values/7"
        );
        assert_eq!(
            list_all_values("tok").describe(),
            "GET /api/secrets/all-values"
        );
        // A slash would split the address (and the proxy refuses it encoded): nothing is built.
        assert!(delete_secret_list("tok", "a/b").refused());
    }

    #[test]
    fn lists_and_values_are_read_from_every_envelope() {
        // v3 `{code, data: {data, meta}}` and v2 `{result, message, meta: [], data}`, as the Go
        // SDK `gona` reads them; `secret_list_id` a string or a number (gona's UnmarshalJSON).
        let v3: Data<Vec<ListValue>> = serde_json::from_str(
            r#"{"code":200,"message":"OK","data":{"meta":{"limit":100,"offset":0,"total":1},"data":[{"id":5,"secret_list_id":"3","secret_key":"K","secret_value":"v"}]}}"#,
        )
        .unwrap();
        assert_eq!(v3.data[0].secret_list_id, "3");
        let v2: Data<Vec<SecretListInfo>> = serde_json::from_str(
            r#"{"result":"success","message":null,"meta":[],"code":200,"data":[{"id":3,"name":"prod"}]}"#,
        )
        .unwrap();
        assert_eq!(v2.data[0].name, "prod");
        let bare: Data<Vec<SecretListInfo>> =
            serde_json::from_str(r#"[{"id":3,"name":"prod"}]"#).unwrap();
        assert_eq!(bare.data[0].id, "3");
        let one: Data<SecretListInfo> =
            serde_json::from_str(r#"{"code":201,"data":{"id":4,"name":"Secret List 4"}}"#).unwrap();
        assert_eq!(one.data.id, "4");
    }

    #[test]
    fn one_unreadable_list_or_value_never_hides_the_others() {
        let lists: Data<crate::Rows<SecretListInfo>> = serde_json::from_str(
            r#"{"code":200,"data":[{"id":1,"name":"prod"},{"id":2,"name":{"en":"x"}},{"id":3,"name":"staging"}]}"#,
        )
        .unwrap();
        assert_eq!(lists.data.read.len(), 2);
        assert_eq!(lists.data.unreadable[0].label(), "id 2");
        let values: Data<crate::Rows<ListValue>> = serde_json::from_str(
            r#"{"data":[{"id":5,"secret_list_id":1,"secret_key":"K","secret_value":"v"},{"id":6,"secret_list_id":null,"secret_key":"BROKEN","secret_value":"hidden"}]}"#,
        )
        .unwrap();
        assert_eq!(values.data.read.len(), 1);
        assert_eq!(values.data.unreadable[0].label(), "BROKEN (id 6)");
    }

    #[test]
    fn list_ids_may_be_strings_or_numbers() {
        let v = values();
        assert_eq!(v[0].secret_list_id, "1");
        assert_eq!(v[1].secret_list_id, "2");
        assert!(!format!("{v:?}").contains("\"a\""));
    }

    #[test]
    fn a_key_held_by_another_list_is_named_before_sending() {
        let (v, l) = (values(), lists());
        let p = check_value("STAGING_KEY", Some("x"), None, &v, &l);
        assert_eq!(p.len(), 1);
        assert!(p[0].1.contains("\u{201c}staging\u{201d}"), "{}", p[0].1);
        // Editing the value that holds it is no clash.
        assert!(check_value("STAGING_KEY", Some("x"), Some("2"), &v, &l).is_empty());
        assert_eq!(check_value("", Some(" "), None, &v, &l).len(), 2);
    }

    #[test]
    fn keys_follow_one_rule_and_case_twins_are_warned_of() {
        let l = lists();
        let values: Vec<ListValue> = serde_json::from_str::<Data<Vec<ListValue>>>(
            r#"{"data":[{"id":1,"secret_list_id":1,"secret_key":"DB_PASSWORD","secret_value":"x"}]}"#,
        )
        .unwrap()
        .data;
        for bad in ["my key", "${{secret.X}}", "KEY-WITH-DASH", "1BAD"] {
            let problems = check_value(bad, Some("v"), None, &values, &l);
            assert_eq!(problems.len(), 1, "{bad}: {problems:?}");
            assert_eq!(problems[0].0, "key");
        }
        // db_password is a key of its own, with a warning; the same value edited is no twin.
        assert!(check_value("db_password", Some("v"), None, &values, &l).is_empty());
        let warned = key_case_warning("db_password", None, &values, &l).unwrap();
        assert!(
            warned.contains("holds DB_PASSWORD, which differs only by case"),
            "{warned}"
        );
        assert_eq!(
            key_case_warning("db_password", Some("1"), &values, &l),
            None
        );
        assert_eq!(key_case_warning("OTHER", None, &values, &l), None);
    }

    #[test]
    fn list_names_are_unique() {
        let l = lists();
        assert!(check_list_name("staging", Some("1"), &l).is_some());
        assert!(check_list_name("staging", Some("2"), &l).is_none());
        assert!(check_list_name("", None, &l).is_some());
        assert!(check_list_name("new", None, &l).is_none());
    }

    #[test]
    fn names_that_cannot_address_a_list_are_refused_before_sending() {
        let l = lists();
        for bad in [".", "..", "web/app", "app/env", "a\\b", "two\nlines"] {
            let problem = check_list_name(bad, None, &l).unwrap_or_else(|| panic!("{bad:?}"));
            assert!(problem.contains("/api/secrets/lists/name"), "{problem}");
            assert!(
                check_list_name(bad, Some("1"), &l).is_some(),
                "rename to {bad:?}"
            );
        }
        let problem = check_list_name("..", None, &l).unwrap();
        assert!(problem.contains("\"..\" cannot be names"), "{problem}");
        let problem = check_list_name("web/app", None, &l).unwrap();
        assert!(problem.contains("cannot hold \"/\""), "{problem}");
        // Names with spaces, dots and other signs address a list well, encoded.
        for good in ["web app", "...", ".env", "prod.v2", "50% off", "a+b=c"] {
            assert_eq!(check_list_name(good, None, &l), None, "{good:?}");
        }
    }

    #[test]
    fn field_errors_land_on_the_value_forms_fields() {
        // `fields` as NetActuate's public SDKs read it, on a 422 and inside a 200's envelope.
        for (status, body) in [
            (
                422,
                r#"{"message":"Invalid","fields":{"secret_key":["The secret key has already been taken."],"other":["x"]}}"#,
            ),
            (
                200,
                r#"{"code":422,"data":null,"fields":{"secret_key":["The secret key has already been taken."],"other":["x"]}}"#,
            ),
        ] {
            let error = crate::read_response::<serde_json::Value>(
                crate::Provider::NetActuate,
                status,
                body,
            )
            .unwrap_err();
            assert_eq!(
                value_field_errors(&error),
                [
                    ("key", "The secret key has already been taken.".to_string()),
                    ("", "other: x".to_string())
                ]
            );
        }
        assert!(value_field_errors(&crate::ApiError::Network("x".into())).is_empty());
    }

    #[test]
    fn values_are_searched_by_key() {
        let v = values();
        assert_eq!(search_values(&v, "staging").len(), 1);
        assert_eq!(search_values(&v, "").len(), 2);
        assert_eq!(search_values(&v, "nope").len(), 0);
    }
}
