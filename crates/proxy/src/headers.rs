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

/// The headers every proxied upstream answer gets, built once at start: the three security
/// headers, `Vary: Origin`, and for a request with an `Origin` the exposed headers too. Each
/// answer starts from a copy of one of them and adds the upstream's allowed headers and the
/// allowed origin: copying a finished map hashes no header names, where inserting the six
/// headers one by one into a new map hashed each (see the proxy README's measurements).
#[derive(Clone)]
pub struct ResponseHeaders {
    with_origin: HeaderMap,
    without_origin: HeaderMap,
}

/// Room in each copy for the upstream's allowed headers (`content-type`, `content-length`,
/// `etag`, ...), so that the copy does not grow its index while they are added.
const ROOM_FOR_UPSTREAM_HEADERS: usize = 10;

impl Default for ResponseHeaders {
    fn default() -> Self {
        let mut without_origin = HeaderMap::with_capacity(5 + ROOM_FOR_UPSTREAM_HEADERS);
        add_proxied_response_headers(&mut without_origin);
        without_origin.insert(header::VARY, HeaderValue::from_static("Origin"));
        // The allowed origin comes first, so that each answer can set it in place (below).
        let mut with_origin = HeaderMap::with_capacity(5 + ROOM_FOR_UPSTREAM_HEADERS);
        with_origin.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("null"),
        );
        with_origin.extend(without_origin.clone());
        with_origin.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(CORS_EXPOSED_HEADERS),
        );
        ResponseHeaders {
            with_origin,
            without_origin,
        }
    }
}

impl ResponseHeaders {
    /// The headers an answer to a request from the allowed `origin` starts with: the security
    /// headers and the CORS headers of [`crate::origin::add_cors_headers`]. The upstream's
    /// allowed headers are added to them by [`add_upstream_headers`] (`Location` is handled by
    /// the redirect rule).
    pub fn for_answer(&self, origin: Option<HeaderValue>) -> HeaderMap {
        match origin {
            Some(origin) => {
                let mut headers = self.with_origin.clone();
                // The first entry is the origin's (see `default`): set in place, where an
                // insert would hash the name and grow the copy.
                match headers.iter_mut().next() {
                    Some((name, value)) if name == header::ACCESS_CONTROL_ALLOW_ORIGIN => {
                        *value = origin;
                    }
                    _ => {
                        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                    }
                }
                headers
            }
            None => self.without_origin.clone(),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer's headers for an upstream answer with `upstream`'s headers.
    fn answer(upstream: &HeaderMap, origin: Option<HeaderValue>) -> HeaderMap {
        let mut out = ResponseHeaders::default().for_answer(origin);
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
}
