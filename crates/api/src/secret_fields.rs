//! Which fields of a provider's answer hold secrets, and the answer with them hidden: every view
//! that shows an answer as it came (raw JSON, a table built from it, a profile's facts) shows it
//! through [`mask_secret_fields`], and offers each hidden value on its own through
//! [`secret_fields`], revealed only when asked for.

use serde_json::{Map, Value};

/// What a hidden field's value reads as in a masked answer.
pub const HIDDEN: &str = "•••••••• hidden";

/// The names of the fields that hold secrets. From the providers' documents: Voltage Park's
/// `kubeconfig` (a bare-metal rental's cluster credential, token included) and `password` (an
/// instant VM's); NetActuate's `secret_value` (a secret list's value); Octos's `token` (the API
/// token, and the login's session token). The others are the usual names of credentials.
///
/// A field is a secret when its name, lower-cased and without `_`, `-`, `.` or spaces, is one of
/// these or ends with one (`root_password`, `accessToken`, `client_secret`, `ssh_private_key`).
/// Not `secret_key`: a secret list's `secret_key` is the value's name, shown everywhere.
pub const SECRET_FIELD_NAMES: &[&str] = &[
    "kubeconfig",
    "password",
    "passwd",
    "passphrase",
    "token",
    "tokens",
    "secret",
    "secretvalue",
    "secretaccesskey",
    "apikey",
    "apikeys",
    "privatekey",
    "credential",
    "credentials",
    "authorization",
];

/// Whether a field of this name holds a secret (see [`SECRET_FIELD_NAMES`]).
pub fn is_secret_field(name: &str) -> bool {
    let name: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_FIELD_NAMES.iter().any(|s| name.ends_with(s))
}

/// Whether there is anything to hide: `null`, `true`/`false` and empty text, lists and objects
/// are left as they are (they say that no password is set, not what it is).
fn holds_something(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(_) => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(_) => true,
    }
}

/// `value` with the value of every secret field, at any depth, replaced by [`HIDDEN`].
pub fn mask_secret_fields(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if is_secret_field(k) && holds_something(v) {
                        Value::String(HIDDEN.to_string())
                    } else {
                        mask_secret_fields(v)
                    };
                    (k.clone(), v)
                })
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask_secret_fields).collect()),
        other => other.clone(),
    }
}

/// A secret field of an answer: where it is and its value, as text.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretField {
    /// Where it is in the answer: `kubeconfig`, `data.token`, `nodes[1].password`.
    pub path: String,
    /// The value itself: text as it is, anything else as indented JSON.
    pub value: String,
}

/// Never shows the value, so a field cannot slip into a log or a panic message.
impl std::fmt::Debug for SecretField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretField({}: ••••)", self.path)
    }
}

/// Every field [`mask_secret_fields`] hides in `value`, in the order they appear.
pub fn secret_fields(value: &Value) -> Vec<SecretField> {
    let mut found = Vec::new();
    collect(value, "", &mut found);
    found
}

fn collect(value: &Value, path: &str, found: &mut Vec<SecretField>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if is_secret_field(k) && holds_something(v) {
                    let value = match v {
                        Value::String(s) => s.clone(),
                        other => serde_json::to_string_pretty(other)
                            .unwrap_or_else(|_| other.to_string()),
                    };
                    found.push(SecretField { path: here, value });
                } else {
                    collect(v, &here, found);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, &format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KUBECONFIG: &str =
        "apiVersion: v1\nusers:\n- name: admin\n  user:\n    token: sandbox-0123456789abcdef\n";

    /// A bare-metal rental as the Voltage Park document shows it.
    fn rental() -> Value {
        json!({
            "id": "123e4567-e89b-12d3-a456-426614174000",
            "name": "train",
            "status": "Running",
            "username": "ubuntu",
            "node_networking": [{"public_ip": "68.25.82.82", "private_ip": "192.168.0.1"}],
            "k8s_cluster_id": "123e4567-e89b-12d3-a456-426614174000",
            "kubeconfig": KUBECONFIG,
            "tags": ["gpu"]
        })
    }

    #[test]
    fn the_documents_secret_fields_are_secret_and_their_neighbours_are_not() {
        for name in [
            "kubeconfig",
            "password",
            "token",
            "secret_value",
            "KUBECONFIG",
            "Password",
            "root_password",
            "accessToken",
            "session-token",
            "api_key",
            "apiKey",
            "X-API-KEY",
            "client_secret",
            "ssh_private_key",
            "secret_access_key",
            "tokens",
            "credentials",
        ] {
            assert!(is_secret_field(name), "{name} is a secret");
        }
        for name in [
            "secret_key",
            "secrets",
            "token_name",
            "api_token_name",
            "token_type",
            "expires_at",
            "public_key",
            "ssh_keys",
            "ssh_key_ids",
            "organization_ssh_keys",
            "k8s_cluster_id",
            "private_ip",
            "username",
            "name",
        ] {
            assert!(!is_secret_field(name), "{name} is not a secret");
        }
    }

    #[test]
    fn a_rentals_kubeconfig_is_hidden_and_everything_else_kept() {
        let masked = mask_secret_fields(&rental());
        assert_eq!(masked["kubeconfig"], HIDDEN);
        let text = serde_json::to_string_pretty(&masked).unwrap();
        assert!(!text.contains("sandbox-0123456789abcdef"));
        assert!(!text.contains("apiVersion"));
        let mut expected = rental();
        expected["kubeconfig"] = json!(HIDDEN);
        assert_eq!(masked, expected);
    }

    #[test]
    fn secrets_are_hidden_at_any_depth_and_in_lists() {
        let answer = json!({
            "status": "Success",
            "data": {
                "token": "9e130f81-aaaa|SzVg1D6a5ZZ",
                "token_type": "Bearer",
                "users": [
                    {"name": "a", "Password": "hunter22"},
                    {"name": "b", "credentials": {"user": "b", "pin": 1234}},
                    {"name": "c", "password": null, "has_password": false, "apiKey": ""}
                ]
            }
        });
        let masked = mask_secret_fields(&answer);
        assert_eq!(
            masked,
            json!({
                "status": "Success",
                "data": {
                    "token": HIDDEN,
                    "token_type": "Bearer",
                    "users": [
                        {"name": "a", "Password": HIDDEN},
                        {"name": "b", "credentials": HIDDEN},
                        {"name": "c", "password": null, "has_password": false, "apiKey": ""}
                    ]
                }
            })
        );
    }

    #[test]
    fn a_top_level_list_of_rows_is_masked_row_by_row() {
        let rows = json!([{"id": 1, "password": "one-pass"}, {"id": 2, "password": "two-pass"}]);
        assert_eq!(
            mask_secret_fields(&rows),
            json!([{"id": 1, "password": HIDDEN}, {"id": 2, "password": HIDDEN}])
        );
    }

    #[test]
    fn each_hidden_value_is_found_with_its_place() {
        let answer = json!({
            "kubeconfig": KUBECONFIG,
            "nodes": [{"ip": "1.2.3.4"}, {"ip": "1.2.3.5", "root_password": "p4ss"}],
            "auth": {"credentials": {"user": "b"}},
            "password": ""
        });
        let mut found = secret_fields(&answer);
        found.sort_by(|a, b| a.path.cmp(&b.path));
        let paths: Vec<&str> = found.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["auth.credentials", "kubeconfig", "nodes[1].root_password"]
        );
        assert_eq!(found[1].value, KUBECONFIG);
        assert_eq!(found[2].value, "p4ss");
        assert_eq!(found[0].value, "{\n  \"user\": \"b\"\n}");
        assert!(secret_fields(&mask_secret_fields(&answer))
            .iter()
            .all(|f| f.value == HIDDEN));
    }

    #[test]
    fn a_found_field_never_prints_its_value() {
        let found = secret_fields(&json!({"password": "p4ss-w0rd"}));
        assert_eq!(format!("{found:?}"), "[SecretField(password: ••••)]");
    }
}
