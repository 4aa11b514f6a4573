//! Accounts end to end: the real proxy and sandbox, the release app, headless Chromium. Two
//! Voltage Park organizations side by side, accounts remembered behind a passphrase across a
//! reload, locking by hand and when idle, and Test connection's words for NetActuate's IP ACL.

use std::time::{Duration, Instant};

use cloudpane_e2e::{
    assert_accessible, sandbox_admin, sandbox_requests, start_demo_proxy, start_sandbox, Browser,
    WAIT,
};
use fantoccini::Locator;
use reqwest::Method;
use serde_json::{json, Value};

/// The sandbox's second Voltage Park organization.
const RESEARCH_TOKEN: &str = "demo-voltagepark-research";
const PASSPHRASE: &str = "plum orbit kettle 42";

/// Adds a Voltage Park account on the Accounts page, testing its token first.
async fn add_voltage_park_account(browser: &Browser, name: &str, token: &str) {
    browser.set_field("#account-provider", "voltagepark").await;
    browser.set_field("#account-name", name).await;
    browser.set_field("#account-token", token).await;
    browser.click_button("Test connection").await;
    let outcome = browser
        .wait_for_text(".add-account .connection-outcome", "Voltage Park", WAIT)
        .await;
    assert!(
        outcome.contains("Connected: Voltage Park accepted the token"),
        "{outcome}"
    );
    browser.click_button("Add account").await;
    browser.wait_for_text("tbody tr", name, WAIT).await;
}

/// Chooses `name` as the account in use for `provider` in the header's switcher.
async fn switch_to(browser: &Browser, provider: &str, name: &str) {
    browser.click(Locator::Css(".switcher-button")).await;
    browser
        .click(Locator::XPath(&format!(
            "//div[@id='account-switcher-panel']//fieldset[legend='{provider}']//label[normalize-space()='{name}']"
        )))
        .await;
}

async fn local_storage(browser: &Browser, key: &str) -> Option<String> {
    browser
        .client
        .execute(
            "return localStorage.getItem(arguments[0]);",
            vec![json!(key)],
        )
        .await
        .unwrap()
        .as_str()
        .map(str::to_string)
}

async fn body_html(browser: &Browser) -> String {
    browser
        .client
        .execute("return document.documentElement.outerHTML;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

fn base64(bytes: &[u8]) -> String {
    cloudpane_api::vault::base64_encode(bytes)
}

#[tokio::test(flavor = "multi_thread")]
async fn two_voltage_park_accounts_and_the_switcher_changes_what_pages_show() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/accounts", proxy.url), "Accounts")
        .await;

    // No token yet: the test is refused in words, with nothing sent to any provider.
    let sent_before = sandbox_requests(&sandbox.url, "GET", "/").await.len();
    browser.set_field("#account-name", "research").await;
    browser.click_button("Test connection").await;
    browser
        .wait_for_text(
            ".add-account .connection-outcome",
            "There is no token to test",
            WAIT,
        )
        .await;
    assert!(
        browser.focus_is("#account-token").await,
        "the token's field takes focus"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent = sandbox_requests(&sandbox.url, "GET", "/").await;
    assert_eq!(sent.len(), sent_before, "nothing sent: {sent:?}");

    // A test's outcome speaks for the token it tested: typing another one takes it away.
    browser.set_field("#account-token", RESEARCH_TOKEN).await;
    browser.click_button("Test connection").await;
    browser
        .wait_for_text(".add-account .connection-outcome", "Connected", WAIT)
        .await;
    browser
        .set_field("#account-token", "demo-voltagepark-typo")
        .await;
    browser
        .wait_for_text_gone(".add-account .connection-outcome", "Connected", WAIT)
        .await;
    add_voltage_park_account(&browser, "research", RESEARCH_TOKEN).await;

    // The demo organization's keys while "Demo" is in use...
    browser.go_to_area("SSH keys").await;
    browser.wait_for_text("main", "alice-laptop", WAIT).await;
    // ...and the research organization's once the switcher says so.
    browser.click(Locator::Css(".switcher-button")).await;
    browser
        .wait_for_text("#account-switcher-panel", "research", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the account switcher, open");
    browser.click(Locator::Css(".switcher-button")).await;
    switch_to(&browser, "Voltage Park", "research").await;
    browser.wait_for_text("main", "bob-desktop", WAIT).await;
    browser
        .wait_for_text_gone("main", "alice-laptop", WAIT)
        .await;
    let header = browser
        .wait_for_text(".switcher-button", "research", WAIT)
        .await;
    assert!(header.contains("Voltage Park"), "{header}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn remembered_accounts_survive_a_reload_behind_the_passphrase_and_lock() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    let accounts_url = format!("{}/accounts", proxy.url);
    browser.open(&accounts_url, "Accounts").await;
    add_voltage_park_account(&browser, "research", RESEARCH_TOKEN).await;
    assert_accessible(browser.axe().await, "the accounts page");

    // Remember them: only ciphertext reaches local storage.
    browser.set_field("#remember-passphrase", PASSPHRASE).await;
    browser
        .set_field("#remember-passphrase-again", PASSPHRASE)
        .await;
    browser.click_button("Remember accounts").await;
    browser
        .wait_for_text(".vault-status", "Remembered on this device", WAIT)
        .await;
    let record = local_storage(&browser, "cloudpane.vault")
        .await
        .expect("a record in local storage");
    eprintln!("stored record: {record}");
    let fields: Value = serde_json::from_str(&record).unwrap();
    assert_eq!(fields["format"], "cloudpane-vault");
    assert_eq!(fields["iterations"], 600_000);
    for token in [RESEARCH_TOKEN, "demo-voltagepark", "demo-netactuate"] {
        let hex: String = token.bytes().map(|b| format!("{b:02x}")).collect();
        for form in [token.to_string(), base64(token.as_bytes()), hex] {
            let form = form.trim_end_matches('=');
            assert!(!record.contains(form), "the record holds {form}");
        }
    }
    assert!(!record.contains("research"), "names are encrypted too");
    let storage_dump: String = browser
        .client
        .execute(
            "return JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage)) + document.cookie;",
            vec![],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    assert!(!storage_dump.contains(RESEARCH_TOKEN));

    // A reload asks for the passphrase before anything else; nothing is fetched meanwhile.
    browser.open(&accounts_url, "Accounts locked").await;
    let html = body_html(&browser).await;
    assert!(!html.contains(RESEARCH_TOKEN) && !html.contains("research"));
    assert_accessible(browser.axe().await, "the unlock screen");
    browser
        .set_field("#unlock-passphrase", "plum orbit kettle 43")
        .await;
    browser.click_button("Unlock").await;
    browser
        .wait_for_text("#unlock-passphrase-error", "does not unlock", WAIT)
        .await;
    assert_eq!(
        local_storage(&browser, "cloudpane.vault").await.as_deref(),
        Some(record.as_str()),
        "a wrong passphrase loses nothing"
    );

    browser.set_field("#unlock-passphrase", PASSPHRASE).await;
    let started = Instant::now();
    browser.click_button("Unlock").await;
    browser.wait_for_text("tbody tr", "research", WAIT).await;
    eprintln!(
        "unlock, click to the accounts listed (WebDriver-polled): {:?}",
        started.elapsed()
    );
    let pbkdf2_ms = browser
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               const enc = new TextEncoder();
               const t0 = performance.now();
               crypto.subtle.importKey('raw', enc.encode('plum orbit kettle 42'), 'PBKDF2', false, ['deriveKey'])
                 .then(k => crypto.subtle.deriveKey({name: 'PBKDF2', hash: 'SHA-256', iterations: 600000, salt: crypto.getRandomValues(new Uint8Array(16))},
                       k, {name: 'AES-GCM', length: 256}, false, ['encrypt', 'decrypt']))
                 .then(() => done(performance.now() - t0));"#,
            vec![],
        )
        .await
        .unwrap();
    eprintln!("PBKDF2-SHA-256 600,000 iterations alone: {pbkdf2_ms} ms");

    // Live data again, as the research organization is still the one in use.
    browser.go_to_area("Locations").await;
    browser.wait_for_text("main", "Seattle", WAIT).await;

    // Lock by hand: the key and every token leave the page.
    browser
        .click(Locator::XPath("//header//button[contains(., 'Lock')]"))
        .await;
    browser.wait_for_text("h1", "Accounts locked", WAIT).await;
    let html = body_html(&browser).await;
    for token in [RESEARCH_TOKEN, "demo-voltagepark", "demo-octos"] {
        assert!(!html.contains(token), "{token} in the locked page");
    }
    assert!(!html.contains("Seattle"), "no page runs while locked");

    // Locks itself when idle (shortened to 2 s here); the pages' own refreshes do not count.
    browser.set_field("#unlock-passphrase", PASSPHRASE).await;
    browser.click_button("Unlock").await;
    browser.wait_for_text("h1", "Locations", WAIT).await;
    browser
        .client
        .execute(
            "localStorage.setItem('cloudpane.auto_lock_seconds', '2');",
            vec![],
        )
        .await
        .unwrap();
    browser
        .wait_for_text("h1", "Accounts locked", Duration::from_secs(20))
        .await;
    // It says why, on the lock screen and in the live region (not "Accounts unlocked" still).
    let said = "Accounts locked after 2 seconds without activity.";
    browser.wait_for_text(".lock-reason", said, WAIT).await;
    browser
        .wait_for_text("[role=status][aria-live=polite]", said, WAIT)
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn test_connection_names_netactuate_ip_acl_in_plain_words() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    // An allowlist that leaves out loopback, where the proxy calls from.
    sandbox_admin(
        &sandbox.url,
        Method::PUT,
        "/netactuate/acl",
        Some(json!({ "allowed": ["203.0.113.0/24"] })),
    )
    .await;
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/accounts", proxy.url), "Accounts")
        .await;
    browser
        .click(Locator::XPath(
            "//tr[td[1]='NetActuate']//button[contains(., 'Test connection')]",
        ))
        .await;
    let outcome = browser
        .wait_for_text(".connection-outcome", "NetActuate refused", WAIT)
        .await;
    assert!(
        outcome.contains("(403)") && outcome.contains("Account → API → IP ACL"),
        "{outcome}"
    );
    // The other providers' demo tokens still pass.
    browser
        .click(Locator::XPath(
            "//tr[td[1]='Octos Cloud']//button[contains(., 'Test connection')]",
        ))
        .await;
    browser
        .wait_for_text(
            ".connection-outcome",
            "Octos Cloud accepted the token",
            WAIT,
        )
        .await;
    assert_accessible(browser.axe().await, "the accounts page with test outcomes");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_encrypted_backup_moves_the_accounts_to_another_browser() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let accounts_url = format!("{}/accounts", proxy.url);
    let first = Browser::start().await;
    first.open(&accounts_url, "Accounts").await;
    add_voltage_park_account(&first, "research", RESEARCH_TOKEN).await;
    first.set_field("#remember-passphrase", PASSPHRASE).await;
    first
        .set_field("#remember-passphrase-again", PASSPHRASE)
        .await;
    first.click_button("Remember accounts").await;
    first
        .wait_for_text(".vault-status", "Remembered on this device", WAIT)
        .await;
    first.click_button("Export encrypted backup").await;
    let backup = first
        .downloaded("cloudpane-accounts.vault.json", WAIT)
        .await;
    assert_eq!(
        Some(backup.as_str()),
        local_storage(&first, "cloudpane.vault").await.as_deref(),
        "the backup is the stored record"
    );
    assert!(!backup.contains(RESEARCH_TOKEN));
    let path = first.downloads.join("cloudpane-accounts.vault.json");
    let copy = std::env::temp_dir().join(format!("cloudpane-backup-{}.json", std::process::id()));
    std::fs::copy(&path, &copy).unwrap();
    first.close().await;

    // Another browser: the demo accounts only, until the backup is imported.
    let second = Browser::start().await;
    second.open(&accounts_url, "Accounts").await;
    second.wait_for_text("tbody tr", "Demo", WAIT).await;
    let file = second
        .client
        .find(Locator::Css("#import-file"))
        .await
        .unwrap();
    file.send_keys(&copy.display().to_string()).await.unwrap();
    second
        .set_field("#import-passphrase", "not the passphrase")
        .await;
    second.click_button("Import accounts").await;
    // Beside the field, and in the error summary at the top of the form, linked to it.
    second
        .wait_for_text("#import-passphrase-error", "does not unlock", WAIT)
        .await;
    second
        .wait_for_text(
            "#import-errors a[href='#import-passphrase']",
            "does not unlock",
            WAIT,
        )
        .await;
    second.set_field("#import-passphrase", PASSPHRASE).await;
    second.click_button("Import accounts").await;
    let done = second
        .wait_for_text(".backup [role=status]", "Imported 1 account", WAIT)
        .await;
    assert!(done.contains("3 already here"), "{done}");
    second.wait_for_text("tbody tr", "research", WAIT).await;
    switch_to(&second, "Voltage Park", "research").await;
    second.go_to_area("SSH keys").await;
    second.wait_for_text("main", "bob-desktop", WAIT).await;
    let _ = std::fs::remove_file(&copy);
    second.close().await;
}
