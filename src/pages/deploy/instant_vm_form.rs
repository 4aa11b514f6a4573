use leptos::prelude::*;

#[component]
pub fn InstantVmFormPage() -> impl IntoView {
    view! { <crate::pages::AreaPlaceholder path="/deploy"/> }
}
