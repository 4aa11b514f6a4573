//! Voltage Park's two auth headers: `Authorization: Bearer` on most endpoints, `x-api-token` on
//! `/organization/ssh-keys` and `/storage/...` as the document shows them, where a Bearer header
//! alone works too (every public client sends only Bearer there, issue 27). Each
//! accepted token names its organization: the demo one, or a second one ("research") with its
//! own machines, keys and balance.

use axum::http::HeaderMap;

use super::fastapi::{VpError, VpResult};

/// The API key of the sandbox's demo organization.
pub const TOKEN: &str = "demo-voltagepark";
/// The API key of the sandbox's second organization.
pub const RESEARCH_TOKEN: &str = "demo-voltagepark-research";

/// Which organization a request acts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Org {
    Demo,
    Research,
}

impl Org {
    fn from_token(token: &str) -> Option<Org> {
        match token.trim() {
            TOKEN => Some(Org::Demo),
            RESEARCH_TOKEN => Some(Org::Research),
            _ => None,
        }
    }
}

/// `Authorization: Bearer <token>`.
pub fn bearer(headers: &HeaderMap) -> VpResult<Org> {
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Err(VpError::unauthorized("Not authenticated"));
    };
    let Some((scheme, token)) = value.split_once(' ') else {
        return Err(VpError::unauthorized("Not authenticated"));
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(VpError::unauthorized("Invalid authentication credentials"));
    }
    Org::from_token(token).ok_or_else(|| VpError::unauthorized("Invalid API token"))
}

/// `x-api-token: <token>` (the document), or else `Authorization: Bearer <token>` (every public
/// client). When both are sent the `x-api-token` decides.
pub fn api_token(headers: &HeaderMap) -> VpResult<Org> {
    match headers.get("x-api-token").and_then(|v| v.to_str().ok()) {
        None if headers.contains_key("authorization") => bearer(headers),
        None => Err(VpError::unauthorized("Not authenticated")),
        Some(token) => {
            Org::from_token(token).ok_or_else(|| VpError::unauthorized("Invalid API token"))
        }
    }
}
