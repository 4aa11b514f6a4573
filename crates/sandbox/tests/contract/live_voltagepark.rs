//! `--shapes live`, Voltage Park: every shape issue 27 records from the live API, checked against
//! the document's examples with exactly the recorded differences.

use std::collections::BTreeSet;
use std::time::Duration;

use cloudpane_sandbox::Shapes;
use serde_json::{json, Value};

use crate::common::*;

const P: &str = "voltagepark";

fn response(key: &str) -> Value {
    example(P, key).response.expect("response example")
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

fn renamed(mut v: Value, pointer: &str, from: &str, to: &str) -> Value {
    let obj = v
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .expect("object");
    let moved = obj.remove(from).expect("key to rename");
    obj.insert(to.to_string(), moved);
    v
}

async fn live() -> Env {
    start_in(Shapes::Live).await
}

async fn list(env: &Env, path: &str) -> Vec<Value> {
    let r = env.vp("GET", path, None).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    let items = if r.json.is_array() {
        &r.json
    } else {
        &r.json["results"]
    };
    items.as_array().expect("list").clone()
}

fn is_two_decimals(v: &Value) -> bool {
    v.as_str().is_some_and(|s| {
        let (units, cents) = s.split_once('.').unwrap_or((s, ""));
        !units.is_empty()
            && units.bytes().all(|b| b.is_ascii_digit())
            && cents.len() == 2
            && cents.bytes().all(|b| b.is_ascii_digit())
    })
}

#[tokio::test]
async fn bare_metal_locations_price_in_strings_with_reserved_clusters() {
    let env = live().await;
    let r = env
        .send(
            "GET",
            "/voltagepark/api/v1/bare-metal/locations",
            Auth::None,
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut expected = response("GET /api/v1/bare-metal/locations");
    let sample = &mut expected["results"][0];
    sample["gpu_price_ethernet"] = json!("2.50");
    sample["gpu_price_infiniband"] = json!("2.50");
    sample["reserved_gpu_count_infiniband_cluster_one"] = json!(16);
    sample["reserved_gpu_count_infiniband_cluster_two"] = json!(16);
    assert_shape_with_nulls(
        &expected,
        &r.json,
        &[
            "reserved_gpu_count_infiniband_cluster_one",
            "reserved_gpu_count_infiniband_cluster_two",
        ],
    );
    let results = r.json["results"].as_array().expect("results");
    for l in results {
        assert!(is_two_decimals(&l["gpu_price_ethernet"]), "{l}");
        assert!(is_two_decimals(&l["gpu_price_infiniband"]), "{l}");
    }
    let prices: Vec<&str> = results
        .iter()
        .filter_map(|l| l["gpu_price_ethernet"].as_str())
        .collect();
    assert!(prices.contains(&"1.99"), "Seattle's H100 price: {prices:?}");
    // The seeded 2-node InfiniBand cluster in Dallas is the only reservation.
    let reserved: Vec<&Value> = results
        .iter()
        .map(|l| &l["reserved_gpu_count_infiniband_cluster_one"])
        .filter(|v| !v.is_null())
        .collect();
    assert_eq!(reserved, vec![&json!(16)]);
    assert!(results
        .iter()
        .all(|l| l["reserved_gpu_count_infiniband_cluster_two"].is_null()));
}

#[tokio::test]
async fn presets_cost_per_instance_and_name_their_image() {
    let env = live().await;
    let presets = list(&env, "/api/v1/instant-deploy-presets/?available=true").await;
    let eight = presets
        .iter()
        .find(|p| {
            p["resources"]["gpus"]
                .as_object()
                .unwrap()
                .values()
                .next()
                .unwrap()["count"]
                == 8
        })
        .expect("an 8-GPU preset with room");
    assert_shape(&response("GET /api/v1/instant-deploy-presets/")[0], eight);
    assert_eq!(eight["operating_system"], "TensorML 24 Everything");
    // Per instance: what the deployed VM's compute costs per hour, all 8 GPUs together.
    let r = env
        .vp(
            "POST",
            "/api/v1/virtual-machines/instant",
            Some(&json!({"config_id": eight["id"], "name": "eight"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let vm = env
        .vp(
            "GET",
            &format!(
                "/api/v1/virtual-machines/{}",
                r.json["vm_id"].as_str().unwrap()
            ),
            None,
        )
        .await
        .json;
    let dec = |v: &Value| v.as_str().unwrap().parse::<f64>().unwrap();
    let compute = dec(&vm["pricing"]["gpus_per_hr"])
        + dec(&vm["pricing"]["vcpu_per_hr"])
        + dec(&vm["pricing"]["ram_per_hr"]);
    let rate = eight["compute_rate_hourly"].as_str().unwrap();
    assert_eq!(rate.split_once('.').unwrap().1.len(), 6, "{rate}");
    assert!((dec(&eight["compute_rate_hourly"]) - compute).abs() < 1e-6);
    assert!(dec(&vm["pricing"]["gpus_per_hr"]) > 8.0, "{vm}");
    assert_eq!(vm["operating_system"], "TensorML 24 Everything");
}

#[tokio::test]
async fn vms_carry_internal_ip_vcpu_per_hr_and_nulls() {
    let env = live().await;
    let vms = list(&env, "/api/v1/virtual-machines/").await;
    let mut expected = response("GET /api/v1/virtual-machines/");
    expected = renamed(
        expected,
        "/results/0/pricing",
        "vcpus_per_hr",
        "vcpu_per_hr",
    );
    expected["results"][0]["internal_ip"] = json!("10.64.0.2");
    let whole = env.vp("GET", "/api/v1/virtual-machines/", None).await.json;
    assert_shape_with_nulls(&expected, &whole, &["tags", "port_forwards", "public_ip"]);
    for vm in &vms {
        let up = vm["status"] == "Running";
        assert_eq!(vm["public_ip"].is_string(), up, "{vm}");
        assert_eq!(vm["port_forwards"].is_array(), up, "{vm}");
        assert!(vm["internal_ip"]
            .as_str()
            .is_some_and(|ip| ip.starts_with("10.")));
        assert!(vm["pricing"].get("vcpus_per_hr").is_none());
    }
    let by_name = |name: &str| vms.iter().find(|v| v["name"] == name).expect(name).clone();
    assert!(by_name("notebook-a100")["tags"].is_null());
    assert_eq!(
        by_name("train-llama-8b")["tags"],
        json!(["training", "llm"])
    );
    assert!(by_name("eval-harness")["public_ip"].is_null(), "stopped");
    assert!(
        by_name("archive-a100")["port_forwards"].is_null(),
        "disassociated"
    );
    // A single VM reads the same.
    let one = env
        .vp(
            "GET",
            &format!(
                "/api/v1/virtual-machines/{}",
                by_name("eval-harness")["id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(one.json, by_name("eval-harness"));
}

#[tokio::test]
async fn pending_rentals_are_short_and_later_ones_nullable() {
    let env = live().await;
    let location = list(&env, "/api/v1/bare-metal/locations").await[0]["id"].clone();
    let deploy = |sub_order: Option<i64>| {
        let mut body = json!({"location_id": location, "gpu_count": 8, "name": "short", "network_type": "ethernet"});
        if let Some(s) = sub_order {
            body["sub_order"] = json!(s);
        }
        body
    };
    let plain = env
        .vp("POST", "/api/v1/bare-metal/", Some(&deploy(None)))
        .await;
    assert_eq!(plain.status, 201, "{}", plain.text);
    let ordered = env
        .vp("POST", "/api/v1/bare-metal/", Some(&deploy(Some(777))))
        .await;
    assert_eq!(ordered.status, 201, "{}", ordered.text);
    let rentals = list(&env, "/api/v1/bare-metal/").await;
    let find = |id: &Value| {
        rentals
            .iter()
            .find(|r| &r["id"] == id)
            .expect("listed")
            .clone()
    };
    let plain = find(&plain.json["rental_id"]);
    let ordered = find(&ordered.json["rental_id"]);
    let four: BTreeSet<String> = ["id", "name", "creation_timestamp", "rate_hourly"]
        .map(String::from)
        .into();
    assert_eq!(keys(&plain), four, "{plain}");
    let mut five = four.clone();
    five.insert("suborder".into());
    assert_eq!(keys(&ordered), five, "{ordered}");
    assert_eq!(ordered["suborder"], "777");

    env.sandbox().advance(Duration::from_secs(600));
    let whole = env.vp("GET", "/api/v1/bare-metal/", None).await.json;
    assert_shape_with_nulls(
        &response("GET /api/v1/bare-metal/"),
        &whole,
        &["tags", "username"],
    );
    let rentals = whole["results"].as_array().unwrap();
    assert!(rentals.iter().all(|r| r["status"] == "Running"));
    let seeded = rentals
        .iter()
        .find(|r| r["name"] == "pretrain-cluster")
        .unwrap();
    assert!(seeded["tags"].is_null(), "never tagged: {seeded}");
    assert!(seeded["storage_id"].is_string());

    let failed = plain["id"].as_str().unwrap();
    let knob = env
        .send(
            "PUT",
            &format!("/_sandbox/voltagepark/bare-metal/{failed}/status"),
            Auth::None,
            Some(&json!({"status": "Failed"})),
        )
        .await;
    assert_eq!(knob.status, 204, "{}", knob.text);
    let rentals = list(&env, "/api/v1/bare-metal/").await;
    let failed = rentals.iter().find(|r| r["id"] == failed).unwrap();
    for field in [
        "username",
        "k8s_cluster_id",
        "kubeconfig",
        "storage_id",
        "sub_order",
        "tags",
    ] {
        assert!(failed[field].is_null(), "{field}: {failed}");
    }
}

#[tokio::test]
async fn deletes_power_and_reboot_answer_with_empty_bodies() {
    let env = live().await;
    let vms = list(&env, "/api/v1/virtual-machines/").await;
    let running = vms.iter().find(|v| v["status"] == "Running").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let power = env
        .vp(
            "PUT",
            &format!("/api/v1/virtual-machines/{running}/power-status"),
            Some(&json!({"status": "stopped"})),
        )
        .await;
    assert_eq!((power.status, power.text.as_str()), (202, ""));
    let gone = env
        .vp(
            "DELETE",
            &format!("/api/v1/virtual-machines/{running}"),
            None,
        )
        .await;
    assert_eq!((gone.status, gone.text.as_str()), (204, ""));

    let rental = list(&env, "/api/v1/bare-metal/").await[0].clone();
    let id = rental["id"].as_str().unwrap();
    let ip = rental["node_networking"][0]["public_ip"].clone();
    let off = env
        .vp(
            "PUT",
            &format!("/api/v1/bare-metal/{id}/power-status"),
            Some(&json!({"status": "stopped"})),
        )
        .await;
    assert_eq!((off.status, off.text.as_str()), (202, ""));
    let on = env
        .vp(
            "PUT",
            &format!("/api/v1/bare-metal/{id}/power-status"),
            Some(&json!({"status": "started"})),
        )
        .await;
    assert_eq!((on.status, on.text.as_str()), (202, ""));
    let reboot = env
        .vp(
            "POST",
            &format!("/api/v1/bare-metal/{id}/reboot"),
            Some(&json!({"public_ips": [ip]})),
        )
        .await;
    assert_eq!((reboot.status, reboot.text.as_str()), (204, ""));
    let gone = env
        .vp("DELETE", &format!("/api/v1/bare-metal/{id}"), None)
        .await;
    assert_eq!((gone.status, gone.text.as_str()), (200, ""));
    assert!(list(&env, "/api/v1/bare-metal/").await.is_empty());
}

#[tokio::test]
async fn billing_links_every_kind_of_instance_and_notes_other_lines() {
    let env = live().await;
    let lines = list(&env, "/api/v1/billing/transactions?limit=100000").await;
    let linked = |kind: &str| {
        lines
            .iter()
            .find(|t| t["details"]["linked_instance"]["type"] == kind)
            .unwrap_or_else(|| panic!("a line linked to a {kind}"))
            .clone()
    };
    let vm = linked("virtual_machine_instance");
    assert_shape(
        &response("GET /api/v1/billing/transactions")["results"][0],
        &vm,
    );
    let rental = linked("baremetal_rental");
    assert!(rental["details"]["linked_instance"]["baremetal_rental_id"].is_string());
    let storage = linked("storage_block_instance");
    assert!(storage["details"]["linked_instance"]["storage_block_id"].is_string());
    assert!(!lines
        .iter()
        .any(|t| t["details"]["linked_instance"]["type"] == "storage_volume"));

    let other = lines
        .iter()
        .find(|t| t["details"]["type"] == "other")
        .expect("an `other` line");
    assert!(other["details"]["note_public"]
        .as_str()
        .is_some_and(|n| !n.is_empty()));
    assert!(other["details"]["linked_instance"].is_null());
    assert!(lines
        .iter()
        .filter(|t| t["details"]["type"] != "other")
        .all(|t| t["details"].get("note_public").is_none()));

    // The monthly report reads the same lines, and still adds up.
    let created = other["timestamp_creation"].as_str().unwrap();
    let (year, month) = (&created[..4], created[5..7].trim_start_matches('0'));
    let report = env
        .vp(
            "GET",
            &format!("/api/v1/billing/reports/{year}/{month}/transactions"),
            None,
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.text);
    assert!(report.json["transactions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["id"] == other["id"]
            && t["details"]["note_public"] == other["details"]["note_public"]));
}
