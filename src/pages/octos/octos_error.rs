use cloudpane_api::octos::envelope::{explain, is_token_refused};
use cloudpane_api::ApiError;
use leptos::prelude::*;

/// An Octos call that failed: what happened in words (a refused token explained: disabled or
/// rotated, and what to do), and a retry.
#[component]
pub fn OctosError(
    error: ApiError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let refused = is_token_refused(&error);
    let title = if refused {
        "The API token was refused".to_string()
    } else {
        match &error {
            ApiError::Network(_) => "Could not reach Octos Cloud".to_string(),
            ApiError::Http(e) => format!("Octos Cloud refused the request ({})", e.status),
            ApiError::Decode(_) => "Unexpected answer from Octos Cloud".to_string(),
            ApiError::NotSent => "Not sent".to_string(),
            ApiError::IncompleteList { .. } => "Part of the list could not be read".to_string(),
        }
    };
    view! {
        <div class="error-panel" role="alert">
            <p class="error-title"><span aria-hidden="true">"⚠ "</span>{title}</p>
            <p>{explain(&error)}</p>
            {refused.then(|| view! {
                <p><a href=crate::base_path::app_href("/octos/api-access")>"Go to Octos API access"</a></p>
            })}
            {on_retry.map(|retry| view! {
                <button type="button" on:click=move |_| retry.run(())>"Retry"</button>
            })}
        </div>
    }
}
