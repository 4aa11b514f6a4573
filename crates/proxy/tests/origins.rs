//! Rules: origins (403 for foreign ones, local preflight, no `*`, no credentials), the Host
//! check against DNS rebinding, the access key, and who may listen off loopback.

mod common;

use cloudpane_proxy::Config;
use common::{client, proxy, raw_request, temp_dir, Upstream};

const CONSOLE: &str = "https://console.example.com";

fn with_origin(up: &Upstream) -> Vec<String> {
    let mut flags = up.flags();
    flags.extend(["--allow-origin".to_string(), CONSOLE.to_string()]);
    flags
}

#[tokio::test]
async fn a_foreign_origin_gets_403_and_nothing_is_sent() {
    let up = Upstream::start().await;
    let proxy = proxy(&with_origin(&up)).await;
    for origin in [
        "https://evil.example",
        "null",
        "https://console.example.com.evil.example",
        "http://console.example.com",
    ] {
        let response = client()
            .post(format!("{}/proxy/voltagepark/api/v1/vms", proxy.url()))
            .header("origin", origin)
            .header("authorization", "Bearer t")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{origin}");
        assert!(response
            .headers()
            .get("access-control-allow-origin")
            .is_none());
    }
    assert_eq!(up.count(), 0);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn allowed_and_own_origins_pass_with_exact_cors_headers() {
    let up = Upstream::start().await;
    let proxy = proxy(&with_origin(&up)).await;
    let own = format!("http://127.0.0.1:{}", proxy.addr.port());
    for origin in [CONSOLE, own.as_str()] {
        let response = client()
            .get(format!("{}/proxy/voltagepark/api/v1/vms", proxy.url()))
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{origin}");
        assert_eq!(response.headers()["access-control-allow-origin"], origin);
        assert!(response
            .headers()
            .get("access-control-allow-credentials")
            .is_none());
        assert!(response
            .headers()
            .get_all("vary")
            .iter()
            .any(|v| v == "Origin"));
    }
    assert!(
        up.seen().iter().all(|s| s.headers.get("origin").is_none()),
        "Origin is not forwarded"
    );
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn preflight_is_answered_locally_for_allowed_origins_only() {
    let up = Upstream::start().await;
    let proxy = proxy(&with_origin(&up)).await;
    let preflight = |origin: &'static str| {
        client()
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/proxy/voltagepark/api/v1/vms", proxy.url()),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    let ok = preflight(CONSOLE).await.unwrap();
    assert_eq!(ok.status(), 204);
    let h = ok.headers();
    assert_eq!(h["access-control-allow-origin"], CONSOLE);
    assert!(h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("authorization"));
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    assert_eq!(h["vary"], "Origin");
    assert!(h.get("access-control-allow-credentials").is_none());
    assert!(h.iter().all(|(_, v)| v != "*"), "never a wildcard");

    let refused = preflight("https://evil.example").await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    assert_eq!(up.count(), 0, "preflights are never forwarded");
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_rebound_host_name_is_refused_on_loopback() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    let raw = "GET /proxy/voltagepark/api/v1/vms HTTP/1.1\r\nHost: attacker.example:8080\r\nConnection: close\r\n\r\n";
    let (status, _) = raw_request(proxy.addr, raw).await;
    assert_eq!(status, 403);
    let raw = "GET /proxy/voltagepark/api/v1/vms HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n";
    let (status, _) = raw_request(proxy.addr, raw).await;
    assert_eq!(status, 200);
    assert_eq!(up.count(), 1);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_access_key_is_required_when_configured() {
    let up = Upstream::start().await;
    let dir = temp_dir("key");
    let key_file = dir.join("key");
    std::fs::write(&key_file, "correct-horse-battery-staple\n").unwrap();
    let mut flags = up.flags();
    flags.extend([
        "--access-key-file".to_string(),
        key_file.display().to_string(),
    ]);
    let proxy = proxy(&flags).await;
    let url = format!("{}/proxy/voltagepark/api/v1/vms", proxy.url());
    assert_eq!(client().get(&url).send().await.unwrap().status(), 401);
    let wrong = client()
        .get(&url)
        .header("x-cloudpane-access-key", "correct-horse-battery-stapl")
        .send();
    assert_eq!(wrong.await.unwrap().status(), 401);
    assert_eq!(up.count(), 0);
    let right = client()
        .get(&url)
        .header("x-cloudpane-access-key", "correct-horse-battery-staple")
        .send();
    assert_eq!(right.await.unwrap().status(), 200);
    assert!(up.seen()[0].headers.get("x-cloudpane-access-key").is_none());
    let config: serde_json::Value = client()
        .get(format!("{}/cloudpane-config.json", proxy.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["access_key_required"], true);
    proxy.shutdown().await.unwrap();
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn listening_off_loopback_needs_origins_or_a_key() {
    let err = Config::from_args(["cloudpane-proxy", "--listen", "0.0.0.0:8080"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("--allow-origin")
            && err.contains("--access-key-file")
            && err.contains("IP ACL"),
        "{err}"
    );
    assert!(Config::from_args([
        "cloudpane-proxy",
        "--listen",
        "0.0.0.0:8080",
        "--allow-origin",
        CONSOLE
    ])
    .is_ok());
    assert!(Config::from_args([
        "cloudpane-proxy",
        "--listen",
        "[::]:8080",
        "--allow-origin",
        CONSOLE
    ])
    .is_ok());
    assert!(Config::from_args(["cloudpane-proxy", "--listen", "[::1]:8080"]).is_ok());
}
