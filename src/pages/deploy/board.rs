use leptos::prelude::*;

#[component]
pub fn DeployBoardPage() -> impl IntoView {
    view! { <crate::pages::AreaPlaceholder path="/deploy"/> }
}
