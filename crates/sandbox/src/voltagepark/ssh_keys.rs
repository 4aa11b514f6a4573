//! Organization SSH keys, and the `organization_ssh_keys` selector the deploy endpoints take.
//!
//! Endpoints (header `x-api-token`): `GET /organization/ssh-keys`, `POST /organization/ssh-keys`,
//! `DELETE /organization/ssh-keys/{ssh_key_id}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use uuid::Uuid;

use super::auth;
use super::fastapi::{
    body_object, page, path_id, warn_ignored, Fields, Problems, QueryParams, VpError, VpResult,
};
use super::state::{SshKey, State};
use crate::Shared;

/// Which organization keys go onto a new machine.
#[derive(Debug, Clone, PartialEq)]
pub enum OrgKeys {
    None,
    All,
    Selective(Vec<Uuid>),
}

/// Reads `organization_ssh_keys` (default `{"mode": "none"}`), a union tagged by `mode`.
pub fn parse_org_keys(fields: &mut Fields<'_>) -> OrgKeys {
    let Some(value) = fields.raw("organization_ssh_keys") else {
        return OrgKeys::None;
    };
    let at = fields.loc_of("organization_ssh_keys");
    let Value::Object(obj) = value else {
        fields.problems.push(
            at,
            "Input should be a valid dictionary or object to extract fields from",
            "model_attributes_type",
        );
        return OrgKeys::None;
    };
    match obj.get("mode").and_then(Value::as_str) {
        None => {
            fields.problems.push(
                at,
                "Unable to extract tag using discriminator 'mode'",
                "union_tag_not_found",
            );
            OrgKeys::None
        }
        Some("none") => OrgKeys::None,
        Some("all") => OrgKeys::All,
        Some("selective") => {
            let mut at = at;
            at.push(json!("selective"));
            let mut inner = Fields::new(obj, at, fields.problems);
            match obj.get("ssh_key_ids") {
                None => {
                    let at = inner.loc_of("ssh_key_ids");
                    inner.problems.push(at, "Field required", "missing");
                    OrgKeys::None
                }
                Some(_) => {
                    OrgKeys::Selective(inner.opt_uuid_list("ssh_key_ids").unwrap_or_default())
                }
            }
        }
        Some(other) => {
            fields.problems.push(
                at,
                format!("Input tag '{other}' found using 'mode' does not match any of the expected tags: 'none', 'all', 'selective'"),
                "union_tag_invalid",
            );
            OrgKeys::None
        }
    }
}

impl State {
    /// The public keys a selector stands for; unknown ids are a 400.
    pub fn resolve_org_keys(&self, keys: &OrgKeys) -> VpResult<Vec<String>> {
        match keys {
            OrgKeys::None => Ok(Vec::new()),
            OrgKeys::All => Ok(self.ssh_keys.iter().map(|k| k.content.clone()).collect()),
            OrgKeys::Selective(ids) => ids
                .iter()
                .map(|id| {
                    self.ssh_keys
                        .iter()
                        .find(|k| k.id == *id)
                        .map(|k| k.content.clone())
                        .ok_or_else(|| {
                            VpError::bad_request(format!(
                                "SSH key {id} does not belong to your organization"
                            ))
                        })
                })
                .collect(),
        }
    }
}

fn key_json(k: &SshKey) -> Value {
    json!({ "id": k.id.to_string(), "name": k.name, "content": k.content })
}

/// `GET /api/v1/organization/ssh-keys?limit=1..150&offset`
pub async fn list(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> VpResult<Json<Value>> {
    auth::api_token(&headers)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut problems = Problems::default();
    let limit = q.int("limit", 150, Some(1), Some(150), &mut problems);
    let offset = q.int("offset", 0, Some(0), None, &mut problems);
    problems.finish()?;
    let st = s.voltagepark();
    Ok(Json(page(
        st.ssh_keys.iter().collect(),
        limit,
        offset,
        |k| key_json(k),
    )))
}

const KEY_TYPES: [&str; 7] = [
    "ssh-rsa",
    "ssh-ed25519",
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
];

/// `POST /api/v1/organization/ssh-keys`
pub async fn create(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> VpResult<Response> {
    auth::api_token(&headers)?;
    let obj = body_object(&headers, &body)?;
    warn_ignored("POST /organization/ssh-keys", &obj, &["name", "content"]);
    let mut problems = Problems::default();
    let mut f = Fields::body(&obj, &mut problems);
    let name = f.req_str("name");
    if let Some(name) = &name {
        if f.check_len("name", name, Some(3), Some(64))
            && !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ' ')
        {
            let at = f.loc_of("name");
            f.problems.push(
                at,
                "String should match pattern '^[a-zA-Z0-9 -]+$'",
                "string_pattern_mismatch",
            );
        }
    }
    let content = f.req_str("content");
    if let Some(content) = &content {
        let kind = content.split_whitespace().next().unwrap_or("");
        if !KEY_TYPES.contains(&kind) || content.split_whitespace().nth(1).is_none() {
            let at = f.loc_of("content");
            f.problems.push(at, "Value error, content is not an SSH public key (expected e.g. 'ssh-ed25519 AAAA...')", "value_error");
        }
    }
    problems.finish()?;
    let (name, content) = (name.expect("validated"), content.expect("validated"));
    let mut st = s.voltagepark();
    if st.ssh_keys.iter().any(|k| k.name == name) {
        return Err(VpError::bad_request(format!(
            "An SSH key named '{name}' already exists"
        )));
    }
    let key = SshKey {
        id: st.rng.uuid(),
        name,
        content,
    };
    let out = key_json(&key);
    st.ssh_keys.push(key);
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// `DELETE /api/v1/organization/ssh-keys/{ssh_key_id}`
pub async fn delete(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> VpResult<StatusCode> {
    auth::api_token(&headers)?;
    let id = path_id("ssh_key_id", &id)?;
    let mut st = s.voltagepark();
    let before = st.ssh_keys.len();
    st.ssh_keys.retain(|k| k.id != id);
    if st.ssh_keys.len() == before {
        return Err(VpError::not_found("SSH key"));
    }
    Ok(StatusCode::NO_CONTENT)
}
