//! `cloudpane-sandbox --listen ADDR`: the simulated providers as a server.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use cloudpane_sandbox::{DropRule, FailRule, Faults, Sandbox, SandboxConfig, Shapes};
use ipnet::IpNet;
use tokio::net::TcpListener;

/// Simulated Voltage Park, NetActuate and Octos Cloud APIs for cloudpane's demo and tests.
#[derive(Debug, Parser)]
#[command(name = "cloudpane-sandbox", version, about)]
struct Args {
    /// Address to listen on (port 0 picks a free port; the real one is printed).
    #[arg(
        long,
        default_value = "127.0.0.1:9090",
        env = "CLOUDPANE_SANDBOX_LISTEN"
    )]
    listen: SocketAddr,
    /// Seed for ids, addresses, tokens and the fault dice.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Keep the clock still (it moves only through POST /_sandbox/clock/advance).
    #[arg(long)]
    frozen_clock: bool,
    /// Seconds a bare-metal rental stays Pending after a deploy or reboot.
    #[arg(long, default_value_t = 120)]
    bare_metal_boot_secs: u64,
    /// Client network NetActuate's IP ACL allows (repeatable; default loopback only).
    #[arg(long = "netactuate-allow", value_name = "CIDR")]
    netactuate_allow: Vec<IpNet>,
    /// Latency added to every provider request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Probability (0..1) that a provider request fails with --error-status.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Status for --error-rate failures.
    #[arg(long, default_value_t = 503)]
    error_status: u16,
    /// Make a request always fail: "[METHOD] PATH=STATUS", PATH with the provider prefix,
    /// a trailing * matches a prefix (repeatable). Example: "GET /voltagepark/api/v1/locations=503".
    #[arg(long = "fail", value_name = "RULE", value_parser = FailRule::parse)]
    fail: Vec<FailRule>,
    /// Close the connection of a request with no HTTP answer: "[METHOD] PATH=before|after",
    /// PATH as for --fail. `before`: not processed; `after`: processed, then the answer is lost
    /// (repeatable). Example: "POST /voltagepark/api/v1/virtual-machines/instant=after".
    #[arg(long = "drop", value_name = "RULE", value_parser = DropRule::parse)]
    drop: Vec<DropRule>,
    /// Extra Voltage Park VMs to seed (for trying big tables); they take no hostnode capacity.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=20_000))]
    extra_vms: u32,
    /// Which reading to answer in: the documents' examples (plus Voltage Park's current instant
    /// catalogue), the documents' only (that catalogue answers 404), or the shapes recorded from
    /// the live APIs.
    #[arg(long, value_enum, default_value_t = Shapes::Document, env = "CLOUDPANE_SANDBOX_SHAPES")]
    shapes: Shapes,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    let mut config = SandboxConfig {
        seed: args.seed,
        start: None,
        real_time: !args.frozen_clock,
        bare_metal_boot: Duration::from_secs(args.bare_metal_boot_secs),
        faults: Faults {
            latency_ms: args.latency_ms,
            error_rate: args.error_rate.clamp(0.0, 1.0),
            error_status: Some(args.error_status),
            fail: args.fail,
            drop: args.drop,
        },
        extra_vms: args.extra_vms,
        shapes: args.shapes,
        ..SandboxConfig::default()
    };
    if !args.netactuate_allow.is_empty() {
        config.netactuate_allowed = args.netactuate_allow;
    }
    let listener = TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    let shutdown = shutdown_signal();
    println!("cloudpane-sandbox listening on http://{addr}");
    use std::io::Write as _;
    std::io::stdout().flush()?;
    Sandbox::new(config).serve(listener, shutdown).await
}

/// Resolves on SIGINT or SIGTERM. Installs the handlers when called (before the address is
/// printed), so a signal sent right after the "listening on" line still shuts down cleanly.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
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
