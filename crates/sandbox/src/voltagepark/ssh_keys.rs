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
    let org = auth::api_token(&headers)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut problems = Problems::default();
    let limit = q.int("limit", 150, Some(1), Some(150), &mut problems);
    let offset = q.int("offset", 0, Some(0), None, &mut problems);
    problems.finish()?;
    let st = s.voltagepark_of(org);
    Ok(Json(page(
        st.ssh_keys.iter().collect(),
        limit,
        offset,
        |k| key_json(k),
    )))
}

const KEY_TYPES: [&str; 8] = [
    "ssh-rsa",
    "ssh-ed25519",
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// Why `content` is not an OpenSSH public key line, in pydantic's `value_error` words; `None`
/// when it is one. The key data must be base64 whose first field names the declared type, as
/// OpenSSH itself checks; private key material is named as such.
pub fn public_key_problem(content: &str) -> Option<String> {
    let text = content.trim();
    if text.contains("PRIVATE KEY")
        || text.starts_with("PuTTY-User-Key-File-")
        || text.starts_with("b3BlbnNzaC1rZXktdjE")
    {
        return Some(
            "Value error, content is a private key; only the public key may be uploaded".into(),
        );
    }
    let mut words = text.split_whitespace();
    let (kind, data) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    if text.lines().count() > 1 || !KEY_TYPES.contains(&kind) || data.is_empty() {
        return Some(
            "Value error, content is not an SSH public key (expected e.g. 'ssh-ed25519 AAAA...')"
                .into(),
        );
    }
    match decode_base64(data).and_then(|blob| first_string(&blob)) {
        Some(inner) if inner == kind => None,
        Some(inner) => Some(format!(
            "Value error, the key data is a {inner} key, not {kind}"
        )),
        None => Some(format!(
            "Value error, content is not a valid {kind} public key: its key data is not base64"
        )),
    }
}

/// The first length-prefixed string of an SSH wire blob.
fn first_string(blob: &[u8]) -> Option<String> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    String::from_utf8(blob.get(4..4 + len)?.to_vec()).ok()
}

/// Standard base64 with optional padding; `None` on anything else.
fn decode_base64(data: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for b in data.trim_end_matches('=').bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// `POST /api/v1/organization/ssh-keys`
pub async fn create(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> VpResult<Response> {
    let org = auth::api_token(&headers)?;
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
        if let Some(problem) = public_key_problem(content) {
            let at = f.loc_of("content");
            f.problems.push(at, problem, "value_error");
        }
    }
    problems.finish()?;
    let (name, content) = (name.expect("validated"), content.expect("validated"));
    let mut st = s.voltagepark_of(org);
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
    let org = auth::api_token(&headers)?;
    let id = path_id("ssh_key_id", &id)?;
    let mut st = s.voltagepark_of(org);
    let before = st.ssh_keys.len();
    st.ssh_keys.retain(|k| k.id != id);
    if st.ssh_keys.len() == before {
        return Err(VpError::not_found("SSH key"));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::public_key_problem;

    #[test]
    fn only_public_key_lines_whose_data_matches_their_type_pass() {
        for good in [
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICPGnheRMH0IEHkzVRS+6DpQnwv3WoIltDY55mF1umdh alice@laptop",
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBLcjFaOoGa9psSHxX7hdl15mpHo6tKJaV/kbuR7ytqayGG60xzLVxI8aLV9P3xMvCkhfmjGgTgXT21Vo10iId2Q=",
        ] {
            assert_eq!(public_key_problem(good), None, "{good}");
        }
        let private = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
        assert!(public_key_problem(private).unwrap().contains("private key"));
        assert!(
            public_key_problem("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ")
                .unwrap()
                .contains("private key")
        );
        assert!(public_key_problem("hello")
            .unwrap()
            .contains("not an SSH public key"));
        // The document's example is cut short with "...": not a key.
        assert!(public_key_problem(
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDAKOgHv82A6Oi7AWLvBC9N..."
        )
        .unwrap()
        .contains("not base64"));
        assert!(public_key_problem(
            "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAICPGnheRMH0IEHkzVRS+6DpQnwv3WoIltDY55mF1umdh"
        )
        .unwrap()
        .contains("is a ssh-ed25519 key, not ssh-rsa"));
    }
}
