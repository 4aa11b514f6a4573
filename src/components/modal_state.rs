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
        let opener = opener.get_value();
        if let Some(el) = &opener {
            let _ = el.focus();
        }
        keep_focus_on_the_page(opener, 40);
    }
}

/// The action a dialog confirmed often removes the button that opened it (a deleted row's), but
/// only once its answer and the refresh land; focus would then fall to `<body>` and a keyboard
/// user would start again from the top. For a while (`tries` × 250 ms) after the dialog closes,
/// this moves focus to the page's `<main>` if that happens; it stops as soon as focus is
/// anywhere else.
fn keep_focus_on_the_page(opener: Option<web_sys::HtmlElement>, tries: u32) {
    set_timeout(
        move || {
            let doc = document();
            let active = doc.active_element();
            let lost = match &active {
                None => true,
                Some(el) => doc.body().is_some_and(|b| b.is_same_node(Some(el))),
            };
            if lost {
                if let Some(main) = doc
                    .get_element_by_id("main")
                    .and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok())
                {
                    let _ = main.focus();
                }
                return;
            }
            let still_on_opener = match (&opener, &active) {
                (Some(o), Some(a)) => o.is_same_node(Some(a)),
                _ => false,
            };
            if still_on_opener && tries > 1 {
                keep_focus_on_the_page(opener, tries - 1);
            }
        },
        std::time::Duration::from_millis(250),
    );
}
