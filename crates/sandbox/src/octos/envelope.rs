//! The `{"status": "Success" | "Error", "message": ..., "data": ...}` envelope of every answer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

pub fn success(message: &str, data: Value) -> Response {
    Json(json!({ "status": "Success", "message": message, "data": data })).into_response()
}

/// An action's answer with no `data` key (the live reading, `--shapes live`).
pub fn action_done(message: &str) -> Response {
    Json(json!({ "status": "Success", "message": message })).into_response()
}

pub fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({ "status": "Error", "message": message, "data": null })),
    )
        .into_response()
}

pub fn unauthenticated() -> Response {
    error(StatusCode::UNAUTHORIZED, "Unauthenticated.")
}
