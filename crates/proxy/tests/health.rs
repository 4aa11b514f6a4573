//! Rule: `/healthz` and `/readyz` answer probes before every other rule (no Host check, no
//! access key, no rate limit) and never write an access-log line at info; `/readyz` says when
//! the app's files are missing.

mod common;

use common::{binary, client, raw_request, temp_dir, Upstream};

#[tokio::test]
async fn probes_pass_every_rule_and_stay_out_of_the_log() {
    let up = Upstream::start().await;
    let dir = temp_dir("health");
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>cloudpane</title>",
    )
    .unwrap();
    let key_file = dir.join("access-key");
    std::fs::write(&key_file, "health-test-access-key-0123").unwrap();
    let mut args: Vec<String> = [
        "--listen",
        "127.0.0.1:0",
        "--allow-private-upstreams",
        "--access-key-file",
        key_file.to_str().unwrap(),
        "--rate-limit-per-minute",
        "1",
        "--dist",
        dist.to_str().unwrap(),
        "--log-format",
        "json",
    ]
    .map(String::from)
    .to_vec();
    args.extend(up.flags());
    let proxy = binary::start(&args, &[]).await;
    let addr: std::net::SocketAddr = proxy.url.trim_start_matches("http://").parse().unwrap();

    // A probe addressed by a name the Host check would refuse (a pod's IP, a load balancer's
    // name), with no access key, many times over a limit of one request a minute.
    for _ in 0..5 {
        for path in ["/healthz", "/readyz"] {
            let raw =
                format!("GET {path} HTTP/1.1\r\nHost: 10.1.2.3:8080\r\nConnection: close\r\n\r\n");
            let (status, text) = raw_request(addr, &raw).await;
            assert_eq!(status, 200, "{path}: {text}");
            assert!(
                text.to_ascii_lowercase()
                    .contains("cache-control: no-store"),
                "{text}"
            );
        }
    }
    let ready: serde_json::Value = client()
        .get(format!("{}/readyz", proxy.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["configuration"], "loaded");
    assert_eq!(ready["static_files"], "present");

    // The probes used none of the rate limit: the one proxied request of the minute passes.
    let forwarded = client()
        .get(format!("{}/proxy/voltagepark/api/v1/vms", proxy.url))
        .header("x-cloudpane-access-key", "health-test-access-key-0123")
        .send()
        .await
        .unwrap();
    assert_eq!(forwarded.status(), 200);
    forwarded.bytes().await.unwrap();

    // Only GET and HEAD.
    let post = client()
        .post(format!("{}/healthz", proxy.url))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers()["allow"], "GET, HEAD");

    // The app's files gone (a volume emptied): not ready, and it says why; alive all the same.
    std::fs::remove_file(dist.join("index.html")).unwrap();
    let unready = client()
        .get(format!("{}/readyz", proxy.url))
        .send()
        .await
        .unwrap();
    assert_eq!(unready.status(), 503);
    let body: serde_json::Value = unready.json().await.unwrap();
    assert_eq!(body["status"], "not ready");
    assert!(body["static_files"]
        .as_str()
        .unwrap()
        .contains("index.html"));
    let alive = client()
        .get(format!("{}/healthz", proxy.url))
        .send()
        .await
        .unwrap();
    assert_eq!(alive.status(), 200);

    proxy.sigterm();
    let (clean, log) = proxy.wait().await;
    assert!(clean, "{log}");
    assert!(
        log.contains("/proxy/voltagepark/api/v1/vms"),
        "the access log is on at info:\n{log}"
    );
    for probe in ["healthz", "readyz"] {
        assert!(!log.contains(probe), "a probe was logged at info:\n{log}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn without_dist_the_proxy_is_ready_and_says_it_serves_no_files() {
    let proxy = common::proxy(&[]).await;
    let ready = client()
        .get(format!("{}/readyz", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let body: serde_json::Value = ready.json().await.unwrap();
    assert_eq!(body["static_files"], "not served");
    proxy.shutdown().await.unwrap();
}
