//! cloudpane's thin CORS proxy and static file server.
//!
//! The proxy forwards `/proxy/{provider}/{path}?{query}` to that provider's configured base URL
//! and nothing else, serves the built app from `--dist` everywhere else, and tells the app about
//! itself at [`cloudpane_api::runtime_config::RUNTIME_CONFIG_PATH`]. Its behaviour is composed
//! from named rules, outermost first; the access log is one layer, and the five rules from the
//! origin policy to the body limit run in one more ([`proxy_gate`]), each kept in its own file:
//!
//! | layer | file | rule |
//! |---|---|---|
//! | access log | `access_log.rs` | one line per request, no header values, queries or bodies |
//! | origin policy | `origin.rs` | Host check, Origin check (403), local preflight |
//! | access key | `access_key.rs` | `--access-key-file` (401) |
//! | rate limit | `limits.rs` | per client IP (429 + Retry-After) |
//! | concurrency limit | `limits.rs` | requests in flight (503) |
//! | body limit | `limits.rs` | Content-Length over the limit (413) |
//! | forward | `forward.rs`, `redirect.rs`, `headers.rs`, `ssrf.rs` | the upstream exchange |

pub mod access_key;
pub mod access_log;
pub mod config;
pub mod error;
pub mod forward;
pub mod headers;
pub mod limits;
pub mod origin;
pub mod redirect;
pub mod runtime_config;
pub mod ssrf;
pub mod static_files;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::middleware::from_fn_with_state;
use axum::routing::{any, get};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::compression::CompressionLayer;

pub use config::Config;

/// What every handler and layer shares; cloning it is one reference count.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The contents of [`AppState`].
pub struct Shared {
    pub config: Config,
    /// The upstream client: no redirects, no environment proxies, SSRF-checked DNS.
    pub client: reqwest::Client,
    /// The proxy's own origins, from the bound address.
    pub own_origins: Vec<String>,
    /// The lowercased hosts of `--allow-origin`, for the Host check.
    pub allowed_hosts: Vec<String>,
    pub in_flight: Arc<Semaphore>,
    pub rate_limiter: Option<limits::RateLimiter>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// State for a proxy bound to `bound`.
    pub fn new(config: Config, bound: SocketAddr) -> Result<Self, reqwest::Error> {
        Ok(AppState(Arc::new(Shared {
            client: upstream_client(&config)?,
            own_origins: origin::own_origins(bound),
            allowed_hosts: origin::allowed_hosts(&config.allow_origins),
            in_flight: limits::in_flight_slots(config.max_concurrent_requests),
            rate_limiter: config.rate_limit_per_minute.map(limits::RateLimiter::new),
            config,
        })))
    }
}

fn upstream_client(config: &Config) -> Result<reqwest::Client, reqwest::Error> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(config.connect_timeout)
        .read_timeout(config.read_timeout)
        .pool_idle_timeout(std::time::Duration::from_secs(60));
    if !config.allow_private_upstreams {
        builder = builder.dns_resolver(Arc::new(ssrf::PublicOnlyResolver));
    }
    builder.build()
}

/// The whole application: proxy routes, runtime configuration and static files.
pub fn app(state: AppState) -> Router {
    let proxy_layers = from_fn_with_state(state.clone(), proxy_gate);
    let proxy = Router::new()
        .route(forward::ROUTE_PREFIX, any(forward::forward))
        .route(
            &format!("{}/", forward::ROUTE_PREFIX),
            any(forward::forward),
        )
        .route(
            &format!("{}/{{*rest}}", forward::ROUTE_PREFIX),
            any(forward::forward),
        )
        .layer(proxy_layers);

    let runtime_config = Router::new()
        .route(
            cloudpane_api::runtime_config::RUNTIME_CONFIG_PATH,
            get(runtime_config::serve_runtime_config),
        )
        .layer(from_fn_with_state(state.clone(), origin::origin_policy));

    let static_files = Router::new()
        .fallback(static_files::serve_static)
        .layer(CompressionLayer::new().gzip(true).br(true));

    Router::new()
        .merge(proxy)
        .merge(runtime_config)
        .merge(static_files)
        .layer(axum::middleware::from_fn(access_log::access_log))
        .with_state(state)
}

/// The proxy routes' rules, in the order of the table above (origin policy, access key, rate
/// limit, concurrency limit, body limit), run by one layer: each rule lives in its own file,
/// and composing them here instead of as five `from_fn` layers saves four boxed futures and
/// four router-service clones per request.
pub async fn proxy_gate(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let origin = match origin::check(&request, &state) {
        origin::Checked::Answered(response) => return response,
        origin::Checked::Pass(origin) => origin,
    };
    let mut response = match admit(&request, &state) {
        Ok(slot) => limits::hold_until_sent(next.run(request).await, slot),
        Err(error) => error.into_response(),
    };
    origin::add_cors_headers(&mut response, origin);
    response
}

/// The access key, rate limit, concurrency limit and body limit rules, in that order; the
/// concurrency slot to hold while the response is sent.
fn admit(
    request: &axum::extract::Request,
    state: &AppState,
) -> Result<tokio::sync::OwnedSemaphorePermit, error::ProxyError> {
    access_key::check(request, state)?;
    if state.rate_limiter.is_some() {
        // `serve` always provides the peer address; without one there is nothing to limit by,
        // so refuse rather than let the request through unlimited.
        let peer = request
            .extensions()
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .ok_or(error::ProxyError::RateLimited(60))?;
        limits::check_rate_limit(state, peer.0)?;
    }
    let slot = limits::acquire_slot(state)?;
    limits::check_body_limit(request, state)?;
    Ok(slot)
}

/// Serves on `listener` until `shutdown` completes, then lets requests in flight finish for up
/// to `--shutdown-grace`.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let bound = listener.local_addr()?;
    let grace = config.shutdown_grace;
    let state = AppState::new(config, bound).map_err(std::io::Error::other)?;
    let (stopping_tx, stopping_rx) = tokio::sync::watch::channel(false);
    let signal = async move {
        shutdown.await;
        tracing::info!("shutting down: draining requests in flight");
        let _ = stopping_tx.send(true);
    };
    // TCP_NODELAY on every accepted connection, as nginx does on keep-alive connections:
    // without it the last segment of a response can wait for the client's delayed ACK (a
    // 40 ms p99 for 1 MiB bodies on one connection, measured with examples/bench.rs).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let server = axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(signal);
    let mut stopping = stopping_rx;
    let deadline = async move {
        let _ = stopping.wait_for(|s| *s).await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = std::future::IntoFuture::into_future(server) => result,
        () = deadline => {
            tracing::warn!("shutdown grace period over: dropping requests still in flight");
            Ok(())
        }
    }
}

/// A proxy running in this process (for tests and the benchmark).
pub struct RunningProxy {
    /// The bound address.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningProxy {
    /// Binds `config.listen` and starts serving in the background.
    pub async fn start(config: Config) -> std::io::Result<RunningProxy> {
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(serve(config, listener, async move {
            let _ = stopped.await;
        }));
        Ok(RunningProxy {
            addr,
            stop: Some(stop),
            task,
        })
    }

    /// `http://{addr}`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Starts a graceful shutdown and waits for it to finish.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        (&mut self.task).await.map_err(std::io::Error::other)?
    }
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called, not when the
/// future is first polled, so call it before announcing the address: a signal sent right after
/// the "listening on" line must not meet the default action (immediate death, nothing drained).
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt()).expect("SIGINT handler");
        let mut terminate = signal(SignalKind::terminate()).expect("SIGTERM handler");
        async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
