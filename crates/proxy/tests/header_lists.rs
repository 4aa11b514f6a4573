//! The header allowlists and the headers added to proxied answers, on header maps.

use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use cloudpane_proxy::headers::{
    add_upstream_headers, proxied_answer_headers, sent_upstream, CORS_EXPOSED_HEADERS,
};

/// The answer's headers for an upstream answer with `upstream`'s headers.
fn answer(upstream: &HeaderMap, origin: Option<HeaderValue>) -> HeaderMap {
    let mut out = proxied_answer_headers(origin);
    add_upstream_headers(&mut out, upstream);
    out
}

#[test]
fn request_allowlist_drops_everything_else() {
    let mut h = HeaderMap::new();
    for (k, v) in [
        ("authorization", "Bearer t"),
        ("x-api-token", "t"),
        ("cookie", "a=b"),
        ("origin", "http://x"),
        ("referer", "http://x/"),
        ("x-forwarded-for", "1.2.3.4"),
        ("forwarded", "for=1.2.3.4"),
        ("connection", "keep-alive"),
        ("x-cloudpane-access-key", "k"),
        ("host", "evil.example"),
    ] {
        h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
    }
    let names: Vec<_> = h
        .keys()
        .filter(|k| sent_upstream(k))
        .map(|k| k.as_str())
        .collect();
    assert_eq!(names, ["authorization", "x-api-token"]);
}

#[test]
fn headers_named_in_connection_are_dropped() {
    let mut upstream = HeaderMap::new();
    upstream.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    upstream.insert(header::ETAG, HeaderValue::from_static("\"a\""));
    upstream.insert("x-request-id", HeaderValue::from_static("r1"));
    upstream.insert(
        header::CONNECTION,
        HeaderValue::from_static("keep-alive, ETag"),
    );
    let out = answer(&upstream, None);
    assert_eq!(out["content-type"], "text/plain");
    assert_eq!(out["x-request-id"], "r1");
    assert!(out.get("etag").is_none());
    assert!(out.get("connection").is_none());
}

#[test]
fn response_allowlist_drops_cookies_and_cors() {
    let mut h = HeaderMap::new();
    for (k, v) in [
        ("content-type", "application/json"),
        ("set-cookie", "s=1"),
        ("access-control-allow-origin", "*"),
        ("access-control-allow-credentials", "true"),
        ("transfer-encoding", "chunked"),
        ("www-authenticate", "Basic"),
    ] {
        h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
    }
    let out = answer(&h, None);
    assert!(out.get("set-cookie").is_none());
    assert!(out.get("access-control-allow-origin").is_none());
    assert!(out.get("transfer-encoding").is_none());
    assert!(out.get("www-authenticate").is_none());
    assert_eq!(out["x-content-type-options"], "nosniff");
    assert_eq!(
        out["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert_eq!(out["vary"], "Origin");
    assert!(out.get("access-control-allow-origin").is_none());
    assert!(out.get("access-control-expose-headers").is_none());
}

#[test]
fn an_allowed_origin_is_named_once() {
    let mut upstream = HeaderMap::new();
    upstream.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    upstream.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    upstream.insert(header::VARY, HeaderValue::from_static("Cookie"));
    let origin = HeaderValue::from_static("http://127.0.0.1:8080");
    let out = answer(&upstream, Some(origin));
    let allow: Vec<_> = out.get_all("access-control-allow-origin").iter().collect();
    assert_eq!(allow, ["http://127.0.0.1:8080"]);
    let vary: Vec<_> = out.get_all("vary").iter().collect();
    assert_eq!(vary, ["Origin"]);
    assert_eq!(out["access-control-expose-headers"], CORS_EXPOSED_HEADERS);
    assert_eq!(out["content-type"], "text/plain");
    assert_eq!(out.len(), 7);
}
