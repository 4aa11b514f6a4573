//! One text field of a form: its label, the control, its help, and its messages beside it,
//! wired with `aria-describedby` and `aria-invalid`; the form's error summary links to it.

use leptos::prelude::*;

use super::FormMessages;

#[component]
pub fn TextField(
    messages: FormMessages,
    /// The field's name in the request body (and in the provider's refusals); the control's id
    /// is `{prefix}-{field}`.
    field: &'static str,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    /// `text`, `password`, `email`, `url`...
    #[prop(default = "text")]
    input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// Shown under the control and read with it.
    #[prop(optional, into)]
    help: Option<String>,
    /// A text area of this many rows instead of a one-line input.
    #[prop(optional)]
    rows: Option<u32>,
) -> impl IntoView {
    let id = messages.field_id(field);
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let described_by = match help {
        Some(_) => format!("{error_id} {help_id}"),
        None => error_id.clone(),
    };
    let invalid = move || messages.has(field).to_string();
    let control = match rows {
        Some(rows) => view! {
            <textarea id=id.clone() rows=rows autocomplete=autocomplete spellcheck="false"
                bind:value=value aria-invalid=invalid aria-describedby=described_by></textarea>
        }
        .into_any(),
        None => view! {
            <input id=id.clone() type=input_type autocomplete=autocomplete spellcheck="false"
                bind:value=value aria-invalid=invalid aria-describedby=described_by/>
        }
        .into_any(),
    };
    view! {
        <label for=id.clone()>{label}</label>
        {control}
        {help.map(|h| view! { <p id=help_id class="help">{h}</p> })}
        {messages.view_field(field, error_id)}
    }
}
