//! Who may call: the API token (`Authorization: Bearer`, or the SDKs' `?key=`), then the account's
//! mandatory IP ACL.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::NaError;
use crate::client_addr::{canonical, client_ip};
use crate::Shared;

/// The one API token the sandbox's NetActuate account accepts.
pub const TOKEN: &str = "demo-netactuate";

fn token_of(req: &Request<Body>) -> Option<String> {
    if let Some(value) = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
    {
        return value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(|t| t.trim().to_string());
    }
    let query = req.uri().query()?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    pairs.into_iter().find(|(k, _)| k == "key").map(|(_, v)| v)
}

/// Token first (it says which account), then that account's IP ACL.
pub async fn guard(State(shared): State<Arc<Shared>>, req: Request<Body>, next: Next) -> Response {
    match token_of(&req) {
        None => {
            return NaError::new(StatusCode::UNAUTHORIZED, "Unauthenticated: missing API key")
                .into_response()
        }
        Some(t) if t != TOKEN => {
            return NaError::new(StatusCode::UNAUTHORIZED, "Unauthenticated: invalid API key")
                .into_response()
        }
        Some(_) => {}
    }
    let ip = canonical(client_ip(req.extensions()));
    let allowed = shared
        .netactuate_allowed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .any(|net| net.contains(&ip));
    if !allowed {
        return NaError::new(
            StatusCode::FORBIDDEN,
            format!(
                "Access denied: source address {ip} is not on this account's API IP ACL. Add it under Account → API → IP ACL."
            ),
        )
        .into_response();
    }
    next.run(req).await
}
