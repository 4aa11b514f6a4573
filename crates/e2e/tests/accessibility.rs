//! Every page of the console passes axe-core's WCAG 2.1 A/AA rules in headless Chromium.
//! axe-core comes from the npm registry (tools/axe, installed by scripts/bootstrap.sh).

use std::time::Duration;

use cloudpane_e2e::{start_demo_proxy, start_sandbox, workspace, Browser};
use serde_json::Value;

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
    let axe_path = workspace().join("tools/axe/node_modules/axe-core/axe.min.js");
    let axe = std::fs::read_to_string(&axe_path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/bootstrap.sh", axe_path.display()));
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
        if path == "/locations" {
            browser
                .wait_for_text("tbody tr", "GB", Duration::from_secs(30))
                .await;
        }
        browser.client.execute(&axe, vec![]).await.unwrap();
        let result = browser
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                      .then(r => done({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html)}))}))
                      .catch(e => done({passes: 0, violations: [{id: 'axe-error', impact: String(e), nodes: []}]}));"#,
                vec![],
            )
            .await
            .unwrap();
        // A check that passed no rule did not really run.
        let passes = result["passes"].as_u64().unwrap_or(0);
        assert!(
            passes > 10,
            "{path}: axe checked only {passes} rules: {result}"
        );
        if let Value::Array(violations) = &result["violations"] {
            for v in violations {
                failures.push(format!("{path}: {v}"));
            }
        }
    }
    browser.close().await;
    assert!(
        failures.is_empty(),
        "accessibility violations:\n{}",
        failures.join("\n")
    );
}
