use std::collections::{BTreeMap, BTreeSet};

use cloudpane_sandbox::SandboxConfig;
use serde_json::{json, Value};

use crate::common::*;

fn with_extra(extra_vms: u32) -> SandboxConfig {
    SandboxConfig {
        extra_vms,
        ..SandboxConfig::default()
    }
}

/// Every VM, paged through the documented list endpoint 100 at a time.
async fn all_vms(env: &Env) -> Vec<Value> {
    let mut out = Vec::new();
    loop {
        let r = env
            .vp(
                "GET",
                &format!("/api/v1/virtual-machines/?limit=100&offset={}", out.len()),
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let page = r.json["results"].as_array().unwrap().clone();
        out.extend(page);
        if r.json["has_next"] != true {
            assert_eq!(r.json["total_result_count"], out.len());
            return out;
        }
    }
}

async fn extra_vms(env: &Env, count: Value) -> Reply {
    env.send(
        "POST",
        "/_sandbox/voltagepark/extra-vms",
        Auth::None,
        Some(&json!({ "count": count })),
    )
    .await
}

#[tokio::test]
async fn five_thousand_extra_vms_are_listed_with_varied_plausible_details() {
    let env = start_with(with_extra(5000)).await;
    let vms = all_vms(&env).await;
    assert_eq!(vms.len(), 5004, "the four seeded VMs and 5,000 more");
    let extra = &vms[4..];

    let numbers: BTreeSet<u32> = extra
        .iter()
        .map(|v| {
            let name = v["name"].as_str().unwrap();
            let (prefix, n) = name.rsplit_once('-').unwrap();
            assert!(prefix.chars().all(|c| c.is_ascii_lowercase()), "{name}");
            assert!(n.len() >= 4, "{name}");
            n.parse().unwrap()
        })
        .collect();
    assert_eq!(numbers, (1..=5000).collect(), "numbered 0001 to 5000");
    let prefixes: BTreeSet<&str> = extra
        .iter()
        .map(|v| v["name"].as_str().unwrap().rsplit_once('-').unwrap().0)
        .collect();
    assert!(prefixes.len() >= 5, "{prefixes:?}");

    let mut statuses: BTreeMap<&str, usize> = BTreeMap::new();
    for v in extra {
        *statuses.entry(v["status"].as_str().unwrap()).or_default() += 1;
    }
    assert!(statuses["Running"] > 3500, "mostly running: {statuses:?}");
    assert!(statuses["Stopped"] > 100, "{statuses:?}");
    assert!(statuses["StoppedDisassociated"] > 100, "{statuses:?}");
    assert_eq!(statuses.len(), 3, "{statuses:?}");

    let models: BTreeSet<String> = extra
        .iter()
        .flat_map(|v| v["resources"]["gpus"].as_object().unwrap().keys().cloned())
        .collect();
    assert_eq!(models.len(), 3, "{models:?}");
    let hostnodes: BTreeSet<&str> = extra
        .iter()
        .map(|v| v["hostnode_id"].as_str().unwrap())
        .collect();
    let locations = env.vp("GET", "/api/v1/locations/?limit=15", None).await;
    let seeded_hostnodes: usize = locations.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["hostnodes"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        hostnodes.len(),
        seeded_hostnodes,
        "spread over every hostnode"
    );
    let tagged = extra
        .iter()
        .filter(|v| !v["tags"].as_array().unwrap().is_empty())
        .count();
    assert!(tagged > 1000 && tagged < 5000, "{tagged} tagged");
    let example = example("voltagepark", "GET /api/v1/virtual-machines/")
        .response
        .unwrap();
    for v in extra.iter().step_by(97) {
        assert_shape(&example["results"][0], v);
    }
}

#[tokio::test]
async fn extra_vms_take_no_capacity_and_leave_the_seeded_world_alone() {
    let plain = start().await;
    let big = start_with(with_extra(2000)).await;
    for path in [
        "/api/v1/locations/?limit=15",
        "/api/v1/instant-deploy-presets/",
        "/api/v1/bare-metal/",
    ] {
        assert_eq!(
            plain.vp("GET", path, None).await.json,
            big.vp("GET", path, None).await.json,
            "{path}"
        );
    }
    // Deploying still works: the prepaid check is met by the deposit that came with them.
    let preset = big
        .vp(
            "GET",
            "/api/v1/instant-deploy-presets/?available=true",
            None,
        )
        .await
        .json[0]["id"]
        .clone();
    let r = big
        .vp(
            "POST",
            "/api/v1/virtual-machines/instant",
            Some(&json!({"config_id": preset, "name": "after-the-crowd"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let deposits = big
        .vp("GET", "/api/v1/billing/transactions?limit=5", None)
        .await
        .json;
    assert!(
        deposits["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["details"]["type"] == "stripe_deposit"
                && t["timestamp_creation"] == "2026-11-25T12:00:00.000Z"),
        "{deposits}"
    );
}

#[tokio::test]
async fn an_extra_vm_is_gettable_powerable_and_terminable() {
    let env = start_with(with_extra(50)).await;
    let vms = all_vms(&env).await;
    let vm = vms[4..]
        .iter()
        .find(|v| v["status"] == "Running")
        .unwrap()
        .clone();
    let path = format!("/api/v1/virtual-machines/{}", vm["id"].as_str().unwrap());
    let node_path = format!("/api/v1/hostnodes/{}", vm["hostnode_id"].as_str().unwrap());
    let node_before = env.vp("GET", &node_path, None).await.json;
    assert_eq!(env.vp("GET", &path, None).await.json, vm);
    for wanted in ["stopped", "stopped_disassociated", "started"] {
        let r = env
            .vp(
                "PUT",
                &format!("{path}/power-status"),
                Some(&json!({ "status": wanted })),
            )
            .await;
        assert_eq!(r.status, 200, "{wanted}: {}", r.text);
        assert_eq!(
            env.vp("GET", &node_path, None).await.json,
            node_before,
            "the hostnode does not see it"
        );
    }
    let r = env
        .vp("PATCH", &path, Some(&json!({"name": "renamed"})))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(env.vp("DELETE", &path, None).await.status, 202);
    assert_detail(&env.vp("GET", &path, None).await, 404);
    assert_eq!(env.vp("GET", &node_path, None).await.json, node_before);
    assert_eq!(all_vms(&env).await.len(), 53);
}

#[tokio::test]
async fn extra_vms_are_the_same_for_a_seed_however_they_are_added() {
    let at_start = start_with(with_extra(300)).await;
    let by_admin = start().await;
    for batch in [100, 200] {
        let r = extra_vms(&by_admin, json!(batch)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let (a, b) = (all_vms(&at_start).await, all_vms(&by_admin).await);
    assert_eq!(a, b);
    let other_seed = start_with(SandboxConfig {
        seed: 2,
        extra_vms: 300,
        ..SandboxConfig::default()
    })
    .await;
    assert_ne!(all_vms(&other_seed).await[4..], a[4..]);
}

#[tokio::test]
async fn the_admin_call_adds_counts_and_refuses_silly_bounds() {
    let env = start_with(with_extra(10)).await;
    let r = extra_vms(&env, json!(3)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json, json!({"added": 3, "total_vms": 17}));
    let r = extra_vms(&env, json!(0)).await;
    assert_eq!(r.json, json!({"added": 0, "total_vms": 17}));
    for bad in [
        json!(20_001),
        json!(-1),
        json!("many"),
        json!(2.5),
        Value::Null,
    ] {
        let r = extra_vms(&env, bad.clone()).await;
        assert_eq!(r.status, 400, "{bad}: {}", r.text);
        assert!(r.json["message"].is_string(), "{}", r.text);
    }
    let names: Vec<String> = all_vms(&env).await[4..]
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names[12].ends_with("-0013"), "numbering goes on: {names:?}");

    // A reset seeds the configured extra VMs again, and only those.
    let r = env.send("POST", "/_sandbox/reset", Auth::None, None).await;
    assert_eq!(r.status, 204);
    assert_eq!(all_vms(&env).await.len(), 14);
}
