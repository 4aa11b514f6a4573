//! Browser tests of the bare-metal deploy form, mounted in headless Chromium with the provider
//! answered by a stand-in `fetch` (the real proxy and sandbox are the end-to-end tests' job).

mod support;

use cloudpane::pages::deploy::{BareMetalFormPage, DeployBoardPage, InstantVmFormPage};
use leptos::prelude::*;
use leptos_router::components::Router;
use support::{find, mount, sleep, state_with_account, texts, type_into};
use wasm_bindgen::JsCast;
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
    stand_in_provider_with_rules(deploy_delay_ms, locations, serde_json::json!([]));
}

/// The same, with `first` answered before the usual rules (method, URL part, status, body).
fn stand_in_provider_with_rules(deploy_delay_ms: u32, locations: &str, first: serde_json::Value) {
    support::at_address("/");
    let usual = serde_json::json!([
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
    let mut rules = first.as_array().cloned().unwrap_or_default();
    rules.extend(usual.as_array().cloned().unwrap_or_default());
    let rules = serde_json::Value::Array(rules);
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

/// A hostnode of the locations list, at `location`.
fn hostnode(id: &str, location: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "location_id": location,
        "available_resources": {"gpus": {"h100-sxm5-80gb": {"count": 8}}, "ram_gb": 1920, "storage_gb": 8000, "vcpu_count": 192},
        "pricing": {"per_gpu_hr": {"h100-sxm5-80gb": "2.090000"}, "per_vcpu_hr": "0.000000",
                    "per_gb_ram_hr": "0.000000", "per_gb_storage_hr": "0.000010"},
        "available_ports": [20001]
    })
}

/// A 1 × H100 preset of the current catalogue at `compute` + $0.01 an hour.
fn catalogue_preset(id: &str, gpus: u32, compute: &str, free: u32) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "resources": {"gpus": {"h100-sxm5-80gb": {"count": gpus}}, "vcpu_count": 24 * gpus, "ram_gb": 240 * gpus, "storage_gb": 1000 * gpus},
        "operating_system": "Ubuntu 22.04 LTS",
        "compute_rate_hourly": compute, "storage_rate_hourly": "0.010000", "available_vms": free
    })
}

/// Seattle and Dallas, as the sandbox seeds them: the same shapes at two prices, Seattle first;
/// a 2-GPU preset no location can take now; both locations named, with their hostnodes; bare
/// metal in both (Seattle the cheaper), and the organization's one volume.
fn two_places() {
    let page = |results: serde_json::Value| {
        serde_json::json!({"results": results, "total_result_count": 2, "has_previous": false, "has_next": false}).to_string()
    };
    let catalogue = page(serde_json::json!([
        {"id": "loc-sea", "available_presets": [
            catalogue_preset("sea-1", 1, "2.240000", 3), catalogue_preset("gone-2", 2, "4.000000", 0)]},
        {"id": "loc-dal", "available_presets": [catalogue_preset("dal-1", 1, "2.090000", 1)]}
    ]));
    let named = page(serde_json::json!([
        {"id": "loc-sea", "city": "Seattle", "region": "Washington", "country": "US", "hostnodes": [hostnode("node-sea", "loc-sea")]},
        {"id": "loc-dal", "city": "Dallas", "region": "Texas", "country": "US", "hostnodes": [hostnode("node-dal", "loc-dal")]}
    ]));
    let bare_metal = page(serde_json::json!([
        {"id": "loc-sea", "gpu_count_ethernet": 32, "gpu_price_ethernet": "1.99", "gpu_count_infiniband": 64, "gpu_price_infiniband": "2.20",
         "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8, "cpu_model": "Intel Xeon Platinum 8480+"}},
        {"id": "loc-dal", "gpu_count_ethernet": 16, "gpu_price_ethernet": "2.15", "gpu_count_infiniband": 48, "gpu_price_infiniband": "2.39",
         "specs_per_node": {"gpu_model": "h100-sxm5-80gb", "gpu_count": 8, "cpu_model": "Intel Xeon Platinum 8470"}}
    ]));
    let volumes = page(serde_json::json!([
        {"id": "vol-1", "name": "datasets", "size_in_gb": 2000, "status": "active", "order_ids": ["r1"]}
    ]));
    stand_in_provider_with_rules(
        10,
        &bare_metal,
        serde_json::json!([
            ["GET", "/virtual-machines/instant/locations", 200, catalogue],
            ["GET", "/api/v1/locations/", 200, named],
            ["GET", "/storage/", 200, volumes]
        ]),
    );
}

fn value_of(host: &web_sys::HtmlElement, css: &str) -> String {
    let el: web_sys::Element = find(host, css);
    match el.dyn_ref::<web_sys::HtmlSelectElement>() {
        Some(select) => select.value(),
        None => el.unchecked_into::<web_sys::HtmlInputElement>().value(),
    }
}

#[wasm_bindgen_test]
async fn each_preset_names_its_place_grouped_by_place() {
    two_places();
    let (host, _handle) = mount(state_with_account(), || {
        view! { <Router><InstantVmFormPage/></Router> }
    });
    wait_for(&host, "#vm-preset", "Dallas").await;
    let groups: Vec<String> = {
        let list = host.query_selector_all("#vm-preset optgroup").unwrap();
        (0..list.length())
            .map(|i| {
                list.item(i)
                    .unwrap()
                    .unchecked_into::<web_sys::Element>()
                    .get_attribute("label")
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(
        groups,
        ["Dallas, Texas", "Seattle, Washington", "None free now"]
    );
    let options = texts(&host, "#vm-preset optgroup option");
    assert_eq!(
        options,
        [
            "1 × H100 SXM5 80GB · 24 vCPUs · 240 GB RAM · $2.10/hour · Dallas, Texas",
            "1 × H100 SXM5 80GB · 24 vCPUs · 240 GB RAM · $2.25/hour · Seattle, Washington",
            "2 × H100 SXM5 80GB · 48 vCPUs · 480 GB RAM · $4.01/hour · None free now",
        ]
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn another_like_a_dallas_vm_is_the_dallas_preset_and_says_what_was_not_carried_over() {
    two_places();
    support::at_address(
        "/deploy/instant-vm?like=train&name=train-2&gpu=h100-sxm5-80gb&gpus=1&tags=llm\
         &vcpus=24&ram=240&hostnode=node-dal&rate=2.100000",
    );
    let (host, _handle) = mount(state_with_account(), || {
        view! { <Router><InstantVmFormPage/></Router> }
    });
    let notice = wait_for(&host, ".like-this", "not returned by Voltage Park").await;
    assert!(notice.contains("Filled in like train"), "{notice}");
    assert!(
        notice.contains(
            "SSH keys, the password and cloud-init are not returned by Voltage Park: add them again."
        ),
        "{notice}"
    );
    assert!(!notice.contains("costs"), "the same price: {notice}");
    assert_eq!(value_of(&host, "#vm-preset"), "dal-1");
    assert_eq!(value_of(&host, "#vm-name"), "train-2");
    assert_eq!(value_of(&host, "#vm-tags"), "llm");
    support::at_address("/");
    host.remove();
}

#[wasm_bindgen_test]
async fn another_like_a_dallas_rental_keeps_its_place_network_sub_order_and_volume() {
    two_places();
    support::at_address(
        "/deploy/bare-metal?like=cluster&name=cluster-2&gpu=h100-sxm5-80gb&gpus=16&rate=38.240000\
         &network=infiniband&sub_order=12345&storage=vol-1&cpu=Intel%20Xeon%20Platinum%208470",
    );
    let (host, _handle) = mount(state_with_account(), || {
        view! { <Router><BareMetalFormPage/></Router> }
    });
    let notice = wait_for(&host, ".like-this", "not returned by Voltage Park").await;
    assert!(
        notice
            .contains("SSH keys and cloud-init are not returned by Voltage Park: add them again."),
        "{notice}"
    );
    assert_eq!(value_of(&host, "#bm-location"), "loc-dal");
    assert_eq!(value_of(&host, "#bm-gpus"), "16");
    assert!(find::<web_sys::HtmlInputElement>(&host, "#bm-network-infiniband").checked());
    assert_eq!(value_of(&host, "#bm-sub-order"), "12345");
    assert_eq!(value_of(&host, "#bm-name"), "cluster-2");
    wait_for(&host, "#bm-storage", "datasets").await;
    assert_eq!(value_of(&host, "#bm-storage"), "vol-1");
    // Dallas on InfiniBand: 16 × $2.39.
    wait_for(&host, ".cost-panel", "$38.24").await;
    support::at_address("/");
    host.remove();
}

#[wasm_bindgen_test]
async fn the_board_keeps_its_need_in_the_address() {
    two_places();
    support::at_address("/deploy?gpu=h100-sxm5-80gb&gpus=16&infiniband=yes");
    let (host, _handle) = mount(state_with_account(), || {
        view! { <Router><DeployBoardPage/></Router> }
    });
    wait_for(&host, ".row-count", "16 × H100 SXM5 80GB on InfiniBand").await;
    assert_eq!(value_of(&host, "#need-gpu"), "h100-sxm5-80gb");
    assert_eq!(value_of(&host, "#need-gpus"), "16");
    assert!(find::<web_sys::HtmlInputElement>(&host, ".need-form input[type=checkbox]").checked());
    // A change goes to the address (what is as on a first visit is left out).
    type_into(&find(&host, "#need-gpus"), "8");
    leptos::task::tick().await;
    sleep(20).await;
    assert_eq!(
        support::address(),
        "/deploy?gpu=h100-sxm5-80gb&infiniband=yes"
    );
    support::at_address("/");
    host.remove();
}
