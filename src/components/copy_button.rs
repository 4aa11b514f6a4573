use leptos::prelude::*;

/// Copies `text` to the clipboard without showing it, and says so in words.
#[component]
pub fn CopyButton(
    /// What is copied (read when clicked, so a secret is never rendered).
    #[prop(into)]
    text: Signal<String>,
    /// What the button copies, for screen readers: "Copy SSH command for train-1".
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let done = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let value = text.get_untracked();
        let clipboard = window().navigator().clipboard();
        let promise = clipboard.write_text(&value);
        leptos::task::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            done.set(Some(ok));
            set_timeout(move || done.set(None), std::time::Duration::from_secs(3));
        });
    };
    view! {
        <button type="button" class="copy" aria-label=label on:click=copy>
            {move || match done.get() {
                Some(true) => "✓ Copied",
                Some(false) => "⚠ Copy failed",
                None => "Copy",
            }}
        </button>
    }
}
