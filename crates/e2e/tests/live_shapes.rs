//! The console on the sandbox answering in the shapes public clients recorded from the live APIs
//! (`cloudpane-sandbox --shapes live`, issue 27): every machine of the seeded accounts listed, an
//! instant VM and a bare-metal rental deployed, a secret-list value edited and a `.env` imported,
//! and the Octos token retrieved and rotated. One sandbox, proxy and browser for the file; each
//! step runs even when one before it failed, and the test ends with which steps passed.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use cloudpane_e2e::{
    sandbox_admin, sandbox_requests, start_demo_proxy, start_sandbox_with, Browser, Server, WAIT,
};
use fantoccini::Locator;
use reqwest::Method;
use serde_json::{json, Value};

const VP_TOKEN: &str = "demo-voltagepark";
const NA_TOKEN: &str = "demo-netactuate";
const OCTOS_TOKEN: &str = "demo-octos";

/// What the person works with: the sandbox (live shapes), the proxy in demo mode, a browser.
struct World {
    sandbox: Server,
    proxy: Server,
    browser: Browser,
}

impl World {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.proxy.url)
    }

    /// A provider object of the sandbox, read directly with `token` (not through the proxy).
    async fn sandbox_get(&self, path: &str, token: &str) -> Value {
        let res = reqwest::Client::new()
            .get(format!("{}{path}", self.sandbox.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.json().await.unwrap()
    }
}

/// Runs each step to its end, even after one failed (a panic), and says which passed and, for
/// the others, why and what the page said.
struct Journey<'a> {
    browser: &'a Browser,
    results: Vec<(&'static str, Result<(), String>)>,
}

impl<'a> Journey<'a> {
    fn new(browser: &'a Browser) -> Self {
        Self {
            browser,
            results: Vec::new(),
        }
    }

    async fn step(&mut self, name: &'static str, step: impl Future<Output = ()>) {
        let outcome = match CatchPanic(Box::pin(step)).await {
            Ok(()) => Ok(()),
            Err(panic) => {
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "a panic without a message".into());
                // Some failures carry the page's source (printed above); its words say more.
                let why = text
                    .split("; the page:")
                    .next()
                    .unwrap_or_default()
                    .to_string();
                let page: String = match self.browser.client.find(Locator::Css("main")).await {
                    Ok(main) => main.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                let page: String = page.chars().take(600).collect();
                Err(format!(
                    "{why}\n      the page said: {}",
                    page.replace('\n', " | ")
                ))
            }
        };
        self.results.push((name, outcome));
    }

    fn assert_every_step_passed(&self) {
        let mut summary = String::from("journey on --shapes live:\n");
        for (name, outcome) in &self.results {
            match outcome {
                Ok(()) => summary.push_str(&format!("  ✓ {name}\n")),
                Err(why) => summary.push_str(&format!("  ✗ {name}: {why}\n")),
            }
        }
        eprintln!("{summary}");
        assert!(
            self.results.iter().all(|(_, outcome)| outcome.is_ok()),
            "{summary}"
        );
    }
}

/// A future whose panic becomes an `Err`, so the next step still runs.
struct CatchPanic<'a>(Pin<Box<dyn Future<Output = ()> + 'a>>);

impl Future for CatchPanic<'_> {
    type Output = Result<(), Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match std::panic::catch_unwind(AssertUnwindSafe(|| self.0.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(())) => Poll::Ready(Ok(())),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_console_on_the_live_shapes() {
    let sandbox = start_sandbox_with(&["--shapes", "live", "--frozen-clock"]);
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    let w = World {
        sandbox,
        proxy,
        browser,
    };
    let mut journey = Journey::new(&w.browser);
    journey
        .step(
            "every machine of the seeded accounts is listed",
            see_every_machine(&w),
        )
        .await;
    journey
        .step("an instant VM is deployed", deploy_an_instant_vm(&w))
        .await;
    journey
        .step(
            "a bare-metal rental is deployed and reaches Running",
            rent_bare_metal(&w),
        )
        .await;
    journey
        .step(
            "the SSH keys, storage and billing pages read every row",
            see_keys_storage_and_billing(&w),
        )
        .await;
    journey
        .step("a secret-list value is edited", edit_a_list_value(&w))
        .await;
    journey
        .step(
            "a .env block is imported into a list",
            import_a_env_block(&w),
        )
        .await;
    journey
        .step(
            "the Octos token is retrieved and rotated",
            rotate_the_octos_token(&w),
        )
        .await;
    journey.assert_every_step_passed();
    w.browser.close().await;
}

/// The name each seeded machine shows under, read from the sandbox in its live shapes.
async fn seeded_machine_names(w: &World) -> Vec<String> {
    let text = |v: &Value| v.as_str().unwrap().to_string();
    let mut names = Vec::new();
    let vms = w
        .sandbox_get("/voltagepark/api/v1/virtual-machines/?limit=100", VP_TOKEN)
        .await;
    names.extend(
        vms["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| text(&v["name"])),
    );
    let rentals = w
        .sandbox_get("/voltagepark/api/v1/bare-metal/?limit=100", VP_TOKEN)
        .await;
    names.extend(
        rentals["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| text(&r["name"])),
    );
    // Live: the v3 envelope, the list paged inside `data`.
    let servers = w
        .sandbox_get("/netactuate/api/v3/servers?limit=100", NA_TOKEN)
        .await;
    names.extend(servers["data"]["data"].as_array().unwrap().iter().map(|s| {
        let fqdn = text(&s["fqdn"]);
        fqdn.split('.').next().unwrap().to_string()
    }));
    let octos = w
        .sandbox_get("/octos/backend/api/virtual-machines", OCTOS_TOKEN)
        .await;
    names.extend(
        octos["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| text(&v["name"])),
    );
    names
}

async fn see_every_machine(w: &World) {
    let names = seeded_machine_names(w).await;
    assert!(names.len() >= 12, "the seeded accounts: {names:?}");
    w.browser.open(&w.url("/machines"), "Machines").await;
    for name in &names {
        w.browser.wait_for_text("tbody tr", name, WAIT).await;
    }
    // Stopped VMs have no address live (`public_ip: null`), and say so in words, not a blank.
    let stopped = w
        .browser
        .wait_for_text("tbody tr", "eval-harness", WAIT)
        .await;
    assert!(stopped.contains("Stopped"), "{stopped}");
    let main = w.browser.main_text().await;
    assert!(
        !main.contains("could not be read") && !main.contains("Could not"),
        "every row read: {main}"
    );
}

/// Clicks the review's Deploy button once and waits for the outcome.
async fn deploy_from_the_review(w: &World) {
    w.browser.wait_for_text(".review", "Review the", WAIT).await;
    w.browser.click(Locator::Css(".review button.deploy")).await;
    w.browser.wait_for_text(".banner", "Deployed", WAIT).await;
}

async fn deploy_an_instant_vm(w: &World) {
    w.browser.open(&w.url("/deploy"), "Deploy").await;
    w.browser.set_field("#need-gpus", "1").await;
    w.browser
        .wait_for_text(".row-count", "to get 1 GPU of any model now", WAIT)
        .await;
    w.browser
        .click(Locator::XPath(
            "(//tr[contains(., 'Instant VM')]//a[normalize-space()='Deploy'])[1]",
        ))
        .await;
    w.browser
        .wait_for_text("h1", "Deploy an instant VM", WAIT)
        .await;
    w.browser
        .wait_for_text(".cost-panel", "Per hour", WAIT)
        .await;
    w.browser.set_field("#vm-name", "live-instant").await;
    w.browser.submit().await;
    deploy_from_the_review(w).await;
    w.browser.wait_for_text(".banner", "ssh ", WAIT).await;
    let posts = sandbox_requests(
        &w.sandbox.url,
        "POST",
        "/voltagepark/api/v1/virtual-machines/instant",
    )
    .await;
    assert_eq!(posts.len(), 1, "one deploy: {posts:?}");
    // The presets came from the current catalogue, which the live API serves.
    let catalogue = sandbox_requests(
        &w.sandbox.url,
        "GET",
        "/voltagepark/api/v1/virtual-machines/instant/locations",
    )
    .await;
    assert!(
        catalogue.iter().any(|r| r["status"] == 200),
        "{catalogue:?}"
    );
    let vms = w
        .sandbox_get("/voltagepark/api/v1/virtual-machines/?limit=100", VP_TOKEN)
        .await;
    let vm = vms["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "live-instant")
        .expect("the sandbox has the new VM")
        .clone();
    // Deployed without tags: `null` live, and the table still lists it.
    assert!(vm["tags"].is_null(), "{vm}");
    w.browser.open(&w.url("/machines"), "Machines").await;
    w.browser
        .wait_for_text("tbody tr", "live-instant", WAIT)
        .await;
    w.browser
        .wait_for_text("tbody tr", "train-llama-8b", WAIT)
        .await;
}

async fn rent_bare_metal(w: &World) {
    w.browser.open(&w.url("/deploy"), "Deploy").await;
    w.browser.set_field("#need-gpus", "8").await;
    w.browser
        .wait_for_text(".row-count", "to get 8 GPUs of any model", WAIT)
        .await;
    w.browser
        .click(Locator::XPath(
            "(//tr[contains(., 'Bare metal')]//a[normalize-space()='Deploy'])[1]",
        ))
        .await;
    w.browser.wait_for_text("h1", "Rent bare metal", WAIT).await;
    // Live prices are strings ("1.99"): the estimate still has a price.
    w.browser
        .wait_for_text(".cost-panel", "Per hour", WAIT)
        .await;
    w.browser.set_field("#bm-name", "live-metal").await;
    w.browser.submit().await;
    deploy_from_the_review(w).await;
    // Live, a pending rental carries no `status`: the console still says it is pending.
    w.browser.wait_for_text(".banner", "Pending", WAIT).await;
    sandbox_admin(
        &w.sandbox.url,
        Method::POST,
        "/clock/advance",
        Some(json!({"minutes": 30})),
    )
    .await;
    w.browser
        .wait_for_text(".banner", "Running", Duration::from_secs(40))
        .await;
    let posts = sandbox_requests(&w.sandbox.url, "POST", "/voltagepark/api/v1/bare-metal/").await;
    assert_eq!(posts.len(), 1, "one rental: {posts:?}");
    w.browser.open(&w.url("/machines"), "Machines").await;
    w.browser
        .wait_for_text("tbody tr", "live-metal", WAIT)
        .await;
    w.browser
        .wait_for_text("tbody tr", "pretrain-cluster", WAIT)
        .await;
}

/// Asserts no row of the page was left unread (`UnreadableRows` says "could not be read").
async fn every_row_read(w: &World, what: &str) {
    let main = w.browser.main_text().await;
    assert!(!main.contains("could not be read"), "{what}: {main}");
}

async fn see_keys_storage_and_billing(w: &World) {
    w.browser.open(&w.url("/ssh-keys"), "SSH keys").await;
    w.browser.wait_for_text("main", "alice-laptop", WAIT).await;
    every_row_read(w, "SSH keys").await;
    w.browser.open(&w.url("/storage"), "Storage").await;
    w.browser.wait_for_text("main", "datasets", WAIT).await;
    every_row_read(w, "storage").await;
    // Live, storage lines link a `storage_block_instance`, and a credit is `type: "other"`.
    w.browser.open(&w.url("/billing"), "Billing").await;
    w.browser
        .wait_for_text("#runway", "The balance lasts", WAIT)
        .await;
    w.browser
        .wait_for_text("table.burn-parts", "datasets", WAIT)
        .await;
    every_row_read(w, "billing").await;
}

/// The list values of the sandbox's list `list` as (key, value), read in the live envelope.
async fn list_values(w: &World, list: &str) -> Vec<(String, String)> {
    let values = w
        .sandbox_get(
            &format!("/netactuate/api/secrets/lists/{list}/values?limit=100"),
            NA_TOKEN,
        )
        .await;
    values["data"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["secret_key"].as_str().unwrap().to_string(),
                v["secret_value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn open_the_list(w: &World, list: &str) {
    w.browser.open(&w.url("/secrets"), "Secrets").await;
    w.browser
        .wait_for_text("table.secret-lists", list, WAIT)
        .await;
    w.browser.click(Locator::LinkText(list)).await;
    w.browser.wait_for_text("h2.list-name", list, WAIT).await;
}

async fn edit_a_list_value(w: &World) {
    open_the_list(w, "production").await;
    w.browser
        .wait_for_text("table.list-values", "STRIPE_KEY", WAIT)
        .await;
    w.browser
        .click(Locator::Css("button[aria-label='Edit STRIPE_KEY']"))
        .await;
    w.browser
        .set_field("#edit-value-2-value", "sk_live_changed_5555")
        .await;
    w.browser
        .click(Locator::XPath(
            "//form[contains(@class,'edit-value')]//button[normalize-space()='Save']",
        ))
        .await;
    w.browser
        .wait_for_text_gone("form.edit-value", "Save", WAIT)
        .await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let values = list_values(w, "production").await;
        if values.contains(&("STRIPE_KEY".into(), "sk_live_changed_5555".into())) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the sandbox never held the new value: {values:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let updates = sandbox_requests(
        &w.sandbox.url,
        "POST",
        "/netactuate/api/secrets/lists/production/values/2",
    )
    .await;
    assert_eq!(updates.len(), 1, "one update: {updates:?}");
    assert_eq!(updates[0]["status"], 200);
}

async fn import_a_env_block(w: &World) {
    open_the_list(w, "production").await;
    w.browser
        .wait_for_text("table.list-values", "DB_PASSWORD", WAIT)
        .await;
    w.browser
        .set_field(
            "#env-text",
            "# from the live journey\nLIVE_NEW=\"fresh live value\"\nAPI_KEY=replaced-7777\n",
        )
        .await;
    w.browser.click_button("Preview import").await;
    w.browser
        .wait_for_text(".import-preview", "1 new, 1 changed", WAIT)
        .await;
    w.browser.click_button("Apply 2 changes").await;
    w.browser
        .wait_for_text(".import-progress", "2 of 2 sent", WAIT)
        .await;
    w.browser
        .wait_for_text("table.list-values", "LIVE_NEW", WAIT)
        .await;
    let values = list_values(w, "production").await;
    assert!(
        values.contains(&("LIVE_NEW".into(), "fresh live value".into()))
            && values.contains(&("API_KEY".into(), "replaced-7777".into())),
        "{values:?}"
    );
}

async fn rotate_the_octos_token(w: &World) {
    w.browser
        .open(&w.url("/octos/api-access"), "Octos API access")
        .await;
    w.browser
        .set_field("#octos-email", "demo@cloudpane.dev")
        .await;
    w.browser
        .set_field("#octos-password", "demo-password")
        .await;
    w.browser.click_button("Log in").await;
    w.browser.wait_for_text(".notice", "Logged in", WAIT).await;
    w.browser.click_button("Retrieve the current token").await;
    w.browser
        .wait_for_text(".current-token-value", "•", WAIT)
        .await;
    w.browser
        .click(Locator::Css(
            "button[aria-label='Reveal the current API token']",
        ))
        .await;
    w.browser
        .wait_for_text(".current-token-value", OCTOS_TOKEN, WAIT)
        .await;
    // Rotating disables the token (live: an answer without `data`), then enables a new one.
    w.browser.click_button("Rotate the token…").await;
    w.browser
        .wait_for_text("dialog[open]", "Rotate", WAIT)
        .await;
    w.browser.click_button("Rotate the token").await;
    w.browser
        .wait_for_text(".octos-danger", "Token rotated", WAIT)
        .await;
    let status = |token: &'static str| {
        let url = format!("{}/octos/backend/api/virtual-machines", w.sandbox.url);
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        status(OCTOS_TOKEN).await,
        401,
        "the old token is out of use"
    );
    let disables = sandbox_requests(
        &w.sandbox.url,
        "DELETE",
        "/octos/backend/api/profile/api/disable",
    )
    .await;
    assert_eq!(disables.len(), 1, "{disables:?}");
    let enables = sandbox_requests(
        &w.sandbox.url,
        "POST",
        "/octos/backend/api/profile/api/enable",
    )
    .await;
    assert_eq!(enables.len(), 1, "{enables:?}");
    assert_eq!(enables[0]["status"], 200);
}
