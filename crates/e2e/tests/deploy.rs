//! Deploying end to end: the capacity board, the instant-VM and bare-metal forms, through the
//! real proxy and sandbox in headless Chromium. The sandbox's request log counts the billable
//! requests really sent.

use std::time::Duration;

use cloudpane_e2e::{
    assert_accessible, sandbox_admin, sandbox_requests, sandbox_voltagepark, start_demo_proxy,
    start_sandbox, start_sandbox_with, Browser, WAIT,
};
use fantoccini::Locator;
use reqwest::Method;
use serde_json::{json, Value};

const INSTANT: &str = "/voltagepark/api/v1/virtual-machines/instant";
const BARE_METAL: &str = "/voltagepark/api/v1/bare-metal/";

/// A public key the form is given on top of the organization's (made with ssh-keygen for this
/// test; its private half was discarded).
const EXTRA_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJTRHuJTdwWwg/ym7GTPvSQEXexQNAG3aYn3S49ObRxP e2e@test";

const CLOUD_CONFIG: &str =
    "#cloud-config\npackages:\n  - htop\nruncmd:\n  - echo ready > /tmp/ready\n";

async fn billable(sandbox_url: &str) -> u64 {
    sandbox_admin(sandbox_url, Method::GET, "/requests", None).await["billable"]
        .as_u64()
        .unwrap()
}

/// Clicks the review's Deploy button twice in a row, as fast as a script can, plus an Enter
/// press: the console must send one request.
async fn deploy_with_a_double_click(browser: &Browser) {
    browser.wait_for_text(".review", "Review the", WAIT).await;
    browser
        .client
        .execute(
            "const b = document.querySelector('.review button.deploy'); b.click(); b.click();
             b.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); b.click();",
            vec![],
        )
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn from_the_board_an_instant_vm_with_chosen_keys_an_extra_key_and_cloud_init() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/deploy", proxy.url), "Deploy")
        .await;

    // One GPU of any model: the board lists every way, cheapest first.
    browser.set_field("#need-gpus", "1").await;
    browser
        .wait_for_text(".row-count", "to get 1 GPU of any model now", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the capacity board");
    // Nothing for 64 GPUs on InfiniBand: the board says what is closest.
    browser.set_field("#need-gpus", "256").await;
    browser
        .click(Locator::XPath(
            "//label[contains(., 'InfiniBand between nodes')]/input",
        ))
        .await;
    browser
        .wait_for_text(
            ".empty",
            "Nothing can start with 256 GPUs of any model on InfiniBand",
            WAIT,
        )
        .await;
    browser.wait_for_text("td", "Fewer GPUs", WAIT).await;
    browser
        .click(Locator::XPath(
            "//label[contains(., 'InfiniBand between nodes')]/input",
        ))
        .await;
    browser.set_field("#need-gpus", "1").await;
    browser
        .wait_for_text(".row-count", "to get 1 GPU of any model", WAIT)
        .await;
    browser
        .click(Locator::XPath(
            "(//tr[contains(., 'Instant VM')]//a[normalize-space()='Deploy'])[1]",
        ))
        .await;
    browser
        .wait_for_text("h1", "Deploy an instant VM", WAIT)
        .await;
    browser.wait_for_text(".cost-panel", "Per hour", WAIT).await;
    browser
        .wait_for_text(".cost-panel", "Balance lasts", WAIT)
        .await;

    browser.set_field("#vm-name", "e2e-instant").await;
    browser
        .click(Locator::XPath("//label[contains(., 'Chosen keys')]/input"))
        .await;
    for key in ["alice-laptop", "ci runner"] {
        browser
            .click(Locator::XPath(&format!(
                "//ul[contains(@class,'key-choices')]//label[contains(., '{key}')]/input"
            )))
            .await;
    }
    browser
        .wait_for_text(
            ".key-choices",
            "SHA256:YvkXyzAU6bGuwGW8kFsKyItvDkiyzsKxii6tTITVuYQ",
            WAIT,
        )
        .await;
    browser.set_field("#public-keys", EXTRA_KEY).await;
    browser
        .wait_for_text(
            "#public-keys-list",
            "SHA256:oLyl9VPw35+5HBw3Qo4anxuNAbyNKqA89W4isFIJWI4",
            WAIT,
        )
        .await;
    browser
        .click(Locator::XPath(
            "//summary[contains(., 'Paste #cloud-config')]",
        ))
        .await;
    browser.set_field("#cloudinit-yaml", CLOUD_CONFIG).await;
    browser.click_button("Use this document").await;
    browser
        .wait_for_text("#cloudinit-verdict", "ccept", WAIT)
        .await;
    browser.set_field("#vm-tags", "e2e, llm").await;
    assert_accessible(browser.axe().await, "the instant-VM form");

    browser.submit().await;
    let review = browser.wait_for_text(".review", "curl -X POST", WAIT).await;
    assert!(review.contains("$VOLTAGE_PARK_TOKEN"), "{review}");
    assert!(
        !review.contains("demo-voltagepark"),
        "the token is never shown: {review}"
    );
    assert_accessible(browser.axe().await, "the review");
    deploy_with_a_double_click(&browser).await;
    browser.wait_for_text(".banner", "Deployed", WAIT).await;
    browser.wait_for_text(".banner", "ssh ", WAIT).await;

    let posts = sandbox_requests(&sandbox.url, "POST", INSTANT).await;
    assert_eq!(
        posts.len(),
        1,
        "one deploy request however many clicks: {posts:?}"
    );
    assert_eq!(billable(&sandbox.url).await, 1);
    let vms = sandbox_voltagepark(&sandbox.url, "/api/v1/virtual-machines/?limit=100").await;
    let vm = vms["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "e2e-instant")
        .expect("the sandbox has the new VM")
        .clone();
    assert_eq!(vm["tags"], json!(["e2e", "llm"]));

    // It is in the machines table.
    browser
        .open(&format!("{}/machines", proxy.url), "Machines")
        .await;
    browser.wait_for_text("tbody tr", "e2e-instant", WAIT).await;

    // A location's page, reached from Locations, and one of its hostnodes' pages.
    browser
        .open(&format!("{}/locations", proxy.url), "Locations")
        .await;
    // The table is read after the heading shows.
    browser.wait_for_text("tbody a", "", WAIT).await;
    browser
        .click(Locator::XPath(
            "(//table//a[contains(@href, '/locations/')])[1]",
        ))
        .await;
    browser.wait_for_text("h1", "Location", WAIT).await;
    browser.wait_for_text(".facts", "Country", WAIT).await;
    browser.wait_for_text("tbody a", "Hostnode", WAIT).await;
    browser
        .click(Locator::XPath("(//a[contains(@href, '/hostnodes/')])[1]"))
        .await;
    browser.wait_for_text("h1", "Hostnode", WAIT).await;
    browser.wait_for_text(".facts", "Per vCPU-hour", WAIT).await;
    assert_accessible(browser.axe().await, "a hostnode's page");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bare_metal_rental_with_a_volume_reaches_running_and_a_422_marks_its_field() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/deploy", proxy.url), "Deploy")
        .await;
    browser.set_field("#need-gpus", "8").await;
    browser
        .click(Locator::XPath(
            "//label[contains(., 'InfiniBand between nodes')]/input",
        ))
        .await;
    browser
        .wait_for_text(".row-count", "on InfiniBand now", WAIT)
        .await;
    browser
        .click(Locator::XPath(
            "(//tr[contains(., 'Bare metal')]//a[normalize-space()='Deploy'])[1]",
        ))
        .await;
    browser.wait_for_text("h1", "Rent bare metal", WAIT).await;
    browser.wait_for_text(".cost-panel", "Per hour", WAIT).await;
    browser.set_field("#bm-name", "e2e-metal").await;
    // The organization's one volume.
    browser
        .wait_for_text("#bm-storage-help", "shared volume can serve", WAIT)
        .await;
    browser
        .client
        .execute(
            "const s = document.querySelector('#bm-storage'); s.selectedIndex = 1;
             s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await
        .unwrap();
    assert_accessible(browser.axe().await, "the bare-metal form");

    // The provider refuses the name (a 422 naming it): the form comes back as it was, marked.
    sandbox_admin(
        &sandbox.url,
        Method::PUT,
        "/faults",
        Some(json!({"fail": [{"method": "POST", "path": BARE_METAL, "status": 422, "field": "name"}]})),
    )
    .await;
    browser.submit().await;
    deploy_with_a_double_click(&browser).await;
    // The review stays, with the refusal in its error summary, which takes focus; its link
    // goes back to the field, marked.
    browser.wait_for_focus("#review-errors", WAIT).await;
    browser
        .wait_for_text(".review #review-errors", "this value was refused", WAIT)
        .await;
    browser
        .click(Locator::Css("#review-errors a[href='#bm-name']"))
        .await;
    browser.wait_for_focus("#bm-name", WAIT).await;
    browser
        .wait_for_text("#bm-name-error", "this value was refused", WAIT)
        .await;
    let name = browser
        .client
        .find(Locator::Css("#bm-name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("e2e-metal"), "what was typed stays");
    assert_eq!(
        sandbox_requests(&sandbox.url, "POST", BARE_METAL)
            .await
            .len(),
        1
    );

    // Without the fault, the rental is made once, then followed until it runs.
    sandbox_admin(&sandbox.url, Method::DELETE, "/faults", None).await;
    browser.submit().await;
    deploy_with_a_double_click(&browser).await;
    browser.wait_for_text(".banner", "Deployed", WAIT).await;
    browser.wait_for_text(".banner", "Pending", WAIT).await;
    sandbox_admin(
        &sandbox.url,
        Method::POST,
        "/clock/advance",
        Some(json!({"minutes": 30})),
    )
    .await;
    browser
        .wait_for_text(".banner", "Running", Duration::from_secs(40))
        .await;
    browser.wait_for_text(".banner", "ssh ", WAIT).await;
    let posts = sandbox_requests(&sandbox.url, "POST", BARE_METAL).await;
    assert_eq!(posts.len(), 2, "the refused one and the deploy: {posts:?}");
    let rentals = sandbox_voltagepark(&sandbox.url, "/api/v1/bare-metal/?limit=100").await;
    let rental: &Value = rentals["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "e2e-metal")
        .expect("the sandbox has the rental");
    assert!(
        rental["storage_id"].is_string(),
        "the volume is attached: {rental}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_deploy_is_checked_not_sent_again() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    let presets = sandbox_voltagepark(
        &sandbox.url,
        "/api/v1/instant-deploy-presets/?available=true",
    )
    .await;
    let preset = presets[0]["id"].as_str().unwrap().to_string();

    for (when, name, expected) in [
        ("after", "e2e-dropped-after", "The deploy happened"),
        ("before", "e2e-dropped-before", "The deploy did not happen"),
    ] {
        sandbox_admin(
            &sandbox.url,
            Method::PUT,
            "/faults",
            Some(json!({"drop": [{"method": "POST", "path": INSTANT, "when": when}]})),
        )
        .await;
        browser
            .open(
                &format!("{}/deploy/instant-vm?preset={preset}", proxy.url),
                "Deploy an instant VM",
            )
            .await;
        browser.wait_for_text(".cost-panel", "Per hour", WAIT).await;
        browser.set_field("#vm-name", name).await;
        browser.submit().await;
        deploy_with_a_double_click(&browser).await;
        browser.wait_for_text(".banner", expected, WAIT).await;
        let posts = sandbox_requests(&sandbox.url, "POST", INSTANT).await;
        let sent: Vec<&Value> = posts.iter().filter(|p| p["dropped"] == when).collect();
        assert_eq!(sent.len(), 1, "one request, never resent: {posts:?}");
    }
    // Nothing was resent: two deploys sent in all, one of which happened.
    assert_eq!(
        sandbox_requests(&sandbox.url, "POST", INSTANT).await.len(),
        2
    );
    sandbox_admin(&sandbox.url, Method::DELETE, "/faults", None).await;
    // "Try the deploy again" after a deploy that did not happen opens the review again, and
    // sends nothing until its Deploy button is pressed; then once.
    browser.click_button("Try the deploy again").await;
    browser
        .wait_for_text(".review", "e2e-dropped-before", WAIT)
        .await;
    assert_eq!(
        sandbox_requests(&sandbox.url, "POST", INSTANT).await.len(),
        2,
        "nothing is sent before the review's Deploy button"
    );
    deploy_with_a_double_click(&browser).await;
    browser.wait_for_text(".banner", "Deployed", WAIT).await;
    assert_eq!(
        sandbox_requests(&sandbox.url, "POST", INSTANT).await.len(),
        3
    );
    browser.close().await;
}

/// A password shorter than 8 characters, a pasted `#cloud-config` that cannot be read, then one
/// that is not used, a reload, the review and a provider refusal from it: every problem is in
/// an error summary that takes focus and links to its field; the pasted document is kept by
/// the draft and is either what is sent or the reason the review will not open; the VM's
/// password is nowhere on the page or the clipboard; and the review stays open with the
/// provider's refusal in it.
#[tokio::test(flavor = "multi_thread")]
async fn the_review_hides_the_password_refuses_an_unused_document_and_keeps_errors_in_sight() {
    const PASSWORD: &str = "Pw-e2e-7c1d9";
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .grant_permission(
            &["clipboardReadWrite", "clipboardSanitizedWrite"],
            &proxy.url,
        )
        .await;
    let presets = sandbox_voltagepark(
        &sandbox.url,
        "/api/v1/instant-deploy-presets/?available=true",
    )
    .await;
    let preset = presets[0]["id"].as_str().unwrap().to_string();
    let form = format!("{}/deploy/instant-vm?preset={preset}", proxy.url);
    browser.open(&form, "Deploy an instant VM").await;
    browser.wait_for_text(".cost-panel", "Per hour", WAIT).await;
    browser.set_field("#vm-name", "e2e-honest").await;
    browser.set_field("#vm-password", "short").await;
    browser
        .set_field("#cloudinit-yaml", "#cloud-config\npackages: [htop\n")
        .await;

    // Both problems in the summary, which has focus; its links go to the fields.
    browser.submit().await;
    browser.wait_for_focus("#vm-errors", WAIT).await;
    let summary = browser
        .wait_for_text("#vm-errors", "There are 2 problems", WAIT)
        .await;
    browser.snap("item11-error-summary-has-focus").await;
    assert!(summary.contains("at least 8 characters"), "{summary}");
    assert!(summary.contains("cannot be read"), "{summary}");
    browser
        .wait_for_text("#cloudinit-yaml-error", "cannot be read", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the form with its error summary");
    browser
        .click(Locator::Css("#vm-errors a[href='#vm-password']"))
        .await;
    browser.wait_for_focus("#vm-password", WAIT).await;

    // A readable document, not used: kept across a reload (the password is not), and the
    // review will not open while it is not what would be sent.
    browser.set_field("#cloudinit-yaml", CLOUD_CONFIG).await;
    browser.set_field("#vm-password", PASSWORD).await;
    browser.reload().await;
    browser
        .wait_for_text("h1", "Deploy an instant VM", WAIT)
        .await;
    browser.wait_for_text(".cost-panel", "Per hour", WAIT).await;
    assert_eq!(browser.value_of("#cloudinit-yaml").await, CLOUD_CONFIG);
    assert_eq!(browser.value_of("#vm-password").await, "");
    assert!(!browser.session_storage().await.contains(PASSWORD));
    browser.set_field("#vm-password", PASSWORD).await;
    browser.submit().await;
    browser.wait_for_focus("#vm-errors", WAIT).await;
    browser
        .wait_for_text("#vm-errors", "not in use", WAIT)
        .await;
    assert!(
        browser.client.find(Locator::Css(".review")).await.is_err(),
        "no review while the document is not used"
    );

    // Used: the review shows it in the request; the password is a variable.
    browser.click_button("Use this document").await;
    browser
        .wait_for_text("#cloudinit-verdict", "ccept", WAIT)
        .await;
    browser.submit().await;
    let review = browser.wait_for_text(".review", "curl -X POST", WAIT).await;
    browser
        .snap("item2-item10-review-curl-password-variable")
        .await;
    assert!(
        review
            .contains(r#""cloud_init":{"packages":["htop"],"runcmd":["echo ready > /tmp/ready"]}"#),
        "the pasted document is what is sent: {review}"
    );
    assert!(
        review.contains(r#""password":"'"$VM_PASSWORD"'""#),
        "{review}"
    );
    assert!(review.contains("set VOLTAGE_PARK_TOKEN"), "{review}");
    assert!(
        review.contains("VM_PASSWORD to the VM's password"),
        "{review}"
    );
    let page = browser.client.source().await.unwrap();
    assert!(!page.contains(PASSWORD), "the password is not in the page");
    let shown = browser.main_text().await;
    assert!(!shown.contains(PASSWORD), "{shown}");
    browser
        .click(Locator::Css("button[aria-label='Copy the curl command']"))
        .await;
    browser
        .wait_for_text(".review button.copy", "Copied", WAIT)
        .await;
    let copied = browser.clipboard_text().await;
    assert!(copied.contains("$VM_PASSWORD"), "{copied}");
    assert!(!copied.contains(PASSWORD), "the password is not copied");

    // The provider refuses the name: the review stays, the refusal in its summary.
    sandbox_admin(
        &sandbox.url,
        Method::PUT,
        "/faults",
        Some(
            json!({"fail": [{"method": "POST", "path": INSTANT, "status": 422, "field": "name"}]}),
        ),
    )
    .await;
    browser.click(Locator::Css(".review button.deploy")).await;
    browser.wait_for_focus("#review-errors", WAIT).await;
    browser
        .wait_for_text(".review #review-errors", "this value was refused", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the review with the refusal");
    browser
        .click(Locator::Css("#review-errors a[href='#vm-name']"))
        .await;
    browser.wait_for_focus("#vm-name", WAIT).await;
    browser
        .wait_for_text("#vm-name-error", "this value was refused", WAIT)
        .await;
    sandbox_admin(&sandbox.url, Method::DELETE, "/faults", None).await;
    browser.submit().await;
    deploy_with_a_double_click(&browser).await;
    browser.wait_for_text(".banner", "Deployed", WAIT).await;
    assert_eq!(
        sandbox_requests(&sandbox.url, "POST", INSTANT).await.len(),
        2,
        "the refused deploy and the one that was made"
    );
    browser.close().await;
}

const CATALOGUE: &str = "/voltagepark/api/v1/virtual-machines/instant/locations";
const DOCUMENTED_PRESETS: &str = "/voltagepark/api/v1/instant-deploy-presets/";

/// The board's instant VMs come from the current catalogue when the API has it, and from the
/// documented presets list when it answers 404 (`--shapes document-only`); the page says nothing
/// about which (issue 27 item 3).
#[tokio::test(flavor = "multi_thread")]
async fn instant_vms_come_from_the_current_catalogue_or_else_the_documented_list() {
    let browser = Browser::start().await;
    for (shapes, documented_asked) in [("document-only", true), ("document", false)] {
        let sandbox = start_sandbox_with(&["--shapes", shapes]);
        let proxy = start_demo_proxy(&sandbox.url);
        browser
            .open(&format!("{}/deploy", proxy.url), "Deploy")
            .await;
        browser.set_field("#need-gpus", "1").await;
        browser
            .wait_for_text(".row-count", "to get 1 GPU of any model now", WAIT)
            .await;
        browser.wait_for_text("tbody tr", "Instant VM", WAIT).await;
        let asked = sandbox_requests(&sandbox.url, "GET", CATALOGUE).await;
        assert!(
            !asked.is_empty(),
            "{shapes}: the current catalogue is asked first"
        );
        let documented = sandbox_requests(&sandbox.url, "GET", DOCUMENTED_PRESETS).await;
        assert_eq!(
            !documented.is_empty(),
            documented_asked,
            "{shapes}: {documented:?}"
        );
        let main = browser.main_text().await;
        for word in ["catalogue", "deprecated", "404", "Not Found"] {
            assert!(
                !main.contains(word),
                "{shapes}: the page says {word:?}: {main}"
            );
        }
    }
    browser.close().await;
}
