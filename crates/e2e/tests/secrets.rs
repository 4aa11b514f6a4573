//! NetActuate secrets end to end, through the real proxy and sandbox in headless Chromium: a
//! secret created, revealed, updated and deleted (and a duplicate name's 409 at the field); a
//! list created and a `.env` block imported after its preview; a cloud-init script's references
//! checked; the servers; and every NetActuate page with the sandbox's IP ACL refusing the proxy.
//! One browser for the whole file; the sandbox's request log and state show what was sent.

use std::time::Duration;

use cloudpane_e2e::{
    assert_accessible, sandbox_admin, sandbox_requests, start_demo_proxy, start_sandbox, Browser,
    Server, WAIT,
};
use fantoccini::Locator;
use serde_json::{json, Value};

const TOKEN: &str = "demo-netactuate";

/// A NetActuate object of the sandbox, read directly (not through the proxy).
async fn sandbox_get(sandbox: &Server, path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}/netactuate{path}", sandbox.url))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The id of the v3 secret named `name`, if there is one.
async fn secret_id(sandbox: &Server, name: &str) -> Option<u64> {
    sandbox_get(sandbox, "/v3/secrets").await["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["id"].as_u64())
}

/// Every list value of the sandbox as (list name, key, value).
async fn all_values(sandbox: &Server) -> Vec<(String, String, String)> {
    let lists = sandbox_get(sandbox, "/api/secrets/lists").await;
    let values = sandbox_get(sandbox, "/api/secrets/all-values").await;
    let name_of = |id: &Value| {
        lists["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| &l["id"] == id)
            .map(|l| l["name"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    values["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                name_of(&v["secret_list_id"]),
                v["secret_key"].as_str().unwrap().to_string(),
                v["secret_value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn page_html(browser: &Browser) -> String {
    browser.client.source().await.unwrap()
}

async fn click_labelled(browser: &Browser, label: &str) {
    browser
        .click(Locator::Css(&format!("button[aria-label='{label}']")))
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn netactuate_secrets_journeys() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    create_reveal_update_and_delete_a_secret(&browser, &sandbox, &proxy).await;
    create_a_list_and_import_a_env_block(&browser, &sandbox, &proxy).await;
    check_a_cloud_init_script(&browser, &proxy).await;
    see_the_servers(&browser, &proxy).await;
    every_page_explains_the_ip_acl(&browser, &sandbox, &proxy).await;
    browser.close().await;
}

async fn create_reveal_update_and_delete_a_secret(
    browser: &Browser,
    sandbox: &Server,
    proxy: &Server,
) {
    browser
        .open(&format!("{}/secrets", proxy.url), "Secrets")
        .await;
    browser
        .wait_for_text("table.secrets", "db-password", WAIT)
        .await;
    let seeded = sandbox_get(sandbox, "/v3/secrets/1").await["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !page_html(browser).await.contains(&seeded),
        "values are not in the page while masked"
    );
    browser
        .wait_for_text("table.secret-lists", "production", WAIT)
        .await;
    browser
        .wait_for_text("table.all-values", "STAGING_DB_PASSWORD", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the secrets page");

    // Create.
    browser.set_field("#new-secret-name", "e2e-token").await;
    browser
        .set_field("#new-secret-value", "e2e-value-123")
        .await;
    browser.click_button("Create secret").await;
    browser
        .wait_for_text("table.secrets", "e2e-token", WAIT)
        .await;
    let id = secret_id(sandbox, "e2e-token").await.expect("created");
    assert_eq!(
        sandbox_get(sandbox, &format!("/v3/secrets/{id}")).await["value"],
        "e2e-value-123"
    );
    assert!(!page_html(browser).await.contains("e2e-value-123"));

    // A name taken behind the page's back: NetActuate's 409 is said next to the name, and
    // what was typed stays.
    let made = reqwest::Client::new()
        .post(format!("{}/netactuate/v3/secrets", sandbox.url))
        .bearer_auth(TOKEN)
        .json(&json!({"name": "made-elsewhere", "value": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    browser
        .set_field("#new-secret-name", "made-elsewhere")
        .await;
    browser.set_field("#new-secret-value", "typed-value").await;
    browser.click_button("Create secret").await;
    browser
        .wait_for_text(
            "#new-secret-name-error",
            "A secret with that name exists.",
            WAIT,
        )
        .await;
    let refused = sandbox_requests(&sandbox.url, "POST", "/netactuate/v3/secrets").await;
    assert_eq!(refused.last().unwrap()["status"], 409, "{refused:?}");
    assert_eq!(browser.value_of("#new-secret-name").await, "made-elsewhere");
    assert_eq!(browser.value_of("#new-secret-value").await, "typed-value");
    // The secrets are read again after the refusal: the one holding the name is listed.
    browser
        .wait_for_text("table.secrets", "made-elsewhere", WAIT)
        .await;
    browser.set_field("#new-secret-name", "").await;
    browser.set_field("#new-secret-value", "").await;

    // Reveal reads it by id and shows it; Hide masks it.
    let by_id = format!("/netactuate/v3/secrets/{id}");
    let reads_before = sandbox_requests(&sandbox.url, "GET", &by_id).await.len();
    click_labelled(browser, "Reveal the value of e2e-token").await;
    browser
        .wait_for_text("code.revealed", "e2e-value-123", WAIT)
        .await;
    let reads = sandbox_requests(&sandbox.url, "GET", &by_id).await;
    assert_eq!(reads.len(), reads_before + 1, "one read by id");
    let title: String = browser.client.title().await.unwrap();
    assert!(!title.contains("e2e-value-123"));
    click_labelled(browser, "Hide the value of e2e-token").await;
    browser
        .wait_for_text_gone("table.secrets", "e2e-value-123", WAIT)
        .await;

    // Update the value.
    click_labelled(browser, "Update the value of e2e-token").await;
    browser
        .wait_for_text(
            "dialog[open] h2",
            "Update the value of \u{201c}e2e-token\u{201d}",
            WAIT,
        )
        .await;
    browser
        .set_field("#update-secret-value", "e2e-value-456")
        .await;
    assert_accessible(browser.axe().await, "the update dialog");
    browser.click_button("Save value").await;
    browser
        .wait_for_text_gone("dialog[open] h2", "Update the value", WAIT)
        .await;
    let puts = sandbox_requests(&sandbox.url, "PUT", &format!("/netactuate/v3/secrets/{id}")).await;
    assert_eq!(puts.len(), 1);
    assert_eq!(
        sandbox_get(sandbox, &format!("/v3/secrets/{id}")).await["value"],
        "e2e-value-456"
    );

    // Delete, after a confirmation that names it.
    click_labelled(browser, "Delete e2e-token").await;
    let dialog = browser
        .wait_for_text(
            "dialog[open]",
            "Delete the secret \u{201c}e2e-token\u{201d}?",
            WAIT,
        )
        .await;
    assert!(
        dialog.contains("Machines already deployed with its value keep it"),
        "{dialog}"
    );
    assert_accessible(browser.axe().await, "the delete dialog");
    browser.click_button("Delete secret").await;
    browser
        .wait_for_text_gone("table.secrets", "e2e-token", WAIT)
        .await;
    assert_eq!(secret_id(sandbox, "e2e-token").await, None);
}

async fn create_a_list_and_import_a_env_block(browser: &Browser, sandbox: &Server, proxy: &Server) {
    browser
        .open(&format!("{}/secrets", proxy.url), "Secrets")
        .await;
    browser
        .wait_for_text("table.secret-lists", "production", WAIT)
        .await;
    // Names that cannot address a list are refused at the field, kept as typed, and nothing is
    // sent: such a list could be neither opened nor deleted (a delete of ".." went to
    // /api/secrets/).
    for bad in ["..", "web/app"] {
        browser.set_field("#new-list-name", bad).await;
        browser.click_button("Create list").await;
        browser
            .wait_for_text(
                "#new-list-name-error",
                "NetActuate finds a list by its name",
                WAIT,
            )
            .await;
        assert_eq!(browser.value_of("#new-list-name").await, bad);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        sandbox_requests(&sandbox.url, "POST", "/netactuate/api/secrets")
            .await
            .is_empty(),
        "nothing is sent for a name that cannot address a list"
    );
    browser.set_field("#new-list-name", "e2e-list").await;
    browser.click_button("Create list").await;
    browser
        .wait_for_text("table.secret-lists", "e2e-list", WAIT)
        .await;
    // The documented way: an empty list, then a rename.
    assert_eq!(
        sandbox_requests(&sandbox.url, "POST", "/netactuate/api/secrets/lists")
            .await
            .len(),
        2
    );
    browser.click(Locator::LinkText("e2e-list")).await;
    browser
        .wait_for_text("h2.list-name", "e2e-list", WAIT)
        .await;
    // The same on rename.
    browser.set_field("#rename-list-name", "app/env").await;
    browser.click_button("Rename").await;
    browser
        .wait_for_text("#rename-list-name-error", "cannot hold \"/\"", WAIT)
        .await;
    assert_eq!(browser.value_of("#rename-list-name").await, "app/env");
    assert!(sandbox_requests(
        &sandbox.url,
        "POST",
        "/netactuate/api/secrets/lists/e2e-list"
    )
    .await
    .is_empty());
    browser.set_field("#rename-list-name", "e2e-list").await;

    // A value added by hand; a key another list holds is named before sending.
    browser
        .set_field("#new-value-key", "STAGING_DB_PASSWORD")
        .await;
    browser
        .wait_for_text(
            "#new-value-key-error",
            "\u{201c}staging\u{201d} already holds the key",
            WAIT,
        )
        .await;
    browser.set_field("#new-value-key", "E2E_CHANGED").await;
    browser
        .set_field("#new-value-value", "before-value-1111")
        .await;
    browser.click_button("Add value").await;
    browser
        .wait_for_text("table.list-values", "E2E_CHANGED", WAIT)
        .await;

    // Leaving with something typed asks first.
    browser.set_field("#new-value-key", "HALF_TYPED").await;
    // Clicked from a timer, so the script returns before the question blocks the page.
    browser
        .client
        .execute(
            "const a = [...document.querySelectorAll('a')].find(a => a.textContent.includes('All secrets and lists'));
             setTimeout(() => a.click(), 0);",
            vec![],
        )
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    let asked = loop {
        match browser.client.get_alert_text().await {
            Ok(text) => break text,
            Err(_) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(e) => panic!("no question before leaving: {e}"),
        }
    };
    assert!(asked.contains("not saved"), "{asked}");
    browser.client.dismiss_alert().await.unwrap();
    browser
        .wait_for_text("h2.list-name", "e2e-list", WAIT)
        .await;
    browser.set_field("#new-value-key", "").await;

    // The import: a new key, a changed one, one another list holds, one line not understood.
    let before = sandbox_requests(
        &sandbox.url,
        "POST",
        "/netactuate/api/secrets/lists/e2e-list/values",
    )
    .await
    .len();
    browser
        .set_field(
            "#env-text",
            "# e2e\nexport NEW_ONE=\"fresh value\"\nE2E_CHANGED=after-2222\nSTAGING_DB_PASSWORD=nope\nnot a line\n",
        )
        .await;
    browser.click_button("Preview import").await;
    let preview = browser
        .wait_for_text(
            ".import-preview",
            "1 new, 1 changed, 0 unchanged, 1 held by another list",
            WAIT,
        )
        .await;
    assert!(preview.contains("Line 5:"), "{preview}");
    assert!(
        preview.contains("••••••••1111") && !preview.contains("after-2222"),
        "{preview}"
    );
    assert_accessible(browser.axe().await, "the import preview");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after_preview = sandbox_requests(
        &sandbox.url,
        "POST",
        "/netactuate/api/secrets/lists/e2e-list/values",
    )
    .await
    .len();
    assert_eq!(after_preview, before, "the preview sends nothing");

    browser.click_button("Apply 2 changes").await;
    browser
        .wait_for_text(".import-progress", "2 of 2 sent", WAIT)
        .await;
    browser
        .wait_for_text("table.list-values", "NEW_ONE", WAIT)
        .await;
    let results: Vec<String> = {
        let cells = browser
            .client
            .find_all(Locator::Css(".import-result"))
            .await
            .unwrap();
        let mut out = Vec::new();
        for c in cells {
            out.push(c.text().await.unwrap());
        }
        out
    };
    assert_eq!(results, ["✓ Done", "✓ Done", "Not sent"]);
    let sent = sandbox_requests(
        &sandbox.url,
        "POST",
        "/netactuate/api/secrets/lists/e2e-list/values",
    )
    .await;
    assert_eq!(sent.len(), before + 2, "one request per change");
    let mut values = all_values(sandbox).await;
    values.retain(|(list, key, _)| list == "e2e-list" || key == "STAGING_DB_PASSWORD");
    values.sort();
    let mut staging: Vec<_> = values
        .iter()
        .filter(|v| v.0 == "staging")
        .cloned()
        .collect();
    assert_eq!(staging.len(), 1);
    assert_ne!(
        staging.pop().unwrap().2,
        "nope",
        "the key held by another list was not touched"
    );
    let ours: Vec<(String, String)> = values
        .into_iter()
        .filter(|v| v.0 == "e2e-list")
        .map(|v| (v.1, v.2))
        .collect();
    assert_eq!(
        ours,
        [
            ("E2E_CHANGED".to_string(), "after-2222".to_string()),
            ("NEW_ONE".to_string(), "fresh value".to_string())
        ]
    );
    assert_accessible(browser.axe().await, "the list page after the import");
}

async fn check_a_cloud_init_script(browser: &Browser, proxy: &Server) {
    browser
        .open(
            &format!("{}/secrets/check", proxy.url),
            "Check cloud-init secret references",
        )
        .await;
    browser
        .wait_for_text("[role=status]", "Checked against the account's", WAIT)
        .await;
    browser
        .set_field(
            "#script",
            "#!/bin/sh\nexport KEY=${{secret.API_KEY}}\necho ${{secret.MISSING_KEY}}\n",
        )
        .await;
    browser
        .wait_for_text(".reference-verdict", "2 references: 1 missing", WAIT)
        .await;
    browser
        .wait_for_text(
            ".reference-list",
            "API_KEY exists (in the list \u{201c}production\u{201d})",
            WAIT,
        )
        .await;
    browser
        .wait_for_text(".reference-list", "MISSING_KEY is missing", WAIT)
        .await;
    browser
        .wait_for_text("mark.ref-missing", "${{secret.MISSING_KEY}}", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the reference checker");
}

async fn see_the_servers(browser: &Browser, proxy: &Server) {
    browser
        .open(
            &format!("{}/netactuate/servers", proxy.url),
            "NetActuate servers",
        )
        .await;
    let table = browser
        .wait_for_text("table.na-servers", "edge-ams-01.cloudpane.dev", WAIT)
        .await;
    assert!(
        table.contains("RUNNING") && table.contains("Amsterdam"),
        "{table}"
    );
    assert_accessible(browser.axe().await, "the NetActuate servers page");
}

async fn every_page_explains_the_ip_acl(browser: &Browser, sandbox: &Server, proxy: &Server) {
    sandbox_admin(
        &sandbox.url,
        reqwest::Method::PUT,
        "/netactuate/acl",
        Some(json!({"allowed": ["203.0.113.0/24"]})),
    )
    .await;
    for (path, heading) in [
        ("/secrets", "Secrets"),
        ("/secrets/lists/production", "Secret list"),
        ("/secrets/check", "Check cloud-init secret references"),
        ("/netactuate/servers", "NetActuate servers"),
    ] {
        browser.open(&format!("{}{path}", proxy.url), heading).await;
        let said = browser
            .wait_for_text(".ip-acl", "Account \u{2192} API \u{2192} IP ACL", WAIT)
            .await;
        assert!(
            said.contains("the proxy's outgoing address"),
            "{path}: {said}"
        );
        assert!(
            !said.contains("(403)"),
            "{path}: plain words, not a bare status: {said}"
        );
        if path == "/secrets" {
            assert_accessible(browser.axe().await, "the IP ACL message");
        }
    }
    sandbox_admin(
        &sandbox.url,
        reqwest::Method::PUT,
        "/netactuate/acl",
        Some(json!({"allowed": ["127.0.0.0/8", "::1/128"]})),
    )
    .await;
}
