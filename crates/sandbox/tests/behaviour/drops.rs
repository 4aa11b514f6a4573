use cloudpane_sandbox::{DropRule, DropWhen, Faults, SandboxConfig};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;

const DEPLOY: &str = "/voltagepark/api/v1/virtual-machines/instant";

fn dropping(rule: &str) -> SandboxConfig {
    SandboxConfig {
        faults: Faults {
            drop: vec![DropRule::parse(rule).unwrap()],
            ..Faults::default()
        },
        ..SandboxConfig::default()
    }
}

async fn vm_count(env: &Env) -> u64 {
    env.vp("GET", "/api/v1/virtual-machines/", None).await.json["total_result_count"]
        .as_u64()
        .unwrap()
}

async fn deploy_body(env: &Env) -> Value {
    let presets = env
        .vp(
            "GET",
            "/api/v1/instant-deploy-presets/?available=true",
            None,
        )
        .await
        .json;
    json!({"config_id": presets[0]["id"], "name": "did-it-happen"})
}

/// Sends a deploy with a real client; answers the error when no HTTP response came back.
async fn deploy_raw(env: &Env, body: &Value) -> Result<u16, reqwest::Error> {
    env.http
        .post(env.url(DEPLOY))
        .bearer_auth(VP)
        .json(body)
        .send()
        .await
        .map(|r| r.status().as_u16())
}

async fn last_logged(env: &Env) -> Value {
    let log = env
        .send("GET", "/_sandbox/requests", Auth::None, None)
        .await;
    log.json["requests"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["path"] == DEPLOY)
        .cloned()
        .unwrap()
}

fn assert_connection_error(result: Result<u16, reqwest::Error>) {
    let err = result.expect_err("no HTTP response, a connection error");
    assert!(err.status().is_none(), "{err:?}");
    assert!(
        !err.is_timeout(),
        "closed at once, not left hanging: {err:?}"
    );
}

#[test]
fn drop_rules_parse() {
    let r = DropRule::parse("POST /voltagepark/api/v1/virtual-machines/instant=after").unwrap();
    assert_eq!(r.method.as_deref(), Some("POST"));
    assert_eq!(r.path, DEPLOY);
    assert_eq!(r.when, DropWhen::After);
    let r = DropRule::parse("/octos/*=before").unwrap();
    assert_eq!((r.method, r.when), (None, DropWhen::Before));
    assert!(DropRule::parse("/octos/*=later").is_err());
    assert!(DropRule::parse("octos=before").is_err());
    assert!(DropRule::parse("/octos").is_err());
}

#[tokio::test]
async fn a_drop_after_deploys_the_vm_but_the_client_gets_no_answer() {
    let env = start().await;
    let rules = json!({"drop": [{"method": "POST", "path": DEPLOY, "when": "after"}]});
    let r = env
        .send("PUT", "/_sandbox/faults", Auth::None, Some(&rules))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["drop"], rules["drop"]);
    let body = deploy_body(&env).await;
    assert_eq!(vm_count(&env).await, 4);

    assert_connection_error(deploy_raw(&env, &body).await);
    assert_eq!(vm_count(&env).await, 5, "the deploy happened");
    let list = env
        .vp("GET", "/api/v1/virtual-machines/?limit=100", None)
        .await;
    assert!(list.text.contains("did-it-happen"));
    assert_eq!(
        last_logged(&env).await,
        json!({"method": "POST", "path": DEPLOY, "status": null, "dropped": "after", "at": "2026-11-25T12:00:00.000Z", "billable": true})
    );

    // Every time, until cleared.
    assert_connection_error(deploy_raw(&env, &body).await);
    assert_eq!(vm_count(&env).await, 6);
    let r = env
        .send("DELETE", "/_sandbox/faults", Auth::None, None)
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(deploy_raw(&env, &body).await.unwrap(), 201);
    assert_eq!(vm_count(&env).await, 7);
    assert_eq!(last_logged(&env).await["status"], 201);
}

#[tokio::test]
async fn a_drop_before_changes_nothing() {
    let env = start_with(dropping(&format!("POST {DEPLOY}=before"))).await;
    let body = deploy_body(&env).await;
    let balance_before = env
        .vp("GET", "/api/v1/billing/transactions?limit=1000", None)
        .await
        .json["total_result_count"]
        .clone();
    assert_connection_error(deploy_raw(&env, &body).await);
    assert_eq!(vm_count(&env).await, 4, "nothing deployed");
    assert_eq!(
        env.vp("GET", "/api/v1/billing/transactions?limit=1000", None)
            .await
            .json["total_result_count"],
        balance_before
    );
    assert_eq!(last_logged(&env).await["dropped"], "before");
    assert_eq!(last_logged(&env).await["status"], Value::Null);
    // Only that method and path: the same client carries on with other requests.
    assert_eq!(env.vp("GET", "/api/v1/locations/", None).await.status, 200);
}

#[tokio::test]
async fn a_dropped_connection_carries_no_byte_of_a_response() {
    let env = start_with(dropping("/octos/*=after")).await;
    let mut tcp = tokio::net::TcpStream::connect(env.running.addr())
        .await
        .unwrap();
    tcp.write_all(
        b"GET /octos/backend/api/virtual-machines HTTP/1.1\r\nhost: sandbox\r\nauthorization: Bearer demo-octos\r\n\r\n",
    )
    .await
    .unwrap();
    let mut got = Vec::new();
    // A clean close reads as end of file; a reset as an error. Either way: nothing came back.
    let _ = tcp.read_to_end(&mut got).await;
    assert!(got.is_empty(), "{:?}", String::from_utf8_lossy(&got));
    // Prefix rules without a method cover every method under the prefix; others are untouched.
    let r = env
        .http
        .post(env.url("/octos/backend/api/login"))
        .json(&json!({}))
        .send()
        .await;
    assert!(r.is_err());
    assert_eq!(env.na("GET", "/v3/secrets", None).await.status, 200);
}

#[tokio::test]
async fn a_bad_drop_rule_is_refused_by_the_admin_api() {
    let env = start().await;
    let rules = json!({"drop": [{"path": DEPLOY, "when": "sometimes"}]});
    let r = env
        .send("PUT", "/_sandbox/faults", Auth::None, Some(&rules))
        .await;
    assert!((400..500).contains(&r.status), "{} {}", r.status, r.text);
    let faults = env.send("GET", "/_sandbox/faults", Auth::None, None).await;
    assert_eq!(faults.json["drop"], json!([]));
}
