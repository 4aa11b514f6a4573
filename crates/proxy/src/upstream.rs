//! The upstream client: hyper's HTTP/1.1 client connection used directly, with a pool of idle
//! keep-alive connections per worker thread, rustls for https, no redirects followed (nothing
//! here follows them), no environment proxies, `TCP_NODELAY`, the connect timeout, and DNS
//! answers checked by [`crate::ssrf`] unless `--allow-private-upstreams`.
//!
//! Going through hyper-util's connector and hyper's client connection instead of reqwest saves
//! about 38,000 instructions per proxied 1 KiB request, and a pool of our own instead of
//! hyper-util's pooled `Client` about 10,000 more (callgrind; `crates/proxy/callgrind.sh`): no
//! hashed pool key, no lock shared by all threads, no boxed connect future or checkout race per
//! request. Each worker thread keeps its own idle connections, so taking and returning one is
//! a few comparisons in a thread-local list.

use std::cell::RefCell;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response, Uri};
use cloudpane_api::Provider;
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::client::legacy::connect::HttpConnector;
use tower_service::Service;
use url::Url;

use crate::ssrf::{self, BlockedAddress};

/// Idle upstream connections are kept this long for reuse.
const POOL_IDLE: Duration = Duration::from_secs(60);

/// At most this many idle connections per worker thread (all upstreams together); more are
/// closed when their exchange ends.
const MAX_IDLE_PER_THREAD: usize = 256;

type Connector = HttpsConnector<HttpConnector<Resolver>>;

/// The client every forwarded request goes through.
pub struct UpstreamClient {
    connector: Connector,
    /// `Host` for each provider (`Provider as usize`), from its base URL.
    hosts: [HeaderValue; 3],
    /// `scheme://host[:port]/` of each provider's base URL, what the connector connects to.
    origins: [Uri; 3],
    /// Tells this client's idle connections from another's in the per-thread pools (tests run
    /// several proxies in one process).
    id: usize,
}

/// Why an exchange with the upstream failed. The errors' text may hold the URL (query string
/// included): it is never shown or logged.
#[derive(Debug)]
pub enum UpstreamError {
    /// Resolving, connecting or the TLS handshake failed.
    Connect(BoxError),
    /// The connection failed while sending the request or reading the response's head.
    Exchange(hyper::Error),
}

/// A connection that answered, to give back to the pool when its response body has been read
/// to the end ([`Reusable::reuse`]); dropped instead, the connection closes.
pub struct Reusable {
    sender: SendRequest<Body>,
    client: usize,
    provider: Provider,
}

impl Reusable {
    /// Back into this thread's pool, for the next request to the same upstream.
    pub fn reuse(self) {
        if self.sender.is_closed() {
            return;
        }
        IDLE.with_borrow_mut(|idle| {
            let now = Instant::now();
            if idle
                .first()
                .is_some_and(|oldest| now.duration_since(oldest.since) > POOL_IDLE)
            {
                idle.retain(|c| now.duration_since(c.since) <= POOL_IDLE);
            }
            if idle.len() < MAX_IDLE_PER_THREAD {
                idle.push(Idle {
                    connection: self,
                    since: now,
                });
            }
        });
    }
}

/// Closes this thread's connections idle for longer than [`POOL_IDLE`], every half of it, so a
/// thread that stops forwarding does not keep them open. Runs on each worker's runtime.
pub async fn close_idle_connections_periodically() {
    let mut every = tokio::time::interval(POOL_IDLE / 2);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let now = Instant::now();
        IDLE.with_borrow_mut(|idle| idle.retain(|c| now.duration_since(c.since) <= POOL_IDLE));
    }
}

struct Idle {
    connection: Reusable,
    since: Instant,
}

thread_local! {
    /// This thread's idle upstream connections, oldest first.
    static IDLE: RefCell<Vec<Idle>> = const { RefCell::new(Vec::new()) };
}

static NEXT_CLIENT_ID: AtomicUsize = AtomicUsize::new(0);

impl UpstreamClient {
    /// The client for `connect_timeout`, checking DNS answers unless `allow_private`, for the
    /// providers' base URLs given by `base_url`.
    pub fn new(
        connect_timeout: Duration,
        allow_private: bool,
        base_url: impl Fn(Provider) -> Url,
    ) -> Self {
        let mut http = HttpConnector::new_with_resolver(Resolver {
            public_only: !allow_private,
        });
        http.enforce_http(false); // the https connector below handles `https://`
        http.set_nodelay(true);
        http.set_connect_timeout(Some(connect_timeout));
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        UpstreamClient {
            connector,
            hosts: Provider::ALL.map(|p| host_header(&base_url(p))),
            origins: Provider::ALL.map(|p| origin_uri(&base_url(p))),
            id: NEXT_CLIENT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Sends `request` (its URI the path and query under `provider`'s base URL, as HTTP/1.1
    /// sends it to an origin server) over an idle connection to that upstream, or a new one;
    /// the response and the connection to reuse once the response body has been read.
    pub async fn send(
        &self,
        provider: Provider,
        mut request: Request<Body>,
    ) -> Result<(Response<Incoming>, Reusable), UpstreamError> {
        request
            .headers_mut()
            .insert(header::HOST, self.hosts[provider as usize].clone());
        // An idle connection may have been closed by the upstream just now; a request that was
        // not sent on it is sent again on the next one (or a new one), as hyper-util's client did.
        while let Some(mut sender) = self.checkout(provider).await {
            match sender.try_send_request(request).await {
                Ok(response) => return Ok((response, self.reusable(sender, provider))),
                Err(mut error) => match error.take_message() {
                    Some(unsent) => request = unsent,
                    None => return Err(UpstreamError::Exchange(error.into_error())),
                },
            }
        }
        let mut sender = self.connect(&self.origins[provider as usize]).await?;
        let response = sender
            .send_request(request)
            .await
            .map_err(UpstreamError::Exchange)?;
        Ok((response, self.reusable(sender, provider)))
    }

    fn reusable(&self, sender: SendRequest<Body>, provider: Provider) -> Reusable {
        Reusable {
            sender,
            client: self.id,
            provider,
        }
    }

    /// The most recently used idle connection to `provider`'s upstream that is still open.
    async fn checkout(&self, provider: Provider) -> Option<SendRequest<Body>> {
        loop {
            let found = IDLE.with_borrow_mut(|idle| {
                let at = idle.iter().rposition(|c| {
                    c.connection.client == self.id && c.connection.provider == provider
                })?;
                let taken = idle.remove(at);
                Some((taken.connection.sender, taken.since))
            });
            let (mut sender, since) = found?;
            if sender.is_closed() || since.elapsed() > POOL_IDLE {
                continue;
            }
            // Normally ready at once: connections come back only after their response ended.
            if sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    async fn connect(&self, target: &Uri) -> Result<SendRequest<Body>, UpstreamError> {
        let mut connector = self.connector.clone();
        let io = connector
            .call(target.clone())
            .await
            .map_err(UpstreamError::Connect)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(UpstreamError::Exchange)?;
        tokio::spawn(async move {
            // Its errors are the exchange's, which the request sees.
            let _ = connection.await;
        });
        Ok(sender)
    }
}

/// `scheme://host[:port]/` of a base URL.
fn origin_uri(base: &Url) -> Uri {
    Uri::try_from(&base[..url::Position::BeforePath]).expect("a URL's origin is a valid URI")
}

/// `host[:port]` of a base URL, the port only when it is not the scheme's default (as
/// hyper-util's client wrote it).
fn host_header(base: &Url) -> HeaderValue {
    let host = base.host_str().unwrap_or_default();
    let text = match base.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    HeaderValue::try_from(text).expect("a URL's host is a valid header value")
}

/// Name resolution for the connector: the system's resolver, then (unless private upstreams are
/// allowed) every non-public address dropped, failing with [`BlockedAddress`] when none is left.
/// An upstream given as an IP literal never reaches the resolver; `config.rs` checks those when
/// the configuration is read.
#[derive(Debug, Clone, Copy)]
pub struct Resolver {
    public_only: bool,
}

type Resolving =
    Pin<Box<dyn Future<Output = Result<std::vec::IntoIter<SocketAddr>, BoxError>> + Send>>;
/// A boxed error, as the connector gives them.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Service<Name> for Resolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = BoxError;
    type Future = Resolving;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Resolving {
        let public_only = self.public_only;
        Box::pin(async move {
            let resolved = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let addresses: Vec<SocketAddr> = resolved
                .filter(|a| !public_only || ssrf::is_public(a.ip()))
                .collect();
            if addresses.is_empty() && public_only {
                return Err(Box::new(BlockedAddress) as BoxError);
            }
            Ok(addresses.into_iter())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_resolver_refuses_localhost() {
        let mut resolver = Resolver { public_only: true };
        let err = match resolver.call("localhost".parse().unwrap()).await {
            Ok(_) => panic!("localhost must not resolve"),
            Err(e) => e,
        };
        assert!(err.downcast_ref::<BlockedAddress>().is_some());
    }

    #[tokio::test]
    async fn private_upstreams_resolve_when_allowed() {
        let mut resolver = Resolver { public_only: false };
        let addresses: Vec<_> = resolver
            .call("localhost".parse().unwrap())
            .await
            .unwrap()
            .collect();
        assert!(addresses.iter().any(|a| a.ip().is_loopback()));
    }
}
