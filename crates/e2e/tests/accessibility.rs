//! Every page of the console passes axe-core's WCAG 2.2 A/AA (and 2.0, 2.1) rules in headless Chromium.
//! axe-core comes from the npm registry (tools/axe, installed by scripts/bootstrap.sh).

use std::time::Duration;

use cloudpane_e2e::{start_demo_proxy, start_sandbox, Browser};

const PAGES: [(&str, &str); 9] = [
    ("/machines", "Machines"),
    ("/deploy", "Deploy"),
    ("/ssh-keys", "SSH keys"),
    ("/secrets", "Secrets"),
    ("/storage", "Storage"),
    ("/billing", "Billing"),
    ("/locations", "Locations"),
    ("/accounts", "Accounts"),
    ("/no-such-page", "Page not found"),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_page_passes_the_automated_accessibility_check() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;

    let mut failures = Vec::new();
    for (path, title) in PAGES {
        browser
            .client
            .goto(&format!("{}{path}", proxy.url))
            .await
            .unwrap();
        browser
            .wait_for_text("h1", title, Duration::from_secs(30))
            .await;
        if path == "/machines" {
            browser
                .wait_for_text("tbody tr", "eval-harness", Duration::from_secs(30))
                .await;
        }
        if path == "/locations" {
            browser
                .wait_for_text("tbody tr", "GB", Duration::from_secs(30))
                .await;
        }
        let report = browser.axe().await;
        // A check that passed no rule did not really run.
        assert!(
            report.passes > 10,
            "{path}: axe checked only {} rules",
            report.passes
        );
        failures.extend(
            report
                .violations
                .into_iter()
                .map(|v| format!("{path}: {v}")),
        );
    }
    browser.close().await;
    assert!(
        failures.is_empty(),
        "accessibility violations:\n{}",
        failures.join("\n")
    );
}
