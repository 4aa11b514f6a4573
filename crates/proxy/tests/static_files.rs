//! Rule: static files with correct types, compression, immutable hashed assets, an uncached
//! index.html for app routes, and the app's security headers (a CSP that lets Trunk's inline
//! module loader and WebAssembly run, and nothing eval-like).

mod common;

use std::path::PathBuf;

use base64::Engine;
use common::{client, proxy, temp_dir};
use sha2::{Digest, Sha256};

const LOADER: &str = "\nimport init, * as bindings from '/cloudpane-0123456789abcdef.js';\nconst wasm = await init({ module_or_path: '/cloudpane-0123456789abcdef_bg.wasm' });\nwindow.wasmBindings = bindings;\n";

/// A dist/ as Trunk 0.21 lays it out.
fn fixture_dist() -> PathBuf {
    let dist = temp_dir("dist");
    let index = format!(
        "<!DOCTYPE html><html><head>\
         <link rel=\"modulepreload\" href=\"/cloudpane-0123456789abcdef.js\" crossorigin=\"anonymous\">\
         <link rel=\"preload\" href=\"/cloudpane-0123456789abcdef_bg.wasm\" crossorigin=\"anonymous\" as=\"fetch\" type=\"application/wasm\">\
         <link rel=\"stylesheet\" href=\"/style-89abcdef01234567.css\">\
         <script type=\"module\">{LOADER}</script></head><body></body></html>"
    );
    std::fs::write(dist.join("index.html"), index).unwrap();
    std::fs::write(
        dist.join("cloudpane-0123456789abcdef.js"),
        "export default function init() {}\n".repeat(100),
    )
    .unwrap();
    std::fs::write(
        dist.join("cloudpane-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0".repeat(512),
    )
    .unwrap();
    std::fs::write(
        dist.join("style-89abcdef01234567.css"),
        "body { margin: 0 }\n".repeat(100),
    )
    .unwrap();
    std::fs::write(dist.join("favicon.ico"), [0u8; 64]).unwrap();
    dist
}

async fn serve() -> (cloudpane_proxy::RunningProxy, PathBuf) {
    let dist = fixture_dist();
    let proxy = proxy(&["--dist".to_string(), dist.display().to_string()]).await;
    (proxy, dist)
}

#[tokio::test]
async fn content_types_and_caching() {
    let (proxy, dist) = serve().await;
    let get = |path: &str| client().get(format!("{}{path}", proxy.url())).send();
    let wasm = get("/cloudpane-0123456789abcdef_bg.wasm").await.unwrap();
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let js = get("/cloudpane-0123456789abcdef.js").await.unwrap();
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let css = get("/style-89abcdef01234567.css").await.unwrap();
    assert!(css.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert_eq!(
        css.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let icon = get("/favicon.ico").await.unwrap();
    assert_eq!(icon.headers()["cache-control"], "no-cache");

    for route in ["/", "/index.html", "/machines", "/deploy/voltagepark"] {
        let page = get(route).await.unwrap();
        assert_eq!(page.status(), 200, "{route}");
        assert!(page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(page.headers()["cache-control"], "no-cache", "{route}");
        assert!(page.text().await.unwrap().contains("modulepreload"));
    }
    // A missing file with an extension is a 404, not the app.
    assert_eq!(
        get("/cloudpane-ffffffffffffffff.js")
            .await
            .unwrap()
            .status(),
        404
    );
    proxy.shutdown().await.unwrap();
    std::fs::remove_dir_all(dist).ok();
}

#[tokio::test]
async fn assets_are_compressed() {
    let (proxy, dist) = serve().await;
    for encoding in ["gzip", "br"] {
        let response = client()
            .get(format!(
                "{}/cloudpane-0123456789abcdef_bg.wasm",
                proxy.url()
            ))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
        assert_eq!(response.headers()["content-type"], "application/wasm");
        assert!(response.bytes().await.unwrap().len() < 4096);
    }
    proxy.shutdown().await.unwrap();
    std::fs::remove_dir_all(dist).ok();
}

#[tokio::test]
async fn the_app_gets_security_headers_that_still_let_it_load() {
    let (proxy, dist) = serve().await;
    let page = client()
        .get(format!("{}/machines", proxy.url()))
        .send()
        .await
        .unwrap();
    let h = page.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("'unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("connect-src 'self'"), "{csp}");
    // Trunk's inline module loader is allowed by its hash, and nothing else inline is.
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(LOADER.as_bytes()));
    let script_src = csp
        .split(';')
        .find(|d| d.trim().starts_with("script-src"))
        .unwrap();
    assert!(script_src.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(!script_src.contains("'unsafe-inline'"), "{csp}");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["x-content-type-options"], "nosniff");
    proxy.shutdown().await.unwrap();
    std::fs::remove_dir_all(dist).ok();
}
