//! The Accounts page: several named accounts per provider, which is in use, testing a token,
//! and how they are kept (in memory, or remembered on this device behind a passphrase).

mod add_form;
mod connection_test;
mod device;
mod row;
mod switcher;
mod unlock;

use leptos::prelude::*;

use crate::components::PageHeader;
use crate::state::use_app;

pub use switcher::{AccountSwitcher, LockButton};
pub use unlock::UnlockScreen;

/// The provider accounts: add one with its token, see which is in use, test, forget.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let state = use_app();
    view! {
        <PageHeader title="Accounts" summary="Several named accounts per provider; the one in use is marked. Tokens are sent only to their provider, through the proxy."/>
        <add_form::AddAccountForm/>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Provider accounts">
            <table class="data-table accounts-table">
                <caption class="visually-hidden">"Provider accounts"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Provider"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Token"</th>
                        <th scope="col">"In use"</th>
                        <th scope="col">"VM login name"</th>
                        <th scope="col">"Connection"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    // A changed or disabled token makes a new row: nothing said about the old
                    // token (a test's outcome, a reveal) stays beside the new one.
                    <For each=move || state.accounts.listed() key=|a| (a.id, a.token.clone(), a.disabled) let:account>
                        <row::AccountRow account/>
                    </For>
                </tbody>
            </table>
        </div>
        <device::OnThisDevice/>
    }
}
