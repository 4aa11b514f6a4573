use leptos::prelude::*;

use super::fleet::Fleet;

/// One line per account whose machines could not be listed, saying why, with Retry. The other
/// accounts' rows stay.
#[component]
pub fn AccountFailures() -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let failures = move || {
        fleet.accounts.with(|all| {
            all.iter()
                .filter_map(|a| {
                    a.result.as_ref().err().map(|e| {
                        (
                            a.account_id,
                            a.provider,
                            a.account_name.clone(),
                            e.to_string(),
                        )
                    })
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        {move || failures().into_iter().map(|failure| view! {
            <div class="account-failure" role="alert">
                <span aria-hidden="true">"⚠ "</span>
                <strong>{format!("{} · {}: ", failure.1.display_name(), failure.2)}</strong>
                {format!("its machines could not be listed. {}", failure.3)}
                " "
                <button type="button" on:click=move |_| fleet.refresh_account(failure.0)>
                    {format!("Retry {}", failure.2)}
                </button>
            </div>
        }).collect_view()}
    }
}
