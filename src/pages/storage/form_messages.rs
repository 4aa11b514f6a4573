//! A storage form's messages: each next to the field it names (the form's own checks and the
//! provider's 400 / 422 use the body's field names), and all of them in the form's error
//! summary, which takes focus.

use cloudpane_api::form_errors::FormErrors;
use cloudpane_api::voltagepark::storage::refusal_field;
use cloudpane_api::ApiError;
use leptos::prelude::*;

use crate::components::{ErrorSummary, Problem};

#[derive(Clone, Copy)]
pub struct FormMessages {
    fields: RwSignal<Vec<(&'static str, String)>>,
    general: RwSignal<Vec<String>>,
    known: &'static [&'static str],
}

impl FormMessages {
    /// Messages of a form whose fields are `known` (the request body's field names).
    pub fn new(known: &'static [&'static str]) -> Self {
        FormMessages {
            fields: RwSignal::new(Vec::new()),
            general: RwSignal::new(Vec::new()),
            known,
        }
    }

    pub fn clear(&self) {
        self.fields.set(Vec::new());
        self.general.set(Vec::new());
    }

    pub fn field(&self, field: &'static str, message: impl Into<String>) {
        self.fields.update(|f| f.push((field, message.into())));
    }

    pub fn general(&self, message: impl Into<String>) {
        self.general.update(|g| g.push(message.into()));
    }

    /// The provider's refusal of a request that sent `sent` fields: a 422 at its fields, a 400
    /// at the field it is about when that can be told, the rest above the form.
    pub fn refusal(&self, error: &ApiError, sent: &[&'static str]) {
        self.clear();
        match error {
            ApiError::Http(e) if !e.fields.is_empty() => {
                let placed = FormErrors::place(&e.fields, self.known);
                for (field, message) in placed.fields {
                    if let Some(known) = self.known.iter().find(|k| **k == field) {
                        self.field(known, format!("Voltage Park refused it: {message}"));
                    }
                }
                for message in placed.general {
                    self.general(message);
                }
            }
            // A refused token or the provider's own failure is about no field: say it whole.
            ApiError::Http(e) if !e.may_concern_a_field() => self.general(e.summary()),
            ApiError::Http(e) => {
                let said = e.message.clone().unwrap_or_else(|| e.summary());
                match refusal_field(&said, sent) {
                    Some(field) => self.field(field, format!("Voltage Park refused it: {said}")),
                    None => self.general(format!("Voltage Park refused it: {said}")),
                }
            }
            other => self.general(other.to_string()),
        }
    }

    /// True when any field has a message (the form's own checks refused it).
    pub fn has_untracked(&self) -> bool {
        self.fields.with_untracked(|f| !f.is_empty())
    }

    /// True when `field` has a message. Tracked.
    pub fn has(&self, field: &'static str) -> bool {
        self.fields.with(|f| f.iter().any(|(n, _)| *n == field))
    }

    /// A field's messages, in an element with `id` (the field's `aria-describedby` names it).
    pub fn view_field(&self, field: &'static str, id: String) -> impl IntoView {
        let fields = self.fields;
        view! {
            <div id=id>
                {move || fields.with(|f| f.iter().filter(|(n, _)| *n == field).map(|(_, m)| view! { <p class="field-error">{m.clone()}</p> }).collect_view())}
            </div>
        }
    }

    /// The error summary at the top of the form: the general messages, then each field's in
    /// the form's order, linked to the control with id `{prefix}-{field}`.
    pub fn view_summary(&self, prefix: String) -> impl IntoView {
        let (fields, general, known) = (self.fields, self.general, self.known);
        let id = format!("{prefix}-errors");
        let problems = Signal::derive(move || {
            let mut all: Vec<Problem> = general.get().into_iter().map(Problem::general).collect();
            for name in known {
                fields.with(|f| {
                    all.extend(
                        f.iter()
                            .filter(|(field, _)| field == name)
                            .map(|(_, m)| Problem::at(format!("{prefix}-{name}"), m.clone())),
                    )
                });
            }
            all
        });
        view! { <ErrorSummary id problems/> }
    }
}
