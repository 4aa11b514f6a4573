use cloudpane_api::octos::list_vms;
use cloudpane_api::Provider;
use leptos::prelude::*;

use super::family_page::FamilyTable;
use crate::components::PageHeader;

/// `/octos/vms`: the Octos account's VMs (they are in the machines table too).
#[component]
pub fn OctosVmsPage() -> impl IntoView {
    view! {
        <section class="octos-family">
            <PageHeader acting_as=Provider::Octos title="Octos VMs"
                summary="Every field Octos Cloud sends for each virtual machine. They are also in the Machines table, beside the other providers'."/>
            <p><a href=crate::base_path::app_href("/octos")>"All Octos resources"</a>" · "<a href=crate::base_path::app_href("/machines")>"Machines (all providers)"</a></p>
            <FamilyTable what="Virtual machines" request=list_vms/>
        </section>
    }
}
