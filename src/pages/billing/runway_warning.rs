//! A warning for the top bar when the balance cannot hold two days of the current rate (the
//! 48-hour prepaid hold a deploy needs): nothing at all otherwise.

use cloudpane_api::billing::runway::under_hold;
use cloudpane_api::Provider;
use leptos::prelude::*;

use super::load::load_balance;
use crate::state::use_app;

#[component]
pub fn RunwayWarning() -> impl IntoView {
    let state = use_app();
    let low = LocalResource::new(move || {
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            let read = load_balance(&connection, &account.token).await.ok()?;
            Some(under_hold(read.balance?, read.hourly))
        }
    });
    // The status region is always there (so the warning is announced when it comes); the
    // warning inside it stays a link.
    view! {
        <span class="runway-status" role="status">
            {move || (low.get().flatten() == Some(true)).then(|| view! {
                <a class="runway-warning" href=crate::base_path::app_href("/billing")>
                    <span aria-hidden="true">"⚠ "</span>
                    "Balance lasts under 2 days"
                </a>
            })}
        </span>
    }
}
