//! One module per page; provider-specific pages live under the provider's folder.

mod access_key_prompt;
mod accounts;
pub mod billing;
mod connect_proxy;
pub mod deploy;
pub mod machines;
pub mod netactuate;
mod not_found;
pub mod octos;
pub mod secrets;
pub mod ssh_keys;
pub mod storage;
pub mod voltagepark;

pub use access_key_prompt::AccessKeyPrompt;
pub use accounts::{AccountSwitcher, AccountsPage, LockButton, UnlockScreen};
pub use billing::{BillingPage, RunwayWarning};
pub use connect_proxy::ConnectProxy;
pub use deploy::{BareMetalFormPage, DeployBoardPage, InstantVmFormPage};
pub use machines::{MachineDetailPage, MachinesPage};
pub use netactuate::NetActuateServersPage;
pub use not_found::NotFound;
pub use octos::OctosPages;
pub use secrets::NetActuateArea;
pub use ssh_keys::SshKeysPage;
pub use storage::StoragePage;
pub use voltagepark::{HostnodePage, LocationPage, LocationsPage};

/// Puts `url` (built by `cloudpane_api::url::with_query`) in the address bar in place of the
/// current entry: a page's choices kept there survive Back and a reload, without an entry of
/// history for each. Under the app's base path, like every app link.
pub fn replace_address(url: &str) {
    if let Ok(history) = leptos::prelude::window().history() {
        let url = crate::base_path::app_href(url);
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// When focus has fallen to `<body>` (the control that had it was redrawn, removed or disabled
/// while busy), puts it on what `to` finds once the page has redrawn, else on the page's
/// `<main>`: a keyboard user goes on from where they were, not from the top of the page.
pub fn focus_if_lost(to: impl FnOnce() -> Option<web_sys::Element> + 'static) {
    leptos::prelude::set_timeout(move || focus_now_if_lost(to()), std::time::Duration::ZERO);
}

fn focus_now_if_lost(to: Option<web_sys::Element>) {
    use wasm_bindgen::JsCast;
    let doc = leptos::prelude::document();
    let lost = doc
        .active_element()
        .is_none_or(|a| doc.body().is_some_and(|b| b.is_same_node(Some(&a))));
    if let Some(el) = lost
        .then(|| to.or_else(|| doc.get_element_by_id("main")))
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
