//! A measurement, not a test: how the machines table copes with 5,000 machines, in headless
//! Chromium through the real proxy and sandbox. Prints, for the seeded account (12 machines)
//! and for one with 5,000 extra VMs, the time from navigation to the table showing its rows
//! and the time from a keystroke in the filter to the updated table (median and p95 of 50),
//! and their ratio: the machines are shared and noisy, so only figures of one run compare.
//!
//! `cargo run --release -p cloudpane-e2e --example machines_table_timing` after
//! `trunk build --release --offline` and `cargo build -p cloudpane-proxy -p cloudpane-sandbox`.

use std::time::Duration;

use cloudpane_e2e::{start_demo_proxy, start_sandbox_with, Browser};

const KEYSTROKES: usize = 50;

/// Loads /machines, waits for the row count, and times filter keystrokes in the page.
async fn measure(browser: &Browser, proxy_url: &str) -> (f64, Vec<f64>, String) {
    browser
        .client
        .goto(&format!("{proxy_url}/machines"))
        .await
        .unwrap();
    let shown = browser
        .wait_for_text(".row-count", "Showing", Duration::from_secs(120))
        .await;
    // From navigation start to the next frame after the rows were found in the page.
    let first_render = browser
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               const t = performance.getEntriesByType('navigation')[0];
               requestAnimationFrame(() => done(performance.now() - t.startTime));"#,
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
           const input = document.querySelector('#filter-text');
           const words = ['a', 'ba', 'run', '1', 'h100', 'stop', 'e', '0', 'batch-00', 'x'];
           const out = [];
           (async () => {{
             for (let i = 0; i < {KEYSTROKES}; i++) {{
               const t0 = performance.now();
               input.value = words[i % words.length] + (i % 3 === 0 ? '' : String(i % 10));
               input.dispatchEvent(new Event('input', {{bubbles: true}}));
               // Let queued reactive work run, then force style and layout.
               await Promise.resolve(); await Promise.resolve();
               document.body.offsetHeight;
               out.push(performance.now() - t0);
               await new Promise(r => setTimeout(r, 30));
             }}
             input.value = '';
             input.dispatchEvent(new Event('input', {{bubbles: true}}));
             done(out);
           }})();"#
    );
    let times = browser.client.execute_async(&script, vec![]).await.unwrap();
    let times = times
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    (first_render, times, shown)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let mut rows = Vec::new();
    for extra in ["0", "5000"] {
        let sandbox = start_sandbox_with(&["--extra-vms", extra]);
        let proxy = start_demo_proxy(&sandbox.url);
        let browser = Browser::start().await;
        // One warm-up load (caches, JIT), then the measured one.
        let _ = measure(&browser, &proxy.url).await;
        let (first, mut times, shown) = measure(&browser, &proxy.url).await;
        times.sort_by(f64::total_cmp);
        rows.push((
            extra,
            first,
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            shown,
        ));
        browser.close().await;
    }
    println!(
        "{:<22} {:>14} {:>18} {:>15}  table",
        "account", "to rows (ms)", "keystroke p50 (ms)", "keystroke p95"
    );
    for (extra, first, p50, p95, shown) in &rows {
        let account = format!("seeded + {extra} VMs");
        println!("{account:<22} {first:>14.1} {p50:>18.2} {p95:>15.2}  {shown}");
    }
    let (base, big) = (&rows[0], &rows[1]);
    println!(
        "ratio 5,000 / seeded:  to rows {:.1}x, keystroke p50 {:.1}x, p95 {:.1}x",
        big.1 / base.1,
        big.2 / base.2,
        big.3 / base.3
    );
}
