use cloudpane_api::Provider;
use leptos::prelude::*;

use super::all_values_section::AllValuesSection;
use super::lists_section::ListsSection;
use super::load::{load_lists_and_values, netactuate};
use super::secrets_section::SecretsSection;
use crate::components::{NoAccount, PageHeader};
use crate::state::use_app;

/// `/secrets`: NetActuate's secrets, secret lists and all their values, with links to the
/// cloud-init reference checker and the servers.
#[component]
pub fn SecretsPage() -> impl IntoView {
    let state = use_app();
    let reload = RwSignal::new(0u32);
    let lists = LocalResource::new(move || {
        reload.track();
        let na = netactuate();
        async move {
            let (c, token) = na?;
            Some(load_lists_and_values(c, token).await)
        }
    });
    let data = Signal::derive(move || lists.get().flatten());
    let after_change = Callback::new(move |()| reload.update(|n| *n += 1));
    let has_account = move || state.account_for(Provider::NetActuate).is_some();
    view! {
        <section class="secrets-page">
            <PageHeader acting_as=Provider::NetActuate title="Secrets"
                summary="NetActuate secrets and secret lists. Values stay masked until you reveal one; the console never puts them in a URL, the title or storage."/>
            <Show when=has_account fallback=|| view! { <NoAccount provider=Provider::NetActuate/> }>
                <nav class="page-links" aria-label="More NetActuate pages">
                    <a href="/secrets/check">"Check a cloud-init script's ${{secret.KEY}} references"</a>
                    " · "
                    <a href="/netactuate/servers">"NetActuate servers"</a>
                </nav>
                <SecretsSection/>
                <ListsSection data on_changed=after_change/>
                <AllValuesSection data/>
            </Show>
        </section>
    }
}
