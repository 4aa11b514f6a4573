use cloudpane_api::octos::families::FAMILIES;
use cloudpane_api::Provider;
use leptos::prelude::*;

use crate::components::PageHeader;

/// `/octos`: every Octos page in one place.
#[component]
pub fn OctosOverviewPage() -> impl IntoView {
    view! {
        <section class="octos-overview">
            <PageHeader acting_as=Provider::Octos title="Octos Cloud"
                summary="Your Octos Cloud API token and every family of resources the API lists, read-only."/>
            <h2>"API token"</h2>
            <p><a href=crate::base_path::app_href("/octos/api-access")>"API access"</a>": log in, enable, see the token once, save it as an account, retrieve, rotate, disable."</p>
            <h2>"Resources"</h2>
            <ul class="octos-families">
                <li><a href=crate::base_path::app_href("/octos/vms")>"Virtual machines"</a>" (also in Machines)"</li>
                {FAMILIES.iter().map(|f| view! {
                    <li><a href=crate::base_path::app_href(&format!("/octos/{}", f.slug))>{f.title}</a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}
