//! A machine's lifecycle buttons, each behind a confirmation that names the machine and says
//! what it does to the bill. Each action is sent once and never retried on its own.

use cloudpane_api::machines::{
    available_actions, billed_while_stopped, explain, release_saving, Lifecycle, Machine,
    MachineKind,
};
use leptos::prelude::*;

use super::actions::{outcome_text, perform};
use crate::components::{ConfirmDialog, SendOnce};
use crate::state::use_app;

#[component]
pub fn LifecyclePanel(
    /// The machine as last read; the panel follows its changes.
    #[prop(into)]
    machine: Signal<Machine>,
    /// The last action's outcome; owned by the page so that it outlives a redraw.
    outcome: RwSignal<Option<(bool, String)>>,
    after_action: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let m = machine;
    let must_type = machine.with_untracked(|m| m.kind == MachineKind::BareMetal);
    let pending = RwSignal::new(None::<Lifecycle>);
    let open = RwSignal::new(false);
    let once = SendOnce::new();
    // Reboot: which nodes, by public address.
    let nodes = RwSignal::new(Vec::<String>::new());

    let run = move |_| {
        let Some(mut action) = pending.get_untracked() else {
            return;
        };
        if let Lifecycle::Reboot(_) = action {
            let chosen = nodes.get_untracked();
            if chosen.is_empty() {
                return;
            }
            action = Lifecycle::Reboot(chosen);
        }
        if !once.claim() {
            return;
        }
        let machine = m.get_untracked();
        leptos::task::spawn_local(async move {
            let answer = perform(state, &machine, &action).await;
            let text = outcome_text(&machine, &action, &answer);
            state.announce(text.clone());
            outcome.set(Some((answer.carried_out(), text)));
            once.release();
            open.set(false);
            after_action.run(());
        });
    };
    let title = Signal::derive(move || {
        let m = m.get();
        match pending.get() {
            Some(Lifecycle::Terminate) => format!("Terminate {}?", m.name),
            Some(Lifecycle::Reboot(_)) => format!("Reboot nodes of {}?", m.name),
            Some(a) => format!("{} {}?", a.label(), m.name),
            None => String::new(),
        }
    });
    let confirm_label = Signal::derive(move || {
        let m = m.get();
        match pending.get() {
            Some(Lifecycle::Reboot(_)) => {
                let n = nodes.with(Vec::len);
                format!("Reboot {}", cloudpane_api::words::count(n, "node", "nodes"))
            }
            Some(a) => format!("{} {}", a.label(), m.name),
            None => String::new(),
        }
    });
    let busy = Signal::derive(move || {
        once.busy()
            || matches!(pending.get(), Some(Lifecycle::Reboot(_))) && nodes.with(Vec::is_empty)
    });
    let danger = Signal::derive(move || pending.get().is_some_and(|a| a.is_destructive()));
    // Terminating bare metal asks for the rental's name to be typed.
    let type_name = Signal::derive(move || m.get().name);
    // The Machines banner's rule on the machine's own page: a stopped VM that still holds its
    // resources is billed like a running one; Stop and release is offered instead.
    let can_release = move || m.with(|m| available_actions(m).contains(&Lifecycle::StopAndRelease));
    let saving = move || m.with(release_saving).map(|s| s.to_cents_string());
    let ask = move |action: Lifecycle| {
        outcome.set(None);
        nodes.set(Vec::new());
        pending.set(Some(action));
        open.set(true);
    };
    let billed_warning = move || {
        m.with(|one| !billed_while_stopped(std::slice::from_ref(one)).is_empty())
            .then(|| view! {
                <div class="banner warn billed-while-stopped" role="note">
                    <p>
                        <span aria-hidden="true">"⚠ "</span>
                        <strong>"Stopped, but still billed"</strong>
                        {move || format!(
                            ": Voltage Park bills a stopped VM like a running one until its resources are released ({}/hour now).",
                            m.with(|m| m.hourly.map_or("price not given".into(), |h| h.to_cents_string()))
                        )}
                        {move || saving().map(|s| format!(" Stop and release would save {s}/hour; its disk stays."))}
                    </p>
                    {move || can_release().then(|| view! {
                        <button type="button" on:click=move |_| ask(Lifecycle::StopAndRelease)>"Stop and release…"</button>
                    })}
                </div>
            })
    };
    let dialog = move || {
        let body = view! {
            <p>{move || pending.get().map(|a| explain(&m.get(), &a)).unwrap_or_default()}</p>
            {move || (pending.get() == Some(Lifecycle::Stop) && can_release()).then(|| view! {
                <p class="release-offer">
                    {move || format!(
                        "Stopped this way it keeps billing at {}/hour. Stop and release stops paying for compute (its disk stays).",
                        m.with(|m| m.hourly.map_or("its running rate".into(), |h| h.to_cents_string()))
                    )}
                    " "
                    <button type="button" on:click=move |_| pending.set(Some(Lifecycle::StopAndRelease))>
                        "Stop and release instead"
                    </button>
                </p>
            })}
            <p class="muted">{move || {
                let m = m.get();
                format!("{} · account {} · {}", m.provider.display_name(), m.account.name,
                    m.hourly.map_or("price not given".into(), |h| format!("{}/hour now", h.to_cents_string())))
            }}</p>
            {move || matches!(pending.get(), Some(Lifecycle::Reboot(_))).then(|| view! {
                <fieldset>
                    <legend>"Nodes to reboot"</legend>
                    {m.get_untracked().addresses.into_iter().map(|ip| {
                        let ip_check = ip.clone();
                        let ip_toggle = ip.clone();
                        view! {
                            <label class="inline">
                                <input type="checkbox"
                                    prop:checked=move || nodes.with(|n| n.contains(&ip_check))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let ip = ip_toggle.clone();
                                        nodes.update(|n| { n.retain(|x| *x != ip); if on { n.push(ip); } });
                                    }/>
                                " " {ip.clone()}
                            </label>
                        }
                    }).collect_view()}
                    <p class="help">"The rental goes Pending until the nodes are back, and refuses other actions meanwhile."</p>
                </fieldset>
            })}
        };
        body
    };
    view! {
        <section class="lifecycle" aria-labelledby="lifecycle-title">
            <h3 id="lifecycle-title">"Actions"</h3>
            {billed_warning}
            <div class="actions">
                {move || machine.with(|m| available_actions(m).into_iter().map(|action| {
                    let label = action.label();
                    let danger = action.is_destructive();
                    let hint = explain(m, &action);
                    view! {
                        <button type="button" class:danger=danger title=hint disabled=move || once.busy()
                            on:click=move |_| ask(action.clone())>
                            {label}
                        </button>
                    }
                }).collect_view())}
                {move || machine.with(|m| available_actions(m).is_empty()).then(|| view! {
                    <p class="muted">"No action applies in this state."</p>
                })}
            </div>
            <ConfirmDialog open title confirm_label busy danger on_confirm=Callback::new(run)
                type_to_confirm=Signal::derive(move || {
                    let terminate = matches!(pending.get(), Some(Lifecycle::Terminate));
                    if must_type && terminate { type_name.get() } else { String::new() }
                })>
                {dialog()}
            </ConfirmDialog>
        </section>
    }
}
