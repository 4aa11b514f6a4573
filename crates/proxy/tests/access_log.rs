//! Rule: one structured access-log line per request that never holds a header value, a query
//! string or a body. Also: the binary drains requests in flight on SIGTERM.

mod common;

use std::time::Duration;

use common::{binary, client, Upstream};

const TOKEN: &str = "TOKEN-SECRET-4f9a1c";
const QUERY_KEY: &str = "QUERY-KEY-SECRET-8d2e";
const BODY: &str = "BODY-SECRET-77b3";

/// Three requests (forwarded, refused redirect, foreign origin), each carrying secrets, through
/// the binary with `--log-format {format}`; its whole log once it has stopped.
async fn log_of_three_requests(format: &str) -> String {
    let up = Upstream::start().await;
    let mut args = vec![
        "--listen".to_string(),
        "127.0.0.1:0".into(),
        "--allow-private-upstreams".into(),
        "--log-format".into(),
        format.into(),
    ];
    args.extend(up.flags());
    let proxy = binary::start(&args, &[]).await;

    let ok = client()
        .post(format!(
            "{}/proxy/voltagepark/api/v1/vms?key={QUERY_KEY}&limit=5",
            proxy.url
        ))
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("x-api-token", TOKEN)
        .header("cookie", format!("c={TOKEN}"))
        .body(BODY)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    ok.bytes().await.unwrap();
    let failed = client()
        .get(format!(
            "{}/proxy/voltagepark/redirect-away?key={QUERY_KEY}",
            proxy.url
        ))
        .header("authorization", format!("Bearer {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 502);
    failed.bytes().await.unwrap();
    let refused = client()
        .get(format!(
            "{}/proxy/netactuate/api/v3/servers?key={QUERY_KEY}",
            proxy.url
        ))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    refused.bytes().await.unwrap();

    proxy.sigterm();
    let (clean, log) = proxy.wait().await;
    assert!(clean, "exits cleanly on SIGTERM:\n{log}");

    for secret in [TOKEN, QUERY_KEY, BODY, "key=", "Bearer"] {
        assert!(!log.contains(secret), "the log contains `{secret}`:\n{log}");
    }
    log
}

#[tokio::test]
async fn the_log_has_one_line_per_request_and_no_secrets() {
    let log = log_of_three_requests("json").await;
    let access: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["target"] == "cloudpane_proxy::access")
        .collect();
    assert_eq!(access.len(), 3, "one line per request:\n{log}");
    // The three connections are served by different worker threads, each writing its line
    // when its answer has gone out: the lines' order need not be the requests'.
    let line = |status: u64| {
        access
            .iter()
            .map(|v| &v["fields"])
            .find(|f| f["status"] == status)
            .unwrap_or_else(|| panic!("no line with status {status}:\n{log}"))
    };
    let first = line(200);
    assert_eq!(first["provider"], "voltagepark");
    assert_eq!(first["method"], "POST");
    assert_eq!(first["path"], "/proxy/voltagepark/api/v1/vms");
    assert!(first["bytes"].as_u64().unwrap() > 0);
    assert!(first["duration_ms"].is_number());
    assert_eq!(line(502)["provider"], "voltagepark");
    assert_eq!(line(403)["provider"], "netactuate");
}

#[tokio::test]
async fn text_lines_have_the_same_values() {
    let log = log_of_three_requests("text").await;
    let access: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" INFO cloudpane_proxy::access: request "))
        .collect();
    assert_eq!(access.len(), 3, "one line per request:\n{log}");
    // In any order, as in the JSON test: each worker thread writes its own lines.
    let line = |status: &str| {
        *access
            .iter()
            .find(|l| l.contains(&format!(" status={status} ")))
            .unwrap_or_else(|| panic!("no line with status {status}:\n{log}"))
    };
    let ok = line("200");
    assert!(
        ok.contains(
            "request provider=\"voltagepark\" method=POST path=/proxy/voltagepark/api/v1/vms status=200 bytes="
        ),
        "{ok}"
    );
    assert!(ok.ends_with("complete=true"), "{ok}");
    assert!(line("502").contains("provider=\"voltagepark\""));
    assert!(line("403").contains("provider=\"netactuate\" method=GET"));
    // `2026-11-26T01:51:17.900847Z  INFO ...`, as the subscriber writes its own lines.
    let time = ok.split_whitespace().next().unwrap();
    assert_eq!(time.len(), 27, "{time}");
    assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");
}

#[tokio::test]
async fn sigterm_drains_requests_in_flight() {
    let up = Upstream::start().await;
    let mut args = vec![
        "--listen".to_string(),
        "127.0.0.1:0".into(),
        "--allow-private-upstreams".into(),
    ];
    args.extend(up.flags());
    let proxy = binary::start(&args, &[]).await;
    let mut response = client()
        .get(format!("{}/proxy/voltagepark/download-gated", proxy.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.chunk().await.unwrap().unwrap(), "first;");
    proxy.sigterm();
    // New connections are refused soon after the signal...
    let url = proxy.url.clone();
    let mut refused = false;
    for _ in 0..100 {
        let quick = client()
            .get(format!("{url}/cloudpane-config.json"))
            .timeout(Duration::from_millis(500));
        if quick.send().await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(refused, "still accepting new connections after SIGTERM");
    // ...but the request in flight finishes.
    up.release.notify_one();
    assert_eq!(response.chunk().await.unwrap().unwrap(), "rest");
    assert!(response.chunk().await.unwrap().is_none());
    let (clean, _) = proxy.wait().await;
    assert!(clean);
}
