//! The upstream client over TLS, the way every request to a real provider goes: an upstream on
//! loopback with a certificate of the tests' own CA (`tests/tls/`, made by `tests/tls/gen.sh`),
//! and a client that trusts that CA instead of the web's roots.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request};
use cloudpane_api::Provider;
use cloudpane_proxy::upstream::{UpstreamClient, UpstreamError};
use http_body::Body as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, RootCertStore};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use url::Url;

const CA: &[u8] = include_bytes!("tls/ca.der");
const SERVER_CERT: &[u8] = include_bytes!("tls/server.der");
const SERVER_KEY: &[u8] = include_bytes!("tls/server.key.der");

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A TLS upstream on 127.0.0.1: each connection is given to `answer`; counts connections.
struct TlsUpstream {
    port: u16,
    connections: Arc<AtomicUsize>,
}

impl TlsUpstream {
    async fn start<F, Fut>(answer: F) -> TlsUpstream
    where
        F: Fn(TlsStream<TcpStream>) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(SERVER_CERT.to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(SERVER_KEY.to_vec())),
            )
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                counted.fetch_add(1, Ordering::SeqCst);
                // A handshake the client refuses ends here.
                if let Ok(tls) = acceptor.accept(tcp).await {
                    tokio::spawn(answer(tls));
                }
            }
        });
        TlsUpstream { port, connections }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    fn base_url(&self) -> Url {
        Url::parse(&format!("https://127.0.0.1:{}/", self.port)).unwrap()
    }

    /// A client that trusts the tests' CA.
    fn client(&self) -> UpstreamClient {
        let mut roots = RootCertStore::empty();
        roots.add(CertificateDer::from(CA.to_vec())).unwrap();
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let tls = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(config);
        let base = self.base_url();
        UpstreamClient::with_tls(Duration::from_secs(5), true, move |_| base.clone(), tls)
    }
}

/// One request read by the upstream: the head's text and the body (`Content-Length` long).
/// `None` when the client closed the connection.
async fn read_request(tls: &mut TlsStream<TcpStream>) -> Option<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    let end = loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let mut piece = [0u8; 4096];
        match tls.read(&mut piece).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => bytes.extend_from_slice(&piece[..n]),
        }
    };
    let head = String::from_utf8(bytes[..end].to_vec()).unwrap();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_string)
        })
        .map_or(0, |v| v.trim().parse::<usize>().unwrap());
    let mut body = bytes[end..].to_vec();
    while body.len() < length {
        let mut piece = [0u8; 4096];
        match tls.read(&mut piece).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => body.extend_from_slice(&piece[..n]),
        }
    }
    Some((head, body))
}

/// Sends `method path` (with `body`) to the upstream and reads the whole answer: its status,
/// its body, and the connection, which goes back to the pool if it can carry another request.
async fn fetch(
    client: &UpstreamClient,
    method: Method,
    path: &str,
    body: Option<&'static str>,
) -> Result<(u16, io::Result<Vec<u8>>), UpstreamError> {
    let mut request = Request::new(body.map_or_else(Body::empty, Body::from));
    *request.method_mut() = method;
    *request.uri_mut() = path.parse().unwrap();
    if let Some(body) = body {
        request
            .headers_mut()
            .insert(header::CONTENT_LENGTH, body.len().into());
    }
    let (answer, connection) = tokio::time::timeout(
        Duration::from_secs(10),
        client.send(Provider::Octos, request),
    )
    .await
    .expect("an answer within 10 s")?;
    let status = answer.status().as_u16();
    let mut incoming = answer.into_body();
    let mut read = Vec::new();
    let body = loop {
        let piece = std::future::poll_fn(|cx| Pin::new(&mut incoming).poll_frame(cx));
        match tokio::time::timeout(Duration::from_secs(10), piece).await {
            Err(_) => panic!("the body did not end within 10 s"),
            Ok(Some(Ok(frame))) => read.extend_from_slice(&frame.into_data().unwrap_or_default()),
            Ok(None) => {
                connection.reuse();
                break Ok(read);
            }
            Ok(Some(Err(error))) => {
                let kind =
                    cloudpane_proxy::forward::io_kind(&error).unwrap_or(io::ErrorKind::Other);
                break Err(io::Error::new(kind, error));
            }
        }
    };
    Ok((status, body))
}

#[tokio::test]
async fn answers_over_tls_are_read_and_the_connection_reused() {
    let posted = Arc::new(Mutex::new(Vec::new()));
    let seen = posted.clone();
    let upstream = TlsUpstream::start(move |mut tls| {
        let seen = seen.clone();
        async move {
            while let Some((head, body)) = read_request(&mut tls).await {
                let answer: &[u8] = if head.starts_with("GET /length ") {
                    b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"
                } else if head.starts_with("GET /chunked ") {
                    b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                } else if head.starts_with("POST /keys ") {
                    seen.lock().unwrap().push(body);
                    b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok"
                } else {
                    b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"
                };
                tls.write_all(answer).await.unwrap();
            }
        }
    })
    .await;
    let client = upstream.client();

    let (status, body) = fetch(&client, Method::GET, "/length", None).await.unwrap();
    assert_eq!((status, body.unwrap()), (200, b"hello".to_vec()));
    let (status, body) = fetch(&client, Method::GET, "/chunked", None).await.unwrap();
    assert_eq!((status, body.unwrap()), (200, b"hello world".to_vec()));
    let (status, body) = fetch(
        &client,
        Method::POST,
        "/keys",
        Some("{\"name\":\"laptop\"}"),
    )
    .await
    .unwrap();
    assert_eq!((status, body.unwrap()), (201, b"ok".to_vec()));
    let (status, body) = fetch(&client, Method::GET, "/length", None).await.unwrap();
    assert_eq!((status, body.unwrap()), (200, b"hello".to_vec()));

    assert_eq!(
        *posted.lock().unwrap(),
        vec![b"{\"name\":\"laptop\"}".to_vec()]
    );
    assert_eq!(
        upstream.connections(),
        1,
        "all four went over one TLS connection"
    );
}

#[tokio::test]
async fn an_answer_until_close_ends_at_close_notify_and_fails_at_a_bare_close() {
    let upstream = TlsUpstream::start(|mut tls| async move {
        let Some((head, _)) = read_request(&mut tls).await else {
            return;
        };
        tls.write_all(b"HTTP/1.1 200 OK\r\n\r\nall of it")
            .await
            .unwrap();
        tls.flush().await.unwrap();
        if head.starts_with("GET /notify ") {
            // close_notify, then the TCP close: the end of the body.
            tls.shutdown().await.unwrap();
        } else {
            // The TCP connection closed with no close_notify: the body may have been cut.
            let (tcp, _) = tls.into_inner();
            drop(tcp);
        }
    })
    .await;
    let client = upstream.client();

    let (status, body) = fetch(&client, Method::GET, "/notify", None).await.unwrap();
    assert_eq!((status, body.unwrap()), (200, b"all of it".to_vec()));
    let (status, body) = fetch(&client, Method::GET, "/cut", None).await.unwrap();
    assert_eq!(status, 200);
    let error = body.expect_err("a close without close_notify is not the end of the body");
    assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof, "{error}");
    assert_eq!(
        upstream.connections(),
        2,
        "an answer until close is not reused"
    );
}

#[tokio::test]
async fn an_idle_tls_connection_the_upstream_closed_is_not_used() {
    let upstream = TlsUpstream::start(|mut tls| async move {
        let Some(_) = read_request(&mut tls).await else {
            return;
        };
        tls.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
            .await
            .unwrap();
        // Then the upstream closes the connection while it is idle in the proxy's pool.
        tls.shutdown().await.unwrap();
    })
    .await;
    let client = upstream.client();

    let (status, _) = fetch(&client, Method::GET, "/first", None).await.unwrap();
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_millis(200)).await;
    // A POST is never sent twice, so it succeeds only if the closed connection is left alone.
    let (status, body) = fetch(&client, Method::POST, "/second", Some("{}"))
        .await
        .unwrap();
    assert_eq!((status, body.unwrap()), (200, b"ok".to_vec()));
    assert_eq!(upstream.connections(), 2);
}

#[tokio::test]
async fn an_upstream_certificate_the_web_roots_do_not_vouch_for_is_refused() {
    let upstream = TlsUpstream::start(|mut tls| async move {
        let _ = read_request(&mut tls).await;
        panic!("no request may reach an upstream whose certificate was refused");
    })
    .await;
    let base = upstream.base_url();
    // The client the proxy runs with: the web's roots, which do not hold the tests' CA.
    let client = UpstreamClient::new(Duration::from_secs(5), true, move |_| base.clone());
    match fetch(&client, Method::GET, "/length", None).await {
        Err(UpstreamError::Connect(error)) => {
            assert!(format!("{error:?}").contains("UnknownIssuer"), "{error:?}")
        }
        Err(other) => panic!("expected a refused certificate, got {other:?}"),
        Ok((status, _)) => panic!("expected a refused certificate, got a {status}"),
    }
}
