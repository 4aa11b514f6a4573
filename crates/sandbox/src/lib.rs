//! cloudpane-sandbox: simulated Voltage Park, NetActuate and Octos Cloud APIs, in memory.
//!
//! An independent reading of `provider-docs/`: it shares no types with the console's
//! `cloudpane-api` crate, so a console that misreads the documents is caught here.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use cloudpane_sandbox::{Sandbox, SandboxConfig};
//! let running = Sandbox::new(SandboxConfig::default()).spawn_loopback().await?;
//! let url = format!("{}/voltagepark/api/v1/locations/", running.base_url());
//! running.sandbox().advance(std::time::Duration::from_secs(3600));
//! # Ok(()) }
//! ```

pub mod access_log;
pub mod admin;
pub mod client_addr;
pub mod clock;
pub mod connection;
pub mod faults;
pub mod format;
pub mod netactuate;
pub mod octos;
pub mod request_log;
pub mod rng;
pub mod shapes;
pub mod voltagepark;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use ipnet::IpNet;
use time::OffsetDateTime;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use clock::Clock;
pub use faults::{DropRule, DropWhen, FailRule, Faults};
pub use shapes::Shapes;

/// How a sandbox starts.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Seeds every id, address and token, and the fault dice.
    pub seed: u64,
    /// Simulated start time; `None` means the machine's current time.
    pub start: Option<OffsetDateTime>,
    /// Whether the clock also follows real time (the binary) or only moves on `advance` (tests).
    pub real_time: bool,
    /// How long a bare-metal rental stays `Pending` after a deploy or a reboot.
    pub bare_metal_boot: Duration,
    /// Client networks NetActuate's IP ACL lets through.
    pub netactuate_allowed: Vec<IpNet>,
    /// Faults active from the start.
    pub faults: Faults,
    /// Extra Voltage Park VMs seeded at start and after every reset, to try big tables
    /// (see `voltagepark::extra_vms`; at most 20,000, more are capped).
    pub extra_vms: u32,
    /// Which reading of the providers the answers follow (see [`Shapes`]).
    pub shapes: Shapes,
}

impl Default for SandboxConfig {
    /// Deterministic: seed 1, frozen clock at 2026-11-25 12:00 UTC, loopback-only ACL.
    fn default() -> Self {
        Self {
            seed: 1,
            start: Some(time::macros::datetime!(2026-11-25 12:00 UTC)),
            real_time: false,
            bare_metal_boot: Duration::from_secs(120),
            netactuate_allowed: vec![
                "127.0.0.0/8".parse().expect("cidr"),
                "::1/128".parse().expect("cidr"),
            ],
            faults: Faults::default(),
            extra_vms: 0,
            shapes: Shapes::Document,
        }
    }
}

/// State shared by every handler.
#[derive(Debug)]
pub struct Shared {
    pub clock: Clock,
    pub voltagepark: Mutex<voltagepark::state::State>,
    /// Voltage Park's second organization ([`voltagepark::auth::RESEARCH_TOKEN`]).
    pub voltagepark_research: Mutex<voltagepark::state::State>,
    pub netactuate: Mutex<netactuate::state::State>,
    pub octos: Mutex<octos::state::State>,
    pub faults: Mutex<Faults>,
    pub fault_rng: Mutex<rng::Rng>,
    pub netactuate_allowed: Mutex<Vec<IpNet>>,
    pub requests: Mutex<request_log::RequestLog>,
    pub config: SandboxConfig,
}

/// The paths of the simulated providers (not `/` or the admin API's `/_sandbox`): the requests
/// that faults apply to and that the request log records.
pub fn is_provider_path(path: &str) -> bool {
    ["/voltagepark", "/netactuate", "/octos"].iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

impl Shared {
    /// Voltage Park's state, brought up to the clock's "now" (boots finished, usage billed).
    pub fn voltagepark(&self) -> MutexGuard<'_, voltagepark::state::State> {
        let now = self.clock.now();
        let mut st = self
            .voltagepark
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        st.advance_to(now);
        st
    }

    /// The state of the organization a request authenticated as, brought up to "now".
    pub fn voltagepark_of(
        &self,
        org: voltagepark::auth::Org,
    ) -> MutexGuard<'_, voltagepark::state::State> {
        match org {
            voltagepark::auth::Org::Demo => self.voltagepark(),
            voltagepark::auth::Org::Research => {
                let now = self.clock.now();
                let mut st = self
                    .voltagepark_research
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                st.advance_to(now);
                st
            }
        }
    }

    pub fn netactuate(&self) -> MutexGuard<'_, netactuate::state::State> {
        self.netactuate
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn octos(&self) -> MutexGuard<'_, octos::state::State> {
        self.octos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn requests(&self) -> MutexGuard<'_, request_log::RequestLog> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Puts every provider back to its seeded state, as of the clock's "now", and empties the
    /// request log.
    pub fn reset(&self) {
        self.requests().clear();
        let now = self.clock.now();
        let seed = self.config.seed;
        *self
            .voltagepark
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            seed_voltagepark(&self.config, now);
        *self
            .voltagepark_research
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            seed_voltagepark_research(&self.config, now);
        *self
            .netactuate
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = netactuate::seed::seed(seed, now);
        *self
            .octos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = octos::seed::seed(seed, now);
    }

    /// Empties every account of what it owns (see `admin::reset`), keeping the catalogues.
    pub fn empty_accounts(&self) {
        for org in [&self.voltagepark, &self.voltagepark_research] {
            let mut st = org
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            st.vms.clear();
            st.rentals.clear();
            st.ssh_keys.clear();
            st.volumes.clear();
            st.transactions.clear();
        }
        let mut na = self
            .netactuate
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        na.servers.clear();
        na.secrets.clear();
        na.lists.clear();
        na.values.clear();
        drop(na);
        let mut octos = self
            .octos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        octos.vms.clear();
        for (_, data) in &mut octos.resources {
            empty_lists(data);
        }
    }
}

/// Empties every list in an Octos family's `data`, keeping its shape (a wrapped list stays
/// wrapped, a summary object keeps its keys).
fn empty_lists(data: &mut serde_json::Value) {
    match data {
        serde_json::Value::Array(items) => items.clear(),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(empty_lists),
        _ => {}
    }
}

/// Voltage Park's seeded account with the configured extra VMs.
fn seed_voltagepark(config: &SandboxConfig, now: OffsetDateTime) -> voltagepark::state::State {
    let mut st = voltagepark::seed::seed(config.seed, now, config.bare_metal_boot);
    let extra = config.extra_vms.min(voltagepark::extra_vms::MAX_PER_CALL);
    st.add_extra_vms(extra, now)
        .expect("within the per-call limit on a fresh account");
    if config.shapes.live() {
        voltagepark::seed::as_recorded_live(&mut st);
    }
    st
}

/// Voltage Park's second organization, as seeded for the configured shapes.
fn seed_voltagepark_research(
    config: &SandboxConfig,
    now: OffsetDateTime,
) -> voltagepark::state::State {
    let mut st = voltagepark::seed::seed_research(config.seed, now, config.bare_metal_boot);
    if config.shapes.live() {
        voltagepark::seed::as_recorded_live(&mut st);
    }
    st
}

/// `GET /`: what is served where, for a human who opens the sandbox in a browser.
async fn index() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({
        "service": "cloudpane-sandbox",
        "providers": {
            "voltagepark": { "base": "/voltagepark", "example": "/voltagepark/api/v1/locations/", "token": voltagepark::auth::TOKEN },
            "netactuate": { "base": "/netactuate", "example": "/netactuate/v3/secrets", "token": netactuate::TOKEN },
            "octos": { "base": "/octos", "example": "/octos/backend/api/virtual-machines", "token": octos::seed::DEMO_TOKEN },
        },
        "admin": "/_sandbox (loopback only): clock, clock/advance, faults, netactuate/acl, requests, reset, voltagepark/extra-vms, voltagepark/virtual-machines/{id}/status, voltagepark/bare-metal/{id}/status",
    }))
}

/// One simulated world of three providers. Cloning shares the world.
#[derive(Debug, Clone)]
pub struct Sandbox {
    shared: Arc<Shared>,
}

impl Sandbox {
    pub fn new(config: SandboxConfig) -> Self {
        let start = config.start.unwrap_or_else(OffsetDateTime::now_utc);
        let clock = if config.real_time {
            Clock::running(start)
        } else {
            Clock::frozen(start)
        };
        let shared = Shared {
            voltagepark: Mutex::new(seed_voltagepark(&config, start)),
            voltagepark_research: Mutex::new(seed_voltagepark_research(&config, start)),
            netactuate: Mutex::new(netactuate::seed::seed(config.seed, start)),
            octos: Mutex::new(octos::seed::seed(config.seed, start)),
            faults: Mutex::new(config.faults.clone()),
            fault_rng: Mutex::new(rng::Rng::new(config.seed ^ 0xfa17)),
            netactuate_allowed: Mutex::new(config.netactuate_allowed.clone()),
            requests: Mutex::new(request_log::RequestLog::default()),
            clock,
            config,
        };
        Self {
            shared: Arc::new(shared),
        }
    }

    /// All three providers under `/voltagepark`, `/netactuate`, `/octos`, plus `/_sandbox` admin.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/", axum::routing::get(index))
            .nest(
                "/voltagepark",
                voltagepark::router(self.shared.config.shapes),
            )
            .nest("/netactuate", netactuate::router(self.shared.clone()))
            .nest("/octos", octos::router())
            .nest("/_sandbox", admin::router())
            .layer(axum::middleware::from_fn_with_state(
                self.shared.clone(),
                faults::inject,
            ))
            .layer(axum::middleware::from_fn_with_state(
                self.shared.clone(),
                access_log::log,
            ))
            .with_state(self.shared.clone())
    }

    /// Moves the simulated clock forward.
    pub fn advance(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// The simulated current time.
    pub fn now(&self) -> OffsetDateTime {
        self.shared.clock.now()
    }

    pub fn set_faults(&self, faults: Faults) {
        *self
            .shared
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = faults;
    }

    pub fn set_netactuate_allowed(&self, nets: Vec<IpNet>) {
        *self
            .shared
            .netactuate_allowed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = nets;
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Serves on `listener` until `shutdown` resolves.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // Through the sandbox's own listener, so that a `drop` fault can cut a connection.
        let app = self
            .router()
            .into_make_service_with_connect_info::<connection::Connection>();
        axum::serve(connection::SandboxListener::new(listener), app)
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// Starts serving on an ephemeral loopback port; the server stops when the handle drops.
    pub async fn spawn_loopback(self) -> std::io::Result<RunningSandbox> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let server = self.clone();
        let task = tokio::spawn(async move {
            let _ = server
                .serve(listener, async move {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(RunningSandbox {
            addr,
            sandbox: self,
            shutdown: Some(tx),
            task,
        })
    }
}

/// A sandbox serving on loopback; dropping it stops the server.
#[derive(Debug)]
pub struct RunningSandbox {
    addr: SocketAddr,
    sandbox: Sandbox,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningSandbox {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.abort();
    }
}
