use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use super::modal_state::use_modal;
use super::nav::AREAS;

/// What a key press outside a text field does.
enum Shortcut {
    Help,
    FocusFilter,
    Refresh,
    /// `g`: the next letter names an area.
    GoTo,
}

fn shortcut(key: &str) -> Option<Shortcut> {
    match key {
        "?" => Some(Shortcut::Help),
        "/" => Some(Shortcut::FocusFilter),
        "r" => Some(Shortcut::Refresh),
        "g" => Some(Shortcut::GoTo),
        _ => None,
    }
}

/// True when the key press belongs to something else: a modifier chord (the browser's own
/// shortcuts), typing in a field, or an open dialog (which has its own keys).
fn not_for_us(ev: &web_sys::KeyboardEvent) -> bool {
    if ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.repeat() {
        return true;
    }
    let typing = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.is_content_editable()
        });
    typing
        || document()
            .query_selector("dialog[open]")
            .ok()
            .flatten()
            .is_some()
}

/// The page's filter: its first search field.
fn focus_filter() -> bool {
    document()
        .query_selector("main input[type=search]")
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| el.focus().is_ok())
}

/// Presses the page's Refresh button, if it has one.
fn press_refresh() -> bool {
    let Ok(buttons) = document().query_selector_all("main button") else {
        return false;
    };
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .find(|b| {
            !b.has_attribute("disabled") && b.text_content().is_some_and(|t| t.trim() == "Refresh")
        })
        .map(|b| b.click())
        .is_some()
}

/// The console's keyboard shortcuts (`?` lists them, `/` focuses the page's filter, `r`
/// refreshes, `g` then a letter goes to an area) and their help dialog. None fires while the
/// user types in a field or a dialog is open.
#[component]
pub fn KeyboardShortcuts() -> impl IntoView {
    let state = crate::state::use_app();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let dialog = NodeRef::<html::Dialog>::new();
    let on_close = use_modal(dialog, open, || {});
    let going = StoredValue::new(false);
    let listener = window_event_listener(ev::keydown, move |ev| {
        if not_for_us(&ev) {
            going.set_value(false);
            return;
        }
        let key = ev.key();
        if going.get_value() {
            going.set_value(false);
            if let Some(area) = AREAS.iter().find(|a| key.chars().eq([a.key])) {
                ev.prevent_default();
                navigate(area.path, Default::default());
            }
            return;
        }
        let Some(action) = shortcut(&key) else { return };
        ev.prevent_default();
        match action {
            Shortcut::Help => open.set(true),
            Shortcut::GoTo => going.set_value(true),
            Shortcut::FocusFilter => {
                if !focus_filter() {
                    state.announce("This page has no filter.");
                }
            }
            Shortcut::Refresh => {
                if !press_refresh() {
                    state.announce("This page has nothing to refresh.");
                }
            }
        }
    });
    on_cleanup(move || listener.remove());
    view! {
        <button type="button" class="shortcuts-button" aria-keyshortcuts="?"
            on:click=move |_| open.set(true)>
            "Shortcuts"
        </button>
        <dialog node_ref=dialog class="dialog" aria-labelledby="shortcuts-title" on:close=on_close>
            <div class="dialog-body">
                <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
                <p class="help">"They work anywhere on the page except while typing in a field."</p>
                <table class="data-table compact">
                    <thead><tr><th scope="col">"Keys"</th><th scope="col">"What they do"</th></tr></thead>
                    <tbody>
                        <tr><td><kbd>"?"</kbd></td><td>"Show this list"</td></tr>
                        <tr><td><kbd>"/"</kbd></td><td>"Focus the page's filter"</td></tr>
                        <tr><td><kbd>"r"</kbd></td><td>"Refresh the page's data"</td></tr>
                        {AREAS.iter().map(|area| view! {
                            <tr>
                                <td><kbd>"g"</kbd>" then "<kbd>{area.key.to_string()}</kbd></td>
                                <td>{format!("Go to {}", area.label)}</td>
                            </tr>
                        }).collect_view()}
                        <tr><td><kbd>"Esc"</kbd></td><td>"Close a dialog"</td></tr>
                    </tbody>
                </table>
                <div class="dialog-actions">
                    <button type="button" on:click=move |_| open.set(false)>"Close"</button>
                </div>
            </div>
        </dialog>
    }
}
