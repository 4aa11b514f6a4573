//! Secrets Manager v3 (`netactuate-secrets-api-v3.txt`): `/v3/secrets` list (never values),
//! get one (the only answer with a value), create, update the value, delete.

use serde::{Deserialize, Serialize};

use super::{bearer, SecretValue};
use crate::request::{ApiRequest, Method};
use crate::url::path;

/// `GET /v3/secrets`: names and dates, never values.
pub fn list_secrets(token: &str) -> ApiRequest {
    bearer(Method::Get, "/v3/secrets", token)
}

/// `GET /v3/secrets/{id}`: the one call whose answer carries the value.
pub fn get_secret(token: &str, id: &str) -> ApiRequest {
    bearer(Method::Get, path("/v3/secrets/{}", &[id]), token)
}

/// `POST /v3/secrets` `{name, value}`; 409 when the name exists.
pub fn create_secret(token: &str, name: &str, value: &SecretValue) -> ApiRequest {
    bearer(Method::Post, "/v3/secrets", token).json_body(&NewSecret {
        name,
        value: value.expose(),
    })
}

/// `PUT /v3/secrets/{id}` `{value}`: only the value changes (the name cannot).
pub fn update_secret(token: &str, id: &str, value: &SecretValue) -> ApiRequest {
    bearer(Method::Put, path("/v3/secrets/{}", &[id]), token).json_body(&NewValue {
        value: value.expose(),
    })
}

/// `DELETE /v3/secrets/{id}`.
pub fn delete_secret(token: &str, id: &str) -> ApiRequest {
    bearer(Method::Delete, path("/v3/secrets/{}", &[id]), token)
}

#[derive(Serialize)]
struct NewSecret<'a> {
    name: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct NewValue<'a> {
    value: &'a str,
}

/// The answer to [`list_secrets`]: the document's `{"secrets": [...]}`, in or out of any of
/// NetActuate's envelopes ([`super::answer`]), or the list itself in one (`{code, data: [...]}`).
/// Read secret by secret: one that does not fit is kept apart, never hiding the others.
#[derive(Debug, Clone, PartialEq)]
pub struct SecretsAnswer {
    pub secrets: Vec<SecretSummary>,
    /// The secrets that could not be read, with their name or id when readable.
    pub unreadable: Vec<crate::UnreadableRow>,
}

impl SecretsAnswer {
    /// Every secret listed, read or not.
    pub fn into_rows(self) -> crate::Rows<SecretSummary> {
        crate::Rows {
            read: self.secrets,
            unreadable: self.unreadable,
        }
    }
}

impl<'de> Deserialize<'de> for SecretsAnswer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let payload = super::answer::payload(serde_json::Value::deserialize(d)?);
        let list = match payload {
            serde_json::Value::Object(mut documented) if documented.contains_key("secrets") => {
                super::answer::payload(documented.remove("secrets").unwrap_or_default())
            }
            other => other,
        };
        let rows = crate::Rows::<SecretSummary>::deserialize(list).map_err(D::Error::custom)?;
        Ok(SecretsAnswer {
            secrets: rows.read,
            unreadable: rows.unreadable,
        })
    }
}

impl super::ListAnswer for SecretsAnswer {
    fn item_count(&self) -> usize {
        self.secrets.len() + self.unreadable.len()
    }

    fn join(&mut self, later: Self) {
        self.secrets.extend(later.secrets);
        self.unreadable.extend(later.unreadable);
    }
}

/// A secret as listed: no value.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SecretSummary {
    /// An integer in the document; kept as a string for paths.
    #[serde(deserialize_with = "crate::ids::string_or_number")]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// The answer to [`get_secret`]: the secret with its value, in or out of an envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretWithValue {
    pub id: String,
    pub name: String,
    pub value: SecretValue,
}

impl<'de> Deserialize<'de> for SecretWithValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::answer::from_payload::<D, DocumentedSecret>(d).map(|s| SecretWithValue {
            id: s.id,
            name: s.name,
            value: s.value,
        })
    }
}

/// The secret as the document shows it.
#[derive(Deserialize)]
struct DocumentedSecret {
    #[serde(deserialize_with = "crate::ids::string_or_number")]
    pub id: String,
    pub name: String,
    pub value: SecretValue,
}

/// Checks a new secret before it is sent: both fields are required (the document's table).
/// Returns (field, message) pairs; empty when it may be sent.
pub fn check_new_secret(
    name: &str,
    value: &str,
    existing: &[SecretSummary],
) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if name.trim().is_empty() {
        problems.push(("name", "Enter a name.".to_string()));
    } else if existing.iter().any(|s| s.name == name) {
        problems.push(("name", "A secret with that name exists.".to_string()));
    }
    if value.is_empty() {
        problems.push(("value", "Enter the value to store.".to_string()));
    }
    problems
}

/// A short date from the provider's timestamp (`2026-01-15T10:30:00Z` -> `2026-01-15 10:30 UTC`).
pub fn short_time(at: Option<&str>) -> String {
    match at {
        Some(t) if t.len() >= 16 && t.as_bytes()[10] == b'T' => {
            format!("{} {} UTC", &t[..10], &t[11..16])
        }
        Some(t) => t.to_string(),
        None => "unknown".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"{"secrets": [{"id": 1, "name": "db-password", "created_at": "2026-01-15T10:30:00Z", "updated_at": "2026-01-15T10:30:00Z"},
        {"id": 2, "name": "api-key", "created_at": "2026-02-01T14:00:00Z", "updated_at": "2026-02-01T14:00:00Z"}]}"#;

    #[test]
    fn requests_follow_the_document() {
        let value = SecretValue::new("s3cur3-p4ssw0rd");
        let create = create_secret("tok", "db-password", &value);
        assert_eq!(create.describe(), "POST /v3/secrets");
        assert_eq!(
            create.body.as_deref(),
            Some(r#"{"name":"db-password","value":"s3cur3-p4ssw0rd"}"#)
        );
        assert!(create
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        let update = update_secret("tok", "1", &SecretValue::new("new-s3cur3-p4ssw0rd"));
        assert_eq!(update.describe(), "PUT /v3/secrets/1");
        assert_eq!(
            update.body.as_deref(),
            Some(r#"{"value":"new-s3cur3-p4ssw0rd"}"#)
        );
        assert_eq!(get_secret("tok", "1").describe(), "GET /v3/secrets/1");
        assert_eq!(delete_secret("tok", "1").describe(), "DELETE /v3/secrets/1");
        assert_eq!(list_secrets("tok").path_and_query(), "/v3/secrets");
    }

    #[test]
    fn reads_the_documents_examples() {
        let list: SecretsAnswer = serde_json::from_str(LIST).unwrap();
        assert_eq!(list.secrets.len(), 2);
        assert_eq!(list.secrets[0].id, "1");
        assert_eq!(list.secrets[1].name, "api-key");
        let one: SecretWithValue = serde_json::from_str(
            r#"{"id": 1, "name": "db-password", "value": "s3cur3-p4ssw0rd", "created_at": "2026-01-15T10:30:00Z", "updated_at": "2026-01-15T10:30:00Z"}"#,
        )
        .unwrap();
        assert_eq!(one.value.expose(), "s3cur3-p4ssw0rd");
        assert!(!format!("{one:?}").contains("s3cur3"));
    }

    #[test]
    fn reads_the_live_envelopes() {
        // v3 as NetActuate's public SDKs read it: `{code, data, message}`, lists in `data`
        // (bare, or `{data, meta}`).
        for body in [
            r#"{"code":200,"message":"OK","data":{"secrets":[{"id":1,"name":"db-password"}]}}"#,
            r#"{"code":200,"message":"OK","data":[{"id":1,"name":"db-password"}]}"#,
            r#"{"code":200,"data":{"data":[{"id":1,"name":"db-password"}],"meta":{"limit":50,"offset":0,"total":1}}}"#,
        ] {
            let list: SecretsAnswer = serde_json::from_str(body).unwrap();
            assert_eq!(list.secrets[0].name, "db-password", "{body}");
        }
        let one: SecretWithValue = serde_json::from_str(
            r#"{"code":200,"message":"OK","data":{"id":"1","name":"db-password","value":"s3cur3"}}"#,
        )
        .unwrap();
        assert_eq!((one.id.as_str(), one.value.expose()), ("1", "s3cur3"));
    }

    #[test]
    fn one_unreadable_secret_never_hides_the_others() {
        let list: SecretsAnswer = serde_json::from_str(
            r#"{"code":200,"data":{"secrets":[{"id":1,"name":"db-password"},{"id":2,"name":null},{"id":3,"name":"api-key"}]}}"#,
        )
        .unwrap();
        assert_eq!(list.secrets.len(), 2);
        assert_eq!(list.unreadable.len(), 1);
        assert_eq!(list.unreadable[0].label(), "id 2");
        let rows = list.into_rows();
        assert_eq!(rows.listed_ids(|s| &s.id), ["1", "3", "2"]);
    }

    #[test]
    fn a_new_secret_is_checked_before_sending() {
        let list: SecretsAnswer = serde_json::from_str(LIST).unwrap();
        assert!(check_new_secret("new", "v", &list.secrets).is_empty());
        assert_eq!(
            check_new_secret("api-key", "", &list.secrets),
            [
                ("name", "A secret with that name exists.".to_string()),
                ("value", "Enter the value to store.".to_string())
            ]
        );
        assert_eq!(check_new_secret(" ", "v", &list.secrets)[0].0, "name");
    }

    #[test]
    fn times_are_shortened() {
        assert_eq!(
            short_time(Some("2026-01-15T10:30:00Z")),
            "2026-01-15 10:30 UTC"
        );
        assert_eq!(short_time(None), "unknown");
    }
}
