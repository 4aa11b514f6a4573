use leptos::prelude::*;

/// A page's title and one line saying what the page is for. Also names the browser tab after
/// the page (titles are fixed words, never data, so nothing secret can reach the tab).
#[component]
pub fn PageHeader(#[prop(into)] title: String, #[prop(into)] summary: String) -> impl IntoView {
    let tab_title = format!("{title} · cloudpane");
    Effect::new(move |_| document().set_title(&tab_title));
    view! {
        <header class="page-header">
            <h1>{title}</h1>
            <p class="summary">{summary}</p>
        </header>
    }
}
