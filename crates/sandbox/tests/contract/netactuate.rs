use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::common::*;

const P: &str = "netactuate";

#[test]
fn every_example_in_the_documents_is_covered() {
    let keys: BTreeSet<String> = examples(P).iter().map(Example::key).collect();
    let covered: BTreeSet<String> = [
        "GET /v3/secrets",
        "GET /v3/secrets/{id}",
        "POST /v3/secrets",
        "PUT /v3/secrets/{id}",
        "DELETE /v3/secrets/{id}",
        "POST /api/secrets/lists/{secretList}",
        "POST /api/secrets/lists/{secretList}/values",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(keys, covered);
}

fn response(key: &str) -> Value {
    example(P, key).response.expect("response example")
}

fn request(key: &str) -> Value {
    example(P, key).request.expect("request example")
}

fn assert_message(r: &Reply, status: u16) {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(
        r.json["message"].is_string(),
        "{{\"message\"}} expected: {}",
        r.text
    );
}

#[tokio::test]
async fn servers_list() {
    let env = start().await;
    let r = env.na("GET", "/api/v3/servers", None).await;
    assert_eq!(r.status, 200);
    let servers = r.json["data"].as_array().expect("data list");
    assert!(servers.len() >= 3);
    for s in servers {
        for key in [
            "mbpkgid",
            "fqdn",
            "os",
            "ip",
            "ipv6",
            "plan_id",
            "package",
            "city",
            "location_id",
            "status",
            "state",
            "installed",
        ] {
            assert!(s.get(key).is_some(), "server has {key}: {s}");
        }
    }
    assert_message(
        &env.send("GET", "/netactuate/api/v3/servers", Auth::None, None)
            .await,
        401,
    );
    assert_message(
        &env.send(
            "GET",
            "/netactuate/api/v3/servers",
            Auth::Bearer("nope"),
            None,
        )
        .await,
        401,
    );
    let by_key = env
        .send(
            "GET",
            &format!("/netactuate/api/v3/servers?key={NA}"),
            Auth::None,
            None,
        )
        .await;
    assert_eq!(by_key.status, 200, "the SDKs' ?key= works too");
}

#[tokio::test]
async fn secrets_list_never_carries_values() {
    let env = start().await;
    let r = env.na("GET", "/v3/secrets", None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /v3/secrets"), &r.json);
    assert!(!r.text.contains("\"value\""));
    assert_message(
        &env.send("GET", "/netactuate/v3/secrets", Auth::ApiToken(NA), None)
            .await,
        401,
    );
}

#[tokio::test]
async fn secret_get_carries_the_value() {
    let env = start().await;
    let r = env.na("GET", "/v3/secrets/1", None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /v3/secrets/{id}"), &r.json);
    assert!(r.json["value"].as_str().is_some_and(|v| !v.is_empty()));
    assert_message(&env.na("GET", "/v3/secrets/999", None).await, 404);
    assert_message(&env.na("GET", "/v3/secrets/db-password", None).await, 400);
    assert_message(
        &env.send("GET", "/netactuate/v3/secrets/1", Auth::None, None)
            .await,
        401,
    );
}

#[tokio::test]
async fn secret_create() {
    let env = start().await;
    let key = "POST /v3/secrets";
    let body = set(request(key), "/name", json!("db-password-2"));
    let r = env.na("POST", "/v3/secrets", Some(&body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_shape(&response(key), &r.json);
    // The example's own name is seeded, so the example itself is the duplicate.
    assert_message(
        &env.na("POST", "/v3/secrets", Some(&request(key))).await,
        409,
    );
    assert_message(
        &env.na("POST", "/v3/secrets", Some(&without(request(key), "value")))
            .await,
        400,
    );
    assert_message(
        &env.na(
            "POST",
            "/v3/secrets",
            Some(&json!({"name": 7, "value": "x"})),
        )
        .await,
        400,
    );
    assert_message(
        &env.send(
            "POST",
            "/netactuate/v3/secrets",
            Auth::Bearer("x"),
            Some(&body),
        )
        .await,
        401,
    );
    let id = r.json["id"].as_u64().unwrap();
    assert_eq!(
        env.na("GET", &format!("/v3/secrets/{id}"), None).await.json["value"],
        "s3cur3-p4ssw0rd"
    );
}

#[tokio::test]
async fn secret_update() {
    let env = start().await;
    let key = "PUT /v3/secrets/{id}";
    let r = env.na("PUT", "/v3/secrets/1", Some(&request(key))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape(&response(key), &r.json);
    assert_eq!(
        env.na("GET", "/v3/secrets/1", None).await.json["value"],
        "new-s3cur3-p4ssw0rd"
    );
    assert_message(&env.na("PUT", "/v3/secrets/1", Some(&json!({}))).await, 400);
    assert_message(
        &env.na("PUT", "/v3/secrets/1", Some(&json!({"value": 5})))
            .await,
        400,
    );
    assert_message(
        &env.na("PUT", "/v3/secrets/404", Some(&request(key))).await,
        404,
    );
    assert_message(
        &env.send(
            "PUT",
            "/netactuate/v3/secrets/1",
            Auth::None,
            Some(&request(key)),
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn secret_delete() {
    let env = start().await;
    let r = env.na("DELETE", "/v3/secrets/1", None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response("DELETE /v3/secrets/{id}"), &r.json);
    assert_message(&env.na("DELETE", "/v3/secrets/1", None).await, 404);
    assert_message(&env.na("DELETE", "/v3/secrets/one", None).await, 400);
    assert_message(
        &env.send("DELETE", "/netactuate/v3/secrets/2", Auth::None, None)
            .await,
        401,
    );
}

#[tokio::test]
async fn secret_lists_crud() {
    let env = start().await;
    let r = env.na("GET", "/api/secrets/lists", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["data"].as_array().unwrap().len(), 2);
    let created = env.na("POST", "/api/secrets/lists", None).await;
    assert_eq!(created.status, 201, "{}", created.text);
    let name = created.json["data"]["name"].as_str().unwrap().to_string();
    let renamed = env
        .na(
            "POST",
            &format!("/api/secrets/lists/{name}"),
            Some(&request("POST /api/secrets/lists/{secretList}")),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.json["data"]["name"], "new name");
    let got = env.na("GET", "/api/secrets/lists/new%20name", None).await;
    assert_eq!(got.status, 200, "{}", got.text);
    let dup = env
        .na(
            "POST",
            "/api/secrets/lists/new%20name",
            Some(&json!({"name": "production"})),
        )
        .await;
    assert_eq!(dup.status, 422, "{}", dup.text);
    assert!(dup.json["errors"]["name"].is_array());
    assert_eq!(
        env.na("POST", "/api/secrets/lists/production", Some(&json!({})))
            .await
            .status,
        422
    );
    assert_eq!(
        env.na("GET", "/api/secrets/lists/nope", None).await.status,
        404
    );
    assert_eq!(
        env.na("DELETE", "/api/secrets/lists/new%20name", None)
            .await
            .status,
        200
    );
    assert_eq!(
        env.na("GET", "/api/secrets/lists/new%20name", None)
            .await
            .status,
        404
    );
    assert_eq!(
        env.send("GET", "/netactuate/api/secrets/lists", Auth::None, None)
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn secret_list_values_have_account_wide_unique_keys() {
    let env = start().await;
    let key = "POST /api/secrets/lists/{secretList}/values";
    let r = env
        .na(
            "POST",
            "/api/secrets/lists/staging/values",
            Some(&request(key)),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let v = &r.json["data"];
    for k in ["id", "secret_list_id", "secret_key", "secret_value"] {
        assert!(v.get(k).is_some(), "value has {k}: {v}");
    }
    let id = v["id"].as_u64().unwrap();
    // Same key in another list: keys are unique across the account.
    let dup = env
        .na(
            "POST",
            "/api/secrets/lists/production/values",
            Some(&request(key)),
        )
        .await;
    assert_eq!(dup.status, 422, "{}", dup.text);
    assert!(dup.json["errors"]["secret_key"].is_array());
    assert_eq!(
        env.na(
            "POST",
            "/api/secrets/lists/staging/values",
            Some(&json!({"secret_key": "K"}))
        )
        .await
        .status,
        422
    );
    assert_eq!(
        env.na(
            "POST",
            "/api/secrets/lists/nope/values",
            Some(&request(key))
        )
        .await
        .status,
        404
    );

    let one = env
        .na(
            "GET",
            &format!("/api/secrets/lists/staging/values/{id}"),
            None,
        )
        .await;
    assert_eq!(one.json["data"]["secret_value"], "new value");
    assert_eq!(
        env.na(
            "GET",
            &format!("/api/secrets/lists/production/values/{id}"),
            None
        )
        .await
        .status,
        404
    );
    let upd = env
        .na(
            "POST",
            &format!("/api/secrets/lists/staging/values/{id}"),
            Some(&json!({"secret_value": "v2"})),
        )
        .await;
    assert_eq!(upd.status, 200, "{}", upd.text);
    assert_eq!(upd.json["data"]["secret_value"], "v2");
    let clash = env
        .na(
            "POST",
            &format!("/api/secrets/lists/staging/values/{id}"),
            Some(&json!({"secret_key": "DB_PASSWORD"})),
        )
        .await;
    assert_eq!(clash.status, 422);
    let in_list = env
        .na("GET", "/api/secrets/lists/staging/values", None)
        .await;
    assert_eq!(in_list.json["data"].as_array().unwrap().len(), 2);
    let all = env.na("GET", "/api/secrets/all-values", None).await;
    assert_eq!(all.json["data"].as_array().unwrap().len(), 5);
    assert_eq!(
        env.na(
            "DELETE",
            &format!("/api/secrets/lists/staging/values/{id}"),
            None
        )
        .await
        .status,
        200
    );
    assert_eq!(
        env.na(
            "DELETE",
            &format!("/api/secrets/lists/staging/values/{id}"),
            None
        )
        .await
        .status,
        404
    );
    assert_eq!(
        env.send(
            "GET",
            "/netactuate/api/secrets/all-values",
            Auth::Bearer("x"),
            None
        )
        .await
        .status,
        401
    );
}

#[tokio::test]
async fn ip_acl_rejects_other_networks_with_403() {
    let env = start().await;
    env.sandbox()
        .set_netactuate_allowed(vec!["203.0.113.0/24".parse().unwrap()]);
    let r = env.na("GET", "/v3/secrets", None).await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert!(r.json["message"].as_str().unwrap().contains("IP ACL"));
    // The token is checked first: a bad token is still a 401.
    assert_eq!(
        env.send("GET", "/netactuate/v3/secrets", Auth::Bearer("x"), None)
            .await
            .status,
        401
    );
    env.sandbox()
        .set_netactuate_allowed(vec!["127.0.0.1/32".parse().unwrap()]);
    assert_eq!(env.na("GET", "/v3/secrets", None).await.status, 200);
}
