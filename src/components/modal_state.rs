use leptos::html;
use leptos::prelude::*;

/// Keeps a native `<dialog>` in step with `open`: `showModal()` when it turns true (remembering
/// what had focus), `close()` when it turns false. Returns the handler for the dialog's `close`
/// event, which clears `open` and gives focus back. Shared by every dialog of the console.
pub fn use_modal(
    dialog: NodeRef<html::Dialog>,
    open: RwSignal<bool>,
    on_open: impl Fn() + 'static,
) -> impl Fn(leptos::ev::Event) + Copy + 'static {
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
                on_open();
                let _ = d.show_modal();
            }
        } else if d.open() {
            d.close();
        }
    });
    move |_| {
        open.set(false);
        if let Some(el) = opener.get_value() {
            let _ = el.focus();
        }
    }
}
