//! Browser tests of the bare-metal deploy form, mounted in headless Chromium with the provider
//! answered by a stand-in `fetch` (the real proxy and sandbox are the end-to-end tests' job).

mod support;

use cloudpane::pages::deploy::BareMetalFormPage;
use leptos::prelude::*;
use leptos_router::components::Router;
use support::{find, mount, sleep, state_with_account, type_into};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EMPTY_PAGE: &str =
    r#"{"results":[],"total_result_count":0,"has_previous":false,"has_next":false}"#;

const ONE_LOCATION: &str = r#"{"results":[{"id":"loc-1","gpu_count_ethernet":16,"gpu_price_ethernet":2.2,"gpu_count_infiniband":24,"gpu_price_infiniband":2.5,"specs_per_node":{"gpu_model":"h100-sxm5-80gb","gpu_count":8}}],"total_result_count":1,"has_previous":false,"has_next":false}"#;

/// Answers the form's reads like Voltage Park would, and a deploy after `deploy_delay_ms`;
/// records every call.
fn stand_in_provider(deploy_delay_ms: u32) {
    stand_in_provider_with(deploy_delay_ms, ONE_LOCATION);
}

/// The same, with `locations` as the bare-metal locations' answer.
fn stand_in_provider_with(deploy_delay_ms: u32, locations: &str) {
    let rules = serde_json::json!([
        ["GET", "/bare-metal/locations", 200, locations],
        [
            "POST",
            "/bare-metal/",
            201,
            r#"{"rental_id":"r-1","warning":"Node 2 is being prepared"}"#
        ],
        ["GET", "/bare-metal/", 200, EMPTY_PAGE],
        ["GET", "/virtual-machines/", 200, EMPTY_PAGE],
        ["GET", "/instant-deploy-presets/", 200, "[]"],
        [
            "GET",
            "/api/v1/locations/",
            200,
            r#"{"results":[{"id":"loc-1","city":"Denver","region":"Colorado","country":"US","hostnodes":[]}],"total_result_count":1,"has_previous":false,"has_next":false}"#
        ],
        [
            "GET",
            "/billing/hourly-rate",
            200,
            r#"{"rate_hourly":"1.000000"}"#
        ],
        [
            "GET",
            "/billing/reports/",
            200,
            r#"{"transactions":[],"balance_at_period_end":"5000.000000"}"#
        ],
        ["GET", "/storage/", 200, EMPTY_PAGE],
        ["GET", "/organization/ssh-keys", 200, EMPTY_PAGE]
    ]);
    js_sys::eval(&format!(
        r#"window.sessionStorage.clear();
           window.__calls = [];
           const rules = {rules};
           window.fetch = (input, init) => {{
             const method = (init && init.method) || (input && input.method) || 'GET';
             const url = input.url || String(input);
             window.__calls.push(method + ' ' + url);
             const rule = rules.find(r => r[0] === method && url.includes(r[1]));
             const delay = method === 'POST' ? {deploy_delay_ms} : 5;
             return new Promise(done => setTimeout(() => done(rule
               ? new Response(rule[3], {{status: rule[2]}})
               : new Response('{{"detail":"not in the test"}}', {{status: 404}})), delay));
           }};"#
    ))
    .unwrap();
}

fn calls(method: &str, part: &str) -> Vec<String> {
    let calls = js_sys::eval("window.__calls").unwrap();
    js_sys::Array::from(&calls)
        .iter()
        .map(|v| v.as_string().unwrap())
        .filter(|c| c.starts_with(method) && c.contains(part))
        .collect()
}

async fn wait_for(host: &web_sys::HtmlElement, css: &str, text: &str) -> String {
    for _ in 0..100 {
        if let Some(el) = host.query_selector(css).unwrap() {
            let t = el.text_content().unwrap_or_default();
            if t.contains(text) {
                return t;
            }
        }
        sleep(20).await;
    }
    panic!("no {css} containing {text:?}: {}", host.inner_html());
}

fn choose(host: &web_sys::HtmlElement, css: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(host, css);
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

async fn mounted_form() -> (web_sys::HtmlElement, impl Drop) {
    let (host, handle) = mount(state_with_account(), || {
        view! { <Router><BareMetalFormPage/></Router> }
    });
    wait_for(&host, "#bm-location", "Denver").await;
    choose(&host, "#bm-location", "loc-1");
    wait_for(&host, ".cost-panel", "Per hour").await;
    (host, handle)
}

#[wasm_bindgen_test]
async fn the_estimate_follows_the_gpu_count_and_the_network() {
    stand_in_provider(10);
    let (host, _handle) = mounted_form().await;
    // The page says which account it acts as.
    let acting = find::<web_sys::HtmlElement>(&host, ".acting-as")
        .text_content()
        .unwrap();
    assert!(acting.contains("Voltage Park account prod"), "{acting}");
    // One node of 8 on InfiniBand at $2.50: $20.00 an hour, $480.00 a day, $960.00 held.
    let panel = wait_for(&host, ".cost-panel", "$20.00").await;
    assert!(
        panel.contains("$480.00") && panel.contains("$960.00"),
        "{panel}"
    );
    // Two nodes.
    choose(&host, "#bm-gpus", "16");
    let panel = wait_for(&host, ".cost-panel", "$40.00").await;
    // The balance rule: (current $1.00 + $40.00) x 48 h = $1,968.00 needed of $5,000.00.
    assert!(panel.contains("$1968.00"), "{panel}");
    // Ethernet at $2.20 for the same 16 GPUs.
    let ethernet: web_sys::HtmlInputElement = find(&host, "input[value='ethernet']");
    ethernet.click();
    wait_for(&host, ".cost-panel", "$35.20").await;
    host.remove();
}

#[wasm_bindgen_test]
async fn a_missing_name_is_marked_and_nothing_is_sent() {
    stand_in_provider(10);
    let (host, _handle) = mounted_form().await;
    let sub_order: web_sys::HtmlInputElement = find(&host, "#bm-sub-order");
    type_into(&sub_order, "twelve");
    support::submit(&host).await;
    let name_error = wait_for(&host, "#bm-name-error", "Give the machine a name").await;
    assert!(!name_error.is_empty());
    wait_for(&host, "#bm-sub-order-error", "whole number").await;
    let typed: web_sys::HtmlInputElement = find(&host, "#bm-sub-order");
    assert_eq!(typed.value(), "twelve", "what was typed stays");
    assert!(calls("POST", "/bare-metal/").is_empty());
    host.remove();
}

#[wasm_bindgen_test]
async fn one_request_however_many_clicks_and_the_warning_is_shown() {
    stand_in_provider(300);
    let (host, _handle) = mounted_form().await;
    let name: web_sys::HtmlInputElement = find(&host, "#bm-name");
    type_into(&name, "cluster-a");
    support::submit(&host).await;
    wait_for(&host, ".review", "curl -X POST").await;
    let review = find::<web_sys::HtmlElement>(&host, ".review")
        .text_content()
        .unwrap();
    assert!(!review.contains("secret-token"), "the token is never shown");
    let deploy: web_sys::HtmlElement = find(&host, ".review button.deploy");
    for _ in 0..3 {
        deploy.click();
    }
    wait_for(&host, ".banner", "Node 2 is being prepared").await;
    assert_eq!(calls("POST", "/bare-metal/").len(), 1);
    host.remove();
}

#[wasm_bindgen_test]
async fn a_location_that_cannot_be_read_is_said_and_the_others_still_offered() {
    // The second location's GPU count is not a number: it is named as unreadable, and the first
    // can still be deployed.
    stand_in_provider_with(
        10,
        r#"{"results":[
            {"id":"loc-1","gpu_count_ethernet":16,"gpu_price_ethernet":2.2,"gpu_count_infiniband":24,"gpu_price_infiniband":2.5,"specs_per_node":{"gpu_model":"h100-sxm5-80gb","gpu_count":8}},
            {"id":"loc-odd","gpu_count_ethernet":"lots","gpu_price_ethernet":2.2,"gpu_count_infiniband":0,"gpu_price_infiniband":2.5,"specs_per_node":{"gpu_model":"h100-sxm5-80gb","gpu_count":8}}
           ],"total_result_count":2,"has_previous":false,"has_next":false}"#,
    );
    let (host, _handle) = mounted_form().await;
    let banner = wait_for(&host, ".unreadable-rows .error-title", "could not be read").await;
    assert_eq!(
        banner.trim_start_matches("⚠ "),
        "Voltage Park bare-metal locations: 1 row could not be read"
    );
    let named = find::<web_sys::HtmlElement>(&host, ".unreadable-rows tbody")
        .text_content()
        .unwrap_or_default();
    assert!(named.contains("loc-odd"), "{named}");
}
