use leptos::prelude::*;

use crate::components::download::download_text;
use crate::components::CopyButton;

/// A rental's kubeconfig: it holds a cluster credential, so it stays masked until revealed
/// (and hides again after 30 s); copy and download work without revealing it.
#[component]
pub fn Kubeconfig(name: String, kubeconfig: String) -> impl IntoView {
    let revealed = RwSignal::new(false);
    let text = StoredValue::new(kubeconfig);
    let reveal = move |_| {
        let now = !revealed.get_untracked();
        revealed.set(now);
        if now {
            set_timeout(
                move || revealed.set(false),
                std::time::Duration::from_secs(30),
            );
        }
    };
    let file = format!("kubeconfig-{name}.yaml");
    let file_for_button = file.clone();
    let download = move |_| {
        let _ = download_text(&file_for_button, &text.get_value(), "application/yaml");
    };
    view! {
        <div class="kubeconfig">
            <p><strong>"kubeconfig"</strong>" "<span class="muted">"(holds the cluster's credential)"</span></p>
            {move || if revealed.get() {
                view! { <pre class="code-block">{text.get_value()}</pre> }.into_any()
            } else {
                view! { <p><code class="secret">"•••••••• hidden"</code></p> }.into_any()
            }}
            <p>
                <button type="button" aria-pressed=move || revealed.get().to_string() on:click=reveal>
                    {move || if revealed.get() { "Hide" } else { "Reveal" }}
                </button>
                " "
                <CopyButton text=Signal::derive(move || text.get_value()) label="Copy the kubeconfig"/>
                " "
                <button type="button" on:click=download>{format!("Download {file}")}</button>
            </p>
        </div>
    }
}
