//! Rule: only configured upstreams. The target is always `{BASE_URL}/{path}?{query}`; nothing
//! in the request can change the host or leave the base path; unknown providers get 404.

mod common;

use common::{client, proxy, raw_request, Upstream};

#[tokio::test]
async fn forwards_method_path_query_and_body() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    let response = client()
        .post(format!(
            "{}/proxy/voltagepark/api/v1/ssh-keys?limit=3&offset=0",
            proxy.url()
        ))
        .header("content-type", "application/json")
        .body(r#"{"name":"laptop"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let echo: serde_json::Value = response.json().await.unwrap();
    assert_eq!(echo["method"], "POST");
    assert_eq!(echo["uri"], "/vp/api/v1/ssh-keys?limit=3&offset=0");
    assert_eq!(echo["body_len"], 17);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn unknown_provider_is_404_and_nothing_is_sent() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    for path in [
        "/proxy/aws/x",
        "/proxy/127.0.0.1/vp/x",
        "/proxy/",
        "/proxy/VoltagePark/x",
    ] {
        let response = client()
            .get(format!("{}{path}", proxy.url()))
            .send()
            .await
            .unwrap();
        assert!(
            matches!(response.status().as_u16(), 404 | 400),
            "{path}: {}",
            response.status()
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["error"].is_string());
    }
    assert_eq!(up.count(), 0);
    proxy.shutdown().await.unwrap();
}

/// Paths sent byte for byte (an ordinary client would normalise `..` away): none may reach the
/// other provider's base path `/na` or any host but the upstream.
#[tokio::test]
async fn nothing_in_the_request_changes_the_target() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    let attempts = [
        "/proxy/voltagepark/../na/v3/secrets",
        "/proxy/voltagepark/api/../../na/v3/secrets",
        "/proxy/voltagepark/%2e%2e/na/v3/secrets",
        "/proxy/voltagepark/%2E%2E/na/v3/secrets",
        "/proxy/voltagepark/.%2e/na/v3/secrets",
        "/proxy/voltagepark/..%2Fna%2Fv3%2Fsecrets",
        "/proxy/voltagepark/..%5Cna%5Cv3",
        "/proxy/voltagepark/%252e%252e/na",
        "/proxy/voltagepark//evil.example/x",
        "/proxy/voltagepark/http://evil.example/x",
        "/proxy/voltagepark/@evil.example/x",
        "/proxy/voltagepark/x?@evil.example/",
        "http://evil.example/proxy/voltagepark/x",
    ];
    for path in attempts {
        let raw = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        let (status, _) = raw_request(proxy.addr, &raw).await;
        assert!(status != 0, "{path}: no response");
    }
    for seen in up.seen() {
        assert!(
            seen.uri.starts_with("/vp/"),
            "escaped the base path: {}",
            seen.uri
        );
        assert!(
            !seen.uri.contains("/na/"),
            "reached the other provider: {}",
            seen.uri
        );
        assert_eq!(
            seen.headers["host"],
            up.addr.to_string(),
            "host changed for {}",
            seen.uri
        );
    }
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn providers_keep_their_own_base_urls() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    let echo: serde_json::Value = client()
        .get(format!("{}/proxy/netactuate/api/v3/servers", proxy.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(echo["uri"], "/na/api/v3/servers");
    proxy.shutdown().await.unwrap();
}

/// A HEAD answer has the upstream's headers and no body, and the upstream connection it used
/// carries the next request cleanly.
#[tokio::test]
async fn head_requests_get_headers_only_and_the_connection_is_reused_cleanly() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    let url = format!("{}/proxy/voltagepark/api/v1/locations/", proxy.url());
    for _ in 0..3 {
        let head = client().head(&url).send().await.unwrap();
        assert_eq!(head.status(), 200);
        assert_eq!(head.headers()["content-type"], "application/json");
        assert_eq!(head.headers()["x-content-type-options"], "nosniff");
        assert!(head.bytes().await.unwrap().is_empty());
        let get = client().get(&url).send().await.unwrap();
        assert_eq!(get.status(), 200);
        let echo: serde_json::Value = get.json().await.unwrap();
        assert_eq!(echo["method"], "GET");
    }
    let methods: Vec<String> = up.seen().into_iter().map(|s| s.method).collect();
    assert_eq!(methods, ["HEAD", "GET", "HEAD", "GET", "HEAD", "GET"]);
    proxy.shutdown().await.unwrap();
}
