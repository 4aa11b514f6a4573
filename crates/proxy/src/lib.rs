//! cloudpane's thin CORS proxy and static file server.
//!
//! The proxy forwards `/proxy/{provider}/{path}?{query}` to that provider's configured base URL
//! and nothing else, serves the built app from `--dist` everywhere else, and tells the app about
//! itself at [`cloudpane_api::runtime_config::RUNTIME_CONFIG_PATH`]. Its behaviour is composed
//! from named rules, outermost first; the access log is one layer, and the five rules from the
//! origin policy to the body limit run in one function ([`proxy`]), each kept in its own file:
//!
//! | layer | file | rule |
//! |---|---|---|
//! | health probes | `health.rs` | `/healthz`, `/readyz`: before every rule, not logged at info |
//! | base path | `base_path.rs` | `--base-path`: the prefix taken off, 404 outside it |
//! | access log | `access_log.rs` | one line per request, no header values, queries or bodies |
//! | origin policy | `origin.rs` | Host check, Origin check (403), local preflight |
//! | access key | `access_key.rs` | `--access-key-file` (401) |
//! | rate limit | `limits.rs` | per IPv4 address or IPv6 /64 (429 + Retry-After) |
//! | concurrency limit | `limits.rs` | requests in flight (503) |
//! | body limit | `limits.rs` | Content-Length over the limit (413) |
//! | forward | `forward.rs`, `redirect.rs`, `headers.rs`, `ssrf.rs` | the upstream exchange |
//!
//! Metrics (`metrics.rs`) are counted along the way and served on their own address
//! (`--metrics-listen`).

pub mod access_key;
pub mod access_log;
pub mod base_path;
pub mod config;
pub mod error;
pub mod forward;
pub mod headers;
pub mod health;
pub mod limits;
pub mod metrics;
pub mod origin;
pub mod redirect;
pub mod runtime_config;
pub mod ssrf;
pub mod static_files;
pub mod upstream;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use std::convert::Infallible;

use axum::body::Body;
use axum::http::Request;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;

pub use config::Config;

/// What every handler and layer shares; cloning it is one reference count.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The contents of [`AppState`].
pub struct Shared {
    pub config: Config,
    /// The upstream client: no redirects, no environment proxies, SSRF-checked DNS.
    pub client: upstream::UpstreamClient,
    /// The proxy's own origins, from the bound address.
    pub own_origins: Vec<String>,
    /// The proxy's own `host:port`s, for the Host check's quick path.
    pub own_hosts: Vec<String>,
    /// The lowercased hosts of `--allow-origin`, for the Host check.
    pub allowed_hosts: Vec<String>,
    /// `--max-concurrent-requests` slots for proxied requests in flight.
    pub in_flight: Arc<tokio::sync::Semaphore>,
    pub rate_limiter: Option<Arc<limits::RateLimiter>>,
    /// What `--metrics-listen` serves.
    pub metrics: metrics::Metrics,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// State for a proxy bound to `bound`.
    pub fn new(config: Config, bound: SocketAddr) -> Self {
        AppState(Arc::new(Shared {
            client: upstream::UpstreamClient::new(
                config.connect_timeout,
                config.allow_private_upstreams,
                |provider| config.upstream(provider).clone(),
            ),
            own_origins: origin::own_origins(bound),
            own_hosts: origin::own_hosts(&origin::own_origins(bound)),
            allowed_hosts: origin::allowed_hosts(&config.allow_origins),
            in_flight: Arc::new(tokio::sync::Semaphore::new(config.max_concurrent_requests)),
            rate_limiter: config
                .rate_limit_per_minute
                .map(|per_minute| Arc::new(limits::RateLimiter::new(per_minute))),
            metrics: metrics::Metrics::new(),
            config,
        }))
    }
}

/// Everything but the proxy routes: runtime configuration and static files.
pub fn app(state: AppState) -> Router {
    let runtime_config = Router::new()
        .route(
            cloudpane_api::runtime_config::RUNTIME_CONFIG_PATH,
            get(runtime_config::serve_runtime_config),
        )
        .layer(from_fn_with_state(state.clone(), origin::origin_policy));

    let static_files = static_files::with_security_headers(
        Router::new()
            .fallback(static_files::serve_static)
            .layer(CompressionLayer::new().gzip(true).br(true)),
    );

    Router::new()
        .merge(runtime_config)
        .merge(static_files)
        .with_state(state)
}

/// One request, whatever its path: the health probes first, then the access log around it, the
/// proxy routes handled by [`proxy`], everything else by the [`app`] router.
async fn handle(
    state: AppState,
    router: Router,
    peer: SocketAddr,
    request: Request<Incoming>,
) -> Result<axum::http::Response<access_log::LoggedBody<Body>>, Infallible> {
    let base = state.config.base_path.as_str();
    let path = request.uri().path();
    let probe = health::Probe::at(path)
        .or_else(|| base_path::within(path, base).and_then(health::Probe::at));
    if let Some(probe) = probe {
        let answer = health::answer(probe, request.method(), &state);
        return Ok(access_log::finish(access_log::unlogged(), answer));
    }
    // One clock reading for the access line's duration and the exchange's deadlines.
    let now = std::time::Instant::now();
    let logged = access_log::begin(&request, base, now);
    let request = match base_path::strip(request, base) {
        Ok(request) => request,
        Err(outside) => return Ok(access_log::finish(logged, outside.into_response())),
    };
    let response = if forward::is_proxy_path(request.uri().path()) {
        let method = request.method().clone();
        let provider = forward::route_provider(request.uri().path());
        let answer = match proxy(&state, peer, request, now).await {
            Ok(answer) => answer.map(Body::new),
            Err(refused) => refused,
        };
        state
            .metrics
            .count_request(provider, &method, answer.status());
        answer
    } else {
        match tower::ServiceExt::oneshot(router, request.map(Body::new)).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    };
    Ok(access_log::finish(logged, response))
}

/// The proxy routes: the rules in the order of the table above (origin policy, access key,
/// rate limit, concurrency limit, body limit), then the forwarder: the upstream's answer, or
/// the proxy's own (a refusal, a preflight, an upstream failure). Each rule lives in its own
/// file.
async fn proxy(
    state: &AppState,
    peer: SocketAddr,
    request: Request<Incoming>,
    started: std::time::Instant,
) -> Result<Response<forward::UpstreamBody>, Response> {
    // A refusal here comes before any of the body is read: what the client goes on sending is
    // read behind the answer (`limits::drain_refused_body`).
    let origin = match origin::check(&request, state) {
        origin::Checked::Refused(error) => {
            state.metrics.count_refusal(&error);
            limits::drain_refused_body(request, state.config.read_timeout);
            return Err(error.into_response());
        }
        origin::Checked::Answered(response) => {
            limits::drain_refused_body(request, state.config.read_timeout);
            return Err(response);
        }
        origin::Checked::Pass(origin) => origin,
    };
    let forwarded = match admit(&request, state, peer) {
        Ok(slot) => forward::forward(state, request, origin.clone(), slot, started.into()).await,
        Err(error) => {
            limits::drain_refused_body(request, state.config.read_timeout);
            Err(error)
        }
    };
    forwarded.map_err(|error| {
        state.metrics.count_refusal(&error);
        let mut response = error.into_response();
        origin::add_cors_headers(response.headers_mut(), origin);
        response
    })
}

/// The access key, rate limit, concurrency limit and body limit rules, in that order; the
/// concurrency slot to hold while the response is sent.
fn admit(
    request: &Request<Incoming>,
    state: &AppState,
    peer: SocketAddr,
) -> Result<limits::Slot, error::ProxyError> {
    access_key::check(request, state)?;
    if state.rate_limiter.is_some() {
        limits::check_rate_limit(state, peer)?;
    }
    let slot = limits::acquire_slot(state)?;
    limits::check_body_limit(request, state)?;
    Ok(slot)
}

/// Serves on `listener` until `shutdown` completes, then lets requests in flight finish for up
/// to `--shutdown-grace`; the metrics too, on `metrics_listener` if given. HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which the proxy
/// leaves to whatever terminates TLS in front of it. Each connection is a task on the runtime
/// this is called on.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let state = AppState::new(config, listener.local_addr()?);
    let router = app(state.clone());
    let mut background = vec![tokio::spawn(
        state.client.clone().close_idle_connections_periodically(),
    )];
    if let Some(metrics_listener) = metrics_listener {
        background.push(tokio::spawn(metrics::serve_metrics(
            state.clone(),
            metrics_listener,
        )));
    }
    if let Some(limiter) = state.rate_limiter.clone() {
        background.push(tokio::spawn(limits::forget_idle_clients_periodically(
            limiter,
        )));
    }
    let mut http = hyper::server::conn::http1::Builder::new();
    // hyper's header read timeout: a client that never finishes its request headers (or stays
    // idle between requests) does not hold a connection forever.
    http.timer(hyper_util::rt::TokioTimer::new());
    http.header_read_timeout(state.config.header_read_timeout);
    let connections = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!("accept failed: {error}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Without TCP_NODELAY the last segment of a response can wait for the client's delayed
        // ACK (40 ms).
        let _ = tcp.set_nodelay(true);
        let (state, router) = (state.clone(), router.clone());
        let service = hyper::service::service_fn(move |request| {
            handle(state.clone(), router.clone(), peer, request)
        });
        let connection = http.serve_connection(TokioIo::new(tcp), service);
        tokio::spawn(connections.watch(connection));
    }
    drop(listener);
    tracing::info!("shutting down: draining requests in flight");
    let grace = state.config.shutdown_grace;
    if tokio::time::timeout(grace, connections.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("shutdown grace period over: dropping requests still in flight");
    }
    background.iter().for_each(tokio::task::JoinHandle::abort);
    Ok(())
}

/// A proxy running in this process (for tests and the benchmark).
pub struct RunningProxy {
    /// The bound address.
    pub addr: SocketAddr,
    /// The metrics listener's bound address, with `--metrics-listen`.
    pub metrics_addr: Option<SocketAddr>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningProxy {
    /// Binds `config.listen` (and `config.metrics_listen`) and starts serving in the background.
    pub async fn start(config: Config) -> std::io::Result<RunningProxy> {
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let metrics_listener = match config.metrics_listen {
            Some(address) => Some(TcpListener::bind(address).await?),
            None => None,
        };
        let metrics_addr = match &metrics_listener {
            Some(listener) => Some(listener.local_addr()?),
            None => None,
        };
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(serve(config, listener, metrics_listener, async move {
            let _ = stopped.await;
        }));
        Ok(RunningProxy {
            addr,
            metrics_addr,
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
