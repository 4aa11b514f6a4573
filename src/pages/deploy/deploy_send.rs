//! Sending a deploy once, and knowing what happened.
//!
//! One request per deploy, however many clicks: the form's [`SendOnce`] is claimed before the
//! request and released only once the outcome is known. When the answer never comes (the
//! connection dropped, a gateway answered 502 or 504; a 503 is a refusal), the deploy is
//! **not** sent again: the account's machines are listed and searched for one of that kind and
//! name created since the click ([`find_deployed`]); only when there is none is trying again
//! offered. A reload in the middle does the same: the deploy in flight is remembered in this
//! tab's session storage.

use cloudpane_api::machines::{
    find_deployed, unreadable_could_be, Machine, MachineKind, MachineState, SETTLE_SECONDS,
};
use cloudpane_api::voltagepark::deploy::{BareMetalDeployed, InstantVmDeployed};
use cloudpane_api::{ApiError, ApiRequest, Provider};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::accounts::Account;
use crate::components::SendOnce;
use crate::pages::machines::load::load_account;
use crate::state::{AppState, Connection};
use crate::transport;

/// Where a deploy stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Idle,
    Sending,
    /// The provider made the machine.
    Deployed {
        id: String,
        warning: Option<String>,
    },
    /// The provider said no; the form shows why (next to the fields the provider named).
    Refused(ApiError),
    /// The answer was lost; looking for the machine.
    Checking,
    /// The answer was lost, but the machine exists: the deploy happened.
    Happened(Box<Machine>),
    /// The answer was lost and no such machine exists: nothing was deployed.
    DidNotHappen,
    /// The answer was lost and the machines could not be listed either.
    Unknown(String),
}

/// A deploy sent and not yet answered, kept in session storage across a reload.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct InFlight {
    kind: String,
    name: String,
    account_id: u32,
    sent_at: i64,
}

const IN_FLIGHT_KEY: &str = "cloudpane.deploy.in-flight";

fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Sends one deploy and sets `outcome` as it goes. `once` must already be claimed; it is
/// released when the outcome is known.
#[allow(clippy::too_many_arguments)]
pub fn send_deploy(
    state: AppState,
    connection: Connection,
    account: Account,
    request: ApiRequest,
    kind: MachineKind,
    name: String,
    once: SendOnce,
    outcome: RwSignal<Outcome>,
) {
    let in_flight = InFlight {
        kind: kind.slug().to_string(),
        name: name.clone(),
        account_id: account.id,
        sent_at: now_seconds(),
    };
    remember(Some(&in_flight));
    outcome.set(Outcome::Sending);
    leptos::task::spawn_local(async move {
        let answer = transport::send::<Value>(&connection, &request).await;
        let result = match answer {
            Ok(body) => {
                remember(None);
                match read_deployed(kind, body) {
                    Ok((id, warning)) => {
                        state.announce(format!("Deployed {name}."));
                        Outcome::Deployed { id, warning }
                    }
                    Err(e) => Outcome::Refused(e),
                }
            }
            Err(e) if e.answer_may_be_lost() => {
                outcome.set(Outcome::Checking);
                state.announce("The deploy's answer was lost; checking whether it happened.");
                check(&connection, &account, kind, &name, in_flight.sent_at).await
            }
            Err(e) => {
                remember(None);
                state.announce(format!("Voltage Park refused the deploy: {}", e));
                Outcome::Refused(e)
            }
        };
        outcome.set(result);
        once.release();
        // The review, whose Deploy button had focus, is gone.
        crate::pages::focus_if_lost(|| None);
    });
}

fn read_deployed(kind: MachineKind, body: Value) -> Result<(String, Option<String>), ApiError> {
    let decode = |e: serde_json::Error| ApiError::Decode(e.to_string());
    if kind == MachineKind::BareMetal {
        let d: BareMetalDeployed = serde_json::from_value(body).map_err(decode)?;
        Ok((d.rental_id, d.warning.filter(|w| !w.trim().is_empty())))
    } else {
        let d: InstantVmDeployed = serde_json::from_value(body).map_err(decode)?;
        Ok((d.vm_id, None))
    }
}

/// Looks for the machine a lost deploy would have made.
async fn check(
    connection: &Connection,
    account: &Account,
    kind: MachineKind,
    name: &str,
    sent_at: i64,
) -> Outcome {
    loop {
        let listed = load_account(connection, account).await;
        let machines = match listed.result {
            Ok(machines) => machines,
            Err(e) => return Outcome::Unknown(e.to_string()),
        };
        if let Some(m) = find_deployed(&machines, kind, name, sent_at) {
            remember(None);
            return Outcome::Happened(Box::new(m.clone()));
        }
        if let Some(row) = unreadable_could_be(&listed.unreadable, name) {
            return Outcome::Unknown(format!(
                "the account lists {}, which could not be read: {}",
                row.label(),
                row.reason
            ));
        }
        // Too soon to say no: the request may still reach the provider. Look once more when
        // SETTLE_SECONDS have passed since the click.
        let wait = sent_at + SETTLE_SECONDS - now_seconds();
        if wait <= 0 {
            remember(None);
            return Outcome::DidNotHappen;
        }
        pause_seconds(wait).await;
    }
}

async fn pause_seconds(seconds: i64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            (seconds * 1000) as i32,
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// After a reload: a deploy of `kind` sent from this tab and never answered is checked now.
pub fn resume_check(state: AppState, kind: MachineKind, outcome: RwSignal<Outcome>) {
    let Some(in_flight) = recall().filter(|f| f.kind == kind.slug()) else {
        return;
    };
    let (Some(connection), Some(account)) = (
        state.connection.get_untracked(),
        state
            .accounts
            .all_untracked()
            .into_iter()
            .find(|a| a.id == in_flight.account_id && a.provider == Provider::VoltagePark),
    ) else {
        return;
    };
    outcome.set(Outcome::Checking);
    leptos::task::spawn_local(async move {
        let result = check(
            &connection,
            &account,
            kind,
            &in_flight.name,
            in_flight.sent_at,
        )
        .await;
        outcome.set(result);
    });
}

/// Checks again after [`Outcome::Unknown`].
pub fn check_again(state: AppState, kind: MachineKind, outcome: RwSignal<Outcome>) {
    resume_check(state, kind, outcome);
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn remember(in_flight: Option<&InFlight>) {
    let Some(storage) = storage() else { return };
    match in_flight.and_then(|f| serde_json::to_string(f).ok()) {
        Some(text) => {
            let _ = storage.set_item(IN_FLIGHT_KEY, &text);
        }
        None => {
            let _ = storage.remove_item(IN_FLIGHT_KEY);
        }
    }
}

fn recall() -> Option<InFlight> {
    let text = storage()?.get_item(IN_FLIGHT_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

/// What happened, in words, with what to do next. `try_again` is offered only when nothing was
/// deployed.
#[component]
pub fn OutcomeView(
    outcome: RwSignal<Outcome>,
    kind: MachineKind,
    try_again: Callback<()>,
) -> impl IntoView {
    let state = crate::state::use_app();
    view! {
        {move || match outcome.get() {
            Outcome::Idle | Outcome::Refused(_) => ().into_any(),
            Outcome::Sending => view! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>"Deploying… the request is sent once; wait for the answer."</p> }.into_any(),
            Outcome::Checking => view! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>"The answer was lost. Checking whether the deploy happened, without sending it again…"</p> }.into_any(),
            Outcome::Deployed { id, warning } => view! {
                <section class="banner ok" role="status" aria-labelledby="deployed-title">
                    <h2 id="deployed-title"><span aria-hidden="true">"✓ "</span>"Deployed"</h2>
                    {warning.map(|w| view! { <p class="warn-text"><span aria-hidden="true">"⚠ "</span><strong>"Voltage Park says: "</strong>{w}</p> })}
                    <Follow kind id/>
                </section>
            }.into_any(),
            Outcome::Happened(machine) => view! {
                <section class="banner ok" role="status" aria-labelledby="deployed-title">
                    <h2 id="deployed-title"><span aria-hidden="true">"✓ "</span>"The deploy happened"</h2>
                    <p>"Its answer was lost on the way, but Voltage Park lists the machine, so it was not sent again."</p>
                    <Follow kind id=machine.id.clone()/>
                </section>
            }.into_any(),
            Outcome::DidNotHappen => view! {
                <section class="banner warn" role="alert" aria-labelledby="lost-title">
                    <h2 id="lost-title"><span aria-hidden="true">"⚠ "</span>"The deploy did not happen"</h2>
                    <p>"Its answer was lost, and Voltage Park lists no machine of that name made since you clicked. Nothing was deployed or billed. Your form is as you left it."</p>
                    <button type="button" on:click=move |_| try_again.run(())>"Try the deploy again"</button>
                </section>
            }.into_any(),
            Outcome::Unknown(reason) => view! {
                <section class="banner warn" role="alert" aria-labelledby="unknown-title">
                    <h2 id="unknown-title"><span aria-hidden="true">"⚠ "</span>"Not known whether the deploy happened"</h2>
                    <p>{format!("Its answer was lost, and the machines could not be listed to check ({reason}). It was not sent again. Check again before deploying again, or look at the Machines page.")}</p>
                    <button type="button" on:click=move |_| check_again(state, kind, outcome)>"Check again"</button>
                </section>
            }.into_any(),
        }}
    }
}

/// Follows a new machine until it runs, then gives its SSH command and page.
#[component]
fn Follow(kind: MachineKind, id: String) -> impl IntoView {
    let state = crate::state::use_app();
    let machine = RwSignal::new(None::<Machine>);
    let tick = RwSignal::new(0u32);
    let id = StoredValue::new(id);
    let account = state.account_for(Provider::VoltagePark);
    let connection = state.connection.get_untracked();
    Effect::new(move |_| {
        tick.track();
        let (Some(connection), Some(account)) = (connection.clone(), account.clone()) else {
            return;
        };
        let wanted = id.get_value();
        leptos::task::spawn_local(async move {
            let listed = load_account(&connection, &account).await;
            let found = listed
                .result
                .ok()
                .and_then(|all| all.into_iter().find(|m| m.id == wanted && m.kind == kind));
            let running = found
                .as_ref()
                .is_some_and(|m| m.state == MachineState::Running);
            if found.is_some() {
                machine.set(found);
            }
            if !running {
                set_timeout(
                    move || tick.try_update(|t| *t += 1).unwrap_or(()),
                    std::time::Duration::from_secs(5),
                );
            }
        });
    });
    view! {
        {move || match machine.get() {
            None => view! { <p class="loading"><span class="spinner" aria-hidden="true"></span>"Waiting for Voltage Park to list the new machine…"</p> }.into_any(),
            Some(m) if m.state != MachineState::Running => view! {
                <p>{m.name.clone()}" is "<crate::components::StatusBadge state=m.state status=m.status.clone()/>
                   ". This page follows it until it runs."</p>
                <p><a href=crate::base_path::app_href(&m.detail_path())>"Open its page"</a></p>
            }.into_any(),
            Some(m) => {
                let command = m.ssh.first().map(cloudpane_api::machines::ssh_command);
                view! {
                    <p>{m.name.clone()}" is "<crate::components::StatusBadge state=m.state status=m.status.clone()/>"."</p>
                    {command.map(|c| {
                        let copy = c.clone();
                        view! { <p><code class="ssh-line">{c}</code>" "<crate::components::CopyButton text=copy label="Copy the SSH command"/></p> }
                    })}
                    <p><a href=crate::base_path::app_href(&m.detail_path())>"Open its page"</a>" · "<a href=crate::base_path::app_href("/machines")>"All machines"</a></p>
                }.into_any()
            }
        }}
    }
}
