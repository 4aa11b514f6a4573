//! Voltage Park's two auth headers: `Authorization: Bearer` on most endpoints, `x-api-token` on
//! `/organization/ssh-keys` and `/storage/...`, exactly as the document shows each one.

use axum::http::HeaderMap;

use super::fastapi::{VpError, VpResult};

/// The one API key the sandbox's Voltage Park account accepts.
pub const TOKEN: &str = "demo-voltagepark";

/// `Authorization: Bearer demo-voltagepark`.
pub fn bearer(headers: &HeaderMap) -> VpResult<()> {
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return Err(VpError::unauthorized("Not authenticated"));
    };
    let Some((scheme, token)) = value.split_once(' ') else {
        return Err(VpError::unauthorized("Not authenticated"));
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(VpError::unauthorized("Invalid authentication credentials"));
    }
    if token.trim() != TOKEN {
        return Err(VpError::unauthorized("Invalid API token"));
    }
    Ok(())
}

/// `x-api-token: demo-voltagepark`. A Bearer header alone is not enough on these endpoints.
pub fn api_token(headers: &HeaderMap) -> VpResult<()> {
    match headers.get("x-api-token").and_then(|v| v.to_str().ok()) {
        None => Err(VpError::unauthorized(
            "Not authenticated: this endpoint takes the x-api-token header",
        )),
        Some(token) if token.trim() == TOKEN => Ok(()),
        Some(_) => Err(VpError::unauthorized("Invalid API token")),
    }
}
