use cloudpane_api::secret_fields::mask_secret_fields;
use leptos::prelude::*;
use serde_json::Value;

use super::HiddenFields;

/// A provider's answer as it came, indented, with its secret fields hidden
/// (`cloudpane_api::secret_fields`); each hidden value is listed below with its own Reveal.
#[component]
pub fn RawJson(
    #[prop(into)] value: Signal<Value>,
    /// Whose answer it is: "train". Names the region and the Reveal buttons.
    #[prop(into)]
    of: String,
) -> impl IntoView {
    let text = move || {
        value.with(|v| serde_json::to_string_pretty(&mask_secret_fields(v)).unwrap_or_default())
    };
    let label = format!("Raw JSON of {of}");
    view! {
        // It scrolls, so it takes focus (keyboard users can scroll it).
        <pre class="code-block" tabindex="0" role="region" aria-label=label>{text}</pre>
        <HiddenFields value of/>
    }
}
