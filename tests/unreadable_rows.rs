//! Browser test of the shared unreadable-rows widget: how many rows could not be read, each by
//! its name or id and why, and its JSON only on request, with its secret fields masked.

mod support;

use cloudpane::components::UnreadableRows;
use cloudpane_api::UnreadableRow;
use leptos::prelude::*;
use support::{find, mount, state_with_account, texts};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CLUSTER_TOKEN: &str = "kube-token-0123456789abcdef";

#[wasm_bindgen_test]
async fn an_unreadable_row_is_named_and_its_json_shown_masked_on_request() {
    let row = UnreadableRow::new(
        serde_json::json!({
            "id": "r-9", "name": "pretrain", "status": "Running",
            "node_networking": "68.25.82.83", "kubeconfig": CLUSTER_TOKEN
        }),
        "a bare-metal rental: invalid type: string \"68.25.82.83\", expected a sequence",
    );
    let rows = RwSignal::new(vec![row]);
    let (host, handle) = mount(state_with_account(), move || {
        view! { <UnreadableRows rows of="Voltage Park · prod bare-metal rentals"/> }
    });
    assert_eq!(
        texts(&host, ".unreadable-rows .error-title"),
        ["⚠ Voltage Park · prod bare-metal rentals: 1 row could not be read"]
    );
    assert_eq!(texts(&host, "tbody th"), ["pretrain (id r-9)"]);
    assert!(texts(&host, "tbody td")[0].contains("expected a sequence"));
    // The JSON is not in the page until asked for.
    assert!(texts(&host, "pre.code-block").is_empty());
    assert!(!host.inner_html().contains("node_networking"));
    let show = find::<web_sys::HtmlElement>(
        &host,
        "button[aria-label='Show raw JSON of pretrain (id r-9)']",
    );
    show.click();
    leptos::task::tick().await;
    let json = texts(&host, "pre.code-block").join("");
    assert!(
        json.contains("\"node_networking\": \"68.25.82.83\""),
        "{json}"
    );
    assert!(json.contains("hidden"), "{json}");
    assert!(
        !host.inner_html().contains(CLUSTER_TOKEN),
        "the kubeconfig is masked"
    );
    find::<web_sys::HtmlElement>(
        &host,
        "button[aria-label='Hide raw JSON of pretrain (id r-9)']",
    )
    .click();
    leptos::task::tick().await;
    assert!(texts(&host, "pre.code-block").is_empty());

    // Nothing at all when every row could be read.
    rows.set(Vec::new());
    leptos::task::tick().await;
    assert!(texts(&host, ".unreadable-rows").is_empty());
    drop(handle);
    host.remove();
}
