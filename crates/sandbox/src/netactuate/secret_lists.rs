//! Secret lists and their key/value pairs (`netactuate-secret-lists-api.txt`), under
//! `/api/secrets/...`. Keys are unique across the whole account; updates use POST.
//!
//! `{secretList}` is the list's name (the document says so), or its numeric id.
//! Responses are assumed to be Laravel resources (`{"data": ...}`), and validation failures
//! Laravel's 422 `{"message", "errors"}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::error::{body_object, NaError, NaResult};
use super::state::{ListValue, SecretList, State};
use crate::format::seconds_z;
use crate::Shared;

fn list_json(l: &SecretList, st: &State) -> Value {
    json!({
        "id": l.id,
        "name": l.name,
        "values_count": st.values.iter().filter(|v| v.list_id == l.id).count(),
        "created_at": seconds_z(l.created),
        "updated_at": seconds_z(l.updated),
    })
}

fn value_json(v: &ListValue) -> Value {
    json!({ "id": v.id, "secret_list_id": v.list_id, "secret_key": v.key, "secret_value": v.value })
}

fn find_list(st: &State, key: &str) -> NaResult<u64> {
    st.lists
        .iter()
        .find(|l| l.name == key)
        .or_else(|| {
            key.parse::<u64>()
                .ok()
                .and_then(|id| st.lists.iter().find(|l| l.id == id))
        })
        .map(|l| l.id)
        .ok_or_else(|| NaError::not_found(format!("Secret list '{key}' not found")))
}

fn find_value(st: &State, list_id: u64, raw: &str) -> NaResult<usize> {
    raw.parse::<u64>()
        .ok()
        .and_then(|id| {
            st.values
                .iter()
                .position(|v| v.id == id && v.list_id == list_id)
        })
        .ok_or_else(|| {
            NaError::not_found(format!("Secret list value '{raw}' not found in this list"))
        })
}

/// An optional string field; present but not a string (or empty) is a 422.
fn opt_string(obj: &Map<String, Value>, name: &str) -> NaResult<Option<String>> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(NaError::invalid(
            name,
            format!("The {} field is required.", name.replace('_', " ")),
        )),
        Some(_) => Err(NaError::invalid(
            name,
            format!("The {} field must be a string.", name.replace('_', " ")),
        )),
    }
}

fn required(obj: &Map<String, Value>, name: &str) -> NaResult<String> {
    opt_string(obj, name)?.ok_or_else(|| {
        NaError::invalid(
            name,
            format!("The {} field is required.", name.replace('_', " ")),
        )
    })
}

fn key_taken(st: &State, key: &str, except: Option<u64>) -> bool {
    st.values
        .iter()
        .any(|v| v.key == key && Some(v.id) != except)
}

/// `GET /api/secrets/lists`
pub async fn lists(AxState(s): AxState<Arc<Shared>>) -> Json<Value> {
    let st = s.netactuate();
    Json(json!({ "data": st.lists.iter().map(|l| list_json(l, &st)).collect::<Vec<_>>() }))
}

/// `POST /api/secrets/lists`: an empty list; no payload needed (a `name` is honoured).
pub async fn create_list(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> NaResult<Response> {
    let obj = body_object(&headers, &body)?.unwrap_or_default();
    let wanted = opt_string(&obj, "name")?;
    let now = s.clock.now();
    let mut st = s.netactuate();
    let name = match wanted {
        Some(name) => {
            if st.lists.iter().any(|l| l.name == name) {
                return Err(NaError::invalid("name", "The name has already been taken."));
            }
            name
        }
        None => (st.next_list_id..)
            .map(|n| format!("Secret List {n}"))
            .find(|n| !st.lists.iter().any(|l| &l.name == n))
            .expect("a free name"),
    };
    let list = SecretList {
        id: st.next_list_id,
        name,
        created: now,
        updated: now,
    };
    st.next_list_id += 1;
    let out = list_json(&list, &st);
    st.lists.push(list);
    Ok((StatusCode::CREATED, Json(json!({ "data": out }))).into_response())
}

/// `GET /api/secrets/lists/{secretList}`
pub async fn get_list(
    AxState(s): AxState<Arc<Shared>>,
    Path(list): Path<String>,
) -> NaResult<Json<Value>> {
    let st = s.netactuate();
    let id = find_list(&st, &list)?;
    let l = st.lists.iter().find(|l| l.id == id).expect("found");
    Ok(Json(json!({ "data": list_json(l, &st) })))
}

/// `POST /api/secrets/lists/{secretList}` `{name}`: rename; names are unique in the account.
pub async fn rename_list(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(list): Path<String>,
    body: Bytes,
) -> NaResult<Json<Value>> {
    let obj = body_object(&headers, &body)?.unwrap_or_default();
    let name = required(&obj, "name")?;
    let now = s.clock.now();
    let mut st = s.netactuate();
    let id = find_list(&st, &list)?;
    if st.lists.iter().any(|l| l.name == name && l.id != id) {
        return Err(NaError::invalid("name", "The name has already been taken."));
    }
    let l = st.lists.iter_mut().find(|l| l.id == id).expect("found");
    l.name = name;
    l.updated = now;
    let l = l.clone();
    Ok(Json(json!({ "data": list_json(&l, &st) })))
}

/// `DELETE /api/secrets/lists/{secretList}`: the list and its values.
pub async fn delete_list(
    AxState(s): AxState<Arc<Shared>>,
    Path(list): Path<String>,
) -> NaResult<Json<Value>> {
    let mut st = s.netactuate();
    let id = find_list(&st, &list)?;
    st.lists.retain(|l| l.id != id);
    st.values.retain(|v| v.list_id != id);
    Ok(Json(
        json!({ "message": "Secret list deleted successfully" }),
    ))
}

/// `GET /api/secrets/all-values`
pub async fn all_values(AxState(s): AxState<Arc<Shared>>) -> Json<Value> {
    let st = s.netactuate();
    Json(json!({ "data": st.values.iter().map(value_json).collect::<Vec<_>>() }))
}

/// `GET /api/secrets/lists/{secretList}/values`
pub async fn values(
    AxState(s): AxState<Arc<Shared>>,
    Path(list): Path<String>,
) -> NaResult<Json<Value>> {
    let st = s.netactuate();
    let id = find_list(&st, &list)?;
    let data: Vec<Value> = st
        .values
        .iter()
        .filter(|v| v.list_id == id)
        .map(value_json)
        .collect();
    Ok(Json(json!({ "data": data })))
}

/// `GET /api/secrets/lists/{secretList}/values/{secretListValue}`
pub async fn get_value(
    AxState(s): AxState<Arc<Shared>>,
    Path((list, value)): Path<(String, String)>,
) -> NaResult<Json<Value>> {
    let st = s.netactuate();
    let id = find_list(&st, &list)?;
    let index = find_value(&st, id, &value)?;
    Ok(Json(json!({ "data": value_json(&st.values[index]) })))
}

/// `POST /api/secrets/lists/{secretList}/values` `{secret_key, secret_value}`
pub async fn create_value(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(list): Path<String>,
    body: Bytes,
) -> NaResult<Response> {
    let obj = body_object(&headers, &body)?.unwrap_or_default();
    let key = required(&obj, "secret_key")?;
    let value = required(&obj, "secret_value")?;
    let now = s.clock.now();
    let mut st = s.netactuate();
    let list_id = find_list(&st, &list)?;
    if key_taken(&st, &key, None) {
        return Err(NaError::invalid(
            "secret_key",
            "The secret key has already been taken.",
        ));
    }
    let v = ListValue {
        id: st.next_value_id,
        list_id,
        key,
        value,
    };
    st.next_value_id += 1;
    let out = value_json(&v);
    st.values.push(v);
    if let Some(l) = st.lists.iter_mut().find(|l| l.id == list_id) {
        l.updated = now;
    }
    Ok((StatusCode::CREATED, Json(json!({ "data": out }))).into_response())
}

/// `POST /api/secrets/lists/{secretList}/values/{secretListValue}`: update key and/or value.
pub async fn update_value(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path((list, value)): Path<(String, String)>,
    body: Bytes,
) -> NaResult<Json<Value>> {
    let obj = body_object(&headers, &body)?.unwrap_or_default();
    let key = opt_string(&obj, "secret_key")?;
    let new_value = opt_string(&obj, "secret_value")?;
    if key.is_none() && new_value.is_none() {
        return Err(NaError::invalid(
            "secret_value",
            "The secret value field is required when secret key is not present.",
        ));
    }
    let mut st = s.netactuate();
    let list_id = find_list(&st, &list)?;
    let index = find_value(&st, list_id, &value)?;
    let own_id = st.values[index].id;
    if let Some(key) = &key {
        if key_taken(&st, key, Some(own_id)) {
            return Err(NaError::invalid(
                "secret_key",
                "The secret key has already been taken.",
            ));
        }
    }
    let v = &mut st.values[index];
    if let Some(key) = key {
        v.key = key;
    }
    if let Some(new_value) = new_value {
        v.value = new_value;
    }
    Ok(Json(json!({ "data": value_json(v) })))
}

/// `DELETE /api/secrets/lists/{secretList}/values/{secretListValue}`
pub async fn delete_value(
    AxState(s): AxState<Arc<Shared>>,
    Path((list, value)): Path<(String, String)>,
) -> NaResult<Json<Value>> {
    let mut st = s.netactuate();
    let list_id = find_list(&st, &list)?;
    let index = find_value(&st, list_id, &value)?;
    st.values.remove(index);
    Ok(Json(
        json!({ "message": "Secret list value deleted successfully" }),
    ))
}
