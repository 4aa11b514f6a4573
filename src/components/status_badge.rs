use cloudpane_api::machines::MachineState;
use leptos::prelude::*;

/// A machine's state as an icon and a word, with the provider's own word when it differs.
#[component]
pub fn StatusBadge(state: MachineState, #[prop(into)] status: String) -> impl IntoView {
    let own_word = (!status.is_empty() && !status.eq_ignore_ascii_case(state.label()))
        .then(|| view! { <span class="status-raw">{format!(" ({status})")}</span> });
    view! {
        <span class=format!("status status-{}", state.slug())>
            <span aria-hidden="true" class="status-icon">{state.icon()}</span>
            " "
            {state.label()}
            {own_word}
        </span>
    }
}
