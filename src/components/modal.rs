use leptos::html;
use leptos::prelude::*;

/// A modal dialog for showing something (not for confirming: see `ConfirmDialog`). A native
/// `<dialog>`: focus stays inside, Escape closes it, focus returns to where it was.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: String,
    children: ChildrenFn,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |_| {
        let Some(d) = dialog.get() else { return };
        if open.get() {
            if !d.open() {
                opener.set_value(
                    document().active_element().and_then(|e| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()
                    }),
                );
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    let on_close = move |_| {
        open.set(false);
        if let Some(el) = opener.get_value() {
            let _ = el.focus();
        }
    };
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
