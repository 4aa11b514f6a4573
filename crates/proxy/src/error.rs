//! Every way a request can fail in the proxy, mapped to a status and a JSON body in one place.
//!
//! Messages never carry a header value, a query string or a body: they say what happened and,
//! where it helps, which setting to change.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Which upstream timeout fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// No TCP/TLS connection within `--connect-timeout`.
    Connect,
    /// The upstream stayed silent longer than `--read-timeout`.
    Read,
    /// The whole exchange took longer than `--total-timeout`.
    Total,
}

/// A request the proxy answers itself, with an error.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("unknown provider `{0}` (this proxy routes voltagepark, netactuate and octos)")]
    UnknownProvider(String),
    #[error("bad proxy path: {0}")]
    BadPath(&'static str),
    #[error("origin not allowed: this proxy only answers its own origin and those given with --allow-origin")]
    ForeignOrigin,
    #[error("unexpected Host header: this proxy only answers requests addressed to it (DNS rebinding protection)")]
    UnexpectedHost,
    #[error("missing or wrong access key (header x-cloudpane-access-key)")]
    AccessKey,
    #[error("rate limit exceeded; retry in {0} s")]
    RateLimited(u64),
    #[error("too many requests in flight; retry shortly")]
    Busy,
    #[error("request body larger than the limit of {0} bytes")]
    BodyTooLarge(u64),
    #[error("{}", timeout_message(*.0, *.1))]
    Timeout(TimeoutKind, Duration),
    #[error("upstream address refused: it resolves to a loopback, private, link-local or reserved address (see --allow-private-upstreams)")]
    BlockedUpstream,
    #[error("upstream redirected to another host; the proxy does not follow redirects")]
    RedirectElsewhere,
    #[error("could not reach the upstream")]
    Unreachable,
    #[error("the upstream exchange failed")]
    Upstream,
}

fn timeout_message(kind: TimeoutKind, limit: Duration) -> String {
    match kind {
        TimeoutKind::Connect => format!("upstream connect timeout: no connection within {limit:?}"),
        TimeoutKind::Read => {
            format!("upstream read timeout: the upstream sent nothing for {limit:?}")
        }
        TimeoutKind::Total => {
            format!("upstream total timeout: the exchange took longer than {limit:?}")
        }
    }
}

impl ProxyError {
    /// The status code the client gets.
    pub fn status(&self) -> StatusCode {
        match self {
            ProxyError::UnknownProvider(_) => StatusCode::NOT_FOUND,
            ProxyError::BadPath(_) => StatusCode::BAD_REQUEST,
            ProxyError::ForeignOrigin | ProxyError::UnexpectedHost => StatusCode::FORBIDDEN,
            ProxyError::AccessKey => StatusCode::UNAUTHORIZED,
            ProxyError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ProxyError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ProxyError::BodyTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ProxyError::Timeout(..) => StatusCode::GATEWAY_TIMEOUT,
            ProxyError::BlockedUpstream
            | ProxyError::RedirectElsewhere
            | ProxyError::Unreachable
            | ProxyError::Upstream => StatusCode::BAD_GATEWAY,
        }
    }
}

impl IntoResponse for ProxyError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status(),
            Json(serde_json::json!({ "error": self.to_string() })),
        )
            .into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        crate::headers::add_proxied_response_headers(headers);
        match self {
            ProxyError::RateLimited(secs) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            ProxyError::Busy => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}
