use cloudpane_api::netactuate::ip_acl_refusal;
use cloudpane_api::ApiError;
use leptos::prelude::*;

use crate::components::ErrorPanel;

/// A failed NetActuate call. When NetActuate refused the proxy's address (its IP ACL), says so
/// in plain words and names the fix, instead of a bare 403.
#[component]
pub fn NetActuateError(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    match ip_acl_refusal(&error) {
        Some(refusal) => view! {
            <div class="error-panel ip-acl" role="alert">
                <p class="error-title">
                    <span aria-hidden="true">"⚠ "</span>
                    "NetActuate does not accept calls from the proxy's address (IP ACL)"
                </p>
                <p>{refusal.explain()}</p>
                <button type="button" on:click=move |_| on_retry.run(())>"Retry"</button>
            </div>
        }
        .into_any(),
        None => view! { <ErrorPanel error on_retry/> }.into_any(),
    }
}
