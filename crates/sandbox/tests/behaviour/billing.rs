use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::common::*;

fn dec(v: &Value) -> Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("decimal string: {v}"))
        .parse()
        .unwrap()
}

async fn rate(env: &Env) -> Decimal {
    dec(&env
        .vp("GET", "/api/v1/billing/hourly-rate", None)
        .await
        .json["rate_hourly"])
}

async fn all_transactions(env: &Env) -> Vec<Value> {
    let r = env
        .vp("GET", "/api/v1/billing/transactions?limit=100000", None)
        .await;
    r.json["results"].as_array().unwrap().clone()
}

#[tokio::test]
async fn hourly_rate_is_the_sum_of_what_runs() {
    let env = start().await;
    let vms = env.vp("GET", "/api/v1/virtual-machines/", None).await.json;
    let vm_sum: Decimal = vms["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            if v["status"] == "StoppedDisassociated" {
                dec(&v["pricing"]["total_disassociated_per_hr"])
            } else {
                dec(&v["pricing"]["total_associated_per_hr"])
            }
        })
        .sum();
    let bm = env.vp("GET", "/api/v1/bare-metal/", None).await.json;
    let bm_sum: Decimal = bm["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| dec(&r["rate_hourly"]))
        .sum();
    let st = env.vp("GET", "/api/v1/storage/", None).await.json;
    let st_sum: Decimal = st["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| dec(&v["rate_hourly"]))
        .sum();
    assert_eq!(rate(&env).await, vm_sum + bm_sum + st_sum);

    // Disassociating a VM drops it to its storage rate.
    let vm = &vms["results"][0];
    let id = vm["id"].as_str().unwrap();
    let before = rate(&env).await;
    let r = env
        .vp(
            "PUT",
            &format!("/api/v1/virtual-machines/{id}/power-status"),
            Some(&json!({"status": "stopped_disassociated"})),
        )
        .await;
    assert_eq!(r.status, 200);
    let drop = dec(&vm["pricing"]["total_associated_per_hr"])
        - dec(&vm["pricing"]["total_disassociated_per_hr"]);
    assert_eq!(rate(&env).await, before - drop);
}

#[tokio::test]
async fn usage_accrues_hour_by_hour() {
    let env = start().await;
    let before = all_transactions(&env).await.len();
    let hourly = rate(&env).await;
    env.sandbox().advance(Duration::from_secs(3600));
    let after = all_transactions(&env).await;
    let new = &after[..after.len() - before];
    assert!(!new.is_empty());
    let charged: Decimal = new.iter().map(|t| dec(&t["total_amount"])).sum();
    assert_eq!(charged, -hourly, "one hour of everything that runs");
    for t in new {
        assert_eq!(t["timestamp_creation"], "2026-11-25T12:00:00.000Z");
        assert_eq!(t["timestamp_completion"], "2026-11-25T13:00:00.000Z");
    }
    let vm_only = env
        .vp(
            "GET",
            "/api/v1/billing/transactions?types=virtual_machine&earliest=2026-11-25",
            None,
        )
        .await
        .json;
    for t in vm_only["results"].as_array().unwrap() {
        assert_eq!(t["details"]["type"], "charge");
        assert_eq!(
            t["details"]["linked_instance"]["type"],
            "virtual_machine_instance"
        );
    }
}

#[tokio::test]
async fn termination_bills_the_partial_hour_and_marks_deletion() {
    let env = start().await;
    let vms = env.vp("GET", "/api/v1/virtual-machines/", None).await.json;
    let vm = vms["results"][0].clone();
    let id = vm["id"].as_str().unwrap();
    env.sandbox().advance(Duration::from_secs(1800));
    assert_eq!(
        env.vp("DELETE", &format!("/api/v1/virtual-machines/{id}"), None)
            .await
            .status,
        202
    );
    let t = all_transactions(&env).await;
    let last = t
        .iter()
        .find(|t| t["details"]["linked_instance"]["virtual_machine_id"] == id)
        .unwrap();
    assert_eq!(
        last["details"]["linked_instance"]["timestamp_deletion"],
        "2026-11-25T12:30:00.000Z"
    );
    let half = dec(&vm["pricing"]["total_associated_per_hr"]) / Decimal::from(2);
    assert_eq!(dec(&last["total_amount"]), -half.round_dp(6));
}

#[tokio::test]
async fn monthly_report_adds_up() {
    let env = start().await;
    env.sandbox().advance(Duration::from_secs(7 * 86_400));
    let mut previous_end: Option<Decimal> = None;
    for (y, m) in [(2026, 9), (2026, 10), (2026, 11), (2026, 12)] {
        let r = env
            .vp(
                "GET",
                &format!("/api/v1/billing/reports/{y}/{m}/transactions"),
                None,
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let start = dec(&r.json["balance_at_period_start"]);
        let delta = dec(&r.json["balance_delta_in_period"]);
        let end = dec(&r.json["balance_at_period_end"]);
        let sum: Decimal = r.json["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| dec(&t["total_amount"]))
            .sum();
        assert_eq!(sum, delta, "{y}-{m}: the lines add up to the delta");
        assert_eq!(start + delta, end);
        if let Some(prev) = previous_end {
            assert_eq!(prev, start, "{y}-{m} opens where the previous month closed");
        }
        previous_end = Some(end);
    }
    assert!(
        previous_end.unwrap() > Decimal::ZERO,
        "the seeded account is in credit"
    );
}

#[tokio::test]
async fn deploys_beyond_the_prepaid_balance_are_refused() {
    let env = start().await;
    let loc = env
        .vp("GET", "/api/v1/bare-metal/locations", None)
        .await
        .json["results"][0]["id"]
        .clone();
    let body =
        json!({"location_id": loc, "gpu_count": 64, "name": "burn", "network_type": "infiniband"});
    assert_eq!(
        env.vp("POST", "/api/v1/bare-metal/", Some(&body))
            .await
            .status,
        201
    );
    // Ten days of ~185/h spends the seeded credit.
    env.sandbox().advance(Duration::from_secs(10 * 86_400));
    let presets = env
        .vp(
            "GET",
            "/api/v1/instant-deploy-presets/?available=true",
            None,
        )
        .await
        .json;
    let vm = json!({"config_id": presets[0]["id"], "name": "one-more"});
    let r = env
        .vp("POST", "/api/v1/virtual-machines/instant", Some(&vm))
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    assert!(
        r.json["detail"]
            .as_str()
            .unwrap()
            .contains("Insufficient balance"),
        "{}",
        r.text
    );
}
