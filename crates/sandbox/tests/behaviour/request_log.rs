use std::time::Duration;

use cloudpane_sandbox::{FailRule, Faults, SandboxConfig};
use serde_json::{json, Value};

use crate::common::*;

async fn logged(env: &Env) -> Vec<Value> {
    let r = env
        .send("GET", "/_sandbox/requests", Auth::None, None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json["requests"].as_array().unwrap().clone()
}

/// `(method, path, status)` of each logged request.
fn summary(log: &[Value]) -> Vec<(String, String, Value)> {
    log.iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap().to_string(),
                e["path"].as_str().unwrap().to_string(),
                e["status"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn provider_requests_are_logged_in_order_without_queries_headers_or_bodies() {
    let env = start().await;
    let vm = env
        .vp("GET", "/api/v1/virtual-machines/?limit=5", None)
        .await
        .json["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.sandbox().advance(Duration::from_secs(90));
    let r = env
        .vp("DELETE", &format!("/api/v1/virtual-machines/{vm}"), None)
        .await;
    assert_eq!(r.status, 202);
    let r = env
        .send(
            "GET",
            &format!("/netactuate/v3/secrets?key={NA}"),
            Auth::None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = env
        .send(
            "POST",
            "/octos/backend/api/login",
            Auth::None,
            Some(&json!({"email": "demo@cloudpane.dev", "password": "wrong-password"})),
        )
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        env.vp("GET", "/api/v1/no-such-thing", None).await.status,
        404
    );
    // Not provider requests: never logged.
    env.send("GET", "/", Auth::None, None).await;
    env.send("GET", "/_sandbox/clock", Auth::None, None).await;

    let log = logged(&env).await;
    assert_eq!(
        summary(&log),
        [
            ("GET", "/voltagepark/api/v1/virtual-machines/", json!(200)),
            (
                "DELETE",
                &format!("/voltagepark/api/v1/virtual-machines/{vm}")[..],
                json!(202)
            ),
            ("GET", "/netactuate/v3/secrets", json!(200)),
            ("POST", "/octos/backend/api/login", json!(401)),
            ("GET", "/voltagepark/api/v1/no-such-thing", json!(404)),
        ]
        .map(|(m, p, s)| (m.to_string(), p.to_string(), s))
    );
    assert_eq!(log[0]["at"], "2026-11-25T12:00:00.000Z");
    assert_eq!(
        log[1]["at"], "2026-11-25T12:01:30.000Z",
        "sandbox-clock time"
    );
    let mut keys: Vec<&String> = log[0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["at", "billable", "method", "path", "status"]);
    let text = serde_json::to_string(&log).unwrap();
    for secret in [NA, VP, "wrong-password", "demo@cloudpane.dev"] {
        assert!(!text.contains(secret), "{secret} leaked into the log");
    }
}

#[tokio::test]
async fn injected_failures_are_logged_with_the_status_they_got() {
    let env = start_with(SandboxConfig {
        faults: Faults {
            fail: vec![FailRule::parse("GET /voltagepark/api/v1/locations=503").unwrap()],
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    assert_eq!(env.vp("GET", "/api/v1/locations/", None).await.status, 503);
    let log = logged(&env).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["status"], 503);
    assert_eq!(log[0]["path"], "/voltagepark/api/v1/locations/");
}

#[tokio::test]
async fn the_log_is_cleared_by_delete_and_by_reset() {
    let env = start().await;
    env.vp("GET", "/api/v1/locations/", None).await;
    assert_eq!(logged(&env).await.len(), 1);
    let r = env
        .send("DELETE", "/_sandbox/requests", Auth::None, None)
        .await;
    assert_eq!(r.status, 204);
    assert!(logged(&env).await.is_empty());

    env.vp("GET", "/api/v1/locations/", None).await;
    env.na("GET", "/v3/secrets", None).await;
    assert_eq!(logged(&env).await.len(), 2);
    let r = env.send("POST", "/_sandbox/reset", Auth::None, None).await;
    assert_eq!(r.status, 204);
    assert!(logged(&env).await.is_empty());
    env.na("GET", "/v3/secrets", None).await;
    assert_eq!(summary(&logged(&env).await)[0].1, "/netactuate/v3/secrets");
}

#[test]
fn deploys_and_new_volumes_are_billable_and_nothing_else() {
    use cloudpane_sandbox::request_log::is_billable;
    assert!(is_billable(
        "POST",
        "/voltagepark/api/v1/virtual-machines/instant"
    ));
    assert!(is_billable("POST", "/voltagepark/api/v1/bare-metal/"));
    assert!(is_billable("POST", "/voltagepark/api/v1/storage/"));
    assert!(!is_billable("GET", "/voltagepark/api/v1/bare-metal/"));
    assert!(!is_billable(
        "POST",
        "/voltagepark/api/v1/validate/cloudinit"
    ));
}
