use leptos::prelude::*;

/// Where the choice is kept: this browser's localStorage (a display preference, not a secret).
/// `index.html` reads the same key before the first paint, so a reload does not flash.
const STORAGE_KEY: &str = "cloudpane-theme";

/// The theme in force: `""` follows the operating system, `"light"` and `"dark"` are the
/// user's choice.
fn stored_theme() -> String {
    window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .filter(|t| t == "light" || t == "dark")
        .unwrap_or_default()
}

/// Puts `theme` on `<html data-theme>` (the stylesheet's switch) and remembers it.
fn apply_theme(theme: &str) {
    let choose = !theme.is_empty();
    if let Some(root) = document().document_element() {
        let _ = if choose {
            root.set_attribute("data-theme", theme)
        } else {
            root.remove_attribute("data-theme")
        };
    }
    if let Ok(Some(storage)) = window().local_storage() {
        let _ = if choose {
            storage.set_item(STORAGE_KEY, theme)
        } else {
            storage.remove_item(STORAGE_KEY)
        };
    }
}

/// The colour theme picker in the top bar: the operating system's (the default), light or dark.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let theme = RwSignal::new(stored_theme());
    view! {
        <label class="theme-switch">
            "Theme "
            <select prop:value=move || theme.get() on:change=move |ev| {
                let chosen = event_target_value(&ev);
                apply_theme(&chosen);
                theme.set(chosen);
            }>
                <option value="">"System"</option>
                <option value="light">"Light"</option>
                <option value="dark">"Dark"</option>
            </select>
        </label>
    }
}
