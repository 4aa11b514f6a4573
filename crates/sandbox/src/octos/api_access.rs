//! Enabling the API (multipart `token_name`, `expires_at`; session token), retrieving the API token
//! and disabling it.

use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};
use time::macros::format_description;
use time::{Date, OffsetDateTime, Time};

use super::auth::{caller, Caller};
use super::envelope::{action_done, error, success, unauthenticated};
use super::state::ApiToken;
use crate::Shared;

/// `POST /backend/api/profile/api/enable` (session token; multipart `token_name`, `expires_at`).
/// The new API token is in this answer; enabling again replaces the old token.
pub async fn enable(
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
pub fn expiry_text(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[month]-[day]-[year] [hour repr:12]:[minute] [period]"
    ))
    .expect("formattable")
}

/// `GET /backend/api/profile/api/access-token`
pub async fn access_token(AxState(s): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
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

/// `DELETE /backend/api/profile/api/disable`: the API token stops working. Live, an action's
/// answer is assumed to carry no `data` at all (no public client shows one, issue 27).
pub async fn disable(AxState(s): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    let now = s.clock.now();
    let mut st = s.octos();
    if caller(&st, &headers, now).is_none() {
        return unauthenticated();
    }
    if st.api.take().is_none() {
        return error(StatusCode::BAD_REQUEST, "API access is already disabled.");
    }
    if s.config.shapes.live() {
        return action_done("API disabled successfully");
    }
    success("API disabled successfully", Value::Null)
}
