//! `/_sandbox/...`: the loopback-only admin API (clock, faults, NetActuate ACL, request log,
//! reset; the Voltage Park knobs live in `voltagepark::admin`).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ipnet::IpNet;
use serde::Deserialize;
use serde_json::json;

use crate::client_addr::{canonical, client_ip};
use crate::format::millis_z;
use crate::{Faults, Shared};

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/clock", get(clock))
        .route("/clock/advance", post(advance))
        .route(
            "/faults",
            get(get_faults).put(put_faults).delete(clear_faults),
        )
        .route("/netactuate/acl", get(get_acl).put(put_acl))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/reset", post(reset))
        .nest("/voltagepark", crate::voltagepark::admin::router())
        .layer(axum::middleware::from_fn(loopback_only))
}

/// An admin error: `{"message": ...}` with a status.
#[derive(Debug)]
pub struct AdminError(pub StatusCode, pub String);

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "message": self.1 }))).into_response()
    }
}

/// Reads a JSON body; anything unreadable is a 400 naming what is wrong.
pub fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, AdminError> {
    serde_json::from_slice(body)
        .map_err(|e| AdminError(StatusCode::BAD_REQUEST, format!("invalid body: {e}")))
}

async fn loopback_only(req: Request<Body>, next: Next) -> Response {
    if canonical(client_ip(req.extensions())).is_loopback() {
        next.run(req).await
    } else {
        (
            StatusCode::FORBIDDEN,
            Json(json!({ "message": "the sandbox admin API answers loopback clients only" })),
        )
            .into_response()
    }
}

async fn clock(State(s): State<Arc<Shared>>) -> Json<serde_json::Value> {
    Json(json!({ "now": millis_z(s.clock.now()), "running": s.clock.is_running() }))
}

#[derive(Debug, Deserialize)]
struct Advance {
    #[serde(default)]
    seconds: u64,
    #[serde(default)]
    minutes: u64,
    #[serde(default)]
    hours: u64,
    #[serde(default)]
    days: u64,
}

async fn advance(State(s): State<Arc<Shared>>, Json(a): Json<Advance>) -> Json<serde_json::Value> {
    let secs = a.seconds + 60 * a.minutes + 3600 * a.hours + 86_400 * a.days;
    s.clock.advance(Duration::from_secs(secs));
    Json(json!({ "now": millis_z(s.clock.now()), "running": s.clock.is_running() }))
}

/// `GET /_sandbox/requests`: the provider requests received, in arrival order.
async fn requests(State(s): State<Arc<Shared>>) -> Json<serde_json::Value> {
    Json(s.requests().to_json())
}

async fn clear_requests(State(s): State<Arc<Shared>>) -> StatusCode {
    s.requests().clear();
    StatusCode::NO_CONTENT
}

/// `POST /_sandbox/reset`, optionally with `{"empty": true}`: the accounts then hold nothing of
/// their own (no machines, keys, volumes, secrets, ledger), as a new customer's would, while the
/// providers' catalogues (locations, hostnodes, presets) stay. For a console's empty states.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Reset {
    #[serde(default)]
    empty: bool,
}

async fn reset(State(s): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let how: Reset = if body.is_empty() {
        Reset::default()
    } else {
        match parse_body(&body) {
            Ok(how) => how,
            Err(e) => return e.into_response(),
        }
    };
    s.reset();
    if how.empty {
        s.empty_accounts();
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn get_faults(State(s): State<Arc<Shared>>) -> Json<Faults> {
    Json(
        s.faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone(),
    )
}

async fn put_faults(State(s): State<Arc<Shared>>, Json(f): Json<Faults>) -> Response {
    if !(0.0..=1.0).contains(&f.error_rate) {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({ "message": "error_rate must be within 0..1" })),
        )
            .into_response();
    }
    *s.faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = f.clone();
    Json(f).into_response()
}

async fn clear_faults(State(s): State<Arc<Shared>>) -> StatusCode {
    *s.faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Faults::default();
    StatusCode::NO_CONTENT
}

async fn get_acl(State(s): State<Arc<Shared>>) -> Json<serde_json::Value> {
    let nets: Vec<String> = s
        .netactuate_allowed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .map(|n| n.to_string())
        .collect();
    Json(json!({ "allowed": nets }))
}

#[derive(Debug, Deserialize)]
struct Acl {
    allowed: Vec<IpNet>,
}

async fn put_acl(State(s): State<Arc<Shared>>, Json(acl): Json<Acl>) -> Json<serde_json::Value> {
    *s.netactuate_allowed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = acl.allowed.clone();
    Json(json!({ "allowed": acl.allowed.iter().map(|n| n.to_string()).collect::<Vec<_>>() }))
}
