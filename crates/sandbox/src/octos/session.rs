//! `POST /backend/api/login`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::envelope::{error, success};
use crate::Shared;

/// `POST /backend/api/login` `{email, password}` (JSON or form): a session token.
pub async fn login(AxState(s): AxState<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
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
