//! The upstream client: HTTP/1.1 spoken by the proxy itself over a pool of idle keep-alive
//! connections per worker thread ([`crate::http1`] holds the wire format), rustls for https,
//! no redirects followed (nothing here follows them), no environment proxies, `TCP_NODELAY`,
//! the connect timeout, and DNS answers checked by [`crate::ssrf`] unless
//! `--allow-private-upstreams`.
//!
//! Each exchange runs in the request's own task: the request head is written and the answer's
//! head read right here, and the answer's body is read from the socket as the browser's side
//! takes it (`forward::UpstreamBody`). hyper's client connection ran each connection as a task
//! of its own and handed the request and the answer across channels: about 9,000 instructions
//! more per proxied 1 KiB request (callgrind; `crates/proxy/callgrind.sh`). Before that,
//! going through hyper-util's connector and hyper's client connection instead of reqwest saved
//! about 38,000, and a pool of our own instead of hyper-util's pooled `Client` about 10,000
//! more: no hashed pool key, no lock shared by all threads, no boxed connect future or
//! checkout race per request. Each worker thread keeps its own idle connections, so taking and
//! returning one is a few comparisons in a thread-local list.

use std::cell::RefCell;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use bytes::BytesMut;
use cloudpane_api::Provider;
use hyper_rustls::{HttpsConnector, MaybeHttpsStream};
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tower_service::Service;
use url::Url;

use crate::headers;
use crate::http1::{self, ResponseHead, WireError};
use crate::ssrf::{self, BlockedAddress};

/// Idle upstream connections are kept this long for reuse.
const POOL_IDLE: Duration = Duration::from_secs(60);

/// At most this many idle connections per worker thread (all upstreams together); more are
/// closed when their exchange ends.
const MAX_IDLE_PER_THREAD: usize = 256;

/// Room made in the read buffer before reading a response head.
const HEAD_READ: usize = 8 * 1024;

/// Reads of a response body take at most this much at once.
const MAX_BODY_READ: usize = 256 * 1024;

type Connector = HttpsConnector<HttpConnector<Resolver>>;

/// The client every forwarded request goes through.
#[derive(Clone)]
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
    /// The connection failed while sending the request or reading the response's head, the
    /// request's body failed, or the answer was not HTTP/1.1.
    Exchange(io::Error),
}

/// What to send: the method, the path and query, and the browser's headers, of which only
/// those of [`headers::sent_upstream`] are written; `Host` is the provider's.
pub struct Outgoing<'a> {
    pub method: &'a Method,
    /// The request target, from [`crate::forward::target_path`].
    pub path: &'a str,
    pub headers: &'a HeaderMap,
    /// The body, if the request has one (`Content-Length` in `headers` says how long it is;
    /// without one it is sent chunked).
    pub body: Option<Body>,
}

/// An upstream connection: the socket and the bytes read from it but not used yet.
pub struct Connection {
    io: Io,
    buf: BytesMut,
    /// The upstream closed its side.
    eof: bool,
    /// Whether the last answer's head allows another request on this connection.
    keep_alive: bool,
    /// How much to read at once from a body of unknown length.
    next_read: usize,
    client: usize,
    provider: Provider,
}

enum Io {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::client::TlsStream<TokioIo<TokioIo<TcpStream>>>>),
}

impl Connection {
    /// Back into this thread's pool, for the next request to the same upstream, if it can carry
    /// one: its last answer was read to the end, said nothing against reuse, and nothing more
    /// came after it.
    pub fn reuse(self) {
        if !self.keep_alive || self.eof || !self.buf.is_empty() {
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

    /// The next piece of the body framed by `state`, reading from the upstream as needed.
    pub fn poll_body(
        &mut self,
        state: &mut http1::BodyState,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<Option<bytes::Bytes>>> {
        loop {
            match state.step(&mut self.buf, self.eof) {
                Ok(http1::Step::Data(data)) => return Poll::Ready(Ok(Some(data))),
                Ok(http1::Step::Done) => return Poll::Ready(Ok(None)),
                Err(error) => return Poll::Ready(Err(io::Error::other(error))),
                Ok(http1::Step::NeedMore) => {}
            }
            // A body of known length is read in pieces as large as what is left (up to
            // `MAX_BODY_READ`); one of unknown length (chunked, or until close) starts with small
            // reads and doubles them while they come back full, so that a slow stream of small
            // pieces does not take a large buffer for each.
            let room = match state.exact_len() {
                Some(left) => (left.min(MAX_BODY_READ as u64) as usize).max(HEAD_READ),
                None => self.next_read,
            };
            self.buf.reserve(room);
            let spare = self.buf.capacity() - self.buf.len();
            match tokio_util::io::poll_read_buf(Pin::new(&mut self.io), cx, &mut self.buf) {
                Poll::Ready(Ok(0)) => self.eof = true,
                Poll::Ready(Ok(read)) => {
                    if read == spare {
                        self.next_read = (self.next_read * 2).min(MAX_BODY_READ);
                    }
                }
                Poll::Ready(Err(error)) => return Poll::Ready(Err(error)),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// Whether an idle connection can still be used: the upstream has not closed it and sent
    /// nothing unasked. Costs no system call when the socket has not become readable.
    fn still_open(&mut self) -> bool {
        if !self.buf.is_empty() || self.eof {
            return false;
        }
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut probe = [0u8; 1];
        let mut probe = ReadBuf::new(&mut probe);
        Pin::new(&mut self.io)
            .poll_read(&mut cx, &mut probe)
            .is_pending()
    }

    /// Writes `request` and reads the answer's head, giving each of its headers to `header`.
    async fn exchange(
        &mut self,
        head: &[u8],
        request: &mut Outgoing<'_>,
        header: &mut impl FnMut(&str, &[u8]) -> Result<(), WireError>,
    ) -> Result<ResponseHead, Failed> {
        self.io
            .write_all(head)
            .await
            .map_err(Failed::before_answer)?;
        if let Some(body) = request.body.as_mut() {
            let chunked = !request
                .headers
                .contains_key(axum::http::header::CONTENT_LENGTH);
            write_body(&mut self.io, body, chunked)
                .await
                .map_err(Failed::answered)?;
        }
        self.io.flush().await.map_err(Failed::before_answer)?;
        loop {
            let parsed = http1::parse_response_head(&self.buf, request.method, &mut *header)
                .map_err(|e| Failed::answered(io::Error::other(e)))?;
            if let Some(answer) = parsed {
                bytes::Buf::advance(&mut self.buf, answer.len);
                self.keep_alive = answer.keep_alive;
                return Ok(answer);
            }
            self.buf.reserve(HEAD_READ);
            match self.io.read_buf(&mut self.buf).await {
                Ok(0) if self.buf.is_empty() => {
                    return Err(Failed::before_answer(io::ErrorKind::UnexpectedEof.into()))
                }
                Ok(0) => return Err(Failed::answered(io::Error::other(WireError::Incomplete))),
                Ok(_) => {}
                Err(error) if self.buf.is_empty() => return Err(Failed::before_answer(error)),
                Err(error) => return Err(Failed::answered(error)),
            }
        }
    }
}

/// How an exchange failed, and whether it may be tried again on another connection.
struct Failed {
    error: io::Error,
    /// Nothing of an answer arrived and no body was sent: for a safe method on a reused
    /// connection (which the upstream may have closed just as it was taken), it is sent again.
    retry: bool,
}

impl Failed {
    fn before_answer(error: io::Error) -> Self {
        Failed { error, retry: true }
    }
    fn answered(error: io::Error) -> Self {
        Failed {
            error,
            retry: false,
        }
    }
}

/// Sends `body`: as it is when the length is declared, in chunks otherwise.
async fn write_body(io: &mut Io, body: &mut Body, chunked: bool) -> io::Result<()> {
    while let Some(frame) =
        std::future::poll_fn(|cx| http_body::Body::poll_frame(Pin::new(&mut *body), cx)).await
    {
        let frame = frame.map_err(io::Error::other)?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if data.is_empty() {
            continue;
        }
        if chunked {
            let mut framed = format!("{:x}\r\n", data.len()).into_bytes();
            framed.extend_from_slice(&data);
            framed.extend_from_slice(b"\r\n");
            io.write_all(&framed).await?;
        } else {
            io.write_all(&data).await?;
        }
    }
    if chunked {
        io.write_all(b"0\r\n\r\n").await?;
    }
    Ok(())
}

impl AsyncRead for Io {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Io::Plain(tcp) => Pin::new(tcp).poll_read(cx, buf),
            Io::Tls(tls) => Pin::new(tls.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Io {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Io::Plain(tcp) => Pin::new(tcp).poll_write(cx, buf),
            Io::Tls(tls) => Pin::new(tls.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Io::Plain(tcp) => Pin::new(tcp).poll_flush(cx),
            Io::Tls(tls) => Pin::new(tls.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Io::Plain(tcp) => Pin::new(tcp).poll_shutdown(cx),
            Io::Tls(tls) => Pin::new(tls.as_mut()).poll_shutdown(cx),
        }
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
    connection: Connection,
    since: Instant,
}

thread_local! {
    /// This thread's buffer for request heads, reused from one request to the next.
    static HEAD: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
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
        let tls = hyper_rustls::HttpsConnectorBuilder::new().with_webpki_roots();
        Self::with_tls(connect_timeout, allow_private, base_url, tls)
    }

    /// The client with `tls` (the roots it trusts) for `https://` upstreams; the tests' TLS
    /// upstream has a certificate of their own CA.
    fn with_tls(
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
        let connector = tls.https_or_http().enable_http1().wrap_connector(http);
        UpstreamClient {
            connector,
            hosts: Provider::ALL.map(|p| host_header(&base_url(p))),
            origins: Provider::ALL.map(|p| origin_uri(&base_url(p))),
            id: NEXT_CLIENT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Sends `request` to `provider`'s upstream over an idle connection to it, or a new one,
    /// giving each header of the answer to `header`; the answer's head and the connection,
    /// whose [`Connection::poll_body`] reads the answer's body.
    ///
    /// A safe request (GET, HEAD, OPTIONS; they have no body here) that got no answer at all on
    /// a reused connection is sent once more on a new one: the upstream may have closed the
    /// idle connection just as it was taken. Nothing else is ever sent twice.
    pub async fn send(
        &self,
        provider: Provider,
        mut request: Outgoing<'_>,
        mut header: impl FnMut(&str, &[u8]) -> Result<(), WireError>,
    ) -> Result<(ResponseHead, Connection), UpstreamError> {
        // The head is written into this thread's reused buffer (given back below).
        let mut head = HEAD.take();
        head.clear();
        http1::write_request_head(
            &mut head,
            request.method,
            request.path,
            &self.hosts[provider as usize],
            request
                .headers
                .iter()
                .filter(|(name, _)| headers::sent_upstream(name)),
            request.body.is_some()
                && !request
                    .headers
                    .contains_key(axum::http::header::CONTENT_LENGTH),
        );
        let replayable = request.body.is_none()
            && matches!(
                *request.method,
                Method::GET | Method::HEAD | Method::OPTIONS
            );
        let sent = self
            .send_head(provider, &head, &mut request, &mut header, replayable)
            .await;
        HEAD.set(head);
        sent
    }

    async fn send_head(
        &self,
        provider: Provider,
        head: &[u8],
        request: &mut Outgoing<'_>,
        header: &mut impl FnMut(&str, &[u8]) -> Result<(), WireError>,
        replayable: bool,
    ) -> Result<(ResponseHead, Connection), UpstreamError> {
        if let Some(mut connection) = self.checkout(provider) {
            match connection.exchange(head, request, header).await {
                Ok(answer) => return Ok((answer, connection)),
                Err(failed) if failed.retry && replayable => {}
                Err(failed) => return Err(UpstreamError::Exchange(failed.error)),
            }
        }
        let mut connection = self.connect(provider).await?;
        match connection.exchange(head, request, header).await {
            Ok(answer) => Ok((answer, connection)),
            Err(failed) => Err(UpstreamError::Exchange(failed.error)),
        }
    }

    /// The most recently used idle connection to `provider`'s upstream that is still open.
    fn checkout(&self, provider: Provider) -> Option<Connection> {
        IDLE.with_borrow_mut(|idle| loop {
            let at = idle.iter().rposition(|c| {
                c.connection.client == self.id && c.connection.provider == provider
            })?;
            let mut taken = idle.remove(at);
            if taken.since.elapsed() <= POOL_IDLE && taken.connection.still_open() {
                return Some(taken.connection);
            }
        })
    }

    async fn connect(&self, provider: Provider) -> Result<Connection, UpstreamError> {
        let mut connector = self.connector.clone();
        let stream = connector
            .call(self.origins[provider as usize].clone())
            .await
            .map_err(UpstreamError::Connect)?;
        let io = match stream {
            MaybeHttpsStream::Http(tcp) => Io::Plain(tcp.into_inner()),
            MaybeHttpsStream::Https(tls) => Io::Tls(Box::new(tls.into_inner())),
        };
        Ok(Connection {
            io,
            buf: BytesMut::new(),
            eof: false,
            keep_alive: false,
            next_read: HEAD_READ,
            client: self.id,
            provider,
        })
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
#[path = "upstream_tls_tests.rs"]
mod tls_tests;

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
