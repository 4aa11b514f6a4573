//! The accessibility matrix of the whole console, in headless Chromium through the real proxy and
//! sandbox:
//!
//! - axe-core's WCAG 2.2 A/AA (and 2.0, 2.1) rules on every route, in the light and the dark
//!   colour scheme (the console follows the operating system's; Chromium is told which with
//!   `--blink-settings=preferredColorScheme`), each in the populated, empty (the sandbox's
//!   `{"empty": true}` reset: a new customer) and error (every provider call a 500) states, and
//!   with each kind of dialog open; the test asserts axe really ran on each combination;
//! - focus moves into each dialog, stays there, and returns to what opened it;
//! - the theme the user picks (top bar) wins over the system's and survives a reload;
//! - at 1024 px and at 200% zoom (a 512 CSS px wide window) no page needs horizontal scrolling
//!   and the top bar, the areas and the page do not overlap;
//! - status changes reach the live region; `prefers-reduced-motion` stops the spinner;
//! - the keyboard shortcuts (`?`, `/`, `r`, `g` + letter) and that they never fire in a field.
//!
//! axe-core comes from the npm registry (tools/axe, installed by scripts/bootstrap.sh).

use std::time::{Duration, Instant};

use cloudpane_e2e::fantoccini::key::Key;
use cloudpane_e2e::fantoccini::Locator;
use cloudpane_e2e::{
    sandbox_admin, sandbox_voltagepark, start_demo_proxy, start_sandbox, Browser, Server, WAIT,
};
use reqwest::Method;
use serde_json::{json, Value};

/// A route, the heading it shows, and (CSS, text) that appears once its data has loaded in the
/// populated state. `{vm}` and `{location}` are filled in from the sandbox.
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

/// What the providers hold while a page is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Data {
    /// The sandbox's seeded accounts.
    Populated,
    /// Accounts that own nothing yet.
    Empty,
    /// Every provider call answered with a 500.
    Failing,
}

const DATA: [Data; 3] = [Data::Populated, Data::Empty, Data::Failing];

async fn put_sandbox_in(sandbox: &Server, data: Data) {
    sandbox_admin(&sandbox.url, Method::DELETE, "/faults", None).await;
    let empty = json!({"empty": data == Data::Empty});
    sandbox_admin(&sandbox.url, Method::POST, "/reset", Some(empty)).await;
    if data == Data::Failing {
        let all = json!({"error_rate": 1.0, "error_status": 500});
        sandbox_admin(&sandbox.url, Method::PUT, "/faults", Some(all)).await;
    }
}

/// The seeded VM's and location's ids, for the routes that name one.
async fn route_ids(sandbox: &Server) -> (String, String) {
    let vms = sandbox_voltagepark(&sandbox.url, "/api/v1/virtual-machines/?limit=1").await;
    let locations = sandbox_voltagepark(&sandbox.url, "/api/v1/locations/?limit=1").await;
    (
        vms["results"][0]["id"]
            .as_str()
            .expect("a seeded VM")
            .into(),
        locations["results"][0]["id"]
            .as_str()
            .expect("a seeded location")
            .into(),
    )
}

async fn js(browser: &Browser, script: &str) -> Value {
    browser
        .client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Waits until the page has shown itself (a heading, or an error in place of the page) and
/// nothing in it is loading any more (no spinner, nothing `aria-busy`), twice in a row.
async fn settled(browser: &Browser, what: &str) {
    let deadline = Instant::now() + WAIT;
    let mut quiet = 0;
    loop {
        let busy = js(
            browser,
            "const shown = document.querySelector('main h1, main .error-panel, main [role=alert]');
             return !shown || document.querySelectorAll('main .loading, main [aria-busy=true]').length > 0;",
        )
        .await;
        if busy == Value::Bool(false) {
            quiet += 1;
            if quiet == 2 {
                return;
            }
        } else {
            quiet = 0;
        }
        assert!(Instant::now() < deadline, "{what} is still loading");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Opens `path` and waits for it to be ready in `data`'s state.
async fn open_route(browser: &Browser, proxy: &Server, path: &str, route: &Route, data: Data) {
    let (_, heading, loaded) = route;
    browser
        .client
        .goto(&format!("{}{path}", proxy.url))
        .await
        .unwrap();
    if data == Data::Populated {
        browser.wait_for_text("h1", heading, WAIT).await;
        if let Some((css, text)) = loaded {
            browser.wait_for_text(css, text, WAIT).await;
        }
    }
    settled(browser, &format!("{path} ({data:?})")).await;
}

/// Presses `keys` where the focus is (the page's body when nothing has it).
async fn press(browser: &Browser, keys: &str) {
    let target = match browser.client.active_element().await {
        Ok(el) => el,
        Err(_) => browser.client.find(Locator::Css("body")).await.unwrap(),
    };
    target.send_keys(keys).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn every_route_in_every_state_passes_axe_in_both_colour_schemes() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let (vm, location) = route_ids(&sandbox).await;

    let mut failures = Vec::new();
    let mut checked = 0;
    // The light session also asks for reduced motion: the spinner must then stand still.
    for (scheme, args) in [
        (
            "light",
            &[
                "--blink-settings=preferredColorScheme=1",
                "--force-prefers-reduced-motion",
            ][..],
        ),
        ("dark", &["--blink-settings=preferredColorScheme=0"][..]),
    ] {
        let browser = Browser::start_with(args).await;
        let dark = js(
            &browser,
            "return matchMedia('(prefers-color-scheme: dark)').matches",
        )
        .await;
        assert_eq!(
            dark,
            Value::Bool(scheme == "dark"),
            "Chromium is not in the {scheme} scheme"
        );
        for data in DATA {
            put_sandbox_in(&sandbox, data).await;
            for route in ROUTES {
                let path = route
                    .0
                    .replace("{vm}", &vm)
                    .replace("{location}", &location);
                open_route(&browser, &proxy, &path, route, data).await;
                let report = browser.axe().await;
                // A check that passed no rule did not really run.
                assert!(
                    report.passes > 10,
                    "{path} ({scheme}, {data:?}): axe checked only {} rules",
                    report.passes
                );
                checked += 1;
                failures.extend(
                    report
                        .violations
                        .into_iter()
                        .map(|v| format!("{path} ({scheme}, {data:?}): {v}")),
                );
            }
        }
        if scheme == "light" {
            let still = js(
                &browser,
                "const s = document.createElement('span'); s.className = 'spinner';
                 document.body.append(s);
                 const still = matchMedia('(prefers-reduced-motion: reduce)').matches
                     && getComputedStyle(s).animationName === 'none';
                 s.remove(); return still;",
            )
            .await;
            assert_eq!(
                still,
                Value::Bool(true),
                "with reduced motion the spinner still spins"
            );
        }
        browser.close().await;
    }
    put_sandbox_in(&sandbox, Data::Populated).await;
    assert_eq!(
        checked,
        ROUTES.len() * DATA.len() * 2,
        "axe ran on every route, in every state, in both schemes"
    );
    println!("axe-core ran on {checked} combinations (routes x states x schemes)");
    assert!(
        failures.is_empty(),
        "accessibility violations:\n{}",
        failures.join("\n")
    );
}

/// A kind of dialog: the page, the button that opens it (XPath, first match), and a text of
/// the open dialog.
const DIALOGS: &[(&str, &str, &str)] = &[
    ("/machines", "//header//button[normalize-space()='Shortcuts']", "Keyboard shortcuts"),
    (
        "/machines",
        "//main//button[starts-with(normalize-space(), 'Stop (')]",
        "Stop 1 machine",
    ),
    (
        "/machines/voltagepark/bare-metal/{rental}",
        "//main//button[normalize-space()='Terminate']",
        "Type",
    ),
    (
        "/machines/voltagepark/bare-metal/{rental}",
        "//main//button[normalize-space()='Reboot nodes']",
        "Nodes to reboot",
    ),
    (
        "/machines/voltagepark/vm/{vm}",
        "(//main//section[@class='lifecycle']//button)[1]",
        "account",
    ),
    (
        "/ssh-keys",
        "//main//button[starts-with(@aria-label, 'Delete ')]",
        "Delete the SSH key",
    ),
    (
        "/storage",
        "//main//button[normalize-space()='Delete a11y scratch']",
        "Delete the volume",
    ),
    (
        "/secrets",
        "//main//button[starts-with(normalize-space(), 'Delete') or starts-with(@aria-label, 'Delete')]",
        "Delete the secret",
    ),
    (
        "/secrets",
        "//main//button[starts-with(normalize-space(), 'Update') or starts-with(@aria-label, 'Update')]",
        "Update the value",
    ),
    (
        "/secrets",
        "//main//button[starts-with(@aria-label, 'Delete the list ')]",
        "Delete list",
    ),
    (
        "/secrets/lists/production",
        "//main//button[starts-with(@aria-label, 'Delete ')]",
        "Delete key",
    ),
    (
        "/accounts",
        "//main//button[starts-with(normalize-space(), 'Forget')]",
        "Forget",
    ),
];

/// Opens the dialog `opener` opens, checks it with axe, checks that focus went in and stays in
/// while tabbing, closes it with Escape and checks focus went back to `opener`.
async fn check_dialog(browser: &Browser, opener: &str, text: &str, failures: &mut Vec<String>) {
    let marked = browser
        .client
        .execute(
            "const e = document.evaluate(arguments[0], document, null,
                 XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
             if (e) e.setAttribute('data-e2e-opener', '');
             return !!e;",
            vec![json!(opener)],
        )
        .await
        .unwrap();
    assert_eq!(marked, Value::Bool(true), "no button {opener}");
    browser.click(Locator::Css("[data-e2e-opener]")).await;
    browser.wait_for_text("dialog[open]", text, WAIT).await;
    let inside = "const d = document.querySelector('dialog[open]');
                  return !!d && d.contains(document.activeElement) && document.activeElement !== d;";
    assert_eq!(
        js(browser, inside).await,
        Value::Bool(true),
        "focus did not move into the dialog {text:?}"
    );
    let report = browser.axe().await;
    assert!(
        report.passes > 10,
        "{text}: axe checked only {} rules",
        report.passes
    );
    failures.extend(
        report
            .violations
            .into_iter()
            .map(|v| format!("dialog {text:?}: {v}")),
    );
    // Tab round the dialog: focus is in it, or briefly in the browser's own controls (the page
    // behind a modal dialog is inert), never on the page behind it.
    for _ in 0..8 {
        press(browser, &Key::Tab.to_string()).await;
        let outside = js(
            browser,
            "const a = document.activeElement;
             return !!a && a !== document.body && !document.querySelector('dialog[open]').contains(a);",
        )
        .await;
        assert_eq!(outside, Value::Bool(false), "Tab left the dialog {text:?}");
    }
    press(browser, &Key::Escape.to_string()).await;
    browser.wait_for_text_gone("dialog[open]", text, WAIT).await;
    let back = js(
        browser,
        "const back = !!document.activeElement && document.activeElement.hasAttribute('data-e2e-opener');
         document.querySelectorAll('[data-e2e-opener]').forEach(e => e.removeAttribute('data-e2e-opener'));
         return back;",
    )
    .await;
    assert_eq!(
        back,
        Value::Bool(true),
        "focus did not return from the dialog {text:?}"
    );
}

/// How far `document` scrolls sideways, and which of the top bar, the areas and the page
/// overlap.
async fn layout_problems(browser: &Browser) -> (i64, Vec<String>) {
    let found = js(
        browser,
        "const se = document.scrollingElement;
         const parts = ['header.top-bar', 'nav.side-nav', 'main'];
         const boxes = parts.map(s => document.querySelector(s).getBoundingClientRect());
         const overlaps = [];
         for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
           const a = boxes[i], b = boxes[j];
           if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
             overlaps.push(parts[i] + ' / ' + parts[j] + ' overlap');
         }
         const wide = [];
         const clipped = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
           if (getComputedStyle(p).overflowX !== 'visible') return true; return false; };
         if (se.scrollWidth > se.clientWidth) for (const e of document.body.querySelectorAll('*')) {
           const r = e.getBoundingClientRect();
           if (r.right > se.clientWidth + 1 && !clipped(e)) {
             const s = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).trim().split(/ +/).join('.') : '');
             wide.push(s + ' (' + Math.round(r.left) + '..' + Math.round(r.right) + ' px)');
           }
         }
         return {over: se.scrollWidth - se.clientWidth, overlaps: overlaps.concat(wide.slice(0, 3).map(w => 'too wide: ' + w))};",
    )
    .await;
    (
        found["over"].as_i64().unwrap_or(i64::MAX),
        found["overlaps"]
            .as_array()
            .map(|a| a.iter().map(|v| v.to_string()).collect())
            .unwrap_or_default(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn dialogs_layout_themes_shortcuts_and_announcements() {
    let sandbox = start_sandbox();
    let proxy = start_demo_proxy(&sandbox.url);
    let (vm, location) = route_ids(&sandbox).await;
    let rentals = sandbox_voltagepark(&sandbox.url, "/api/v1/bare-metal/").await;
    let rental = rentals["results"][0]["id"]
        .as_str()
        .expect("a seeded rental")
        .to_string();
    // The seeded volume is attached to a rental (its Delete explains why it cannot go): one
    // that is not attached, whose Delete opens the dialog.
    let made = reqwest::Client::new()
        .post(format!("{}/voltagepark/api/v1/storage/", sandbox.url))
        .header("x-api-token", "demo-voltagepark")
        .json(&json!({"name": "a11y scratch", "size_in_gb": 1000}))
        .send()
        .await
        .unwrap();
    assert!(made.status().is_success(), "volume: {}", made.status());
    let browser = Browser::start_with(&["--blink-settings=preferredColorScheme=1"]).await;
    let mut failures = Vec::new();

    // Each kind of dialog, open.
    for (page, opener, text) in DIALOGS {
        let path = page.replace("{rental}", &rental).replace("{vm}", &vm);
        browser.open(&format!("{}{path}", proxy.url), "").await;
        settled(&browser, &path).await;
        if opener.contains("Stop (") {
            browser
                .click(Locator::Css("input[aria-label='Select train-llama-8b']"))
                .await;
        }
        check_dialog(&browser, opener, text, &mut failures).await;
    }
    println!("{} dialogs checked open", DIALOGS.len());

    // At 1024 px and at 200% zoom of it (512 CSS px), every route fits its width.
    for width in [1024, 512] {
        browser.client.set_window_size(width, 800).await.unwrap();
        let inner = js(&browser, "return innerWidth").await;
        assert_eq!(inner, json!(width), "the window is not {width} px wide");
        for route in ROUTES {
            let path = route
                .0
                .replace("{vm}", &vm)
                .replace("{location}", &location);
            open_route(&browser, &proxy, &path, route, Data::Populated).await;
            let (over, overlaps) = layout_problems(&browser).await;
            if over > 0 {
                failures.push(format!(
                    "{path} at {width} px scrolls sideways by {over} px"
                ));
            }
            for o in overlaps {
                failures.push(format!("{path} at {width} px: {o}"));
            }
        }
    }
    browser.client.set_window_size(1280, 900).await.unwrap();

    // The theme: the system's (light here) until the user picks one, which survives a reload.
    browser
        .open(&format!("{}/deploy", proxy.url), "Deploy")
        .await;
    let background = "return getComputedStyle(document.body).backgroundColor";
    assert_eq!(js(&browser, background).await, json!("rgb(247, 248, 250)"));
    browser.set_field(".theme-switch select", "dark").await;
    assert_eq!(js(&browser, background).await, json!("rgb(15, 18, 22)"));
    browser.client.refresh().await.unwrap();
    browser.wait_for_text("h1", "Deploy", WAIT).await;
    assert_eq!(
        js(&browser, "return document.documentElement.dataset.theme").await,
        json!("dark"),
        "the chosen theme is lost on reload"
    );
    assert_eq!(js(&browser, background).await, json!("rgb(15, 18, 22)"));
    browser.wait_for_text("tbody tr", "$", WAIT).await;
    let report = browser.axe().await;
    assert!(report.passes > 10);
    failures.extend(
        report
            .violations
            .into_iter()
            .map(|v| format!("/deploy (chosen dark): {v}")),
    );
    browser.set_field(".theme-switch select", "").await;
    assert_eq!(js(&browser, background).await, json!("rgb(247, 248, 250)"));

    // Without reduced motion, the spinner does spin (the other test checks it stops).
    let spins = js(
        &browser,
        "const s = document.createElement('span'); s.className = 'spinner'; document.body.append(s);
         const name = getComputedStyle(s).animationName; s.remove(); return name;",
    )
    .await;
    assert_eq!(spins, json!("spin"));

    // Shortcuts: `g` then `m` goes to Machines, `/` focuses its filter, where `?` is typed,
    // not obeyed; `r` refreshes, which the live region announces; `?` lists them. (Focus is
    // on the theme's select, a field, where letters choose options: leave it first.)
    js(&browser, "document.activeElement.blur()").await;
    press(&browser, "gm").await;
    browser.wait_for_text("h1", "Machines", WAIT).await;
    browser
        .wait_for_text("tbody tr", "eval-harness", WAIT)
        .await;
    press(&browser, "/").await;
    assert_eq!(
        js(&browser, "return document.activeElement.id").await,
        json!("filter-text"),
        "/ did not focus the filter"
    );
    press(&browser, "?").await;
    assert_eq!(browser.value_of("#filter-text").await, "?");
    assert_eq!(
        js(&browser, "return !!document.querySelector('dialog[open]')").await,
        json!(false),
        "a shortcut fired while typing in a field"
    );
    press(&browser, &Key::Backspace.to_string()).await;
    js(&browser, "document.activeElement.blur()").await;
    press(&browser, "r").await;
    browser
        .wait_for_text(
            "[role=status][aria-live=polite]",
            "Reading the machines list again",
            WAIT,
        )
        .await;
    press(&browser, "?").await;
    browser
        .wait_for_text("dialog[open]", "Keyboard shortcuts", WAIT)
        .await;
    let help = browser
        .wait_for_text("dialog[open]", "Go to Deploy", WAIT)
        .await;
    assert!(help.contains("Focus the page's filter"), "{help}");
    press(&browser, &Key::Escape.to_string()).await;
    browser
        .wait_for_text_gone("dialog[open]", "Keyboard shortcuts", WAIT)
        .await;
    press(&browser, "gd").await;
    browser.wait_for_text("h1", "Deploy", WAIT).await;

    browser.close().await;
    assert!(failures.is_empty(), "problems:\n{}", failures.join("\n"));
}
