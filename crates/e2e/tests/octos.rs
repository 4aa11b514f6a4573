//! Octos Cloud end to end, through the real proxy and sandbox in headless Chromium: the API
//! token's whole life (log in, enable by multipart form, shown once, saved as an account, used
//! for the VMs, rotated, retrieved after a reload, disabled and never fallen back on), and every
//! resource family's page. The sandbox's request log shows what was really sent.

use std::time::Duration;

use cloudpane_e2e::{
    assert_accessible, sandbox_requests, start_demo_proxy, start_sandbox, Browser, WAIT,
};
use fantoccini::Locator;

const ENABLE: &str = "/octos/backend/api/profile/api/enable";
const DISABLE: &str = "/octos/backend/api/profile/api/disable";

/// A date in June next year, as a date input gives it, and as Octos writes it back.
fn next_june() -> (String, String) {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 86_400;
    let year = 1970 + (days as f64 / 365.2425) as u64 + 1;
    (format!("{year}-06-15"), format!("06-15-{year}"))
}

async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .text()
        .await
        .unwrap()
}

/// The sandbox's status for `GET /virtual-machines` with `token`, asked directly.
async fn vms_status(sandbox_url: &str, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{sandbox_url}/octos/backend/api/virtual-machines"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn log_in(browser: &Browser, password: &str) {
    browser
        .set_field("#octos-email", "demo@cloudpane.dev")
        .await;
    browser.set_field("#octos-password", password).await;
    browser.click_button("Log in").await;
}

/// Clicks the button named `label` (its `aria-label`).
async fn click_labelled(browser: &Browser, label: &str) {
    browser
        .click(Locator::Css(&format!("button[aria-label='{label}']")))
        .await;
}

/// Clicks the link whose text is exactly `text` (an in-app link: the page is not reloaded, so
/// accounts kept in memory stay).
async fn follow(browser: &Browser, text: &str) {
    browser
        .click(Locator::XPath(&format!(
            "//main//a[normalize-space()='{text}']"
        )))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_tokens_whole_life() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    let page = format!("{}/octos/api-access", proxy.url);
    browser.open(&page, "Octos API access").await;
    assert_accessible(browser.axe().await, "the API access page, logged out");

    // A wrong password says so and keeps the e-mail.
    log_in(&browser, "not-the-password").await;
    browser
        .wait_for_text("#octos-password-error", "wrong", WAIT)
        .await;
    assert_eq!(browser.value_of("#octos-email").await, "demo@cloudpane.dev");
    assert_accessible(browser.axe().await, "the API access page, wrong password");
    log_in(&browser, "demo-password").await;
    browser.wait_for_text(".notice", "Logged in", WAIT).await;

    // A past date is refused before anything is sent; empty says "no expiry" plainly.
    browser
        .wait_for_text("#octos-token-expiry-help", "No expiry", WAIT)
        .await;
    browser.set_field("#octos-token-name", "e2e-ci").await;
    browser.set_field("#octos-token-expiry", "2020-01-01").await;
    browser.click_button("Enable API access").await;
    browser
        .wait_for_text("#octos-token-expiry-error", "not in the future", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the API access page, a past expiry");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sandbox_requests(&sandbox.url, "POST", ENABLE)
        .await
        .is_empty());

    // Enable: the token is shown once, with the warning; saved as an account in one click.
    let (expiry, expiry_as_octos_writes_it) = next_june();
    browser.set_field("#octos-token-expiry", &expiry).await;
    browser.click_button("Enable API access").await;
    browser
        .wait_for_text(".new-token", "will not show it again", WAIT)
        .await;
    // Masked until revealed.
    let masked = text_of(&browser, ".new-token-value").await;
    assert!(masked.starts_with('•') && !masked.contains('|'), "{masked}");
    click_labelled(&browser, "Reveal the new API token").await;
    browser.wait_for_text(".new-token-value", "|", WAIT).await;
    let first = text_of(&browser, ".new-token-value .revealed").await;
    // The sandbox refuses anything but a multipart form here: it was accepted.
    assert_eq!(
        sandbox_requests(&sandbox.url, "POST", ENABLE).await.len(),
        1
    );
    assert_eq!(vms_status(&sandbox.url, &first).await, 200);
    assert_accessible(
        browser.axe().await,
        "the API access page, the new token shown",
    );
    browser.click_button("Save as an Octos account").await;
    let saved = browser
        .wait_for_text(".new-token", "Saved as the Octos account e2e-ci", WAIT)
        .await;
    assert!(
        saved.contains("kept in this tab's memory only: a reload or closing the tab forgets it"),
        "where the account is kept: {saved}"
    );

    // The VMs, listed with the saved account (the demo account's token was replaced).
    browser.go_to_area("Octos").await;
    browser.wait_for_text("h1", "Octos Cloud", WAIT).await;
    follow(&browser, "Virtual machines").await;
    browser.wait_for_text("h1", "Octos VMs", WAIT).await;
    browser
        .wait_for_text("table.resources", "postgres-primary", WAIT)
        .await;
    browser.wait_for_text(".acting-as", "e2e-ci", WAIT).await;
    // And in the machines table.
    browser.go_to_area("Machines").await;
    browser.wait_for_text("table", "web-frontend-1", WAIT).await;

    // Rotate: one confirmed action; the old token is refused, the account holds the new one.
    browser.go_to_area("Octos").await;
    follow(&browser, "API access").await;
    browser.wait_for_text("h1", "Octos API access", WAIT).await;
    // The session ended with the page: log in again.
    log_in(&browser, "demo-password").await;
    browser.wait_for_text(".notice", "Logged in", WAIT).await;
    // The current token, revealed before the rotation.
    browser.click_button("Retrieve the current token").await;
    browser
        .wait_for_text(".current-token-value", "•", WAIT)
        .await;
    click_labelled(&browser, "Reveal the current API token").await;
    browser
        .wait_for_text(".current-token-value", &first, WAIT)
        .await;
    browser.click_button("Rotate the token…").await;
    let deadline = std::time::Instant::now() + WAIT;
    while browser.value_of("#octos-rotate-expiry").await != expiry {
        assert!(
            std::time::Instant::now() < deadline,
            "the rotate dialog never showed the expiry"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(browser.value_of("#octos-rotate-name").await, "e2e-ci");
    assert_accessible(
        browser.axe().await,
        "the API access page, the rotate dialog",
    );
    browser.click_button("Rotate the token").await;
    browser
        .wait_for_text(".octos-danger", "Token rotated", WAIT)
        .await;
    browser
        .wait_for_text(".new-token", "Saved as the Octos account e2e-ci", WAIT)
        .await;
    // The old token was revealed: the new one is not, neither as the new token nor as the
    // current one read again after the rotation.
    browser
        .wait_for_text_gone(".current-token-value", &first, WAIT)
        .await;
    browser
        .wait_for_text(".current-token-value .mask", "•", WAIT)
        .await;
    assert!(
        browser
            .client
            .find_all(Locator::Css(".revealed"))
            .await
            .unwrap()
            .is_empty(),
        "nothing is revealed after a rotation"
    );
    click_labelled(&browser, "Reveal the new API token").await;
    let rotated = browser
        .wait_for_text(".new-token-value .revealed", "|", WAIT)
        .await;
    assert_ne!(rotated, first);
    let source = browser.client.source().await.unwrap();
    assert_eq!(
        source.matches(&rotated).count(),
        1,
        "the new token is in the page once, where it was revealed"
    );
    assert_eq!(
        vms_status(&sandbox.url, &first).await,
        401,
        "the old token is refused"
    );
    assert_eq!(vms_status(&sandbox.url, &rotated).await, 200);
    assert_eq!(
        sandbox_requests(&sandbox.url, "POST", ENABLE).await.len(),
        2
    );
    assert_eq!(
        sandbox_requests(&sandbox.url, "DELETE", DISABLE)
            .await
            .len(),
        1
    );
    assert_accessible(browser.axe().await, "the API access page, rotated");
    // A revealed token masks itself after 30 s.
    tokio::time::sleep(Duration::from_secs(31)).await;
    let source = browser.client.source().await.unwrap();
    assert!(!source.contains(&rotated), "masked again after 30 s");
    browser
        .wait_for_text(".new-token-value .mask", "•", WAIT)
        .await;
    // The saved account works with the new token.
    browser.go_to_area("Octos").await;
    follow(&browser, "Virtual machines").await;
    browser
        .wait_for_text("table.resources", "ci-builder", WAIT)
        .await;

    // A reload: the token is not shown again. Retrieved, it is masked until revealed.
    browser.open(&page, "Octos API access").await;
    let source = browser.client.source().await.unwrap();
    assert!(!source.contains(&rotated), "the token is shown only once");
    assert!(browser
        .client
        .find(Locator::Css(".new-token"))
        .await
        .is_err());
    log_in(&browser, "demo-password").await;
    browser.wait_for_text(".notice", "Logged in", WAIT).await;
    browser.click_button("Retrieve the current token").await;
    browser
        .wait_for_text(".token-expiry", &expiry_as_octos_writes_it, WAIT)
        .await;
    let masked = text_of(&browser, ".current-token-value").await;
    assert!(
        masked.starts_with('•') && !masked.contains(&rotated),
        "{masked}"
    );
    assert_accessible(browser.axe().await, "the API access page, retrieved");
    click_labelled(&browser, "Reveal the current API token").await;
    browser
        .wait_for_text(".current-token-value", &rotated, WAIT)
        .await;
    browser.click_button("Hide").await;
    browser
        .wait_for_text_gone(".current-token-value", &rotated, WAIT)
        .await;
    browser
        .wait_for_text(".octos-profile", "demo@cloudpane.dev", WAIT)
        .await;

    // Disable, behind a confirmation that says what stops working.
    browser.click_button("Disable API access…").await;
    browser
        .wait_for_text(
            "dialog[open]",
            "Every script using the API token stops working",
            WAIT,
        )
        .await;
    assert_accessible(
        browser.axe().await,
        "the API access page, the disable dialog",
    );
    browser.click_button("Disable API access").await;
    browser
        .wait_for_text(".octos-danger", "API access is disabled", WAIT)
        .await;
    assert_eq!(vms_status(&sandbox.url, &rotated).await, 401);
    assert_eq!(
        sandbox_requests(&sandbox.url, "DELETE", DISABLE)
            .await
            .len(),
        2
    );
    assert_accessible(browser.axe().await, "the API access page, disabled");

    // No fallback to a disabled token: the demo account's token was replaced by the first
    // enable and the saved account went with the reload, so with the session ended there is
    // nothing to act with, and nothing is sent.
    browser.click_button("End the session").await;
    let octos_before = sandbox_requests(&sandbox.url, "GET", "/octos").await.len();
    browser.click_button("Retrieve the current token").await;
    browser
        .wait_for_text(".octos-current-token", "add an Octos account", WAIT)
        .await;
    browser.go_to_area("Octos").await;
    follow(&browser, "Virtual machines").await;
    browser
        .wait_for_text("main", "Octos Cloud account to see this page", WAIT)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        sandbox_requests(&sandbox.url, "GET", "/octos").await.len(),
        octos_before,
        "nothing sent with the disabled token"
    );
    // The Accounts page says why the demo account is not used.
    browser.go_to_area("Accounts").await;
    browser
        .wait_for_text(".token-disabled", "no longer accepts this token", WAIT)
        .await;
    assert_accessible(
        browser.axe().await,
        "the accounts page with a disabled token",
    );

    // No token ever went into a URL.
    for r in sandbox_requests(&sandbox.url, "GET", "/octos").await {
        let path = r["path"].as_str().unwrap_or_default();
        assert!(!path.contains(&first) && !path.contains(&rotated), "{path}");
    }
    browser.close().await;
}

/// Each family's page, and a row of the sandbox's that it must show.
const FAMILY_ROWS: [(&str, &str); 14] = [
    ("Projects", "Build and CI machines"),
    ("Block storage", "pg-data"),
    ("Snapshots", "pg-data-before-upgrade"),
    ("Backups", "ci-cache-weekly"),
    ("Networks", "prod-private"),
    ("Network categories", "Shared across projects"),
    ("Virtual routers", "prod-edge"),
    ("IP addresses", "103.21.40.9"),
    ("Security groups", "Postgres from the private network only"),
    ("Load balancers", "web-lb"),
    ("Monitoring", "disk 81% full"),
    ("DNS", "ci.example.net"),
    ("Billing", "INV-2026-10"),
    ("Support tickets", "Snapshot restore slower than expected"),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_resource_family_in_one_place() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/octos", proxy.url), "Octos Cloud")
        .await;
    for (title, row) in FAMILY_ROWS {
        follow(&browser, title).await;
        browser
            .wait_for_text("h1", &format!("{title} (Octos)"), WAIT)
            .await;
        browser.wait_for_text("table.resources", row, WAIT).await;
        follow(&browser, "All Octos resources").await;
        browser.wait_for_text("h1", "Octos Cloud", WAIT).await;
    }
    assert_eq!(
        sandbox_requests(&sandbox.url, "GET", "/octos/backend/api/")
            .await
            .len(),
        14
    );

    // One family closely: filter, sort, the raw JSON of a row; accessible throughout.
    follow(&browser, "Networks").await;
    browser
        .wait_for_text("#resource-count", "3 rows", WAIT)
        .await;
    assert_accessible(browser.axe().await, "a family page");
    browser.set_field("#resource-filter", "ci-").await;
    browser
        .wait_for_text("#resource-count", "1 of 3 rows match", WAIT)
        .await;
    browser.set_field("#resource-filter", "").await;
    browser.click_button("cidr").await;
    browser
        // Headers are shown in capitals (CSS), which is what WebDriver reads.
        .wait_for_text("th[aria-sort=ascending]", "CIDR", WAIT)
        .await;
    let first_row = text_of(&browser, "table.resources tbody tr").await;
    assert!(first_row.contains("10.10.0.0/24"), "{first_row}");
    browser
        .click(Locator::Css("button[aria-label='Raw JSON of prod-public']"))
        .await;
    browser
        .wait_for_text("table.resources pre", "\"gateway\": \"103.21.40.1\"", WAIT)
        .await;
    assert_accessible(
        browser.axe().await,
        "a family page, sorted, a row's raw JSON open",
    );
    browser.close().await;
}
