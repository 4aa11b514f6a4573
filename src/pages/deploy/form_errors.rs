//! A deploy form's errors: each next to the field it names (the form's own checks and the
//! provider's 422 use the same field names), the rest above the form.

use cloudpane_api::form_errors::FormErrors;
use cloudpane_api::{ApiError, FieldError};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Errors {
    fields: RwSignal<Vec<(String, String)>>,
    general: RwSignal<Vec<String>>,
    known: &'static [&'static str],
}

impl Errors {
    /// Errors of a form whose fields are `known` (the request body's field names).
    pub fn new(known: &'static [&'static str]) -> Self {
        Errors {
            fields: RwSignal::new(Vec::new()),
            general: RwSignal::new(Vec::new()),
            known,
        }
    }

    pub fn clear(&self) {
        self.fields.set(Vec::new());
        self.general.set(Vec::new());
    }

    /// Shows `problems` (the form's own checks or the provider's field errors).
    pub fn show(&self, problems: &[FieldError]) {
        let placed = FormErrors::place(problems, self.known);
        self.fields.set(
            placed
                .fields
                .into_iter()
                .map(|(f, m)| (f.to_string(), m))
                .collect(),
        );
        self.general.set(placed.general);
    }

    /// Shows a refusal: the fields it names next to them, anything else above the form.
    pub fn show_refusal(&self, error: &ApiError) {
        match error {
            ApiError::Http(e) if !e.fields.is_empty() => {
                self.show(&e.fields);
                if self.general.with_untracked(Vec::is_empty) {
                    self.general.set(vec![
                        "Voltage Park refused the deploy: correct the fields marked below.".into(),
                    ]);
                }
            }
            ApiError::Http(e) => {
                self.fields.set(Vec::new());
                self.general.set(vec![format!(
                    "Voltage Park refused the deploy: {}",
                    e.summary()
                )]);
            }
            other => {
                self.fields.set(Vec::new());
                self.general.set(vec![other.to_string()]);
            }
        }
    }

    /// Adds one message above the form.
    pub fn add_general(&self, message: String) {
        self.general.update(|g| g.push(message));
    }

    /// The messages for `field`. Tracked.
    pub fn for_field(&self, field: &'static str) -> Signal<Vec<String>> {
        let fields = self.fields;
        Signal::derive(move || {
            fields.with(|all| {
                all.iter()
                    .filter(|(f, _)| f == field)
                    .map(|(_, m)| m.clone())
                    .collect()
            })
        })
    }

    /// True when `field` has a message. Tracked.
    pub fn has(&self, field: &'static str) -> bool {
        self.fields.with(|all| all.iter().any(|(f, _)| f == field))
    }
}

/// The messages above the form.
#[component]
pub fn GeneralErrors(errors: Errors) -> impl IntoView {
    let general = errors.general;
    view! {
        <div role="alert" class="general-errors">
            {move || general.get().into_iter().map(|m| view! { <p class="form-error"><span aria-hidden="true">"⚠ "</span>{m}</p> }).collect_view()}
        </div>
    }
}

/// A field's messages, in an element with `id` (the field's `aria-describedby` names it).
#[component]
pub fn FieldErrors(errors: Errors, field: &'static str, id: &'static str) -> impl IntoView {
    let messages = errors.for_field(field);
    view! {
        <div id=id>
            {move || messages.get().into_iter().map(|m| view! { <p class="field-error">{m}</p> }).collect_view()}
        </div>
    }
}
