//! Every route of the console passes axe-core's WCAG 2.2 A/AA (and 2.0, 2.1) rules in headless
//! Chromium, in the light and the dark colour scheme (the console follows the operating system's;
//! Chromium is told which with `--blink-settings=preferredColorScheme`), and the test asserts
//! that axe really ran on each combination. axe-core comes from the npm registry (tools/axe,
//! installed by scripts/bootstrap.sh).

use std::time::Duration;

use cloudpane_e2e::{sandbox_voltagepark, start_demo_proxy, start_sandbox, Browser};

/// Every route, with the heading it shows and, for pages that load data, a text in the loaded
/// page (`None`: the heading is enough). `{vm}` and `{location}` are filled in from the sandbox.
/// A route, the heading it shows, and (CSS, text) that appears once its data has loaded.
type Route = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
);

const ROUTES: &[Route] = &[
    ("/", "Machines", Some(("tbody tr", "eval-harness"))),
    ("/machines", "Machines", Some(("tbody tr", "eval-harness"))),
    ("/machines/voltagepark/vm/{vm}", "", Some(("main", "GPU"))),
    ("/deploy", "Deploy", Some(("tbody tr", "$"))),
    ("/deploy/instant-vm", "", Some(("main", "Name"))),
    ("/deploy/bare-metal", "", Some(("main", "Name"))),
    ("/ssh-keys", "SSH keys", Some(("tbody tr", "SHA256"))),
    ("/secrets", "Secrets", Some(("tbody tr", "db-password"))),
    (
        "/secrets/lists/production",
        "",
        Some(("main", "production")),
    ),
    ("/secrets/check", "", None),
    (
        "/netactuate/servers",
        "NetActuate servers",
        Some(("main", "edge-fra-01")),
    ),
    ("/storage", "Storage", None),
    ("/billing", "Billing", None),
    ("/locations", "Locations", Some(("tbody tr", "GB"))),
    ("/locations/{location}", "", None),
    ("/accounts", "Accounts", None),
    ("/octos", "Octos", None),
    (
        "/octos/api-access",
        "Octos API access",
        Some(("main", "email")),
    ),
    ("/octos/vms", "", Some(("main", "ci-builder"))),
    (
        "/octos/projects",
        "Projects (Octos)",
        Some(("tbody tr", "production")),
    ),
    ("/no-such-page", "Page not found", None),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_route_passes_the_automated_accessibility_check_in_both_colour_schemes() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let vms = sandbox_voltagepark(&sandbox.url, "/api/v1/virtual-machines/?limit=1").await;
    let vm = vms["results"][0]["id"]
        .as_str()
        .expect("a seeded VM")
        .to_string();
    let locations = sandbox_voltagepark(&sandbox.url, "/api/v1/locations/?limit=1").await;
    let location = locations["results"][0]["id"]
        .as_str()
        .expect("a seeded location")
        .to_string();

    let mut failures = Vec::new();
    let mut checked = 0;
    for (scheme, setting) in [("light", "1"), ("dark", "0")] {
        let browser =
            Browser::start_with(&[&format!("--blink-settings=preferredColorScheme={setting}")])
                .await;
        let dark: bool = browser
            .client
            .execute(
                "return matchMedia('(prefers-color-scheme: dark)').matches",
                vec![],
            )
            .await
            .unwrap()
            .as_bool()
            .unwrap();
        assert_eq!(
            dark,
            scheme == "dark",
            "Chromium is not in the {scheme} scheme"
        );
        for (route, heading, loaded) in ROUTES {
            let path = route.replace("{vm}", &vm).replace("{location}", &location);
            browser
                .client
                .goto(&format!("{}{path}", proxy.url))
                .await
                .unwrap();
            browser
                .wait_for_text("h1", heading, Duration::from_secs(30))
                .await;
            if let Some((css, text)) = loaded {
                browser
                    .wait_for_text(css, text, Duration::from_secs(30))
                    .await;
            }
            let report = browser.axe().await;
            // A check that passed no rule did not really run.
            assert!(
                report.passes > 10,
                "{path} ({scheme}): axe checked only {} rules",
                report.passes
            );
            checked += 1;
            failures.extend(
                report
                    .violations
                    .into_iter()
                    .map(|v| format!("{path} ({scheme}): {v}")),
            );
        }
        browser.close().await;
    }
    assert_eq!(
        checked,
        ROUTES.len() * 2,
        "axe ran on every route in both schemes"
    );
    assert!(
        failures.is_empty(),
        "accessibility violations:\n{}",
        failures.join("\n")
    );
}
