use leptos::prelude::*;

/// Status changes announced to screen readers (a deploy done, an action failed, a refresh).
/// One per page, in the app shell; pages announce through [`crate::state::AppState::announce`].
#[component]
pub fn LiveRegion() -> impl IntoView {
    let state = crate::state::use_app();
    view! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || state.announcement.get()}
        </div>
    }
}
