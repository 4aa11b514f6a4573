use leptos::html;
use leptos::prelude::*;

use super::modal_state::use_modal;

/// A modal dialog for showing something (not for confirming: see `ConfirmDialog`). A native
/// `<dialog>`: focus stays inside, Escape closes it, focus returns to where it was.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: String,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let on_close = use_modal(dialog, open, || ());
    let title_id = format!(
        "modal-{}",
        title
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
    let labelled_by = title_id.clone();
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby=labelled_by on:close=on_close>
            <div class="dialog-body">
                <h2 id=title_id>{title}</h2>
                {children()}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| open.set(false)>"Close"</button>
                </div>
            </div>
        </dialog>
    }
}
