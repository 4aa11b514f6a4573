//! What every `--shapes` mode shares or keeps apart: Voltage Park's current instant catalogue
//! (served under `document` and `live`, 404 under `document-only`), Bearer alone on SSH keys and
//! storage, form-encoded NetActuate bodies; and the live NetActuate and Octos envelopes.

use std::collections::{BTreeMap, BTreeSet};

use cloudpane_sandbox::Shapes;
use serde_json::{json, Value};

use crate::common::*;

const CATALOGUE: &str = "/api/v1/virtual-machines/instant/locations";

fn vp_response(key: &str) -> Value {
    example("voltagepark", key)
        .response
        .expect("response example")
}

/// (location id, preset id) → available VMs, from the current catalogue.
async fn catalogue(env: &Env) -> BTreeMap<(String, String), u64> {
    let r = env.vp("GET", CATALOGUE, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut preset = vp_response("GET /api/v1/instant-deploy-presets/{instant_deploy_preset_id}");
    preset["available_vms"] = json!(3);
    let expected = json!({
        "results": [{"id": "123e4567-e89b-12d3-a456-426614174000", "available_presets": [preset]}],
        "total_result_count": 1, "has_previous": false, "has_next": false,
    });
    assert_shape(&expected, &r.json);
    let mut out = BTreeMap::new();
    for l in r.json["results"].as_array().unwrap() {
        for p in l["available_presets"].as_array().unwrap() {
            let n = p["available_vms"].as_u64().expect("an integer count");
            assert!(n > 0, "only presets with room are listed: {p}");
            out.insert(
                (
                    l["id"].as_str().unwrap().into(),
                    p["id"].as_str().unwrap().into(),
                ),
                n,
            );
        }
    }
    out
}

#[tokio::test]
async fn the_current_catalogue_agrees_with_the_documented_endpoints() {
    let env = start().await;
    let listed = catalogue(&env).await;
    let presets = env
        .vp("GET", "/api/v1/instant-deploy-presets/", None)
        .await
        .json;
    let documented: BTreeSet<(String, String)> = presets
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["location_ids_with_availability"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    (
                        l.as_str().unwrap().to_string(),
                        p["id"].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(listed.keys().cloned().collect::<BTreeSet<_>>(), documented);

    // Deploying takes one VM's room where it landed.
    let ((_, preset), _) = listed.iter().next().unwrap();
    let r = env
        .vp(
            "POST",
            "/api/v1/virtual-machines/instant",
            Some(&json!({"config_id": preset, "name": "one"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let after = catalogue(&env).await;
    let room = |c: &BTreeMap<(String, String), u64>| -> u64 {
        c.iter()
            .filter(|((_, p), _)| p == preset)
            .map(|(_, n)| n)
            .sum()
    };
    assert_eq!(room(&after), room(&listed) - 1);

    // One location, and what is not one.
    let (location, _) = listed.keys().next().unwrap();
    let one = env
        .vp("GET", &format!("{CATALOGUE}/{location}"), None)
        .await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.json["id"], location.as_str());
    assert_detail(
        &env.vp("GET", &format!("{CATALOGUE}/{UNKNOWN_ID}"), None)
            .await,
        404,
    );
    assert_422(
        &env.vp("GET", &format!("{CATALOGUE}/seattle"), None).await,
        &["path", "location_id"],
    );
    assert_detail(
        &env.send("GET", &format!("/voltagepark{CATALOGUE}"), Auth::None, None)
            .await,
        401,
    );
}

#[tokio::test]
async fn document_only_has_no_current_catalogue() {
    let env = start_in(Shapes::DocumentOnly).await;
    assert_detail(&env.vp("GET", CATALOGUE, None).await, 404);
    let location = env.vp("GET", "/api/v1/locations/", None).await.json["results"][0]["id"].clone();
    let location = location.as_str().unwrap();
    assert_detail(
        &env.vp("GET", &format!("{CATALOGUE}/{location}"), None)
            .await,
        404,
    );
    // The documented (deprecated) way still answers.
    assert_eq!(
        env.vp("GET", &format!("/api/v1/locations/{location}"), None)
            .await
            .status,
        200
    );
    assert_eq!(
        env.vp("GET", "/api/v1/instant-deploy-presets/", None)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn the_live_catalogue_names_the_live_images() {
    let env = start_in(Shapes::Live).await;
    let r = env.vp("GET", CATALOGUE, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let names: BTreeSet<&str> = r.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["available_presets"].as_array().unwrap())
        .filter_map(|p| p["operating_system"].as_str())
        .collect();
    assert!(names.contains("TensorML 24 Everything"), "{names:?}");
}

#[tokio::test]
async fn ssh_keys_and_storage_take_a_bearer_header_alone() {
    for shapes in [Shapes::Document, Shapes::Live] {
        let env = start_in(shapes).await;
        let bearer = |method: &'static str, path: &'static str, body: Option<Value>| {
            let env = &env;
            async move {
                env.send(
                    method,
                    &format!("/voltagepark{path}"),
                    Auth::Bearer(VP),
                    body.as_ref(),
                )
                .await
            }
        };
        let keys = bearer("GET", "/api/v1/organization/ssh-keys", None).await;
        assert_eq!(keys.status, 200, "{}", keys.text);
        assert_shape(
            &vp_response("GET /api/v1/organization/ssh-keys"),
            &keys.json,
        );
        assert_eq!(bearer("GET", "/api/v1/storage/", None).await.status, 200);
        assert_eq!(
            bearer("GET", "/api/v1/storage/hourly-rate", None)
                .await
                .status,
            200
        );
        let made = bearer(
            "POST",
            "/api/v1/storage/",
            Some(json!({"size_in_gb": 10, "name": "bearer"})),
        )
        .await;
        assert_eq!(made.status, 201, "{}", made.text);
        // A wrong Bearer token is still refused, and so is nothing at all.
        for auth in [Auth::Bearer("wrong"), Auth::None] {
            let r = env
                .send("GET", "/voltagepark/api/v1/storage/", auth, None)
                .await;
            assert_detail(&r, 401);
        }
        // With both headers, the document's decides.
        let both = env
            .http
            .get(env.url("/voltagepark/api/v1/organization/ssh-keys"))
            .bearer_auth(VP)
            .header("x-api-token", "wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(both.status(), 401);
    }
}

#[tokio::test]
async fn netactuate_reads_form_encoded_bodies() {
    for shapes in [Shapes::Document, Shapes::Live] {
        let env = start_in(shapes).await;
        let na = |path: &str| format!("/netactuate{path}");
        let lists = env.na("GET", "/api/secrets/lists", None).await.json;
        // Live, the lists come in a Laravel paginator.
        let page = match shapes {
            Shapes::Live => &lists["data"]["paginator"]["data"],
            _ => &lists["data"],
        };
        let list = page[0]["name"].as_str().unwrap().to_string();
        let made = env
            .send_form(
                "POST",
                &na(&format!("/api/secrets/lists/{list}/values")),
                Auth::Bearer(NA),
                &[("secret_key", "FORM_KEY"), ("secret_value", "from a form")],
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text);
        let id = made.json["data"]["id"].as_u64().unwrap();
        let changed = env
            .send_form(
                "POST",
                &na(&format!("/api/secrets/lists/{list}/values/{id}")),
                Auth::Bearer(NA),
                &[("secret_key", "FORM_KEY"), ("secret_value", "changed")],
            )
            .await;
        assert_eq!(changed.status, 200, "{}", changed.text);
        assert_eq!(changed.json["data"]["secret_value"], "changed");
        let missing = env
            .send_form(
                "POST",
                &na(&format!("/api/secrets/lists/{list}/values")),
                Auth::Bearer(NA),
                &[("secret_key", "ONLY_KEY")],
            )
            .await;
        assert_eq!(missing.status, 422, "{}", missing.text);

        let secret = env
            .send_form(
                "POST",
                &na("/v3/secrets"),
                Auth::Bearer(NA),
                &[("name", "form-secret"), ("value", "v1")],
            )
            .await;
        assert_eq!(secret.status, 201, "{}", secret.text);
        let sid = secret.json["id"].as_u64().unwrap();
        let put = env
            .send_form(
                "PUT",
                &na(&format!("/v3/secrets/{sid}")),
                Auth::Bearer(NA),
                &[("value", "v2")],
            )
            .await;
        assert_eq!(put.status, 200, "{}", put.text);
        assert_eq!(
            env.na("GET", &format!("/v3/secrets/{sid}"), None)
                .await
                .json["value"],
            "v2"
        );
    }
}

#[tokio::test]
async fn netactuate_servers_live_come_in_the_v3_envelope_with_the_sdk_fields() {
    let env = start_in(Shapes::Live).await;
    let r = env.na("GET", "/api/v3/servers", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["code"], 200);
    assert!(r.json["message"].is_string());
    assert!(r.json.get("result").is_none(), "v3, not v2: {}", r.text);
    assert_eq!(
        r.json["data"]["meta"],
        json!({"limit": 25, "offset": 0, "total": 4})
    );
    let servers = r.json["data"]["data"].as_array().unwrap();
    assert_eq!(servers.len(), 4);
    for s in servers {
        assert!(s["os_id"].is_u64() && s["contract_id"].is_u64(), "{s}");
        assert!(s["package_billing"].is_string(), "{s}");
        assert!(
            s["cloud_pool_id"].is_u64() || s["cloud_pool_id"].is_null(),
            "{s}"
        );
        assert!(s["vpc_id"].is_u64() || s["vpc_id"].is_null(), "{s}");
        assert!(
            ["UP", "DOWN"].contains(&s["state"].as_str().unwrap()),
            "{s}"
        );
        assert!(s["mbpkgid"].is_u64() && s["fqdn"].is_string(), "{s}");
    }
    assert!(servers
        .iter()
        .any(|s| s["status"] == "RUNNING" && s["state"] == "UP"));
    let page = env
        .na("GET", "/api/v3/servers?limit=2&offset=3", None)
        .await
        .json;
    assert_eq!(
        page["data"]["meta"],
        json!({"limit": 2, "offset": 3, "total": 4})
    );
    assert_eq!(page["data"]["data"].as_array().unwrap().len(), 1);
    // Under the documents' shapes, the server object stays as NOTES.md has it.
    let doc = start().await;
    let plain = doc.na("GET", "/api/v3/servers", None).await.json;
    assert!(plain["data"][0].get("os_id").is_none());
    assert!(plain.get("code").is_none());
}

#[tokio::test]
async fn netactuate_secret_lists_live_come_in_the_v2_envelope() {
    let env = start_in(Shapes::Live).await;
    let lists = env.na("GET", "/api/secrets/lists", None).await;
    assert_eq!(lists.status, 200);
    assert_eq!(lists.json["result"], "success");
    assert_eq!(lists.json["code"], 200);
    // The lists as a Laravel paginator, page 1 of as many as there are 25-list pages.
    let paginator = &lists.json["data"]["paginator"];
    assert_eq!(paginator["current_page"], 1);
    assert_eq!(paginator["per_page"], 25);
    assert_eq!(paginator["last_page"], 1);
    assert!(paginator["next_page_url"].is_null());
    let first = &paginator["data"].as_array().expect("the lists")[0];
    let (name, id) = (
        first["name"].as_str().unwrap(),
        first["id"].as_u64().unwrap(),
    );
    // By name (the document) and by numeric id (the SDKs) alike.
    let by_name = env
        .na("GET", &format!("/api/secrets/lists/{name}/values"), None)
        .await
        .json;
    let by_id = env
        .na("GET", &format!("/api/secrets/lists/{id}/values"), None)
        .await
        .json;
    assert_eq!(by_name, by_id);
    assert_eq!(by_id["result"], "success");
    let values = by_id["data"]["data"].as_array().expect("paged inside data");
    assert_eq!(by_id["data"]["meta"]["total"], values.len());
    let value = &values[0];
    let all = env.na("GET", "/api/secrets/all-values", None).await.json;
    assert!(all["data"]["meta"]["total"].as_u64().unwrap() >= values.len() as u64);
    let one = env
        .na(
            "GET",
            &format!("/api/secrets/lists/{id}/values/{}", value["id"]),
            None,
        )
        .await
        .json;
    assert_eq!(one["data"], *value);

    // A clash is a validation error naming its field in `fields`.
    let taken = env
        .na(
            "POST",
            &format!("/api/secrets/lists/{id}/values"),
            Some(&json!({"secret_key": value["secret_key"], "secret_value": "x"})),
        )
        .await;
    assert_eq!(taken.status, 422, "{}", taken.text);
    assert_eq!(taken.json["result"], "error");
    assert_eq!(taken.json["code"], 422);
    assert!(
        taken.json["fields"]["secret_key"][0].is_string(),
        "{}",
        taken.text
    );
    let missing = env.na("GET", "/api/secrets/lists/nowhere", None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json["result"], "error");
    assert!(missing.json["data"].is_null() && missing.json["message"].is_string());
    let deleted = env
        .na(
            "DELETE",
            &format!("/api/secrets/lists/{id}/values/{}", value["id"]),
            None,
        )
        .await;
    assert_eq!(
        (deleted.status, &deleted.json["result"]),
        (200, &json!("success"))
    );
    // The flat secrets keep the document's shapes.
    let flat = env.na("GET", "/v3/secrets", None).await.json;
    assert!(flat["secrets"].is_array(), "{flat}");
}

#[tokio::test]
async fn octos_actions_live_answer_without_data() {
    let env = start_in(Shapes::Live).await;
    let r = env
        .send(
            "DELETE",
            "/octos/backend/api/profile/api/disable",
            Auth::Bearer(OC),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.json,
        json!({"status": "Success", "message": "API disabled successfully"})
    );
    let doc = start().await;
    let r = doc
        .send(
            "DELETE",
            "/octos/backend/api/profile/api/disable",
            Auth::Bearer(OC),
            None,
        )
        .await;
    assert_eq!(r.json["data"], Value::Null);
    assert!(r.json.as_object().unwrap().contains_key("data"));
}

/// Live, NetActuate's long lists come in pages as its public SDKs read them: the lists of
/// secret lists as a Laravel paginator (`?page`), the values as v3's `{data, meta}` (`?offset`,
/// `?limit`), 25 a page unless asked; every item is on exactly one page.
#[tokio::test]
async fn netactuate_long_lists_live_come_in_pages() {
    let env = start_in(Shapes::Live).await;
    let before = env.na("GET", "/api/secrets/lists", None).await.json["data"]["paginator"]["total"]
        .as_u64()
        .unwrap();
    let mut made = Vec::new();
    for _ in 0..30 {
        let r = env.na("POST", "/api/secrets/lists", None).await;
        assert_eq!(r.status, 201, "{}", r.text);
        made.push(r.json["data"]["id"].clone());
    }
    let total = before + 30;
    let mut listed = Vec::new();
    for page in 1..=2 {
        let r = env
            .na("GET", &format!("/api/secrets/lists?page={page}"), None)
            .await;
        let p = &r.json["data"]["paginator"];
        assert_eq!(p["current_page"], page, "{}", r.text);
        assert_eq!(p["total"], total);
        assert_eq!(p["last_page"], 2);
        assert_eq!(p["next_page_url"].is_null(), page == 2);
        listed.extend(
            p["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l["id"].clone()),
        );
    }
    assert_eq!(listed.len() as u64, total, "each list on one page");
    assert!(made.iter().all(|id| listed.contains(id)));

    // 30 values in one list: 25, then 5 from offset 25.
    let list = made[0].as_u64().unwrap();
    for i in 0..30 {
        let r = env
            .na(
                "POST",
                &format!("/api/secrets/lists/{list}/values"),
                Some(&json!({"secret_key": format!("PAGED_{i}"), "secret_value": "v"})),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let first = env
        .na("GET", &format!("/api/secrets/lists/{list}/values"), None)
        .await
        .json;
    assert_eq!(
        first["data"]["meta"],
        json!({"limit": 25, "offset": 0, "total": 30})
    );
    let second = env
        .na(
            "GET",
            &format!("/api/secrets/lists/{list}/values?offset=25&limit=25"),
            None,
        )
        .await
        .json;
    assert_eq!(
        second["data"]["meta"],
        json!({"limit": 25, "offset": 25, "total": 30})
    );
    let keys: BTreeSet<String> = [&first, &second]
        .iter()
        .flat_map(|p| p["data"]["data"].as_array().unwrap().clone())
        .map(|v| v["secret_key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 30);

    // Under the documents' shapes, every list is whole.
    let doc = start().await;
    let plain = doc.na("GET", "/api/secrets/lists", None).await.json;
    assert!(plain["data"].is_array(), "{plain}");
}
