//! Faults across the console's journeys, through the real proxy and sandbox in headless
//! Chromium: slow answers, 500s, 422s, a revoked token (401), a dropped connection (the
//! sandbox's drop rules, and the proxy stopped mid-journey and started again on its port) and a
//! reload in the middle of each journey.
//!
//! Every case ends with a message in words, the form still holding what was typed (a draft
//! survives a reload, never a password, a secret's value or a token), and the sandbox's request
//! log showing the billable or destructive request sent at most once. One browser, one sandbox
//! and one proxy (replaced only when a case stops it) serve every case; the sandbox is reset
//! between cases.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use cloudpane_e2e::{
    port_of, sandbox_faults, sandbox_requests, sandbox_reset, sandbox_voltagepark,
    start_demo_proxy, start_proxy_on, start_sandbox, Browser, Server, WAIT,
};
use fantoccini::Locator;
use serde_json::{json, Value};

const INSTANT: &str = "/voltagepark/api/v1/virtual-machines/instant";
const VMS: &str = "/voltagepark/api/v1/virtual-machines/";
const BARE_METAL: &str = "/voltagepark/api/v1/bare-metal/";
const SSH_KEYS: &str = "/voltagepark/api/v1/organization/ssh-keys";
const STORAGE: &str = "/voltagepark/api/v1/storage/";
const SECRETS: &str = "/netactuate/v3/secrets";
const SECRET_LISTS: &str = "/netactuate/api/secrets/lists";
const OCTOS_ENABLE: &str = "/octos/backend/api/profile/api/enable";

/// A public key made with ssh-keygen for these tests (its private half was discarded).
const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJTRHuJTdwWwg/ym7GTPvSQEXexQNAG3aYn3S49ObRxP e2e@test";

/// How long a slow answer takes: long enough to see the spinner and type meanwhile.
const SLOW_MS: u64 = 1500;

/// What every case shares.
struct World {
    sandbox: Server,
    /// `None` while a case has it stopped.
    proxy: Option<Server>,
    port: u16,
    browser: Browser,
}

impl World {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn sandbox(&self) -> &str {
        &self.sandbox.url
    }

    async fn open(&self, path: &str, heading: &str) {
        self.browser.open(&self.url(path), heading).await;
    }

    async fn faults(&self, faults: Value) {
        sandbox_faults(self.sandbox(), faults).await;
    }

    /// A fault rule failing `method path` with `status`.
    async fn fail(&self, method: &str, path: &str, status: u16) {
        self.faults(json!({"fail": [{"method": method, "path": path, "status": status}]}))
            .await;
    }

    /// A Voltage Park 422 naming the body field `field`.
    async fn refuse_field(&self, method: &str, path: &str, field: &str) {
        self.faults(
            json!({"fail": [{"method": method, "path": path, "status": 422, "field": field}]}),
        )
        .await;
    }

    /// Cuts the connection of `method path`, `when` = before or after it is carried out.
    async fn drop_connection(&self, method: &str, path: &str, when: &str) {
        self.faults(json!({"drop": [{"method": method, "path": path, "when": when}]}))
            .await;
    }

    async fn slow(&self) {
        self.faults(json!({"latency_ms": SLOW_MS})).await;
    }

    /// How many `method` requests the sandbox received on paths starting with `path`.
    async fn sent(&self, method: &str, path: &str) -> usize {
        sandbox_requests(self.sandbox(), method, path).await.len()
    }

    async fn assert_sent(&self, method: &str, path: &str, expected: usize) {
        let log = sandbox_requests(self.sandbox(), method, path).await;
        assert_eq!(
            log.len(),
            expected,
            "{method} {path} sent {} times: {log:?}",
            log.len()
        );
    }

    /// Stops the proxy, as when it crashes or its host restarts.
    fn stop_proxy(&mut self) {
        self.proxy = None;
    }

    /// A new proxy on the stopped one's port.
    fn restart_proxy(&mut self) {
        self.proxy = Some(start_proxy_on(self.port, &self.sandbox.url, &[]));
    }

    /// Back to the start: the proxy running, the sandbox as seeded without faults, no draft.
    async fn fresh(&mut self) {
        if self.proxy.is_none() {
            self.restart_proxy();
        }
        sandbox_reset(self.sandbox()).await;
        self.browser.clear_session_storage().await;
    }

    async fn value(&self, css: &str) -> String {
        self.browser.value_of(css).await
    }

    async fn main_says(&self, text: &str) -> String {
        self.browser.wait_for_text("main", text, WAIT).await
    }
}

/// Rows of a Voltage Park list in the sandbox named `name`.
async fn named(sandbox: &str, list: &str, name: &str) -> Vec<Value> {
    let all = sandbox_voltagepark(sandbox, list).await;
    let rows = all
        .get("results")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    rows.into_iter().filter(|r| r["name"] == name).collect()
}

async fn vms_named(w: &World, name: &str) -> Vec<Value> {
    named(w.sandbox(), "/api/v1/virtual-machines/?limit=100", name)
        .await
        .into_iter()
        .filter(|v| v["status"] != "Terminated")
        .collect()
}

async fn vm_id(w: &World, name: &str) -> String {
    vms_named(w, name).await[0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Storage volumes named `name`, read directly (storage takes `x-api-token`, not Bearer).
async fn volumes_of(w: &World, name: &str) -> Vec<Value> {
    let all: Value = reqwest::Client::new()
        .get(format!("{}{STORAGE}?limit=100", w.sandbox()))
        .header("x-api-token", "demo-voltagepark")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    all["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["name"] == name)
        .cloned()
        .collect()
}

async fn volumes_named(w: &World, name: &str) -> usize {
    volumes_of(w, name).await.len()
}

/// NetActuate's secrets named `name`, read directly.
async fn secrets_named(w: &World, name: &str) -> usize {
    let all: Value = reqwest::Client::new()
        .get(format!("{}{SECRETS}", w.sandbox()))
        .bearer_auth("demo-netactuate")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    all["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["name"] == name)
        .count()
}

/// NetActuate's secret lists, read directly: (id, name).
async fn secret_lists(w: &World) -> Vec<(u64, String)> {
    let all: Value = reqwest::Client::new()
        .get(format!("{}{SECRET_LISTS}", w.sandbox()))
        .bearer_auth("demo-netactuate")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["id"].as_u64().unwrap(),
                l["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The keys of every secret-list value, read directly.
async fn list_keys(w: &World) -> Vec<String> {
    let all: Value = reqwest::Client::new()
        .get(format!("{}/netactuate/api/secrets/all-values", w.sandbox()))
        .bearer_auth("demo-netactuate")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["secret_key"].as_str().unwrap().to_string())
        .collect()
}

/// The id of NetActuate's secret named `name`.
async fn secret_id_of(w: &World, name: &str) -> u64 {
    let all: Value = reqwest::Client::new()
        .get(format!("{}{SECRETS}", w.sandbox()))
        .bearer_auth("demo-netactuate")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    all["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["id"].as_u64())
        .unwrap()
}

// --- journeys -------------------------------------------------------------------------------

/// The instant-VM form with a preset, a name and tags typed.
async fn fill_instant_vm(w: &World, name: &str) {
    let presets = sandbox_voltagepark(
        w.sandbox(),
        "/api/v1/instant-deploy-presets/?available=true",
    )
    .await;
    let preset = presets[0]["id"].as_str().unwrap();
    w.open(
        &format!("/deploy/instant-vm?preset={preset}"),
        "Deploy an instant VM",
    )
    .await;
    w.browser
        .wait_for_text(".cost-panel", "Per hour", WAIT)
        .await;
    w.browser.set_field("#vm-name", name).await;
    w.browser.set_field("#vm-tags", "faults, e2e").await;
}

/// The bare-metal form for the first location with a name typed.
async fn fill_bare_metal(w: &World, name: &str) {
    let locations = sandbox_voltagepark(w.sandbox(), "/api/v1/bare-metal/locations").await;
    let location = locations["results"][0]["id"].as_str().unwrap().to_string();
    w.open(
        &format!("/deploy/bare-metal?location={location}&network=ethernet&gpus=8"),
        "Rent bare metal",
    )
    .await;
    w.browser
        .wait_for_text(".cost-panel", "Per hour", WAIT)
        .await;
    w.browser.set_field("#bm-name", name).await;
}

/// Submits a deploy form, waits for the review and clicks its Deploy button twice.
/// One of the two deploy forms: where it sends the deploy and its name field's id.
#[derive(Clone, Copy)]
struct DeployForm {
    path: &'static str,
    name_field: &'static str,
}

const INSTANT_VM_FORM: DeployForm = DeployForm {
    path: INSTANT,
    name_field: "vm-name",
};
const BARE_METAL_FORM: DeployForm = DeployForm {
    path: BARE_METAL,
    name_field: "bm-name",
};

async fn fill_deploy(w: &World, form: DeployForm, name: &str) {
    if form.path == INSTANT {
        fill_instant_vm(w, name).await
    } else {
        fill_bare_metal(w, name).await
    }
}

/// The provider answers the deploy with `status`: the page says `says`, the form keeps the
/// name, and the deploy was sent once.
async fn deploy_refused(w: &World, form: DeployForm, name: &str, status: u16, says: &str) {
    fill_deploy(w, form, name).await;
    w.fail("POST", form.path, status).await;
    review_and_deploy(w).await;
    w.main_says(says).await;
    assert_eq!(w.value(&format!("#{}", form.name_field)).await, name);
    w.assert_sent("POST", form.path, 1).await;
}

/// The provider refuses the deploy's name (422): the review stays open with the refusal in its
/// error summary, whose link leads to the name field, marked and keeping what was typed; the
/// deploy was sent once.
async fn deploy_name_refused(w: &World, form: DeployForm, name: &str) {
    fill_deploy(w, form, name).await;
    w.refuse_field("POST", form.path, "name").await;
    review_and_deploy(w).await;
    w.browser
        .wait_for_text(".review #review-errors", "this value was refused", WAIT)
        .await;
    w.browser
        .click(Locator::Css(&format!(
            "#review-errors a[href='#{}']",
            form.name_field
        )))
        .await;
    w.browser
        .wait_for_text(
            &format!("#{}-error", form.name_field),
            "this value was refused",
            WAIT,
        )
        .await;
    assert_eq!(w.value(&format!("#{}", form.name_field)).await, name);
    w.assert_sent("POST", form.path, 1).await;
}

async fn review_and_deploy(w: &World) {
    w.browser.submit().await;
    w.browser.wait_for_text(".review", "Review the", WAIT).await;
    w.browser
        .client
        .execute(
            "const b = document.querySelector('.review button.deploy'); b.click(); b.click();",
            vec![],
        )
        .await
        .unwrap();
}

/// A machine's page, with `action` confirmed in its dialog.
async fn machine_action(w: &World, kind: &str, id: &str, name: &str, action: &str) {
    w.open(&format!("/machines/voltagepark/{kind}/{id}"), "Machine")
        .await;
    w.browser.wait_for_text(".machine-name", name, WAIT).await;
    w.browser.click_button(action).await;
    w.browser.wait_for_text("dialog[open]", name, WAIT).await;
    if kind == "bare-metal" && action == "Terminate" {
        w.browser
            .type_into("dialog[open] input[type=text]", name)
            .await;
    }
    w.browser.click_button(&format!("{action} {name}")).await;
}

async fn fill_ssh_key(w: &World, name: &str) {
    w.open("/ssh-keys", "SSH keys").await;
    w.browser
        .wait_for_text("table.ssh-keys", "alice-laptop", WAIT)
        .await;
    w.browser
        .set_field(".key-draft input[type=text]", name)
        .await;
    w.browser.set_field(".key-draft textarea", KEY).await;
}

async fn assert_ssh_key_kept(w: &World, name: &str) {
    assert_eq!(w.value(".key-draft input[type=text]").await, name);
    assert_eq!(w.value(".key-draft textarea").await, KEY);
}

async fn fill_volume(w: &World, name: &str) {
    w.open("/storage", "Storage").await;
    w.browser
        .wait_for_text("article.volume", "datasets", WAIT)
        .await;
    w.browser.set_field("#new-volume-name", name).await;
    w.browser.set_field("#new-volume-size_in_gb", "42").await;
}

async fn assert_volume_kept(w: &World, name: &str) {
    assert_eq!(w.value("#new-volume-name").await, name);
    assert_eq!(w.value("#new-volume-size_in_gb").await, "42");
}

async fn fill_secret(w: &World, name: &str, value: &str) {
    w.open("/secrets", "Secrets").await;
    w.browser
        .wait_for_text("table.secrets", "db-password", WAIT)
        .await;
    w.browser.set_field("#new-secret-name", name).await;
    w.browser.set_field("#new-secret-value", value).await;
}

async fn octos_logged_in(w: &World) {
    w.open("/octos/api-access", "Octos API access").await;
    w.browser
        .set_field("#octos-email", "demo@cloudpane.dev")
        .await;
    w.browser
        .set_field("#octos-password", "demo-password")
        .await;
    w.browser.click_button("Log in").await;
    w.browser.wait_for_text(".notice", "Logged in", WAIT).await;
}

async fn fill_account(w: &World, name: &str, token: &str) {
    w.open("/accounts", "Accounts").await;
    w.browser
        .set_field("#account-provider", "voltagepark")
        .await;
    w.browser.set_field("#account-name", name).await;
    w.browser.set_field("#account-token", token).await;
}

// --- deploy an instant VM ---------------------------------------------------------------------

async fn instant_vm_slow(w: &mut World) {
    fill_instant_vm(w, "e2e-slow").await;
    w.slow().await;
    review_and_deploy(w).await;
    w.browser.wait_for_spinner_with_words("Deploying").await;
    w.browser.still_takes_focus("nav a[href='/machines']").await;
    w.browser.wait_for_text(".banner", "Deployed", WAIT).await;
    w.assert_sent("POST", INSTANT, 1).await;
    assert_eq!(vms_named(w, "e2e-slow").await.len(), 1);
}

async fn instant_vm_500(w: &mut World) {
    deploy_refused(w, INSTANT_VM_FORM, "e2e-500", 500, "internal error (500)").await;
    assert_eq!(w.value("#vm-tags").await, "faults, e2e");
}

/// A 503 is an answer: the provider refused, and nothing was deployed; not a lost answer.
async fn instant_vm_503(w: &mut World) {
    deploy_refused(w, INSTANT_VM_FORM, "e2e-503", 503, "so nothing was done").await;
    let said = w.browser.main_text().await;
    assert!(said.contains("refused"), "{said}");
    assert!(!said.contains("answer was lost"), "{said}");
    assert!(vms_named(w, "e2e-503").await.is_empty());
}

async fn instant_vm_422(w: &mut World) {
    deploy_name_refused(w, INSTANT_VM_FORM, "e2e-422").await;
}

async fn instant_vm_401(w: &mut World) {
    deploy_refused(w, INSTANT_VM_FORM, "e2e-401", 401, "Accounts page").await;
}

/// The proxy goes away between the review and the click: nothing reaches the provider, the
/// console cannot check and says so; once a proxy is back, checking finds nothing and the
/// deploy is sent once.
async fn instant_vm_proxy_stopped_before_the_click(w: &mut World) {
    fill_instant_vm(w, "e2e-proxy-gone").await;
    w.browser.submit().await;
    w.browser.wait_for_text(".review", "Review the", WAIT).await;
    w.stop_proxy();
    w.browser.click(Locator::Css(".review button.deploy")).await;
    w.browser
        .wait_for_text(".banner", "Not known whether the deploy happened", WAIT)
        .await;
    w.browser
        .wait_for_text(".banner", "No answer came back", WAIT)
        .await;
    assert_eq!(w.value("#vm-name").await, "e2e-proxy-gone");
    w.restart_proxy();
    w.browser.click_button("Check again").await;
    w.browser
        .wait_for_text(".banner", "The deploy did not happen", WAIT)
        .await;
    w.assert_sent("POST", INSTANT, 0).await;
    // Trying again opens the review; only its Deploy button sends.
    w.browser.click_button("Try the deploy again").await;
    w.browser.wait_for_text(".review", "Review the", WAIT).await;
    w.browser.click(Locator::Css(".review button.deploy")).await;
    w.browser.wait_for_text(".banner", "Deployed", WAIT).await;
    w.assert_sent("POST", INSTANT, 1).await;
    assert_eq!(vms_named(w, "e2e-proxy-gone").await.len(), 1);
}

/// The proxy dies while the deploy is on its way: whether it happened is checked once a proxy
/// is back, and the answer agrees with the provider.
async fn instant_vm_proxy_stopped_mid_request(w: &mut World) {
    fill_instant_vm(w, "e2e-cut").await;
    w.slow().await;
    review_and_deploy(w).await;
    w.browser.wait_for_spinner_with_words("Deploying").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    w.stop_proxy();
    w.browser
        .wait_for_text(".banner", "Not known whether the deploy happened", WAIT)
        .await;
    w.restart_proxy();
    // Let the sandbox finish whatever it received.
    tokio::time::sleep(Duration::from_millis(SLOW_MS + 200)).await;
    w.faults(json!({})).await;
    w.browser.click_button("Check again").await;
    let made = vms_named(w, "e2e-cut").await.len();
    assert!(made <= 1, "one deploy at most: {made}");
    let said = if made == 1 {
        "The deploy happened"
    } else {
        "The deploy did not happen"
    };
    w.browser.wait_for_text(".banner", said, WAIT).await;
    assert!(w.sent("POST", INSTANT).await <= 1);
}

async fn instant_vm_reload_keeps_the_draft(w: &mut World) {
    fill_instant_vm(w, "e2e-draft").await;
    w.browser.set_field("#vm-password", "hunter2-secret").await;
    w.browser.reload().await;
    w.browser
        .wait_for_text("h1", "Deploy an instant VM", WAIT)
        .await;
    w.browser
        .wait_for_text(".draft-notice", "Your draft is kept", WAIT)
        .await;
    assert_eq!(w.value("#vm-name").await, "e2e-draft");
    assert_eq!(w.value("#vm-tags").await, "faults, e2e");
    assert_eq!(w.value("#vm-password").await, "", "never the password");
    let kept = w.browser.session_storage().await;
    assert!(!kept.contains("hunter2-secret"), "{kept}");
    assert!(!kept.contains("demo-voltagepark"), "{kept}");
}

/// A reload while the deploy is on its way: the page checks instead of sending it again.
async fn instant_vm_reload_while_deploying(w: &mut World) {
    fill_instant_vm(w, "e2e-reload").await;
    w.slow().await;
    review_and_deploy(w).await;
    w.browser.wait_for_spinner_with_words("Deploying").await;
    w.browser.reload().await;
    w.browser
        .wait_for_text("h1", "Deploy an instant VM", WAIT)
        .await;
    // The check's own answer comes after the deploy's (both wait as long).
    let banner = w.browser.wait_for_text(".banner", "The deploy", WAIT).await;
    let made = vms_named(w, "e2e-reload").await.len();
    assert!(made <= 1);
    if made == 1 {
        assert!(banner.contains("The deploy happened"), "{banner}");
    } else {
        assert!(banner.contains("did not happen"), "{banner}");
        assert_eq!(w.value("#vm-name").await, "e2e-reload");
    }
    assert!(w.sent("POST", INSTANT).await <= 1);
}

// --- deploy a bare-metal rental ---------------------------------------------------------------

async fn bare_metal_500(w: &mut World) {
    deploy_refused(
        w,
        BARE_METAL_FORM,
        "e2e-bm-500",
        500,
        "internal error (500)",
    )
    .await;
}

async fn bare_metal_422(w: &mut World) {
    deploy_name_refused(w, BARE_METAL_FORM, "e2e-bm-422").await;
}

async fn bare_metal_401(w: &mut World) {
    deploy_refused(w, BARE_METAL_FORM, "e2e-bm-401", 401, "Accounts page").await;
}

async fn bare_metal_answer_lost(w: &mut World) {
    fill_bare_metal(w, "e2e-bm-lost").await;
    w.drop_connection("POST", BARE_METAL, "after").await;
    review_and_deploy(w).await;
    w.browser
        .wait_for_text(".banner", "The deploy happened", WAIT)
        .await;
    w.assert_sent("POST", BARE_METAL, 1).await;
    let rentals = named(w.sandbox(), "/api/v1/bare-metal/?limit=100", "e2e-bm-lost").await;
    assert_eq!(rentals.len(), 1);
}

async fn bare_metal_reload_keeps_the_draft(w: &mut World) {
    fill_bare_metal(w, "e2e-bm-draft").await;
    w.browser.reload().await;
    w.browser.wait_for_text("h1", "Rent bare metal", WAIT).await;
    w.browser
        .wait_for_text(".draft-notice", "Your draft is kept", WAIT)
        .await;
    assert_eq!(w.value("#bm-name").await, "e2e-bm-draft");
}

// --- machine actions --------------------------------------------------------------------------

async fn stop_slow(w: &mut World) {
    let id = vm_id(w, "train-llama-8b").await;
    w.open(&format!("/machines/voltagepark/vm/{id}"), "Machine")
        .await;
    w.browser
        .wait_for_text(".machine-name", "train-llama-8b", WAIT)
        .await;
    w.slow().await;
    w.browser.click_button("Stop").await;
    w.browser.click_button("Stop train-llama-8b").await;
    w.browser.wait_for_spinner_with_words("Working").await;
    w.browser
        .still_takes_focus("dialog[open] button:not([disabled])")
        .await;
    w.browser
        .wait_for_text(".outcome", "Stop requested for train-llama-8b", WAIT)
        .await;
    w.assert_sent("PUT", &format!("{VMS}{id}/power-status"), 1)
        .await;
    assert_eq!(vms_named(w, "train-llama-8b").await[0]["status"], "Stopped");
}

async fn release_500(w: &mut World) {
    let id = vm_id(w, "eval-harness").await;
    w.fail("PUT", &format!("{VMS}{id}/power-status"), 500).await;
    machine_action(w, "vm", &id, "eval-harness", "Stop and release").await;
    w.browser
        .wait_for_text(".outcome", "internal error (500)", WAIT)
        .await;
    w.assert_sent("PUT", &format!("{VMS}{id}/power-status"), 1)
        .await;
    assert_eq!(vms_named(w, "eval-harness").await[0]["status"], "Stopped");
}

async fn stop_401(w: &mut World) {
    let id = vm_id(w, "train-llama-8b").await;
    w.fail("PUT", &format!("{VMS}{id}/power-status"), 401).await;
    machine_action(w, "vm", &id, "train-llama-8b", "Stop").await;
    w.browser
        .wait_for_text(".outcome", "Accounts page", WAIT)
        .await;
    w.assert_sent("PUT", &format!("{VMS}{id}/power-status"), 1)
        .await;
}

async fn terminate_vm_answer_lost(w: &mut World) {
    let id = vm_id(w, "train-llama-8b").await;
    w.drop_connection("DELETE", &format!("{VMS}{id}"), "after")
        .await;
    machine_action(w, "vm", &id, "train-llama-8b", "Terminate").await;
    // The VM is read again: Voltage Park no longer has it, so it was terminated.
    let said = w
        .browser
        .wait_for_text(
            ".outcome",
            "train-llama-8b was terminated: its answer was lost on the way, and Voltage Park no longer has it.",
            WAIT,
        )
        .await;
    assert!(!said.contains("check the list"), "{said}");
    w.browser.snap("26-item6-terminate-vm-answer-lost").await;
    w.assert_sent("DELETE", &format!("{VMS}{id}"), 1).await;
    assert!(vms_named(w, "train-llama-8b").await.is_empty());
}

async fn stop_vm_answer_lost(w: &mut World) {
    let id = vm_id(w, "train-llama-8b").await;
    w.drop_connection("PUT", &format!("{VMS}{id}/power-status"), "after")
        .await;
    machine_action(w, "vm", &id, "train-llama-8b", "Stop").await;
    w.browser
        .wait_for_text(
            ".outcome",
            "Stop requested for train-llama-8b: its answer was lost on the way; read again, it now reads Stopped.",
            WAIT,
        )
        .await;
    w.browser.snap("26-item6-stop-vm-answer-lost").await;
    w.assert_sent("PUT", &format!("{VMS}{id}/power-status"), 1)
        .await;
    assert_eq!(vms_named(w, "train-llama-8b").await[0]["status"], "Stopped");
}

/// The bulk actions tell a lost answer the same way, in the page's notices.
async fn bulk_stop_answer_lost(w: &mut World) {
    let id = vm_id(w, "notebook-a100").await;
    w.open("/machines", "Machines").await;
    w.browser
        .wait_for_text("table", "notebook-a100", WAIT)
        .await;
    w.drop_connection("PUT", &format!("{VMS}{id}/power-status"), "before")
        .await;
    w.browser
        .click(Locator::Css("input[aria-label='Select notebook-a100']"))
        .await;
    w.browser.click_button("Stop (1)").await;
    w.browser
        .wait_for_text("dialog[open]", "Stop 1 machine?", WAIT)
        .await;
    w.browser.click_button("Stop 1 machine").await;
    w.browser
        .wait_for_text(
            ".outcomes",
            "notebook-a100 was not stopped: its answer was lost, and read again it still reads Running. Nothing changed; you can stop it again.",
            WAIT,
        )
        .await;
    w.browser.snap("26-item6-bulk-stop-cut-before").await;
    w.assert_sent("PUT", &format!("{VMS}{id}/power-status"), 1)
        .await;
    assert_eq!(vms_named(w, "notebook-a100").await[0]["status"], "Running");
}

async fn terminate_rental_cut_before(w: &mut World) {
    let rentals = named(
        w.sandbox(),
        "/api/v1/bare-metal/?limit=100",
        "pretrain-cluster",
    )
    .await;
    let id = rentals[0]["id"].as_str().unwrap().to_string();
    w.drop_connection("DELETE", &format!("{BARE_METAL}{id}"), "before")
        .await;
    machine_action(w, "bare-metal", &id, "pretrain-cluster", "Terminate").await;
    // The rentals are read again: it is still there, running, so it was not terminated.
    w.browser
        .wait_for_text(
            ".outcome",
            "pretrain-cluster was not terminated: its answer was lost, and read again it still reads Running.",
            WAIT,
        )
        .await;
    w.browser.snap("26-item6-terminate-rental-cut-before").await;
    w.assert_sent("DELETE", &format!("{BARE_METAL}{id}"), 1)
        .await;
    let still = named(
        w.sandbox(),
        "/api/v1/bare-metal/?limit=100",
        "pretrain-cluster",
    )
    .await;
    assert_eq!(still[0]["status"], "Running");
}

/// A machine's page, with its name and tags changed to `name` and saved.
async fn rename_machine(w: &World, id: &str, name: &str) {
    w.open(&format!("/machines/voltagepark/vm/{id}"), "Machine")
        .await;
    w.browser
        .wait_for_text(".machine-name", "train-llama-8b", WAIT)
        .await;
    w.browser.set_field("#edit-name", name).await;
}

async fn rename_answer_lost(w: &mut World) {
    let id = vm_id(w, "train-llama-8b").await;
    rename_machine(w, &id, "train-renamed").await;
    w.drop_connection("PATCH", &format!("{VMS}{id}"), "after")
        .await;
    w.browser.click_button("Save name and tags").await;
    // Read again, the VM bears the new name: saved, not refused.
    w.browser
        .wait_for_text("form .outcome", "Saved.", WAIT)
        .await;
    w.browser.snap("26-item6-rename-answer-lost").await;
    w.assert_sent("PATCH", &format!("{VMS}{id}"), 1).await;
    assert_eq!(vms_named(w, "train-renamed").await.len(), 1);
}

async fn rename_cut_before(w: &mut World) {
    let id = vm_id(w, "train-llama-8b").await;
    rename_machine(w, &id, "train-not-renamed").await;
    w.drop_connection("PATCH", &format!("{VMS}{id}"), "before")
        .await;
    w.browser.click_button("Save name and tags").await;
    w.browser
        .wait_for_text(
            "form",
            "Not saved: its answer was lost, and read again the machine still has its old name and tags.",
            WAIT,
        )
        .await;
    w.browser.snap("26-item6-rename-cut-before").await;
    assert_eq!(w.value("#edit-name").await, "train-not-renamed");
    w.assert_sent("PATCH", &format!("{VMS}{id}"), 1).await;
    assert_eq!(vms_named(w, "train-llama-8b").await.len(), 1);
}

/// A reload while a stop is on its way: the page comes back with the machine as the provider
/// has it, and the stop was not sent again.
async fn stop_reload_mid_action(w: &mut World) {
    let id = vm_id(w, "train-llama-8b").await;
    w.open(&format!("/machines/voltagepark/vm/{id}"), "Machine")
        .await;
    w.browser
        .wait_for_text(".machine-name", "train-llama-8b", WAIT)
        .await;
    w.slow().await;
    w.browser.click_button("Stop").await;
    w.browser.click_button("Stop train-llama-8b").await;
    w.browser.wait_for_spinner_with_words("Working").await;
    w.browser.reload().await;
    w.browser
        .wait_for_text(".machine-name", "train-llama-8b", WAIT)
        .await;
    tokio::time::sleep(Duration::from_millis(SLOW_MS)).await;
    w.faults(json!({})).await;
    let status = vms_named(w, "train-llama-8b").await[0]["status"]
        .as_str()
        .unwrap()
        .to_string();
    w.browser.reload().await;
    w.browser
        .wait_for_text(".machine-status", &status, WAIT)
        .await;
    assert!(w.sent("PUT", &format!("{VMS}{id}/power-status")).await <= 1);
}

// --- add an SSH key ---------------------------------------------------------------------------

async fn ssh_key_slow(w: &mut World) {
    fill_ssh_key(w, "e2e slow").await;
    w.slow().await;
    w.browser.click_button("Add key").await;
    w.browser.wait_for_spinner_with_words("Adding").await;
    w.browser.still_responds("#key-search").await;
    w.browser
        .wait_for_text(".add-keys .outcome", "Added 1 key: e2e slow.", WAIT)
        .await;
    w.assert_sent("POST", SSH_KEYS, 1).await;
}

async fn ssh_key_500(w: &mut World) {
    fill_ssh_key(w, "e2e five").await;
    w.fail("POST", SSH_KEYS, 500).await;
    w.browser.click_button("Add key").await;
    w.browser
        .wait_for_text(".key-draft", "internal error (500)", WAIT)
        .await;
    assert_ssh_key_kept(w, "e2e five").await;
    w.assert_sent("POST", SSH_KEYS, 1).await;
}

async fn ssh_key_503(w: &mut World) {
    fill_ssh_key(w, "e2e unavailable").await;
    w.fail("POST", SSH_KEYS, 503).await;
    w.browser.click_button("Add key").await;
    let said = w
        .browser
        .wait_for_text(".key-draft", "so nothing was done", WAIT)
        .await;
    assert!(said.contains("Voltage Park refused"), "{said}");
    assert!(!said.contains("answer was lost"), "{said}");
    assert_ssh_key_kept(w, "e2e unavailable").await;
    w.assert_sent("POST", SSH_KEYS, 1).await;
}

async fn ssh_key_422(w: &mut World) {
    fill_ssh_key(w, "e2e refused").await;
    w.refuse_field("POST", SSH_KEYS, "content").await;
    w.browser.click_button("Add key").await;
    let content_errors = w
        .browser
        .wait_for_text(
            ".key-draft div[id$=content-error]",
            "this value was refused",
            WAIT,
        )
        .await;
    assert!(
        content_errors.contains("Voltage Park refused it"),
        "{content_errors}"
    );
    assert_ssh_key_kept(w, "e2e refused").await;
    w.assert_sent("POST", SSH_KEYS, 1).await;
}

async fn ssh_key_401(w: &mut World) {
    fill_ssh_key(w, "e2e revoked").await;
    w.fail("POST", SSH_KEYS, 401).await;
    w.browser.click_button("Add key").await;
    w.browser
        .wait_for_text(".key-draft", "Accounts page", WAIT)
        .await;
    assert_ssh_key_kept(w, "e2e revoked").await;
    w.assert_sent("POST", SSH_KEYS, 1).await;
}

async fn ssh_key_answer_lost(w: &mut World) {
    fill_ssh_key(w, "e2e lost").await;
    w.drop_connection("POST", SSH_KEYS, "after").await;
    w.browser.click_button("Add key").await;
    w.browser
        .wait_for_text(".add-keys .outcome", "Added 1 key: e2e lost.", WAIT)
        .await;
    w.browser
        .wait_for_text("table.ssh-keys tbody", "e2e lost", WAIT)
        .await;
    w.assert_sent("POST", SSH_KEYS, 1).await;
}

async fn ssh_key_cut_before(w: &mut World) {
    fill_ssh_key(w, "e2e cut").await;
    w.drop_connection("POST", SSH_KEYS, "before").await;
    w.browser.click_button("Add key").await;
    w.browser
        .wait_for_text(
            ".key-draft",
            "its answer was lost, and Voltage Park lists no key",
            WAIT,
        )
        .await;
    assert_ssh_key_kept(w, "e2e cut").await;
    w.assert_sent("POST", SSH_KEYS, 1).await;
}

/// A lost answer whose second read fails too: not known, and never "No key was added".
async fn ssh_key_answer_lost_list_fails(w: &mut World) {
    fill_ssh_key(w, "e2e unknown").await;
    w.faults(json!({
        "drop": [{"method": "POST", "path": SSH_KEYS, "when": "after"}],
        "fail": [{"method": "GET", "path": SSH_KEYS, "status": 503}],
    }))
    .await;
    w.browser.click_button("Add key").await;
    let said = w
        .browser
        .wait_for_text(
            ".add-keys .outcome",
            "Not known whether 1 key was added",
            WAIT,
        )
        .await;
    assert!(!said.contains("No key was added"), "{said}");
    w.browser
        .wait_for_text(".key-draft", "It was not sent again", WAIT)
        .await;
    w.browser
        .snap("26-item6-ssh-key-answer-lost-not-known")
        .await;
    assert_ssh_key_kept(w, "e2e unknown").await;
    w.assert_sent("POST", SSH_KEYS, 1).await;
}

async fn ssh_key_reload_keeps_the_draft(w: &mut World) {
    fill_ssh_key(w, "e2e draft").await;
    w.browser.reload().await;
    w.browser.wait_for_text("h1", "SSH keys", WAIT).await;
    w.browser
        .wait_for_text(".key-draft .key-ok", "SHA256:", WAIT)
        .await;
    assert_ssh_key_kept(w, "e2e draft").await;
}

// --- create a storage volume ------------------------------------------------------------------

async fn volume_slow(w: &mut World) {
    fill_volume(w, "e2e-slow").await;
    w.slow().await;
    w.browser.click_button("Create volume").await;
    w.browser.wait_for_spinner_with_words("Creating").await;
    w.browser.still_responds("#new-volume-size_in_gb").await;
    w.browser
        .wait_for_text(".create-volume .outcome", "Volume e2e-slow created", WAIT)
        .await;
    w.assert_sent("POST", STORAGE, 1).await;
}

async fn volume_500(w: &mut World) {
    fill_volume(w, "e2e-500").await;
    w.fail("POST", STORAGE, 500).await;
    w.browser.click_button("Create volume").await;
    w.browser
        .wait_for_text(
            ".create-volume .general-errors",
            "internal error (500)",
            WAIT,
        )
        .await;
    assert_volume_kept(w, "e2e-500").await;
    w.assert_sent("POST", STORAGE, 1).await;
}

async fn volume_503(w: &mut World) {
    fill_volume(w, "e2e-503").await;
    w.fail("POST", STORAGE, 503).await;
    w.browser.click_button("Create volume").await;
    let said = w
        .browser
        .wait_for_text(
            ".create-volume .general-errors",
            "so nothing was done",
            WAIT,
        )
        .await;
    assert!(said.contains("Voltage Park refused"), "{said}");
    assert!(!said.contains("answer was lost"), "{said}");
    assert_volume_kept(w, "e2e-503").await;
    w.assert_sent("POST", STORAGE, 1).await;
    assert_eq!(volumes_named(w, "e2e-503").await, 0);
}

async fn volume_422(w: &mut World) {
    fill_volume(w, "e2e-422").await;
    w.refuse_field("POST", STORAGE, "name").await;
    w.browser.click_button("Create volume").await;
    w.browser
        .wait_for_text("#new-volume-name-error", "this value was refused", WAIT)
        .await;
    assert_volume_kept(w, "e2e-422").await;
    w.assert_sent("POST", STORAGE, 1).await;
}

async fn volume_401(w: &mut World) {
    fill_volume(w, "e2e-401").await;
    w.fail("POST", STORAGE, 401).await;
    w.browser.click_button("Create volume").await;
    w.browser
        .wait_for_text(".create-volume .general-errors", "Accounts page", WAIT)
        .await;
    assert_volume_kept(w, "e2e-401").await;
    w.assert_sent("POST", STORAGE, 1).await;
}

async fn volume_answer_lost(w: &mut World) {
    fill_volume(w, "e2e-lost").await;
    w.drop_connection("POST", STORAGE, "after").await;
    w.browser.click_button("Create volume").await;
    w.browser
        .wait_for_text(".create-volume .outcome", "Volume e2e-lost created", WAIT)
        .await;
    w.browser
        .wait_for_text("article.volume", "e2e-lost", WAIT)
        .await;
    w.assert_sent("POST", STORAGE, 1).await;
    assert_eq!(volumes_named(w, "e2e-lost").await, 1);
}

async fn volume_cut_before(w: &mut World) {
    fill_volume(w, "e2e-cut").await;
    w.drop_connection("POST", STORAGE, "before").await;
    w.browser.click_button("Create volume").await;
    w.browser
        .wait_for_text(
            ".create-volume .general-errors",
            "The volume e2e-cut was not created: its answer was lost",
            WAIT,
        )
        .await;
    assert_volume_kept(w, "e2e-cut").await;
    w.assert_sent("POST", STORAGE, 1).await;
    assert_eq!(volumes_named(w, "e2e-cut").await, 0);
}

/// The storage page with the volume `datasets`' change form open and its name changed to `name`.
async fn rename_volume(w: &World, name: &str) -> String {
    w.open("/storage", "Storage").await;
    w.browser
        .wait_for_text("article.volume", "datasets", WAIT)
        .await;
    w.browser
        .wait_for_text("summary", "Change datasets", WAIT)
        .await;
    w.browser
        .client
        .execute(
            "for (const s of document.querySelectorAll('summary')) if (s.textContent.includes('Change datasets')) s.click();",
            vec![],
        )
        .await
        .unwrap();
    let id = volumes_of(w, "datasets").await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    w.browser
        .set_field(&format!("#volume-{id}-name"), name)
        .await;
    id
}

async fn volume_edit_answer_lost(w: &mut World) {
    let id = rename_volume(w, "datasets-renamed").await;
    w.drop_connection("PATCH", &format!("{STORAGE}{id}"), "after")
        .await;
    w.browser.click_button("Save changes").await;
    // Read again, the volume has the new name: saved (the page then lists the volumes again).
    w.browser
        .wait_for_text("[role=status][aria-live]", "Volume datasets saved.", WAIT)
        .await;
    w.browser
        .wait_for_text("article.volume h2", "datasets-renamed", WAIT)
        .await;
    w.browser.snap("26-item6-volume-edit-answer-lost").await;
    w.assert_sent("PATCH", &format!("{STORAGE}{id}"), 1).await;
    assert_eq!(volumes_named(w, "datasets-renamed").await, 1);
}

async fn volume_edit_cut_before(w: &mut World) {
    let id = rename_volume(w, "datasets-not-renamed").await;
    w.drop_connection("PATCH", &format!("{STORAGE}{id}"), "before")
        .await;
    w.browser.click_button("Save changes").await;
    w.browser
        .wait_for_text(
            ".edit-volume .general-errors",
            "The volume datasets was not changed: its answer was lost, and read again Voltage Park shows it as before.",
            WAIT,
        )
        .await;
    w.browser.snap("26-item6-volume-edit-cut-before").await;
    assert_eq!(
        w.value(&format!("#volume-{id}-name")).await,
        "datasets-not-renamed"
    );
    w.assert_sent("PATCH", &format!("{STORAGE}{id}"), 1).await;
    assert_eq!(volumes_named(w, "datasets").await, 1);
}

async fn volume_reload_keeps_the_draft(w: &mut World) {
    fill_volume(w, "e2e-draft").await;
    w.browser.reload().await;
    w.browser.wait_for_text("h1", "Storage", WAIT).await;
    w.browser
        .wait_for_text("#new-volume-estimate", "42 GB", WAIT)
        .await;
    assert_volume_kept(w, "e2e-draft").await;
}

// --- create and edit a secret -----------------------------------------------------------------

async fn secret_500(w: &mut World) {
    fill_secret(w, "e2e-500", "value-500").await;
    w.fail("POST", SECRETS, 500).await;
    w.browser.click_button("Create secret").await;
    w.browser
        .wait_for_text(".new-secret .general-errors", "internal error (500)", WAIT)
        .await;
    assert_eq!(w.value("#new-secret-name").await, "e2e-500");
    assert_eq!(w.value("#new-secret-value").await, "value-500");
    w.assert_sent("POST", SECRETS, 1).await;
}

async fn secret_422(w: &mut World) {
    fill_secret(w, "e2e-422", "value-422").await;
    w.fail("POST", SECRETS, 422).await;
    w.browser.click_button("Create secret").await;
    w.browser
        .wait_for_text(".new-secret .general-errors", "(422)", WAIT)
        .await;
    assert_eq!(w.value("#new-secret-name").await, "e2e-422");
    assert_eq!(w.value("#new-secret-value").await, "value-422");
    w.assert_sent("POST", SECRETS, 1).await;
}

async fn secret_401(w: &mut World) {
    fill_secret(w, "e2e-401", "value-401").await;
    w.fail("POST", SECRETS, 401).await;
    w.browser.click_button("Create secret").await;
    w.browser
        .wait_for_text(".new-secret .general-errors", "Accounts page", WAIT)
        .await;
    assert_eq!(w.value("#new-secret-name").await, "e2e-401");
    w.assert_sent("POST", SECRETS, 1).await;
}

async fn secret_answer_lost(w: &mut World) {
    fill_secret(w, "e2e-lost", "value-lost").await;
    w.drop_connection("POST", SECRETS, "after").await;
    w.browser.click_button("Create secret").await;
    w.browser
        .wait_for_text(
            ".new-secret .outcome",
            "The secret e2e-lost was created",
            WAIT,
        )
        .await;
    w.browser
        .wait_for_text("table.secrets", "e2e-lost", WAIT)
        .await;
    w.assert_sent("POST", SECRETS, 1).await;
    assert_eq!(secrets_named(w, "e2e-lost").await, 1);
}

async fn secret_reload_keeps_the_name_never_the_value(w: &mut World) {
    fill_secret(w, "e2e-draft", "never-kept-value").await;
    w.browser.reload().await;
    w.browser
        .wait_for_text("table.secrets", "db-password", WAIT)
        .await;
    assert_eq!(w.value("#new-secret-name").await, "e2e-draft");
    assert_eq!(w.value("#new-secret-value").await, "");
    let kept = w.browser.session_storage().await;
    assert!(!kept.contains("never-kept-value"), "{kept}");
}

async fn secret_update_answer_lost(w: &mut World) {
    w.open("/secrets", "Secrets").await;
    w.browser
        .wait_for_text("table.secrets", "db-password", WAIT)
        .await;
    w.drop_connection("PUT", &format!("{SECRETS}/*"), "after")
        .await;
    w.browser
        .click(Locator::Css(
            "button[aria-label='Update the value of db-password']",
        ))
        .await;
    w.browser
        .set_field("#update-secret-value", "new-value-lost")
        .await;
    w.browser.click_button("Save value").await;
    // The update was carried out: the secret read again holds the new value, so it says so.
    let said = w
        .browser
        .wait_for_text(
            ".secrets-section .outcome",
            "The value of db-password was updated",
            WAIT,
        )
        .await;
    assert!(said.contains("answer was lost"), "{said}");
    w.assert_sent("PUT", SECRETS, 1).await;
    let id = secret_id_of(w, "db-password").await;
    let stored: Value = reqwest::Client::new()
        .get(format!("{}{SECRETS}/{id}", w.sandbox()))
        .bearer_auth("demo-netactuate")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stored["value"], "new-value-lost");
}

/// The delete of a secret is carried out but its answer is lost: the console reads the secrets
/// again, says it was deleted, and the row goes; sent once.
async fn secret_delete_answer_lost(w: &mut World) {
    let id = secret_id_of(w, "db-password").await;
    w.open("/secrets", "Secrets").await;
    w.browser
        .wait_for_text("table.secrets", "db-password", WAIT)
        .await;
    w.drop_connection("DELETE", &format!("{SECRETS}/{id}"), "after")
        .await;
    w.browser
        .click(Locator::Css("button[aria-label='Delete db-password']"))
        .await;
    w.browser.click_button("Delete secret").await;
    let said = w
        .browser
        .wait_for_text(
            ".secrets-section .outcome",
            "The secret db-password was deleted",
            WAIT,
        )
        .await;
    assert!(!said.contains("not deleted"), "{said}");
    w.browser
        .wait_for_text_gone("table.secrets", "db-password", WAIT)
        .await;
    w.assert_sent("DELETE", &format!("{SECRETS}/{id}"), 1).await;
    assert_eq!(secrets_named(w, "db-password").await, 0);
}

/// A secret deleted elsewhere since the page was read: NetActuate's 404 means it is gone, so
/// the console says it was already deleted and the row goes.
async fn secret_delete_404(w: &mut World) {
    let id = secret_id_of(w, "db-password").await;
    w.open("/secrets", "Secrets").await;
    w.browser
        .wait_for_text("table.secrets", "db-password", WAIT)
        .await;
    let gone = reqwest::Client::new()
        .delete(format!("{}{SECRETS}/{id}", w.sandbox()))
        .bearer_auth("demo-netactuate")
        .send()
        .await
        .unwrap();
    assert!(gone.status().is_success(), "{}", gone.status());
    w.browser
        .click(Locator::Css("button[aria-label='Delete db-password']"))
        .await;
    w.browser.click_button("Delete secret").await;
    w.browser
        .wait_for_text(
            ".secrets-section .outcome",
            "The secret db-password was already deleted",
            WAIT,
        )
        .await;
    w.browser
        .wait_for_text_gone("table.secrets", "db-password", WAIT)
        .await;
}

/// A list created but its answer lost: the console finds the new list, names it, and says it
/// was created; NetActuate has exactly one such list and no unnamed leftover.
async fn secret_list_create_answer_lost(w: &mut World) {
    let before = secret_lists(w).await.len();
    w.open("/secrets", "Secrets").await;
    w.browser
        .wait_for_text("table.secret-lists", "production", WAIT)
        .await;
    w.drop_connection("POST", SECRET_LISTS, "after").await;
    w.browser.set_field("#new-list-name", "e2e-lost-list").await;
    w.browser.click_button("Create list").await;
    let said = w
        .browser
        .wait_for_text(
            ".new-list .outcome",
            "The list e2e-lost-list was created",
            WAIT,
        )
        .await;
    assert!(said.contains("answer was lost"), "{said}");
    let form = w
        .browser
        .wait_for_text(".new-list", "Create list", WAIT)
        .await;
    assert!(!form.contains("not created"), "{form}");
    w.browser
        .wait_for_text("table.secret-lists", "e2e-lost-list", WAIT)
        .await;
    let lists = secret_lists(w).await;
    assert_eq!(lists.len(), before + 1, "{lists:?}");
    assert_eq!(
        lists.iter().filter(|(_, n)| n == "e2e-lost-list").count(),
        1,
        "{lists:?}"
    );
    let creates = sandbox_requests(w.sandbox(), "POST", SECRET_LISTS)
        .await
        .into_iter()
        .filter(|r| r["path"] == SECRET_LISTS)
        .count();
    assert_eq!(creates, 1);
}

/// A value added and a `.env` key imported whose answers are lost: both were stored, so the
/// console says so (not "Failed") and the table lists them; each sent once.
async fn list_value_answer_lost(w: &mut World) {
    let values = format!("{SECRET_LISTS}/production/values");
    w.open("/secrets/lists/production", "Secret list").await;
    w.browser
        .wait_for_text("h2.list-name", "production", WAIT)
        .await;
    w.browser
        .wait_for_text("table.list-values", "API_KEY", WAIT)
        .await;
    w.drop_connection("POST", &values, "after").await;
    w.browser.set_field("#new-value-key", "E2E_LOST").await;
    w.browser
        .set_field("#new-value-value", "lost-value-1")
        .await;
    w.browser.click_button("Add value").await;
    let said = w
        .browser
        .wait_for_text(".add-value .outcome", "E2E_LOST was added", WAIT)
        .await;
    assert!(said.contains("answer was lost"), "{said}");
    w.browser
        .wait_for_text("table.list-values", "E2E_LOST", WAIT)
        .await;

    w.browser
        .set_field("#env-text", "E2E_IMPORTED=lost-value-2\n")
        .await;
    w.browser.click_button("Preview import").await;
    w.browser.click_button("Apply 1 change").await;
    w.browser
        .wait_for_text(
            ".import-result",
            "✓ Done: its answer was lost, but NetActuate lists it",
            WAIT,
        )
        .await;
    w.browser
        .wait_for_text("table.list-values", "E2E_IMPORTED", WAIT)
        .await;
    w.assert_sent("POST", &values, 2).await;
    let keys = list_keys(w).await;
    for key in ["E2E_LOST", "E2E_IMPORTED"] {
        assert_eq!(keys.iter().filter(|k| *k == key).count(), 1, "{keys:?}");
    }
}

/// The values' read fails on its own: the lists still show, and "All values" says why with
/// Retry instead of showing nothing; Retry reads them.
async fn all_values_503(w: &mut World) {
    w.fail("GET", "/netactuate/api/secrets/all-values", 503)
        .await;
    w.open("/secrets", "Secrets").await;
    w.browser
        .wait_for_text("table.secret-lists", "production", WAIT)
        .await;
    w.browser
        .wait_for_text(".all-values-section .error-panel", "(503)", WAIT)
        .await;
    w.faults(json!({})).await;
    w.browser
        .click(Locator::Css(".all-values-section .error-panel button"))
        .await;
    w.browser
        .wait_for_text("table.all-values", "STAGING_DB_PASSWORD", WAIT)
        .await;
}

/// Reading the secrets again fails after a change: the rows stay, under "As of HH:MM, could not
/// refresh", with Retry.
async fn secrets_kept_when_a_refresh_fails(w: &mut World) {
    fill_secret(w, "e2e-stale", "value-stale").await;
    w.fail("GET", SECRETS, 503).await;
    w.browser.click_button("Create secret").await;
    w.browser
        .wait_for_text(
            ".new-secret .outcome",
            "The secret e2e-stale was created",
            WAIT,
        )
        .await;
    let notice = w
        .browser
        .wait_for_text(
            ".secrets-section .stale-notice",
            "could not refresh the secrets",
            WAIT,
        )
        .await;
    assert!(notice.contains("As of "), "{notice}");
    w.browser
        .wait_for_text("table.secrets", "db-password", WAIT)
        .await;
    w.faults(json!({})).await;
    w.browser
        .click(Locator::Css(".secrets-section .stale-notice button"))
        .await;
    w.browser
        .wait_for_text("table.secrets", "e2e-stale", WAIT)
        .await;
    w.browser
        .wait_for_text_gone(".secrets-section", "could not refresh", WAIT)
        .await;
}

// --- enable Octos API access ------------------------------------------------------------------

async fn octos_enable_slow(w: &mut World) {
    octos_logged_in(w).await;
    w.browser.set_field("#octos-token-name", "e2e-slow").await;
    w.slow().await;
    w.browser.click_button("Enable API access").await;
    w.browser.wait_for_spinner_with_words("Enabling").await;
    w.browser.still_responds("#octos-token-name").await;
    w.browser
        .wait_for_text(".new-token", "will not show it again", WAIT)
        .await;
    w.assert_sent("POST", OCTOS_ENABLE, 1).await;
}

async fn octos_enable_500(w: &mut World) {
    octos_logged_in(w).await;
    w.browser.set_field("#octos-token-name", "e2e-500").await;
    w.fail("POST", OCTOS_ENABLE, 500).await;
    w.browser.click_button("Enable API access").await;
    w.browser
        .wait_for_text(".octos-enable .error-panel", "internal error (500)", WAIT)
        .await;
    assert_eq!(w.value("#octos-token-name").await, "e2e-500");
    w.assert_sent("POST", OCTOS_ENABLE, 1).await;
}

/// API access enabled but the answer lost: the console retrieves the new token itself, shows
/// it once and offers to save it as an account; the enable was sent once.
async fn octos_enable_answer_lost(w: &mut World) {
    octos_logged_in(w).await;
    w.browser.set_field("#octos-token-name", "e2e-lost").await;
    w.drop_connection("POST", OCTOS_ENABLE, "after").await;
    w.browser.click_button("Enable API access").await;
    let said = w
        .browser
        .wait_for_text(".octos-enable .outcome", "API access is enabled", WAIT)
        .await;
    assert!(said.contains("retrieved the new token"), "{said}");
    w.browser
        .wait_for_text(".new-token", "Save as an Octos account", WAIT)
        .await;
    w.browser.click_button("Save as an Octos account").await;
    w.browser
        .wait_for_text(".new-token", "Saved as the Octos account e2e-lost", WAIT)
        .await;
    w.assert_sent("POST", OCTOS_ENABLE, 1).await;
    // The saved token is the one Octos has now: the VMs list with it (moving within the
    // console, which keeps the account).
    w.browser.go_to_area("Octos").await;
    w.browser.wait_for_text("h1", "Octos Cloud", WAIT).await;
    w.browser
        .click(Locator::XPath(
            "//main//a[normalize-space()='Virtual machines']",
        ))
        .await;
    w.browser
        .wait_for_text("table.resources", "postgres-primary", WAIT)
        .await;
    w.browser
        .wait_for_text(".acting-as", "e2e-lost", WAIT)
        .await;
}

async fn octos_enable_reload_keeps_the_draft(w: &mut World) {
    octos_logged_in(w).await;
    w.browser.set_field("#octos-token-name", "e2e-draft").await;
    w.browser.reload().await;
    w.browser
        .wait_for_text("h1", "Octos API access", WAIT)
        .await;
    // The session token lives in the page's memory only: log in again; the name is still there.
    w.browser
        .set_field("#octos-email", "demo@cloudpane.dev")
        .await;
    w.browser
        .set_field("#octos-password", "demo-password")
        .await;
    w.browser.click_button("Log in").await;
    w.browser.wait_for_text(".notice", "Logged in", WAIT).await;
    assert_eq!(w.value("#octos-token-name").await, "e2e-draft");
    let kept = w.browser.session_storage().await;
    assert!(!kept.contains("demo-password"), "{kept}");
}

/// The Octos token is disabled elsewhere: the next page that uses it says so and where to fix it.
async fn octos_token_revoked(w: &mut World) {
    let disabled = reqwest::Client::new()
        .delete(format!(
            "{}/octos/backend/api/profile/api/disable",
            w.sandbox()
        ))
        .bearer_auth("demo-octos")
        .send()
        .await
        .unwrap();
    assert!(disabled.status().is_success(), "{}", disabled.status());
    w.open("/octos/vms", "Octos VMs").await;
    w.browser
        .wait_for_text(".error-panel", "The API token was refused", WAIT)
        .await;
    w.browser
        .wait_for_text(".error-panel", "Accounts page", WAIT)
        .await;
}

// --- accounts ---------------------------------------------------------------------------------

async fn account_test_slow(w: &mut World) {
    fill_account(w, "e2e-slow", "demo-voltagepark").await;
    w.slow().await;
    w.browser.click_button("Test connection").await;
    w.browser.wait_for_spinner_with_words("Testing").await;
    w.browser.still_responds("#account-name").await;
    w.browser
        .wait_for_text(".add-account .connection-outcome", "Connected", WAIT)
        .await;
}

async fn account_test_500(w: &mut World) {
    fill_account(w, "e2e-500", "demo-voltagepark").await;
    w.fail("GET", "/voltagepark/api/v1/billing/hourly-rate", 500)
        .await;
    w.browser.click_button("Test connection").await;
    w.browser
        .wait_for_text(
            ".add-account .connection-outcome",
            "internal error (500)",
            WAIT,
        )
        .await;
    assert_eq!(w.value("#account-name").await, "e2e-500");
    assert_eq!(w.value("#account-token").await, "demo-voltagepark");
}

/// A token revoked at the provider: a page using it names the Accounts page as the fix.
async fn revoked_token_names_the_accounts_page(w: &mut World) {
    w.fail("GET", "/voltagepark/*", 401).await;
    for (path, heading) in [("/ssh-keys", "SSH keys"), ("/storage", "Storage")] {
        w.open(path, heading).await;
        let panel = w
            .browser
            .wait_for_text(".error-panel", "did not accept the token (401)", WAIT)
            .await;
        assert!(panel.contains("Accounts page"), "{panel}");
    }
}

async fn account_reload_keeps_the_name_never_the_token(w: &mut World) {
    fill_account(w, "e2e-draft", "tok-never-kept").await;
    w.browser.reload().await;
    w.browser.wait_for_text("h1", "Accounts", WAIT).await;
    assert_eq!(w.value("#account-name").await, "e2e-draft");
    assert_eq!(w.value("#account-token").await, "");
    let kept = w.browser.session_storage().await;
    assert!(!kept.contains("tok-never-kept"), "{kept}");
}

// --- the matrix -------------------------------------------------------------------------------

type Case = for<'a> fn(&'a mut World) -> Pin<Box<dyn Future<Output = ()> + 'a>>;

macro_rules! cases {
    ($($f:ident),* $(,)?) => {
        vec![$((stringify!($f), (|w| Box::pin($f(w))) as Case)),*]
    };
}

/// Catches a case's panic so the others still run and every failure is listed.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(e) => Poll::Ready(Err(e)),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_journey_survives_its_faults() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let port = port_of(&proxy);
    let mut world = World {
        sandbox,
        proxy: Some(proxy),
        port,
        browser: Browser::start().await,
    };
    let cases: Vec<(&str, Case)> = cases![
        instant_vm_slow,
        instant_vm_500,
        instant_vm_503,
        instant_vm_422,
        instant_vm_401,
        instant_vm_proxy_stopped_before_the_click,
        instant_vm_proxy_stopped_mid_request,
        instant_vm_reload_keeps_the_draft,
        instant_vm_reload_while_deploying,
        bare_metal_500,
        bare_metal_422,
        bare_metal_401,
        bare_metal_answer_lost,
        bare_metal_reload_keeps_the_draft,
        stop_slow,
        release_500,
        stop_401,
        terminate_vm_answer_lost,
        stop_vm_answer_lost,
        bulk_stop_answer_lost,
        terminate_rental_cut_before,
        rename_answer_lost,
        rename_cut_before,
        stop_reload_mid_action,
        ssh_key_slow,
        ssh_key_500,
        ssh_key_503,
        ssh_key_422,
        ssh_key_401,
        ssh_key_answer_lost,
        ssh_key_cut_before,
        ssh_key_answer_lost_list_fails,
        ssh_key_reload_keeps_the_draft,
        volume_slow,
        volume_500,
        volume_503,
        volume_422,
        volume_401,
        volume_answer_lost,
        volume_cut_before,
        volume_edit_answer_lost,
        volume_edit_cut_before,
        volume_reload_keeps_the_draft,
        secret_500,
        secret_422,
        secret_401,
        secret_answer_lost,
        secret_reload_keeps_the_name_never_the_value,
        secret_update_answer_lost,
        secret_delete_answer_lost,
        secret_delete_404,
        secret_list_create_answer_lost,
        list_value_answer_lost,
        all_values_503,
        secrets_kept_when_a_refresh_fails,
        octos_enable_slow,
        octos_enable_500,
        octos_enable_answer_lost,
        octos_enable_reload_keeps_the_draft,
        octos_token_revoked,
        account_test_slow,
        account_test_500,
        revoked_token_names_the_accounts_page,
        account_reload_keeps_the_name_never_the_token,
    ];
    let only = std::env::var("FAULT_CASES").unwrap_or_default();
    let mut failed = Vec::new();
    let mut ran = 0;
    let started = Instant::now();
    for (name, case) in cases {
        if !only.is_empty() && !only.split(',').any(|o| name.contains(o.trim())) {
            continue;
        }
        world.fresh().await;
        let at = Instant::now();
        let outcome = CatchUnwind(Box::pin(case(&mut world))).await;
        ran += 1;
        eprintln!(
            "fault case {name}: {} in {:.1} s",
            if outcome.is_ok() { "ok" } else { "FAILED" },
            at.elapsed().as_secs_f64()
        );
        if outcome.is_err() {
            failed.push(name);
        }
    }
    eprintln!(
        "{ran} fault cases in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    assert!(ran > 0, "no case matched FAULT_CASES={only}");
    assert!(failed.is_empty(), "failed fault cases: {failed:?}");
    world.browser.close().await;
}
