//! The error summary at the top of a form (GOV.UK's pattern): when a form is refused, by its
//! own checks or by the provider, a box saying "There is a problem" takes focus and lists every
//! problem, each a link that moves focus to its field, wherever on the page the field is.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One problem of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong and what to do, in words.
    pub message: String,
    /// The `id` of the field it is about (`vm-password`); `None` for a problem of the whole
    /// form, listed without a link.
    pub field_id: Option<String>,
}

impl Problem {
    pub fn at(field_id: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            field_id: Some(field_id.into()),
        }
    }

    pub fn general(message: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            field_id: None,
        }
    }
}

/// The summary of `problems`, hidden while there are none. It takes focus each time the
/// problems are set (every refused submit), so the person hears and sees them at once.
#[component]
pub fn ErrorSummary(
    /// Its `id`, unique on the page (its heading is `{id}-title`).
    #[prop(into)]
    id: String,
    /// In the order of the fields on the form, general problems first.
    #[prop(into)]
    problems: Signal<Vec<Problem>>,
    /// Runs before a link moves focus to its field: brings back the form the field is in
    /// (e.g. closes the review in front of it).
    #[prop(optional)]
    on_follow: Option<Callback<()>>,
) -> impl IntoView {
    let summary = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if problems.with(|p| !p.is_empty()) {
            // After the page has drawn it (it was hidden until now).
            request_animation_frame(move || {
                if let Some(el) = summary.get_untracked() {
                    let _ = el.focus();
                }
            });
        }
    });
    let title_id = format!("{id}-title");
    let heading = move || match problems.with(Vec::len) {
        1 => "There is a problem".to_string(),
        n => format!("There are {n} problems"),
    };
    let item = move |problem: Problem| match problem.field_id {
        Some(field_id) => {
            let href = format!("#{field_id}");
            let follow = move |ev: leptos::ev::MouseEvent| {
                // The router would treat `#id` as a navigation; focus does what the link says.
                ev.prevent_default();
                if let Some(before) = on_follow {
                    before.run(());
                }
                let field_id = field_id.clone();
                request_animation_frame(move || focus_field(&field_id));
            };
            view! { <li><a href=href on:click=follow>{problem.message}</a></li> }.into_any()
        }
        None => view! { <li>{problem.message}</li> }.into_any(),
    };
    view! {
        <div id=id class="error-summary general-errors" tabindex="-1" node_ref=summary
            aria-labelledby=title_id.clone() hidden=move || problems.with(Vec::is_empty)>
            <h2 id=title_id.clone() class="error-summary-title"><span aria-hidden="true">"⚠ "</span>{heading}</h2>
            <ul>{move || problems.get().into_iter().map(item).collect_view()}</ul>
        </div>
    }
}

/// Focuses the field `id` (which brings it into view), opening any `<details>` it is folded in.
fn focus_field(id: &str) {
    let Some(field) = document().get_element_by_id(id) else {
        return;
    };
    let mut folded = field.closest("details:not([open])").ok().flatten();
    while let Some(details) = folded {
        let _ = details.set_attribute("open", "");
        folded = details.closest("details:not([open])").ok().flatten();
    }
    if let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() {
        let _ = field.focus();
    }
}
