//! Bearer tokens: a session token from `/login`, or the account's API token.

use axum::http::HeaderMap;
use time::OffsetDateTime;

use super::state::State;

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Who a bearer token is.
#[derive(Debug, PartialEq)]
pub enum Caller {
    Session,
    ApiToken,
}

pub fn caller(st: &State, headers: &HeaderMap, now: OffsetDateTime) -> Option<Caller> {
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
