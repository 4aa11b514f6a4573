//! `/machines/{provider}/{kind}/{id}`: one machine, everything its provider says about it, and
//! its lifecycle.

use cloudpane_api::machines::{age_label, Machine, MachineKind, VmLogin};
use cloudpane_api::voltagepark::vms;
use cloudpane_api::{ApiError, Provider};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use super::detail_facts::{BareMetalFacts, VmFacts};
use super::fleet::now_ms;
use super::lifecycle_panel::LifecyclePanel;
use super::load::load_account;
use super::rename_form::RenameForm;
use crate::components::{ErrorPanel, Loading, PageHeader, StatusBadge};
use crate::state::use_app;
use crate::transport;

/// What the page is showing: which machine it asked for.
#[derive(Clone, PartialEq)]
struct Wanted {
    provider: Provider,
    kind: MachineKind,
    id: String,
}

/// Reload the machine this often while it is changing or just after an action.
const FAST_MS: f64 = 5_000.0;

#[component]
pub fn MachineDetailPage() -> impl IntoView {
    let state = use_app();
    let params = use_params_map();
    let wanted = Memo::new(move |_| {
        params.with(|p| {
            Some(Wanted {
                provider: p.get("provider")?.parse().ok()?,
                kind: MachineKind::from_slug(&p.get("kind")?)?,
                id: p.get("id")?,
            })
        })
    });
    let machine = RwSignal::new(None::<Result<Option<Machine>, ApiError>>);
    let fast_until = RwSignal::new(0.0);
    let generation = StoredValue::new(0u64);
    let reload = move || {
        let (Some(w), Some(connection)) =
            (wanted.get_untracked(), state.connection.get_untracked())
        else {
            machine.set(Some(Ok(None)));
            return;
        };
        let accounts = state.accounts.all_untracked();
        let g = generation.get_value() + 1;
        generation.set_value(g);
        leptos::task::spawn_local(async move {
            let found = find_machine(&connection, &accounts, &w).await;
            if generation.get_value() == g {
                machine.set(Some(found));
            }
        });
    };
    Effect::new(move |_| {
        wanted.track();
        reload();
    });
    // While the machine is changing, or just after an action, look again every few seconds.
    let handle = set_interval_with_handle(
        move || {
            let changing =
                machine.with_untracked(|m| matches!(m, Some(Ok(Some(m))) if m.state.is_changing()));
            if !document().hidden() && (changing || fast_until.get_untracked() > now_ms()) {
                reload();
            }
        },
        std::time::Duration::from_millis(FAST_MS as u64),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    let after_action = Callback::new(move |_| {
        fast_until.set(now_ms() + 60_000.0);
        reload();
    });

    view! {
        <PageHeader title="Machine" summary="Everything its provider says about it, how to get in, and what can be done to it."/>
        <p><a href="/machines">"← All machines"</a></p>
        {move || match machine.get() {
            None => view! { <Loading what="the machine"/> }.into_any(),
            Some(Err(error)) => view! { <ErrorPanel error on_retry=move |_| reload()/> }.into_any(),
            Some(Ok(None)) => view! {
                <p class="empty" role="status">"No signed-in account lists this machine: it may have been terminated, or it belongs to an account that is not added here."</p>
            }.into_any(),
            Some(Ok(Some(m))) => view! { <MachineDetail machine=m after_action/> }.into_any(),
        }}
    }
}

/// Finds the machine among the accounts of its provider.
async fn find_machine(
    connection: &crate::state::Connection,
    accounts: &[crate::accounts::Account],
    w: &Wanted,
) -> Result<Option<Machine>, ApiError> {
    let mut first_error = None;
    for account in accounts.iter().filter(|a| a.provider == w.provider) {
        if w.provider == Provider::VoltagePark && w.kind == MachineKind::InstantVm {
            // VMs have their own endpoint.
            match transport::send::<Value>(connection, &vms::get_vm(&account.token, &w.id)).await {
                Ok(raw) => {
                    let (vm, raw) = vms::read_vm(raw).map_err(ApiError::Decode)?;
                    let account_ref = cloudpane_api::machines::AccountRef {
                        id: account.id,
                        name: account.name.clone(),
                    };
                    let login = VmLogin::for_account(account.vm_login.as_deref());
                    return Ok(Some(Machine::from_vm(&account_ref, vm, raw, &login)));
                }
                Err(ApiError::Http(e)) if e.status == 404 => continue,
                Err(e) => first_error = first_error.or(Some(e)),
            }
        } else {
            // Bare metal has no single-rental endpoint: read it from the list.
            match load_account(connection, account).await.result {
                Ok(list) => {
                    if let Some(m) = list.into_iter().find(|m| m.id == w.id && m.kind == w.kind) {
                        return Ok(Some(m));
                    }
                }
                Err(e) => first_error = first_error.or(Some(e)),
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(None),
    }
}

#[component]
fn MachineDetail(machine: Machine, after_action: Callback<()>) -> impl IntoView {
    let created = match (&machine.created, machine.created_at) {
        (Some(raw), Some(at)) => {
            format!("{raw} ({} ago)", age_label((now_ms() / 1000.0) as i64 - at))
        }
        (Some(raw), None) => raw.clone(),
        _ => "not given".into(),
    };
    let raw_json = serde_json::to_string_pretty(&machine.raw).unwrap_or_default();
    let is_vp = machine.provider == Provider::VoltagePark;
    let facts = match machine.kind {
        MachineKind::InstantVm if is_vp => view! { <VmFacts machine=machine.clone()/> }.into_any(),
        MachineKind::BareMetal => view! { <BareMetalFacts machine=machine.clone()/> }.into_any(),
        _ => ().into_any(),
    };
    view! {
        <article class="machine-detail">
            <h2 class="machine-name">{machine.name.clone()}</h2>
            <dl class="facts">
                <dt>"Status"</dt><dd><StatusBadge state=machine.state status=machine.status.clone()/></dd>
                <dt>"Kind"</dt><dd>{machine.kind.label()}</dd>
                <dt>"Provider · account"</dt><dd>{format!("{} · {}", machine.provider.display_name(), machine.account.name)}</dd>
                <dt>"Cost now"</dt><dd>{machine.hourly.map_or("not given by the provider".to_string(), |h| format!("{}/hour · {}/day", h.to_cents_string(), (h * 24).to_cents_string()))}</dd>
                <dt>"Created"</dt><dd>{created}</dd>
                <dt>"Addresses"</dt><dd>{if machine.addresses.is_empty() { "none yet".to_string() } else { machine.addresses.join(", ") }}</dd>
                <dt>"Location"</dt><dd>{machine.location.clone().unwrap_or_else(|| "not given".into())}</dd>
                <dt>"Id"</dt><dd><code>{machine.id.clone()}</code></dd>
            </dl>
            {is_vp.then(|| view! { <LifecyclePanel machine=machine.clone() after_action/> })}
            {is_vp.then(|| view! { <RenameForm machine=machine.clone() after_action/> })}
            {facts}
            <details class="raw">
                <summary>"Everything the provider returned (JSON)"</summary>
                <pre class="code-block">{raw_json}</pre>
            </details>
        </article>
    }
}
