//! Browser tests of the Locations page's pieces, mounted in headless Chromium.

mod support;

use cloudpane::components::ErrorPanel;
use cloudpane::pages::voltagepark::CapacityTable;
use cloudpane::state::AppState;
use cloudpane_api::voltagepark::{capacity_rows, GpuCount, Location};
use cloudpane_api::{ApiError, HttpError, Money, Provider};
use leptos::prelude::*;
use support::{find, mount, sleep, state_with_account, texts};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn location(city: &str, gpus: u32, price: &str) -> Location {
    serde_json::from_value(serde_json::json!({
        "id": format!("loc-{city}"), "city": city, "region": "", "country": "United States",
        "hostnodes": [{
            "id": format!("node-{city}"), "location_id": format!("loc-{city}"),
            "available_resources": {"gpus": {"h100-sxm5-80gb": {"count": gpus}}, "ram_gb": 960, "storage_gb": 14000, "vcpu_count": 208},
            "pricing": {"per_gpu_hr": {"h100-sxm5-80gb": price}, "per_vcpu_hr": "0", "per_gb_ram_hr": "0", "per_gb_storage_hr": "0"},
            "available_ports": []
        }]
    }))
    .unwrap()
}

#[wasm_bindgen_test]
fn capacity_table_shows_gpu_model_count_and_price() {
    let rows = capacity_rows(&[location("Denver", 8, "2.250000")]);
    let (host, _handle) = mount(AppState::new(), move || view! { <CapacityTable rows/> });
    let cells = texts(&host, "tbody td");
    assert_eq!(cells[0], "Denver");
    assert_eq!(cells[2], "H100 SXM5 80GB");
    assert_eq!(cells[3], "8");
    assert_eq!(cells[4], "$2.25");
    host.remove();
}

#[wasm_bindgen_test]
async fn error_panel_explains_and_retries() {
    let retries = RwSignal::new(0);
    let error = ApiError::Http(HttpError::from_response(
        Provider::VoltagePark,
        401,
        r#"{"detail":"Invalid token"}"#,
    ));
    let (host, _handle) = mount(
        AppState::new(),
        move || view! { <ErrorPanel error on_retry=move |_| retries.update(|n| *n += 1)/> },
    );
    let text = host.text_content().unwrap();
    assert!(text.contains("did not accept the token"), "{text}");
    assert!(text.contains("Invalid token"), "{text}");
    find::<web_sys::HtmlElement>(&host, "button").click();
    leptos::task::tick().await;
    assert_eq!(retries.get_untracked(), 1);
    host.remove();
}

#[wasm_bindgen_test]
async fn capacity_can_be_filtered_by_gpu_and_sorted_by_price() {
    use cloudpane::pages::voltagepark::LocationsResult;
    use cloudpane_api::voltagepark::CapacityOrder;
    use cloudpane_api::{Page, PageRequest};

    let mut a100 = location("Austin", 4, "1.100000");
    let a100_node = &mut a100.hostnodes[0];
    a100_node.available_resources.gpus =
        [("a100-sxm4-80gb".to_string(), GpuCount { count: 4 })].into();
    a100_node.pricing.per_gpu_hr =
        [("a100-sxm4-80gb".to_string(), Money::parse("1.1").unwrap())].into();
    let result = Page {
        results: vec![
            location("Denver", 8, "2.250000"),
            a100,
            location("Reno", 2, "1.990000"),
        ],
        total_result_count: 3,
        has_previous: false,
        has_next: false,
    };
    let page = RwSignal::new(PageRequest::first(15));
    let gpu_filter = RwSignal::new(String::new());
    let order = RwSignal::new(CapacityOrder::default());
    let (host, _handle) = mount(
        AppState::new(),
        move || view! { <LocationsResult result page gpu_filter order/> },
    );
    let first_column = |host: &web_sys::HtmlElement| texts(host, "tbody tr td:first-child");
    assert_eq!(first_column(&host), ["Denver", "Austin", "Reno"]);

    let sort: web_sys::HtmlSelectElement = find(&host, "#capacity-order");
    sort.set_value("cheapest");
    sort.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(first_column(&host), ["Austin", "Reno", "Denver"]);

    let gpu: web_sys::HtmlSelectElement = find(&host, "#capacity-gpu");
    assert_eq!(
        texts(&host, "#capacity-gpu option"),
        ["All GPUs", "A100 SXM4 80GB", "H100 SXM5 80GB"]
    );
    gpu.set_value("h100-sxm5-80gb");
    gpu.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(
        first_column(&host),
        ["Reno", "Denver"],
        "only H100 rows, cheapest first"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn one_location_that_cannot_be_read_is_said_and_the_others_shown() {
    let good = serde_json::to_value(location("Denver", 8, "2.250000")).unwrap();
    // The second location's hostnodes are not a list.
    let page = serde_json::json!({
        "results": [good, {"id": "loc-odd", "city": "Odd", "hostnodes": "none"}],
        "total_result_count": 2, "has_previous": false, "has_next": false
    });
    let body = serde_json::to_string(&page.to_string()).unwrap();
    js_sys::eval(&format!(
        "window.fetch = async () => new Response({body}, {{status: 200}});"
    ))
    .unwrap();
    let (host, _handle) = mount(state_with_account(), || {
        view! { <leptos_router::components::Router><cloudpane::pages::LocationsPage/></leptos_router::components::Router> }
    });
    sleep(200).await;
    assert_eq!(
        texts(&host, ".unreadable-rows .error-title"),
        ["⚠ Voltage Park locations on this page: 1 row could not be read"]
    );
    let cells = texts(&host, "tbody td");
    assert!(cells.iter().any(|c| c == "Denver"), "{cells:?}");
    host.remove();
}

#[wasm_bindgen_test]
async fn the_filter_order_and_page_are_kept_in_the_address_and_restored() {
    let mut a100 = location("Austin", 4, "1.100000");
    let a100_node = &mut a100.hostnodes[0];
    a100_node.available_resources.gpus =
        [("a100-sxm4-80gb".to_string(), GpuCount { count: 4 })].into();
    a100_node.pricing.per_gpu_hr =
        [("a100-sxm4-80gb".to_string(), Money::parse("1.1").unwrap())].into();
    let page = serde_json::json!({
        "results": [location("Denver", 8, "2.250000"), a100, location("Reno", 2, "1.990000")],
        "total_result_count": 18, "has_previous": true, "has_next": false
    });
    let body = serde_json::to_string(&page.to_string()).unwrap();
    js_sys::eval(&format!(
        "window.__asked = []; window.fetch = async (input) => {{ window.__asked.push(String(input.url || input)); return new Response({body}, {{status: 200}}); }};"
    ))
    .unwrap();
    // As Back leaves it: the H100 rows, cheapest first, the second page.
    support::at_address("/locations?gpu=h100-sxm5-80gb&sort=cheapest&offset=15");
    let (host, _handle) = mount(state_with_account(), || {
        view! { <leptos_router::components::Router><cloudpane::pages::LocationsPage/></leptos_router::components::Router> }
    });
    sleep(200).await;
    let asked = js_sys::eval("window.__asked.join(' ')")
        .unwrap()
        .as_string()
        .unwrap();
    assert!(asked.contains("offset=15"), "{asked}");
    assert_eq!(
        find::<web_sys::HtmlSelectElement>(&host, "#capacity-gpu").value(),
        "h100-sxm5-80gb"
    );
    assert_eq!(
        find::<web_sys::HtmlSelectElement>(&host, "#capacity-order").value(),
        "cheapest"
    );
    assert_eq!(texts(&host, "tbody tr td:first-child"), ["Reno", "Denver"]);
    // A change goes to the address.
    let sort: web_sys::HtmlSelectElement = find(&host, "#capacity-order");
    sort.set_value("most-gpus");
    sort.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(
        support::address(),
        "/locations?gpu=h100-sxm5-80gb&sort=most-gpus&offset=15"
    );
    support::at_address("/");
    host.remove();
}

#[wasm_bindgen_test]
async fn a_failed_refresh_keeps_the_locations_and_says_so() {
    let page = serde_json::json!({
        "results": [serde_json::to_value(location("Denver", 8, "2.250000")).unwrap()],
        "total_result_count": 1, "has_previous": false, "has_next": false
    });
    let body = serde_json::to_string(&page.to_string()).unwrap();
    js_sys::eval(&format!(
        "window.fetch = async () => new Response({body}, {{status: 200}});"
    ))
    .unwrap();
    let (host, _handle) = mount(state_with_account(), || {
        view! { <leptos_router::components::Router><cloudpane::pages::LocationsPage/></leptos_router::components::Router> }
    });
    sleep(200).await;
    let updated = texts(&host, ".updated span")[0].clone();
    assert!(updated.starts_with("Updated "), "{updated}");
    js_sys::eval(r#"window.fetch = async () => new Response('{"detail":"busy"}', {status: 503});"#)
        .unwrap();
    find::<web_sys::HtmlElement>(&host, ".updated button").click();
    sleep(200).await;
    let text = host.text_content().unwrap();
    assert!(text.contains("Denver"), "the rows stay: {text}");
    assert!(text.contains("could not refresh the locations"), "{text}");
    host.remove();
}
