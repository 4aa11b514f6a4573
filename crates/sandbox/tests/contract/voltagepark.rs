use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

const P: &str = "voltagepark";

/// Every example in the document has a test below.
const COVERED: &[&str] = &[
    "GET /api/v1/locations/",
    "GET /api/v1/locations/{location_id}",
    "GET /api/v1/hostnodes/{hostnode_id}",
    "GET /api/v1/instant-deploy-presets/",
    "GET /api/v1/instant-deploy-presets/{instant_deploy_preset_id}",
    "POST /api/v1/virtual-machines/instant",
    "GET /api/v1/virtual-machines/",
    "GET /api/v1/virtual-machines/{virtual_machine_id}",
    "PATCH /api/v1/virtual-machines/{virtual_machine_id}",
    "PUT /api/v1/virtual-machines/{virtual_machine_id}/power-status",
    "DELETE /api/v1/virtual-machines/{virtual_machine_id}",
    "GET /api/v1/bare-metal/locations",
    "POST /api/v1/bare-metal/",
    "GET /api/v1/bare-metal/",
    "PUT /api/v1/bare-metal/{baremetal_rental_id}/power-status",
    "PATCH /api/v1/bare-metal/{baremetal_rental_id}",
    "POST /api/v1/bare-metal/{baremetal_rental_id}/reboot",
    "DELETE /api/v1/bare-metal/{baremetal_rental_id}",
    "GET /api/v1/billing/hourly-rate",
    "GET /api/v1/billing/transactions",
    "GET /api/v1/billing/reports/{year}/{month}/transactions",
    "GET /api/v1/organization/ssh-keys",
    "POST /api/v1/organization/ssh-keys",
    "DELETE /api/v1/organization/ssh-keys/{ssh_key_id}",
    "GET /api/v1/storage/hourly-rate",
    "GET /api/v1/storage/",
    "POST /api/v1/storage/",
    "GET /api/v1/storage/{storage_id}",
    "PATCH /api/v1/storage/{storage_id}",
    "DELETE /api/v1/storage/{storage_id}",
    "POST /api/v1/validate/cloudinit",
];

#[test]
fn every_example_in_the_document_is_covered() {
    let in_doc: BTreeSet<String> = examples(P).iter().map(Example::key).collect();
    let covered: BTreeSet<String> = COVERED.iter().map(|s| s.to_string()).collect();
    assert_eq!(in_doc.len(), 31, "the document has 31 endpoints");
    assert_eq!(in_doc, covered);
}

#[test]
fn auth_headers_in_the_fixtures_match_the_document() {
    for e in examples(P) {
        let want = if e.path.starts_with("/api/v1/organization")
            || e.path.starts_with("/api/v1/storage")
        {
            "x-api-token"
        } else if e.path.starts_with("/api/v1/instant-deploy-presets")
            || e.path == "/api/v1/bare-metal/locations"
            || e.path == "/api/v1/validate/cloudinit"
        {
            "none"
        } else {
            "bearer"
        };
        assert_eq!(e.auth, want, "{}", e.key());
    }
}

fn response(key: &str) -> Value {
    example(P, key).response.expect("response example")
}

fn request(key: &str) -> Value {
    example(P, key).request.expect("request example")
}

async fn first_id(env: &Env, list_path: &str) -> String {
    let r = env.vp("GET", list_path, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = if r.json.is_array() {
        &r.json
    } else {
        &r.json["results"]
    };
    list[0]["id"].as_str().expect("id").to_string()
}

async fn ssh_key_id(env: &Env) -> String {
    first_id(env, "/api/v1/organization/ssh-keys").await
}

async fn bare_metal_location(env: &Env) -> String {
    first_id(env, "/api/v1/bare-metal/locations").await
}

async fn new_volume(env: &Env) -> String {
    let r = env
        .vp(
            "POST",
            "/api/v1/storage/",
            Some(&json!({"size_in_gb": 50, "name": "scratch"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json["id"].as_str().expect("id").to_string()
}

/// Deploys the document's instant-VM example with real ids; returns the VM id.
async fn deploy_vm(env: &Env) -> String {
    let preset = first_id(env, "/api/v1/instant-deploy-presets/?available=true").await;
    let key = ssh_key_id(env).await;
    let body = request("POST /api/v1/virtual-machines/instant");
    let body = set(body, "/config_id", json!(preset));
    let body = set(body, "/organization_ssh_keys/ssh_key_ids", json!([key]));
    let r = env
        .vp("POST", "/api/v1/virtual-machines/instant", Some(&body))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_shape(&response("POST /api/v1/virtual-machines/instant"), &r.json);
    r.json["vm_id"].as_str().expect("vm_id").to_string()
}

/// Deploys the document's bare-metal example with real ids; returns (rental id, warning).
async fn deploy_rental(env: &Env) -> (String, Value) {
    let body = request("POST /api/v1/bare-metal/");
    let body = set(body, "/location_id", json!(bare_metal_location(env).await));
    let body = set(
        body,
        "/organization_ssh_keys/ssh_key_ids",
        json!([ssh_key_id(env).await]),
    );
    let body = set(body, "/storage_id", json!(new_volume(env).await));
    let r = env.vp("POST", "/api/v1/bare-metal/", Some(&body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_shape(&response("POST /api/v1/bare-metal/"), &r.json);
    (
        r.json["rental_id"].as_str().expect("rental_id").to_string(),
        r.json["warning"].clone(),
    )
}

async fn running_rental(env: &Env) -> String {
    let (id, _) = deploy_rental(env).await;
    env.sandbox().advance(Duration::from_secs(600));
    id
}

// ---- locations and hostnodes ----

#[tokio::test]
async fn locations_list() {
    let env = start().await;
    assert_detail(&env.vp("DELETE", "/api/v1/locations/", None).await, 405);
    assert_detail(&env.vp("GET", "/api/v1/nowhere", None).await, 404);
    let key = "GET /api/v1/locations/";
    let r = env.vp("GET", "/api/v1/locations/", None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response(key), &r.json);
    assert_eq!(
        r.json["results"].as_array().unwrap().len(),
        3,
        "default limit is 3"
    );
    assert_eq!(r.json["has_next"], true);
    let all = env.vp("GET", "/api/v1/locations?limit=15", None).await;
    assert_eq!(all.json["results"].as_array().unwrap().len(), 5);
    assert_eq!(all.json["total_result_count"], 5);
    let last = env
        .vp("GET", "/api/v1/locations/?limit=3&offset=3", None)
        .await;
    assert_eq!(last.json["has_previous"], true);
    assert_eq!(last.json["has_next"], false);

    assert_422(
        &env.vp("GET", "/api/v1/locations/?limit=16", None).await,
        &["query", "limit"],
    );
    assert_422(
        &env.vp("GET", "/api/v1/locations/?limit=0", None).await,
        &["query", "limit"],
    );
    assert_422(
        &env.vp("GET", "/api/v1/locations/?limit=three", None).await,
        &["query", "limit"],
    );
    assert_detail(
        &env.send("GET", "/voltagepark/api/v1/locations/", Auth::None, None)
            .await,
        401,
    );
    assert_detail(
        &env.send(
            "GET",
            "/voltagepark/api/v1/locations/",
            Auth::ApiToken(VP),
            None,
        )
        .await,
        401,
    );
    assert_detail(
        &env.send(
            "GET",
            "/voltagepark/api/v1/locations/",
            Auth::Bearer("wrong"),
            None,
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn location_by_id() {
    let env = start().await;
    let id = first_id(&env, "/api/v1/locations/").await;
    let r = env
        .vp("GET", &format!("/api/v1/locations/{id}"), None)
        .await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /api/v1/locations/{location_id}"), &r.json);
    assert_detail(
        &env.vp("GET", &format!("/api/v1/locations/{UNKNOWN_ID}"), None)
            .await,
        404,
    );
    assert_422(
        &env.vp("GET", "/api/v1/locations/seattle", None).await,
        &["path", "location_id"],
    );
    assert_detail(
        &env.send(
            "GET",
            &format!("/voltagepark/api/v1/locations/{id}"),
            Auth::None,
            None,
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn hostnode_by_id() {
    let env = start().await;
    let r = env.vp("GET", "/api/v1/locations/", None).await;
    let id = r.json["results"][0]["hostnodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = env
        .vp("GET", &format!("/api/v1/hostnodes/{id}"), None)
        .await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /api/v1/hostnodes/{hostnode_id}"), &r.json);
    assert_detail(
        &env.vp("GET", &format!("/api/v1/hostnodes/{UNKNOWN_ID}"), None)
            .await,
        404,
    );
    assert_422(
        &env.vp("GET", "/api/v1/hostnodes/12", None).await,
        &["path", "hostnode_id"],
    );
    assert_detail(
        &env.send(
            "GET",
            &format!("/voltagepark/api/v1/hostnodes/{id}"),
            Auth::Bearer("x"),
            None,
        )
        .await,
        401,
    );
}

// ---- presets ----

#[tokio::test]
async fn presets_list_needs_no_token() {
    let env = start().await;
    let r = env
        .send(
            "GET",
            "/voltagepark/api/v1/instant-deploy-presets/",
            Auth::None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape(&response("GET /api/v1/instant-deploy-presets/"), &r.json);
    let available = env
        .send(
            "GET",
            "/voltagepark/api/v1/instant-deploy-presets/?available=true",
            Auth::None,
            None,
        )
        .await;
    for p in available.json.as_array().unwrap() {
        assert!(!p["location_ids_with_availability"]
            .as_array()
            .unwrap()
            .is_empty());
    }
    assert_422(
        &env.send(
            "GET",
            "/voltagepark/api/v1/instant-deploy-presets/?available=maybe",
            Auth::None,
            None,
        )
        .await,
        &["query", "available"],
    );
}

#[tokio::test]
async fn preset_by_id() {
    let env = start().await;
    let id = first_id(&env, "/api/v1/instant-deploy-presets/").await;
    let r = env
        .send(
            "GET",
            &format!("/voltagepark/api/v1/instant-deploy-presets/{id}"),
            Auth::None,
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_shape(
        &response("GET /api/v1/instant-deploy-presets/{instant_deploy_preset_id}"),
        &r.json,
    );
    assert_detail(
        &env.vp(
            "GET",
            &format!("/api/v1/instant-deploy-presets/{UNKNOWN_ID}"),
            None,
        )
        .await,
        404,
    );
    assert_422(
        &env.vp("GET", "/api/v1/instant-deploy-presets/h100", None)
            .await,
        &["path", "instant_deploy_preset_id"],
    );
}

// ---- instant VMs ----

#[tokio::test]
async fn vm_deploy() {
    let env = start().await;
    let id = deploy_vm(&env).await;
    let r = env
        .vp("GET", &format!("/api/v1/virtual-machines/{id}"), None)
        .await;
    assert_eq!(r.json["name"], "My Instant Virtual Machine");
    assert_eq!(r.json["tags"], json!(["tag1", "tag2"]));

    let key = "POST /api/v1/virtual-machines/instant";
    let preset = first_id(&env, "/api/v1/instant-deploy-presets/").await;
    let good = set(request(key), "/config_id", json!(preset));
    let good = set(good, "/organization_ssh_keys", json!({"mode": "all"}));
    let path = "/api/v1/virtual-machines/instant";
    assert_422(
        &env.vp("POST", path, Some(&without(good.clone(), "name")))
            .await,
        &["body", "name"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/config_id", json!(12))),
        )
        .await,
        &["body", "config_id"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/password", json!("short"))),
        )
        .await,
        &["body", "password"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/tags", json!("tag1"))),
        )
        .await,
        &["body", "tags"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(
                good.clone(),
                "/organization_ssh_keys",
                json!({"mode": "some"}),
            )),
        )
        .await,
        &["body", "organization_ssh_keys"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(
                good.clone(),
                "/cloud_init/write_files/0",
                json!({"content": "x"}),
            )),
        )
        .await,
        &["body", "cloud_init", "write_files"],
    );
    assert_422(
        &env.send_raw(
            "POST",
            "/voltagepark/api/v1/virtual-machines/instant",
            Auth::Bearer(VP),
            "{nope",
        )
        .await,
        &["body"],
    );
    assert_422(
        &env.vp("POST", path, Some(&set(good.clone(), "/tags", Value::Null)))
            .await,
        &["body", "tags"],
    );
    // FastAPI does not read a body sent as form data as JSON.
    let form = env
        .http
        .post(env.url("/voltagepark/api/v1/virtual-machines/instant"))
        .bearer_auth(VP)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(good.to_string())
        .send()
        .await
        .unwrap();
    assert_422(&reply(form).await, &["body"]);
    assert_detail(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/config_id", json!(UNKNOWN_ID))),
        )
        .await,
        400,
    );
    assert_detail(
        &env.vp(
            "POST",
            path,
            Some(&set(
                good.clone(),
                "/organization_ssh_keys",
                json!({"mode": "selective", "ssh_key_ids": [UNKNOWN_ID]}),
            )),
        )
        .await,
        400,
    );
    assert_detail(
        &env.send(
            "POST",
            "/voltagepark/api/v1/virtual-machines/instant",
            Auth::ApiToken(VP),
            Some(&good),
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn vm_list() {
    let env = start().await;
    deploy_vm(&env).await;
    let r = env.vp("GET", "/api/v1/virtual-machines/", None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /api/v1/virtual-machines/"), &r.json);
    assert_eq!(r.json["total_result_count"], 5);
    let page = env
        .vp("GET", "/api/v1/virtual-machines?limit=2&offset=2", None)
        .await;
    assert_eq!(page.json["results"].as_array().unwrap().len(), 2);
    assert_eq!(page.json["has_previous"], true);
    assert_422(
        &env.vp("GET", "/api/v1/virtual-machines/?limit=101", None)
            .await,
        &["query", "limit"],
    );
    assert_422(
        &env.vp("GET", "/api/v1/virtual-machines/?offset=x", None)
            .await,
        &["query", "offset"],
    );
    assert_detail(
        &env.send(
            "GET",
            "/voltagepark/api/v1/virtual-machines/",
            Auth::None,
            None,
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn vm_get() {
    let env = start().await;
    let id = first_id(&env, "/api/v1/virtual-machines/").await;
    let r = env
        .vp("GET", &format!("/api/v1/virtual-machines/{id}"), None)
        .await;
    assert_eq!(r.status, 200);
    assert_shape(
        &response("GET /api/v1/virtual-machines/{virtual_machine_id}"),
        &r.json,
    );
    assert_detail(
        &env.vp(
            "GET",
            &format!("/api/v1/virtual-machines/{UNKNOWN_ID}"),
            None,
        )
        .await,
        404,
    );
    assert_422(
        &env.vp("GET", "/api/v1/virtual-machines/vm-1", None).await,
        &["path", "virtual_machine_id"],
    );
}

#[tokio::test]
async fn vm_patch() {
    let env = start().await;
    let key = "PATCH /api/v1/virtual-machines/{virtual_machine_id}";
    let id = first_id(&env, "/api/v1/virtual-machines/").await;
    let path = format!("/api/v1/virtual-machines/{id}");
    let r = env.vp("PATCH", &path, Some(&request(key))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape(&response(key), &r.json);
    assert_eq!(env.vp("GET", &path, None).await.json["name"], "text");
    assert_422(
        &env.vp("PATCH", &path, Some(&json!({"tags": [1]}))).await,
        &["body", "tags", "0"],
    );
    assert_422(
        &env.vp("PATCH", &path, Some(&json!({"name": 5}))).await,
        &["body", "name"],
    );
    assert_detail(
        &env.vp("PATCH", &path, Some(&json!({"name": ""}))).await,
        400,
    );
    assert_detail(
        &env.vp(
            "PATCH",
            &format!("/api/v1/virtual-machines/{UNKNOWN_ID}"),
            Some(&request(key)),
        )
        .await,
        404,
    );
}

#[tokio::test]
async fn vm_power() {
    let env = start().await;
    let key = "PUT /api/v1/virtual-machines/{virtual_machine_id}/power-status";
    let id = deploy_vm(&env).await;
    let path = format!("/api/v1/virtual-machines/{id}/power-status");
    let r = env
        .vp("PUT", &path, Some(&json!({"status": "stopped"})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = env.vp("PUT", &path, Some(&request(key))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape(&response(key), &r.json);
    assert_detail(&env.vp("PUT", &path, Some(&request(key))).await, 400);
    assert_422(
        &env.vp("PUT", &path, Some(&json!({"status": "paused"})))
            .await,
        &["body", "status"],
    );
    assert_422(
        &env.vp("PUT", &path, Some(&json!({}))).await,
        &["body", "status"],
    );
    let unknown = format!("/api/v1/virtual-machines/{UNKNOWN_ID}/power-status");
    assert_detail(&env.vp("PUT", &unknown, Some(&request(key))).await, 404);
}

#[tokio::test]
async fn vm_terminate() {
    let env = start().await;
    let id = deploy_vm(&env).await;
    let path = format!("/api/v1/virtual-machines/{id}");
    assert_detail(
        &env.send("DELETE", &format!("/voltagepark{path}"), Auth::None, None)
            .await,
        401,
    );
    let r = env.vp("DELETE", &path, None).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_detail(&env.vp("GET", &path, None).await, 404);
    assert_detail(&env.vp("DELETE", &path, None).await, 404);
    assert_422(
        &env.vp("DELETE", "/api/v1/virtual-machines/x", None).await,
        &["path", "virtual_machine_id"],
    );
}

// ---- bare metal ----

#[tokio::test]
async fn bare_metal_locations_need_no_token() {
    let env = start().await;
    let r = env
        .send(
            "GET",
            "/voltagepark/api/v1/bare-metal/locations",
            Auth::None,
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /api/v1/bare-metal/locations"), &r.json);
}

#[tokio::test]
async fn bare_metal_deploy() {
    let env = start().await;
    let (_, warning) = deploy_rental(&env).await;
    assert!(
        warning.as_str().is_some_and(|w| w.contains("rounded up")),
        "gpu_count 1 is rounded to a node: {warning}"
    );
    let key = "POST /api/v1/bare-metal/";
    let good = set(
        request(key),
        "/location_id",
        json!(bare_metal_location(&env).await),
    );
    let good = set(good, "/organization_ssh_keys", json!({"mode": "none"}));
    let good = without(good, "storage_id");
    let path = "/api/v1/bare-metal/";
    assert_422(
        &env.vp("POST", path, Some(&without(good.clone(), "network_type")))
            .await,
        &["body", "network_type"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/network_type", json!("fibre"))),
        )
        .await,
        &["body", "network_type"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/gpu_count", json!("many"))),
        )
        .await,
        &["body", "gpu_count"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/sub_order", json!("abc"))),
        )
        .await,
        &["body", "sub_order"],
    );
    assert_422(
        &env.vp("POST", path, Some(&without(good.clone(), "location_id")))
            .await,
        &["body", "location_id"],
    );
    assert_detail(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/location_id", json!(UNKNOWN_ID))),
        )
        .await,
        400,
    );
    assert_detail(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/gpu_count", json!(4000))),
        )
        .await,
        400,
    );
    assert_detail(
        &env.vp(
            "POST",
            path,
            Some(&set(good.clone(), "/gpu_count", json!(i64::MAX))),
        )
        .await,
        400,
    );
    assert_detail(
        &env.vp(
            "POST",
            path,
            Some(&with(good.clone(), "storage_id", json!(UNKNOWN_ID))),
        )
        .await,
        400,
    );
    assert_detail(
        &env.send(
            "POST",
            "/voltagepark/api/v1/bare-metal/",
            Auth::ApiToken(VP),
            Some(&good),
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn bare_metal_list() {
    let env = start().await;
    running_rental(&env).await;
    let r = env.vp("GET", "/api/v1/bare-metal/", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["total_result_count"], 2);
    assert_shape(&response("GET /api/v1/bare-metal/"), &r.json);
    assert_422(
        &env.vp("GET", "/api/v1/bare-metal/?limit=101", None).await,
        &["query", "limit"],
    );
    assert_detail(
        &env.send("GET", "/voltagepark/api/v1/bare-metal/", Auth::None, None)
            .await,
        401,
    );
}

#[tokio::test]
async fn bare_metal_power() {
    let env = start().await;
    let key = "PUT /api/v1/bare-metal/{baremetal_rental_id}/power-status";
    let id = running_rental(&env).await;
    let path = format!("/api/v1/bare-metal/{id}/power-status");
    assert_eq!(
        env.vp("PUT", &path, Some(&json!({"status": "stopped"})))
            .await
            .status,
        200
    );
    let r = env.vp("PUT", &path, Some(&request(key))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.is_empty(), "no content: {}", r.text);
    assert_detail(&env.vp("PUT", &path, Some(&request(key))).await, 400);
    assert_422(
        &env.vp(
            "PUT",
            &path,
            Some(&json!({"status": "stopped_disassociated"})),
        )
        .await,
        &["body", "status"],
    );
    assert_detail(
        &env.vp(
            "PUT",
            &format!("/api/v1/bare-metal/{UNKNOWN_ID}/power-status"),
            Some(&request(key)),
        )
        .await,
        404,
    );
}

#[tokio::test]
async fn bare_metal_patch() {
    let env = start().await;
    let key = "PATCH /api/v1/bare-metal/{baremetal_rental_id}";
    let id = running_rental(&env).await;
    let r = env
        .vp(
            "PATCH",
            &format!("/api/v1/bare-metal/{id}"),
            Some(&request(key)),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape(&response(key), &r.json);
    assert_422(
        &env.vp(
            "PATCH",
            &format!("/api/v1/bare-metal/{id}"),
            Some(&json!({"tags": "a"})),
        )
        .await,
        &["body", "tags"],
    );
    assert_detail(
        &env.vp(
            "PATCH",
            &format!("/api/v1/bare-metal/{UNKNOWN_ID}"),
            Some(&request(key)),
        )
        .await,
        404,
    );
}

#[tokio::test]
async fn bare_metal_reboot() {
    let env = start().await;
    let key = "POST /api/v1/bare-metal/{baremetal_rental_id}/reboot";
    let id = running_rental(&env).await;
    let list = env.vp("GET", "/api/v1/bare-metal/", None).await;
    let rental = list.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id.as_str())
        .unwrap()
        .clone();
    let ip = rental["node_networking"][0]["public_ip"].clone();
    let path = format!("/api/v1/bare-metal/{id}/reboot");
    let r = env
        .vp("POST", &path, Some(&set(request(key), "/public_ips/0", ip)))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_detail(&env.vp("POST", &path, Some(&request(key))).await, 400);
    env.sandbox().advance(Duration::from_secs(600));
    assert_detail(&env.vp("POST", &path, Some(&request(key))).await, 400);
    assert_422(
        &env.vp("POST", &path, Some(&json!({}))).await,
        &["body", "public_ips"],
    );
    assert_detail(
        &env.vp(
            "POST",
            &format!("/api/v1/bare-metal/{UNKNOWN_ID}/reboot"),
            Some(&request(key)),
        )
        .await,
        404,
    );
}

#[tokio::test]
async fn bare_metal_terminate() {
    let env = start().await;
    let (id, _) = deploy_rental(&env).await;
    let path = format!("/api/v1/bare-metal/{id}");
    assert_detail(
        &env.send(
            "DELETE",
            &format!("/voltagepark{path}"),
            Auth::ApiToken(VP),
            None,
        )
        .await,
        401,
    );
    assert_eq!(env.vp("DELETE", &path, None).await.status, 202);
    assert_detail(&env.vp("DELETE", &path, None).await, 404);
    assert_422(
        &env.vp("DELETE", "/api/v1/bare-metal/nope", None).await,
        &["path", "baremetal_rental_id"],
    );
}

// ---- billing ----

#[tokio::test]
async fn billing_hourly_rate() {
    let env = start().await;
    let r = env.vp("GET", "/api/v1/billing/hourly-rate", None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /api/v1/billing/hourly-rate"), &r.json);
    assert_detail(
        &env.send(
            "GET",
            "/voltagepark/api/v1/billing/hourly-rate",
            Auth::ApiToken(VP),
            None,
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn billing_transactions() {
    let env = start().await;
    let r = env
        .vp(
            "GET",
            "/api/v1/billing/transactions?types=virtual_machine",
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json["results"].as_array().unwrap().len(),
        30,
        "default limit 30"
    );
    assert_shape(&response("GET /api/v1/billing/transactions"), &r.json);
    let r = env
        .vp(
            "GET",
            "/api/v1/billing/transactions?earliest=2024-10-01&latest=2024-10-26",
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_422(
        &env.vp("GET", "/api/v1/billing/transactions?types=gpu", None)
            .await,
        &["query", "types"],
    );
    assert_422(
        &env.vp(
            "GET",
            "/api/v1/billing/transactions?earliest=2024-13-01",
            None,
        )
        .await,
        &["query", "earliest"],
    );
    assert_422(
        &env.vp("GET", "/api/v1/billing/transactions?limit=0", None)
            .await,
        &["query", "limit"],
    );
    assert_detail(
        &env.send(
            "GET",
            "/voltagepark/api/v1/billing/transactions",
            Auth::None,
            None,
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn billing_monthly_report() {
    let env = start().await;
    let r = env
        .vp("GET", "/api/v1/billing/reports/2026/11/transactions", None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let vm_only = Value::Array(
        r.json["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["details"]["type"] == "charge")
            .cloned()
            .collect(),
    );
    let mut report = r.json.clone();
    report["transactions"] = vm_only;
    assert_shape(
        &response("GET /api/v1/billing/reports/{year}/{month}/transactions"),
        &report,
    );
    let example = env
        .vp("GET", "/api/v1/billing/reports/2024/10/transactions", None)
        .await;
    assert_eq!(example.status, 200);
    assert_422(
        &env.vp("GET", "/api/v1/billing/reports/2026/13/transactions", None)
            .await,
        &["path", "month"],
    );
    assert_422(
        &env.vp("GET", "/api/v1/billing/reports/last/11/transactions", None)
            .await,
        &["path", "year"],
    );
    assert_detail(
        &env.send(
            "GET",
            "/voltagepark/api/v1/billing/reports/2026/11/transactions",
            Auth::None,
            None,
        )
        .await,
        401,
    );
}

// ---- SSH keys ----

/// A real public key (made with ssh-keygen for these tests; its private half was discarded).
const REAL_PUBLIC_KEY: &str = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBGztkX41fskcc0OTdWHJ9GGkILNWrWq7xbV/hoqLlAiuYozUqFd6taXlU0Oj73E2kFwvev8lk7zDqpE4Tx7b592eFMFGn9VUM6vMvDTok8adIXsCcvai8AzWL/WKCAYAQg== e2e@browser";

#[tokio::test]
async fn ssh_keys_list() {
    let env = start().await;
    let r = env.vp("GET", "/api/v1/organization/ssh-keys", None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /api/v1/organization/ssh-keys"), &r.json);
    assert_422(
        &env.vp("GET", "/api/v1/organization/ssh-keys?limit=151", None)
            .await,
        &["query", "limit"],
    );
    assert_detail(
        &env.send(
            "GET",
            "/voltagepark/api/v1/organization/ssh-keys",
            Auth::Bearer("wrong"),
            None,
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn ssh_keys_add() {
    let env = start().await;
    let key = "POST /api/v1/organization/ssh-keys";
    let path = "/api/v1/organization/ssh-keys";
    // The document's example key is cut short ("AAAAB3...BC9N..."): not a key, so a 422.
    assert_422(
        &env.vp("POST", path, Some(&request(key))).await,
        &["body", "content"],
    );
    let real = set(request(key), "/content", json!(REAL_PUBLIC_KEY));
    let r = env.vp("POST", path, Some(&real)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_shape(&response(key), &r.json);
    assert_detail(&env.vp("POST", path, Some(&real)).await, 400);
    assert_422(
        &env.vp("POST", path, Some(&set(request(key), "/name", json!("ab"))))
            .await,
        &["body", "name"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(request(key), "/name", json!("my_key!"))),
        )
        .await,
        &["body", "name"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(request(key), "/name", json!("x".repeat(65)))),
        )
        .await,
        &["body", "name"],
    );
    assert_422(
        &env.vp("POST", path, Some(&without(request(key), "content")))
            .await,
        &["body", "content"],
    );
    assert_422(
        &env.vp(
            "POST",
            path,
            Some(&set(request(key), "/content", json!("hello"))),
        )
        .await,
        &["body", "content"],
    );
    assert_detail(
        &env.send(
            "POST",
            "/voltagepark/api/v1/organization/ssh-keys",
            Auth::Bearer("wrong"),
            Some(&request(key)),
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn ssh_keys_delete() {
    let env = start().await;
    let id = ssh_key_id(&env).await;
    let path = format!("/api/v1/organization/ssh-keys/{id}");
    assert_detail(
        &env.send(
            "DELETE",
            &format!("/voltagepark{path}"),
            Auth::Bearer("wrong"),
            None,
        )
        .await,
        401,
    );
    let r = env.vp("DELETE", &path, None).await;
    assert_eq!(r.status, 204);
    assert_detail(&env.vp("DELETE", &path, None).await, 404);
    assert_422(
        &env.vp("DELETE", "/api/v1/organization/ssh-keys/alice", None)
            .await,
        &["path", "ssh_key_id"],
    );
}

// ---- storage ----

#[tokio::test]
async fn storage_hourly_rate() {
    let env = start().await;
    let r = env.vp("GET", "/api/v1/storage/hourly-rate", None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /api/v1/storage/hourly-rate"), &r.json);
    assert_detail(
        &env.send(
            "GET",
            "/voltagepark/api/v1/storage/hourly-rate",
            Auth::None,
            None,
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn storage_list() {
    let env = start().await;
    let r = env.vp("GET", "/api/v1/storage/", None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /api/v1/storage/"), &r.json);
    assert_422(
        &env.vp("GET", "/api/v1/storage/?limit=101", None).await,
        &["query", "limit"],
    );
    assert_detail(
        &env.send(
            "GET",
            "/voltagepark/api/v1/storage/",
            Auth::Bearer("wrong"),
            None,
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn storage_create() {
    let env = start().await;
    let key = "POST /api/v1/storage/";
    let r = env
        .vp("POST", "/api/v1/storage/", Some(&request(key)))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_shape(&response(key), &r.json);
    assert_eq!(r.json["rate_hourly"], "0.017400");
    assert_422(
        &env.vp(
            "POST",
            "/api/v1/storage/",
            Some(&set(request(key), "/size_in_gb", json!(0))),
        )
        .await,
        &["body", "size_in_gb"],
    );
    assert_422(
        &env.vp(
            "POST",
            "/api/v1/storage/",
            Some(&without(request(key), "name")),
        )
        .await,
        &["body", "name"],
    );
    assert_422(
        &env.vp(
            "POST",
            "/api/v1/storage/",
            Some(&set(request(key), "/order_ids", json!(["x"]))),
        )
        .await,
        &["body", "order_ids", "0"],
    );
    assert_detail(
        &env.vp(
            "POST",
            "/api/v1/storage/",
            Some(&set(request(key), "/size_in_gb", json!(10_000_000))),
        )
        .await,
        400,
    );
    assert_detail(
        &env.send(
            "POST",
            "/voltagepark/api/v1/storage/",
            Auth::Bearer("wrong"),
            Some(&request(key)),
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn storage_get() {
    let env = start().await;
    let id = first_id(&env, "/api/v1/storage/").await;
    let r = env.vp("GET", &format!("/api/v1/storage/{id}"), None).await;
    assert_eq!(r.status, 200);
    assert_shape(&response("GET /api/v1/storage/{storage_id}"), &r.json);
    assert_detail(
        &env.vp("GET", &format!("/api/v1/storage/{UNKNOWN_ID}"), None)
            .await,
        404,
    );
    assert_422(
        &env.vp("GET", "/api/v1/storage/datasets", None).await,
        &["path", "storage_id"],
    );
}

#[tokio::test]
async fn storage_patch() {
    let env = start().await;
    let key = "PATCH /api/v1/storage/{storage_id}";
    let id = new_volume(&env).await;
    let path = format!("/api/v1/storage/{id}");
    let r = env.vp("PATCH", &path, Some(&request(key))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape(&response(key), &r.json);
    assert_eq!(r.json["size_in_gb"], 1);
    assert_422(
        &env.vp("PATCH", &path, Some(&json!({"size_in_gb": "big"})))
            .await,
        &["body", "size_in_gb"],
    );
    let seeded = first_id(&env, "/api/v1/storage/").await;
    assert_detail(
        &env.vp(
            "PATCH",
            &format!("/api/v1/storage/{seeded}"),
            Some(&json!({"size_in_gb": 1})),
        )
        .await,
        400,
    );
    assert_detail(
        &env.vp(
            "PATCH",
            &format!("/api/v1/storage/{UNKNOWN_ID}"),
            Some(&request(key)),
        )
        .await,
        404,
    );
}

#[tokio::test]
async fn storage_delete() {
    let env = start().await;
    let id = new_volume(&env).await;
    let r = env
        .vp("DELETE", &format!("/api/v1/storage/{id}"), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_detail(
        &env.vp("DELETE", &format!("/api/v1/storage/{id}"), None)
            .await,
        404,
    );
    let attached = first_id(&env, "/api/v1/storage/").await;
    assert_detail(
        &env.vp("DELETE", &format!("/api/v1/storage/{attached}"), None)
            .await,
        400,
    );
    assert_detail(
        &env.send(
            "DELETE",
            &format!("/voltagepark/api/v1/storage/{attached}"),
            Auth::None,
            None,
        )
        .await,
        401,
    );
}

// ---- cloud-init ----

#[tokio::test]
async fn cloudinit_validate_needs_no_token() {
    let env = start().await;
    let key = "POST /api/v1/validate/cloudinit";
    let path = "/voltagepark/api/v1/validate/cloudinit";
    let r = env
        .send("POST", path, Auth::None, Some(&request(key)))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape(&response(key), &r.json);
    assert_eq!(r.json["error"], true);
    let fine = json!({"type": "vm", "content": "#cloud-config\npackages:\n  - git\n"});
    let r = env.send("POST", path, Auth::None, Some(&fine)).await;
    assert_eq!(r.json, json!({"error": false, "message": null}));
    let object =
        json!({"type": "baremetal", "content": {"packages": ["git"], "runcmd": ["nvidia-smi"]}});
    assert_eq!(
        env.send("POST", path, Auth::None, Some(&object)).await.json["error"],
        false
    );
    assert_422(
        &env.send(
            "POST",
            path,
            Auth::None,
            Some(&json!({"type": "container", "content": "x"})),
        )
        .await,
        &["body", "type"],
    );
    assert_422(
        &env.send("POST", path, Auth::None, Some(&json!({"type": "vm"})))
            .await,
        &["body", "content"],
    );
    assert_422(
        &env.send(
            "POST",
            path,
            Auth::None,
            Some(&json!({"type": "vm", "content": 3})),
        )
        .await,
        &["body", "content"],
    );
}
