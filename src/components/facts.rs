use leptos::prelude::*;

/// A definition list of (term, value) pairs: "Status", "Running"... One component for every
/// such list, so each page does not compile its own copy of the markup.
#[component]
pub fn Facts(rows: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <dl class="facts">
            {rows
                .into_iter()
                .map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> })
                .collect_view()}
        </dl>
    }
}
