use leptos::prelude::*;

/// A page's title and one line saying what the page is for.
#[component]
pub fn PageHeader(#[prop(into)] title: String, #[prop(into)] summary: String) -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>{title}</h1>
            <p class="summary">{summary}</p>
        </header>
    }
}
