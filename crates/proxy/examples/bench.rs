//! The proxy's cost, measured on loopback in one run:
//!
//! ```text
//! cargo run --release -p cloudpane-proxy --example bench            # 5 s per measurement
//! BENCH_SECS=10 BENCH_CONNECTIONS=64 cargo run --release -p cloudpane-proxy --example bench
//! ```
//!
//! It starts a minimal upstream and the proxy as two child processes (this same executable,
//! re-run with `--upstream-child` / `--proxy-child`), and nginx (Debian's `nginx` package,
//! `apt-get install nginx`; skipped with a note if it is not installed) as the peer: a CORS
//! reverse proxy in front of the same upstream, from a generated config (`worker_processes
//! auto`, keep-alive to the upstream). Then it measures requests per second, latency p50/p99 and
//! CPU time per request going direct, through nginx and through cloudpane-proxy, for 1 KiB and
//! 1 MiB bodies at 1 and 64 connections, and the proxy's peak RSS growth while it streams a
//! 256 MiB response. Beside each measurement: the share of the machine's cores left idle (the
//! three processes waiting on each other rather than working), and how nginx's workers shared
//! the connections, which nginx leaves to whichever worker wakes first and which changes from
//! run to run (all on one worker, or split). Only loopback addresses are used.
//! `BENCH_NGINX=off` leaves nginx out.

use std::convert::Infallible;
use std::process::Stdio;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::routing::get;
use bytes::Bytes;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The proxy binary's allocator, so that the proxy child measures what the binary runs (the
/// upstream and the load generator, in this same executable, use it too).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        // The nginx configuration the benchmark uses, for `callgrind.sh`: DIR PORT UPSTREAM
        // WORKERS.
        Some("--nginx-conf") => match &args[2..] {
            [dir, port, upstream, workers] => print!(
                "{}",
                nginx_conf(
                    std::path::Path::new(dir),
                    port.parse().expect("a port"),
                    upstream,
                    workers
                )
            ),
            _ => panic!("--nginx-conf DIR PORT UPSTREAM WORKERS"),
        },
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
    // Log as the binary does (one access line per request, `RUST_LOG` filtering), to stderr,
    // which the parent drops.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
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
    cloudpane_proxy::serve(config, listener, None, cloudpane_proxy::shutdown_signal())
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
    let [user, system] = cpu_ticks_split(pid);
    user + system
}

/// User and system CPU time of a process so far, in clock ticks.
fn cpu_ticks_split(pid: u32) -> [u64; 2] {
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
    [field(11), field(12)]
}

/// The parent pid of a process, from /proc.
fn parent_pid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(1)?.parse().ok()
}

/// The children of `pid` (nginx's workers), from /proc.
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| parent_pid(*p) == Some(pid))
        .collect()
}

/// User and system CPU ticks of a group of processes.
fn group_ticks(pids: &[u32]) -> [u64; 2] {
    pids.iter()
        .map(|p| cpu_ticks_split(*p))
        .fold([0, 0], |[u, s], [pu, ps]| [u + pu, s + ps])
}

/// This load generator and the upstream, whose CPU time is measured for every target.
static PIDS: std::sync::OnceLock<[u32; 2]> = std::sync::OnceLock::new();

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
    /// CPU microseconds per request of generator, upstream and the proxy in between (nginx,
    /// cloudpane-proxy, or nothing when direct): user and system time together, then the proxy's
    /// user time and system time apart.
    cpu_us_per_request: [f64; 5],
    /// The share of the machine's cores that were idle while recording: work that waits on
    /// another process's turn on a core shows here, not as CPU time.
    idle_share: f64,
    /// How many of the connections each of nginx's workers held (empty when not counted).
    connections_per_worker: Vec<usize>,
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
    /// The proxy's processes (empty when direct).
    proxy_pids: Vec<u32>,
    connections: usize,
    latencies: Vec<Duration>,
    errors: usize,
    elapsed: Duration,
    /// CPU ticks spent by generator, upstream and proxy (user + system), then the proxy's user
    /// and system ticks apart, while recording.
    cpu: [u64; 5],
    /// The machine's idle and total CPU ticks while recording.
    machine: [u64; 2],
}

/// Idle and total CPU ticks of the whole machine so far (the first line of /proc/stat; idle
/// includes I/O wait).
fn machine_ticks() -> [u64; 2] {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    [idle, ticks.iter().sum()]
}

/// How many established TCP connections to local `port` each of `pids` holds: the sockets
/// /proc/net/tcp lists with that local port, found among each process's file descriptors.
fn connections_per_process(port: u16, pids: &[u32]) -> Vec<usize> {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    let inodes: std::collections::HashSet<u64> = table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let local_port = u16::from_str_radix(fields.get(1)?.rsplit(':').next()?, 16).ok()?;
            // State 01 is ESTABLISHED; field 9 the socket's inode.
            let established = *fields.get(3)? == "01";
            (local_port == port && established).then(|| fields.get(9)?.parse().ok())?
        })
        .collect();
    pids.iter()
        .map(|pid| {
            let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
                return 0;
            };
            fds.flatten()
                .filter_map(|fd| std::fs::read_link(fd.path()).ok())
                .filter_map(|link| {
                    let link = link.to_str()?;
                    link.strip_prefix("socket:[")?
                        .strip_suffix(']')?
                        .parse()
                        .ok()
                })
                .filter(|inode| inodes.contains(inode))
                .count()
        })
        .collect()
}

impl Load {
    fn new(url: String, proxy_pids: Vec<u32>, connections: usize) -> Load {
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(connections)
            .build()
            .unwrap();
        Load {
            client,
            url,
            proxy_pids,
            connections,
            latencies: Vec::new(),
            cpu: [0; 5],
            machine: [0; 2],
            errors: 0,
            elapsed: Duration::ZERO,
        }
    }

    fn ticks(&self) -> [u64; 5] {
        let [generator, upstream] = *PIDS.get().expect("pids set");
        let [user, system] = group_ticks(&self.proxy_pids);
        [
            cpu_ticks(generator),
            cpu_ticks(upstream),
            user + system,
            user,
            system,
        ]
    }

    /// Runs for `duration`, recording latencies when `record` (not while warming up).
    async fn run(&mut self, duration: Duration, record: bool) {
        let cpu_before = self.ticks();
        let machine_before = machine_ticks();
        let started = Instant::now();
        let until = started + duration;
        let origin = origin_of(&self.url);
        let tasks: Vec<_> = (0..self.connections)
            .map(|_| {
                let client = self.client.clone();
                let url = self.url.clone();
                let origin = origin.clone();
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    let mut errors = 0;
                    while Instant::now() < until {
                        let sent = Instant::now();
                        // A browser's cross-origin call: the Origin header is what a CORS
                        // proxy answers to.
                        let ok = match client.get(&url).header("origin", &origin).send().await {
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
        let mut all = Vec::new();
        let mut errors = 0;
        for task in tasks {
            let (latencies, task_errors) = task.await.unwrap();
            all.extend(latencies);
            errors += task_errors;
        }
        if record {
            self.elapsed += started.elapsed();
            self.latencies.extend(all);
            self.errors += errors;
            let after = self.ticks();
            for i in 0..self.cpu.len() {
                self.cpu[i] += after[i].saturating_sub(cpu_before[i]);
            }
            let machine_after = machine_ticks();
            for i in 0..2 {
                self.machine[i] += machine_after[i].saturating_sub(machine_before[i]);
            }
        }
    }

    fn result(mut self, connections_per_worker: Vec<usize>) -> LoadResult {
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
            idle_share: self.machine[0] as f64 / self.machine[1].max(1) as f64,
            connections_per_worker,
        }
    }
}

/// `scheme://host:port` of a URL.
fn origin_of(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    url[..end].to_string()
}

/// One target of the load: a name, a URL and the processes that serve it in between.
struct Target {
    name: &'static str,
    url: String,
    proxy_pids: Vec<u32>,
    /// Worker processes whose share of the connections is counted (nginx's), with the port
    /// they serve.
    workers: Option<(u16, Vec<u32>)>,
}

/// The targets' loads, interleaved in short rounds so that other work on the machine weighs on
/// all alike; `duration` in all for each.
async fn compare(targets: &[Target], connections: usize, duration: Duration) -> Vec<LoadResult> {
    const ROUNDS: u32 = 5;
    let mut loads: Vec<Load> = targets
        .iter()
        .map(|t| Load::new(t.url.clone(), t.proxy_pids.clone(), connections))
        .collect();
    for load in &mut loads {
        load.run(Duration::from_millis(300), false).await;
    }
    for _ in 0..ROUNDS {
        for load in &mut loads {
            load.run(duration / ROUNDS, true).await;
        }
    }
    // Counted while the load's pooled connections are still open.
    let spreads: Vec<Vec<usize>> = targets
        .iter()
        .map(|t| {
            t.workers.as_ref().map_or_else(Vec::new, |(port, pids)| {
                connections_per_process(*port, pids)
            })
        })
        .collect();
    loads
        .into_iter()
        .zip(spreads)
        .map(|(load, spread)| load.result(spread))
        .collect()
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

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// nginx's configuration for the benchmark: a CORS reverse proxy on `127.0.0.1:{port}` in
/// front of `upstream`, with `workers` worker processes, its files in `dir`.
fn nginx_conf(dir: &std::path::Path, port: u16, upstream: &str, workers: &str) -> String {
    let upstream_host = upstream.trim_start_matches("http://");
    let d = dir.display();
    // As close to the proxy's rules as nginx's configuration language gets: the allowed
    // origin named (never `*`), Vary: Origin, the same security headers, cookies and
    // upstream CORS headers hidden, and for the allowed origin the headers the app may read
    // (`Access-Control-Expose-Headers`, which the proxy sends too). One access-log line per
    // request, written to /dev/null as the proxy's stderr is.
    let exposed = cloudpane_proxy::headers::CORS_EXPOSED_HEADERS;
    format!(
        r#"worker_processes {workers};
daemon off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log /dev/null;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    keepalive_requests 1000000;
    map $http_origin $cors_origin {{
        "http://127.0.0.1:{port}" $http_origin;
        default "";
    }}
    map $http_origin $cors_expose {{
        "http://127.0.0.1:{port}" "{exposed}";
        default "";
    }}
    upstream bench_upstream {{
        server {upstream_host};
        keepalive 64;
        keepalive_requests 1000000;
    }}
    server {{
        listen 127.0.0.1:{port};
        location /proxy/octos/ {{
            proxy_pass http://bench_upstream/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Cookie "";
            proxy_set_header Origin "";
            proxy_set_header Referer "";
            proxy_hide_header Set-Cookie;
            proxy_hide_header WWW-Authenticate;
            proxy_hide_header Access-Control-Allow-Origin;
            proxy_hide_header Access-Control-Allow-Credentials;
            add_header Access-Control-Allow-Origin $cors_origin always;
            add_header Access-Control-Expose-Headers $cors_expose always;
            add_header Vary Origin always;
            add_header X-Content-Type-Options nosniff always;
            add_header Content-Security-Policy "default-src 'none'; sandbox" always;
            add_header Referrer-Policy no-referrer always;
        }}
    }}
}}
"#
    )
}

/// nginx as a CORS reverse proxy in front of the upstream, from a generated config in a
/// private temporary directory.
struct Nginx {
    child: Child,
    dir: std::path::PathBuf,
    url: String,
}

impl Nginx {
    async fn start(upstream: &str) -> Result<Nginx, String> {
        let binary = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .ok_or("nginx is not installed (Debian: apt-get install nginx)")?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let dir =
            std::env::temp_dir().join(format!("cloudpane-bench-nginx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let conf = nginx_conf(&dir, port, upstream, "auto");
        let conf_path = dir.join("nginx.conf");
        std::fs::write(&conf_path, conf).map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .arg("-c")
            .arg(&conf_path)
            .arg("-p")
            .arg(&dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("nginx does not start: {e}"))?;
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            if started.elapsed() > Duration::from_secs(10) {
                return Err(format!(
                    "nginx did not start listening; see {}",
                    dir.join("error.log").display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Nginx { child, dir, url })
    }

    /// The workers (the master's children) and the port they serve.
    fn workers(&self) -> (u16, Vec<u32>) {
        let port = self.url.rsplit(':').next().and_then(|p| p.parse().ok());
        (port.unwrap_or(0), self.pids().split_off(1))
    }

    /// The master and its workers.
    fn pids(&self) -> Vec<u32> {
        let master = self.child.id().unwrap_or(0);
        let mut pids = vec![master];
        pids.extend(children_of(master));
        pids
    }

    async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            // SAFETY: sends a signal to the child this program started; no memory is involved.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGQUIT) };
        }
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn bench() {
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let many: usize = std::env::var("BENCH_CONNECTIONS")
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
    let nginx = if std::env::var("BENCH_NGINX").as_deref() == Ok("off") {
        None
    } else {
        match Nginx::start(&upstream.url).await {
            Ok(nginx) => Some(nginx),
            Err(why) => {
                println!("nginx left out: {why}");
                None
            }
        }
    };
    println!(
        "upstream {}  cloudpane-proxy {} (pid {})  nginx {}",
        upstream.url,
        proxy.url,
        proxy.pid(),
        nginx.as_ref().map_or("-", |n| n.url.as_str())
    );
    println!("{secs} s per measurement, interleaved in 5 rounds, loopback only\n");
    PIDS.set([std::process::id(), upstream.pid()]).unwrap();

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

    println!(
        "| body | conns | path | req/s | p50 ms | p99 ms | errors | ×direct | ×nginx | CPU µs/req: generator | upstream | proxy (user + system) | cores idle |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    // How nginx's workers shared the connections, per measurement with many.
    let mut spreads: Vec<String> = Vec::new();
    // (body, connections, nginx, cloudpane-proxy) for the summary.
    let mut summary: Vec<(&str, usize, Option<LoadResult>, LoadResult)> = Vec::new();
    for (label, path, connections) in [
        ("1 KiB", "1k", many),
        ("1 MiB", "1m", many),
        ("1 KiB", "1k", 1),
        ("1 MiB", "1m", 1),
    ] {
        let mut targets = vec![Target {
            name: "direct",
            url: format!("{}/{path}", upstream.url),
            proxy_pids: Vec::new(),
            workers: None,
        }];
        if let Some(nginx) = &nginx {
            targets.push(Target {
                name: "nginx",
                url: format!("{}/proxy/octos/{path}", nginx.url),
                proxy_pids: nginx.pids(),
                workers: Some(nginx.workers()),
            });
        }
        targets.push(Target {
            name: "cloudpane-proxy",
            url: format!("{}/proxy/octos/{path}", proxy.url),
            proxy_pids: vec![proxy.pid()],
            workers: None,
        });
        let mut results = compare(&targets, connections, duration).await;
        let direct_rps = results[0].rps();
        let nginx_rps = nginx.as_ref().map(|_| results[1].rps());
        for (target, r) in targets.iter().zip(&results) {
            let [generator, up, middle, user, system] = r.cpu_us_per_request;
            println!(
                "| {label} | {connections} | {} | {:.0} | {} | {} | {} | {:.2} | {} | {generator:.0} | {up:.0} | {} | {:.0} % |",
                target.name,
                r.rps(),
                ms(r.p50),
                ms(r.p99),
                r.errors,
                r.rps() / direct_rps,
                nginx_rps.map_or("-".to_string(), |n| format!("{:.2}", r.rps() / n)),
                if target.proxy_pids.is_empty() {
                    "-".to_string()
                } else {
                    format!("{middle:.0} ({user:.1} + {system:.1})")
                },
                r.idle_share * 100.0
            );
            if connections > 1 && !r.connections_per_worker.is_empty() {
                let held: Vec<String> = r
                    .connections_per_worker
                    .iter()
                    .map(usize::to_string)
                    .collect();
                spreads.push(format!("{label} x{connections}: {}", held.join(" + ")));
            }
        }
        let ours = results.pop().expect("cloudpane-proxy result");
        let theirs = nginx.as_ref().map(|_| results.swap_remove(1));
        summary.push((label, connections, theirs, ours));
    }
    println!();
    println!(
        "The load generator, the upstream and the proxy share the machine's cores: when they are \
         saturated, throughput follows the CPU per request of all three."
    );
    if !spreads.is_empty() {
        println!(
            "Connections held by each nginx worker (nginx's workers take new connections as they \
             wake): {}",
            spreads.join("; ")
        );
    }
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
    let rss_ok = rss_peak.saturating_sub(rss_before) < 32 * 1024;
    if let Some(nginx) = nginx {
        let find = |label: &str, conns: usize| {
            summary
                .iter()
                .find(|(l, c, _, _)| *l == label && *c == conns)
                .and_then(|(_, _, n, p)| n.as_ref().map(|n| (n, p)))
        };
        let small = find("1 KiB", many);
        let large = find("1 MiB", many);
        let small_ratio = small.map_or(0.0, |(n, p)| p.rps() / n.rps());
        let small_p99_ok = small.is_some_and(|(n, p)| p.p99 < n.p99 * 2);
        let large_ok = large.is_some_and(|(n, p)| p.rps() >= n.rps());
        println!(
            "floors: 1 KiB x{many} at least 0.5x nginx: {small_ratio:.2}x ({}); p99 under 2x \
             nginx's: {}; 1 MiB x{many} ahead of nginx: {}; RSS growth < 32 MiB: {}",
            if small_ratio >= 0.5 { "met" } else { "NOT met" },
            if small_p99_ok { "met" } else { "NOT met" },
            if large_ok { "met" } else { "NOT met" },
            if rss_ok { "met" } else { "NOT met" },
        );
        if let Some((n, p)) = small {
            let [_, _, n_all, n_user, n_system] = n.cpu_us_per_request;
            let [_, _, p_all, p_user, p_system] = p.cpu_us_per_request;
            println!(
                "CPU per 1 KiB request at {many} connections: nginx {n_all:.1} µs (user {n_user:.1} + \
                 system {n_system:.1}), cloudpane-proxy {p_all:.1} µs (user {p_user:.1} + system \
                 {p_system:.1})"
            );
        }
        nginx.stop().await;
    } else {
        println!(
            "RSS growth < 32 MiB: {}",
            if rss_ok { "met" } else { "NOT met" }
        );
    }

    proxy.stop().await;
    upstream.stop().await;
}
