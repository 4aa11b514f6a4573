use cloudpane_api::secret_fields::{secret_fields, SecretField};
use leptos::prelude::*;
use serde_json::Value;

use super::{MaskedValue, SecretSource};

/// The secret fields of a provider's answer (its kubeconfig, passwords, tokens), each masked
/// with its own Reveal: what a masked view of the answer hides, offered one by one.
#[component]
pub fn HiddenFields(
    #[prop(into)] value: Signal<Value>,
    /// Whose answer it is, for the buttons' names: "train".
    #[prop(into)]
    of: String,
) -> impl IntoView {
    let fields = Memo::new(move |_| value.with(secret_fields));
    let paths =
        Memo::new(move |_| fields.with(|f| f.iter().map(|f| f.path.clone()).collect::<Vec<_>>()));
    let of = StoredValue::new(of);
    move || {
        let paths = paths.get();
        (!paths.is_empty()).then(|| {
            view! {
                <div class="hidden-fields">
                    <p class="help">"Secret fields, hidden above:"</p>
                    <ul>
                        {paths.into_iter().map(|path| {
                            let what = format!("the {path} field of {}", of.get_value());
                            let at = path.clone();
                            // Follows the answer: a new value masks the field again.
                            let held = Signal::derive(move || fields.with(|f| value_at(f, &at)));
                            view! {
                                <li><code>{path}</code>" "<MaskedValue source=SecretSource::Held(held) what/></li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

fn value_at(fields: &[SecretField], path: &str) -> String {
    fields
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.value.clone())
        .unwrap_or_default()
}
