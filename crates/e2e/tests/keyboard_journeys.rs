//! Keyboard-only journeys, end to end: the real proxy and sandbox, the release app, headless
//! Chromium, and only the keys a person without a mouse uses (Tab, Shift+Tab, Enter, Space,
//! Escape, and typing into the field that has focus). Nothing is clicked and no script
//! moves focus. Each journey ends in the sandbox: the state it should be in, and exactly one
//! billable or destructive request in its log. Focus must stay somewhere (never fall to the
//! page) and be drawn where it is.

use std::time::Duration;

use cloudpane_e2e::fantoccini::key::Key;
use cloudpane_e2e::{
    sandbox_admin, sandbox_requests, sandbox_reset, sandbox_voltagepark, start_demo_proxy,
    start_sandbox, Browser, Server, WAIT,
};
use reqwest::Method;
use serde_json::Value;

/// Enough Tab presses to cross the header and the navigation to a page's content.
const TABS: usize = 60;

/// The requests that change something (anything but GET), as "METHOD path".
async fn changes(sandbox: &Server) -> Vec<String> {
    let log = sandbox_admin(&sandbox.url, Method::GET, "/requests", None).await;
    log["requests"]
        .as_array()
        .expect("the request log is a list")
        .iter()
        .filter(|r| r["method"] != "GET")
        .map(|r| {
            format!(
                "{} {}",
                r["method"].as_str().unwrap(),
                r["path"].as_str().unwrap()
            )
        })
        .collect()
}

/// Back to the seeded state, with an empty request log.
async fn vm_named(sandbox: &Server, name: &str) -> Option<Value> {
    let vms = sandbox_voltagepark(&sandbox.url, "/api/v1/virtual-machines/?limit=100").await;
    vms["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .cloned()
}

/// Waits until something in particular has focus again (after a page redraws, a dialog
/// closes, a button is busy), and returns it.
/// The machines list, then Tab to the link of the machine `name` (focus shown on it).
async fn tab_to_machine(browser: &Browser, proxy: &Server, name: &str) {
    browser
        .open(&format!("{}/machines", proxy.url), "Machines")
        .await;
    browser.wait_for_text("tbody tr", name, WAIT).await;
    browser
        .tab_until(
            |f| f.tag == "a" && f.name == name,
            &format!("the {name} link"),
            TABS + 60,
            false,
        )
        .await;
    browser.assert_focus_visible("a machine's link").await;
}

async fn focus_kept(browser: &Browser, after: &str) -> cloudpane_e2e::Focused {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let now = browser.focused().await;
        if !now.is_lost() {
            return now;
        }
        if std::time::Instant::now() > deadline {
            panic!("after {after}, focus fell to the page and stayed there");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_journey_with_the_keyboard_alone() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    let started = std::time::Instant::now();

    deploy_an_instant_vm_from_the_board(&browser, &sandbox, &proxy).await;
    sandbox_reset(&sandbox.url).await;
    stop_and_release_a_vm(&browser, &sandbox, &proxy).await;
    sandbox_reset(&sandbox.url).await;
    terminate_a_rental(&browser, &sandbox, &proxy).await;
    sandbox_reset(&sandbox.url).await;
    add_an_ssh_key(&browser, &sandbox, &proxy).await;
    sandbox_reset(&sandbox.url).await;
    reveal_and_copy_a_secret(&browser, &sandbox, &proxy).await;
    sandbox_reset(&sandbox.url).await;
    enable_octos_api_access(&browser, &sandbox, &proxy).await;
    sandbox_reset(&sandbox.url).await;
    // Last: it leaves accounts remembered in this browser.
    unlock_the_vault(&browser, &sandbox, &proxy).await;

    eprintln!("seven keyboard journeys in {:?}", started.elapsed());
    browser.close().await;
}

/// The board, the cheapest instant VM's Deploy link, the form, the review, Deploy: one request.
async fn deploy_an_instant_vm_from_the_board(browser: &Browser, sandbox: &Server, proxy: &Server) {
    browser
        .open(&format!("{}/deploy", proxy.url), "Deploy")
        .await;
    browser.wait_for_text("tbody tr", "Instant VM", WAIT).await;
    browser
        .tab_until(
            |f| f.tag == "a" && f.name.starts_with("Deploy ") && f.name.contains("Instant VM"),
            "the first instant VM's Deploy link",
            TABS + 40,
            false,
        )
        .await;
    browser
        .assert_focus_visible("the board's Deploy link")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text("h1", "Deploy an instant VM", WAIT)
        .await;
    browser.wait_for_text(".cost-panel", "Per hour", WAIT).await;
    // The link that had focus is gone with the board: focus is on the new page's main region,
    // not back at the top of the document.
    browser.wait_for_focus("#main", WAIT).await;
    browser.tab_to("#vm-name", TABS).await;
    browser.assert_focus_visible("the name field").await;
    browser.type_keys("kb-instant").await;
    // Enter in a field submits the form: the review.
    browser.press(Key::Enter).await;
    browser.wait_for_focus("#review-title", WAIT).await;
    browser.tab_to("Deploy for", 10).await;
    browser
        .assert_focus_visible("the review's Deploy button")
        .await;
    browser.press(Key::Enter).await;
    browser.wait_for_text(".banner", "Deployed", WAIT).await;
    focus_kept(browser, "the deploy").await;

    let posts = sandbox_requests(
        &sandbox.url,
        "POST",
        "/voltagepark/api/v1/virtual-machines/instant",
    )
    .await;
    assert_eq!(posts.len(), 1, "one deploy request: {posts:?}");
    assert_eq!(
        changes(sandbox).await,
        ["POST /voltagepark/api/v1/virtual-machines/instant"],
        "nothing else was changed"
    );
    let vm = vm_named(sandbox, "kb-instant")
        .await
        .expect("the sandbox has the new VM");
    assert_ne!(vm["status"], "Terminated");
}

/// Machines, the stopped VM's page, Stop and release, confirmed in the dialog: one request,
/// and the VM released.
async fn stop_and_release_a_vm(browser: &Browser, sandbox: &Server, proxy: &Server) {
    let vm = vm_named(sandbox, "eval-harness")
        .await
        .expect("a seeded VM");
    assert_eq!(vm["status"], "Stopped");
    let id = vm["id"].as_str().unwrap().to_string();
    tab_to_machine(browser, proxy, "eval-harness").await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text(".machine-name", "eval-harness", WAIT)
        .await;
    browser.tab_to("Stop and release", TABS).await;
    browser
        .assert_focus_visible("the Stop and release button")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text("dialog[open]", "Stop and release eval-harness?", WAIT)
        .await;
    // Escape closes it, sending nothing, and focus goes back to the button that opened it.
    browser.press(Key::Escape).await;
    browser
        .wait_for_text_gone("dialog[open]", "eval-harness", WAIT)
        .await;
    browser.wait_for_focus("Stop and release", WAIT).await;
    assert!(changes(sandbox).await.is_empty(), "Escape sent nothing");
    browser.press(Key::Enter).await;
    browser
        .wait_for_text("dialog[open]", "Stop and release eval-harness?", WAIT)
        .await;
    // Focus is in the dialog; Tab reaches its confirm button.
    browser.tab_to("Stop and release eval-harness", 5).await;
    browser
        .assert_focus_visible("the dialog's confirm button")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text(
            ".outcome",
            "Stop and release requested for eval-harness",
            WAIT,
        )
        .await;
    browser
        .wait_for_text_gone("dialog[open]", "eval-harness", WAIT)
        .await;
    focus_kept(browser, "the dialog closed").await;

    assert_eq!(
        changes(sandbox).await,
        [format!(
            "PUT /voltagepark/api/v1/virtual-machines/{id}/power-status"
        )],
        "exactly one power request"
    );
    let vm = vm_named(sandbox, "eval-harness").await.unwrap();
    assert_eq!(vm["status"], "StoppedDisassociated");
}

/// The rental's page, Terminate, its name typed in the dialog, Enter: one DELETE.
async fn terminate_a_rental(browser: &Browser, sandbox: &Server, proxy: &Server) {
    let rentals = sandbox_voltagepark(&sandbox.url, "/api/v1/bare-metal/?limit=100").await;
    let id = rentals["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "pretrain-cluster")
        .expect("a seeded rental")["id"]
        .as_str()
        .unwrap()
        .to_string();
    tab_to_machine(browser, proxy, "pretrain-cluster").await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text(".machine-name", "pretrain-cluster", WAIT)
        .await;
    browser
        .tab_until(
            |f| f.tag == "button" && f.name == "Terminate",
            "the Terminate button",
            TABS,
            false,
        )
        .await;
    browser.assert_focus_visible("the Terminate button").await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text("dialog[open]", "Terminate pretrain-cluster?", WAIT)
        .await;
    // The confirm button waits for the name: the field to type it in takes focus first.
    let field = browser.focused().await;
    assert_eq!(
        field.tag, "input",
        "focus is in the dialog's field: {field:?}"
    );
    assert!(field.name.contains("pretrain-cluster"), "{field:?}");
    browser.type_keys("pretrain-cluster").await;
    browser.tab_to("Terminate pretrain-cluster", 5).await;
    browser
        .assert_focus_visible("the dialog's Terminate button")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text(
            ".outcome",
            "Termination requested for pretrain-cluster",
            WAIT,
        )
        .await;
    focus_kept(browser, "the rental was terminated").await;

    assert_eq!(
        changes(sandbox).await,
        [format!("DELETE /voltagepark/api/v1/bare-metal/{id}")],
        "exactly one DELETE"
    );
    let rentals = sandbox_voltagepark(&sandbox.url, "/api/v1/bare-metal/?limit=100").await;
    assert!(
        !rentals["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id.as_str()),
        "the rental is no longer listed"
    );
}

/// A public key made with ssh-keygen for this test (its private half was discarded).
const NEW_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJTRHuJTdwWwg/ym7GTPvSQEXexQNAG3aYn3S49ObRxP e2e@test";

/// The add form: a name, the key, Space on Add key: one POST, the key in the organization.
async fn add_an_ssh_key(browser: &Browser, sandbox: &Server, proxy: &Server) {
    browser
        .open(&format!("{}/ssh-keys", proxy.url), "SSH keys")
        .await;
    browser.wait_for_text("tbody tr", "SHA256", WAIT).await;
    browser
        .tab_until(
            |f| f.id.starts_with("new-key-") && f.id.ends_with("-name"),
            "the new key's name",
            TABS + 30,
            false,
        )
        .await;
    browser.assert_focus_visible("the new key's name").await;
    browser.type_keys("kb-laptop").await;
    browser.press(Key::Tab).await;
    let content = browser.focused().await;
    assert!(content.id.ends_with("-content"), "{content:?}");
    browser.type_keys(NEW_KEY).await;
    browser
        .wait_for_text(".key-ok", "SHA256:oLyl9VPw35", WAIT)
        .await;
    browser
        .tab_until(
            |f| f.tag == "button" && f.name == "Add key",
            "Add key",
            10,
            false,
        )
        .await;
    browser.assert_focus_visible("the Add key button").await;
    browser.press(Key::Space).await;
    browser
        .wait_for_text(".add-keys .outcome", "Added 1 key: kb-laptop.", WAIT)
        .await;
    browser.wait_for_text("tbody tr", "kb-laptop", WAIT).await;
    focus_kept(browser, "the key was added").await;

    assert_eq!(
        changes(sandbox).await,
        ["POST /voltagepark/api/v1/organization/ssh-keys"],
        "exactly one key sent"
    );
    let keys: Value = reqwest::Client::new()
        .get(format!(
            "{}/voltagepark/api/v1/organization/ssh-keys?limit=100",
            sandbox.url
        ))
        .header("x-api-token", "demo-voltagepark")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        keys.to_string().contains("\"kb-laptop\""),
        "the organization has the key: {keys}"
    );
}

/// Reveal a secret's value, then copy it: the clipboard holds it, and it was read once each.
async fn reveal_and_copy_a_secret(browser: &Browser, sandbox: &Server, proxy: &Server) {
    let secrets: Value = reqwest::Client::new()
        .get(format!("{}/netactuate/v3/secrets", sandbox.url))
        .bearer_auth("demo-netactuate")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = secrets["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "db-password")
        .expect("a seeded secret")["id"]
        .as_u64()
        .unwrap();
    let value: Value = reqwest::Client::new()
        .get(format!("{}/netactuate/v3/secrets/{id}", sandbox.url))
        .bearer_auth("demo-netactuate")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let value = value["value"].as_str().unwrap().to_string();
    sandbox_admin(&sandbox.url, Method::DELETE, "/requests", None).await;
    browser
        .grant_permission(
            &["clipboardReadWrite", "clipboardSanitizedWrite"],
            &proxy.url,
        )
        .await;

    browser
        .open(&format!("{}/secrets", proxy.url), "Secrets")
        .await;
    browser
        .wait_for_text("table.secrets", "db-password", WAIT)
        .await;
    browser
        .tab_to("Reveal the value of db-password", TABS + 30)
        .await;
    browser.assert_focus_visible("the Reveal button").await;
    browser.press(Key::Enter).await;
    browser.wait_for_text("code.revealed", &value, WAIT).await;
    // The Reveal button became Hide: focus is on it, not lost.
    browser
        .wait_for_focus("Hide the value of db-password", WAIT)
        .await;
    browser.tab_to("Copy the value of db-password", 3).await;
    browser.assert_focus_visible("the Copy button").await;
    browser.press(Key::Space).await;
    browser
        .wait_for_text(".masked-note", "Copied to the clipboard.", WAIT)
        .await;
    browser
        .wait_for_focus("Copy the value of db-password", WAIT)
        .await;
    assert_eq!(browser.clipboard_text().await, value);

    let reads =
        sandbox_requests(&sandbox.url, "GET", &format!("/netactuate/v3/secrets/{id}")).await;
    assert_eq!(
        reads.len(),
        2,
        "read once to reveal, once to copy: {reads:?}"
    );
    assert!(changes(sandbox).await.is_empty(), "nothing was changed");
}

/// Log in to Octos, name the token, enable: one POST, and the new token works.
async fn enable_octos_api_access(browser: &Browser, sandbox: &Server, proxy: &Server) {
    browser
        .open(
            &format!("{}/octos/api-access", proxy.url),
            "Octos API access",
        )
        .await;
    browser.tab_to("#octos-email", TABS).await;
    browser.type_keys("demo@cloudpane.dev").await;
    browser.press(Key::Tab).await;
    assert!(browser.focus_is("#octos-password").await);
    browser.type_keys("demo-password").await;
    browser.press(Key::Enter).await;
    browser.wait_for_text(".notice", "Logged in", WAIT).await;
    // The login form is gone: focus goes on to the next step's first field.
    browser.wait_for_focus("#octos-token-name", WAIT).await;
    browser.assert_focus_visible("the token name").await;
    browser.type_keys("kb-ci").await;
    browser.tab_to("Enable API access", 6).await;
    browser
        .assert_focus_visible("the Enable API access button")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text(".new-token", "will not show it again", WAIT)
        .await;
    focus_kept(browser, "API access was enabled").await;
    browser.tab_to("Reveal", 20).await;
    browser.press(Key::Enter).await;
    let token = browser
        .wait_for_text(".new-token-value .revealed", "|", WAIT)
        .await;

    assert_eq!(
        changes(sandbox).await,
        [
            "POST /octos/backend/api/login",
            "POST /octos/backend/api/profile/api/enable"
        ],
        "one login, one enable"
    );
    let status = reqwest::Client::new()
        .get(format!(
            "{}/octos/backend/api/virtual-machines",
            sandbox.url
        ))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200, "the new token works");
}

const PASSPHRASE: &str = "plum orbit kettle 42";

/// Remember the accounts behind a passphrase, lock, unlock: nothing is sent while locked, and
/// the pages fetch again once unlocked.
async fn unlock_the_vault(browser: &Browser, sandbox: &Server, proxy: &Server) {
    browser
        .open(&format!("{}/accounts", proxy.url), "Accounts")
        .await;
    browser.tab_to("#remember-passphrase", TABS + 40).await;
    browser.type_keys(PASSPHRASE).await;
    browser.press(Key::Tab).await;
    assert!(browser.focus_is("#remember-passphrase-again").await);
    browser.type_keys(PASSPHRASE).await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text(".vault-status", "Remembered on this device", WAIT)
        .await;
    focus_kept(browser, "the accounts were remembered").await;
    browser.tab_to("Lock now", 20).await;
    browser.assert_focus_visible("the Lock now button").await;
    browser.press(Key::Enter).await;
    browser.wait_for_text("h1", "Accounts locked", WAIT).await;
    browser.wait_for_focus("#unlock-passphrase", WAIT).await;
    // Nothing is sent while locked.
    sandbox_admin(&sandbox.url, Method::DELETE, "/requests", None).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let log = sandbox_admin(&sandbox.url, Method::GET, "/requests", None).await;
    assert_eq!(
        log["requests"],
        serde_json::json!([]),
        "a request while locked"
    );
    browser.type_keys(PASSPHRASE).await;
    browser.press(Key::Enter).await;
    browser.wait_for_text("h1", "Accounts", WAIT).await;
    focus_kept(browser, "unlocking").await;
    // From the page back to the navigation, and to SSH keys: it lists them again.
    browser.shift_tab_to("SSH keys", TABS).await;
    browser
        .assert_focus_visible("the navigation's SSH keys link")
        .await;
    browser.press(Key::Enter).await;
    browser
        .wait_for_text("tbody tr", "alice-laptop", WAIT)
        .await;

    let lists = sandbox_requests(
        &sandbox.url,
        "GET",
        "/voltagepark/api/v1/organization/ssh-keys",
    )
    .await;
    assert!(!lists.is_empty(), "the keys were listed once unlocked");
    assert!(changes(sandbox).await.is_empty(), "nothing was changed");
    let vault: Value = browser
        .client
        .execute("return localStorage.getItem('cloudpane.vault');", vec![])
        .await
        .unwrap();
    assert!(vault.is_string(), "the accounts stay remembered");
}
