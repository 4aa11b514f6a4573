use cloudpane_api::ApiError;
use leptos::prelude::*;

/// What went wrong, what to do, and a retry button.
#[component]
pub fn ErrorPanel(error: ApiError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let title = match &error {
        ApiError::Network(_) => "Could not reach the provider".to_string(),
        // A status is an answer: say who gave it, in the same words as the text under it.
        ApiError::Http(e) if e.from_proxy && matches!(e.status, 502 | 504) => {
            format!(
                "The provider did not answer the proxy properly ({})",
                e.status
            )
        }
        ApiError::Http(e) if e.from_proxy => {
            format!("The proxy did not pass the request on ({})", e.status)
        }
        ApiError::Http(e) => format!("{} refused the request ({})", e.provider, e.status),
        ApiError::Decode(_) => "Unexpected answer from the provider".to_string(),
        ApiError::NotSent => "Not sent".to_string(),
        ApiError::IncompleteList { .. } => "Part of the list could not be read".to_string(),
    };
    // A wrong or missing proxy access key: offer to enter it again.
    let key_refused = matches!(&error, ApiError::Http(e) if e.from_proxy && e.status == 401);
    let fields = match &error {
        ApiError::Http(e) => e.fields.clone(),
        _ => Vec::new(),
    };
    view! {
        <div class="error-panel" role="alert">
            <p class="error-title">
                <span aria-hidden="true">"⚠ "</span>
                {title}
            </p>
            <p>{error.to_string()}</p>
            {(!fields.is_empty())
                .then(|| {
                    view! {
                        <ul>
                            {fields
                                .into_iter()
                                .map(|f| view! { <li><code>{f.field}</code>": "{f.message}</li> })
                                .collect_view()}
                        </ul>
                    }
                })}
            <button type="button" on:click=move |_| on_retry.run(())>"Retry"</button>
            {key_refused
                .then(|| {
                    let state = crate::state::use_app();
                    view! {
                        " "
                        <button type="button" on:click=move |_| state.set_access_key(None)>
                            "Enter the access key again"
                        </button>
                    }
                })}
        </div>
    }
}
