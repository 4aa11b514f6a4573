use leptos::prelude::*;

#[component]
pub fn BareMetalFormPage() -> impl IntoView {
    view! { <crate::pages::AreaPlaceholder path="/deploy"/> }
}
