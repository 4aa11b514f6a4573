//! Rule: no SSRF. Addresses are checked when connecting (after DNS), and literal addresses when
//! the configuration is read; non-public ones are refused unless --allow-private-upstreams.

mod common;

use cloudpane_proxy::Config;
use common::{client, proxy_with, Upstream};

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_at_connect_time() {
    let up = Upstream::start().await;
    // https would be required without --allow-private-upstreams; the name resolves to 127.0.0.1.
    let flags = vec![
        "--upstream".to_string(),
        format!("voltagepark=https://localhost:{}/vp", up.addr.port()),
    ];
    let proxy = proxy_with(&[], &flags).await;
    let response = client()
        .get(format!("{}/proxy/voltagepark/api/v1/vms", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    let body: serde_json::Value = response.json().await.unwrap();
    let message = body["error"].as_str().unwrap();
    assert!(message.contains("--allow-private-upstreams"), "{message}");
    assert_eq!(up.count(), 0, "nothing may reach a private address");
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_same_name_works_with_allow_private_upstreams() {
    let up = Upstream::start().await;
    let flags = vec![
        "--upstream".to_string(),
        format!("voltagepark=http://localhost:{}/vp", up.addr.port()),
    ];
    let proxy = proxy_with(&["--allow-private-upstreams"], &flags).await;
    let response = client()
        .get(format!("{}/proxy/voltagepark/api/v1/vms", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(up.count(), 1);
    proxy.shutdown().await.unwrap();
}

#[test]
fn literal_non_public_upstreams_are_refused_at_start() {
    for url in [
        "https://127.0.0.1:9090",
        "https://10.0.0.5",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]:9090",
        "https://[::ffff:127.0.0.1]",
        "https://[fd00::1]",
        "https://[fe80::1]",
        "https://100.64.0.1",
        "https://0.0.0.0",
    ] {
        let err = Config::from_args(["cloudpane-proxy", "--upstream", &format!("octos={url}")])
            .expect_err(url)
            .to_string();
        assert!(
            err.contains("`upstream`") && err.contains("--allow-private-upstreams"),
            "{url}: {err}"
        );
        assert!(Config::from_args([
            "cloudpane-proxy",
            "--allow-private-upstreams",
            "--upstream",
            &format!("octos={url}")
        ])
        .is_ok());
    }
}
