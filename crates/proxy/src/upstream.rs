//! The upstream client: hyper's HTTP/1.1 client connections (`hyper::client::conn::http1`) over
//! hyper-util's connector with rustls and the web's roots, a small pool of idle connections per
//! provider, `TCP_NODELAY`, the connect timeout, no redirects followed, no environment proxies,
//! and DNS answers checked by [`crate::ssrf`] unless `--allow-private-upstreams`.
//!
//! Nothing is sent twice unless it is safe to: hyper hands back a request it never wrote (any
//! method; it then goes out on a new connection), and a GET, HEAD or OPTIONS without a body that
//! got no answer at all on a reused connection (the upstream may have closed it just as it was
//! taken) is sent once more on a new one. A POST, PUT, PATCH or DELETE that was written is never
//! repeated.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, Response, Uri};
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

/// At most this many idle connections per provider.
const MAX_IDLE: usize = 64;

type Connector = HttpsConnector<HttpConnector<Resolver>>;

/// The client every forwarded request goes through.
#[derive(Clone)]
pub struct UpstreamClient {
    connector: Connector,
    /// `Host` for each provider (`Provider as usize`), from its base URL.
    hosts: [HeaderValue; 3],
    /// `scheme://host[:port]/` of each provider's base URL, what the connector connects to.
    origins: [Uri; 3],
    idle: Arc<[Mutex<Vec<Idle>>; 3]>,
}

struct Idle {
    sender: SendRequest<Body>,
    since: Instant,
}

/// Why an exchange with the upstream failed. The errors' text may hold the URL (query string
/// included): it is never shown or logged.
#[derive(Debug)]
pub enum UpstreamError {
    /// Resolving, connecting or the TLS handshake failed.
    Connect(BoxError),
    /// Sending the request or reading the answer's head failed, or the answer was not HTTP/1.
    Exchange(hyper::Error),
}

/// The connection an answer came on: [`Connection::reuse`] gives it back to the pool once the
/// answer's body has been read to the end.
pub struct Connection {
    sender: SendRequest<Body>,
    idle: Arc<[Mutex<Vec<Idle>>; 3]>,
    provider: Provider,
}

impl Connection {
    /// Back into the pool, for the next request to the same upstream. hyper closes it instead if
    /// the answer said `Connection: close`, was delimited by the close, or had bytes after it.
    pub fn reuse(self) {
        if self.sender.is_closed() {
            return;
        }
        let mut idle = self.idle[self.provider as usize].lock().unwrap();
        if idle.len() < MAX_IDLE {
            idle.push(Idle {
                sender: self.sender,
                since: Instant::now(),
            });
        }
    }
}

impl UpstreamClient {
    /// The client for `connect_timeout`, checking DNS answers unless `allow_private`, for the
    /// providers' base URLs given by `base_url`.
    pub fn new(
        connect_timeout: Duration,
        allow_private: bool,
        base_url: impl Fn(Provider) -> Url,
    ) -> Self {
        let tls = hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots();
        Self::with_tls(connect_timeout, allow_private, base_url, tls)
    }

    /// The client with `tls` (the roots it trusts) for `https://` upstreams; the tests' TLS
    /// upstream has a certificate of their own CA.
    pub fn with_tls(
        connect_timeout: Duration,
        allow_private: bool,
        base_url: impl Fn(Provider) -> Url,
        tls: hyper_rustls::HttpsConnectorBuilder<hyper_rustls::builderstates::WantsSchemes>,
    ) -> Self {
        let mut http = HttpConnector::new_with_resolver(Resolver {
            public_only: !allow_private,
        });
        http.enforce_http(false); // the https connector below handles `https://`
        http.set_nodelay(true);
        http.set_connect_timeout(Some(connect_timeout));
        UpstreamClient {
            connector: tls.https_or_http().enable_http1().wrap_connector(http),
            hosts: Provider::ALL.map(|p| host_header(&base_url(p))),
            origins: Provider::ALL.map(|p| origin_uri(&base_url(p))),
            idle: Arc::default(),
        }
    }

    /// Sends `request` (its URI the path and query only) to `provider`'s upstream, with the
    /// provider's `Host`, over an idle connection to it or a new one: the answer, whose body
    /// streams from the upstream as it is read, and its connection.
    pub async fn send(
        &self,
        provider: Provider,
        mut request: Request<Body>,
    ) -> Result<(Response<Incoming>, Connection), UpstreamError> {
        request
            .headers_mut()
            .insert(header::HOST, self.hosts[provider as usize].clone());
        let safe = matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS
        );
        let replay = (safe && http_body::Body::is_end_stream(request.body())).then(|| {
            let mut copy = Request::new(Body::empty());
            *copy.method_mut() = request.method().clone();
            *copy.uri_mut() = request.uri().clone();
            *copy.headers_mut() = request.headers().clone();
            copy
        });
        if let Some(mut sender) = self.checkout(provider).await {
            match sender.try_send_request(request).await {
                Ok(answer) => return Ok((answer, self.connection(provider, sender))),
                Err(mut failed) => {
                    request = match (failed.take_message(), replay) {
                        // Never written: it cannot have reached the upstream.
                        (Some(unsent), _) => unsent,
                        (None, Some(copy)) if got_no_answer(failed.error()) => copy,
                        (None, _) => return Err(UpstreamError::Exchange(failed.into_error())),
                    };
                }
            }
        }
        let mut sender = self.connect(provider).await?;
        let answer = sender
            .send_request(request)
            .await
            .map_err(UpstreamError::Exchange)?;
        Ok((answer, self.connection(provider, sender)))
    }

    fn connection(&self, provider: Provider, sender: SendRequest<Body>) -> Connection {
        Connection {
            sender,
            idle: self.idle.clone(),
            provider,
        }
    }

    /// The most recently used idle connection to `provider`'s upstream that is still open and
    /// ready for a request.
    async fn checkout(&self, provider: Provider) -> Option<SendRequest<Body>> {
        loop {
            let Idle { mut sender, since } = self.idle[provider as usize].lock().unwrap().pop()?;
            // Given back when its answer's body ended, hyper may still be finishing it: ready
            // then, or closed.
            if since.elapsed() <= POOL_IDLE && sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    async fn connect(&self, provider: Provider) -> Result<SendRequest<Body>, UpstreamError> {
        let stream = self
            .connector
            .clone()
            .call(self.origins[provider as usize].clone())
            .await
            .map_err(UpstreamError::Connect)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(stream)
            .await
            .map_err(UpstreamError::Exchange)?;
        tokio::spawn(connection);
        Ok(sender)
    }

    /// Closes connections idle for longer than [`POOL_IDLE`], every half of it, so a proxy that
    /// stops forwarding does not keep them open.
    pub async fn close_idle_connections_periodically(self) {
        let mut every = tokio::time::interval(POOL_IDLE / 2);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            for idle in self.idle.iter() {
                idle.lock()
                    .unwrap()
                    .retain(|c| c.since.elapsed() <= POOL_IDLE && !c.sender.is_closed());
            }
        }
    }
}

/// Whether a failed exchange ended without any answer: the connection closed or broke, rather
/// than an answer that could not be parsed or a request body that failed.
fn got_no_answer(error: &hyper::Error) -> bool {
    !error.is_parse()
        && !error.is_parse_status()
        && !error.is_user()
        && !error.is_body_write_aborted()
}

/// `scheme://host[:port]/` of a base URL.
fn origin_uri(base: &Url) -> Uri {
    Uri::try_from(&base[..url::Position::BeforePath]).expect("a URL's origin is a valid URI")
}

/// `host[:port]` of a base URL, the port only when it is not the scheme's default.
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
