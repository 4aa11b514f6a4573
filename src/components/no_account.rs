use cloudpane_api::Provider;
use leptos::prelude::*;

/// Shown when a page needs an account of `provider` and there is none.
#[component]
pub fn NoAccount(provider: Provider) -> impl IntoView {
    view! {
        <p class="empty" role="status">
            {format!("Add a {provider} account to see this page. ")}
            <a href=crate::base_path::app_href("/accounts")>"Add an account"</a>
        </p>
    }
}
