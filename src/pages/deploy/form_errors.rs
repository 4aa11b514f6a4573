//! A deploy form's errors: each next to the field it names (the form's own checks and the
//! provider's 422 use the same field names), and all of them in the error summary above the
//! form (and in the review, when the provider refuses the deploy from there).

use cloudpane_api::form_errors::FormErrors;
use cloudpane_api::{ApiError, FieldError};
use leptos::prelude::*;

use crate::components::Problem;

/// A form field: its name in the request body (and in the provider's 422), and the `id` of the
/// control the error summary's link moves focus to.
pub type Field = (&'static str, &'static str);

#[derive(Clone, Copy)]
pub struct Errors {
    fields: RwSignal<Vec<(String, String)>>,
    general: RwSignal<Vec<String>>,
    /// In the order of the form.
    known: &'static [Field],
}

impl Errors {
    /// Errors of a form whose fields are `known`, in the order they are on the form.
    pub fn new(known: &'static [Field]) -> Self {
        Errors {
            fields: RwSignal::new(Vec::new()),
            general: RwSignal::new(Vec::new()),
            known,
        }
    }

    fn names(&self) -> Vec<&'static str> {
        self.known.iter().map(|(name, _)| *name).collect()
    }

    /// Everything to show in the error summary: the general messages, then each field's in the
    /// order of the form, linked to its control. Tracked.
    pub fn problems(&self) -> Signal<Vec<Problem>> {
        let (fields, general, known) = (self.fields, self.general, self.known);
        Signal::derive(move || {
            let mut all: Vec<Problem> = general.get().into_iter().map(Problem::general).collect();
            for (name, id) in known {
                fields.with(|f| {
                    all.extend(
                        f.iter()
                            .filter(|(field, _)| field == name)
                            .map(|(_, message)| Problem::at(*id, message.clone())),
                    )
                });
            }
            all
        })
    }

    pub fn clear(&self) {
        self.fields.set(Vec::new());
        self.general.set(Vec::new());
    }

    /// Shows `problems` (the form's own checks or the provider's field errors).
    pub fn show(&self, problems: &[FieldError]) {
        let placed = FormErrors::place(problems, &self.names());
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
