//! The proxy's cost, measured on loopback in one run:
//!
//! ```text
//! cargo run --release -p cloudpane-proxy --example bench            # 5 s per measurement
//! BENCH_SECS=10 BENCH_CONNECTIONS=64 cargo run --release -p cloudpane-proxy --example bench
//! ```
//!
//! It starts a minimal upstream and the proxy as two child processes (this same executable,
//! re-run with `--upstream-child` / `--proxy-child`), then measures requests per second and
//! latency p50/p99 directly against the upstream and through the proxy, for 1 KiB and 1 MiB
//! bodies at 64 connections, and the proxy's peak RSS growth while it streams a 256 MiB
//! response. Only loopback addresses are used.

use std::convert::Infallible;
use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::routing::get;
use bytes::Bytes;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const KIB: usize = 1024;
const MIB: usize = 1024 * 1024;
const STREAM_BYTES: usize = 256 * MIB;
const STREAM_CHUNK: usize = 64 * KIB;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    match args.get(1).map(String::as_str) {
        Some("--upstream-child") => runtime.block_on(upstream_child()),
        Some("--proxy-child") => runtime.block_on(proxy_child(&args[2..])),
        _ => runtime.block_on(bench()),
    }
}

/// The minimal upstream: fixed 1 KiB and 1 MiB bodies, and a generated 256 MiB stream.
async fn upstream_child() {
    let one_k = Bytes::from(vec![b'k'; KIB]);
    let one_m = Bytes::from(vec![b'm'; MIB]);
    let chunk = Bytes::from(vec![b's'; STREAM_CHUNK]);
    let app = axum::Router::new()
        .route("/1k", get(move || async move { one_k.clone() }))
        .route("/1m", get(move || async move { one_m.clone() }))
        .route(
            "/256m",
            get(move || async move {
                let chunks = STREAM_BYTES / STREAM_CHUNK;
                let stream = futures_util::stream::iter(
                    (0..chunks).map(move |_| Ok::<_, Infallible>(chunk.clone())),
                );
                axum::response::Response::builder()
                    .header("content-length", STREAM_BYTES)
                    .body(Body::from_stream(stream))
                    .unwrap()
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!(
        "upstream listening on http://{}",
        listener.local_addr().unwrap()
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(cloudpane_proxy::shutdown_signal())
        .await
        .unwrap();
}

/// The proxy, exactly as the binary runs it.
async fn proxy_child(args: &[String]) {
    // Log as the binary does (one access line per request), to stderr, which the parent drops.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let argv = std::iter::once("cloudpane-proxy".to_string()).chain(args.iter().cloned());
    let config = cloudpane_proxy::Config::from_args(argv).expect("proxy config");
    let listener = tokio::net::TcpListener::bind(config.listen).await.unwrap();
    println!(
        "cloudpane-proxy listening on http://{}",
        listener.local_addr().unwrap()
    );
    cloudpane_proxy::serve(config, listener, cloudpane_proxy::shutdown_signal())
        .await
        .unwrap();
}

struct ChildServer {
    child: Child,
    url: String,
}

async fn spawn_child(args: &[&str]) -> ChildServer {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("child starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .expect("child printed its address")
        .unwrap()
        .unwrap();
    let url = line.rsplit(' ').next().unwrap().to_string();
    ChildServer { child, url }
}

impl ChildServer {
    fn pid(&self) -> u32 {
        self.child.id().unwrap()
    }

    async fn stop(mut self) {
        // SAFETY: sends a signal to the child this program started; no memory is involved.
        unsafe { libc::kill(self.pid() as libc::pid_t, libc::SIGTERM) };
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

/// CPU time (user + system) of a process so far, in clock ticks (normally 1/100 s).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    field(11) + field(12)
}

/// The processes whose CPU time is measured: this load generator, the upstream, the proxy.
static PIDS: std::sync::OnceLock<[u32; 3]> = std::sync::OnceLock::new();

/// A kB value from /proc/{pid}/status, e.g. VmRSS or VmHWM.
fn proc_status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

struct LoadResult {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
    /// CPU microseconds per request of generator, upstream and proxy.
    cpu_us_per_request: [f64; 3],
}

/// Linux's USER_HZ, the unit of /proc/{pid}/stat times, on every common architecture.
const TICKS_PER_SECOND: f64 = 100.0;

impl LoadResult {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
}

/// Load on one URL: `connections` clients, each sending requests back to back.
struct Load {
    client: reqwest::Client,
    url: String,
    connections: usize,
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
    /// CPU ticks spent by generator, upstream and proxy while recording.
    cpu: [u64; 3],
}

impl Load {
    fn new(url: String, connections: usize) -> Load {
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(connections)
            .build()
            .unwrap();
        Load {
            client,
            url,
            connections,
            latencies: Vec::new(),
            cpu: [0; 3],
            errors: 0,
            elapsed: Duration::ZERO,
        }
    }

    /// Runs for `duration`, recording latencies when `record` (not while warming up).
    async fn run(&mut self, duration: Duration, record: bool) {
        let pids = *PIDS.get().expect("pids set");
        let cpu_before = pids.map(cpu_ticks);
        let started = Instant::now();
        let until = started + duration;
        let tasks: Vec<_> = (0..self.connections)
            .map(|_| {
                let client = self.client.clone();
                let url = self.url.clone();
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    let mut errors = 0;
                    while Instant::now() < until {
                        let sent = Instant::now();
                        let ok = match client.get(&url).send().await {
                            Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                            _ => false,
                        };
                        if ok {
                            latencies.push(sent.elapsed());
                        } else {
                            errors += 1;
                        }
                    }
                    (latencies, errors)
                })
            })
            .collect();
        for task in tasks {
            let (latencies, errors) = task.await.unwrap();
            if record {
                self.latencies.extend(latencies);
                self.errors += errors;
            }
        }
        if record {
            self.elapsed += started.elapsed();
            for (i, pid) in pids.iter().enumerate() {
                self.cpu[i] += cpu_ticks(*pid).saturating_sub(cpu_before[i]);
            }
        }
    }

    fn result(mut self) -> LoadResult {
        self.latencies.sort();
        let pct = |p: usize| {
            self.latencies
                .get(self.latencies.len() * p / 100)
                .copied()
                .unwrap_or_default()
        };
        LoadResult {
            requests: self.latencies.len(),
            errors: self.errors,
            elapsed: self.elapsed,
            p50: pct(50),
            p99: pct(99),
            cpu_us_per_request: self.cpu.map(|ticks| {
                ticks as f64 * 1e6 / TICKS_PER_SECOND / self.latencies.len().max(1) as f64
            }),
        }
    }
}

/// Direct and proxied load, interleaved in short rounds so that other work on the machine
/// weighs on both alike; `duration` in all for each.
async fn compare(
    direct: String,
    proxied: String,
    connections: usize,
    duration: Duration,
) -> (LoadResult, LoadResult) {
    const ROUNDS: u32 = 5;
    let mut direct = Load::new(direct, connections);
    let mut proxied = Load::new(proxied, connections);
    direct.run(Duration::from_millis(300), false).await;
    proxied.run(Duration::from_millis(300), false).await;
    for _ in 0..ROUNDS {
        direct.run(duration / ROUNDS, true).await;
        proxied.run(duration / ROUNDS, true).await;
    }
    (direct.result(), proxied.result())
}

/// Streams `url` to the end, discarding it; returns bytes and seconds.
async fn stream_all(url: &str) -> (usize, f64) {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let started = Instant::now();
    let mut response = client.get(url).send().await.unwrap();
    let mut total = 0;
    while let Some(chunk) = response.chunk().await.unwrap() {
        total += chunk.len();
    }
    (total, started.elapsed().as_secs_f64())
}

fn cpu_columns(r: &LoadResult) -> String {
    let [generator, upstream, proxy] = r.cpu_us_per_request;
    format!("{generator:.0} | {upstream:.0} | {proxy:.0}")
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

async fn bench() {
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let connections: usize = std::env::var("BENCH_CONNECTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(64);
    let duration = Duration::from_secs(secs);

    let upstream = spawn_child(&["--upstream-child"]).await;
    let upstream_flag = format!("octos={}", upstream.url);
    let proxy = spawn_child(&[
        "--proxy-child",
        "--listen",
        "127.0.0.1:0",
        "--allow-private-upstreams",
        "--upstream",
        &upstream_flag,
        "--max-concurrent-requests",
        "4096",
    ])
    .await;
    println!(
        "upstream {}  proxy {} (pid {})",
        upstream.url,
        proxy.url,
        proxy.pid()
    );
    println!("{connections} connections, {secs} s per measurement, loopback only\n");
    PIDS.set([std::process::id(), upstream.pid(), proxy.pid()])
        .unwrap();

    // Peak RSS while streaming 256 MiB through a freshly started proxy.
    let warm = format!("{}/proxy/octos/1k", proxy.url);
    let _ = stream_all(&warm).await;
    let _ = std::fs::write(format!("/proc/{}/clear_refs", proxy.pid()), "5"); // resets VmHWM
    let rss_before = proc_status_kib(proxy.pid(), "VmRSS:");
    let (streamed, stream_secs) = stream_all(&format!("{}/proxy/octos/256m", proxy.url)).await;
    let rss_peak =
        proc_status_kib(proxy.pid(), "VmHWM:").max(proc_status_kib(proxy.pid(), "VmRSS:"));
    let (_, direct_stream_secs) = stream_all(&format!("{}/256m", upstream.url)).await;
    assert_eq!(streamed, STREAM_BYTES);

    println!("| body | path | req/s | p50 ms | p99 ms | errors | CPU µs/req: generator | upstream | proxy |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut ratios = Vec::new();
    for (label, path) in [("1 KiB", "1k"), ("1 MiB", "1m")] {
        let (direct, proxied) = compare(
            format!("{}/{path}", upstream.url),
            format!("{}/proxy/octos/{path}", proxy.url),
            connections,
            duration,
        )
        .await;
        for (name, r) in [("direct", &direct), ("proxied", &proxied)] {
            println!(
                "| {label} | {name} | {:.0} | {} | {} | {} | {} |",
                r.rps(),
                ms(r.p50),
                ms(r.p99),
                r.errors,
                cpu_columns(r)
            );
        }
        ratios.push((
            label,
            proxied.rps() / direct.rps(),
            proxied.p99.saturating_sub(direct.p99),
            direct.p99,
            proxied.p99,
        ));
    }
    // The proxy's own latency, without 64 connections queueing for 2 cores.
    let (direct_one, proxied_one) = compare(
        format!("{}/1k", upstream.url),
        format!("{}/proxy/octos/1k", proxy.url),
        1,
        duration,
    )
    .await;
    for (name, r) in [
        ("direct, 1 connection", &direct_one),
        ("proxied, 1 connection", &proxied_one),
    ] {
        println!(
            "| 1 KiB | {name} | {:.0} | {} | {} | {} | {} |",
            r.rps(),
            ms(r.p50),
            ms(r.p99),
            r.errors,
            cpu_columns(r)
        );
    }
    println!();
    println!(
        "The machine's cores are shared by all three processes, so when they are saturated the \
         throughput ratio is (generator + upstream) / (generator + upstream + proxy) CPU per request."
    );
    println!();
    println!("| body | proxied/direct req/s | added p99 ms |");
    println!("|---|---:|---:|");
    for (label, ratio, added, _, _) in &ratios {
        println!("| {label} | {ratio:.2}x | {} |", ms(*added));
    }
    println!(
        "| 1 KiB, 1 connection | {:.2}x | {} (p50 +{}) |",
        proxied_one.rps() / direct_one.rps(),
        ms(proxied_one.p99.saturating_sub(direct_one.p99)),
        ms(proxied_one.p50.saturating_sub(direct_one.p50))
    );
    println!();
    println!(
        "256 MiB stream through the proxy: {:.2} s ({:.0} MiB/s; direct {:.2} s), proxy RSS {:.1} MiB before, \
         peak {:.1} MiB, growth {:.1} MiB",
        stream_secs,
        256.0 / stream_secs,
        direct_stream_secs,
        rss_before as f64 / 1024.0,
        rss_peak as f64 / 1024.0,
        rss_peak.saturating_sub(rss_before) as f64 / 1024.0
    );
    let targets_met = ratios.iter().all(|(_, ratio, _, _, _)| *ratio >= 0.5)
        && ratios[0].2 < Duration::from_millis(1)
        && rss_peak.saturating_sub(rss_before) < 32 * 1024;
    println!(
        "targets (>= 0.5x throughput, < 1 ms added p99 at 1 KiB, < 32 MiB RSS growth): {}",
        if targets_met { "met" } else { "NOT met" }
    );

    proxy.stop().await;
    upstream.stop().await;
}
