use leptos::html;
use leptos::prelude::*;

use super::modal_state::use_modal;

/// A modal dialog that asks before something destructive or billable. It is a native
/// `<dialog>` opened with `showModal()`: the rest of the page is inert (focus stays inside),
/// Escape closes it, and focus returns to where it was.
///
/// When `type_to_confirm` is set, the confirm button stays disabled until the user types
/// exactly that text (a rental's name before it is terminated).
#[component]
pub fn ConfirmDialog(
    /// Whether the dialog is open; the dialog sets it to false when it closes.
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] confirm_label: Signal<String>,
    /// Called once per confirmation; the caller guards against sending twice.
    #[prop(into)]
    on_confirm: Callback<()>,
    /// True while the confirmed action is in flight: the button is disabled.
    #[prop(into, optional)]
    busy: Signal<bool>,
    #[prop(into, optional)] type_to_confirm: Option<Signal<String>>,
    #[prop(into, optional)] danger: Signal<bool>,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let typed = RwSignal::new(String::new());
    let on_close = use_modal(dialog, open, move || typed.set(String::new()));
    let must_type = type_to_confirm;
    // An empty text asks for nothing to be typed.
    let can_confirm = move || {
        !busy.get()
            && must_type.is_none_or(|want| {
                let want = want.get();
                want.trim().is_empty() || typed.with(|t| t.trim() == want.trim())
            })
    };
    let id = format!("dialog-{}", next_id());
    let title_id = format!("{id}-title");
    let confirm_input_id = format!("{id}-confirm");
    let labelled_by = title_id.clone();
    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby=labelled_by on:close=on_close>
            <form method="dialog" class="dialog-body" on:submit=move |ev| {
                ev.prevent_default();
                if can_confirm() {
                    on_confirm.run(());
                }
            }>
                <h2 id=title_id>{move || title.get()}</h2>
                {children()}
                {move || must_type.and_then(|want| {
                    let want = want.get();
                    let input_id = confirm_input_id.clone();
                    (!want.trim().is_empty()).then(|| view! {
                        <label for=input_id.clone()>
                            {format!("Type \u{201c}{want}\u{201d} to confirm")}
                        </label>
                        <input id=input_id type="text" autocomplete="off" spellcheck="false"
                            bind:value=typed/>
                    })
                })}
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    <button type="submit" class:danger=move || danger.get() disabled=move || !can_confirm()
                        aria-busy=move || busy.get().to_string()>
                        {move || if busy.get() { "Working…".to_string() } else { confirm_label.get() }}
                    </button>
                </div>
            </form>
        </dialog>
    }
}

/// A number unique within the page, for element ids.
fn next_id() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
