//! One structured access-log line per request: provider, method, path, status, bytes and
//! duration. Never a header value, a query string (NetActuate's SDKs put the API key in
//! `?key=`) or a body. The line is written when the response body has been sent (or dropped),
//! so `bytes` and `duration_ms` cover the whole stream.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::http::{Method, Uri};
use bytes::Bytes;
use cloudpane_api::Provider;
use http_body::Frame;

use crate::forward::ROUTE_PREFIX;

/// The tracing target of access-log lines (filter with `RUST_LOG=cloudpane_proxy::access=info`).
pub const TARGET: &str = "cloudpane_proxy::access";

/// Longest path logged; longer ones are cut.
const MAX_PATH: usize = 200;

/// The request's line, started; `None` when `RUST_LOG` filters the access log out.
pub struct Started(Option<Entry>);

/// Starts the line for `request`: the clock, the method, the URI (reference-counted or inline
/// copies, not string building; the path is cut and printed, without the query string, only
/// when the line is written). When nothing would be written, nothing is done at all.
pub fn begin<B>(request: &axum::http::Request<B>, now: Instant) -> Started {
    if !tracing::enabled!(target: TARGET, tracing::Level::INFO) {
        return Started(None);
    }
    let uri = request.uri().clone();
    Started(Some(Entry {
        started: now,
        method: request.method().clone(),
        provider: provider_of(uri.path()),
        uri,
        status: 0,
        bytes: 0,
        declared_length: None,
    }))
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
    path.strip_prefix(ROUTE_PREFIX)
        .and_then(|p| p.strip_prefix('/'))
        .and_then(|p| p.split('/').next())
        .and_then(|name| name.parse::<Provider>().ok())
        .map_or("-", Provider::slug)
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
    /// The line. `RUST_LOG` filtering the target out skips it and all the bookkeeping above.
    fn write(&self, complete: bool) {
        let path = self.uri.path();
        let path = match path.char_indices().nth(MAX_PATH) {
            Some((cut, _)) => &path[..cut],
            None => path,
        };
        let now = Instant::now();
        let duration_ms = now.duration_since(self.started).as_secs_f64() * 1000.0;
        if TEXT_LINES_DIRECT.load(Ordering::Relaxed) {
            self.write_text(path, duration_ms, complete, now);
            return;
        }
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

    /// The text-format line, written to stderr by this module in the layout the tracing
    /// subscriber uses (`{time}  INFO {target}: request name=value ...`), byte by byte into a
    /// reused buffer: the subscriber took 13,000 instructions, a tenth of what a proxied 1 KiB
    /// request cost, and `write!` with format arguments still cost part of the 2,480 saved
    /// together with the atomic concurrency count (callgrind, `crates/proxy/callgrind.sh`). The
    /// time is formatted once a second.
    fn write_text(&self, path: &str, duration_ms: f64, complete: bool, now: Instant) {
        use std::io::Write;
        let now = wall_clock(now);
        LINE.with_borrow_mut(|(second, prefix, line)| {
            if *second != now.as_secs() || prefix.is_empty() {
                *second = now.as_secs();
                *prefix = time_to_the_second(now.as_secs());
            }
            line.extend_from_slice(prefix.as_bytes());
            line.push(b'.');
            push_padded(line, u64::from(now.subsec_micros()), 6);
            line.extend_from_slice(b"Z  INFO ");
            line.extend_from_slice(TARGET.as_bytes());
            line.extend_from_slice(b": request provider=\"");
            line.extend_from_slice(self.provider.as_bytes());
            line.extend_from_slice(b"\" method=");
            line.extend_from_slice(self.method.as_str().as_bytes());
            line.extend_from_slice(b" path=");
            line.extend_from_slice(path.as_bytes());
            line.extend_from_slice(b" status=");
            push_number(line, u64::from(self.status));
            line.extend_from_slice(b" bytes=");
            push_number(line, self.bytes);
            line.extend_from_slice(b" duration_ms=");
            // Three decimals, rounded, as `{:.3}` writes them.
            let thousandths = (duration_ms * 1000.0).round() as u64;
            push_number(line, thousandths / 1000);
            line.push(b'.');
            push_padded(line, thousandths % 1000, 3);
            line.extend_from_slice(if complete {
                b" complete=true\n"
            } else {
                b" complete=false\n"
            });
            if line.len() >= FLUSH_AT || !BATCHED.get() {
                let _ = std::io::stderr().write_all(line);
                line.clear();
            }
        });
    }
}

/// Batched lines are written once this many bytes are waiting.
const FLUSH_AT: usize = 8 * 1024;

thread_local! {
    /// Whether this thread's text lines wait for [`flush`] (or [`FLUSH_AT`]).
    static BATCHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Text lines written on this thread wait until [`flush`] is called or 8 KiB are waiting, and
/// then go out in one write. A worker thread calls [`flush`] whenever it runs out of work, just
/// before it waits for the network, so a line waits at most as long as the worker stays busy;
/// under load one write carries the lines of several requests, where a write per line was one
/// system call in seven per proxied request.
pub fn batch_lines_on_this_thread() {
    BATCHED.set(true);
}

/// Writes this thread's waiting text lines.
pub fn flush() {
    use std::io::Write;
    LINE.with_borrow_mut(|(_, _, line)| {
        if !line.is_empty() {
            let _ = std::io::stderr().write_all(line);
            line.clear();
        }
    });
}

/// The wall-clock time (since the Unix epoch) at `now`: the system clock is read at most once a
/// second per thread and carried forward with the monotonic clock in between, so that a line
/// costs one clock reading, not two.
fn wall_clock(now: Instant) -> std::time::Duration {
    WALL.with(|wall| match wall.get() {
        Some((at, since_epoch))
            if now >= at && now.duration_since(at) < std::time::Duration::from_secs(1) =>
        {
            since_epoch + now.duration_since(at)
        }
        _ => {
            let since_epoch = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            wall.set(Some((now, since_epoch)));
            since_epoch
        }
    })
}

/// `n` in decimal.
fn push_number(line: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    line.extend_from_slice(&digits[at..]);
}

/// `n` in decimal with leading zeros to `width` digits (`n` has at most that many).
fn push_padded(line: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut n = n;
    for at in (0..width).rev() {
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    line.extend_from_slice(&digits[..width]);
}

thread_local! {
    /// A monotonic clock reading and the wall-clock time read just after it.
    static WALL: std::cell::Cell<Option<(Instant, std::time::Duration)>> =
        const { std::cell::Cell::new(None) };
    /// The second the prefix was made for, `2026-11-26T01:40:00`, and the lines being written
    /// (one, or those waiting for [`flush`]).
    static LINE: std::cell::RefCell<(u64, String, Vec<u8>)> =
        const { std::cell::RefCell::new((0, String::new(), Vec::new())) };
}

/// `YYYY-MM-DDTHH:MM:SS` (UTC) for seconds since the Unix epoch.
fn time_to_the_second(unix: u64) -> String {
    let date = cloudpane_api::billing::CivilDate::from_unix(unix as i64);
    let of_day = unix % 86_400;
    format!(
        "{}T{:02}:{:02}:{:02}",
        date.iso(),
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

/// Whether text-format lines are written by [`Entry::write_text`] rather than the subscriber.
static TEXT_LINES_DIRECT: AtomicBool = AtomicBool::new(false);

/// Has this module write text-format access lines itself (`--log-format text`, the default),
/// with the subscriber's layout, without colours. Left off (tests, `--log-format json`), every
/// line goes through the tracing subscriber, with its values as separate fields.
pub fn write_text_lines_directly() {
    TEXT_LINES_DIRECT.store(true, Ordering::Relaxed);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_prefix_is_rfc_3339_utc() {
        assert_eq!(time_to_the_second(0), "1970-01-01T00:00:00");
        assert_eq!(time_to_the_second(1_795_660_859), "2026-11-26T02:40:59");
        assert_eq!(time_to_the_second(951_782_400), "2000-02-29T00:00:00");
    }

    #[test]
    fn the_wall_clock_follows_the_system_clock() {
        let now = Instant::now();
        let first = wall_clock(now);
        let system = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        assert!(system.abs_diff(first) < std::time::Duration::from_millis(50));
        let later = now + std::time::Duration::from_millis(300);
        assert_eq!(
            wall_clock(later),
            first + std::time::Duration::from_millis(300)
        );
    }

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        let mut line = Vec::new();
        for n in [0, 7, 10, 999, 1_000_000, u64::MAX] {
            line.clear();
            push_number(&mut line, n);
            assert_eq!(line, n.to_string().as_bytes());
        }
        for (n, width) in [(0, 3), (5, 3), (42, 6), (999_999, 6)] {
            line.clear();
            push_padded(&mut line, n, width);
            assert_eq!(line, format!("{n:0width$}").as_bytes());
        }
    }
}
