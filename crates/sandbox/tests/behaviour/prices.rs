use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::common::*;

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("decimal string: {v}"))
        .parse()
        .unwrap()
}

/// Every hostnode of the seeded account, as the locations list shows them.
async fn hostnodes(env: &Env) -> Vec<Value> {
    let r = env.vp("GET", "/api/v1/locations/?limit=15", None).await;
    r.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["hostnodes"].as_array().unwrap().clone())
        .collect()
}

fn model_and_gpu_price(node: &Value) -> (String, Decimal) {
    let (model, price) = node["pricing"]["per_gpu_hr"]
        .as_object()
        .unwrap()
        .iter()
        .next()
        .unwrap();
    (model.clone(), dec(price))
}

/// The compute rate a preset of these resources would have on this hostnode.
fn compute_rate_on(node: &Value, resources: &Value) -> Decimal {
    let (model, per_gpu) = model_and_gpu_price(node);
    let gpus = resources["gpus"][&model]["count"].as_u64().unwrap();
    let p = &node["pricing"];
    per_gpu * Decimal::from(gpus)
        + dec(&p["per_vcpu_hr"]) * Decimal::from(resources["vcpu_count"].as_u64().unwrap())
        + dec(&p["per_gb_ram_hr"]) * Decimal::from(resources["ram_gb"].as_u64().unwrap())
}

#[tokio::test]
async fn the_same_gpu_costs_a_different_price_in_different_locations() {
    let env = start().await;
    let mut by_model: BTreeMap<String, BTreeMap<String, Decimal>> = BTreeMap::new();
    for node in hostnodes(&env).await {
        let (model, price) = model_and_gpu_price(&node);
        by_model
            .entry(model)
            .or_default()
            .insert(node["location_id"].as_str().unwrap().to_string(), price);
    }
    for (model, prices) in &by_model {
        let (min, max) = (
            prices.values().min().unwrap(),
            prices.values().max().unwrap(),
        );
        if prices.len() > 1 {
            assert!(min < max, "{model} costs the same everywhere: {prices:?}");
        }
        assert!(
            *max <= *min * Decimal::new(125, 2),
            "{model}: a plausible spread, not {min} to {max}"
        );
    }
    assert_eq!(
        by_model["h100-sxm5-80gb"].len(),
        3,
        "H100s in three locations"
    );
}

#[tokio::test]
async fn a_preset_costs_what_the_hostnodes_of_its_locations_charge() {
    let env = start().await;
    let nodes = hostnodes(&env).await;
    let presets = env.vp("GET", "/api/v1/instant-deploy-presets/", None).await;
    let presets = presets.json.as_array().unwrap();
    assert!(presets.len() > 12, "one set of presets per price");
    let mut rates_per_shape: BTreeMap<String, Vec<Decimal>> = BTreeMap::new();
    for p in presets {
        let rate = dec(&p["compute_rate_hourly"]);
        rates_per_shape
            .entry(p["resources"].to_string())
            .or_default()
            .push(rate);
        for location in p["location_ids_with_availability"].as_array().unwrap() {
            let (model, _) = p["resources"]["gpus"]
                .as_object()
                .unwrap()
                .iter()
                .next()
                .unwrap();
            let here: Vec<&Value> = nodes
                .iter()
                .filter(|n| n["location_id"] == *location)
                .filter(|n| n["pricing"]["per_gpu_hr"].get(model).is_some())
                .collect();
            assert!(!here.is_empty());
            for node in here {
                assert_eq!(compute_rate_on(node, &p["resources"]), rate, "{p}");
            }
        }
    }
    let h100_one_gpu = rates_per_shape
        .iter()
        .find(|(shape, _)| shape.contains("h100") && shape.contains("\"count\":1}"))
        .unwrap()
        .1;
    assert_eq!(
        h100_one_gpu.len(),
        3,
        "the 1-GPU H100 shape at three prices"
    );
}

#[tokio::test]
async fn a_deployed_vm_lands_where_its_preset_price_holds() {
    let env = start().await;
    let presets = env
        .vp(
            "GET",
            "/api/v1/instant-deploy-presets/?available=true",
            None,
        )
        .await
        .json;
    // The 1-GPU shape of every model at every price.
    let one_gpu = presets
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["resources"].to_string().contains("\"count\":1}"))
        .collect::<Vec<_>>();
    assert_eq!(one_gpu.len(), 7, "H100 at 3 prices, H200 and A100 at 2");
    for p in one_gpu {
        let r = env
            .vp(
                "POST",
                "/api/v1/virtual-machines/instant",
                Some(&json!({"config_id": p["id"], "name": "priced"})),
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
        let node = env
            .vp(
                "GET",
                &format!("/api/v1/hostnodes/{}", vm["hostnode_id"].as_str().unwrap()),
                None,
            )
            .await
            .json;
        assert!(p["location_ids_with_availability"]
            .as_array()
            .unwrap()
            .contains(&node["location_id"]));
        let compute = dec(&vm["pricing"]["gpus_per_hr"])
            + dec(&vm["pricing"]["vcpus_per_hr"])
            + dec(&vm["pricing"]["ram_per_hr"]);
        assert_eq!(compute, dec(&p["compute_rate_hourly"]));
        assert_eq!(compute, compute_rate_on(&node, &vm["resources"]));
    }
}

#[tokio::test]
async fn bare_metal_prices_differ_between_sites_of_the_same_gpu() {
    let env = start().await;
    let r = env.vp("GET", "/api/v1/bare-metal/locations", None).await;
    let sites = r.json["results"].as_array().unwrap();
    let h100: Vec<&Value> = sites
        .iter()
        .filter(|s| s["specs_per_node"]["gpu_model"] == "h100-sxm5-80gb")
        .collect();
    assert_eq!(h100.len(), 2);
    for key in ["gpu_price_ethernet", "gpu_price_infiniband"] {
        assert!(h100.iter().all(|s| s[key].is_number()), "JSON numbers");
        assert_ne!(h100[0][key], h100[1][key], "{key}");
    }
    assert_eq!(h100[0]["gpu_price_ethernet"], json!(1.99));
    assert_eq!(h100[1]["gpu_price_infiniband"], json!(2.39));
}
