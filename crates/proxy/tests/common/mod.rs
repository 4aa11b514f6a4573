//! Shared test fixtures: a recording upstream on loopback, an in-process proxy, a raw HTTP
//! client for requests an ordinary client would normalise. Everything is bounded in time.
#![allow(dead_code)]

pub mod binary;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use cloudpane_proxy::{Config, RunningProxy};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Notify;

/// One request the upstream received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub uri: String,
    pub headers: HeaderMap,
}

/// A small upstream that records what reaches it.
#[derive(Clone)]
pub struct Upstream {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// Raised when `/upload-gated` has received its first chunk.
    pub first_chunk: Arc<Notify>,
    /// `/download-gated` sends the rest of its body once this is raised.
    pub release: Arc<Notify>,
}

impl Upstream {
    pub async fn start() -> Upstream {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let upstream = Upstream {
            addr: listener.local_addr().unwrap(),
            seen: Arc::default(),
            first_chunk: Arc::default(),
            release: Arc::default(),
        };
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(upstream.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        upstream
    }

    /// `--upstream` flags: voltagepark at `/vp`, netactuate at `/na` of this server.
    pub fn flags(&self) -> Vec<String> {
        vec![
            "--upstream".into(),
            format!("voltagepark=http://{}/vp", self.addr),
            "--upstream".into(),
            format!("netactuate=http://{}/na", self.addr),
        ]
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

async fn handle(State(up): State<Upstream>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    up.seen.lock().unwrap().push(Seen {
        method: parts.method.to_string(),
        uri: parts.uri.to_string(),
        headers: parts.headers.clone(),
    });
    let path = parts.uri.path();
    let reply = |status: u16, body: Body| Response::builder().status(status).body(body).unwrap();
    match path.rsplit('/').next().unwrap_or("") {
        "slow-headers" => {
            tokio::time::sleep(Duration::from_secs(3)).await;
            reply(200, Body::from("late"))
        }
        "trickle" => {
            let stream = futures_util::stream::unfold(0, |i| async move {
                (i < 20).then_some(())?;
                tokio::time::sleep(Duration::from_millis(150)).await;
                Some((Ok::<_, Infallible>(Bytes::from_static(b"chunk ")), i + 1))
            });
            reply(200, Body::from_stream(stream))
        }
        "stall" => {
            let stream = futures_util::stream::once(async {
                Ok::<_, Infallible>(Bytes::from_static(b"first"))
            })
            .chain(futures_util::stream::pending());
            reply(200, Body::from_stream(stream))
        }
        "redirect-same" => Response::builder()
            .status(302)
            .header("location", "/vp/api/next?page=2")
            .body(Body::empty())
            .unwrap(),
        "redirect-relative" => Response::builder()
            .status(301)
            .header("location", "next/")
            .body(Body::empty())
            .unwrap(),
        "redirect-away" => Response::builder()
            .status(302)
            .header("location", "http://example.invalid/steal")
            .body(Body::empty())
            .unwrap(),
        "redirect-other-provider" => Response::builder()
            .status(307)
            .header("location", "/na/v3/secrets")
            .body(Body::empty())
            .unwrap(),
        "cookie" => Response::builder()
            .status(200)
            .header("content-type", "text/html")
            .header("set-cookie", "session=upstream-session")
            .header("access-control-allow-origin", "*")
            .header("access-control-allow-credentials", "true")
            .header("x-internal-debug", "upstream-internal")
            .header("etag", "\"v1\"")
            .body(Body::from("<script>alert(1)</script>"))
            .unwrap(),
        "upload-gated" => {
            let mut stream = body.into_data_stream();
            let mut total = 0usize;
            let mut first = true;
            while let Some(Ok(chunk)) = stream.next().await {
                total += chunk.len();
                if first {
                    up.first_chunk.notify_one();
                    first = false;
                }
            }
            reply(200, Body::from(total.to_string()))
        }
        "download-gated" => {
            let release = up.release.clone();
            let stream = futures_util::stream::once(async {
                Ok::<_, Infallible>(Bytes::from_static(b"first;"))
            })
            .chain(futures_util::stream::once(async move {
                release.notified().await;
                Ok(Bytes::from_static(b"rest"))
            }));
            reply(200, Body::from_stream(stream))
        }
        _ => {
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .map(|b| b.len())
                .unwrap_or(0);
            let json = serde_json::json!({
                "method": parts.method.as_str(),
                "uri": parts.uri.to_string(),
                "body_len": bytes,
            });
            Response::builder()
                .status(StatusCode::OK)
                .header("content-type", "application/json")
                .body(Body::from(json.to_string()))
                .unwrap()
        }
    }
}

/// Starts a proxy in this process on 127.0.0.1:0 with private upstreams allowed and `flags`.
pub async fn proxy(flags: &[String]) -> RunningProxy {
    proxy_with(&["--allow-private-upstreams"], flags).await
}

/// Starts a proxy with `base` flags and then `flags`.
pub async fn proxy_with(base: &[&str], flags: &[String]) -> RunningProxy {
    let mut args: Vec<String> = vec![
        "cloudpane-proxy".into(),
        "--listen".into(),
        "127.0.0.1:0".into(),
    ];
    args.extend(base.iter().map(|s| s.to_string()));
    args.extend(flags.iter().cloned());
    let config = Config::from_args(args).expect("test config");
    RunningProxy::start(config).await.expect("proxy starts")
}

/// A client that never uses an environment proxy and gives up after 10 s.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Sends `raw` (a whole HTTP/1.1 request) as written and returns the status code and the
/// whole response text.
pub async fn raw_request(addr: SocketAddr, raw: &str) -> (u16, String) {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(raw.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        stream.read_to_end(&mut out).await.unwrap();
        out
    };
    let out = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("raw request timed out");
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// A fresh directory under the system temp dir.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    // A counter as well as the time: tests run in parallel threads, and two of them asking in
    // the same clock tick would otherwise share (and delete) one directory.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "cloudpane-proxy-test-{name}-{}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
