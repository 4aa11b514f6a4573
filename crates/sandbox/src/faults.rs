//! Fault injection: added latency, a random error rate, chosen endpoints failing with a chosen
//! status, and chosen endpoints whose connection is dropped before or after the request is
//! processed, so the console's error handling can be exercised against the sandbox.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::connection::Connection;
use crate::{is_provider_path, Shared};

/// Which faults are active. Serialised as the admin endpoint's body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Added to every provider request, in milliseconds.
    pub latency_ms: u64,
    /// Probability in `[0, 1]` that a provider request fails with `error_status`.
    pub error_rate: f64,
    /// Status for random failures (default 503).
    pub error_status: Option<u16>,
    /// Requests that always fail.
    pub fail: Vec<FailRule>,
    /// Requests whose connection is always dropped, with no answer.
    pub drop: Vec<DropRule>,
}

/// `METHOD PATH=STATUS`: requests whose method matches (or any, when absent) and whose full path
/// (with the provider prefix) equals `path`, or starts with it when it ends in `*`, get `status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailRule {
    #[serde(default)]
    pub method: Option<String>,
    pub path: String,
    pub status: u16,
    /// For a Voltage Park 422: the body field the refusal names (`name`,
    /// `cloud_init.runcmd.0`), answered in FastAPI's shape (`detail[].loc`) so a form can mark
    /// that field. Set through the admin API's JSON only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl FailRule {
    /// Parses `"GET /voltagepark/api/v1/locations=503"` or `"/octos/*=500"`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (lhs, status) = spec
            .rsplit_once('=')
            .ok_or("expected [METHOD] PATH=STATUS")?;
        let status: u16 = status
            .trim()
            .parse()
            .map_err(|_| format!("bad status in {spec:?}"))?;
        if !(100..=599).contains(&status) {
            return Err(format!("status out of range in {spec:?}"));
        }
        let (method, path) = parse_target(lhs, spec)?;
        Ok(Self {
            method,
            path,
            status,
            field: None,
        })
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        target_matches(self.method.as_deref(), &self.path, method, path)
    }
}

/// When a dropped connection is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DropWhen {
    /// The request is not processed: nothing changes.
    Before,
    /// The request is processed (a deploy happens), then the answer is lost.
    After,
}

impl DropWhen {
    pub fn as_str(self) -> &'static str {
        match self {
            DropWhen::Before => "before",
            DropWhen::After => "after",
        }
    }
}

/// `METHOD PATH=before|after`: requests matched as for [`FailRule`] get no HTTP answer at all;
/// their connection is closed before or after the request is processed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DropRule {
    #[serde(default)]
    pub method: Option<String>,
    pub path: String,
    pub when: DropWhen,
}

impl DropRule {
    /// Parses `"POST /voltagepark/api/v1/virtual-machines/instant=after"` or `"/octos/*=before"`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (lhs, when) = spec
            .rsplit_once('=')
            .ok_or("expected [METHOD] PATH=before|after")?;
        let when = match when.trim() {
            "before" => DropWhen::Before,
            "after" => DropWhen::After,
            other => {
                return Err(format!(
                    "expected before or after, not {other:?}, in {spec:?}"
                ))
            }
        };
        let (method, path) = parse_target(lhs, spec)?;
        Ok(Self { method, path, when })
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        target_matches(self.method.as_deref(), &self.path, method, path)
    }
}

/// `[METHOD] PATH` of a rule.
fn parse_target(lhs: &str, spec: &str) -> Result<(Option<String>, String), String> {
    let lhs = lhs.trim();
    let (method, path) = match lhs.split_once(' ') {
        Some((m, p)) => (Some(m.trim().to_ascii_uppercase()), p.trim().to_string()),
        None => (None, lhs.to_string()),
    };
    if !path.starts_with('/') {
        return Err(format!("path must start with / in {spec:?}"));
    }
    Ok((method, path))
}

/// Whether a rule for `want_method` (any when `None`) and `want_path` (a prefix when it ends in
/// `*`) covers a request; trailing slashes do not count.
fn target_matches(want_method: Option<&str>, want_path: &str, method: &str, path: &str) -> bool {
    if want_method.is_some_and(|m| !m.eq_ignore_ascii_case(method)) {
        return false;
    }
    let want = want_path.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    match want.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => path == want,
    }
}

/// The error body each provider would send.
fn provider_error(path: &str, status: StatusCode) -> Response {
    let msg = format!(
        "sandbox fault injection: {}",
        status.canonical_reason().unwrap_or("error")
    );
    let body = if path.starts_with("/octos") {
        json!({ "status": "Error", "message": msg, "data": null })
    } else if path.starts_with("/netactuate") {
        json!({ "message": msg })
    } else {
        json!({ "detail": msg })
    };
    (status, Json(body)).into_response()
}

/// A FastAPI 422 naming one body field, as Voltage Park answers a field it refuses.
fn field_refused(field: &str) -> Response {
    let mut loc = vec![json!("body")];
    loc.extend(field.split('.').map(|part| match part.parse::<u64>() {
        Ok(i) => json!(i),
        Err(_) => json!(part),
    }));
    let body = json!({ "detail": [{
        "loc": loc,
        "msg": "sandbox fault injection: this value was refused",
        "type": "value_error",
    }] });
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// Marks a response that must never reach the client: its connection has been cut. The request
/// log reads it to record the request as dropped.
#[derive(Debug, Clone, Copy)]
pub struct Dropped(pub DropWhen);

/// Cuts the request's connection. A router driven in-process has no connection to cut; it gets
/// a 500 saying so rather than a silent answer.
fn cut(connection: Option<Connection>, when: DropWhen, path: &str) -> Response {
    match connection {
        Some(connection) => {
            connection.cut();
            let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
            response.extensions_mut().insert(Dropped(when));
            response
        }
        None => provider_error(path, StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// Middleware in front of every request; only provider paths get faults (not `/` or `/_sandbox`).
/// Order: latency, then a drop `before` (nothing processed), then a fail rule or the error rate,
/// then the request itself, then a drop `after`.
pub async fn inject(State(shared): State<Arc<Shared>>, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if !is_provider_path(&path) {
        return next.run(req).await;
    }
    let faults = shared
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    let method = req.method().as_str().to_string();
    let drop = faults
        .drop
        .iter()
        .find(|r| r.matches(&method, &path))
        .map(|r| r.when);
    let connection = req
        .extensions()
        .get::<ConnectInfo<Connection>>()
        .map(|c| c.0.clone());
    if drop == Some(DropWhen::Before) {
        return cut(connection, DropWhen::Before, &path);
    }
    let response = fail_or_run(&shared, &faults, &method, &path, req, next).await;
    if drop == Some(DropWhen::After) {
        return cut(connection, DropWhen::After, &path);
    }
    response
}

/// A fail rule's status, a random error, or the request's own answer.
async fn fail_or_run(
    shared: &Shared,
    faults: &Faults,
    method: &str,
    path: &str,
    req: Request<Body>,
    next: Next,
) -> Response {
    if let Some(rule) = faults.fail.iter().find(|r| r.matches(method, path)) {
        let status = StatusCode::from_u16(rule.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let (Some(field), StatusCode::UNPROCESSABLE_ENTITY) = (&rule.field, status) {
            return field_refused(field);
        }
        return provider_error(path, status);
    }
    if faults.error_rate > 0.0 {
        let roll = shared
            .fault_rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .unit();
        if roll < faults.error_rate {
            let status = faults
                .error_status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            return provider_error(path, status);
        }
    }
    next.run(req).await
}
