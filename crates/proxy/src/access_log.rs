//! One structured access-log line per request: provider, method, path, status, bytes and
//! duration. Never a header value, a query string (NetActuate's SDKs put the API key in
//! `?key=`) or a body. The line is written when the response body has been sent (or dropped),
//! so `bytes` and `duration_ms` cover the whole stream.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::http::{Method, Uri};
use bytes::Bytes;
use cloudpane_api::Provider;
use http_body::Frame;

use crate::forward::route_provider;

/// The tracing target of access-log lines (filter with `RUST_LOG=cloudpane_proxy::access=info`).
pub const TARGET: &str = "cloudpane_proxy::access";

/// Longest path logged; longer ones are cut.
const MAX_PATH: usize = 200;

/// The request's line, started; `None` when `RUST_LOG` filters the access log out.
pub struct Started(Option<Entry>);

/// Starts the line for `request` (its whole path is logged; the provider is read under `base`,
/// the `--base-path`): the clock, the method, the URI (reference-counted or inline
/// copies, not string building; the path is cut and printed, without the query string, only
/// when the line is written). When nothing would be written, nothing is done at all.
pub fn begin<B>(request: &axum::http::Request<B>, base: &str, now: Instant) -> Started {
    if !tracing::enabled!(target: TARGET, tracing::Level::INFO) {
        return Started(None);
    }
    let uri = request.uri().clone();
    Started(Some(Entry {
        started: now,
        method: request.method().clone(),
        provider: provider_of(crate::base_path::within(uri.path(), base).unwrap_or("")),
        uri,
        status: 0,
        bytes: 0,
        declared_length: None,
    }))
}

/// A request that gets no access-log line at info (the health probes).
pub fn unlogged() -> Started {
    Started(None)
}

/// `response`, whose body writes the line when it has been sent (or dropped): the same body
/// type with the count around it, no boxing.
pub fn finish<B>(
    started: Started,
    response: axum::http::Response<B>,
) -> axum::http::Response<LoggedBody<B>>
where
    B: http_body::Body<Data = Bytes> + Unpin,
{
    let Some(mut entry) = started.0 else {
        return response.map(|body| LoggedBody { body, entry: None });
    };
    entry.status = response.status().as_u16();
    // The body's exact length is its `Content-Length` (hyper sends that header from it).
    entry.declared_length = (entry.method != Method::HEAD)
        .then(|| response.body().size_hint().exact())
        .flatten();
    response.map(|body| LoggedBody {
        body,
        entry: Some(entry),
    })
}

fn provider_of(path: &str) -> &'static str {
    route_provider(path).map_or("-", Provider::slug)
}

struct Entry {
    started: Instant,
    method: Method,
    /// Only its `path()` is ever logged, never the query string.
    uri: Uri,
    provider: &'static str,
    status: u16,
    bytes: u64,
    declared_length: Option<u64>,
}

impl Entry {
    /// The line, through `tracing` (text or JSON, as `--log-format` set up the subscriber).
    fn write(&self, complete: bool) {
        let path = self.uri.path();
        let path = match path.char_indices().nth(MAX_PATH) {
            Some((cut, _)) => &path[..cut],
            None => path,
        };
        // In milliseconds to the microsecond.
        let duration_ms = (self.started.elapsed().as_secs_f64() * 1e6).round() / 1000.0;
        tracing::info!(
            target: TARGET,
            provider = self.provider,
            method = %self.method,
            path = %path,
            status = self.status,
            bytes = self.bytes,
            duration_ms,
            complete,
            "request"
        );
    }
}

/// A response body that writes the access line when it has been sent (or dropped); with the
/// access log filtered out, just the body.
pub struct LoggedBody<B: http_body::Body> {
    body: B,
    entry: Option<Entry>,
}

impl<B: http_body::Body<Data = Bytes> + Unpin> http_body::Body for LoggedBody<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(data), Some(entry)) = (frame.data_ref(), self.entry.as_mut()) {
                    entry.bytes += data.len() as u64;
                }
            }
            Poll::Ready(None) => {
                if let Some(entry) = self.entry.take() {
                    entry.write(true);
                }
            }
            Poll::Ready(Some(Err(_))) => {
                if let Some(entry) = self.entry.take() {
                    entry.write(false);
                }
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

impl<B: http_body::Body> Drop for LoggedBody<B> {
    fn drop(&mut self) {
        if let Some(entry) = self.entry.take() {
            // Finished without being polled to the end: an empty body hyper never polls, or a
            // client that went away mid-stream.
            let complete = match entry.declared_length {
                Some(length) => entry.bytes == length,
                None => http_body::Body::is_end_stream(&self.body),
            };
            entry.write(complete);
        }
    }
}
