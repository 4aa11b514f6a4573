//! The forwarder: `/proxy/{provider}/{path}?{query}` to `{BASE_URL}/{path}?{query}`, streaming
//! both ways, with the path checked so that nothing in the request can change where it goes.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Response};
use bytes::Bytes;
use cloudpane_api::Provider;
use futures_util::Stream;
use reqwest::Url;
use tokio::time::Instant;

use crate::error::{ProxyError, TimeoutKind};
use crate::{headers, limits, redirect, ssrf, AppState};

/// The proxy routes live under this prefix.
pub const ROUTE_PREFIX: &str = "/proxy";

/// Forwards one request to its provider's configured base URL.
pub async fn forward(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response<Body>, ProxyError> {
    let (provider, rest) = split_route(request.uri().path())?;
    let base = state.config.upstream(provider);
    let target = target_url(base, rest, request.uri().query())?;

    let method = request.method().clone();
    let mut upstream_headers = headers::upstream_request_headers(request.headers());
    let has_body = request.headers().contains_key(header::CONTENT_LENGTH)
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    let too_large = Arc::new(AtomicBool::new(false));

    let mut builder = state.client.request(method.clone(), target.clone());
    if has_body {
        let counted = limits::count_body(
            request.into_body().into_data_stream(),
            state.config.max_request_body,
            too_large.clone(),
        );
        builder = builder.body(reqwest::Body::wrap_stream(counted));
    } else {
        upstream_headers.remove(header::CONTENT_LENGTH);
    }

    let deadline = Instant::now() + state.config.total_timeout;
    let sent = tokio::time::timeout_at(deadline, builder.headers(upstream_headers).send()).await;
    let upstream = match sent {
        Err(_) => {
            return Err(ProxyError::Timeout(
                TimeoutKind::Total,
                state.config.total_timeout,
            ))
        }
        Ok(Err(error)) if too_large.load(Ordering::SeqCst) => {
            drop(error);
            return Err(ProxyError::BodyTooLarge(state.config.max_request_body));
        }
        Ok(Err(error)) => return Err(classify(&error, &state)),
        Ok(Ok(response)) => response,
    };
    if too_large.load(Ordering::SeqCst) {
        return Err(ProxyError::BodyTooLarge(state.config.max_request_body));
    }

    let status = upstream.status();
    let mut response_headers = headers::client_response_headers(upstream.headers());
    if status.is_redirection() {
        if let Some(location) = upstream.headers().get(header::LOCATION) {
            let location = location
                .to_str()
                .map_err(|_| ProxyError::RedirectElsewhere)?;
            let rewritten = redirect::rewrite_location(location, &target, base, provider)?;
            let value =
                HeaderValue::try_from(rewritten).map_err(|_| ProxyError::RedirectElsewhere)?;
            response_headers.insert(header::LOCATION, value);
        }
    }

    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from_stream(with_deadline(upstream.bytes_stream(), deadline))
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = response_headers;
    Ok(response)
}

/// `/proxy/{name}/{rest}` into the provider and the still percent-encoded rest (without its
/// leading slash).
pub fn split_route(path: &str) -> Result<(Provider, &str), ProxyError> {
    let after = path
        .strip_prefix(ROUTE_PREFIX)
        .and_then(|p| p.strip_prefix('/'))
        .ok_or(ProxyError::BadPath("expected /proxy/{provider}/{path}"))?;
    let (name, rest) = after.split_once('/').unwrap_or((after, ""));
    let provider = name
        .parse::<Provider>()
        .map_err(|_| ProxyError::UnknownProvider(name.chars().take(40).collect()))?;
    Ok((provider, rest))
}

/// `{base}/{rest}?{query}`, refusing anything that could leave the base URL: dot segments
/// (plain or percent-encoded), encoded slashes and backslashes, control characters. The
/// result is checked once more against the base's origin and path.
pub fn target_url(base: &Url, rest: &str, query: Option<&str>) -> Result<Url, ProxyError> {
    for segment in rest.split('/') {
        check_segment(segment)?;
    }
    let base_path = base.path().trim_end_matches('/');
    let mut url = base.clone();
    url.set_path(&format!("{base_path}/{rest}"));
    url.set_query(query.filter(|q| !q.is_empty()));
    url.set_fragment(None);

    let inside = url.path() == base_path
        || url
            .path()
            .strip_prefix(base_path)
            .is_some_and(|p| p.starts_with('/'));
    if url.origin() != base.origin() || !inside || !url.username().is_empty() {
        return Err(ProxyError::BadPath(
            "the path would leave the provider's base URL",
        ));
    }
    Ok(url)
}

/// Refuses a path segment that decodes to `.` or `..`, or holds a slash, backslash or control
/// character once percent-decoded. Decodes on the fly: no copy of the segment.
fn check_segment(segment: &str) -> Result<(), ProxyError> {
    let mut dots_only = true;
    let mut decoded_len = 0usize;
    for b in percent_decoded(segment.as_bytes()) {
        decoded_len += 1;
        dots_only &= b == b'.';
        if b == b'/' || b == b'\\' || b < 0x20 || b == 0x7f {
            return Err(ProxyError::BadPath(
                "encoded slashes, backslashes and control characters are not allowed",
            ));
        }
    }
    if dots_only && (decoded_len == 1 || decoded_len == 2) {
        return Err(ProxyError::BadPath("dot segments are not allowed"));
    }
    Ok(())
}

/// The bytes of `bytes` with `%XX` escapes decoded (a `%` not followed by two hex digits, or
/// one in the last two bytes, is kept as is).
fn percent_decoded(bytes: &[u8]) -> impl Iterator<Item = u8> + '_ {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let mut i = 0;
    std::iter::from_fn(move || {
        let b = *bytes.get(i)?;
        if b == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                i += 3;
                return Some(hi << 4 | lo);
            }
        }
        i += 1;
        Some(b)
    })
}

/// Maps a reqwest failure to the error the client sees. The reqwest error itself (whose text
/// holds the URL, query string included) is never shown or logged.
fn classify(error: &reqwest::Error, state: &AppState) -> ProxyError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<ssrf::BlockedAddress>() {
            return ProxyError::BlockedUpstream;
        }
        source = e.source();
    }
    if error.is_timeout() {
        if error.is_connect() {
            ProxyError::Timeout(TimeoutKind::Connect, state.config.connect_timeout)
        } else {
            ProxyError::Timeout(TimeoutKind::Read, state.config.read_timeout)
        }
    } else if error.is_connect() {
        ProxyError::Unreachable
    } else {
        ProxyError::Upstream
    }
}

/// The upstream body, cut off with an error (so the client sees an aborted response, not a
/// short one that looks complete) when the total deadline passes or the upstream fails.
fn with_deadline<S>(body: S, deadline: Instant) -> UntilDeadline<S>
where
    S: Stream<Item = reqwest::Result<Bytes>> + Send + 'static,
{
    UntilDeadline {
        body: Box::pin(body),
        deadline: Box::pin(tokio::time::sleep_until(deadline)),
        done: false,
    }
}

/// See [`with_deadline`]; one timer for the whole body rather than one per chunk.
struct UntilDeadline<S> {
    body: Pin<Box<S>>,
    deadline: Pin<Box<tokio::time::Sleep>>,
    done: bool,
}

impl<S> Stream for UntilDeadline<S>
where
    S: Stream<Item = reqwest::Result<Bytes>>,
{
    type Item = io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            this.done = true;
            tracing::warn!("upstream response body cut off: total timeout");
            return Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "total timeout",
            ))));
        }
        match this.body.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(error))) => {
                this.done = true;
                let kind = if error.is_timeout() {
                    "read timeout"
                } else {
                    "upstream error"
                };
                tracing::warn!("upstream response body cut off: {kind}");
                Poll::Ready(Some(Err(io::Error::other(kind))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://127.0.0.1:9090/vp").unwrap()
    }

    #[test]
    fn builds_targets_under_the_base() {
        let url = target_url(&base(), "api/v1/locations/", Some("limit=3&offset=0")).unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9090/vp/api/v1/locations/?limit=3&offset=0"
        );
        let root = Url::parse("https://api.netactuate.com").unwrap();
        assert_eq!(
            target_url(&root, "v3/secrets", None).unwrap().as_str(),
            "https://api.netactuate.com/v3/secrets"
        );
    }

    #[test]
    fn nothing_in_the_path_changes_the_target() {
        for rest in [
            "..",
            "../na/x",
            "a/../../na",
            "%2e%2e/na",
            "%2E%2e/na",
            ".%2e/na",
            "a/%2e",
            "..%2Fna",
            "..%2fna",
            "a%5C..%5Cna",
            "a\\..\\na",
            "%00",
            "a%0d%0aHost:%20evil",
        ] {
            assert!(
                target_url(&base(), rest, None).is_err(),
                "{rest} must be refused"
            );
        }
        for rest in [
            "//evil.example/x",
            "http://evil.example/x",
            "@evil.example",
            "http:%2F%2Fevil",
        ] {
            if let Ok(url) = target_url(&base(), rest, None) {
                assert_eq!(url.host_str(), Some("127.0.0.1"), "{rest}");
            }
        }
        let url = target_url(&base(), "x", Some("a=1#frag@evil.example")).unwrap();
        assert_eq!(url.host_str(), Some("127.0.0.1"));
    }

    #[test]
    fn unknown_providers_are_refused() {
        assert!(matches!(
            split_route("/proxy/aws/x"),
            Err(ProxyError::UnknownProvider(_))
        ));
        assert_eq!(
            split_route("/proxy/octos/backend/api").unwrap(),
            (Provider::Octos, "backend/api")
        );
        assert_eq!(split_route("/proxy/octos").unwrap(), (Provider::Octos, ""));
    }
}
