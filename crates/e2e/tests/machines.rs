//! The Machines area end to end: the real proxy and sandbox, the release app, headless Chromium.
//! One test per thing a user does; the sandbox's request log counts what was really sent.

use std::time::Duration;

use cloudpane_api::Money;
use cloudpane_e2e::{
    assert_accessible, sandbox_admin, sandbox_faults, sandbox_requests, sandbox_voltagepark,
    start_demo_proxy, start_sandbox, start_sandbox_with, Browser, WAIT,
};
use fantoccini::Locator;
use reqwest::Method;
use serde_json::{json, Value};

/// What the header's total should say: every VM at its current rate and every pending or
/// running rental, straight from the sandbox (NetActuate and Octos give no prices).
async fn expected_hourly(sandbox_url: &str) -> String {
    let vms = sandbox_voltagepark(sandbox_url, "/api/v1/virtual-machines/?limit=100").await;
    let rentals = sandbox_voltagepark(sandbox_url, "/api/v1/bare-metal/?limit=100").await;
    let mut total = Money::ZERO;
    for vm in vms["results"].as_array().unwrap() {
        let field = match vm["status"].as_str().unwrap() {
            "Terminated" => continue,
            "StoppedDisassociated" => "total_disassociated_per_hr",
            _ => "total_associated_per_hr",
        };
        total = total + Money::parse(vm["pricing"][field].as_str().unwrap()).unwrap();
    }
    for r in rentals["results"].as_array().unwrap() {
        if matches!(r["status"].as_str(), Some("Running" | "Pending")) {
            total = total + Money::parse(r["rate_hourly"].as_str().unwrap()).unwrap();
        }
    }
    format!("{}/hour", total.to_cents_string())
}

async fn vm_named(sandbox_url: &str, name: &str) -> Value {
    let vms = sandbox_voltagepark(sandbox_url, "/api/v1/virtual-machines/?limit=100").await;
    vms["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("the sandbox has no VM {name}"))
        .clone()
}

async fn rental_named(sandbox_url: &str, name: &str) -> Value {
    let rentals = sandbox_voltagepark(sandbox_url, "/api/v1/bare-metal/?limit=100").await;
    rentals["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("the sandbox has no rental {name}"))
        .clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_lists_every_provider_and_the_guard_releases_a_stopped_vm() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/machines", proxy.url), "Machines")
        .await;

    // Voltage Park VMs and rentals, NetActuate servers and Octos VMs, in one table.
    for name in [
        "train-llama-8b",
        "eval-harness",
        "pretrain-cluster",
        "edge-fra-01",
        "postgres-primary",
    ] {
        browser.wait_for_text("tbody tr", name, WAIT).await;
    }
    let vm_row = browser
        .wait_for_text("tbody tr", "eval-harness", WAIT)
        .await;
    assert!(vm_row.contains("Stopped"), "{vm_row}");
    assert!(
        vm_row.contains("ssh -p "),
        "a VM row has its SSH command: {vm_row}"
    );
    let before = expected_hourly(&sandbox.url).await;
    browser.wait_for_text(".total-hourly", &before, WAIT).await;
    assert_accessible(browser.axe().await, "the machines table");

    // The guard names the stopped VM that is billed like a running one.
    let vm = vm_named(&sandbox.url, "eval-harness").await;
    let id = vm["id"].as_str().unwrap().to_string();
    let banner = browser.wait_for_text(".banner", "eval-harness", WAIT).await;
    assert!(banner.contains("still billed"), "{banner}");
    browser.click_button("Stop and release eval-harness").await;
    browser
        .wait_for_text(
            ".outcome",
            "Stop and release requested for eval-harness",
            WAIT,
        )
        .await;

    // The header's total drops by the VM's released difference.
    let vm = vm_named(&sandbox.url, "eval-harness").await;
    assert_eq!(vm["status"], "StoppedDisassociated");
    let after = expected_hourly(&sandbox.url).await;
    assert_ne!(before, after);
    let associated =
        Money::parse(vm["pricing"]["total_associated_per_hr"].as_str().unwrap()).unwrap();
    let released = Money::parse(
        vm["pricing"]["total_disassociated_per_hr"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let before_exact =
        Money::parse(before.trim_start_matches('$').trim_end_matches("/hour")).unwrap();
    let after_exact =
        Money::parse(after.trim_start_matches('$').trim_end_matches("/hour")).unwrap();
    let drop = before_exact - after_exact;
    assert!(
        (drop - (associated - released)).micros().abs() <= 10_000,
        "the total dropped by {drop}, the VM's released difference is {}",
        associated - released
    );
    browser.wait_for_text(".total-hourly", &after, WAIT).await;
    browser
        .wait_for_text_gone(".banner", "eval-harness", WAIT)
        .await;
    let puts = sandbox_requests(
        &sandbox.url,
        "PUT",
        &format!("/voltagepark/api/v1/virtual-machines/{id}/power-status"),
    )
    .await;
    assert_eq!(puts.len(), 1, "one power request: {puts:?}");

    // Bulk: stop two selected VMs; the confirmation names both, and two requests are sent.
    for name in ["train-llama-8b", "notebook-a100"] {
        browser
            .click(Locator::Css(&format!("input[aria-label='Select {name}']")))
            .await;
    }
    browser.click_button("Stop (2)").await;
    let dialog = browser
        .wait_for_text("dialog[open]", "Stop 2 machines?", WAIT)
        .await;
    assert!(
        dialog.contains("train-llama-8b") && dialog.contains("notebook-a100"),
        "{dialog}"
    );
    browser.click_button("Stop 2 machines").await;
    browser
        .wait_for_text(".outcomes", "Stop requested for notebook-a100", WAIT)
        .await;
    let stops =
        sandbox_requests(&sandbox.url, "PUT", "/voltagepark/api/v1/virtual-machines/").await;
    assert_eq!(stops.len(), 3, "the release, then one stop each: {stops:?}");

    // A machine's newer action replaces what was said of its older one.
    browser
        .click(Locator::Css("input[aria-label='Select eval-harness']"))
        .await;
    browser.click_button("Start (1)").await;
    browser
        .wait_for_text("dialog[open]", "Start 1 machine?", WAIT)
        .await;
    browser.click_button("Start 1 machine").await;
    let notices = browser
        .wait_for_text(".outcomes", "Start requested for eval-harness", WAIT)
        .await;
    assert!(
        notices.contains("Stop requested for notebook-a100"),
        "the other machines' notices stay: {notices}"
    );
    let page = browser.main_text().await;
    assert!(
        !page.contains("Stop and release requested for eval-harness"),
        "one notice per machine, the newest: {page}"
    );

    // Export for the terminal: an SSH config block for the rows shown, and the rental's hostfile.
    browser.click_button("Export for the terminal").await;
    let config = browser
        .client
        .find(Locator::Css("#export-ssh-config"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        config.contains("Host eval-harness\n") && config.contains("Host pretrain-cluster-node2\n"),
        "{config}"
    );
    browser
        .wait_for_text(".export-panel", "slots=8", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the export panel");
    browser.click_button("Close the export").await;

    // Filters live in the URL: a reload shows the same rows.
    browser.type_into("#filter-text", "edge").await;
    browser
        .wait_for_text_gone("tbody tr", "eval-harness", WAIT)
        .await;
    let url = browser.client.current_url().await.unwrap();
    assert!(url.as_str().contains("q=edge"), "{url}");
    browser.client.refresh().await.unwrap();
    browser.wait_for_text("tbody tr", "edge-fra-01", WAIT).await;
    browser
        .wait_for_text_gone("tbody tr", "eval-harness", WAIT)
        .await;

    // A VM's own page says where it is, as the table does (through its hostnode).
    browser
        .open(
            &format!("{}/machines/voltagepark/vm/{id}", proxy.url),
            "Machine",
        )
        .await;
    browser
        .wait_for_text(".machine-name", "eval-harness", WAIT)
        .await;
    browser.wait_for_text(".facts", "Dallas, Texas", WAIT).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rental_reboots_a_node_downloads_its_kubeconfig_and_terminates_once() {
    let sandbox = start_sandbox_with(&["--frozen-clock"]);
    let proxy = start_demo_proxy(&sandbox.url);
    let rental = rental_named(&sandbox.url, "pretrain-cluster").await;
    let id = rental["id"].as_str().unwrap().to_string();
    let first_node = rental["node_networking"][0]["public_ip"]
        .as_str()
        .unwrap()
        .to_string();
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/machines", proxy.url), "Machines")
        .await;
    browser
        .wait_for_text("tbody tr", "pretrain-cluster", WAIT)
        .await;
    browser
        .click(Locator::XPath("//a[normalize-space()='pretrain-cluster']"))
        .await;
    browser
        .wait_for_text(".machine-name", "pretrain-cluster", WAIT)
        .await;
    browser
        .wait_for_text(
            ".machine-detail",
            "Only machines of the same sub-order",
            WAIT,
        )
        .await;
    browser
        .wait_for_text(".machine-detail", "datasets", WAIT)
        .await;
    assert_accessible(browser.axe().await, "a bare-metal rental's page");

    // The kubeconfig stays masked, and downloads as a file. Its cluster token is nowhere in the
    // page, not even in the collapsed raw JSON, until it is revealed.
    let cluster_token = rental["kubeconfig"]
        .as_str()
        .unwrap()
        .lines()
        .find_map(|l| l.trim().strip_prefix("token: "))
        .expect("the sandbox's kubeconfig holds a token")
        .to_string();
    let page = browser
        .wait_for_text(".kubeconfig", "kubeconfig", WAIT)
        .await;
    assert!(
        !page.contains("apiVersion"),
        "masked until revealed: {page}"
    );
    let source = browser.client.source().await.unwrap();
    assert!(
        !source.contains(&cluster_token) && !source.contains("apiVersion"),
        "the kubeconfig is in the page unasked"
    );
    assert!(source.contains("\"kubeconfig\": \"•••••••• hidden\""));
    browser.snap("item1-rental-raw-json-masked").await;
    browser
        .click(Locator::Css("button[aria-label='Reveal the kubeconfig']"))
        .await;
    browser
        .wait_for_text(".kubeconfig .revealed", &cluster_token, WAIT)
        .await;
    browser.snap("item1-kubeconfig-revealed-on-request").await;
    browser
        .click(Locator::Css("button[aria-label='Hide the kubeconfig']"))
        .await;
    browser
        .wait_for_text_gone(".kubeconfig", &cluster_token, WAIT)
        .await;
    let source = browser.client.source().await.unwrap();
    assert!(!source.contains(&cluster_token), "masked again by Hide");
    browser
        .click_button("Download kubeconfig-pretrain-cluster.yaml")
        .await;
    let file = browser
        .downloaded("kubeconfig-pretrain-cluster.yaml", Duration::from_secs(15))
        .await;
    assert!(file.contains("apiVersion: v1"), "{file}");

    // Reboot one node: Pending, then Running once the sandbox's clock has moved on.
    browser.click_button("Reboot nodes").await;
    browser
        .wait_for_text("dialog[open]", "Nodes to reboot", WAIT)
        .await;
    browser
        .click(Locator::XPath(&format!(
            "//dialog[@open]//label[contains(., '{first_node}')]/input"
        )))
        .await;
    browser.click_button("Reboot 1 node").await;
    browser
        .wait_for_text(".machine-status", "Pending", WAIT)
        .await;
    let reboots = sandbox_requests(
        &sandbox.url,
        "POST",
        &format!("/voltagepark/api/v1/bare-metal/{id}/reboot"),
    )
    .await;
    assert_eq!(reboots.len(), 1);
    sandbox_admin(
        &sandbox.url,
        Method::POST,
        "/clock/advance",
        Some(json!({"seconds": 180})),
    )
    .await;
    browser
        .wait_for_text(".machine-status", "Running", Duration::from_secs(40))
        .await;

    // Terminate: the button waits for the rental's name, and a double click sends one DELETE.
    browser.click_button("Terminate").await;
    let dialog = browser.wait_for_text("dialog[open]", "Type", WAIT).await;
    assert!(
        dialog.contains("pretrain-cluster") && dialog.contains("Demo"),
        "{dialog}"
    );
    assert_accessible(browser.axe().await, "the terminate dialog");
    let confirm = browser
        .client
        .find(Locator::Css("dialog[open] button[type=submit]"))
        .await
        .unwrap();
    assert!(
        confirm.attr("disabled").await.unwrap().is_some(),
        "disabled until the name is typed"
    );
    browser
        .type_into("dialog[open] input[type=text]", "pretrain-cluster")
        .await;
    browser
        .client
        .execute(
            "const b = document.querySelector('dialog[open] button[type=submit]'); b.click(); b.click();",
            vec![],
        )
        .await
        .unwrap();
    browser
        .wait_for_text(
            ".outcome",
            "Termination requested for pretrain-cluster",
            WAIT,
        )
        .await;
    // A third click after the answer finds the dialog closed.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let deletes = sandbox_requests(
        &sandbox.url,
        "DELETE",
        &format!("/voltagepark/api/v1/bare-metal/{id}"),
    )
    .await;
    assert_eq!(deletes.len(), 1, "exactly one DELETE: {deletes:?}");
    // Voltage Park lists only unterminated rentals.
    let rentals = sandbox_voltagepark(&sandbox.url, "/api/v1/bare-metal/?limit=100").await;
    assert!(
        !rentals["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id.as_str()),
        "the terminated rental is no longer listed: {rentals}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_account_is_named_while_the_others_still_show() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    // Octos's API access is disabled: its token stops working (401).
    let res = reqwest::Client::new()
        .delete(format!(
            "{}/octos/backend/api/profile/api/disable",
            sandbox.url
        ))
        .bearer_auth("demo-octos")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/machines", proxy.url), "Machines")
        .await;
    let failure = browser
        .wait_for_text(".account-failure", "Octos Cloud", WAIT)
        .await;
    assert!(
        failure.contains("401") && failure.contains("Demo"),
        "{failure}"
    );
    browser
        .wait_for_text("tbody tr", "eval-harness", WAIT)
        .await;
    browser.wait_for_text("tbody tr", "edge-fra-01", WAIT).await;
    // The total says it leaves that account out.
    browser
        .wait_for_text(".totals", "not counting Octos Cloud · Demo", WAIT)
        .await;
    assert!(browser
        .client
        .find(Locator::XPath("//button[normalize-space()='Retry Demo']"))
        .await
        .is_ok());
    browser.close().await;
}

/// The Voltage Park VM list, as the machines page reads it.
const VM_LIST: &str = "/voltagepark/api/v1/virtual-machines/";

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_list_hides_no_other_rows_and_a_failed_refresh_keeps_its_own() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let vms_unavailable = json!({"fail": [{"method": "GET", "path": VM_LIST, "status": 503}]});
    sandbox_faults(&sandbox.url, vms_unavailable.clone()).await;
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/machines", proxy.url), "Machines")
        .await;

    // The VM list fails: the account's bare-metal rentals, whose list answered, still show.
    browser
        .wait_for_text("tbody tr", "pretrain-cluster", WAIT)
        .await;
    let failure = browser
        .wait_for_text(".account-failure", "Voltage Park · Demo", WAIT)
        .await;
    assert!(
        failure.contains("Its VMs could not be listed") && failure.contains("503"),
        "which list, and the provider's status: {failure}"
    );
    assert!(
        !failure.contains("bare-metal"),
        "the rentals answered: {failure}"
    );
    let totals = browser.wait_for_text(".totals", "incomplete", WAIT).await;
    browser.snap("item8-vm-list-503-rentals-still-shown").await;
    assert!(
        totals.contains("not counting Voltage Park · Demo VMs"),
        "{totals}"
    );
    let table = browser
        .wait_for_text("tbody", "pretrain-cluster", WAIT)
        .await;
    assert!(!table.contains("eval-harness"), "{table}");

    // The VM list answers again on Retry...
    sandbox_faults(&sandbox.url, json!({})).await;
    browser.click_button("Retry Demo").await;
    browser
        .wait_for_text("tbody tr", "eval-harness", WAIT)
        .await;
    browser
        .wait_for_text_gone(".totals", "incomplete", WAIT)
        .await;

    // ...then a Refresh fails: the VMs already on screen stay, marked with their time.
    sandbox_faults(&sandbox.url, vms_unavailable).await;
    browser.click_button("Refresh").await;
    let notice = browser
        .wait_for_text(".stale-notice", "could not refresh", WAIT)
        .await;
    browser.snap("item8-failed-refresh-keeps-rows").await;
    assert!(
        notice.contains("Voltage Park · Demo VMs")
            && notice.contains("As of ")
            && notice.contains("503"),
        "{notice}"
    );
    browser
        .wait_for_text("tbody tr", "eval-harness", WAIT)
        .await;
    browser
        .wait_for_text("tbody tr", "pretrain-cluster", WAIT)
        .await;
    let totals = browser
        .wait_for_text(".totals", "which could not be refreshed", WAIT)
        .await;
    assert!(
        totals.contains("counting Voltage Park · Demo VMs as of") && totals.contains("incomplete"),
        "{totals}"
    );
    assert_accessible(browser.axe().await, "the machines page with a stale list");
    browser.close().await;
}
