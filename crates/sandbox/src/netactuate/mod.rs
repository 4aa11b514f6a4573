//! NetActuate (`netactuate-*.txt`), served under `/netactuate`: servers, secrets v3, secret lists.
//!
//! Every call needs the API token (`Authorization: Bearer`, or the `?key=` parameter the public
//! SDKs use) and must come from a network on the account's IP ACL.

pub mod access;
pub mod error;
pub mod live;
pub mod secret_lists;
pub mod secrets;
pub mod seed;
pub mod servers;
pub mod state;

use std::sync::Arc;

use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::Shared;
pub use access::TOKEN;
use error::NaError;

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
        .method_not_allowed_fallback(|| async {
            NaError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed",
            )
            .into_response()
        })
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            access::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(shared, live::shape))
}
