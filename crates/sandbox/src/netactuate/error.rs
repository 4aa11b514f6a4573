//! NetActuate's error bodies. The documents show none; the sandbox assumes `{"message": "..."}`
//! (and Laravel's `{"message", "errors": {field: [..]}}` for secret-list validation).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

#[derive(Debug)]
pub enum NaError {
    Message(StatusCode, String),
    /// 422 with per-field messages.
    Invalid(String, Value),
}

impl NaError {
    pub fn new(status: StatusCode, msg: impl Into<String>) -> Self {
        Self::Message(status, msg.into())
    }
    pub fn bad_request(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, msg)
    }
    pub fn not_found(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, msg)
    }
    /// Laravel's validation failure for one field.
    pub fn invalid(field: &str, msg: impl Into<String>) -> Self {
        let msg = msg.into();
        Self::Invalid(msg.clone(), json!({ field: [msg] }))
    }
}

impl IntoResponse for NaError {
    fn into_response(self) -> Response {
        match self {
            NaError::Message(status, msg) => {
                (status, Json(json!({ "message": msg }))).into_response()
            }
            NaError::Invalid(msg, errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "message": msg, "errors": errors })),
            )
                .into_response(),
        }
    }
}

pub type NaResult<T> = Result<T, NaError>;

/// Reads an object body; `None` for an empty body. JSON, or form fields when the content type
/// says `application/x-www-form-urlencoded` (Laravel reads both; public SDKs send forms).
pub fn body_object(
    headers: &axum::http::HeaderMap,
    bytes: &[u8],
) -> NaResult<Option<serde_json::Map<String, Value>>> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if form {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
            .map_err(|e| NaError::bad_request(format!("Malformed form body: {e}")))?;
        return Ok(Some(
            pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect(),
        ));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(NaError::bad_request(
            "The request body must be a JSON object",
        )),
        Err(e) => Err(NaError::bad_request(format!("Malformed JSON: {e}"))),
    }
}
