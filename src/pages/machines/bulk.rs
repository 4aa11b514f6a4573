//! Start, stop or terminate the selected machines that the current filter shows.

use std::collections::HashSet;

use cloudpane_api::machines::{available_actions, Lifecycle, Machine};
use cloudpane_api::words::count;
use leptos::prelude::*;

use super::action_notices::Notices;
use super::actions::perform;
use super::fleet::Fleet;
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::use_app;

#[component]
pub fn BulkActions(rows: Memo<Vec<usize>>, selected: RwSignal<HashSet<String>>) -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let state = use_app();
    // Only rows visible under the current filter count, whatever was selected before.
    let chosen = Memo::new(move |_| {
        fleet.machines.with(|m| {
            rows.with(|r| {
                selected.with(|s| {
                    r.iter()
                        .map(|&i| &m[i])
                        .filter(|m| s.contains(m.key()))
                        .cloned()
                        .collect::<Vec<_>>()
                })
            })
        })
    });
    let pending = RwSignal::new(None::<Lifecycle>);
    let open = RwSignal::new(false);
    let once = SendOnce::new();
    let notices = expect_context::<Notices>();
    let applicable = move |action: &Lifecycle| -> Vec<Machine> {
        chosen.with(|c| {
            c.iter()
                .filter(|m| available_actions(m).contains(action))
                .cloned()
                .collect()
        })
    };
    let ask = move |action: Lifecycle| {
        pending.set(Some(action));
        open.set(true);
    };
    let targets = move || pending.get().map(|a| applicable(&a)).unwrap_or_default();
    let run = move |_| {
        let Some(action) = pending.get_untracked() else {
            return;
        };
        if !once.claim() {
            return;
        }
        let machines = applicable(&action);
        leptos::task::spawn_local(async move {
            let mut said = Vec::new();
            for m in &machines {
                let outcome = perform(state, m, &action).await;
                said.push(notices.record(m, &action, &outcome));
            }
            state.announce(said.join(" "));
            once.release();
            open.set(false);
            selected.set(HashSet::new());
            fleet.after_action();
        });
    };
    let button = move |action: Lifecycle| {
        let (a, b) = (action.clone(), action.clone());
        let count = move || applicable(&a).len();
        let disabled = move || applicable(&b).is_empty();
        let label = action.label();
        let danger = action.is_destructive();
        view! {
            <button type="button" class:danger=danger disabled=disabled
                on:click=move |_| ask(action.clone())>
                {move || format!("{label} ({})", count())}
            </button>
        }
    };
    let title = Signal::derive(move || {
        let n = targets().len();
        match pending.get() {
            Some(a) => format!("{} {}?", a.label(), count(n, "machine", "machines")),
            None => String::new(),
        }
    });
    let confirm_label = Signal::derive(move || {
        let n = targets().len();
        pending
            .get()
            .map(|a| format!("{} {}", a.label(), count(n, "machine", "machines")))
            .unwrap_or_default()
    });
    let danger = Signal::derive(move || pending.get().is_some_and(|a| a.is_destructive()));
    // Terminating several machines at once asks for "terminate N" to be typed, as terminating
    // one rental asks for its name.
    let must_type = Signal::derive(move || match pending.get() {
        Some(Lifecycle::Terminate) => format!("terminate {}", targets().len()),
        _ => String::new(),
    });
    view! {
        <div class="bulk-actions" role="group" aria-label="Act on the selected machines">
            <span>{move || format!("{} selected", chosen.with(Vec::len))}</span>
            {button(Lifecycle::Start)}
            {button(Lifecycle::Stop)}
            {button(Lifecycle::Terminate)}
        </div>
        <ConfirmDialog open title confirm_label busy=Signal::derive(move || once.busy())
            danger on_confirm=Callback::new(run) type_to_confirm=must_type>
            <p>{move || match pending.get() {
                Some(Lifecycle::Terminate) => "Terminate these machines for good? Their disks and data are deleted:",
                Some(Lifecycle::Stop) => "Stop these machines? Voltage Park VMs stopped this way keep billing like running ones; use Stop and release on each VM's page to stop paying for compute:",
                _ => "Start these machines? Each is billed at the rate shown from when it runs:",
            }}</p>
            <ul>
                {move || {
                    let starting = pending.get() == Some(Lifecycle::Start);
                    targets().into_iter().map(|m| {
                        // Starting: the rate it will be billed at once running, not what it
                        // costs stopped.
                        let rate = if starting { m.hourly_associated.or(m.hourly) } else { m.hourly };
                        view! {
                            <li>{format!("{} ({} · {} · {}/hour)", m.name, m.provider.display_name(), m.account.name,
                                rate.map_or("price not known".into(), |h| h.to_cents_string()))}</li>
                        }
                    }).collect_view()
                }}
            </ul>
        </ConfirmDialog>
    }
}
