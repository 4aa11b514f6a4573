use std::time::{Duration, Instant};

use cloudpane_sandbox::{FailRule, Faults, SandboxConfig};
use serde_json::json;

use crate::common::*;

#[test]
fn fail_rules_parse() {
    let r = FailRule::parse("GET /voltagepark/api/v1/locations=503").unwrap();
    assert_eq!(r.method.as_deref(), Some("GET"));
    assert_eq!(r.path, "/voltagepark/api/v1/locations");
    assert_eq!(r.status, 503);
    assert_eq!(FailRule::parse("/octos/*=500").unwrap().method, None);
    assert!(FailRule::parse("/x=99").is_err());
    assert!(FailRule::parse("nope").is_err());
}

#[tokio::test]
async fn a_chosen_endpoint_fails_in_each_providers_shape() {
    let config = SandboxConfig {
        faults: Faults {
            fail: vec![
                FailRule::parse("GET /voltagepark/api/v1/locations=503").unwrap(),
                FailRule::parse("/netactuate/v3/*=500").unwrap(),
                FailRule::parse("POST /octos/backend/api/login=502").unwrap(),
            ],
            ..Faults::default()
        },
        ..SandboxConfig::default()
    };
    let env = start_with(config).await;
    let r = env.vp("GET", "/api/v1/locations/", None).await;
    assert_eq!(r.status, 503);
    assert!(r.json["detail"].is_string());
    assert_eq!(
        env.vp("GET", "/api/v1/virtual-machines/", None)
            .await
            .status,
        200,
        "other endpoints still work"
    );
    let r = env.na("GET", "/v3/secrets/1", None).await;
    assert_eq!(r.status, 500);
    assert!(r.json["message"].is_string());
    let r = env
        .send(
            "POST",
            "/octos/backend/api/login",
            Auth::None,
            Some(&json!({})),
        )
        .await;
    assert_eq!(r.status, 502);
    assert_eq!(r.json["status"], "Error");
}

#[tokio::test]
async fn admin_api_sets_faults_latency_and_the_clock() {
    let env = start().await;
    let faults = json!({"latency_ms": 150, "error_rate": 1.0, "error_status": 429, "fail": []});
    let r = env
        .send("PUT", "/_sandbox/faults", Auth::None, Some(&faults))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t = Instant::now();
    let r = env.vp("GET", "/api/v1/locations/", None).await;
    assert!(t.elapsed() >= Duration::from_millis(150));
    assert_eq!(r.status, 429);
    assert_eq!(
        env.send("GET", "/_sandbox/faults", Auth::None, None)
            .await
            .json["error_status"],
        429
    );
    assert_eq!(
        env.send(
            "PUT",
            "/_sandbox/faults",
            Auth::None,
            Some(&json!({"error_rate": 2.0}))
        )
        .await
        .status,
        400
    );
    assert_eq!(
        env.send("DELETE", "/_sandbox/faults", Auth::None, None)
            .await
            .status,
        204
    );
    assert_eq!(env.vp("GET", "/api/v1/locations/", None).await.status, 200);

    let clock = env.send("GET", "/_sandbox/clock", Auth::None, None).await;
    assert_eq!(clock.json["now"], "2026-11-25T12:00:00.000Z");
    let moved = env
        .send(
            "POST",
            "/_sandbox/clock/advance",
            Auth::None,
            Some(&json!({"hours": 2, "minutes": 30})),
        )
        .await;
    assert_eq!(moved.json["now"], "2026-11-25T14:30:00.000Z");

    let acl = env
        .send(
            "PUT",
            "/_sandbox/netactuate/acl",
            Auth::None,
            Some(&json!({"allowed": ["10.0.0.0/8"]})),
        )
        .await;
    assert_eq!(acl.status, 200);
    assert_eq!(env.na("GET", "/v3/secrets", None).await.status, 403);

    let vm =
        env.vp("GET", "/api/v1/virtual-machines/", None).await.json["results"][0]["id"].clone();
    let path = format!("/api/v1/virtual-machines/{}", vm.as_str().unwrap());
    assert_eq!(env.vp("DELETE", &path, None).await.status, 202);
    assert_eq!(
        env.send("POST", "/_sandbox/reset", Auth::None, None)
            .await
            .status,
        204
    );
    assert_eq!(
        env.vp("GET", &path, None).await.status,
        200,
        "reset brings the seeded VM back"
    );
}

#[tokio::test]
async fn a_random_error_rate_fails_some_requests_deterministically() {
    let config = SandboxConfig {
        faults: Faults {
            error_rate: 0.5,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    };
    let env = start_with(config.clone()).await;
    let mut a = Vec::new();
    for _ in 0..40 {
        a.push(
            env.vp("GET", "/api/v1/billing/hourly-rate", None)
                .await
                .status,
        );
    }
    assert!(a.contains(&503) && a.contains(&200), "{a:?}");
    let env = start_with(config).await;
    let mut b = Vec::new();
    for _ in 0..40 {
        b.push(
            env.vp("GET", "/api/v1/billing/hourly-rate", None)
                .await
                .status,
        );
    }
    assert_eq!(a, b, "the same seed fails the same requests");
}

#[tokio::test]
async fn a_422_fault_can_name_the_field_it_refuses() {
    let mut rule =
        FailRule::parse("POST /voltagepark/api/v1/virtual-machines/instant=422").unwrap();
    rule.field = Some("cloud_init.runcmd.0".into());
    let config = SandboxConfig {
        faults: Faults {
            fail: vec![rule],
            ..Faults::default()
        },
        ..SandboxConfig::default()
    };
    let env = start_with(config).await;
    let r = env
        .vp("POST", "/api/v1/virtual-machines/instant", Some(&json!({})))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json["detail"][0]["loc"],
        json!(["body", "cloud_init", "runcmd", 0])
    );
    assert!(r.json["detail"][0]["msg"].is_string());
}
