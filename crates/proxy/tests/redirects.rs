//! Rule: redirects are not followed. Same-upstream redirects come back through the proxy;
//! a redirect anywhere else is a 502 that says so.

mod common;

use common::{client, proxy, Upstream};

#[tokio::test]
async fn same_upstream_redirects_are_rewritten_through_the_proxy() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    let response = client()
        .get(format!(
            "{}/proxy/voltagepark/api/redirect-same",
            proxy.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(
        response.headers()["location"],
        "/proxy/voltagepark/api/next?page=2"
    );
    let response = client()
        .get(format!(
            "{}/proxy/voltagepark/api/v1/redirect-relative",
            proxy.url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["location"],
        "/proxy/voltagepark/api/v1/next/"
    );
    // Not followed: the upstream saw only the two requests.
    assert_eq!(up.count(), 2);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn redirects_elsewhere_become_502() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    for path in ["redirect-away", "redirect-other-provider"] {
        let response = client()
            .get(format!("{}/proxy/voltagepark/{path}", proxy.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 502, "{path}");
        assert!(response.headers().get("location").is_none());
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["error"]
            .as_str()
            .unwrap()
            .contains("redirected to another host"));
    }
    assert_eq!(up.count(), 2, "the redirect target was never requested");
    proxy.shutdown().await.unwrap();
}
