use leptos::prelude::*;

use crate::components::PageHeader;

/// A route the console does not have.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <PageHeader title="Page not found" summary="There is no such page in cloudpane."/>
        <p><a href=crate::base_path::app_href("/machines")>"Go to Machines"</a></p>
    }
}
