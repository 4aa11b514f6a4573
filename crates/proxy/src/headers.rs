//! Which headers cross the proxy, each way, and what it adds to proxied responses.
//!
//! Both directions are allowlists: anything not named here (cookies, Origin, Referer,
//! X-Forwarded-*, hop-by-hop headers, the access key, upstream CORS headers, Set-Cookie, ...)
//! is dropped.

use axum::http::{header, HeaderMap, HeaderName, HeaderValue};

/// Request headers the providers need: auth (Voltage Park's `x-api-token` included), content
/// negotiation and conditional requests.
const REQUEST_ALLOWLIST: &[&str] = &[
    "authorization",
    "x-api-token",
    "content-type",
    "content-length",
    "accept",
    "accept-language",
    "accept-encoding",
    "user-agent",
    "if-match",
    "if-none-match",
    "if-modified-since",
    "if-unmodified-since",
];

/// Response headers the app may see. `Content-Length` is not copied: hyper sends the length of
/// the body as it decoded it.
static RESPONSE_ALLOWLIST: [HeaderName; 14] = [
    header::CONTENT_TYPE,
    header::CONTENT_ENCODING,
    header::CONTENT_LANGUAGE,
    header::CONTENT_DISPOSITION,
    header::CACHE_CONTROL,
    header::ETAG,
    header::LAST_MODIFIED,
    header::EXPIRES,
    header::RETRY_AFTER,
    header::LINK,
    HeaderName::from_static("x-request-id"),
    HeaderName::from_static("x-ratelimit-limit"),
    HeaderName::from_static("x-ratelimit-remaining"),
    HeaderName::from_static("x-ratelimit-reset"),
];

/// Headers a browser may send on a cross-origin proxied request (the preflight allows these).
pub const CORS_ALLOWED_REQUEST_HEADERS: &str =
    "authorization, x-api-token, content-type, accept, accept-language, x-cloudpane-access-key";

/// Response headers a cross-origin app may read.
pub const CORS_EXPOSED_HEADERS: &str =
    "content-disposition, etag, link, retry-after, x-request-id, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset";

/// Proxied responses are data, never a document: no sniffing, and if one is opened directly
/// it renders sandboxed with nothing allowed.
const PROXIED_CSP: &str = "default-src 'none'; sandbox";

/// Whether a request header of the browser's is sent upstream.
pub fn sent_upstream(name: &HeaderName) -> bool {
    REQUEST_ALLOWLIST.contains(&name.as_str())
}

/// The headers a proxied answer to a request from the allowed `origin` starts with: the
/// security headers and the CORS headers of [`crate::origin::add_cors_headers`]. The upstream's
/// allowed headers are added by [`add_upstream_headers`] (`Location` by the redirect rule).
pub fn proxied_answer_headers(origin: Option<HeaderValue>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    add_proxied_response_headers(&mut headers);
    crate::origin::add_cors_headers(&mut headers, origin);
    headers
}

/// Adds the headers of the upstream's answer the app may see to `headers`, except those the
/// answer's `Connection` header names (hop-by-hop headers of that connection only).
pub fn add_upstream_headers(headers: &mut HeaderMap, upstream: &HeaderMap) {
    let named_in_connection = |name: &HeaderName| {
        upstream
            .get_all(header::CONNECTION)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|token| token.trim().eq_ignore_ascii_case(name.as_str()))
    };
    for name in &RESPONSE_ALLOWLIST {
        if upstream.contains_key(name) && !named_in_connection(name) {
            for value in upstream.get_all(name) {
                headers.append(name.clone(), value.clone());
            }
        }
    }
}

/// `nosniff`, a sandboxing CSP and no referrer on everything the proxy answers on `/proxy`.
pub fn add_proxied_response_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PROXIED_CSP),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}
