//! NetActuate's answers as its public SDKs read them from the live API (`--shapes live`,
//! issue 27), made from the same handlers' document-shaped answers:
//! - `/api/v3/servers`: the v3 envelope `{code, message, data}`, the list paged inside `data` as
//!   `{data, meta: {limit, offset, total}}` (`?limit`, default 25, and `?offset`);
//! - `/api/secrets/...`: the v2 envelope `{result, message, code, data}`; the list of secret lists
//!   as a Laravel paginator under `paginator` (`?page`, 25 a page unless `?per_page`), the lists
//!   of values paged like the servers;
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
    /// v3's `{data, meta: {limit, offset, total}}`.
    Paged {
        limit: usize,
        offset: usize,
    },
    /// Laravel's paginator, page `page` (from 1) of `per_page` items.
    Numbered {
        page: usize,
        per_page: usize,
    },
}

/// Items a page when the request does not say: small enough that a test (or a busy demo) goes
/// past one page.
const PAGE_SIZE: usize = 25;

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
    let numbered = path == "/api/secrets/lists";
    if !paged && !numbered {
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
    if numbered {
        return ListShape::Numbered {
            page: number("page", 1).max(1),
            per_page: number("per_page", PAGE_SIZE).max(1),
        };
    }
    ListShape::Paged {
        limit: number("limit", PAGE_SIZE).max(1),
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
    let list = list_shape(&path, query.as_deref());
    let wrapped = wrap(envelope, status, answer, list, &path);
    let mut out = (status, Json(wrapped)).into_response();
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    out
}

fn wrap(
    envelope: Envelope,
    status: StatusCode,
    mut answer: Value,
    list: ListShape,
    path: &str,
) -> Value {
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
            (Value::Array(items), ListShape::Numbered { page, per_page }) => {
                json!({ "paginator": paginator(items, page, per_page, path) })
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

/// Page `page` of `items` as Laravel's `LengthAwarePaginator` writes it.
fn paginator(items: Vec<Value>, page: usize, per_page: usize, path: &str) -> Value {
    let total = items.len();
    let last_page = total.div_ceil(per_page).max(1);
    let from = (page - 1) * per_page;
    let data: Vec<Value> = items.into_iter().skip(from).take(per_page).collect();
    let url = |n: usize| format!("{path}?page={n}");
    let (first, last) = (from + 1, from + data.len());
    json!({
        "current_page": page,
        "data": data,
        "first_page_url": url(1),
        "from": if last >= first { json!(first) } else { Value::Null },
        "last_page": last_page,
        "last_page_url": url(last_page),
        "next_page_url": if page < last_page { json!(url(page + 1)) } else { Value::Null },
        "path": path,
        "per_page": per_page,
        "prev_page_url": if page > 1 { json!(url(page - 1)) } else { Value::Null },
        "to": if last >= first { json!(last) } else { Value::Null },
        "total": total,
    })
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
            "/api/secrets/lists/x/values",
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
            "/api/v3/servers",
        );
        assert_eq!(
            out,
            json!({"code": 200, "message": "OK", "data": {"data": [2, 3], "meta": {"limit": 2, "offset": 1, "total": 3}}})
        );
    }

    #[test]
    fn the_list_of_lists_is_a_laravel_paginator() {
        let answer = json!({"data": [1, 2, 3]});
        let out = wrap(
            Envelope::V2,
            StatusCode::OK,
            answer.clone(),
            list_shape("/api/secrets/lists", Some("page=2&per_page=2")),
            "/api/secrets/lists",
        );
        assert_eq!(out["result"], "success");
        assert_eq!(
            out["data"]["paginator"],
            json!({"current_page": 2, "data": [3], "first_page_url": "/api/secrets/lists?page=1",
                "from": 3, "last_page": 2, "last_page_url": "/api/secrets/lists?page=2",
                "next_page_url": null, "path": "/api/secrets/lists", "per_page": 2,
                "prev_page_url": "/api/secrets/lists?page=1", "to": 3, "total": 3})
        );
        // 25 a page unless asked; past the last page, none.
        assert_eq!(
            list_shape("/api/secrets/lists", None),
            ListShape::Numbered {
                page: 1,
                per_page: 25
            }
        );
        let past = wrap(
            Envelope::V2,
            StatusCode::OK,
            answer,
            list_shape("/api/secrets/lists", Some("page=9")),
            "/api/secrets/lists",
        );
        assert_eq!(past["data"]["paginator"]["data"], json!([]));
        assert_eq!(past["data"]["paginator"]["from"], Value::Null);
    }
}
