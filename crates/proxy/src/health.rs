//! `GET /healthz` (the process answers) and `GET /readyz` (the configuration is loaded and, when
//! the proxy serves the app, its files are there), for load balancers and Kubernetes probes.
//!
//! They are answered before every other rule: no Host or Origin check (a probe addresses the
//! pod by its IP), no rate limit, no access key, and no access-log line at info (a probe every
//! few seconds would drown the log); at debug they are logged.

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::AppState;

/// The liveness path.
pub const HEALTH_PATH: &str = "/healthz";
/// The readiness path.
pub const READY_PATH: &str = "/readyz";

/// Which probe a path is, if it is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    Health,
    Ready,
}

impl Probe {
    /// The probe at `path` (the path without the base path).
    pub fn at(path: &str) -> Option<Probe> {
        match path {
            HEALTH_PATH => Some(Probe::Health),
            READY_PATH => Some(Probe::Ready),
            _ => None,
        }
    }
}

/// The probe's answer: 200, or 503 naming what is not ready; 405 for a method other than GET
/// or HEAD.
pub fn answer(probe: Probe, method: &Method, state: &AppState) -> Response {
    let response = if method != Method::GET && method != Method::HEAD {
        let mut refused = StatusCode::METHOD_NOT_ALLOWED.into_response();
        refused
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        refused
    } else {
        match probe {
            Probe::Health => Json(serde_json::json!({ "status": "ok" })).into_response(),
            Probe::Ready => readiness(state),
        }
    };
    tracing::debug!(
        target: crate::access_log::TARGET,
        probe = ?probe,
        status = response.status().as_u16(),
        "probe"
    );
    let mut response = response.map(Body::new);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Ready once the configuration is loaded (it is, or the process would not be serving) and,
/// with `--dist`, the app's `index.html` can be read: a volume mounted late or emptied makes
/// the proxy unready rather than answer 404 for the app.
fn readiness(state: &AppState) -> Response {
    let (ready, static_files) = match &state.config.dist {
        None => (true, "not served"),
        Some(dist) if dist.join("index.html").is_file() => (true, "present"),
        Some(_) => (false, "missing: index.html is not in the --dist directory"),
    };
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = serde_json::json!({
        "status": if ready { "ready" } else { "not ready" },
        "configuration": "loaded",
        "static_files": static_files,
    });
    (status, Json(body)).into_response()
}
