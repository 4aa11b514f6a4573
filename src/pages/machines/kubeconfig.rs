use leptos::prelude::*;

use crate::components::download::download_text;
use crate::components::{MaskedValue, SecretSource};

/// A rental's kubeconfig: it holds a cluster credential, so it stays masked until revealed, by
/// the masked-value widget's rules; copy and download work without revealing it.
#[component]
pub fn Kubeconfig(name: String, kubeconfig: String) -> impl IntoView {
    let text = StoredValue::new(kubeconfig.clone());
    let file = format!("kubeconfig-{name}.yaml");
    let file_for_button = file.clone();
    let download = move |_| {
        let _ = download_text(&file_for_button, &text.get_value(), "application/yaml");
    };
    view! {
        <div class="kubeconfig">
            <p><strong>"kubeconfig"</strong>" "<span class="muted">"(holds the cluster's credential)"</span></p>
            <div>
                <MaskedValue source=SecretSource::held(kubeconfig) what="the kubeconfig" block=true/>
                " "
                <button type="button" on:click=download>{format!("Download {file}")}</button>
            </div>
        </div>
    }
}
