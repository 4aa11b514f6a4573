//! Secrets Manager v3 (`netactuate-secrets-api-v3.txt`): `/v3/secrets` list (no values), get (with
//! value), create, update, delete; errors 400 / 401 / 404 / 409 as the document's table says.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::error::{body_object, NaError, NaResult};
use super::state::Secret;
use crate::format::seconds_z;
use crate::Shared;

fn secret_id(raw: &str) -> NaResult<u64> {
    raw.parse::<u64>().map_err(|_| {
        NaError::bad_request(format!("Invalid secret id '{raw}': it must be an integer"))
    })
}

fn not_found(id: u64) -> NaError {
    NaError::not_found(format!("Secret {id} not found"))
}

/// A required non-empty string field, or 400.
fn string_field(obj: &Map<String, Value>, name: &str) -> NaResult<String> {
    match obj.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(NaError::bad_request(format!("'{name}' must not be empty"))),
        Some(_) => Err(NaError::bad_request(format!("'{name}' must be a string"))),
        None => Err(NaError::bad_request(format!("'{name}' is required"))),
    }
}

fn summary(s: &Secret) -> Value {
    json!({ "id": s.id, "name": s.name, "created_at": seconds_z(s.created), "updated_at": seconds_z(s.updated) })
}

/// `GET /v3/secrets`: never carries values.
pub async fn list(AxState(s): AxState<Arc<Shared>>) -> Json<Value> {
    let st = s.netactuate();
    Json(json!({ "secrets": st.secrets.iter().map(summary).collect::<Vec<_>>() }))
}

/// `GET /v3/secrets/{id}`: the one place a value is returned.
pub async fn get(
    AxState(s): AxState<Arc<Shared>>,
    Path(id): Path<String>,
) -> NaResult<Json<Value>> {
    let id = secret_id(&id)?;
    let st = s.netactuate();
    let secret = st
        .secrets
        .iter()
        .find(|x| x.id == id)
        .ok_or_else(|| not_found(id))?;
    Ok(Json(json!({
        "id": secret.id,
        "name": secret.name,
        "value": secret.value,
        "created_at": seconds_z(secret.created),
        "updated_at": seconds_z(secret.updated),
    })))
}

/// `POST /v3/secrets` `{name, value}`: 201; 409 when the name exists.
pub async fn create(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> NaResult<Response> {
    let obj = body_object(&headers, &body)?
        .ok_or_else(|| NaError::bad_request("'name' and 'value' are required"))?;
    let name = string_field(&obj, "name")?;
    let value = string_field(&obj, "value")?;
    let now = s.clock.now();
    let mut st = s.netactuate();
    if st.secrets.iter().any(|x| x.name == name) {
        return Err(NaError::new(
            StatusCode::CONFLICT,
            format!("A secret named '{name}' already exists"),
        ));
    }
    let secret = Secret {
        id: st.next_secret_id,
        name,
        value,
        created: now,
        updated: now,
    };
    st.next_secret_id += 1;
    let out = summary(&secret);
    st.secrets.push(secret);
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// `PUT /v3/secrets/{id}` `{value}`
pub async fn update(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> NaResult<Json<Value>> {
    let id = secret_id(&id)?;
    let obj =
        body_object(&headers, &body)?.ok_or_else(|| NaError::bad_request("'value' is required"))?;
    let value = string_field(&obj, "value")?;
    let now = s.clock.now();
    let mut st = s.netactuate();
    let secret = st
        .secrets
        .iter_mut()
        .find(|x| x.id == id)
        .ok_or_else(|| not_found(id))?;
    secret.value = value;
    secret.updated = now;
    Ok(Json(
        json!({ "id": secret.id, "name": secret.name, "updated_at": seconds_z(secret.updated) }),
    ))
}

/// `DELETE /v3/secrets/{id}`
pub async fn delete(
    AxState(s): AxState<Arc<Shared>>,
    Path(id): Path<String>,
) -> NaResult<Json<Value>> {
    let id = secret_id(&id)?;
    let mut st = s.netactuate();
    let before = st.secrets.len();
    st.secrets.retain(|x| x.id != id);
    if st.secrets.len() == before {
        return Err(not_found(id));
    }
    Ok(Json(json!({ "message": "Secret deleted successfully" })))
}
