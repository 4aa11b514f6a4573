//! The organization's SSH keys and storage volumes end to end: through the real proxy and
//! sandbox in headless Chromium. The sandbox's request log shows what was really sent.

use std::time::Duration;

use cloudpane_e2e::{
    assert_accessible, sandbox_requests, start_demo_proxy, start_sandbox, Browser, WAIT,
};
use fantoccini::Locator;
use serde_json::{json, Value};

const KEYS: &str = "/voltagepark/api/v1/organization/ssh-keys";
const STORAGE: &str = "/voltagepark/api/v1/storage/";

/// A key made with `ssh-keygen -t ecdsa -b 384` for these tests (its private half was
/// discarded), and what `ssh-keygen -lf` printed for it.
const NEW_KEY: &str = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBGztkX41fskcc0OTdWHJ9GGkILNWrWq7xbV/hoqLlAiuYozUqFd6taXlU0Oj73E2kFwvev8lk7zDqpE4Tx7b592eFMFGn9VUM6vMvDTok8adIXsCcvai8AzWL/WKCAYAQg== e2e@browser";
const NEW_KEY_KEYGEN: &str =
    "384 SHA256:/H0t1/kjb34xOnSj5YgU2VIDnEOpGrMUQXAuBgBi+2Q e2e@browser (ECDSA)";

/// A throwaway private key (made with `ssh-keygen -t ed25519 -N ''` for crates/api's tests).
const PRIVATE_KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXAAAAJiy1gIistYC
IgAAAAtzc2gtZWQyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXA
AAAEBDZkpyGIhnQ/o44e4jfIz2niZ89qnA1+mUZkCTuOBUKWFtSXz8FCz2+6rrhxP3yqiw
xWZ6lC4pMOxSQwktA9NcAAAADnVzZXJAZWQyNTUxOS0wAQIDBAUGBw==
-----END OPENSSH PRIVATE KEY-----
";

/// What `ssh-keygen -lf` says about `key`, when ssh-keygen is installed.
fn ssh_keygen_says(key: &str) -> Option<String> {
    let path = std::env::temp_dir().join(format!("cloudpane-e2e-{}.pub", std::process::id()));
    std::fs::write(&path, format!("{key}\n")).ok()?;
    let out = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&path)
        .output()
        .ok();
    let _ = std::fs::remove_file(&path);
    let out = out?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Clicks the button `text` of the volume card headed `volume`.
async fn click_in_volume(browser: &Browser, volume: &str, text: &str) {
    browser
        .click(Locator::XPath(&format!(
            "//article[.//h2[normalize-space()='{volume}']]//button[normalize-space()='{text}' and not(@disabled)]"
        )))
        .await;
}

/// Waits until the volume card headed `volume` holds `text`, and returns the card's text.
async fn wait_for_volume_text(browser: &Browser, volume: &str, text: &str) -> String {
    let card = format!("//article[.//h2[normalize-space()='{volume}']]");
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        if let Ok(el) = browser.client.find(Locator::XPath(&card)).await {
            if let Ok(t) = el.text().await {
                if t.contains(text) {
                    return t;
                }
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the card of {volume} never held {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Opens the change form of the volume `volume` and ticks or unticks the rental `rental`.
async fn toggle_rental(browser: &Browser, volume: &str, rental: &str) {
    let card = format!("//article[.//h2[normalize-space()='{volume}']]");
    if let Ok(summary) = browser
        .client
        .find(Locator::XPath(&format!(
            "{card}//details[not(@open)]/summary"
        )))
        .await
    {
        summary.click().await.unwrap();
    }
    let checkbox =
        format!("{card}//details[@open]//fieldset//label[contains(., '{rental}')]/input");
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let found = browser.client.find(Locator::XPath(&checkbox)).await;
        if let Ok(input) = found {
            if input.click().await.is_ok() {
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no checkbox for {rental} in the change form of {volume}:\n{}",
            browser.client.source().await.unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A Voltage Park storage object of the sandbox, read directly with the header its document
/// shows.
async fn sandbox_storage(sandbox_url: &str, path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{sandbox_url}/voltagepark/api/v1/storage{path}"))
        .header("x-api-token", "demo-voltagepark")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn add_a_key_refuse_a_private_one_and_delete_the_key() {
    if let Some(said) = ssh_keygen_says(NEW_KEY) {
        assert_eq!(
            said, NEW_KEY_KEYGEN,
            "the fixture is what ssh-keygen prints"
        );
    }
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/ssh-keys", proxy.url), "SSH keys")
        .await;
    // The demo organization's keys, with the fingerprints ssh-keygen gives them.
    browser
        .wait_for_text(
            "table.ssh-keys",
            "SHA256:YvkXyzAU6bGuwGW8kFsKyItvDkiyzsKxii6tTITVuYQ",
            WAIT,
        )
        .await;
    browser
        .wait_for_text("table.ssh-keys", "RSA 3072", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the SSH keys page");

    // Search by name, then by a piece of a fingerprint.
    browser.set_field("#key-search", "runner").await;
    browser
        .wait_for_text("#key-count", "1 of 3 keys match", WAIT)
        .await;
    browser.set_field("#key-search", "YvkXyzAU").await;
    browser
        .wait_for_text("#key-count", "1 of 3 keys match", WAIT)
        .await;
    browser
        .wait_for_text("table.ssh-keys tbody", "alice-laptop", WAIT)
        .await;
    browser.set_field("#key-search", "").await;
    browser.wait_for_text("#key-count", "3 keys", WAIT).await;

    // A private key is refused at once, taken out of the field and never sent.
    browser
        .set_field(".key-draft input[type=text]", "my laptop")
        .await;
    browser.set_field(".key-draft textarea", PRIVATE_KEY).await;
    browser
        .wait_for_text(".key-draft", "not a public key. It was refused", WAIT)
        .await;
    assert_eq!(browser.value_of(".key-draft textarea").await, "");
    browser.click_button("Add key").await;
    browser
        .wait_for_text(".key-draft", "Paste a public key", WAIT)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        sandbox_requests(&sandbox.url, "POST", KEYS)
            .await
            .is_empty(),
        "nothing is sent while a key is wrong"
    );

    // The tail of ~/.ssh/id_ed25519 from its fourth line (the secret bytes and the END line),
    // then those body lines alone: each refused and taken out at once, never kept by the
    // draft, so a reload brings nothing of it back.
    let lines: Vec<&str> = PRIVATE_KEY.lines().collect();
    for (piece, said) in [
        (lines[3..].join("\n"), "not a public key. It was refused"),
        (lines[3..6].join("\n"), "inside of a private key file"),
    ] {
        browser.set_field(".key-draft textarea", &piece).await;
        browser.wait_for_text(".key-draft", said, WAIT).await;
        browser
            .snap(&format!("item4-private-key-piece-refused-{}", said.len()))
            .await;
        assert_eq!(browser.value_of(".key-draft textarea").await, "");
    }
    let secret_runs: Vec<&str> = lines[1..6].iter().map(|l| &l[..24]).collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stored = browser.session_storage().await;
    assert!(stored.contains("my laptop"), "the draft is kept: {stored}");
    for run in &secret_runs {
        assert!(!stored.contains(run), "{run} in session storage: {stored}");
    }
    browser.reload().await;
    let deadline = std::time::Instant::now() + WAIT;
    let name_field =
        "const f = document.querySelector('.key-draft input[type=text]'); return f ? f.value : '';";
    while browser.client.execute(name_field, vec![]).await.unwrap() != "my laptop" {
        assert!(
            std::time::Instant::now() < deadline,
            "the draft's name came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(browser.value_of(".key-draft textarea").await, "");
    let stored = browser.session_storage().await;
    for run in &secret_runs {
        assert!(
            !stored.contains(run),
            "{run} in session storage after a reload"
        );
    }

    // The real key: its fingerprint shows before sending, as ssh-keygen prints it.
    browser
        .set_field(".key-draft input[type=text]", "e2e browser")
        .await;
    browser.set_field(".key-draft textarea", NEW_KEY).await;
    browser
        .wait_for_text(".key-draft .key-ok", NEW_KEY_KEYGEN, WAIT)
        .await;
    assert_accessible(browser.axe().await, "the add-keys form with a key");
    browser.click_button("Add key").await;
    browser
        .wait_for_text(".add-keys .outcome", "Added 1 key: e2e browser.", WAIT)
        .await;
    let row = browser
        .wait_for_text("table.ssh-keys tbody tr", "e2e browser", WAIT)
        .await;
    assert!(
        row.contains("SHA256:/H0t1/kjb34xOnSj5YgU2VIDnEOpGrMUQXAuBgBi+2Q"),
        "{row}"
    );
    assert!(
        row.contains("ECDSA") && row.contains("e2e@browser"),
        "{row}"
    );
    assert_eq!(sandbox_requests(&sandbox.url, "POST", KEYS).await.len(), 1);

    // The same key again, under another name: refused here, saying under which name it is.
    browser
        .set_field(".key-draft input[type=text]", "again")
        .await;
    browser.set_field(".key-draft textarea", NEW_KEY).await;
    browser
        .wait_for_text(
            ".key-draft",
            "This key is already in the organization, as \u{201c}e2e browser\u{201d}",
            WAIT,
        )
        .await;
    browser.click_button("Add key").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sandbox_requests(&sandbox.url, "POST", KEYS).await.len(), 1);

    // Delete it, behind a confirmation that names it and says machines keep it.
    browser
        .click(Locator::Css("button[aria-label='Delete e2e browser']"))
        .await;
    let dialog = browser
        .wait_for_text(
            "dialog[open]",
            "Delete the SSH key \u{201c}e2e browser\u{201d}?",
            WAIT,
        )
        .await;
    assert!(
        dialog.contains("Machines that already have it keep it"),
        "{dialog}"
    );
    assert_accessible(browser.axe().await, "the delete-key dialog");
    browser.click_button("Delete key").await;
    browser
        .wait_for_text_gone("table.ssh-keys tbody", "e2e browser", WAIT)
        .await;
    let deletes = sandbox_requests(&sandbox.url, "DELETE", KEYS).await;
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert_eq!(deletes[0]["status"], 204);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_resize_and_delete_a_volume() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/storage", proxy.url), "Storage")
        .await;
    let datasets = browser
        .wait_for_text("article.volume", "of 2,000 GB used", WAIT)
        .await;
    assert!(datasets.contains("datasets"), "{datasets}");
    assert!(
        datasets.contains("pretrain-cluster"),
        "rentals by name: {datasets}"
    );
    assert!(
        datasets.contains("10.21.4.17:/ /mnt/datasets"),
        "{datasets}"
    );
    assert!(datasets.contains("Active"), "{datasets}");
    assert_accessible(browser.axe().await, "the storage page");

    // Create: the estimate shows before the click.
    browser.set_field("#new-volume-name", "e2e scratch").await;
    browser.set_field("#new-volume-size_in_gb", "50").await;
    browser
        .wait_for_text("#new-volume-estimate", "$6.35/month", WAIT)
        .await;
    browser.click_button("Create volume").await;
    let card = browser
        .wait_for_text("article.volume", "e2e scratch", WAIT)
        .await;
    assert!(card.contains("50 GB"), "{card}");
    assert!(card.contains("0 B of 50 GB used (0%)"), "{card}");
    let posts = sandbox_requests(&sandbox.url, "POST", STORAGE).await;
    assert_eq!(posts.len(), 1, "{posts:?}");
    let list = sandbox_storage(&sandbox.url, "/").await;
    let created = list["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "e2e scratch")
        .expect("the sandbox has the volume")
        .clone();
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["size_in_gb"], 50);

    // Resize: the new cost beside the old; a size the provider refuses is marked at the size
    // field, and what was typed stays.
    browser
        .click(Locator::XPath(
            "//summary[contains(., 'Change e2e scratch')]",
        ))
        .await;
    let size_field = format!("#volume-{id}-size_in_gb");
    browser.set_field(&size_field, "200000").await;
    click_in_volume(&browser, "e2e scratch", "Save changes").await;
    browser
        .wait_for_text(
            &format!("#volume-{id}-size-error"),
            "Voltage Park refused it",
            WAIT,
        )
        .await;
    assert_eq!(browser.value_of(&size_field).await, "200000");
    // The form's error summary takes focus, and its link leads to the size field.
    let summary = format!("#volume-{id}-errors");
    browser.wait_for_focus(&summary, WAIT).await;
    browser
        .click(Locator::Css(&format!("{summary} a[href='{size_field}']")))
        .await;
    browser.wait_for_focus(&size_field, WAIT).await;
    browser.set_field(&size_field, "80").await;
    browser
        .wait_for_text(&format!("#volume-{id}-new-cost"), "At 80 GB", WAIT)
        .await;
    browser
        .wait_for_text(&format!("#volume-{id}-new-cost"), "now $0.01/hour", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the change form");
    click_in_volume(&browser, "e2e scratch", "Save changes").await;
    browser
        .wait_for_text("article.volume", "0 B of 80 GB used", WAIT)
        .await;
    assert_eq!(
        sandbox_storage(&sandbox.url, &format!("/{id}")).await["size_in_gb"],
        80
    );

    // Attach it to a rental (a shared volume can serve several), then detach it again.
    toggle_rental(&browser, "e2e scratch", "pretrain-cluster").await;
    click_in_volume(&browser, "e2e scratch", "Save changes").await;
    let card = wait_for_volume_text(&browser, "e2e scratch", "Attached to\npretrain-cluster").await;
    assert!(card.contains("80 GB"), "{card}");
    let rental_ids = sandbox_storage(&sandbox.url, &format!("/{id}")).await["order_ids"].clone();
    assert_eq!(rental_ids.as_array().map(Vec::len), Some(1), "{rental_ids}");
    click_in_volume(&browser, "e2e scratch", "Delete e2e scratch").await;
    wait_for_volume_text(
        &browser,
        "e2e scratch",
        "still attached to pretrain-cluster",
    )
    .await;
    toggle_rental(&browser, "e2e scratch", "pretrain-cluster").await;
    click_in_volume(&browser, "e2e scratch", "Save changes").await;
    wait_for_volume_text(&browser, "e2e scratch", "Attached to\nNo rental").await;
    assert_eq!(
        sandbox_storage(&sandbox.url, &format!("/{id}")).await["order_ids"],
        json!([])
    );

    // The attached volume cannot be deleted: the page says why, and sends nothing.
    browser.click_button("Delete datasets").await;
    browser
        .wait_for_text("article.volume", "still attached to pretrain-cluster", WAIT)
        .await;
    assert!(sandbox_requests(&sandbox.url, "DELETE", STORAGE)
        .await
        .is_empty());

    // Delete the new one: its name must be typed.
    browser.click_button("Delete e2e scratch").await;
    browser
        .wait_for_text(
            "dialog[open]",
            "Delete the volume \u{201c}e2e scratch\u{201d}?",
            WAIT,
        )
        .await;
    assert_accessible(browser.axe().await, "the delete-volume dialog");
    browser
        .type_into("dialog[open] input[type=text]", "e2e scratch")
        .await;
    browser.click_button("Delete volume").await;
    browser
        .wait_for_text_gone("article.volume h2", "e2e scratch", WAIT)
        .await;
    let deletes = sandbox_requests(&sandbox.url, "DELETE", STORAGE).await;
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert_eq!(deletes[0]["status"], 204);
    browser.close().await;
}
