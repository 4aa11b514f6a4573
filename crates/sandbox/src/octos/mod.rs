//! Octos Cloud (`octos-cloud-api-setup.txt`), served under `/octos`: login, enabling the API
//! (multipart `token_name`, `expires_at`), retrieving and disabling the token, and VMs. Every answer
//! is wrapped in `{"status": "Success" | "Error", "message": ..., "data": ...}`.

pub mod seed;
pub mod state;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

use crate::format::seconds_z;
use crate::Shared;
use state::{ApiToken, State};

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/backend/api/login", post(login))
        .route("/backend/api/profile/api/enable", post(enable))
        .route("/backend/api/profile/api/access-token", get(access_token))
        .route("/backend/api/profile/api/disable", delete(disable))
        .route("/backend/api/virtual-machines", get(virtual_machines))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "Not found") })
}

fn success(message: &str, data: Value) -> Response {
    Json(json!({ "status": "Success", "message": message, "data": data })).into_response()
}

fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({ "status": "Error", "message": message, "data": null })),
    )
        .into_response()
}

fn unauthenticated() -> Response {
    error(StatusCode::UNAUTHORIZED, "Unauthenticated.")
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Who a bearer token is.
#[derive(Debug, PartialEq)]
enum Caller {
    Session,
    ApiToken,
}

fn caller(st: &State, headers: &HeaderMap, now: OffsetDateTime) -> Option<Caller> {
    let token = bearer(headers)?;
    if st.sessions.contains(&token) {
        return Some(Caller::Session);
    }
    match &st.api {
        Some(api) if api.token == token && api.expires.is_none_or(|e| now < e) => {
            Some(Caller::ApiToken)
        }
        _ => None,
    }
}

/// `POST /backend/api/login` `{email, password}` (JSON or form): a session token.
async fn login(AxState(s): AxState<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let is_form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    let fields: serde_json::Map<String, Value> = if is_form {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect()
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(m)) => m,
            _ => {
                return error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "The email field is required.",
                )
            }
        }
    };
    let get = |k: &str| {
        fields
            .get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    };
    let Some(email) = get("email") else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The email field is required.",
        );
    };
    let Some(password) = get("password") else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The password field is required.",
        );
    };
    let mut st = s.octos();
    if !email.eq_ignore_ascii_case(&st.email) || password != st.password {
        return error(StatusCode::UNAUTHORIZED, "Invalid email or password.");
    }
    let token = format!("{}|{}", st.sessions.len() + 1, st.rng.alphanumeric(40));
    st.sessions.push(token.clone());
    success(
        "Login successful",
        json!({
            "token": token,
            "token_type": "Bearer",
            "user": { "name": st.user_name, "email": st.email },
        }),
    )
}

/// `POST /backend/api/profile/api/enable` (session token; multipart `token_name`, `expires_at`).
/// The new API token is in this answer; enabling again replaces the old token.
async fn enable(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let now = s.clock.now();
    {
        let st = s.octos();
        match caller(&st, &headers, now) {
            Some(Caller::Session) => {}
            Some(Caller::ApiToken) => {
                return error(
                    StatusCode::FORBIDDEN,
                    "Enabling the API needs a session token from /login.",
                )
            }
            None => return unauthenticated(),
        }
    }
    let Ok(mut form) = form else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The token name field is required. (send multipart/form-data fields token_name and expires_at)",
        );
    };
    let mut token_name = None;
    let mut expires_at = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_string();
                let Ok(text) = field.text().await else {
                    return error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "Malformed multipart body.",
                    );
                };
                match name.as_str() {
                    "token_name" => token_name = Some(text),
                    "expires_at" => expires_at = Some(text),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => {
                return error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Malformed multipart body.",
                )
            }
        }
    }
    let Some(token_name) = token_name.filter(|n| !n.trim().is_empty()) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The token name field is required.",
        );
    };
    let expires = match expires_at
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => None,
        Some(raw) => match Date::parse(raw, format_description!("[year]-[month]-[day]")) {
            Ok(d) if d > now.date() => Some(
                d.with_time(Time::from_hms(23, 59, 0).expect("time"))
                    .assume_utc(),
            ),
            Ok(_) => {
                return error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "The expires at field must be a date after today.",
                )
            }
            Err(_) => {
                return error(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "The expires at field must match the format Y-m-d.",
                )
            }
        },
    };
    let mut st = s.octos();
    let token = format!("{}|{}", st.rng.uuid(), st.rng.alphanumeric(40));
    st.api = Some(ApiToken {
        name: token_name,
        token: token.clone(),
        expires,
    });
    success(
        "API enabled successfully",
        json!({ "message": "API enabled successfully", "token": token }),
    )
}

/// `MM-DD-YYYY hh:mm AM`, as the document's example shows.
fn expiry_text(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[month]-[day]-[year] [hour repr:12]:[minute] [period]"
    ))
    .expect("formattable")
}

/// `GET /backend/api/profile/api/access-token`
async fn access_token(AxState(s): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    let now = s.clock.now();
    let st = s.octos();
    if caller(&st, &headers, now).is_none() {
        return unauthenticated();
    }
    match &st.api {
        None => error(StatusCode::NOT_FOUND, "API access is not enabled."),
        Some(api) => success(
            "Ok",
            json!({ "token": api.token, "expires_at": api.expires.map(expiry_text) }),
        ),
    }
}

/// `DELETE /backend/api/profile/api/disable`: the API token stops working.
async fn disable(AxState(s): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    let now = s.clock.now();
    let mut st = s.octos();
    if caller(&st, &headers, now).is_none() {
        return unauthenticated();
    }
    if st.api.take().is_none() {
        return error(StatusCode::BAD_REQUEST, "API access is already disabled.");
    }
    success("API disabled successfully", Value::Null)
}

/// `GET /backend/api/virtual-machines` (API token).
async fn virtual_machines(AxState(s): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    let now = s.clock.now();
    let st = s.octos();
    if caller(&st, &headers, now) != Some(Caller::ApiToken) {
        return unauthenticated();
    }
    let data: Vec<Value> = st
        .vms
        .iter()
        .map(|vm| {
            json!({
                "id": vm.id,
                "name": vm.name,
                "status": vm.status,
                "ip": vm.ip,
                "project": vm.project,
                "vcpus": vm.vcpus,
                "memory_gb": vm.memory_gb,
                "disk_gb": vm.disk_gb,
                "os": vm.os,
                "created_at": seconds_z(vm.created),
            })
        })
        .collect();
    success("Ok", Value::Array(data))
}
