//! Limits on proxied requests: body size, requests in flight, and requests per client.

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::http::Request;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use crate::error::ProxyError;
use crate::AppState;

/// A declared `Content-Length` over the limit gets 413 before anything is sent upstream (hyper
/// has parsed and checked it: the body's exact size); [`drain_refused_body`] reads what the
/// client goes on sending. Bodies without one are counted while they stream (see
/// [`count_body`]).
pub fn check_body_limit<B: http_body::Body>(
    request: &Request<B>,
    state: &AppState,
) -> Result<(), ProxyError> {
    let limit = state.config.max_request_body;
    let declared = request.body().size_hint().exact();
    if declared.is_some_and(|n| n > limit) {
        return Err(ProxyError::BodyTooLarge(limit));
    }
    Ok(())
}

/// At most this much of a body over the limit is read and dropped: the client is still sending
/// it, and a connection closed with its data unread is reset, so a client that reads only once
/// it has sent everything would find its upload failed without ever reading the 413.
const DRAIN_AT_MOST: u64 = 32 * 1024 * 1024;

/// Has the body of a request refused before it was read (413 for its declared length, 403,
/// 401, 429, 503) read and dropped while the answer goes out (nginx's lingering close): the
/// answer is not held back, the client can finish sending and then read it, and the connection
/// stays open for the next request. At most [`DRAIN_AT_MOST`] and for at most `within` (the
/// read timeout); a body declared larger is not read at all, so its connection is closed after
/// the answer with the rest unread. Nor is a body announced with `Expect: 100-continue`: its
/// client sends it only after a go-ahead, which a refusal is not, so its connection is closed
/// at once rather than held open for the read timeout. With hyper's client, a 16 MiB upload
/// over a 64 KiB limit failed with a broken pipe in 8 runs of 8 before (`tests/limits.rs`);
/// Chromium read the 413 either way.
pub fn drain_refused_body<B>(request: Request<B>, within: std::time::Duration)
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    if request.body().is_end_stream() {
        return;
    }
    let declared = request.body().size_hint().exact();
    let waits_for_go_ahead = request
        .headers()
        .get(axum::http::header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if waits_for_go_ahead || declared.is_some_and(|n| n > DRAIN_AT_MOST) {
        return;
    }
    drop_the_rest(
        axum::body::Body::new(request.into_body()).into_data_stream(),
        within,
    );
}

/// The request body as it streams upstream, failing (and raising `too_large`) once more than
/// `limit` bytes have passed, so a large body is never held whole. The rest of the body is then
/// read and dropped beside the exchange while the 413 goes out, up to [`DRAIN_AT_MOST`] and for
/// at most `within` (the read timeout): a browser still sending when the proxy answered 413 and
/// closed found its upload reset and never read the 413 (`tests/limits.rs` failed so, 1 run in
/// 15).
pub fn count_body(
    body: impl Stream<Item = Result<Bytes, axum::Error>> + Send + 'static,
    limit: u64,
    too_large: Arc<AtomicBool>,
    within: std::time::Duration,
) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    let start = (Some(Box::pin(body)), 0u64);
    futures_util::stream::unfold(start, move |(body, seen)| {
        let too_large = too_large.clone();
        async move {
            let mut body = body?;
            let chunk = match body.next().await? {
                Ok(chunk) => chunk,
                Err(error) => return Some((Err(io::Error::other(error)), (None, seen))),
            };
            let seen = seen + chunk.len() as u64;
            if seen <= limit {
                return Some((Ok(chunk), (Some(body), seen)));
            }
            too_large.store(true, Ordering::SeqCst);
            drop_the_rest(body, within);
            let over = io::Error::other("request body over the limit");
            Some((Err(over), (None, seen)))
        }
    })
}

/// Reads and drops what is left of a refused body, at most [`DRAIN_AT_MOST`] and for at most
/// `within`, on this worker's runtime beside the connection: hyper goes on reading the body into
/// it after the 413 has been written, and closes the connection if it is dropped unfinished.
fn drop_the_rest<E>(
    mut body: impl Stream<Item = Result<Bytes, E>> + Send + Unpin + 'static,
    within: std::time::Duration,
) {
    tokio::spawn(async move {
        let mut dropped = 0u64;
        let _ = tokio::time::timeout(within, async {
            while dropped < DRAIN_AT_MOST {
                match body.next().await {
                    Some(Ok(chunk)) => dropped += chunk.len() as u64,
                    _ => break,
                }
            }
        })
        .await;
    });
}

/// A slot for one request in flight, or 503: at most `--max-concurrent-requests` proxied
/// requests in flight, counted across all worker threads. The slot is held until the response
/// body has been sent (`forward::UpstreamBody` holds it), so slow streams count too.
pub fn acquire_slot(state: &AppState) -> Result<Slot, ProxyError> {
    let slots = &state.in_flight;
    if slots.taken.fetch_add(1, Ordering::Acquire) >= slots.max {
        slots.taken.fetch_sub(1, Ordering::Release);
        return Err(ProxyError::Busy);
    }
    Ok(Slot(state.clone()))
}

/// The requests in flight, an atomic count shared by every worker thread: taking and giving
/// back a slot is one atomic addition each, where a semaphore's release took a lock.
#[derive(Debug)]
pub struct InFlight {
    taken: AtomicUsize,
    max: usize,
}

/// One taken slot of [`InFlight`], given back when dropped.
pub struct Slot(AppState);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.in_flight.taken.fetch_sub(1, Ordering::Release);
    }
}

/// Makes the counter for [`acquire_slot`].
pub fn in_flight_slots(max: usize) -> Arc<InFlight> {
    Arc::new(InFlight {
        taken: AtomicUsize::new(0),
        max,
    })
}

/// The optional per-client rate limit: 429 with `Retry-After` past it.
pub fn check_rate_limit(state: &AppState, peer: SocketAddr) -> Result<(), ProxyError> {
    if let Some(limiter) = &state.rate_limiter {
        if let Err(retry_after) = limiter.check(peer.ip(), Instant::now()) {
            return Err(ProxyError::RateLimited(retry_after));
        }
    }
    Ok(())
}

/// A token bucket per client IP address: `per_minute` requests in a burst, refilled evenly.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Past this many tracked clients, full buckets are forgotten so the map cannot grow forever.
const MAX_TRACKED_CLIENTS: usize = 10_000;

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `client`, or says in how many whole seconds one will be there.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > MAX_TRACKED_CLIENTS {
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * per_second < capacity
            });
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: capacity,
            updated: now,
        });
        let refilled =
            bucket.tokens + now.duration_since(bucket.updated).as_secs_f64() * per_second;
        bucket.tokens = refilled.min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_second).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket_empties_then_refills() {
        let limiter = RateLimiter::new(2);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        assert!(limiter.check(ip, t0).is_ok());
        assert!(limiter.check(ip, t0).is_ok());
        assert_eq!(limiter.check(ip, t0), Err(30));
        assert!(limiter.check(other, t0).is_ok());
        assert!(limiter.check(ip, t0 + Duration::from_secs(31)).is_ok());
    }
}
