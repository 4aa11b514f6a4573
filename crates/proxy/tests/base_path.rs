//! Rule: with `--base-path /prefix` everything is served under the prefix (the app, its runtime
//! configuration, the proxy routes, the probes), the app's `<base href>` and the runtime
//! configuration's route prefix say so, and nothing outside the prefix is served or forwarded.

mod common;

use common::{binary, client, temp_dir, Upstream};

const INDEX: &str = "<!doctype html><html><head><meta charset=utf-8><base href=/>\
    <link href=./style-0123456789abcdef.css rel=stylesheet>\
    <script type=\"module\">import init from './cloudpane-0123456789abcdef.js';</script>\
    </head><body></body></html>";

fn dist(name: &str) -> std::path::PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(
        dir.join("cloudpane-0123456789abcdef.js"),
        "export default 1;",
    )
    .unwrap();
    std::fs::write(dir.join("style-0123456789abcdef.css"), "body{}").unwrap();
    dir
}

#[tokio::test]
async fn everything_is_served_under_the_prefix_and_nothing_outside_it() {
    let up = Upstream::start().await;
    let dist = dist("base-path");
    let mut args: Vec<String> = [
        "--listen",
        "127.0.0.1:0",
        "--allow-private-upstreams",
        "--base-path",
        "/tools/cloudpane/",
        "--dist",
        dist.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    args.extend(up.flags());
    let proxy = binary::start(&args, &[]).await;
    let get = |path: &str| client().get(format!("{}{path}", proxy.url)).send();

    // The app, at the prefix and at a deep link under it, with its base set to the prefix.
    for path in [
        "/tools/cloudpane/",
        "/tools/cloudpane/machines/voltagepark/vm/vm-1",
    ] {
        let page = get(path).await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert!(page.headers().contains_key("content-security-policy"));
        let html = page.text().await.unwrap();
        assert!(
            html.contains("<base href=\"/tools/cloudpane/\">") && !html.contains("<base href=/>"),
            "{html}"
        );
    }
    let script = get("/tools/cloudpane/cloudpane-0123456789abcdef.js")
        .await
        .unwrap();
    assert_eq!(script.status(), 200);
    assert_eq!(script.text().await.unwrap(), "export default 1;");
    let bare = get("/tools/cloudpane").await.unwrap();
    assert_eq!(bare.status(), 308);
    assert_eq!(bare.headers()["location"], "/tools/cloudpane/");

    // The runtime configuration tells the app where the routes are.
    let config: serde_json::Value = get("/tools/cloudpane/cloudpane-config.json")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["route_prefix"], "/tools/cloudpane/proxy");

    // The routes under the prefix forward; a same-upstream redirect comes back under it too.
    let forwarded = get("/tools/cloudpane/proxy/voltagepark/api/v1/vms?limit=5")
        .await
        .unwrap();
    assert_eq!(forwarded.status(), 200);
    let seen: serde_json::Value = forwarded.json().await.unwrap();
    assert_eq!(seen["uri"], "/vp/api/v1/vms?limit=5");
    let redirected = get("/tools/cloudpane/proxy/voltagepark/redirect-same")
        .await
        .unwrap();
    assert_eq!(redirected.status(), 302);
    assert_eq!(
        redirected.headers()["location"],
        "/tools/cloudpane/proxy/voltagepark/api/next?page=2"
    );

    // The probes answer at the root (for a pod's probes) and under the prefix (through a
    // reverse proxy that passes only the prefix on).
    for path in [
        "/healthz",
        "/readyz",
        "/tools/cloudpane/healthz",
        "/tools/cloudpane/readyz",
    ] {
        assert_eq!(get(path).await.unwrap().status(), 200, "{path}");
    }

    // Outside the prefix: nothing is served, nothing is forwarded.
    let before = up.count();
    for path in [
        "/",
        "/index.html",
        "/cloudpane-config.json",
        "/proxy/voltagepark/api/v1/vms",
        "/tools/cloudpanex/proxy/voltagepark/api/v1/vms",
    ] {
        assert_eq!(get(path).await.unwrap().status(), 404, "{path}");
    }
    assert_eq!(
        up.count(),
        before,
        "nothing outside the prefix reached the upstream"
    );

    proxy.sigterm();
    assert!(proxy.wait().await.0);
    std::fs::remove_dir_all(dist).ok();
}

#[tokio::test]
async fn the_base_path_comes_from_the_environment_or_the_file() {
    let env_proxy = binary::start(
        &["--listen".into(), "127.0.0.1:0".into()],
        &[("CLOUDPANE_PROXY_BASE_PATH", "/from-env")],
    )
    .await;
    let config: serde_json::Value = client()
        .get(format!("{}/from-env/cloudpane-config.json", env_proxy.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["route_prefix"], "/from-env/proxy");
    env_proxy.sigterm();
    assert!(env_proxy.wait().await.0);

    let dir = temp_dir("base-path-toml");
    let file = dir.join("proxy.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:0\"\nbase_path = \"/from/file\"\n",
    )
    .unwrap();
    let file_proxy = binary::start(&["--config".into(), file.to_str().unwrap().into()], &[]).await;
    let config: serde_json::Value = client()
        .get(format!(
            "{}/from/file/cloudpane-config.json",
            file_proxy.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["route_prefix"], "/from/file/proxy");
    file_proxy.sigterm();
    assert!(file_proxy.wait().await.0);
    std::fs::remove_dir_all(dir).ok();

    let (code, _, stderr) = binary::run(&["--base-path", "/tools/../etc"], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`base_path`"), "{stderr}");
}

#[tokio::test]
async fn without_a_base_path_the_app_keeps_its_root_base() {
    let dist = dist("no-base-path");
    let proxy = common::proxy(&["--dist".into(), dist.to_str().unwrap().into()]).await;
    let html = client()
        .get(format!("{}/machines", proxy.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<base href=/>"), "{html}");
    proxy.shutdown().await.unwrap();
    std::fs::remove_dir_all(dist).ok();
}
