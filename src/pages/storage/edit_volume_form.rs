use cloudpane_api::lost_answer::Checked;
use cloudpane_api::voltagepark::after_lost_answer::volume_saved;
use cloudpane_api::voltagepark::storage::{
    check_volume_name, get_volume, parse_size_gb, rental_name, update_volume, StorageRate, Volume,
    VolumeDetail, VolumePatch, HOURS_PER_MONTH,
};
use cloudpane_api::Provider;
use leptos::prelude::*;
use serde_json::Value;

use crate::components::FormMessages;
use crate::components::SendOnce;
use crate::state::use_app;
use crate::transport;

const FIELDS: &[&str] = &["name", "size_in_gb", "order_ids"];

/// Renames, resizes (the new cost beside the old) or attaches a volume to rentals; sends only
/// what changed. A refusal is shown at the field it is about, and what was typed stays.
#[component]
pub fn EditVolumeForm(
    volume: Volume,
    /// The smallest size that still holds what is stored.
    min_size_gb: u64,
    /// (id, name) of the organization's rentals. Tracked.
    #[prop(into)]
    rentals: Signal<Vec<(String, String)>>,
    #[prop(into)] rate: Signal<Option<StorageRate>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let id = volume.id.clone();
    let prefix = format!("volume-{id}");
    let name = RwSignal::new(volume.name.clone());
    let size = RwSignal::new(volume.size_in_gb.map(|s| s.to_string()).unwrap_or_default());
    let chosen = RwSignal::new(volume.order_ids.clone());
    let messages = FormMessages::new(prefix.clone(), FIELDS);
    let once = SendOnce::new();
    let saved = RwSignal::new(false);
    let old = StoredValue::new(volume.clone());

    let new_cost = move || {
        let gb = size.with(|s| parse_size_gb(s, 1).ok())?;
        let before = old.with_value(|v| (v.size_in_gb, v.rate_hourly));
        if before.0 == Some(u64::from(gb)) {
            return None;
        }
        let estimate = rate.get()?.estimate(gb);
        let now = match before.1 {
            Some(r) => format!(
                "now {}/hour, {}/month",
                r.to_rate_string(),
                (r * HOURS_PER_MONTH).to_cents_string()
            ),
            None => "its rate now is not given".into(),
        };
        Some(format!(
            "At {gb} GB: about {}/hour, {}/month (estimated); {now}.",
            estimate.to_rate_string(),
            (estimate * HOURS_PER_MONTH).to_cents_string()
        ))
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        messages.clear();
        let before = old.get_value();
        let mut patch = VolumePatch::default();
        let typed_name = name.get_untracked().trim().to_string();
        match check_volume_name(&typed_name) {
            Err(e) => messages.field("name", e),
            Ok(()) if typed_name != before.name => patch.name = Some(typed_name),
            Ok(()) => {}
        }
        match parse_size_gb(&size.get_untracked(), min_size_gb) {
            Err(e) => messages.field("size_in_gb", e),
            Ok(gb) if before.size_in_gb != Some(u64::from(gb)) => patch.size_in_gb = Some(gb),
            Ok(_) => {}
        }
        let order_ids = chosen.get_untracked();
        let mut a = order_ids.clone();
        let mut b = before.order_ids.clone();
        a.sort();
        b.sort();
        if a != b {
            patch.order_ids = Some(order_ids);
        }
        // The error summary takes focus and says what to correct.
        if messages.has_untracked() {
            return;
        }
        if patch.is_empty() {
            messages.general("Nothing changed.");
            return;
        }
        let (Some(connection), Some(account)) = (
            state.connection.get_untracked(),
            state.account_for(Provider::VoltagePark),
        ) else {
            return;
        };
        if !once.claim() {
            return;
        }
        let request = update_volume(&account.token, &before.id, &patch);
        let sent = patch.fields();
        leptos::task::spawn_local(async move {
            let result = transport::send::<Value>(&connection, &request).await;
            // A lost answer is never sent again: the volume read again says whether it took.
            let lost = match &result {
                Err(e) if e.answer_may_be_lost() => {
                    let reread = transport::send::<VolumeDetail>(
                        &connection,
                        &get_volume(&account.token, &before.id),
                    )
                    .await;
                    let reread = match reread {
                        Ok(detail) => Ok(Some(detail.volume)),
                        Err(e) if e.is_not_found() => Ok(None),
                        Err(e) => Err(e),
                    };
                    Some(volume_saved(&patch, reread))
                }
                _ => None,
            };
            once.release();
            match (result, lost) {
                (Ok(_), _) | (_, Some(Checked::Happened(_))) => {
                    saved.set(true);
                    state.announce(format!("Volume {} saved.", before.name));
                    on_changed.run(());
                }
                (_, Some(Checked::DidNotHappen)) => {
                    messages.general(format!("The volume {} was not changed: its answer was lost, and read again Voltage Park shows it as before. Nothing changed; what you typed is kept: save again.", before.name));
                    state.announce(
                        "The volume's change was not saved; see the message in the form.",
                    );
                }
                (_, Some(Checked::NotKnown(e))) => {
                    messages.general(format!("Not known whether the volume {} was changed: its answer was lost, and the volume could not be read again ({e}). It was not sent again: reload the page before saving again.", before.name));
                    state.announce("Not known whether the volume's change was saved; see the message in the form.");
                }
                (Err(error), None) => {
                    messages.refusal(&error, &sent);
                    state
                        .announce("Voltage Park refused the change; see the messages in the form.");
                }
            }
        });
    };

    let rental_choices = move || {
        let known = rentals.get();
        // Rentals the volume names that the list does not have (ended meanwhile) stay choosable.
        let mut all: Vec<(String, String)> = known.clone();
        for id in old.with_value(|v| v.order_ids.clone()) {
            if !all.iter().any(|(i, _)| *i == id) {
                all.push((id.clone(), rental_name(&id, &known)));
            }
        }
        if all.is_empty() {
            return view! { <p class="muted">"The organization has no rentals to attach it to."</p> }.into_any();
        }
        all.into_iter()
            .map(|(rid, rname)| {
                let checked = {
                    let rid = rid.clone();
                    move || chosen.with(|c| c.contains(&rid))
                };
                view! {
                    <label class="inline">
                        <input type="checkbox" prop:checked=checked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| x != &rid);
                                if on { c.push(rid.clone()); }
                            });
                        }/>
                        {rname}
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };

    let (name_id, size_id) = (format!("{prefix}-name"), format!("{prefix}-size_in_gb"));
    let (name_err, size_err, orders_err) = (
        format!("{prefix}-name-error"),
        format!("{prefix}-size-error"),
        format!("{prefix}-orders-error"),
    );
    let cost_id = format!("{prefix}-new-cost");
    view! {
        <form class="form edit-volume" on:submit=submit novalidate>
            {messages.view_summary()}
            <label for=name_id.clone()>"Name"</label>
            <input id=name_id type="text" autocomplete="off" bind:value=name
                aria-invalid=move || messages.has("name").to_string()
                aria-describedby=name_err.clone()/>
            {messages.view_field("name", name_err)}
            <label for=size_id.clone()>"Size (GB)"</label>
            <input id=size_id type="text" inputmode="numeric" autocomplete="off" bind:value=size
                aria-invalid=move || messages.has("size_in_gb").to_string()
                aria-describedby=format!("{size_err} {cost_id}")/>
            {messages.view_field("size_in_gb", size_err)}
            <p id=cost_id class="help estimate">{new_cost}</p>
            <fieldset class="attach" id=format!("{prefix}-order_ids") tabindex="-1" aria-describedby=orders_err.clone()>
                <legend>"Attached to"</legend>
                {rental_choices}
            </fieldset>
            {messages.view_field("order_ids", orders_err)}
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Saving…" } else { "Save changes" }}
            </button>
            {move || saved.get().then(|| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>"Saved."</p> })}
        </form>
    }
}
