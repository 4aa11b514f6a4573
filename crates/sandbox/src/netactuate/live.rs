//! NetActuate's answers as its public SDKs read them from the live API (`--shapes live`,
//! issue 27), made from the same handlers' document-shaped answers:
//! - `/api/v3/servers`: the v3 envelope `{code, message, data}`, the list paged inside `data` as
//!   `{data, meta: {limit, offset, total}}` (`?limit`, default 25, and `?offset`);
//! - `/api/secrets/...`: the v2 envelope `{result, message, code, data}`; the lists of secret lists
//!   as a bare array, the lists of values paged like the servers;
//! - errors in the same envelopes with `data: null`, validation errors' `errors` as `fields`.
//!
//! The flat secrets (`/v3/secrets`) keep the document's shapes, which show every answer.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::Shared;

/// How a path's answers are wrapped live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Envelope {
    /// `{code, message, data}`
    V3,
    /// `{result, message, code, data}`
    V2,
}

/// How a successful answer's list is given inside `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListShape {
    Bare,
    Paged { limit: usize, offset: usize },
}

fn envelope_of(path: &str) -> Option<Envelope> {
    if path.starts_with("/api/v3/") {
        Some(Envelope::V3)
    } else if path.starts_with("/api/secrets") {
        Some(Envelope::V2)
    } else {
        None
    }
}

fn list_shape(path: &str, query: Option<&str>) -> ListShape {
    let paged =
        path == "/api/v3/servers" || path == "/api/secrets/all-values" || path.ends_with("/values");
    if !paged {
        return ListShape::Bare;
    }
    let pairs: Vec<(String, String)> = query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let number = |name: &str, default: usize| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(default)
    };
    ListShape::Paged {
        limit: number("limit", 25).max(1),
        offset: number("offset", 0),
    }
}

/// Re-wraps the answer of a NetActuate request in the live envelopes; the identity under the
/// documents' shapes.
pub async fn shape(State(shared): State<Arc<Shared>>, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let envelope = envelope_of(&path).filter(|_| shared.config.shapes.live());
    let res = next.run(req).await;
    let Some(envelope) = envelope else {
        return res;
    };
    let status = res.status();
    let Ok(bytes) = axum::body::to_bytes(res.into_body(), usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let wrapped = wrap(
        envelope,
        status,
        answer,
        list_shape(&path, query.as_deref()),
    );
    let mut out = (status, Json(wrapped)).into_response();
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    out
}

fn wrap(envelope: Envelope, status: StatusCode, mut answer: Value, list: ListShape) -> Value {
    let ok = status.is_success();
    let message = answer["message"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| if ok { "OK" } else { "Error" }.to_string());
    let data = if ok {
        match (answer["data"].take(), list) {
            (Value::Array(items), ListShape::Paged { limit, offset }) => {
                let total = items.len();
                let page: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
                json!({ "data": page, "meta": { "limit": limit, "offset": offset, "total": total } })
            }
            (data, _) => data,
        }
    } else {
        Value::Null
    };
    let mut out = match envelope {
        Envelope::V3 => json!({ "code": status.as_u16(), "message": message, "data": data }),
        Envelope::V2 => json!({
            "result": if ok { "success" } else { "error" },
            "message": message,
            "code": status.as_u16(),
            "data": data,
        }),
    };
    if let Some(fields) = answer.get_mut("errors").map(Value::take) {
        out["fields"] = fields;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validation_error_names_its_fields() {
        let answer = json!({"message": "The secret key has already been taken.", "errors": {"secret_key": ["The secret key has already been taken."]}});
        let out = wrap(
            Envelope::V2,
            StatusCode::UNPROCESSABLE_ENTITY,
            answer,
            ListShape::Bare,
        );
        assert_eq!(out["result"], "error");
        assert_eq!(out["code"], 422);
        assert_eq!(out["data"], Value::Null);
        assert_eq!(
            out["fields"]["secret_key"][0],
            "The secret key has already been taken."
        );
    }

    #[test]
    fn a_paged_list_says_what_page_it_is() {
        let answer = json!({"data": [1, 2, 3]});
        let out = wrap(
            Envelope::V3,
            StatusCode::OK,
            answer,
            ListShape::Paged {
                limit: 2,
                offset: 1,
            },
        );
        assert_eq!(
            out,
            json!({"code": 200, "message": "OK", "data": {"data": [2, 3], "meta": {"limit": 2, "offset": 1, "total": 3}}})
        );
    }
}
