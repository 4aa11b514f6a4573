//! A form's messages: each next to the field it names (the form's own checks and the provider's
//! refusals use the request body's field names), and all of them in the form's error summary,
//! which takes focus. The fields' controls have the ids `{prefix}-{field}`, so the summary's
//! links reach them; [`super::TextField`] draws a field with its messages wired to it.

use cloudpane_api::form_errors::FormErrors;
use cloudpane_api::voltagepark::storage::refusal_field;
use cloudpane_api::ApiError;
use leptos::prelude::*;

use crate::components::{ErrorSummary, Problem};

#[derive(Clone, Copy)]
pub struct FormMessages {
    prefix: StoredValue<String>,
    fields: RwSignal<Vec<(&'static str, String)>>,
    general: RwSignal<Vec<String>>,
    known: &'static [&'static str],
}

impl FormMessages {
    /// Messages of a form whose controls have the ids `{prefix}-{field}`, for the fields `known`
    /// (the request body's field names, in the form's order).
    pub fn new(prefix: impl Into<String>, known: &'static [&'static str]) -> Self {
        FormMessages {
            prefix: StoredValue::new(prefix.into()),
            fields: RwSignal::new(Vec::new()),
            general: RwSignal::new(Vec::new()),
            known,
        }
    }

    /// The id of `field`'s control.
    pub fn field_id(&self, field: &str) -> String {
        format!("{}-{field}", self.prefix.get_value())
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

    /// Replaces the messages with `problems` (a form's own checks: field, message; the field
    /// `""` for a message about the whole form).
    pub fn show(&self, problems: Vec<(&'static str, String)>) {
        let (general, fields): (Vec<_>, Vec<_>) =
            problems.into_iter().partition(|(f, _)| f.is_empty());
        self.general
            .set(general.into_iter().map(|(_, m)| m).collect());
        self.fields.set(fields);
    }

    /// The provider's refusal of a request that sent `sent` fields: its field errors (a 422's,
    /// or NetActuate's) at their fields, a 400 at the field it is about when that can be told,
    /// the rest above the form.
    pub fn refusal(&self, error: &ApiError, sent: &[&'static str]) {
        self.clear();
        match error {
            ApiError::Http(e) if !e.fields.is_empty() => {
                let placed = FormErrors::place(&e.fields, self.known);
                for (field, message) in placed.fields {
                    if let Some(known) = self.known.iter().find(|k| **k == field) {
                        self.field(known, format!("{} refused it: {message}", e.provider));
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
                    Some(field) => self.field(field, format!("{} refused it: {said}", e.provider)),
                    None => self.general(format!("{} refused it: {said}", e.provider)),
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

    /// The error summary at the top of the form (id `{prefix}-errors`): the general messages,
    /// then each field's in the form's order, linked to its control.
    pub fn view_summary(&self) -> impl IntoView {
        let (fields, general, known) = (self.fields, self.general, self.known);
        let prefix = self.prefix.get_value();
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
