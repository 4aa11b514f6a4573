use std::collections::BTreeSet;

use reqwest::multipart::Form;
use serde_json::{json, Value};

use crate::common::*;

const P: &str = "octos";

#[test]
fn every_example_in_the_document_is_covered() {
    let keys: BTreeSet<String> = examples(P).iter().map(Example::key).collect();
    let covered: BTreeSet<String> = [
        "POST /backend/api/profile/api/enable",
        "GET /backend/api/profile/api/access-token",
        "DELETE /backend/api/profile/api/disable",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(keys, covered);
}

fn response(key: &str) -> Value {
    example(P, key).response.expect("response example")
}

async fn login(env: &Env) -> String {
    let r = env
        .send(
            "POST",
            "/octos/backend/api/login",
            Auth::None,
            Some(&json!({"email": "demo@cloudpane.dev", "password": "demo-password"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["status"], "Success");
    r.json["data"]["token"].as_str().unwrap().to_string()
}

async fn enable(env: &Env, session: &str, fields: &[(&str, &str)]) -> Reply {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let resp = env
        .http
        .post(env.url("/octos/backend/api/profile/api/enable"))
        .bearer_auth(session)
        .multipart(form)
        .send()
        .await
        .unwrap();
    reply(resp).await
}

fn assert_error(r: &Reply, status: u16) {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(r.json["status"], "Error", "{}", r.text);
    assert!(r.json["message"].is_string());
}

#[tokio::test]
async fn login_gives_a_session_token() {
    let env = start().await;
    login(&env).await;
    let bad = env
        .send(
            "POST",
            "/octos/backend/api/login",
            Auth::None,
            Some(&json!({"email": "demo@cloudpane.dev", "password": "x"})),
        )
        .await;
    assert_error(&bad, 401);
    let missing = env
        .send(
            "POST",
            "/octos/backend/api/login",
            Auth::None,
            Some(&json!({"email": "demo@cloudpane.dev"})),
        )
        .await;
    assert_error(&missing, 422);
}

#[tokio::test]
async fn enable_returns_a_new_token_once_and_the_old_one_stops() {
    let env = start().await;
    let session = login(&env).await;
    let ex = example(P, "POST /backend/api/profile/api/enable");
    let req = ex.request.unwrap();
    let r = enable(
        &env,
        &session,
        &[
            ("token_name", req["token_name"].as_str().unwrap()),
            ("expires_at", req["expires_at"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape(&response("POST /backend/api/profile/api/enable"), &r.json);
    let token = r.json["data"]["token"].as_str().unwrap().to_string();
    assert!(token.contains('|'));

    let vms = env
        .send(
            "GET",
            "/octos/backend/api/virtual-machines",
            Auth::Bearer(&token),
            None,
        )
        .await;
    assert_eq!(vms.status, 200, "{}", vms.text);
    assert_error(
        &env.send(
            "GET",
            "/octos/backend/api/virtual-machines",
            Auth::Bearer(OC),
            None,
        )
        .await,
        401,
    );

    // Mutations: no session, an API token instead of a session, JSON instead of multipart,
    // a missing token name, a malformed date.
    let no_auth = env
        .http
        .post(env.url("/octos/backend/api/profile/api/enable"))
        .multipart(Form::new().text("token_name", "x"))
        .send()
        .await
        .unwrap();
    assert_error(&reply(no_auth).await, 401);
    assert_error(&enable(&env, &token, &[("token_name", "x")]).await, 403);
    let json_body = env
        .send(
            "POST",
            "/octos/backend/api/profile/api/enable",
            Auth::Bearer(&session),
            Some(&json!({"token_name": "x"})),
        )
        .await;
    assert_error(&json_body, 422);
    assert_error(
        &enable(&env, &session, &[("expires_at", "2027-01-01")]).await,
        422,
    );
    assert_error(
        &enable(
            &env,
            &session,
            &[("token_name", "x"), ("expires_at", "31/12/2026")],
        )
        .await,
        422,
    );
}

#[tokio::test]
async fn access_token_and_expiry() {
    let env = start().await;
    let r = env
        .send(
            "GET",
            "/octos/backend/api/profile/api/access-token",
            Auth::Bearer(OC),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_shape(
        &response("GET /backend/api/profile/api/access-token"),
        &r.json,
    );
    assert_eq!(r.json["data"]["token"], OC);
    assert_error(
        &env.send(
            "GET",
            "/octos/backend/api/profile/api/access-token",
            Auth::None,
            None,
        )
        .await,
        401,
    );

    let session = login(&env).await;
    let created = enable(
        &env,
        &session,
        &[("token_name", "short-lived"), ("expires_at", "2026-11-26")],
    )
    .await;
    let token = created.json["data"]["token"].as_str().unwrap().to_string();
    let r = env
        .send(
            "GET",
            "/octos/backend/api/profile/api/access-token",
            Auth::Bearer(&token),
            None,
        )
        .await;
    assert_eq!(r.json["data"]["expires_at"], "11-26-2026 11:59 PM");
    env.sandbox()
        .advance(std::time::Duration::from_secs(2 * 86_400));
    assert_error(
        &env.send(
            "GET",
            "/octos/backend/api/virtual-machines",
            Auth::Bearer(&token),
            None,
        )
        .await,
        401,
    );
}

#[tokio::test]
async fn disable_stops_the_token() {
    let env = start().await;
    let r = env
        .send(
            "DELETE",
            "/octos/backend/api/profile/api/disable",
            Auth::Bearer(OC),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.json["status"], "Success");
    assert_error(
        &env.send(
            "GET",
            "/octos/backend/api/virtual-machines",
            Auth::Bearer(OC),
            None,
        )
        .await,
        401,
    );
    assert_error(
        &env.send(
            "DELETE",
            "/octos/backend/api/profile/api/disable",
            Auth::Bearer(OC),
            None,
        )
        .await,
        401,
    );
    let session = login(&env).await;
    assert_error(
        &env.send(
            "DELETE",
            "/octos/backend/api/profile/api/disable",
            Auth::Bearer(&session),
            None,
        )
        .await,
        400,
    );
    assert_error(
        &env.send(
            "GET",
            "/octos/backend/api/profile/api/access-token",
            Auth::Bearer(&session),
            None,
        )
        .await,
        404,
    );
}

#[tokio::test]
async fn virtual_machines_in_the_envelope() {
    let env = start().await;
    let r = env
        .send(
            "GET",
            "/octos/backend/api/virtual-machines",
            Auth::Bearer(OC),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["status"], "Success");
    for vm in r.json["data"].as_array().unwrap() {
        for k in ["id", "name", "status", "ip", "project"] {
            assert!(vm.get(k).is_some(), "vm has {k}: {vm}");
        }
    }
    assert_error(
        &env.send(
            "GET",
            "/octos/backend/api/virtual-machines",
            Auth::None,
            None,
        )
        .await,
        401,
    );
    let session = login(&env).await;
    assert_error(
        &env.send(
            "GET",
            "/octos/backend/api/virtual-machines",
            Auth::Bearer(&session),
            None,
        )
        .await,
        401,
    );
    assert_error(
        &env.send(
            "GET",
            "/octos/backend/api/projects/none",
            Auth::Bearer(OC),
            None,
        )
        .await,
        404,
    );
}

/// The quick reference's families under `/backend/api`, as the console lists them.
const FAMILY_PATHS: [&str; 14] = [
    "/projects",
    "/blockstorages",
    "/blockstorages/snapshots",
    "/blockstorages/backups",
    "/networks",
    "/network/categories",
    "/virtual-routers",
    "/ip-addresses",
    "/security-groups",
    "/loadbalancers",
    "/monitoring",
    "/dns",
    "/billing",
    "/support-tickets",
];

#[tokio::test]
async fn every_family_answers_in_the_envelope_with_rows_related_by_project() {
    let env = start().await;
    let mut projects_seen = BTreeSet::new();
    for path in FAMILY_PATHS {
        let url = format!("/octos/backend/api{path}");
        let r = env.send("GET", &url, Auth::Bearer(OC), None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        assert_eq!(r.json["status"], "Success", "{path}");
        assert!(r.json["message"].is_string(), "{path}");
        let data = &r.json["data"];
        assert!(
            data.as_array().is_some_and(|a| !a.is_empty()) || data.is_object(),
            "{path}: {data}"
        );
        // Projects named anywhere in the family are the account's projects.
        let text = data.to_string();
        for name in ["production", "tooling", "research"] {
            if text.contains(&format!("\"name\":\"{name}\"")) {
                projects_seen.insert(name);
            }
        }
        // No token, a wrong token, a session token: refused in the envelope.
        assert_error(&env.send("GET", &url, Auth::None, None).await, 401);
        assert_error(
            &env.send("GET", &url, Auth::Bearer("nope"), None).await,
            401,
        );
        // Read-only.
        let post = env
            .send("POST", &url, Auth::Bearer(OC), Some(&json!({})))
            .await;
        assert_error(&post, 405);
    }
    assert_eq!(
        projects_seen,
        BTreeSet::from(["production", "tooling", "research"])
    );
    // The VMs' projects are among the projects.
    let projects = env
        .send("GET", "/octos/backend/api/projects", Auth::Bearer(OC), None)
        .await;
    let names: Vec<&str> = projects.json["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let vms = env
        .send(
            "GET",
            "/octos/backend/api/virtual-machines",
            Auth::Bearer(OC),
            None,
        )
        .await;
    for vm in vms.json["data"].as_array().unwrap() {
        assert!(names.contains(&vm["project"].as_str().unwrap()), "{vm}");
    }
}

#[tokio::test]
async fn families_stop_with_the_token_and_the_profile_takes_either_token() {
    let env = start().await;
    let session = login(&env).await;
    let with_session = env
        .send(
            "GET",
            "/octos/backend/api/profile",
            Auth::Bearer(&session),
            None,
        )
        .await;
    assert_eq!(with_session.status, 200, "{}", with_session.text);
    assert_eq!(with_session.json["data"]["email"], "demo@cloudpane.dev");
    let with_token = env
        .send("GET", "/octos/backend/api/profile", Auth::Bearer(OC), None)
        .await;
    assert_eq!(with_token.json["data"]["api_enabled"], true);
    assert_error(
        &env.send("GET", "/octos/backend/api/profile", Auth::None, None)
            .await,
        401,
    );
    // A session token is not an API token.
    assert_error(
        &env.send(
            "GET",
            "/octos/backend/api/dns",
            Auth::Bearer(&session),
            None,
        )
        .await,
        401,
    );
    let off = env
        .send(
            "DELETE",
            "/octos/backend/api/profile/api/disable",
            Auth::Bearer(OC),
            None,
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.text);
    assert_error(
        &env.send("GET", "/octos/backend/api/dns", Auth::Bearer(OC), None)
            .await,
        401,
    );
    let after = env
        .send(
            "GET",
            "/octos/backend/api/profile",
            Auth::Bearer(&session),
            None,
        )
        .await;
    assert_eq!(after.json["data"]["api_enabled"], false);
}
