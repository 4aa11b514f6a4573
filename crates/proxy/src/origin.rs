//! Who may call the proxy from a browser.
//!
//! - A request whose `Origin` is neither the proxy's own (loopback) origin nor one given with
//!   `--allow-origin` gets 403 and nothing is sent upstream.
//! - Preflights are answered here and never forwarded, for allowed origins only, naming the one
//!   origin (never `*`) and never allowing credentials.
//! - On a loopback listener the `Host` must be a loopback name (or an allowed origin's host), so
//!   a page that re-binds its own DNS name to 127.0.0.1 cannot use the proxy as same-origin.

use std::net::SocketAddr;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ProxyError;
use crate::headers::{CORS_ALLOWED_REQUEST_HEADERS, CORS_EXPOSED_HEADERS};
use crate::AppState;

const ALLOWED_METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE";

/// The proxy's own origins for the address it is bound to.
pub fn own_origins(bound: SocketAddr) -> Vec<String> {
    let port = bound.port();
    let mut origins = vec![
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
        format!("http://[::1]:{port}"),
    ];
    let ip = bound.ip();
    if !ip.is_loopback() && !ip.is_unspecified() {
        origins.push(format!("http://{bound}"));
    }
    origins
}

/// Layer: the Host check, the Origin check and local preflight answers.
pub async fn origin_policy(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let origin = match check(&request, &state) {
        Checked::Answered(response) => return response,
        Checked::Refused(error) => return error.into_response(),
        Checked::Pass(origin) => origin,
    };
    let mut response = next.run(request).await;
    add_cors_headers(response.headers_mut(), origin);
    response
}

/// What [`check`] decided.
pub enum Checked {
    /// Refused (403): answer this error, forward nothing.
    Refused(ProxyError),
    /// A preflight answered here: send this, forward nothing.
    Answered(Response),
    /// Allowed; the request's `Origin`, if any, to name in the response (see
    /// [`add_cors_headers`]).
    Pass(Option<HeaderValue>),
}

/// The Host check, the Origin check and local preflight answers, for the layers that run them.
pub fn check<B>(request: &axum::http::Request<B>, state: &AppState) -> Checked {
    if state.config.listen.ip().is_loopback() && !host_allowed(request.headers(), state) {
        return Checked::Refused(ProxyError::UnexpectedHost);
    }
    let origin = request.headers().get(header::ORIGIN).cloned();
    let allowed = match &origin {
        None => true,
        Some(value) => value.to_str().is_ok_and(|o| origin_allowed(o, state)),
    };
    if !allowed {
        return Checked::Refused(ProxyError::ForeignOrigin);
    }

    if request.method() == Method::OPTIONS {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        if let Some(origin) = origin {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static(ALLOWED_METHODS),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static(CORS_ALLOWED_REQUEST_HEADERS),
            );
            headers.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static("600"),
            );
        }
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        return Checked::Answered(response);
    }
    Checked::Pass(origin)
}

/// Names the one allowed origin (never `*`, never credentials) and adds `Vary: Origin`.
pub fn add_cors_headers(headers: &mut HeaderMap, origin: Option<HeaderValue>) {
    if let Some(origin) = origin {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(CORS_EXPOSED_HEADERS),
        );
    }
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

fn origin_allowed(origin: &str, state: &AppState) -> bool {
    let origin = origin.trim();
    let mut allowed = state.own_origins.iter().chain(&state.config.allow_origins);
    // Browsers send origins lowercased: an exact match first, then the case-insensitive one.
    allowed.clone().any(|o| o == origin) || allowed.any(|o| equals_lowercased(o, origin))
}

/// `expected == given.to_ascii_lowercase()`, without allocating the lowercased copy.
fn equals_lowercased(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .all(|(e, g)| e == g.to_ascii_lowercase())
}

/// The proxy's own `host:port`s, its own origins without the scheme.
pub fn own_hosts(own_origins: &[String]) -> Vec<String> {
    own_origins
        .iter()
        .map(|o| o.trim_start_matches("http://").to_string())
        .collect()
}

/// The lowercased hosts of `--allow-origin`, for the Host check (worked out once, at start).
pub fn allowed_hosts(allow_origins: &[String]) -> Vec<String> {
    allow_origins
        .iter()
        .filter_map(|o| {
            url::Url::parse(o)
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        })
        .collect()
}

fn host_allowed(headers: &HeaderMap, state: &AppState) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        // HTTP/1.0 clients may omit it; a browser never does.
        return true;
    };
    // The proxy's own `host:port` as a browser on this machine sends it: no parsing needed.
    if state.own_hosts.iter().any(|own| own == host) {
        return true;
    }
    let name = host_name(host);
    let loopback = name.eq_ignore_ascii_case("localhost")
        || name
            .len()
            .checked_sub(".localhost".len())
            .is_some_and(|at| name.as_bytes()[at..].eq_ignore_ascii_case(b".localhost"))
        || name == "[::1]"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    loopback
        || state
            .allowed_hosts
            .iter()
            .any(|h| equals_lowercased(h, name))
}

/// `host[:port]` without the port (IPv6 literals keep their brackets).
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split_inclusive(']').next().unwrap_or(host);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_drop_ports() {
        assert_eq!(host_name("localhost:8080"), "localhost");
        assert_eq!(host_name("[::1]:8080"), "[::1]");
        assert_eq!(host_name("example.com"), "example.com");
    }

    #[test]
    fn origins_compare_case_insensitively_without_copies() {
        assert!(equals_lowercased(
            "http://localhost:80",
            "HTTP://LocalHost:80"
        ));
        assert!(!equals_lowercased(
            "http://localhost:80",
            "http://localhost:8"
        ));
        assert!(!equals_lowercased("http://a", "http://b"));
    }
}
