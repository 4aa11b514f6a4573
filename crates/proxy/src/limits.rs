//! Limits on proxied requests: body size, requests in flight, and requests per client.

use std::io;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::http::Request;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::Quota;
use prometheus_client::metrics::counter::Counter;
use tokio::sync::OwnedSemaphorePermit;

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
/// client sends it only after a go-ahead, which a refusal is not.
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
/// `limit` bytes have passed, so a large body is never held whole; `sent` counts what passes.
/// The rest of the body is then read and dropped beside the exchange while the 413 goes out, as
/// in [`drain_refused_body`].
pub fn count_body(
    body: impl Stream<Item = Result<Bytes, axum::Error>> + Send + 'static,
    limit: u64,
    too_large: Arc<AtomicBool>,
    within: std::time::Duration,
    sent: Counter,
) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    let start = (Some(Box::pin(body)), 0u64);
    futures_util::stream::unfold(start, move |(body, seen)| {
        let (too_large, sent) = (too_large.clone(), sent.clone());
        async move {
            let mut body = body?;
            let chunk = match body.next().await? {
                Ok(chunk) => chunk,
                Err(error) => return Some((Err(io::Error::other(error)), (None, seen))),
            };
            let seen = seen + chunk.len() as u64;
            if seen <= limit {
                sent.inc_by(chunk.len() as u64);
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
/// requests in flight. The slot is held until the response body has been sent
/// (`forward::UpstreamBody` holds it), so slow streams count too. (tower's concurrency limit
/// gives its permit back when the response's head is ready, and waits rather than refuses.)
pub fn acquire_slot(state: &AppState) -> Result<Slot, ProxyError> {
    state
        .in_flight
        .clone()
        .try_acquire_owned()
        .map(|permit| Slot { _permit: permit })
        .map_err(|_| ProxyError::Busy)
}

/// One taken slot of the requests in flight, given back when dropped.
pub struct Slot {
    _permit: OwnedSemaphorePermit,
}

/// The optional per-client rate limit: 429 with `Retry-After` past it.
pub fn check_rate_limit(state: &AppState, peer: SocketAddr) -> Result<(), ProxyError> {
    match &state.rate_limiter {
        Some(limiter) => limiter.check(peer.ip()).map_err(ProxyError::RateLimited),
        None => Ok(()),
    }
}

/// governor's keyed limiter: per client, `per_minute` requests in a burst, refilled evenly.
pub struct RateLimiter<C: Clock = DefaultClock> {
    limiter: governor::RateLimiter<
        IpAddr,
        DefaultKeyedStateStore<IpAddr>,
        C,
        NoOpMiddleware<C::Instant>,
    >,
    clock: C,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self::with_clock(per_minute, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    fn with_clock(per_minute: u32, clock: C) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        RateLimiter {
            limiter: governor::RateLimiter::dashmap_with_clock(quota, clock.clone()),
            clock,
        }
    }

    /// Counts a request of `client`'s, or says in how many whole seconds one will be allowed.
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        self.limiter
            .check_key(&client_key(client))
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(self.clock.now());
                wait.as_secs_f64().ceil().max(1.0) as u64
            })
    }

    /// Forgets the clients whose limit is back to full, so the table holds only recent ones.
    pub fn forget_idle_clients(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// Runs [`RateLimiter::forget_idle_clients`] once a minute.
pub async fn forget_idle_clients_periodically(limiter: Arc<RateLimiter>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        limiter.forget_idle_clients();
    }
}

/// What a client is counted by: its IPv4 address, or the /64 of its IPv6 address (a host's
/// usual share, any address of which it may use). An IPv4-mapped address counts as IPv4.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u128::from(u64::MAX)))),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;
    use std::time::Duration;

    #[test]
    fn bucket_empties_then_refills() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock(2, clock.clone());
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(limiter.check(ip).is_ok());
        assert!(limiter.check(ip).is_ok());
        assert_eq!(limiter.check(ip), Err(30));
        assert!(limiter.check(other).is_ok());
        clock.advance(Duration::from_secs(31));
        assert!(limiter.check(ip).is_ok());
        // Once full again, clients are forgotten by the sweep.
        clock.advance(Duration::from_secs(120));
        limiter.forget_idle_clients();
        assert_eq!(limiter.limiter.len(), 0);
    }

    #[test]
    fn rotating_addresses_within_one_64_does_not_dodge_the_limit() {
        let limiter = RateLimiter::new(2);
        let ip = |text: &str| text.parse::<IpAddr>().unwrap();
        assert!(limiter.check(ip("2001:db8:1:2::1")).is_ok());
        assert!(limiter.check(ip("2001:db8:1:2::2")).is_ok());
        assert!(
            limiter.check(ip("2001:db8:1:2:ffff::3")).is_err(),
            "a third address of the same /64 shares its bucket"
        );
        assert!(limiter.check(ip("2001:db8:1:3::1")).is_ok(), "another /64");
        assert!(limiter.check(ip("192.0.2.1")).is_ok());
        assert!(limiter.check(ip("192.0.2.2")).is_ok(), "IPv4: per address");
    }
}
