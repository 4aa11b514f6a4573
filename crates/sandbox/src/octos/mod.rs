//! Octos Cloud (`octos-cloud-api-setup.txt`), served under `/octos`: login, enabling the API
//! (multipart `token_name`, `expires_at`), retrieving and disabling the token, VMs, the profile
//! and the quick reference's resource families (read-only). Every answer
//! is wrapped in `{"status": "Success" | "Error", "message": ..., "data": ...}`.

mod api_access;
mod auth;
mod envelope;
mod resources;
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
    let mut router = Router::new();
    for path in resources::PATHS {
        router = router.route(
            &format!("/backend/api{path}"),
            get(
                move |axum::extract::State(s): axum::extract::State<Arc<Shared>>,
                      headers: axum::http::HeaderMap| {
                    resources::list(s, headers, path)
                },
            ),
        );
    }
    router
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
        .route("/backend/api/profile", get(resources::profile))
        .fallback(|| async { envelope::error(StatusCode::NOT_FOUND, "Not found") })
        .method_not_allowed_fallback(|| async {
            envelope::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed")
        })
}
