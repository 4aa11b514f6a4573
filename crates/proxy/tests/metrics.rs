//! Rule: Prometheus metrics on their own address (`--metrics-listen`, off by default): requests
//! by provider, method and status class, upstream latency, refusals by rule, requests in flight,
//! bytes; no token, path or query value in any label.

mod common;

use std::collections::HashMap;

use common::{binary, client, raw_request, temp_dir, Upstream};

const TOKEN: &str = "TOKEN-SECRET-5b7e";
const QUERY_KEY: &str = "QUERY-KEY-SECRET-91c4";
const BODY: &str = "BODY-SECRET-aa02-with-some-length";
const ACCESS_KEY: &str = "metrics-test-access-key-4567";

/// The scrape as `series -> value` (the series with its labels, as written).
async fn scrape(url: &str) -> (String, HashMap<String, f64>) {
    let response = client().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    let values = text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            Some((series.to_string(), value.parse().ok()?))
        })
        .collect();
    (text, values)
}

fn value(values: &HashMap<String, f64>, series: &str) -> f64 {
    *values
        .get(series)
        .unwrap_or_else(|| panic!("no series {series} in {values:#?}"))
}

#[tokio::test]
async fn every_family_counts_what_happened_and_no_label_holds_a_secret() {
    let up = Upstream::start().await;
    let dir = temp_dir("metrics");
    let key_file = dir.join("access-key");
    std::fs::write(&key_file, ACCESS_KEY).unwrap();
    let mut args: Vec<String> = [
        "--listen",
        "127.0.0.1:0",
        "--metrics-listen",
        "127.0.0.1:0",
        "--allow-private-upstreams",
        "--access-key-file",
        key_file.to_str().unwrap(),
        "--rate-limit-per-minute",
        "5",
        "--max-concurrent-requests",
        "1",
        "--max-request-body",
        "64",
    ]
    .map(String::from)
    .to_vec();
    args.extend(up.flags());
    let proxy = binary::start_with_metrics(&args, &[]).await;
    let metrics_url = proxy.metrics_url.clone().unwrap();
    let url = |path: &str| format!("{}{path}", proxy.url);
    let keyed = |request: reqwest::RequestBuilder| {
        request
            .header("x-cloudpane-access-key", ACCESS_KEY)
            .header("authorization", format!("Bearer {TOKEN}"))
    };
    let mut received = 0usize;

    // 1: forwarded, with a body, a token and a query key.
    let posted = keyed(client().post(url(&format!(
        "/proxy/voltagepark/api/v1/vms/4411?key={QUERY_KEY}"
    ))))
    .body(BODY)
    .send()
    .await
    .unwrap();
    assert_eq!(posted.status(), 200);
    received += posted.bytes().await.unwrap().len();

    // 2: a response still streaming holds the one slot, so 3 is refused (concurrency).
    let mut held = keyed(client().get(url("/proxy/voltagepark/download-gated")))
        .send()
        .await
        .unwrap();
    assert_eq!(held.status(), 200);
    received += held.chunk().await.unwrap().unwrap().len();
    let busy = keyed(client().get(url("/proxy/netactuate/v3/servers")))
        .send()
        .await
        .unwrap();
    assert_eq!(busy.status(), 503);
    let (_, during) = scrape(&metrics_url).await;
    assert_eq!(value(&during, "cloudpane_proxy_requests_in_flight"), 1.0);
    up.release.notify_one();
    while let Some(chunk) = held.chunk().await.unwrap() {
        received += chunk.len();
    }

    // 4: a body over the limit.
    let large = keyed(client().put(url("/proxy/voltagepark/api/v1/vms/4411")))
        .body("x".repeat(100))
        .send()
        .await
        .unwrap();
    assert_eq!(large.status(), 413);
    // 5 passes, 6 is over the rate limit of 5 a minute.
    let fifth = keyed(client().get(url("/proxy/voltagepark/api/v1/vms")))
        .send()
        .await
        .unwrap();
    assert_eq!(fifth.status(), 200);
    received += fifth.bytes().await.unwrap().len();
    let sixth = keyed(client().get(url("/proxy/voltagepark/api/v1/vms")))
        .send()
        .await
        .unwrap();
    assert_eq!(sixth.status(), 429);
    // No access key; a foreign origin; a foreign Host.
    let no_key = client()
        .get(url("/proxy/octos/api/vms"))
        .send()
        .await
        .unwrap();
    assert_eq!(no_key.status(), 401);
    let foreign = keyed(client().get(url("/proxy/octos/api/vms")))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    let addr: std::net::SocketAddr = proxy.url.trim_start_matches("http://").parse().unwrap();
    let (status, _) = raw_request(
        addr,
        "GET /proxy/octos/api/vms HTTP/1.1\r\nHost: rebound.example\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 403);
    // A probe is not a proxied request.
    client().get(url("/healthz")).send().await.unwrap();

    let (text, after) = scrape(&metrics_url).await;
    let requests = |provider: &str, method: &str, class: &str| {
        value(
            &after,
            &format!(
                "cloudpane_proxy_requests_total{{provider=\"{provider}\",method=\"{method}\",status_class=\"{class}\"}}"
            ),
        )
    };
    assert_eq!(requests("voltagepark", "POST", "2xx"), 1.0);
    assert_eq!(requests("voltagepark", "GET", "2xx"), 2.0);
    assert_eq!(requests("voltagepark", "GET", "4xx"), 1.0, "the 429");
    assert_eq!(requests("voltagepark", "PUT", "4xx"), 1.0, "the 413");
    assert_eq!(requests("netactuate", "GET", "5xx"), 1.0, "the 503");
    assert_eq!(requests("octos", "GET", "4xx"), 3.0, "401 and two 403s");
    for (rule, count) in [
        ("origin", 1.0),
        ("host", 1.0),
        ("access_key", 1.0),
        ("rate_limit", 1.0),
        ("concurrency", 1.0),
        ("body_size", 1.0),
        ("ssrf", 0.0),
    ] {
        let series = format!("cloudpane_proxy_refused_total{{rule=\"{rule}\"}}");
        assert_eq!(value(&after, &series), count, "{series}");
    }
    assert_eq!(
        value(
            &after,
            "cloudpane_proxy_upstream_response_seconds_count{provider=\"voltagepark\"}"
        ),
        3.0,
        "three exchanges reached the upstream"
    );
    assert!(
        value(
            &after,
            "cloudpane_proxy_upstream_response_seconds_sum{provider=\"voltagepark\"}"
        ) > 0.0
    );
    assert_eq!(
        value(
            &after,
            "cloudpane_proxy_upstream_request_bytes_total{provider=\"voltagepark\"}"
        ),
        BODY.len() as f64
    );
    assert_eq!(
        value(
            &after,
            "cloudpane_proxy_upstream_response_bytes_total{provider=\"voltagepark\"}"
        ),
        received as f64
    );
    assert_eq!(value(&after, "cloudpane_proxy_requests_in_flight"), 0.0);
    for secret in [
        TOKEN,
        QUERY_KEY,
        BODY,
        ACCESS_KEY,
        "4411",
        "api",
        "vms",
        "download-gated",
        "evil",
        "rebound",
    ] {
        assert!(
            !text.contains(secret),
            "the scrape holds `{secret}`:\n{text}"
        );
    }

    // The metrics are not served on the app's own address.
    let on_app = client().get(url("/metrics")).send().await.unwrap();
    assert_eq!(on_app.status(), 404);

    proxy.sigterm();
    let (clean, log) = proxy.wait().await;
    assert!(clean, "{log}");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn a_name_resolving_to_loopback_counts_as_an_ssrf_refusal() {
    let up = Upstream::start().await;
    // Without --allow-private-upstreams; `localhost` resolves to 127.0.0.1 at connect time.
    let args: Vec<String> = vec![
        "--listen".into(),
        "127.0.0.1:0".into(),
        "--metrics-listen".into(),
        "127.0.0.1:0".into(),
        "--upstream".into(),
        format!("voltagepark=https://localhost:{}/vp", up.addr.port()),
    ];
    let proxy = binary::start_with_metrics(&args, &[]).await;
    let refused = client()
        .get(format!("{}/proxy/voltagepark/api/v1/vms", proxy.url))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 502);
    let (_, values) = scrape(proxy.metrics_url.as_ref().unwrap()).await;
    assert_eq!(
        value(&values, "cloudpane_proxy_refused_total{rule=\"ssrf\"}"),
        1.0
    );
    assert_eq!(up.count(), 0);
    proxy.sigterm();
    assert!(proxy.wait().await.0);
}

#[tokio::test]
async fn the_metrics_address_comes_from_the_environment_or_the_file_and_is_off_by_default() {
    let from_env = binary::start_with_metrics(
        &["--listen".into(), "127.0.0.1:0".into()],
        &[("CLOUDPANE_PROXY_METRICS_LISTEN", "127.0.0.1:0")],
    )
    .await;
    scrape(from_env.metrics_url.as_ref().unwrap()).await;
    from_env.sigterm();
    assert!(from_env.wait().await.0);

    let dir = temp_dir("metrics-toml");
    let file = dir.join("proxy.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:0\"\nmetrics_listen = \"127.0.0.1:0\"\n",
    )
    .unwrap();
    let from_file =
        binary::start_with_metrics(&["--config".into(), file.to_str().unwrap().into()], &[]).await;
    scrape(from_file.metrics_url.as_ref().unwrap()).await;
    from_file.sigterm();
    assert!(from_file.wait().await.0);
    std::fs::remove_dir_all(dir).ok();

    let default = cloudpane_proxy::Config::from_args(["cloudpane-proxy"]).unwrap();
    assert_eq!(default.metrics_listen, None);
    let same_port = cloudpane_proxy::Config::from_args([
        "cloudpane-proxy",
        "--listen",
        "127.0.0.1:8080",
        "--metrics-listen",
        "127.0.0.1:8080",
    ])
    .unwrap_err()
    .to_string();
    assert!(same_port.contains("metrics_listen"), "{same_port}");
}
