use leptos::prelude::*;

use crate::components::{PageHeader, AREAS};

/// What each area not yet built will hold, so the navigation is honest about it.
fn plan(path: &str) -> &'static str {
    match path {
        "/machines" => "Every machine you pay for, across Voltage Park, NetActuate and Octos Cloud, in one table with its status, cost per hour and a copyable SSH command.",
        "/deploy" => "Deploy an instant VM or a bare-metal rental from a form that shows $/hour, $/day and the prepaid hold before you click.",
        "/ssh-keys" => "The organization's SSH keys: list, add and delete the keys that go onto new machines.",
        "/secrets" => "NetActuate secrets and secret lists: values masked until revealed, and `${{secret.KEY}}` references in cloud-init checked against them.",
        "/storage" => "Storage volumes: create, resize, rename and delete, with their hourly rate.",
        "/billing" => "The hourly rate of everything running, transactions with filters and the monthly report.",
        _ => "This area is not built yet.",
    }
}

/// The page of an area that is not built yet: its name and what it will hold.
#[component]
pub fn AreaPlaceholder(path: &'static str) -> impl IntoView {
    let area = AREAS.iter().find(|a| a.path == path).copied();
    let title = area.map_or("cloudpane", |a| a.label);
    view! {
        <PageHeader title=title summary=area.map_or("", |a| a.providers)/>
        <section class="placeholder" aria-label="Coming soon">
            <p>{plan(path)}</p>
            <p class="muted">"Not built yet. Meanwhile, see what capacity is available under "<a href="/locations">"Locations"</a>"."</p>
        </section>
    }
}
