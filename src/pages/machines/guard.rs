//! The stopped-but-billed banner: Voltage Park bills a stopped VM like a running one unless it
//! is released.

use cloudpane_api::machines::{billed_while_stopped, release_saving, Lifecycle, Machine};
use cloudpane_api::Money;
use leptos::prelude::*;

use super::action_notices::Notices;
use super::actions::perform;
use super::fleet::Fleet;
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::use_app;

/// The banner as a split point: in the release build its code is fetched after the table's
/// first render (`<LazyWidget/>`), keeping it out of the first load.
#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(machines_guard, fallible, wasm_split_path = ::leptos::wasm_split))]
pub fn stopped_but_billed() -> Result<AnyView, crate::components::PageLoadFailed> {
    Ok(view! { <StoppedButBilled/> }.into_any())
}

#[component]
pub fn StoppedButBilled() -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let idle = Memo::new(move |_| {
        fleet.machines.with(|m| {
            billed_while_stopped(m)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let waste = move || idle.with(|m| m.iter().filter_map(release_saving).sum::<Money>());
    let confirm_all = RwSignal::new(false);
    // Outcomes go to the page's notices: a released VM leaves this list, its notice stays.
    let notices = expect_context::<Notices>();
    let all_once = SendOnce::new();
    let state = use_app();
    let release_all = move |_| {
        if !all_once.claim() {
            return;
        }
        let machines = idle.get_untracked();
        leptos::task::spawn_local(async move {
            let mut said = Vec::new();
            for m in &machines {
                let outcome = perform(state, m, &Lifecycle::StopAndRelease).await;
                said.push(notices.record(m, &Lifecycle::StopAndRelease, &outcome));
            }
            state.announce(said.join(" "));
            all_once.release();
            confirm_all.set(false);
            fleet.after_action();
        });
    };
    view! {
        <Show when=move || idle.with(|m| !m.is_empty())>
            <section class="banner warn" aria-labelledby="idle-title">
                <h2 id="idle-title">
                    <span aria-hidden="true">"⚠ "</span>
                    {move || {
                        let n = idle.with(Vec::len);
                        let w = waste();
                        format!(
                            "{} still billed: {}/hour, {}/day for nothing",
                            cloudpane_api::words::count(n, "stopped VM is", "stopped VMs are"),
                            w.to_cents_string(),
                            (w * 24).to_cents_string()
                        )
                    }}
                </h2>
                <p>"Voltage Park bills a stopped VM like a running one while it holds its GPUs, vCPUs and RAM. Stopping and releasing them leaves only the disk to pay for; starting again needs free capacity on the VM's hostnode."</p>
                <ul class="idle-list">
                    {move || idle.get().into_iter().map(|machine| view! { <IdleVm machine/> }).collect_view()}
                </ul>
                {move || {
                    let n = idle.with(Vec::len);
                    (n > 1).then(|| view! {
                        <button type="button" on:click=move |_| confirm_all.set(true)>
                            {format!("Stop and release all {n}")}
                        </button>
                    })
                }}
                <ConfirmDialog open=confirm_all
                    title=Signal::derive(move || format!("Stop and release {} VMs?", idle.with(Vec::len)))
                    confirm_label=Signal::derive(move || format!("Stop and release {} VMs", idle.with(Vec::len)))
                    busy=Signal::derive(move || all_once.busy())
                    on_confirm=Callback::new(release_all)>
                    <p>"Each of these VMs releases its GPUs, vCPUs and RAM and is then billed for its disk only:"</p>
                    <ul>
                        {move || idle.get().into_iter().map(|m| view! { <li>{describe(&m)}</li> }).collect_view()}
                    </ul>
                </ConfirmDialog>
            </section>
        </Show>
    }
}

fn describe(m: &Machine) -> String {
    format!(
        "{} ({} · {}): {}/hour now, {}/hour once released",
        m.name,
        m.provider.display_name(),
        m.account.name,
        m.hourly.map_or("?".into(), |h| h.to_rate_string()),
        m.hourly_released.map_or("?".into(), |h| h.to_rate_string())
    )
}

#[component]
fn IdleVm(machine: Machine) -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let state = use_app();
    let once = SendOnce::new();
    let notices = expect_context::<Notices>();
    let m = StoredValue::new(machine.clone());
    let release = move |_| {
        if !once.claim() {
            return;
        }
        let m = m.get_value();
        leptos::task::spawn_local(async move {
            let outcome = perform(state, &m, &Lifecycle::StopAndRelease).await;
            state.announce(notices.record(&m, &Lifecycle::StopAndRelease, &outcome));
            once.release();
            fleet.after_action();
        });
    };
    let saving = release_saving(&machine);
    view! {
        <li>
            <strong>{machine.name.clone()}</strong>
            {format!(" ({} · {}): {}/hour while stopped, {}/hour once released. ",
                machine.provider.display_name(),
                machine.account.name,
                machine.hourly.map_or("?".into(), |h| h.to_rate_string()),
                machine.hourly_released.map_or("?".into(), |h| h.to_rate_string()))}
            {saving.map(|s| format!("Releasing saves {}/hour, {}/day. ", s.to_cents_string(), (s * 24).to_cents_string()))}
            <button type="button" disabled=move || once.busy() on:click=release>
                {format!("Stop and release {}", machine.name)}
            </button>
        </li>
    }
}
