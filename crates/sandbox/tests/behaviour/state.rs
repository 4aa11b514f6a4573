use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

async fn free_gpus_of(env: &Env, hostnode_id: &str) -> u64 {
    let r = env
        .vp("GET", &format!("/api/v1/hostnodes/{hostnode_id}"), None)
        .await;
    r.json["available_resources"]["gpus"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap()["count"]
        .as_u64()
        .unwrap()
}

async fn preset_with_gpus(env: &Env, gpus: u64) -> Value {
    let r = env.vp("GET", "/api/v1/instant-deploy-presets/", None).await;
    r.json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["resources"]["gpus"]
                .as_object()
                .unwrap()
                .values()
                .next()
                .unwrap()["count"]
                == gpus
        })
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn deploy_consumes_capacity_and_terminate_frees_it() {
    let env = start().await;
    let preset = preset_with_gpus(&env, 8).await;
    let body = json!({"config_id": preset["id"], "name": "big"});
    let r = env
        .vp("POST", "/api/v1/virtual-machines/instant", Some(&body))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let vm_id = r.json["vm_id"].as_str().unwrap().to_string();
    let vm = env
        .vp("GET", &format!("/api/v1/virtual-machines/{vm_id}"), None)
        .await
        .json;
    let node = vm["hostnode_id"].as_str().unwrap().to_string();
    assert_eq!(free_gpus_of(&env, &node).await, 0);
    assert_eq!(vm["status"], "Running");
    assert_eq!(vm["port_forwards"][0]["internal_port"], 22);

    // Keep deploying 8-GPU VMs of this model until the capacity runs out: then 400.
    let mut last = 201;
    for _ in 0..20 {
        last = env
            .vp("POST", "/api/v1/virtual-machines/instant", Some(&body))
            .await
            .status;
        if last != 201 {
            break;
        }
    }
    assert_eq!(last, 400, "deploying beyond capacity is refused");
    let p = env
        .vp(
            "GET",
            &format!(
                "/api/v1/instant-deploy-presets/{}",
                preset["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(p.json["location_ids_with_availability"], json!([]));

    assert_eq!(
        env.vp("DELETE", &format!("/api/v1/virtual-machines/{vm_id}"), None)
            .await
            .status,
        202
    );
    assert_eq!(free_gpus_of(&env, &node).await, 8);
    let p = env
        .vp(
            "GET",
            &format!(
                "/api/v1/instant-deploy-presets/{}",
                preset["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(
        p.json["location_ids_with_availability"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let list = env
        .vp("GET", "/api/v1/virtual-machines/?limit=100", None)
        .await;
    assert!(
        !list.text.contains(&vm_id),
        "terminated VMs leave the unterminated list"
    );
}

#[tokio::test]
async fn power_changes_status_and_disassociation_frees_compute() {
    let env = start().await;
    let preset = preset_with_gpus(&env, 1).await;
    let r = env
        .vp(
            "POST",
            "/api/v1/virtual-machines/instant",
            Some(&json!({"config_id": preset["id"], "name": "p"})),
        )
        .await;
    let id = r.json["vm_id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/virtual-machines/{id}");
    let node = env.vp("GET", &path, None).await.json["hostnode_id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = free_gpus_of(&env, &node).await;

    let power = |s: &'static str| json!({ "status": s });
    assert_eq!(
        env.vp(
            "PUT",
            &format!("{path}/power-status"),
            Some(&power("stopped"))
        )
        .await
        .status,
        200
    );
    assert_eq!(env.vp("GET", &path, None).await.json["status"], "Stopped");
    assert_eq!(
        free_gpus_of(&env, &node).await,
        before,
        "a stopped VM keeps its GPUs"
    );
    assert_eq!(
        env.vp(
            "PUT",
            &format!("{path}/power-status"),
            Some(&power("stopped_disassociated"))
        )
        .await
        .status,
        200
    );
    let vm = env.vp("GET", &path, None).await.json;
    assert_eq!(vm["status"], "StoppedDisassociated");
    assert_eq!(free_gpus_of(&env, &node).await, before + 1);
    assert_eq!(
        env.vp(
            "PUT",
            &format!("{path}/power-status"),
            Some(&power("stopped"))
        )
        .await
        .status,
        400
    );
    assert_eq!(
        env.vp(
            "PUT",
            &format!("{path}/power-status"),
            Some(&power("started"))
        )
        .await
        .status,
        200
    );
    assert_eq!(env.vp("GET", &path, None).await.json["status"], "Running");
    assert_eq!(free_gpus_of(&env, &node).await, before);
}

#[tokio::test]
async fn bare_metal_is_pending_then_running_with_networking() {
    let env = start().await;
    let loc = env
        .vp("GET", "/api/v1/bare-metal/locations", None)
        .await
        .json["results"][0]
        .clone();
    let loc_id = loc["id"].as_str().unwrap().to_string();
    let free_before = loc["gpu_count_ethernet"].as_u64().unwrap();
    let volume = env
        .vp(
            "POST",
            "/api/v1/storage/",
            Some(&json!({"size_in_gb": 10, "name": "ckpt"})),
        )
        .await
        .json["id"]
        .clone();
    let body = json!({"location_id": loc_id, "gpu_count": 16, "name": "two-nodes", "network_type": "ethernet", "storage_id": volume});
    let r = env.vp("POST", "/api/v1/bare-metal/", Some(&body)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.json["warning"], Value::Null);
    let id = r.json["rental_id"].as_str().unwrap().to_string();

    let find = |list: &Value| {
        list["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id.as_str())
            .cloned()
            .unwrap()
    };
    let pending = find(&env.vp("GET", "/api/v1/bare-metal/", None).await.json);
    assert_eq!(pending["status"], "Pending");
    let mut keys: Vec<&str> = pending
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["creation_timestamp", "id", "name", "rate_hourly", "status"]
    );
    assert_eq!(pending["rate_hourly"], "31.840000", "16 GPUs at 1.99");
    let loc_now = env
        .vp("GET", "/api/v1/bare-metal/locations", None)
        .await
        .json["results"][0]
        .clone();
    assert_eq!(
        loc_now["gpu_count_ethernet"].as_u64().unwrap(),
        free_before - 16
    );
    assert_eq!(
        env.vp(
            "PUT",
            &format!("/api/v1/bare-metal/{id}/power-status"),
            Some(&json!({"status": "stopped"}))
        )
        .await
        .status,
        400
    );

    env.sandbox().advance(Duration::from_secs(119));
    assert_eq!(
        find(&env.vp("GET", "/api/v1/bare-metal/", None).await.json)["status"],
        "Pending"
    );
    env.sandbox().advance(Duration::from_secs(1));
    let running = find(&env.vp("GET", "/api/v1/bare-metal/", None).await.json);
    assert_eq!(running["status"], "Running");
    assert_eq!(running["power_status"], "Running");
    assert_eq!(running["node_count"], 2);
    assert_eq!(running["node_networking"].as_array().unwrap().len(), 2);
    assert_eq!(running["storage_id"], volume);

    let vol = env
        .vp(
            "GET",
            &format!("/api/v1/storage/{}", volume.as_str().unwrap()),
            None,
        )
        .await
        .json;
    assert!(
        vol["order_ids"].as_array().unwrap().contains(&json!(id)),
        "storage is attached: {vol}"
    );
    assert_eq!(
        env.vp(
            "DELETE",
            &format!("/api/v1/storage/{}", volume.as_str().unwrap()),
            None
        )
        .await
        .status,
        400
    );

    assert_eq!(
        env.vp(
            "PUT",
            &format!("/api/v1/bare-metal/{id}/power-status"),
            Some(&json!({"status": "stopped"}))
        )
        .await
        .status,
        200
    );
    assert_eq!(
        find(&env.vp("GET", "/api/v1/bare-metal/", None).await.json)["power_status"],
        "Stopped"
    );

    assert_eq!(
        env.vp("DELETE", &format!("/api/v1/bare-metal/{id}"), None)
            .await
            .status,
        202
    );
    let loc_after = env
        .vp("GET", "/api/v1/bare-metal/locations", None)
        .await
        .json["results"][0]
        .clone();
    assert_eq!(
        loc_after["gpu_count_ethernet"].as_u64().unwrap(),
        free_before
    );
    let vol = env
        .vp(
            "GET",
            &format!("/api/v1/storage/{}", volume.as_str().unwrap()),
            None,
        )
        .await
        .json;
    assert_eq!(vol["order_ids"], json!([]));
    assert_eq!(
        env.vp(
            "DELETE",
            &format!("/api/v1/storage/{}", volume.as_str().unwrap()),
            None
        )
        .await
        .status,
        204
    );
}

#[tokio::test]
async fn same_seed_same_world_other_seed_other_ids() {
    let a = start().await;
    let b = start().await;
    let c = start_with(cloudpane_sandbox::SandboxConfig {
        seed: 2,
        ..Default::default()
    })
    .await;
    let path = "/api/v1/locations/?limit=15";
    let (la, lb, lc) = (
        a.vp("GET", path, None).await.json,
        b.vp("GET", path, None).await.json,
        c.vp("GET", path, None).await.json,
    );
    assert_eq!(la, lb);
    assert_ne!(la["results"][0]["id"], lc["results"][0]["id"]);
    let t = "/api/v1/billing/transactions?limit=100";
    assert_eq!(
        a.vp("GET", t, None).await.json,
        b.vp("GET", t, None).await.json
    );
}

#[tokio::test]
async fn seeded_demo_data_looks_real() {
    let env = start().await;
    let r = env.vp("GET", "/api/v1/locations/?limit=15", None).await;
    let text = r.text;
    for needle in [
        "Seattle",
        "Amsterdam",
        "h100-sxm5-80gb",
        "h200-sxm5-141gb",
        "a100-sxm4-80gb",
        "\"2.250000\"",
    ] {
        assert!(text.contains(needle), "{needle} in the seeded locations");
    }
    let t = env
        .vp("GET", "/api/v1/billing/transactions?limit=1000", None)
        .await
        .json;
    assert!(
        t["total_result_count"].as_u64().unwrap() > 100,
        "months of transactions"
    );
}

#[tokio::test]
async fn an_empty_reset_leaves_the_accounts_with_nothing_but_the_catalogues() {
    let env = start().await;
    let r = env
        .send(
            "POST",
            "/_sandbox/reset",
            Auth::None,
            Some(&json!({"empty": true})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    for path in [
        "/api/v1/virtual-machines/",
        "/api/v1/bare-metal/",
        "/api/v1/organization/ssh-keys",
        "/api/v1/storage/",
    ] {
        let list = env.vp("GET", path, None).await;
        assert_eq!(list.status, 200, "{path}: {}", list.text);
        let items = list.json.get("results").unwrap_or(&list.json);
        assert_eq!(
            items.as_array().map(Vec::len),
            Some(0),
            "{path}: {}",
            list.text
        );
    }
    let locations = env.vp("GET", "/api/v1/locations/", None).await;
    assert!(
        !locations.json["results"].as_array().unwrap().is_empty(),
        "the catalogue stays: {}",
        locations.text
    );
    let secrets = env.na("GET", "/v3/secrets", None).await;
    assert_eq!(secrets.status, 200, "{}", secrets.text);
    assert!(!secrets.text.contains("db-password"), "{}", secrets.text);

    // An unknown key is refused; a plain reset brings the seeded account back.
    let odd = env
        .send(
            "POST",
            "/_sandbox/reset",
            Auth::None,
            Some(&json!({"emptyy": true})),
        )
        .await;
    assert_eq!(odd.status, 400, "{}", odd.text);
    env.send("POST", "/_sandbox/reset", Auth::None, None).await;
    let vms = env.vp("GET", "/api/v1/virtual-machines/", None).await;
    assert!(
        !vms.json["results"].as_array().unwrap().is_empty(),
        "{}",
        vms.text
    );
}
