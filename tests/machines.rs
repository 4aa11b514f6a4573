//! Browser tests of the Machines pieces, mounted in headless Chromium.

mod support;

use std::collections::HashSet;

use cloudpane::pages::machines::fleet::Fleet;
use cloudpane::pages::machines::table::MachinesTable;
use cloudpane::pages::machines::{LifecyclePanel, RenameForm};
use cloudpane_api::machines::{
    filtered, sorted, AccountListing, AccountRef, Machine, MachineFilter, MachineList, Sort,
};
use cloudpane_api::voltagepark::bare_metal::read_rental;
use cloudpane_api::voltagepark::vms::read_vm;
use cloudpane_api::Provider;
use leptos::prelude::*;
use support::{find, mount, sleep, state_with_account, type_into};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn account() -> AccountRef {
    AccountRef {
        id: 1,
        name: "prod".into(),
    }
}

fn vm(i: usize, status: &str) -> Machine {
    let (v, raw) = read_vm(serde_json::json!({
        "id": format!("vm-{i:03}"), "name": format!("vm-{i:03}"), "status": status,
        "pricing": {"total_associated_per_hr": "1.000000", "total_disassociated_per_hr": "0.010000"},
        "public_ip": "203.0.113.1", "port_forwards": [{"internal_port": 22, "external_port": 2000 + i}]
    }))
    .unwrap();
    Machine::from_vm(
        &account(),
        v,
        raw,
        &cloudpane_api::machines::VmLogin::for_account(None),
    )
}

/// Replaces `window.fetch` with one that records each call and answers 202 after `delay_ms`.
fn record_fetches(delay_ms: u32) {
    answer_fetches(delay_ms, 202, "");
}

/// Replaces `window.fetch` with one that records each call and answers `status` and `body`.
fn answer_fetches(delay_ms: u32, status: u16, body: &str) {
    let body = serde_json::to_string(body).unwrap();
    js_sys::eval(&format!(
        r#"window.__calls = [];
           window.fetch = (input, init) => {{
             const method = (init && init.method) || (input && input.method) || 'GET';
             window.__calls.push(method + ' ' + (input.url || String(input)));
             return new Promise(done => setTimeout(() => done(new Response({body} || null, {{status: {status}}})), {delay_ms}));
           }};"#
    ))
    .unwrap();
}

fn fetches() -> Vec<String> {
    let calls = js_sys::eval("window.__calls").unwrap();
    js_sys::Array::from(&calls)
        .iter()
        .map(|v| v.as_string().unwrap())
        .collect()
}

#[wasm_bindgen_test]
async fn terminating_a_rental_needs_its_name_and_sends_one_request_however_many_clicks() {
    record_fetches(300);
    let (r, raw) = read_rental(serde_json::json!({
        "id": "rental-1", "name": "pretrain", "status": "Running", "power_status": "Running",
        "rate_hourly": "35.200000", "username": "ubuntu",
        "node_networking": [{"public_ip": "68.25.82.82", "private_ip": "192.168.0.1"}]
    }))
    .unwrap();
    let machine = Machine::from_rental(&account(), r, raw);
    let state = state_with_account();
    let outcome = RwSignal::new(None::<(bool, String)>);
    let (host, _handle) = mount(state, move || {
        view! { <LifecyclePanel machine=Signal::stored(machine) outcome after_action=Callback::new(|_| ())/> }
    });
    let terminate = host
        .query_selector_all(".lifecycle .actions button")
        .unwrap();
    let terminate: web_sys::HtmlElement = (0..terminate.length())
        .map(|i| {
            terminate
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
        })
        .find(|b| b.text_content().unwrap_or_default() == "Terminate")
        .expect("a Terminate button");
    terminate.click();
    leptos::task::tick().await;
    let dialog: web_sys::HtmlDialogElement = find(&host, "dialog");
    assert!(dialog.open(), "the dialog opened");
    let text = dialog.text_content().unwrap();
    assert!(
        text.contains("pretrain") && text.contains("prod") && text.contains("$35.20/hour"),
        "{text}"
    );
    let confirm: web_sys::HtmlButtonElement = find(&host, "dialog button[type=submit]");
    assert!(confirm.disabled(), "disabled until the name is typed");
    let typed: web_sys::HtmlInputElement = find(&host, "dialog input[type=text]");
    type_into(&typed, "pretrai");
    leptos::task::tick().await;
    assert!(confirm.disabled(), "a partial name does not enable it");
    type_into(&typed, "pretrain");
    leptos::task::tick().await;
    assert!(!confirm.disabled());
    // A double click, then Enter held down: three more submits while the first is in flight.
    confirm.click();
    confirm.click();
    let form: web_sys::HtmlFormElement = find(&host, "dialog form");
    form.request_submit().ok();
    form.request_submit().ok();
    sleep(600).await;
    let calls = fetches();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        calls[0].starts_with("DELETE ")
            && calls[0].ends_with("/proxy/voltagepark/api/v1/bare-metal/rental-1"),
        "{calls:?}"
    );
    let (ok, said) = outcome.get_untracked().expect("the outcome is told");
    assert!(
        ok && said.contains("Termination requested for pretrain"),
        "{said}"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn a_refresh_keeps_selection_scroll_and_focus() {
    let state = state_with_account();
    let fleet = RwSignal::new(None::<Fleet>);
    let (host, _handle) = mount(state, move || {
        let f = Fleet::new();
        provide_context(f);
        fleet.set(Some(f));
        let sort = RwSignal::new(Sort::default());
        let filter = RwSignal::new(MachineFilter::default());
        let rows = Memo::new(move |_| {
            f.machines
                .with(|m| filtered(m, &sorted(m, sort.get()), &filter.get()))
        });
        let selected = RwSignal::new(HashSet::<String>::new());
        let limit = RwSignal::new(200);
        view! { <div id="scroller" style="height: 200px; overflow: auto"><MachinesTable rows sort selected limit filter/></div> }
    });
    let fleet = fleet.get_untracked().unwrap();
    let load = |statuses: &dyn Fn(usize) -> &'static str| {
        let mut listing = AccountListing::new(account(), Provider::VoltagePark);
        listing.record(
            vec![(
                MachineList::VoltageParkVms,
                Ok((0..60).map(|i| vm(i, statuses(i))).collect()),
            )],
            0.0,
        );
        fleet.accounts.set(vec![listing]);
    };
    load(&|_| "Running");
    leptos::task::tick().await;
    let boxes = host
        .query_selector_all("tbody input[type=checkbox]")
        .unwrap();
    assert_eq!(boxes.length(), 60);
    let fortieth: web_sys::HtmlInputElement = boxes.item(40).unwrap().unchecked_into();
    fortieth.click();
    leptos::task::tick().await;
    fortieth.focus().unwrap();
    let scroller: web_sys::HtmlElement = find(&host, "#scroller");
    scroller.set_scroll_top(700);
    let scrolled = scroller.scroll_top();
    assert!(scrolled > 0);

    // The refresh brings a changed status for another row.
    load(&|i| if i == 3 { "Stopped" } else { "Running" });
    leptos::task::tick().await;
    let boxes = host
        .query_selector_all("tbody input[type=checkbox]")
        .unwrap();
    let fortieth_now: web_sys::HtmlInputElement = boxes.item(40).unwrap().unchecked_into();
    assert!(fortieth_now.checked(), "the selection stays");
    assert_eq!(scroller.scroll_top(), scrolled, "the scroll position stays");
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    assert_eq!(
        active,
        fortieth_now.unchecked_into::<web_sys::Element>(),
        "focus stays"
    );
    let rows = host.query_selector_all("tbody tr").unwrap();
    assert!(
        rows.item(3)
            .unwrap()
            .text_content()
            .unwrap()
            .contains("Stopped"),
        "the changed row is redrawn"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn a_refused_rename_is_marked_at_the_field_and_keeps_what_was_typed() {
    answer_fetches(
        10,
        422,
        r#"{"detail":[{"loc":["body","name"],"msg":"String should have at most 64 characters","type":"string_too_long"}]}"#,
    );
    let state = state_with_account();
    let machine = vm(7, "Running");
    let (host, _handle) = mount(state, move || {
        view! { <RenameForm machine=Signal::stored(machine) after_action=Callback::new(|_| ())/> }
    });
    let name: web_sys::HtmlInputElement = find(&host, "#edit-name");
    type_into(&name, "a-name-the-provider-refuses");
    support::submit(&host).await;
    sleep(200).await;
    let calls = fetches();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].starts_with("PATCH "), "{calls:?}");
    let error = host
        .query_selector("#edit-name-error")
        .unwrap()
        .expect("the error stands next to the name field")
        .text_content()
        .unwrap();
    assert!(error.contains("at most 64 characters"), "{error}");
    let name: web_sys::HtmlInputElement = find(&host, "#edit-name");
    assert_eq!(
        name.value(),
        "a-name-the-provider-refuses",
        "what was typed stays"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn each_lists_rows_show_as_it_answers_and_location_names_fill_in_afterwards() {
    // NetActuate answers at once; Voltage Park's lists after 400 ms; the VM's hostnode and its
    // location 400 ms each after that.
    let hostnode = serde_json::json!({
        "id": "hn-1", "location_id": "loc-1",
        "available_resources": {"gpus": {}, "ram_gb": 0, "storage_gb": 0, "vcpu_count": 0},
        "pricing": {"per_gpu_hr": {}, "per_vcpu_hr": "0", "per_gb_ram_hr": "0", "per_gb_storage_hr": "0"}
    });
    let rules = serde_json::json!([
        [
            "/api/v3/servers",
            20,
            r#"{"data":[{"mbpkgid":"40214","fqdn":"edge-ams-02.example","status":"RUNNING","state":"UP"}]}"#
        ],
        [
            "/virtual-machines/",
            400,
            r#"{"results":[{"id":"vm-1","name":"train","status":"Running","hostnode_id":"hn-1","pricing":{"total_associated_per_hr":"1.000000"}}],"total_result_count":1,"has_previous":false,"has_next":false}"#
        ],
        [
            "/bare-metal/",
            400,
            r#"{"results":[],"total_result_count":0,"has_previous":false,"has_next":false}"#
        ],
        ["/hostnodes/hn-1", 400, hostnode.to_string()],
        [
            "/locations/loc-1",
            400,
            r#"{"id":"loc-1","city":"Denver","region":"Colorado","country":"US","hostnodes":[]}"#
        ]
    ]);
    js_sys::eval(&format!(
        r#"window.__calls = [];
           const rules = {rules};
           window.fetch = (input, init) => {{
             const url = input.url || String(input);
             window.__calls.push(url);
             const rule = rules.find(r => url.includes(r[0]));
             return new Promise(done => setTimeout(() => done(rule
               ? new Response(rule[2], {{status: 200}})
               : new Response('{{"detail":"not in the test"}}', {{status: 404}})), rule ? rule[1] : 5));
           }};"#
    ))
    .unwrap();
    let state = state_with_account();
    state.accounts.add(Provider::NetActuate, "edge", "na-token");
    let (host, _handle) = mount(state, || {
        view! { <leptos_router::components::Router><cloudpane::pages::MachinesPage/></leptos_router::components::Router> }
    });
    let text = || host.text_content().unwrap_or_default();
    sleep(200).await;
    assert!(
        text().contains("edge-ams-02.example"),
        "NetActuate's rows are shown before Voltage Park answers: {}",
        text()
    );
    assert!(!text().contains("train"), "{}", text());
    assert!(
        text().contains("still listing Voltage Park · prod VMs"),
        "{}",
        text()
    );
    sleep(400).await;
    assert!(
        text().contains("train"),
        "the VM is shown as soon as its list answers: {}",
        text()
    );
    assert!(
        !text().contains("Denver"),
        "before its location is known: {}",
        text()
    );
    sleep(1000).await;
    assert!(
        text().contains("Denver"),
        "the location fills in: {}",
        text()
    );
    assert!(!text().contains("still listing"), "{}", text());
    host.remove();
}

/// The button under `host` whose text is `text`.
fn button_named(host: &web_sys::HtmlElement, text: &str) -> web_sys::HtmlElement {
    let all = host.query_selector_all("button").unwrap();
    (0..all.length())
        .map(|i| {
            all.item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
        })
        .find(|b| b.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no button {text}: {}", host.inner_html()))
}

fn vm_in(status: &str) -> Machine {
    let (v, raw) = read_vm(serde_json::json!({
        "id": "vm-9", "name": "train-9", "status": status,
        "pricing": {"total_associated_per_hr": "2.250000", "total_disassociated_per_hr": "0.040000"}
    }))
    .unwrap();
    Machine::from_vm(
        &account(),
        v,
        raw,
        &cloudpane_api::machines::VmLogin::for_account(None),
    )
}

#[wasm_bindgen_test]
async fn a_stopped_vm_billed_like_a_running_one_says_so_on_its_page_and_offers_release() {
    record_fetches(10);
    let outcome = RwSignal::new(None::<(bool, String)>);
    let (host, _handle) = mount(state_with_account(), move || {
        view! { <LifecyclePanel machine=Signal::stored(vm_in("Stopped")) outcome after_action=Callback::new(|_| ())/> }
    });
    let warning = find::<web_sys::HtmlElement>(&host, ".billed-while-stopped")
        .text_content()
        .unwrap_or_default();
    assert!(warning.contains("Stopped, but still billed"), "{warning}");
    assert!(warning.contains("($2.25/hour now)"), "{warning}");
    assert!(warning.contains("would save $2.21/hour"), "{warning}");
    button_named(&host, "Stop and release…").click();
    leptos::task::tick().await;
    let title = find::<web_sys::HtmlElement>(&host, "dialog[open] h2")
        .text_content()
        .unwrap_or_default();
    assert_eq!(title, "Stop and release train-9?");
    assert!(
        fetches().is_empty(),
        "nothing is sent before the confirmation"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn the_stop_dialog_offers_stop_and_release_instead() {
    record_fetches(10);
    let outcome = RwSignal::new(None::<(bool, String)>);
    let (host, _handle) = mount(state_with_account(), move || {
        view! { <LifecyclePanel machine=Signal::stored(vm_in("Running")) outcome after_action=Callback::new(|_| ())/> }
    });
    assert!(host
        .query_selector(".billed-while-stopped")
        .unwrap()
        .is_none());
    button_named(&host, "Stop").click();
    leptos::task::tick().await;
    let offer = find::<web_sys::HtmlElement>(&host, "dialog[open] .release-offer")
        .text_content()
        .unwrap_or_default();
    assert!(offer.contains("keeps billing at $2.25/hour"), "{offer}");
    button_named(&host, "Stop and release instead").click();
    leptos::task::tick().await;
    let title = find::<web_sys::HtmlElement>(&host, "dialog[open] h2")
        .text_content()
        .unwrap_or_default();
    assert_eq!(title, "Stop and release train-9?");
    host.remove();
}
