//! Rule: headers are allowlisted both ways, and proxied responses get `nosniff` and a
//! sandboxing CSP.

mod common;

use common::{client, proxy, Upstream};

#[tokio::test]
async fn only_provider_headers_go_upstream() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    client()
        .get(format!(
            "{}/proxy/voltagepark/api/v1/organization/ssh-keys",
            proxy.url()
        ))
        .header("authorization", "Bearer vp-token")
        .header("x-api-token", "vp-token")
        .header("accept", "application/json")
        .header("cookie", "console=1")
        .header("referer", "http://127.0.0.1/secrets")
        .header("x-forwarded-for", "203.0.113.9")
        .header("forwarded", "for=203.0.113.9")
        .header("x-real-ip", "203.0.113.9")
        .header("x-cloudpane-access-key", "not-for-upstream")
        .header("proxy-authorization", "Basic eA==")
        .send()
        .await
        .unwrap();
    let seen = &up.seen()[0];
    assert_eq!(seen.headers["authorization"], "Bearer vp-token");
    assert_eq!(seen.headers["x-api-token"], "vp-token");
    assert_eq!(seen.headers["accept"], "application/json");
    for dropped in [
        "cookie",
        "referer",
        "origin",
        "x-forwarded-for",
        "forwarded",
        "x-real-ip",
        "x-cloudpane-access-key",
        "proxy-authorization",
    ] {
        assert!(
            seen.headers.get(dropped).is_none(),
            "{dropped} was forwarded"
        );
    }
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn responses_lose_cookies_and_upstream_cors_and_gain_nosniff_and_csp() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    let response = client()
        .get(format!("{}/proxy/voltagepark/cookie", proxy.url()))
        .send()
        .await
        .unwrap();
    let headers = response.headers();
    assert!(headers.get("set-cookie").is_none());
    assert!(headers.get("access-control-allow-origin").is_none());
    assert!(headers.get("access-control-allow-credentials").is_none());
    assert!(headers.get("x-internal-debug").is_none());
    assert_eq!(headers["etag"], "\"v1\"");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    proxy.shutdown().await.unwrap();
}
