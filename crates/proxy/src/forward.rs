//! The forwarder: `/proxy/{provider}/{path}?{query}` to `{BASE_URL}/{path}?{query}`, streaming
//! both ways, with the path checked so that nothing in the request can change where it goes.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, Response, Uri};
use bytes::Bytes;
use cloudpane_api::Provider;
use http_body::{Frame, SizeHint};
use hyper::body::Incoming;
use prometheus_client::metrics::counter::Counter;
use tokio::time::{Instant, Sleep};
use url::Url;

use crate::error::{ProxyError, TimeoutKind};
use crate::limits::Slot;
use crate::upstream::{Connection, UpstreamError};
use crate::{headers, limits, redirect, ssrf, AppState};

/// The proxy routes live under this prefix.
pub const ROUTE_PREFIX: &str = "/proxy";

/// Whether `path` is one of the proxy routes (`/proxy`, `/proxy/...`).
pub fn is_proxy_path(path: &str) -> bool {
    path.strip_prefix(ROUTE_PREFIX)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The provider a proxy route names, if it names one.
pub fn route_provider(path: &str) -> Option<Provider> {
    path.strip_prefix(ROUTE_PREFIX)
        .and_then(|p| p.strip_prefix('/'))
        .and_then(|p| p.split('/').next())
        .and_then(|name| name.parse::<Provider>().ok())
}

/// Forwards one request to its provider's configured base URL. The answer's headers name the
/// allowed `origin` (see [`crate::origin::add_cors_headers`]), and its body holds the
/// concurrency `slot` until it has been sent.
pub async fn forward(
    state: &AppState,
    request: Request<Incoming>,
    origin: Option<HeaderValue>,
    slot: Slot,
    started: Instant,
) -> Result<Response<UpstreamBody>, ProxyError> {
    let (parts, body) = request.into_parts();
    let (provider, rest) = split_route(parts.uri.path())?;
    let base = state.config.upstream(provider);
    let target = target_path(base, rest, parts.uri.query())?;

    // Only a request with a body gets the flag, raised when the body streams past the limit.
    let too_large =
        (!http_body::Body::is_end_stream(&body)).then(|| Arc::new(AtomicBool::new(false)));
    let body = match &too_large {
        Some(too_large) => Body::from_stream(limits::count_body(
            Body::new(body).into_data_stream(),
            state.config.max_request_body,
            too_large.clone(),
            state.config.read_timeout,
            state.metrics.upstream_request_bytes(provider),
        )),
        None => Body::empty(),
    };
    let over_the_limit = || too_large.as_ref().is_some_and(|t| t.load(Ordering::SeqCst));
    let is_head = parts.method == Method::HEAD;
    let mut outgoing = Request::new(body);
    *outgoing.method_mut() = parts.method;
    *outgoing.uri_mut() = Uri::try_from(target.as_str())
        .map_err(|_| ProxyError::BadPath("not a valid request target"))?;
    for (name, value) in &parts.headers {
        if headers::sent_upstream(name) {
            outgoing.headers_mut().append(name, value.clone());
        }
    }

    // The response's headers must come within the read timeout (from the start of the exchange)
    // and the total deadline, whichever is first. One timer for the whole exchange: it bounds
    // the wait for the head here, then moves with the body in `UpstreamBody`.
    let deadline = started + state.config.total_timeout;
    let read_deadline = (started + state.config.read_timeout).min(deadline);
    let mut timer = Box::pin(tokio::time::sleep_until(read_deadline));
    let sent_at = Instant::now();
    let sent = tokio::select! {
        sent = state.client.send(provider, outgoing) => sent,
        () = timer.as_mut() => {
            let (kind, limit) = if read_deadline == deadline {
                (TimeoutKind::Total, state.config.total_timeout)
            } else {
                (TimeoutKind::Read, state.config.read_timeout)
            };
            return Err(ProxyError::Timeout(kind, limit));
        }
    };
    let (answer, connection) = match sent {
        Err(_) if over_the_limit() => {
            return Err(ProxyError::BodyTooLarge(state.config.max_request_body))
        }
        Err(error) => return Err(classify(&error, state)),
        Ok(answered) => answered,
    };
    state
        .metrics
        .observe_upstream_latency(provider, sent_at.elapsed());
    if over_the_limit() {
        return Err(ProxyError::BodyTooLarge(state.config.max_request_body));
    }
    let (head, body) = answer.into_parts();
    // A switch of protocols: hyper hands a 101 over, for an upgrade nobody asked for here.
    if head.status.is_informational() {
        return Err(ProxyError::Upstream);
    }

    let mut response_headers = headers::proxied_answer_headers(origin);
    headers::add_upstream_headers(&mut response_headers, &head.headers);
    // A HEAD answer has no body to take the length from: it keeps the upstream's.
    if is_head && !head.headers.contains_key(header::TRANSFER_ENCODING) {
        let length = head.headers.get(header::CONTENT_LENGTH);
        if let Some(length) = length.and_then(|l| l.to_str().ok()?.parse::<u64>().ok()) {
            response_headers.insert(header::CONTENT_LENGTH, length.into());
        }
    }
    if head.status.is_redirection() {
        if let Some(location) = head.headers.get(header::LOCATION) {
            let location = location
                .to_str()
                .map_err(|_| ProxyError::RedirectElsewhere)?;
            let request_url = Url::parse(&format!("{}{target}", origin_of(base)))
                .map_err(|_| ProxyError::RedirectElsewhere)?;
            let rewritten = redirect::rewrite_location(location, &request_url, base, provider)?;
            let rewritten = format!("{}{rewritten}", state.config.base_path);
            let value =
                HeaderValue::try_from(rewritten).map_err(|_| ProxyError::RedirectElsewhere)?;
            response_headers.insert(header::LOCATION, value);
        }
    }

    let body = UpstreamBody::new(
        body,
        connection,
        slot,
        timer,
        deadline,
        state.config.read_timeout,
        state.metrics.upstream_response_bytes(provider),
    );
    let mut response = Response::new(body);
    *response.status_mut() = head.status;
    *response.headers_mut() = response_headers;
    Ok(response)
}

/// `scheme://host[:port]` of a base URL.
fn origin_of(base: &Url) -> &str {
    &base[..url::Position::BeforePath]
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

/// The path and query to send upstream, `{base path}/{rest}?{query}`, refusing anything that
/// could leave the base URL's path: dot segments (plain or percent-encoded), encoded slashes and
/// backslashes, control characters. The scheme and authority are the base URL's, fixed by the
/// client per provider (`upstream.rs`). The base URL has no query, fragment or credentials
/// (`config.rs` refuses them); `tests/target_path.rs` checks the result against `url::Url`.
pub fn target_path(base: &Url, rest: &str, query: Option<&str>) -> Result<String, ProxyError> {
    for segment in rest.split('/') {
        check_segment(segment)?;
    }
    let base_path = base.path().trim_end_matches('/');
    // A fragment is never sent (hyper's URI has none; this keeps it so for any caller).
    let query = query
        .map(|q| q.split_once('#').map_or(q, |(q, _)| q))
        .filter(|q| !q.is_empty());
    let mut text =
        String::with_capacity(base_path.len() + 2 + rest.len() + query.map_or(0, str::len));
    text.push_str(base_path);
    text.push('/');
    text.push_str(rest);
    if let Some(query) = query {
        text.push('?');
        text.push_str(query);
    }
    Ok(text)
}

/// Refuses a path segment that decodes to `.` or `..`, or holds a slash, backslash or control
/// character once percent-decoded. Decodes on the fly: no copy of the segment.
fn check_segment(segment: &str) -> Result<(), ProxyError> {
    let mut dots_only = true;
    let mut decoded_len = 0usize;
    for b in percent_encoding::percent_decode(segment.as_bytes()) {
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

/// Maps an upstream failure to the error the client sees. The error itself (whose text may hold
/// the URL, query string included) is never shown or logged.
fn classify(error: &UpstreamError, state: &AppState) -> ProxyError {
    let (mut source, is_connect): (Option<&(dyn std::error::Error + 'static)>, bool) = match error {
        UpstreamError::Connect(error) => (Some(&**error), true),
        UpstreamError::Exchange(error) => (Some(error), false),
    };
    let mut timed_out = false;
    while let Some(e) = source {
        if e.is::<ssrf::BlockedAddress>() {
            return ProxyError::BlockedUpstream;
        }
        timed_out |= e
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::TimedOut);
        source = e.source();
    }
    match (is_connect, timed_out) {
        (true, true) => ProxyError::Timeout(TimeoutKind::Connect, state.config.connect_timeout),
        (true, false) => ProxyError::Unreachable,
        (false, _) => ProxyError::Upstream,
    }
}

/// The upstream's response body as hyper reads it, cut off with an error (so the client sees an
/// aborted response, not a short one that looks complete) when the upstream is silent for the
/// read timeout, when the total deadline passes, or when the upstream fails or breaks the
/// framing. One timer for both limits, moved forward as data arrives. Read to the end, its
/// connection goes back to the pool. It holds the request's concurrency slot until it is
/// dropped, so slow streams count as in flight. Trailers are not passed on.
pub struct UpstreamBody {
    body: Incoming,
    connection: Option<Connection>,
    _slot: Slot,
    /// Counts the bytes passed on (the metrics).
    received: Counter,
    timer: Pin<Box<Sleep>>,
    deadline: Instant,
    read_timeout: Duration,
    /// Since when the body has been waiting for the upstream, if it is. (Silence is counted
    /// while the proxy waits for the upstream, not while the browser is slow to take what came.)
    waiting_since: Option<Instant>,
    /// Cut off: nothing more is read.
    failed: bool,
}

impl UpstreamBody {
    fn new(
        body: Incoming,
        connection: Connection,
        slot: Slot,
        timer: Pin<Box<Sleep>>,
        deadline: Instant,
        read_timeout: Duration,
        received: Counter,
    ) -> Self {
        let mut body = UpstreamBody {
            body,
            connection: Some(connection),
            _slot: slot,
            received,
            timer,
            deadline,
            read_timeout,
            waiting_since: None,
            failed: false,
        };
        body.reuse_when_ended();
        body
    }

    /// Gives the connection back once the answer has been read to the end, so that the next
    /// request may use it even before this body is dropped.
    fn reuse_when_ended(&mut self) {
        if http_body::Body::is_end_stream(&self.body) {
            if let Some(connection) = self.connection.take() {
                connection.reuse();
            }
        }
    }
}

impl http_body::Body for UpstreamBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        loop {
            if this.failed {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.body).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    this.waiting_since = None;
                    this.reuse_when_ended();
                    if let Ok(data) = frame.into_data() {
                        this.received.inc_by(data.len() as u64);
                        return Poll::Ready(Some(Ok(Frame::data(data))));
                    }
                }
                Poll::Ready(None) => {
                    if let Some(connection) = this.connection.take() {
                        connection.reuse();
                    }
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(error))) => {
                    this.failed = true;
                    tracing::warn!("upstream response body cut off: upstream error");
                    let kind = io_kind(&error).unwrap_or(io::ErrorKind::Other);
                    return Poll::Ready(Some(Err(io::Error::new(kind, "upstream error"))));
                }
                Poll::Pending => {
                    let since = *this.waiting_since.get_or_insert_with(Instant::now);
                    let wake_at = (since + this.read_timeout).min(this.deadline);
                    if this.timer.deadline() != wake_at {
                        this.timer.as_mut().reset(wake_at);
                    }
                    if this.timer.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                    this.failed = true;
                    let kind = if Instant::now() >= this.deadline {
                        "total timeout"
                    } else {
                        "read timeout"
                    };
                    tracing::warn!("upstream response body cut off: {kind}");
                    return Poll::Ready(Some(Err(io::Error::new(io::ErrorKind::TimedOut, kind))));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.failed || self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// The kind of the I/O error under `error`, if one is.
pub fn io_kind(error: &(dyn std::error::Error + 'static)) -> Option<io::ErrorKind> {
    let mut source = Some(error);
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            return Some(io.kind());
        }
        source = e.source();
    }
    None
}
