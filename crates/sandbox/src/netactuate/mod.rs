//! NetActuate (`netactuate-*.txt`), served under `/netactuate`: servers, secrets v3, secret lists.
//!
//! Every call needs the API token (`Authorization: Bearer`, or the `?key=` parameter the public
//! SDKs use) and must come from a network on the account's IP ACL.

pub mod error;
pub mod secret_lists;
pub mod secrets;
pub mod seed;
pub mod servers;
pub mod state;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::client_addr::{canonical, client_ip};
use crate::Shared;
use error::NaError;

/// The one API token the sandbox's NetActuate account accepts.
pub const TOKEN: &str = "demo-netactuate";

pub fn router(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route("/api/v3/servers", get(servers::list))
        .route("/v3/secrets", get(secrets::list).post(secrets::create))
        .route(
            "/v3/secrets/{id}",
            get(secrets::get)
                .put(secrets::update)
                .delete(secrets::delete),
        )
        .route(
            "/api/secrets/lists",
            get(secret_lists::lists).post(secret_lists::create_list),
        )
        .route(
            "/api/secrets/lists/{secret_list}",
            get(secret_lists::get_list)
                .post(secret_lists::rename_list)
                .delete(secret_lists::delete_list),
        )
        .route(
            "/api/secrets/lists/{secret_list}/values",
            get(secret_lists::values).post(secret_lists::create_value),
        )
        .route(
            "/api/secrets/lists/{secret_list}/values/{secret_list_value}",
            get(secret_lists::get_value)
                .post(secret_lists::update_value)
                .delete(secret_lists::delete_value),
        )
        .route("/api/secrets/all-values", get(secret_lists::all_values))
        .fallback(|| async { NaError::not_found("Not found").into_response() })
        .layer(axum::middleware::from_fn_with_state(shared, guard))
}

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
async fn guard(State(shared): State<Arc<Shared>>, req: Request<Body>, next: Next) -> Response {
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
        .expect("acl lock")
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
