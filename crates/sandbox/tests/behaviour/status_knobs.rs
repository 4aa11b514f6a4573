use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

async fn knob(env: &Env, path: &str, status: &str) -> Reply {
    env.send(
        "PUT",
        &format!("/_sandbox/voltagepark/{path}/status"),
        Auth::None,
        Some(&json!({ "status": status })),
    )
    .await
}

async fn vm_named(env: &Env, name: &str) -> Value {
    let list = env
        .vp("GET", "/api/v1/virtual-machines/?limit=100", None)
        .await;
    list.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no VM {name}"))
}

async fn free_gpus(env: &Env, hostnode_id: &Value) -> u64 {
    let r = env
        .vp(
            "GET",
            &format!("/api/v1/hostnodes/{}", hostnode_id.as_str().unwrap()),
            None,
        )
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

async fn hourly_rate(env: &Env) -> String {
    env.vp("GET", "/api/v1/billing/hourly-rate", None)
        .await
        .json["rate_hourly"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn power(env: &Env, path: &str, status: &str) -> u16 {
    env.vp(
        "PUT",
        &format!("{path}/power-status"),
        Some(&json!({ "status": status })),
    )
    .await
    .status
}

#[tokio::test]
async fn an_outbid_vm_loses_its_compute_and_cannot_be_powered() {
    let env = start().await;
    let vm = vm_named(&env, "train-llama-8b").await;
    let id = vm["id"].as_str().unwrap();
    let path = format!("/api/v1/virtual-machines/{id}");
    let gpus_before = free_gpus(&env, &vm["hostnode_id"]).await;
    let rate_before = hourly_rate(&env).await;

    let r = knob(&env, &format!("virtual-machines/{id}"), "Outbid").await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(env.vp("GET", &path, None).await.json["status"], "Outbid");
    assert_eq!(vm_named(&env, "train-llama-8b").await["status"], "Outbid");
    assert_eq!(free_gpus(&env, &vm["hostnode_id"]).await, gpus_before + 1);
    assert_ne!(
        hourly_rate(&env).await,
        rate_before,
        "billed for its disk only"
    );
    for wanted in ["started", "stopped", "stopped_disassociated"] {
        let r = env
            .vp(
                "PUT",
                &format!("{path}/power-status"),
                Some(&json!({ "status": wanted })),
            )
            .await;
        assert_detail(&r, 400);
        assert!(r.text.contains("Outbid"), "{}", r.text);
    }

    assert_eq!(
        knob(&env, &format!("virtual-machines/{id}"), "Running")
            .await
            .status,
        204
    );
    assert_eq!(env.vp("GET", &path, None).await.json["status"], "Running");
    assert_eq!(free_gpus(&env, &vm["hostnode_id"]).await, gpus_before);
    assert_eq!(hourly_rate(&env).await, rate_before);
    assert_eq!(power(&env, &path, "stopped").await, 200);
}

#[tokio::test]
async fn a_relocating_vm_keeps_its_resources_and_rate() {
    let env = start().await;
    let vm = vm_named(&env, "notebook-a100").await;
    let id = vm["id"].as_str().unwrap();
    let path = format!("/api/v1/virtual-machines/{id}");
    let gpus_before = free_gpus(&env, &vm["hostnode_id"]).await;
    let rate_before = hourly_rate(&env).await;
    let r = knob(&env, &format!("virtual-machines/{id}"), "Relocating").await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(
        env.vp("GET", &path, None).await.json["status"],
        "Relocating"
    );
    assert_eq!(free_gpus(&env, &vm["hostnode_id"]).await, gpus_before);
    assert_eq!(hourly_rate(&env).await, rate_before);
    assert_eq!(power(&env, &path, "stopped").await, 400);
    // Terminating still works, and gives everything back.
    assert_eq!(env.vp("DELETE", &path, None).await.status, 202);
    assert_eq!(free_gpus(&env, &vm["hostnode_id"]).await, gpus_before + 1);
}

#[tokio::test]
async fn vm_knobs_move_between_the_power_states_like_the_api() {
    let env = start().await;
    let vm = vm_named(&env, "eval-harness").await;
    let id = vm["id"].as_str().unwrap();
    let knob_path = format!("virtual-machines/{id}");
    let gpus_before = free_gpus(&env, &vm["hostnode_id"]).await;
    for (status, freed) in [
        ("StoppedDisassociated", 2),
        ("Stopped", 0),
        ("Running", 0),
        ("Running", 0),
    ] {
        assert_eq!(knob(&env, &knob_path, status).await.status, 204, "{status}");
        assert_eq!(vm_named(&env, "eval-harness").await["status"], status);
        assert_eq!(
            free_gpus(&env, &vm["hostnode_id"]).await,
            gpus_before + freed
        );
    }
}

#[tokio::test]
async fn a_vm_knob_refuses_unknown_statuses_ids_and_a_full_hostnode() {
    let env = start().await;
    let archived = vm_named(&env, "archive-a100").await;
    let id = archived["id"].as_str().unwrap();
    for bad in ["Exploded", "outbid", "Terminated", ""] {
        let r = knob(&env, &format!("virtual-machines/{id}"), bad).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert!(r.json["message"].as_str().unwrap().contains("Outbid"));
    }
    let r = env
        .send_raw(
            "PUT",
            &format!("/_sandbox/voltagepark/virtual-machines/{id}/status"),
            Auth::None,
            "{\"state\": 1}",
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert_eq!(
        knob(&env, &format!("virtual-machines/{UNKNOWN_ID}"), "Outbid")
            .await
            .status,
        404
    );
    assert_eq!(
        knob(&env, "virtual-machines/not-a-uuid", "Outbid")
            .await
            .status,
        404
    );

    // Fill the disassociated VM's hostnode; giving it its compute back is then a 409.
    let node = env
        .vp(
            "GET",
            &format!(
                "/api/v1/hostnodes/{}",
                archived["hostnode_id"].as_str().unwrap()
            ),
            None,
        )
        .await
        .json;
    let presets = env.vp("GET", "/api/v1/instant-deploy-presets/", None).await;
    let filler = presets
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["location_ids_with_availability"]
                .as_array()
                .unwrap()
                .contains(&node["location_id"])
                && p["resources"]["gpus"]["a100-sxm4-80gb"]["count"] == 8
        })
        .cloned()
        .unwrap();
    let r = env
        .vp(
            "POST",
            "/api/v1/virtual-machines/instant",
            Some(&json!({"config_id": filler["id"], "name": "filler"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = knob(&env, &format!("virtual-machines/{id}"), "Running").await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(
        vm_named(&env, "archive-a100").await["status"],
        "StoppedDisassociated"
    );
    assert_eq!(
        knob(&env, &format!("virtual-machines/{id}"), "Outbid")
            .await
            .status,
        204,
        "a status without compute needs no room"
    );
}

async fn rental(env: &Env) -> Value {
    env.vp("GET", "/api/v1/bare-metal/", None).await.json["results"][0].clone()
}

#[tokio::test]
async fn a_failed_rental_shows_every_field_and_refuses_power_and_reboot() {
    let env = start().await;
    let r = rental(&env).await;
    let id = r["id"].as_str().unwrap();
    let rate_before = hourly_rate(&env).await;
    assert_eq!(
        knob(&env, &format!("bare-metal/{id}"), "Failed")
            .await
            .status,
        204
    );
    let failed = rental(&env).await;
    assert_eq!(failed["status"], "Failed");
    let example = example("voltagepark", "GET /api/v1/bare-metal/")
        .response
        .unwrap();
    assert_shape(&example["results"][0], &failed);
    assert_eq!(
        hourly_rate(&env).await,
        rate_before,
        "billed until terminated"
    );
    let path = format!("/api/v1/bare-metal/{id}");
    let r = env
        .vp(
            "PUT",
            &format!("{path}/power-status"),
            Some(&json!({"status": "stopped"})),
        )
        .await;
    assert_detail(&r, 400);
    let ip = failed["node_networking"][0]["public_ip"].clone();
    let r = env
        .vp(
            "POST",
            &format!("{path}/reboot"),
            Some(&json!({"public_ips": [ip]})),
        )
        .await;
    assert_detail(&r, 400);
    assert_eq!(env.vp("DELETE", &path, None).await.status, 202);
}

#[tokio::test]
async fn a_pending_rental_set_by_hand_stays_pending_until_set_running() {
    let env = start().await;
    let id = rental(&env).await["id"].as_str().unwrap().to_string();
    let knob_path = format!("bare-metal/{id}");
    assert_eq!(knob(&env, &knob_path, "Pending").await.status, 204);
    env.sandbox().advance(Duration::from_secs(86_400));
    let pending = rental(&env).await;
    assert_eq!(pending["status"], "Pending");
    assert_eq!(pending.as_object().unwrap().len(), 5, "{pending}");
    assert_eq!(knob(&env, &knob_path, "Running").await.status, 204);
    let running = rental(&env).await;
    assert_eq!(running["status"], "Running");
    assert_eq!(running["power_status"], "Running");
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

    for bad in ["Terminated", "running", "Booting"] {
        let r = knob(&env, &knob_path, bad).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
    }
    assert_eq!(
        knob(&env, &format!("bare-metal/{UNKNOWN_ID}"), "Failed")
            .await
            .status,
        404
    );
}
