use cloudpane_api::Provider;
use leptos::prelude::*;

use super::all_values_section::AllValuesSection;
use super::lists_section::ListsSection;
use super::load::{netactuate, read_lists_and_values};
use super::secrets_section::SecretsSection;
use crate::components::{keep_last_good, NoAccount, PageHeader, UnreadableRows};
use crate::state::use_app;

/// `/secrets`: NetActuate's secrets, secret lists and all their values, with links to the
/// cloud-init reference checker and the servers.
#[component]
pub fn SecretsPage() -> impl IntoView {
    let state = use_app();
    let reload = RwSignal::new(0u32);
    let account = LocalResource::new(move || {
        reload.track();
        let na = netactuate();
        async move {
            let (c, token) = na?;
            Some(read_lists_and_values(c, token).await)
        }
    });
    // Each read on its own, so the values failing does not hide the lists, and each keeps its
    // last good rows.
    let lists = Signal::derive(move || account.get().flatten().map(|a| a.lists));
    let values = Signal::derive(move || account.get().flatten().map(|a| a.values));
    let last_lists = keep_last_good(move || lists.get());
    let last_values = keep_last_good(move || values.get());
    let unreadable =
        move |which: fn(&super::load::AccountLists) -> &Vec<cloudpane_api::UnreadableRow>| {
            Signal::derive(move || {
                account
                    .get()
                    .flatten()
                    .map(|a| which(&a).clone())
                    .unwrap_or_default()
            })
        };
    let (unreadable_lists, unreadable_values) = (
        unreadable(|a| &a.unreadable.0),
        unreadable(|a| &a.unreadable.1),
    );
    let after_change = Callback::new(move |()| reload.update(|n| *n += 1));
    let has_account = move || state.account_for(Provider::NetActuate).is_some();
    view! {
        <section class="secrets-page">
            <PageHeader acting_as=Provider::NetActuate title="Secrets"
                summary="NetActuate secrets and secret lists. Values stay masked until you reveal one; the console never puts them in a URL, the title or storage."/>
            <Show when=has_account fallback=|| view! { <NoAccount provider=Provider::NetActuate/> }>
                <nav class="page-links" aria-label="More NetActuate pages">
                    <a href=crate::base_path::app_href("/secrets/check")>"Check a cloud-init script's ${{secret.KEY}} references"</a>
                    " · "
                    <a href=crate::base_path::app_href("/netactuate/servers")>"NetActuate servers"</a>
                </nav>
                <SecretsSection/>
                <UnreadableRows rows=unreadable_lists of="Secret lists"/>
                <ListsSection lists last_lists last_values on_changed=after_change/>
                <UnreadableRows rows=unreadable_values of="Values of all lists"/>
                <AllValuesSection values last_values last_lists on_retry=after_change/>
            </Show>
        </section>
    }
}
