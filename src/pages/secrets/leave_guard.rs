//! Asking before a page with unsaved edits is left: a link inside the console (caught before
//! the router sees it) and closing or reloading the tab.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// While `dirty` is true, following a link out of the page asks first (`message`), and the
/// browser asks before the tab is closed or reloaded. Removed when the page is left.
pub fn use_leave_guard(dirty: Signal<bool>, message: &'static str) {
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if !dirty.try_get_untracked().unwrap_or(false) {
            return;
        }
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let same_page = link
            .get_attribute("href")
            .is_some_and(|h| h.starts_with('#'));
        if same_page {
            return;
        }
        if !window().confirm_with_message(message).unwrap_or(true) {
            ev.prevent_default();
            ev.stop_immediate_propagation();
        }
    });
    let on_unload = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if dirty.try_get_untracked().unwrap_or(false) {
            ev.prevent_default();
            let _ = js_sys::Reflect::set(&ev, &"returnValue".into(), &"".into());
        }
    });
    let _ = document().add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    let _ = window()
        .add_event_listener_with_callback("beforeunload", on_unload.as_ref().unchecked_ref());
    let handlers = StoredValue::new_local(Some((on_click, on_unload)));
    on_cleanup(move || {
        if let Some(Some((click, unload))) = handlers.try_update_value(Option::take) {
            let _ = document().remove_event_listener_with_callback_and_bool(
                "click",
                click.as_ref().unchecked_ref(),
                true,
            );
            let _ = window().remove_event_listener_with_callback(
                "beforeunload",
                unload.as_ref().unchecked_ref(),
            );
        }
    });
}
