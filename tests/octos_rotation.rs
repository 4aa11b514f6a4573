//! Browser tests of Octos's Rotate and Disable (issue 27 item 3, issue 26 item 6): a rotation
//! that disabled the old token but could not enable a new one says exactly that and offers to
//! finish it (a new token, shown masked); a disable whose answer was lost is told from the token
//! read again, never as "failed" when it happened.

mod support;

use cloudpane::pages::octos::{Flow, NewTokenPanel, RotateAndDisable};
use cloudpane_api::Provider;
use leptos::prelude::*;
use support::{find, mount, sleep, state_with_account, texts, type_into};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Replaces `window.fetch`: each call is recorded as "METHOD path"; the answer is the next of
/// `answers["METHOD path-end"]` (the last one repeats). An answer `null` is a cut connection.
fn answer_fetches(answers: &str) {
    js_sys::eval(&format!(
        r#"window.__calls = [];
           window.__answers = {answers};
           window.fetch = async (input, init) => {{
             const request = new Request(input, init);
             const path = new URL(request.url).pathname;
             window.__calls.push(request.method + ' ' + path);
             const key = Object.keys(window.__answers).find(k => {{
               const [m, end] = k.split(' ');
               return m === request.method && path.endsWith(end);
             }});
             const queue = window.__answers[key];
             const next = queue.length > 1 ? queue.shift() : queue[0];
             if (next === null) throw new TypeError('Failed to fetch');
             return new Response(JSON.stringify(next[1]), {{status: next[0]}});
           }};"#
    ))
    .unwrap();
}

fn calls() -> Vec<String> {
    let calls = js_sys::eval("window.__calls || []").unwrap();
    js_sys::Array::from(&calls)
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect()
}

fn button(host: &web_sys::HtmlElement, text: &str) -> web_sys::HtmlButtonElement {
    let all = host.query_selector_all("button").unwrap();
    (0..all.length())
        .filter_map(|i| all.item(i))
        .map(|n| n.unchecked_into::<web_sys::HtmlButtonElement>())
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text}"))
}

fn mount_logged_in() -> (web_sys::HtmlElement, impl Drop) {
    let state = state_with_account();
    state
        .accounts
        .add(Provider::Octos, "ops", "1|old-token-abcdef");
    mount(state, || {
        let flow = Flow::new();
        flow.session.set(Some("9|session".into()));
        view! { <RotateAndDisable flow/><NewTokenPanel flow/> }
    })
}

const OLD: &str = r#"[200, {"status":"Success","message":"Ok","data":{"token":"1|old-token-abcdef","expires_at":null}}]"#;
const NO_TOKEN: &str =
    r#"[404, {"status":"Error","message":"API access is not enabled.","data":null}]"#;

#[wasm_bindgen_test]
async fn a_rotation_left_half_done_says_so_and_can_be_finished() {
    answer_fetches(&format!(
        r#"{{
        "GET /api/access-token": [{OLD}, {OLD}, {NO_TOKEN}],
        "DELETE /api/disable": [[200, {{"status":"Success","message":"API access disabled"}}]],
        "POST /api/enable": [
            [200, {{"status":"Error","message":"Too many token requests, try again later","data":null}}],
            [200, {{"status":"Success","message":"API enabled successfully","data":{{"message":"API enabled successfully","token":"2|new-token-uvwxyz"}}}}]
        ]}}"#
    ));
    let (host, handle) = mount_logged_in();
    button(&host, "Rotate the token…").click();
    sleep(50).await;
    type_into(&find(&host, "#octos-rotate-name"), "ops");
    button(&host, "Rotate the token").click();
    sleep(300).await;

    // Disabled, not enabled: said exactly, never "not rotated".
    let said = texts(&host, ".outcome.problem").join(" ");
    assert!(said.contains("Half done"), "{said}");
    assert!(
        said.contains("API access was disabled, so the old token is refused"),
        "{said}"
    );
    assert!(said.contains("a new token could not be enabled"), "{said}");
    assert!(said.contains("Too many token requests"), "{said}");
    assert!(!said.contains("not rotated"), "{said}");

    // Finishing enables a new token: one enable, shown masked.
    let enables_before = calls().iter().filter(|c| c.starts_with("POST")).count();
    button(&host, "Finish the rotation: enable a new token").click();
    sleep(300).await;
    let enables = calls().iter().filter(|c| c.starts_with("POST")).count();
    assert_eq!(enables, enables_before + 1, "{:?}", calls());
    let ok = texts(&host, ".outcome.ok").join(" ");
    assert!(ok.contains("Token rotated"), "{ok}");
    assert!(texts(&host, ".outcome.problem").is_empty());
    assert!(host.query_selector(".new-token").unwrap().is_some());
    assert!(
        !host.inner_html().contains("2|new-token-uvwxyz"),
        "the new token is masked until revealed"
    );
    let shown = texts(&host, ".new-token-value").join(" ");
    assert!(shown.contains("••••"), "masked: {shown}");
    drop(handle);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_disable_whose_answer_was_lost_is_told_from_the_token_read_again() {
    // The disable's connection is cut; read again, Octos has no token: it happened.
    answer_fetches(&format!(
        r#"{{
        "GET /api/access-token": [{OLD}, {NO_TOKEN}],
        "DELETE /api/disable": [null]}}"#
    ));
    let (host, handle) = mount_logged_in();
    button(&host, "Disable API access…").click();
    sleep(50).await;
    button(&host, "Disable API access").click();
    sleep(300).await;
    assert_eq!(
        calls(),
        [
            "GET /proxy/octos/backend/api/profile/api/access-token",
            "DELETE /proxy/octos/backend/api/profile/api/disable",
            "GET /proxy/octos/backend/api/profile/api/access-token",
        ],
        "never sent twice: read again instead"
    );
    let ok = texts(&host, ".outcome.ok").join(" ");
    assert!(ok.contains("API access is disabled"), "{ok}");
    assert!(host.query_selector(".error-panel").unwrap().is_none());
    drop(handle);
    host.remove();

    // Cut again, and the token is still there: not disabled, said so (not "failed").
    answer_fetches(&format!(
        r#"{{
        "GET /api/access-token": [{OLD}],
        "DELETE /api/disable": [null]}}"#
    ));
    let (host, handle) = mount_logged_in();
    button(&host, "Disable API access…").click();
    sleep(50).await;
    button(&host, "Disable API access").click();
    sleep(300).await;
    let said = texts(&host, ".outcome.problem").join(" ");
    assert!(said.contains("was not disabled"), "{said}");
    assert!(said.contains("still has the token"), "{said}");
    drop(handle);
    host.remove();
}
