//! Octos Cloud (`octos-cloud-api-setup.txt`), served under `/octos`: login, enabling the API
//! (multipart `token_name`, `expires_at`), retrieving and disabling the token, and VMs. Every answer
//! is wrapped in `{"status": "Success" | "Error", "message": ..., "data": ...}`.

mod api_access;
mod auth;
mod envelope;
pub mod seed;
mod session;
pub mod state;
mod vms;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;

use crate::Shared;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/backend/api/login", post(session::login))
        .route("/backend/api/profile/api/enable", post(api_access::enable))
        .route(
            "/backend/api/profile/api/access-token",
            get(api_access::access_token),
        )
        .route(
            "/backend/api/profile/api/disable",
            delete(api_access::disable),
        )
        .route("/backend/api/virtual-machines", get(vms::virtual_machines))
        .fallback(|| async { envelope::error(StatusCode::NOT_FOUND, "Not found") })
        .method_not_allowed_fallback(|| async {
            envelope::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
        })
}
