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
use super::load::{find_rental, load_account, place_vms};
use super::rename_form::RenameForm;
use crate::components::{ErrorPanel, Facts, Loading, PageHeader, RawJson, StatusBadge};
use crate::state::use_app;
use crate::transport;
use cloudpane_api::machines::deploy_like_path;

/// What the page is showing: which machine it asked for.
#[derive(Clone, PartialEq)]
struct Wanted {
    provider: Provider,
    kind: MachineKind,
    id: String,
}

/// Where the page is in finding its machine.
#[derive(Clone, PartialEq)]
enum Phase {
    Loading,
    Failed(ApiError),
    Missing,
    Found,
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
    // What the last look found; the machine itself is kept apart and replaced only when it
    // changed, so a reload redraws only what changed and never what the user is typing.
    let phase = RwSignal::new(Phase::Loading);
    let shown = RwSignal::new(None::<Machine>);
    let outcome = RwSignal::new(None::<(bool, String)>);
    let fast_until = RwSignal::new(0.0);
    let generation = StoredValue::new(0u64);
    // Set by an action: the redraw its answer brings may remove the button that had focus.
    let refocus = StoredValue::new(false);
    let reload = move || {
        let (Some(w), Some(connection)) =
            (wanted.get_untracked(), state.connection.get_untracked())
        else {
            phase.set(Phase::Missing);
            return;
        };
        let accounts = state.accounts.all_untracked();
        let g = generation.get_value() + 1;
        generation.set_value(g);
        leptos::task::spawn_local(async move {
            let found = find_machine(&connection, &accounts, &w).await;
            if generation.get_value() != g {
                return;
            }
            match found {
                Ok(Some(m)) => {
                    if shown.with_untracked(|s| s.as_ref() != Some(&m)) {
                        shown.set(Some(m));
                    }
                    if phase.get_untracked() != Phase::Found {
                        phase.set(Phase::Found);
                    }
                }
                Ok(None) => phase.set(Phase::Missing),
                Err(e) => phase.set(Phase::Failed(e)),
            }
            if refocus.get_value() {
                refocus.set_value(false);
                crate::pages::focus_if_lost(|| None);
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
                shown.with_untracked(|m| m.as_ref().is_some_and(|m| m.state.is_changing()));
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
        refocus.set_value(true);
        reload();
    });

    view! {
        <PageHeader title="Machine" summary="Everything its provider says about it, how to get in, and what can be done to it."/>
        <p><a href=crate::base_path::app_href("/machines")>"← All machines"</a></p>
        {move || outcome.get().map(|(ok, text)| view! {
                <p class=if ok { "outcome ok" } else { "outcome failed" } role="status">
                    <span aria-hidden="true">{if ok { "✓ " } else { "⚠ " }}</span>{text}
                </p>
            })}
        {move || match phase.get() {
            Phase::Loading => view! { <Loading what="the machine"/> }.into_any(),
            Phase::Failed(error) => view! { <ErrorPanel error on_retry=move |_| reload()/> }.into_any(),
            // Right after the person's own terminate, the outcome above says what happened.
            Phase::Missing if outcome.with(|o| o.as_ref().is_some_and(|(ok, _)| *ok)) => view! {
                <p class="empty" role="status">"It is no longer listed."</p>
            }.into_any(),
            Phase::Missing => view! {
                <p class="empty" role="status">"No signed-in account lists this machine: it may have been terminated, or it belongs to an account that is not added here."</p>
            }.into_any(),
            Phase::Found => {
                // `shown` is set before the phase becomes Found, and never emptied.
                let machine = Signal::derive(move || shown.get().expect("a machine was found"));
                view! { <MachineDetail machine outcome after_action/> }.into_any()
            }
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
                    let hostnode = [vm.hostnode_id.clone()];
                    let mut found = [Machine::from_vm(&account_ref, vm, raw, &login)];
                    // The same lookup as the table's, so both show where the VM is.
                    place_vms(connection, &account.token, &mut found, &hostnode).await;
                    let [machine] = found;
                    return Ok(Some(machine));
                }
                Err(ApiError::Http(e)) if e.status == 404 => continue,
                Err(e) => first_error = first_error.or(Some(e)),
            }
        } else {
            let found = if w.kind == MachineKind::BareMetal {
                find_rental(connection, account, &w.id).await
            } else {
                // NetActuate and Octos list everything in one answer.
                load_account(connection, account)
                    .await
                    .result
                    .map(|list| list.into_iter().find(|m| m.id == w.id && m.kind == w.kind))
            };
            match found {
                Ok(Some(m)) => return Ok(Some(m)),
                Ok(None) => {}
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
fn MachineDetail(
    machine: Signal<Machine>,
    outcome: RwSignal<Option<(bool, String)>>,
    after_action: Callback<()>,
) -> impl IntoView {
    let m = machine.get_untracked();
    let is_vp = m.provider == Provider::VoltagePark;
    let summary = move || {
        let machine = machine.get();
        let created = match (&machine.created, machine.created_at) {
            // Read: in the console's words ("2026-01-15 10:30 UTC"), not the provider's ISO text.
            (Some(_), Some(at)) => format!(
                "{} ({} ago)",
                cloudpane_api::calendar::utc_label(at),
                age_label((now_ms() / 1000.0) as i64 - at)
            ),
            (Some(raw), None) => raw.clone(),
            _ => "not given".into(),
        };
        view! {
            <h2 class="machine-name">{machine.name.clone()}</h2>
            <p class="machine-status">"Status: "<StatusBadge state=machine.state status=machine.status.clone()/></p>
            <Facts rows=vec![
                ("Kind", machine.kind.label().to_string()),
                ("Provider · account", format!("{} · {}", machine.provider.display_name(), machine.account.name)),
                ("Cost now", machine.hourly.map_or("not given by the provider".to_string(), |h| format!("{}/hour · {}/day", h.to_cents_string(), (h * 24).to_cents_string()))),
                ("Created", created),
                ("Addresses", if machine.addresses.is_empty() { "none yet".to_string() } else { machine.addresses.join(", ") }),
                ("Location", machine.location.clone().unwrap_or_else(|| "not given".into())),
                ("Id", machine.id.clone()),
            ]/>
        }
    };
    let facts = move || {
        let m = machine.get();
        match m.kind {
            MachineKind::InstantVm if m.provider == Provider::VoltagePark => {
                view! { <VmFacts machine=m/> }.into_any()
            }
            MachineKind::BareMetal => view! { <BareMetalFacts machine=m/> }.into_any(),
            _ => ().into_any(),
        }
    };
    let raw = Signal::derive(move || machine.with(|m| Value::clone(&m.raw)));
    view! {
        <article class="machine-detail">
            {summary}
            {move || machine.with(deploy_like_path).map(|href| view! {
                <p><a class="button-link" href=crate::base_path::app_href(&href)>"Deploy another like this"</a></p>
            })}
            {is_vp.then(|| view! { <LifecyclePanel machine outcome after_action/> })}
            {is_vp.then(|| view! { <RenameForm machine after_action/> })}
            {facts}
            <details class="raw">
                <summary>"Everything the provider returned (JSON)"</summary>
                <RawJson value=raw of=m.name.clone()/>
            </details>
        </article>
    }
}
