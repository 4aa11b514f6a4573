//! Browser tests of the forms' error summaries (issue 26 item 11): a refused submit puts the
//! summary at the top of the form, gives it focus, links each problem to its field, and marks the
//! field (`aria-invalid`, its message named by `aria-describedby`); what was typed stays.

mod support;

use cloudpane::pages::machines::RenameForm;
use cloudpane::pages::octos::{EnableForm, Flow, LoginForm};
use cloudpane::pages::secrets::{
    AddValueForm, NewListForm, NewSecretForm, RenameListForm, UpdateSecretDialog,
};
use cloudpane::pages::{AccessKeyPrompt, AccountsPage, ConnectProxy, UnlockScreen};
use cloudpane::state::{AppState, Connection};
use cloudpane_api::machines::{AccountRef, Machine, VmLogin};
use cloudpane_api::netactuate::secret_lists::SecretListInfo;
use cloudpane_api::netactuate::secrets::SecretSummary;
use cloudpane_api::voltagepark::vms;
use cloudpane_api::{Provider, RuntimeConfig};
use leptos::prelude::*;
use support::{find, mount, sleep, state_with_account, submit, type_into};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// After a refused submit: the summary `#{summary_id}` is shown and has focus, links to
/// `#{field_id}`, and the field is marked with its message beside it.
async fn assert_summary_points_at(host: &web_sys::HtmlElement, summary_id: &str, field_id: &str) {
    // The summary takes focus on the frame after it is drawn.
    sleep(100).await;
    let summary: web_sys::HtmlElement = find(host, &format!("#{summary_id}"));
    assert!(!summary.hidden(), "#{summary_id} is shown");
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default();
    assert_eq!(active, summary_id, "the summary has focus");
    let link: web_sys::HtmlElement = find(host, &format!("#{summary_id} a[href='#{field_id}']"));
    let problem = link.text_content().unwrap_or_default();
    assert!(!problem.is_empty(), "the link says the problem");
    let field: web_sys::Element = find(host, &format!("#{field_id}"));
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = field.get_attribute("aria-describedby").unwrap_or_default();
    let error_id = format!("{field_id}-error");
    assert!(
        described.split(' ').any(|id| id == error_id),
        "#{field_id} is described by #{error_id}: {described}"
    );
    let beside = find::<web_sys::Element>(host, &format!("#{error_id}"))
        .text_content()
        .unwrap_or_default();
    assert!(beside.contains(&problem), "{beside:?} holds {problem:?}");
    // Following the link moves focus to the field.
    link.click();
    sleep(100).await;
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default();
    assert_eq!(active, field_id, "the link moves focus to the field");
}

fn connected(access_key_required: bool) -> AppState {
    let state = AppState::new();
    state.connect(Connection {
        proxy_base: String::new(),
        config: RuntimeConfig {
            route_prefix: "/proxy".into(),
            providers: Provider::ALL.to_vec(),
            access_key_required,
            demo: false,
            demo_accounts: Vec::new(),
        },
        access_key: None,
    });
    state
}

#[wasm_bindgen_test]
async fn the_access_key_prompt() {
    let (host, _handle) = mount(connected(true), || view! { <AccessKeyPrompt/> });
    submit(&host).await;
    assert_summary_points_at(&host, "access-errors", "access-key").await;
    host.remove();
}

#[wasm_bindgen_test]
async fn connecting_to_a_proxy() {
    let (host, _handle) = mount(AppState::new(), || {
        view! { <ConnectProxy reason="no proxy answered"/> }
    });
    submit(&host).await;
    assert_summary_points_at(&host, "proxy-errors", "proxy-url").await;
    host.remove();
}

#[wasm_bindgen_test]
async fn a_new_secret_without_a_name() {
    let (host, _handle) = mount(connected(false), || {
        view! { <NewSecretForm existing=Signal::stored(Vec::new()) on_sent=Callback::new(|_| ())/> }
    });
    let value: web_sys::HtmlInputElement = find(&host, "#new-secret-value");
    type_into(&value, "kept-value");
    submit(&host).await;
    assert_summary_points_at(&host, "new-secret-errors", "new-secret-name").await;
    let value: web_sys::HtmlInputElement = find(&host, "#new-secret-value");
    assert_eq!(value.value(), "kept-value", "what was typed stays");
    host.remove();
}

#[wasm_bindgen_test]
async fn the_octos_login_without_a_password() {
    let (host, _handle) = mount(connected(false), || {
        let flow = Flow::new();
        view! { <LoginForm flow/> }
    });
    let email: web_sys::HtmlInputElement = find(&host, "#octos-email");
    type_into(&email, "me@example.com");
    submit(&host).await;
    assert_summary_points_at(&host, "octos-errors", "octos-password").await;
    let email: web_sys::HtmlInputElement = find(&host, "#octos-email");
    assert_eq!(email.value(), "me@example.com", "what was typed stays");
    host.remove();
}

#[wasm_bindgen_test]
async fn a_machine_renamed_to_nothing() {
    let (vm, raw) =
        vms::read_vm(serde_json::json!({"id": "v7", "name": "train", "status": "Running"}))
            .unwrap();
    let machine = Machine::from_vm(
        &AccountRef {
            id: 1,
            name: "prod".into(),
        },
        vm,
        raw,
        &VmLogin::for_account(None),
    );
    let (host, _handle) = mount(state_with_account(), move || {
        view! { <RenameForm machine=Signal::stored(machine) after_action=Callback::new(|_| ())/> }
    });
    let name: web_sys::HtmlInputElement = find(&host, "#edit-name");
    type_into(&name, "   ");
    submit(&host).await;
    assert_summary_points_at(&host, "edit-errors", "edit-name").await;
    host.remove();
}

#[wasm_bindgen_test]
async fn enabling_octos_api_access_without_a_token_name() {
    let (host, _handle) = mount(connected(false), || {
        let flow = Flow::new();
        view! { <EnableForm flow/> }
    });
    submit(&host).await;
    assert_summary_points_at(&host, "octos-token-errors", "octos-token-name").await;
    host.remove();
}

fn lists() -> Vec<SecretListInfo> {
    serde_json::from_value(
        serde_json::json!([{"id": 1, "name": "production"}, {"id": 2, "name": "staging"}]),
    )
    .unwrap()
}

/// Submits the form that holds the control `#{field_id}`.
async fn submit_form_of(host: &web_sys::HtmlElement, field_id: &str) {
    find::<web_sys::HtmlInputElement>(host, &format!("#{field_id}"))
        .form()
        .expect("the field is in a form")
        .request_submit()
        .unwrap();
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn a_new_list_named_like_another() {
    let (host, _handle) = mount(connected(false), || {
        view! { <NewListForm existing=Signal::stored(lists()) on_created=Callback::new(|_| ())/> }
    });
    type_into(&find(&host, "#new-list-name"), "staging");
    submit(&host).await;
    assert_summary_points_at(&host, "new-list-errors", "new-list-name").await;
    assert_eq!(
        find::<web_sys::HtmlInputElement>(&host, "#new-list-name").value(),
        "staging",
        "what was typed stays"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn a_list_renamed_to_dot_dot() {
    let (host, _handle) = mount(connected(false), || {
        view! {
            <RenameListForm list=Signal::stored(Some(lists()[0].clone())) lists=Signal::stored(lists())
                dirty=RwSignal::new(false) on_renamed=Callback::new(|_| ())/>
        }
    });
    type_into(&find(&host, "#rename-list-name"), "..");
    submit(&host).await;
    assert_summary_points_at(&host, "rename-list-errors", "rename-list-name").await;
    host.remove();
}

#[wasm_bindgen_test]
async fn a_value_added_without_a_key() {
    let (host, _handle) = mount(connected(false), || {
        view! {
            <AddValueForm list=Signal::stored(Some(lists()[0].clone())) lists=Signal::stored(lists())
                all_values=Signal::stored(Vec::new()) dirty=RwSignal::new(false) on_sent=Callback::new(|_| ())/>
        }
    });
    type_into(&find(&host, "#new-value-value"), "kept-value");
    submit(&host).await;
    assert_summary_points_at(&host, "new-value-errors", "new-value-key").await;
    assert_eq!(
        find::<web_sys::HtmlInputElement>(&host, "#new-value-value").value(),
        "kept-value"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn a_secret_updated_to_nothing() {
    let secret = RwSignal::new(None::<SecretSummary>);
    let (host, _handle) = mount(connected(false), move || {
        view! { <UpdateSecretDialog secret on_updated=Callback::new(|_| ())/> }
    });
    secret.set(Some(
        serde_json::from_value(serde_json::json!({"id": 1, "name": "db-password"})).unwrap(),
    ));
    sleep(50).await;
    let save: web_sys::HtmlButtonElement = find(&host, "dialog[open] button[type=submit]");
    save.click();
    leptos::task::tick().await;
    assert_summary_points_at(&host, "update-secret-errors", "update-secret-value").await;
    host.remove();
}

#[wasm_bindgen_test]
async fn unlocking_without_a_passphrase() {
    let (host, _handle) = mount(AppState::new(), || view! { <UnlockScreen/> });
    submit(&host).await;
    assert_summary_points_at(&host, "unlock-errors", "unlock-passphrase").await;
    host.remove();
}

#[wasm_bindgen_test]
async fn remembering_with_passphrases_that_differ() {
    let (host, _handle) = mount(AppState::new(), || view! { <AccountsPage/> });
    type_into(
        &find(&host, "#remember-passphrase"),
        "correct horse battery",
    );
    type_into(
        &find(&host, "#remember-passphrase-again"),
        "correct horse battery staple",
    );
    submit_form_of(&host, "remember-passphrase").await;
    assert_summary_points_at(&host, "remember-errors", "remember-passphrase").await;
    host.remove();
}

#[wasm_bindgen_test]
async fn importing_a_backup_without_a_file() {
    let (host, _handle) = mount(AppState::new(), || view! { <AccountsPage/> });
    type_into(&find(&host, "#import-passphrase"), "kept passphrase");
    submit_form_of(&host, "import-passphrase").await;
    assert_summary_points_at(&host, "import-errors", "import-file").await;
    assert_eq!(
        find::<web_sys::HtmlInputElement>(&host, "#import-passphrase").value(),
        "kept passphrase"
    );
    host.remove();
}
