//! The console's figures, each against a baseline measured in the same run (scripts/bench.sh
//! builds everything and runs this; it is a measurement, not a test):
//!
//! - **first load**: raw, gzip -9 and brotli -q 11 bytes of what the first page load fetches
//!   before the console runs (`index.html`, the main wasm, its JS, `__wasm_split.js`, the CSS),
//!   against the 350 KB gzip budget, and the wasm's share;
//! - **time to data**: headless Chromium on loopback, from navigation to the machines table's
//!   first rows (the app's `cloudpane:machines-shown` performance mark), against a static HTML
//!   page of the same rows (the table the app drew, saved with the same CSS) served by the same
//!   proxy (`domInteractive`: its rows parsed); medians of several loads each, warm cache;
//! - **a big table**: with 5,000 more Voltage Park VMs in the sandbox, the same time to the first
//!   rows, and the time from a keystroke in the search field to the next frame with the table
//!   updated, median and p95 over 50 keystrokes, against one frame (16 ms);
//! - **the proxy**: `crates/proxy`'s benchmark (direct, nginx, cloudpane-proxy), summarised.
//!
//! Environment: `CLOUDPANE_DIST`, `CLOUDPANE_PROXY_BIN`, `CLOUDPANE_SANDBOX_BIN` as for the
//! end-to-end tests; `BENCH_LOADS` (default 7) page loads per median; `BENCH_PROXY` = the proxy
//! benchmark's executable (left out when unset); `BENCH_SECS` is passed on to it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use cloudpane_e2e::{start_proxy, start_sandbox, start_sandbox_with, Browser, WAIT};
use serde_json::Value;

/// One frame at 60 Hz: the keystroke target.
const FRAME_MS: f64 = 16.0;
const BUDGET: usize = 350_000;
const MARK: &str = "cloudpane:machines-shown";

struct Table(Vec<[String; 4]>);

impl Table {
    fn row(&mut self, figure: &str, measured: String, baseline: String, ratio: String) {
        self.0.push([figure.to_string(), measured, baseline, ratio]);
    }

    fn print(&self) {
        println!("| figure | measured | baseline | ratio |");
        println!("|---|---:|---:|---:|");
        for [a, b, c, d] in &self.0 {
            println!("| {a} | {b} | {c} | {d} |");
        }
    }
}

#[tokio::main]
async fn main() {
    let dist = std::env::var_os("CLOUDPANE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| cloudpane_e2e::workspace().join("dist"));
    let loads: usize = std::env::var("BENCH_LOADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    let mut table = Table(Vec::new());

    first_load(&dist, &mut table);

    // The static page goes next to the app in a copy of dist, so the same proxy serves both.
    let served = tempdir("cloudpane-bench-dist");
    copy_dir(&dist, &served);
    // SAFETY-free in edition 2021: set before any thread of this program reads the environment.
    std::env::set_var("CLOUDPANE_DIST", &served);

    let browser = Browser::start().await;
    let unhurried = {
        let sandbox = start_sandbox();
        let proxy = start_proxy(&sandbox.url, &[]);
        let app = loads_until_rows(&browser, &proxy.url, loads).await;
        let rows = drawn_rows(&browser).await;
        save_static_page(&browser, &served, "bench-rows.html").await;
        let page =
            static_page_loads(&browser, &format!("{}/bench-rows.html", proxy.url), loads).await;
        table.row(
            &format!("time to data: machines table ({rows} rows), median of {loads}"),
            ms(median(&app)),
            format!("{} static page", ms(median(&page))),
            ratio(median(&app), median(&page)),
        );
        median(&app)
    };
    {
        // No waterfalls: with every provider request 150 ms slower, the first rows should come
        // about one provider round trip later (one round of requests in parallel), not three.
        const ADDED_MS: f64 = 150.0;
        let sandbox = start_sandbox_with(&["--latency-ms", "150"]);
        let proxy = start_proxy(&sandbox.url, &[]);
        let slow = loads_until_rows(&browser, &proxy.url, loads).await;
        table.row(
            &format!(
                "no waterfalls: first rows with {ADDED_MS} ms added to every provider request, median of {loads}"
            ),
            ms(median(&slow)),
            format!("{} without", ms(unhurried)),
            format!(
                "{:.2} provider round trips later (target <= 1.3)",
                (median(&slow) - unhurried) / ADDED_MS
            ),
        );
    }
    {
        let sandbox = start_sandbox_with(&["--extra-vms", "5000"]);
        let proxy = start_proxy(&sandbox.url, &[]);
        let first = loads_until_rows(&browser, &proxy.url, 3.min(loads)).await;
        let total = machines_total(&browser).await;
        table.row(
            &format!(
                "big table: first rows with {total} machines, median of {}",
                first.len()
            ),
            ms(median(&first)),
            "-".into(),
            "-".into(),
        );
        let (updated, painted) = keystrokes(&browser, 50).await;
        for (what, times) in [
            ("keystroke in search to table updated", &updated),
            ("keystroke in search to the next frame", &painted),
        ] {
            for (stat, value) in [("median", median(times)), ("p95", percentile(times, 0.95))] {
                table.row(
                    &format!("big table: {what}, {stat} of 50"),
                    ms(value),
                    format!("{} one frame", ms(FRAME_MS)),
                    ratio(value, FRAME_MS),
                );
            }
        }
    }
    browser.close().await;
    let _ = std::fs::remove_dir_all(&served);

    if let Ok(bench) = std::env::var("BENCH_PROXY") {
        proxy_figures(&bench, &mut table);
    }
    table.print();
}

/// The first-load rows: raw, gzip and brotli bytes, the budget, the wasm's share.
fn first_load(dist: &Path, table: &mut Table) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .unwrap_or_else(|e| panic!("{}: {e} (build the app first)", dist.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name == "index.html"
                || [".wasm", ".js", ".css"]
                    .iter()
                    .any(|ext| name.ends_with(ext))
        })
        .collect();
    files.sort();
    let (mut raw, mut gz, mut br, mut wasm_gz) = (0, 0, 0, 0);
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let g = gzip(file);
        raw += bytes.len();
        gz += g;
        br += brotli(&bytes);
        if file.extension().is_some_and(|e| e == "wasm") {
            wasm_gz += g;
        }
    }
    table.row(
        &format!("first load, gzip -9 ({} files)", files.len()),
        bytes(gz),
        format!("{} budget", bytes(BUDGET)),
        format!("{:.3}", gz as f64 / BUDGET as f64),
    );
    table.row(
        "first load, brotli -q 11",
        bytes(br),
        bytes(gz) + " gzip",
        ratio(br as f64, gz as f64),
    );
    table.row("first load, raw", bytes(raw), "-".into(), "-".into());
    table.row(
        "first load: the wasm's share of the gzip bytes",
        bytes(wasm_gz),
        bytes(gz),
        format!("{:.0}%", 100.0 * wasm_gz as f64 / gz as f64),
    );
}

/// `gzip -9` as scripts/first-load.sh (the test command's budget) measures it.
fn gzip(file: &Path) -> usize {
    let out = std::process::Command::new("gzip")
        .arg("-9c")
        .arg(file)
        .output()
        .expect("gzip is installed");
    out.stdout.len()
}

fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes).unwrap();
    }
    out.len()
}

/// Loads the app at `/` `loads` times (after one warm-up load) and returns, for each, the
/// milliseconds from navigation to the first rows.
async fn loads_until_rows(browser: &Browser, base: &str, loads: usize) -> Vec<f64> {
    let mut times = Vec::new();
    for i in 0..=loads {
        browser.client.goto("about:blank").await.unwrap();
        browser.client.goto(&format!("{base}/")).await.unwrap();
        let at = wait_for_mark(browser).await;
        if i > 0 {
            times.push(at);
        }
    }
    times
}

async fn wait_for_mark(browser: &Browser) -> f64 {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let found = browser
            .client
            .execute(
                "const m = performance.getEntriesByName(arguments[0]); return m.length ? m[0].startTime : null;",
                vec![Value::from(MARK)],
            )
            .await
            .unwrap();
        if let Some(at) = found.as_f64() {
            return at;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the machines table never showed rows"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn drawn_rows(browser: &Browser) -> u64 {
    browser
        .client
        .execute(
            "return document.querySelectorAll('table.machines tbody tr').length",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(0)
}

/// "Showing 100 of 5,012 machines" -> 5012.
async fn machines_total(browser: &Browser) -> String {
    let text = browser
        .client
        .execute(
            "return document.querySelector('.row-count').textContent",
            vec![],
        )
        .await
        .unwrap();
    let text = text.as_str().unwrap_or("");
    text.split(" of ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .unwrap_or("?")
        .to_string()
}

/// Saves the table the app drew as a static page with the app's CSS.
async fn save_static_page(browser: &Browser, dist: &Path, name: &str) {
    let html = browser
        .client
        .execute(
            "const css = [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.outerHTML).join('');
             return '<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Machines</title>'
               + css + '</head><body><main>' + document.querySelector('table.machines').outerHTML
               + '</main></body></html>';",
            vec![],
        )
        .await
        .unwrap();
    std::fs::write(dist.join(name), html.as_str().unwrap()).unwrap();
}

/// Loads the static page `loads` times (after one warm-up) and returns `domInteractive` of each.
async fn static_page_loads(browser: &Browser, url: &str, loads: usize) -> Vec<f64> {
    let mut times = Vec::new();
    for i in 0..=loads {
        browser.client.goto("about:blank").await.unwrap();
        browser.client.goto(url).await.unwrap();
        let at = browser
            .client
            .execute(
                "return performance.getEntriesByType('navigation')[0].domInteractive",
                vec![],
            )
            .await
            .unwrap()
            .as_f64()
            .unwrap();
        if i > 0 {
            times.push(at);
        }
    }
    times
}

/// `count` keystrokes in the search field (typing machine names and deleting them again), each
/// timed from the input event to the table updated (the handler and the reactive updates it
/// queued have run: a task after it) and to the next frame after that (the update painted).
async fn keystrokes(browser: &Browser, count: usize) -> (Vec<f64>, Vec<f64>) {
    let mut texts = Vec::new();
    'words: for word in [
        "train-0", "eval", "bench-00", "embed-1", "notebook", "infer-02",
    ] {
        for end in (1..=word.len()).chain((0..word.len()).rev()) {
            texts.push(word[..end].to_string());
            if texts.len() == count {
                break 'words;
            }
        }
    }
    let (mut updated, mut painted) = (Vec::new(), Vec::new());
    for text in texts {
        let took = browser
            .client
            .execute_async(
                "const [text, done] = arguments;
                 const input = document.getElementById('filter-text');
                 const t0 = performance.now();
                 input.value = text;
                 input.dispatchEvent(new Event('input', { bubbles: true }));
                 setTimeout(() => {
                   const t1 = performance.now();
                   requestAnimationFrame(() => setTimeout(() => done([t1 - t0, performance.now() - t0]), 0));
                 }, 0);",
                vec![Value::from(text.clone())],
            )
            .await
            .unwrap();
        updated.push(took[0].as_f64().unwrap());
        painted.push(took[1].as_f64().unwrap());
        // The table really follows the search.
        let shown = browser
            .client
            .execute(
                "return document.querySelector('.row-count, .empty').textContent",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            shown.as_str().is_some(),
            "no row count after typing {text:?}"
        );
    }
    (updated, painted)
}

/// Runs the proxy's benchmark and adds its summary rows (1 KiB and 1 MiB at 64 and 1
/// connections: cloudpane-proxy against nginx, and the RSS while streaming).
fn proxy_figures(bench: &str, table: &mut Table) {
    eprintln!("running the proxy benchmark ({bench}) ...");
    let out = std::process::Command::new(bench)
        .output()
        .expect("the proxy benchmark runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| l.starts_with("| 1 "))
        .map(|l| l.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    // | body | conns | path | req/s | p50 ms | p99 ms | errors | ×direct | ×nginx | CPU ...
    for body in ["1 KiB", "1 MiB"] {
        for conns in ["64", "1"] {
            let find = |path: &str| {
                rows.iter()
                    .find(|r| r[0] == body && r[1] == conns && r[2] == path)
                    .cloned()
            };
            let (Some(proxy), direct) = (find("cloudpane-proxy"), find("direct")) else {
                continue;
            };
            let direct_rps = direct.as_ref().map_or("-", |d| d[3]);
            match find("nginx") {
                Some(nginx) => {
                    table.row(
                        &format!("proxy {body} ×{conns}: req/s (direct {direct_rps})"),
                        proxy[3].to_string(),
                        format!("{} nginx", nginx[3]),
                        format!("{}x", proxy[8]),
                    );
                    table.row(
                        &format!("proxy {body} ×{conns}: p99 ms"),
                        proxy[5].to_string(),
                        format!("{} nginx", nginx[5]),
                        ratio(num(proxy[5]), num(nginx[5])),
                    );
                    table.row(
                        &format!("proxy {body} ×{conns}: CPU µs per request"),
                        proxy[11].to_string(),
                        format!("{} nginx", nginx[11]),
                        ratio(num(proxy[11]), num(nginx[11])),
                    );
                }
                None => table.row(
                    &format!("proxy {body} ×{conns}: req/s (nginx not installed)"),
                    proxy[3].to_string(),
                    format!("{direct_rps} direct"),
                    format!("{}x", proxy[7]),
                ),
            }
        }
    }
    if let Some(line) = text.lines().find(|l| l.starts_with("256 MiB stream")) {
        let growth = line.rsplit("growth ").next().unwrap_or("?");
        table.row(
            "proxy: RSS growth streaming 256 MiB",
            growth.into(),
            "32 MiB target".into(),
            "-".into(),
        );
    }
}

/// The number a cell starts with (`25 (8.8 + 16.2)` is 25: the proxy's CPU, then its user and
/// system parts).
fn num(s: &str) -> f64 {
    s.split_whitespace()
        .next()
        .unwrap_or_default()
        .replace(',', "")
        .parse()
        .unwrap_or(f64::NAN)
}

fn median(v: &[f64]) -> f64 {
    percentile(v, 0.5)
}

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn ms(v: f64) -> String {
    format!("{v:.1} ms")
}

fn ratio(a: f64, b: f64) -> String {
    format!("{:.2}x", a / b)
}

fn bytes(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out + " B"
}

fn tempdir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
