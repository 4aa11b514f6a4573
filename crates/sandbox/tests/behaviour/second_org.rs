//! Voltage Park's second organization: its own token, machines, keys, volumes and balance;
//! what one organization does is invisible to the other.

use serde_json::{json, Value};

use crate::common::*;

const RESEARCH: &str = "demo-voltagepark-research";

async fn as_org(env: &Env, token: &str, method: &str, path: &str, body: Option<&Value>) -> Reply {
    let auth = if path.starts_with("/api/v1/organization/ssh-keys")
        || path.starts_with("/api/v1/storage")
    {
        Auth::ApiToken(token)
    } else {
        Auth::Bearer(token)
    };
    env.send(method, &format!("/voltagepark{path}"), auth, body)
        .await
}

fn names(reply: &Reply) -> Vec<String> {
    reply.json["results"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {}", reply.text))
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_research_token_sees_its_own_machines_keys_storage_and_balance() {
    let env = start().await;
    let vms = |t| as_org(&env, t, "GET", "/api/v1/virtual-machines/?limit=100", None);
    let demo_vms = names(&vms(VP).await);
    let research_vms = names(&vms(RESEARCH).await);
    assert!(
        demo_vms.contains(&"train-llama-8b".to_string()),
        "{demo_vms:?}"
    );
    assert_eq!(research_vms, ["rlhf-sweep", "paper-figures"]);

    let keys = |t| as_org(&env, t, "GET", "/api/v1/organization/ssh-keys", None);
    assert_eq!(names(&keys(RESEARCH).await), ["bob-desktop"]);
    assert!(!names(&keys(VP).await).contains(&"bob-desktop".to_string()));

    let volumes = as_org(&env, RESEARCH, "GET", "/api/v1/storage/", None).await;
    assert_eq!(volumes.status, 200, "{}", volumes.text);
    assert!(
        names(&volumes).is_empty(),
        "the research organization has no volume"
    );
    let rentals = as_org(&env, RESEARCH, "GET", "/api/v1/bare-metal/", None).await;
    assert!(names(&rentals).is_empty(), "nor a bare-metal rental");

    let rate = |t| as_org(&env, t, "GET", "/api/v1/billing/hourly-rate", None);
    let (demo_rate, research_rate) = (rate(VP).await, rate(RESEARCH).await);
    assert_eq!(research_rate.status, 200, "{}", research_rate.text);
    assert_ne!(
        demo_rate.json, research_rate.json,
        "each pays for its own machines"
    );

    // The same sites for both (each organization's view of their capacity is its own).
    let location_ids = |reply: Reply| -> Vec<Value> {
        reply.json["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].clone())
            .collect()
    };
    let locations = |t| as_org(&env, t, "GET", "/api/v1/locations/?limit=15", None);
    assert_eq!(
        location_ids(locations(VP).await),
        location_ids(locations(RESEARCH).await)
    );
}

#[tokio::test]
async fn what_one_organization_does_the_other_does_not_see() {
    let env = start().await;
    let key = json!({
        "name": "research laptop",
        "content": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKgwin9Tk7B8cw1tU2kSaPlHOCU8UxDecuKUU3jdrHOC laptop"
    });
    let created = as_org(
        &env,
        RESEARCH,
        "POST",
        "/api/v1/organization/ssh-keys",
        Some(&key),
    )
    .await;
    assert!(created.status < 300, "{}", created.text);
    let research = as_org(&env, RESEARCH, "GET", "/api/v1/organization/ssh-keys", None).await;
    assert!(names(&research).contains(&"research laptop".to_string()));
    let demo = as_org(&env, VP, "GET", "/api/v1/organization/ssh-keys", None).await;
    assert!(!names(&demo).contains(&"research laptop".to_string()));

    // A machine of one organization is not found with the other's token.
    let research_vms = as_org(&env, RESEARCH, "GET", "/api/v1/virtual-machines/", None).await;
    let id = research_vms.json["results"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let seen = as_org(
        &env,
        VP,
        "GET",
        &format!("/api/v1/virtual-machines/{id}"),
        None,
    )
    .await;
    assert_eq!(seen.status, 404, "{}", seen.text);

    // After a reset both are back to their seeds.
    let reset = env.send("POST", "/_sandbox/reset", Auth::None, None).await;
    assert!(reset.status < 300, "{}", reset.text);
    let research = as_org(&env, RESEARCH, "GET", "/api/v1/organization/ssh-keys", None).await;
    assert_eq!(names(&research), ["bob-desktop"]);
}

#[tokio::test]
async fn any_other_token_is_still_a_401() {
    let env = start().await;
    let reply = as_org(
        &env,
        "demo-voltagepark-other",
        "GET",
        "/api/v1/virtual-machines/",
        None,
    )
    .await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json["detail"], "Invalid API token");
}
