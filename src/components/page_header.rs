use cloudpane_api::Provider;
use leptos::prelude::*;

use crate::state::use_app;

/// A page's title and one line saying what the page is for. Also names the browser tab after
/// the page (titles are fixed words, never data, so nothing secret can reach the tab). A page
/// that acts as one account of a provider says which (`acting_as`).
#[component]
pub fn PageHeader(
    #[prop(into)] title: String,
    #[prop(into)] summary: String,
    #[prop(optional)] acting_as: Option<Provider>,
) -> impl IntoView {
    let state = use_app();
    let tab_title = format!("{title} · cloudpane");
    Effect::new(move |_| document().set_title(&tab_title));
    let account = move || {
        let provider = acting_as?;
        let account = state.account_for(provider)?;
        Some(view! {
            <p class="acting-as">
                {format!("As the {} account ", provider.display_name())}
                <strong>{account.name}</strong>
                " (change it in the header)"
            </p>
        })
    };
    view! {
        <header class="page-header">
            <h1>{title}</h1>
            <p class="summary">{summary}</p>
            {account}
        </header>
    }
}
