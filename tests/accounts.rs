//! Browser tests of the Accounts page: tokens masked until revealed, bad input kept and explained.

mod support;

use cloudpane::pages::AccountsPage;
use cloudpane::state::AppState;
use cloudpane_api::Provider;
use leptos::prelude::*;
use support::{find, mount, sleep, submit, type_into};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_accounts(state: AppState) -> (web_sys::HtmlElement, impl Drop) {
    mount(state, || view! { <AccountsPage/> })
}

#[wasm_bindgen_test]
async fn token_is_masked_until_revealed() {
    let state = AppState::new();
    let (host, _handle) = mount_accounts(state);
    state
        .accounts
        .add(Provider::NetActuate, "prod", "na-live-token-0123456789");
    leptos::task::tick().await;
    let text = host.text_content().unwrap();
    assert!(
        text.contains("NetActuate") && text.contains("prod"),
        "{text}"
    );
    assert!(
        !text.contains("na-live-token-0123456789"),
        "token shown before reveal: {text}"
    );
    assert!(
        text.contains("6789"),
        "the masked token keeps its last four characters: {text}"
    );

    // The first of the shared masked value's buttons is Reveal; the value is read in a task.
    find::<web_sys::HtmlElement>(&host, "td .masked-value button").click();
    for _ in 0..5 {
        leptos::task::tick().await;
    }
    assert!(host
        .text_content()
        .unwrap()
        .contains("na-live-token-0123456789"));
    host.remove();
}

#[wasm_bindgen_test]
async fn a_failed_add_keeps_what_was_typed_and_says_which_field() {
    let state = AppState::new();
    let (host, _handle) = mount_accounts(state);
    let name: web_sys::HtmlInputElement = find(&host, "#account-name");
    type_into(&name, "research");
    submit(&host).await;

    let error = host
        .query_selector("#account-token-error")
        .unwrap()
        .expect("an error next to the token field");
    assert!(error.text_content().unwrap().contains("token"));
    assert_eq!(name.value(), "research", "the name the user typed is kept");
    assert!(state.accounts.all().is_empty(), "nothing added");

    // The error summary at the top takes focus, and its link moves focus to the field.
    sleep(50).await;
    let summary: web_sys::HtmlElement = find(&host, "#account-errors");
    assert!(!summary.hidden());
    assert!(
        summary
            .text_content()
            .unwrap()
            .contains("There is a problem"),
        "{:?}",
        summary.text_content()
    );
    let focused = || {
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .active_element()
    };
    assert_eq!(focused().map(|e| e.id()).as_deref(), Some("account-errors"));
    find::<web_sys::HtmlElement>(&host, "#account-errors a[href='#account-token']").click();
    sleep(50).await;
    assert_eq!(focused().map(|e| e.id()).as_deref(), Some("account-token"));

    type_into(&find(&host, "#account-token"), "vp-token-abcdefghijkl");
    submit(&host).await;
    let accounts = state.accounts.all();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].name, "research");
    assert_eq!(
        state.account_for(Provider::VoltagePark).map(|a| a.name),
        Some("research".into())
    );
    assert!(host
        .query_selector("#account-token-error")
        .unwrap()
        .is_none());
    assert!(find::<web_sys::HtmlElement>(&host, "#account-errors").hidden());
    host.remove();
}

#[wasm_bindgen_test]
async fn forgetting_an_account_asks_first_and_names_it() {
    let state = AppState::new();
    let (host, _handle) = mount_accounts(state);
    state
        .accounts
        .add(Provider::Octos, "staging", "octos-token-abcdefghijkl");
    leptos::task::tick().await;
    let buttons = host.query_selector_all("tbody button").unwrap();
    let forget: web_sys::HtmlElement = (0..buttons.length())
        .map(|i| {
            buttons
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>()
        })
        .find(|b| b.text_content().unwrap() == "Forget")
        .unwrap();
    forget.click();
    leptos::task::tick().await;
    let text = host.text_content().unwrap();
    assert!(
        text.contains("Forget the Octos Cloud account \u{201c}staging\u{201d}"),
        "{text}"
    );
    assert_eq!(
        state.accounts.all().len(),
        1,
        "not removed before confirming"
    );
    find::<web_sys::HtmlElement>(&host, "button.danger").click();
    leptos::task::tick().await;
    assert!(state.accounts.all().is_empty());
    host.remove();
}

#[wasm_bindgen_test]
async fn a_vm_login_name_linux_would_refuse_is_not_saved_and_stays_typed() {
    let state = AppState::new();
    let (host, _handle) = mount_accounts(state);
    state
        .accounts
        .add(Provider::VoltagePark, "prod", "vp-live-token-0123456789");
    leptos::task::tick().await;
    let field: web_sys::HtmlInputElement = find(&host, "input[id^=vm-login-]");
    type_into(&field, "root; rm -rf /");
    let form: web_sys::HtmlFormElement = find(&host, "form.inline-form");
    form.request_submit().unwrap();
    leptos::task::tick().await;
    let said = find::<web_sys::Element>(&host, &format!("#{}-error", field.id()))
        .text_content()
        .unwrap_or_default();
    assert!(
        said.contains("Not saved: A login name holds lower-case letters"),
        "{said}"
    );
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(field.value(), "root; rm -rf /", "what was typed stays");
    assert_eq!(state.accounts.all()[0].vm_login, None, "nothing was saved");
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .map(|e| e.id());
    assert_eq!(active, Some(field.id()), "focus is on the field");

    // A good one is saved, and the message goes.
    type_into(&field, "ml_user");
    form.request_submit().unwrap();
    leptos::task::tick().await;
    assert_eq!(state.accounts.all()[0].vm_login.as_deref(), Some("ml_user"));
    assert_eq!(
        field.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    host.remove();
}
