//! Organization keys refuse what is not a public key; storage volumes fill while rentals use
//! them and cannot be deleted while attached.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

const KEYS: &str = "/api/v1/organization/ssh-keys";

/// A throwaway private key (made with `ssh-keygen -t ed25519 -N ''` for crates/api's tests).
const PRIVATE_KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXAAAAJiy1gIistYC
IgAAAAtzc2gtZWQyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXA
AAAEBDZkpyGIhnQ/o44e4jfIz2niZ89qnA1+mUZkCTuOBUKWFtSXz8FCz2+6rrhxP3yqiw
xWZ6lC4pMOxSQwktA9NcAAAADnVzZXJAZWQyNTUxOS0wAQIDBAUGBw==
-----END OPENSSH PRIVATE KEY-----
";

async fn key_count(env: &Env) -> usize {
    env.vp("GET", KEYS, None).await.json["results"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn key_content_that_is_not_a_public_key_is_a_422_and_nothing_is_added() {
    let env = start().await;
    let before = key_count(&env).await;
    assert!(
        before >= 3,
        "the demo organization has keys of several types"
    );
    for (content, says) in [
        (PRIVATE_KEY, "private key"),
        (PRIVATE_KEY.lines().nth(1).unwrap(), "private key"),
        ("ssh-ed25519 AAAA!!", "not base64"),
        (
            "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGFtSXz8FCz2+6rrhxP3yqiwxWZ6lC4pMOxSQwktA9Nc",
            "not ssh-rsa",
        ),
        ("not a key at all", "not an SSH public key"),
    ] {
        let r = env
            .vp(
                "POST",
                KEYS,
                Some(&json!({"name": "my key", "content": content})),
            )
            .await;
        assert_422(&r, &["body", "content"]);
        assert!(r.text.contains(says), "{content}: {}", r.text);
    }
    assert_eq!(key_count(&env).await, before);
    let good = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFtSXz8FCz2+6rrhxP3yqiwxWZ6lC4pMOxSQwktA9Nc user@ed25519-0";
    let r = env
        .vp(
            "POST",
            KEYS,
            Some(&json!({"name": "my key", "content": good})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(key_count(&env).await, before + 1);
}

async fn datasets(env: &Env) -> Value {
    let list = env.vp("GET", "/api/v1/storage/", None).await.json;
    let id = list["results"][0]["id"].as_str().unwrap().to_string();
    env.vp("GET", &format!("/api/v1/storage/{id}"), None)
        .await
        .json
}

/// A bare-metal rental, from the list (the API has no detail endpoint for rentals).
async fn rental_named(env: &Env, id: &str) -> Value {
    env.vp("GET", "/api/v1/bare-metal/", None).await.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
        .expect("the rental is listed")
}

#[tokio::test]
async fn an_attached_volume_fills_up_and_must_be_detached_before_it_is_deleted() {
    let env = start().await;
    let volume = datasets(&env).await;
    let id = volume["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/storage/{id}");
    let rental = volume["order_ids"][0].as_str().unwrap().to_string();
    let used = volume["used_capacity_bytes"].as_u64().unwrap();

    env.sandbox().advance(Duration::from_secs(3600));
    let after = datasets(&env).await["used_capacity_bytes"]
        .as_u64()
        .unwrap();
    assert_eq!(after, used + 2_000_000_000, "one attached rental, one hour");

    let refused = env.vp("DELETE", &path, None).await;
    assert_detail(&refused, 400);
    assert!(refused.text.contains(&rental), "{}", refused.text);

    // Detached, it stops filling, and the rental no longer names it.
    let r = env
        .vp("PATCH", &path, Some(&json!({"order_ids": []})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["order_ids"], json!([]));
    let rental_now = rental_named(&env, &rental).await;
    assert_eq!(rental_now["storage_id"], Value::Null);
    env.sandbox().advance(Duration::from_secs(3600));
    assert_eq!(
        datasets(&env).await["used_capacity_bytes"]
            .as_u64()
            .unwrap(),
        after
    );

    // Attached again, the rental names it again.
    let r = env
        .vp("PATCH", &path, Some(&json!({"order_ids": [rental]})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let rental_now = rental_named(&env, &rental).await;
    assert_eq!(rental_now["storage_id"], json!(id));
    env.vp("PATCH", &path, Some(&json!({"order_ids": []})))
        .await;
    assert_eq!(env.vp("DELETE", &path, None).await.status, 204);
}

#[tokio::test]
async fn a_volume_never_fills_past_its_size() {
    let env = start().await;
    let rental = env.vp("GET", "/api/v1/bare-metal/", None).await.json["results"][0]["id"].clone();
    let r = env
        .vp(
            "POST",
            "/api/v1/storage/",
            Some(&json!({"size_in_gb": 3, "name": "tiny", "order_ids": [rental]})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let path = format!("/api/v1/storage/{}", r.json["id"].as_str().unwrap());
    env.sandbox().advance(Duration::from_secs(10 * 3600));
    let v = env.vp("GET", &path, None).await.json;
    assert_eq!(v["used_capacity_bytes"], 3_000_000_000u64);
}
