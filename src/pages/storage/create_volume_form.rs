use cloudpane_api::voltagepark::storage::{
    check_volume_name, create_volume, list_volumes, parse_size_gb, NewVolume, StorageRate, Volume,
    HOURS_PER_MONTH, VOLUMES_PAGE_MAX,
};
use cloudpane_api::{Provider, ANSWER_MAY_BE_LOST};
use leptos::prelude::*;

use crate::components::FormMessages;
use crate::components::{draft, SendOnce};
use crate::state::use_app;
use crate::transport;

const FIELDS: &[&str] = &["name", "size_in_gb", "order_ids"];

/// Creates a volume: a name and a size, with its estimated cost shown before the click.
#[component]
pub fn CreateVolumeForm(
    /// The per-GB rate, for the estimate. Tracked.
    #[prop(into)]
    rate: Signal<Option<StorageRate>>,
    /// (id, name) of the organization's rentals, to attach the new volume to. Tracked.
    #[prop(into)]
    rentals: Signal<Vec<(String, String)>>,
    on_created: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let name = RwSignal::new(String::new());
    let size = RwSignal::new("100".to_string());
    let chosen = RwSignal::new(Vec::<String>::new());
    let messages = FormMessages::new("new-volume", FIELDS);
    let once = SendOnce::new();
    let created = RwSignal::new(None::<String>);
    // The name and size survive a reload (nothing secret in them).
    draft::keep_fields("new-volume", vec![name, size]);
    let estimate = move || {
        let Some(gb) = size.with(|s| parse_size_gb(s, 1).ok()) else {
            return "The estimate appears once the size is a whole number of GB.".to_string();
        };
        let Some(rate) = rate.get() else {
            return "Voltage Park's per-GB rate has not been read (yet), so the cost is not estimated; the volume's own rate shows once it is created.".to_string();
        };
        let hourly = rate.estimate(gb);
        format!(
            "About {}/hour, {}/month ({} per GB-hour × {gb} GB). Voltage Park sets the exact rate on the new volume; billing starts when it is created.",
            hourly.to_rate_string(),
            (hourly * HOURS_PER_MONTH).to_cents_string(),
            rate.hourly_rate_per_gb,
        )
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        created.set(None);
        messages.clear();
        let typed_name = name.get_untracked().trim().to_string();
        if let Err(e) = check_volume_name(&typed_name) {
            messages.field("name", e);
        }
        let size_gb = match parse_size_gb(&size.get_untracked(), 1) {
            Ok(gb) => Some(gb),
            Err(e) => {
                messages.field("size_in_gb", e);
                None
            }
        };
        // The error summary takes focus and says what to correct.
        if messages.has_untracked() {
            return;
        }
        let (Some(size_gb), Some(connection), Some(account)) = (
            size_gb,
            state.connection.get_untracked(),
            state.account_for(Provider::VoltagePark),
        ) else {
            return;
        };
        if !once.claim() {
            return;
        }
        let body = NewVolume {
            size_in_gb: size_gb,
            name: typed_name,
            order_ids: chosen.get_untracked(),
        };
        let request = create_volume(&account.token, &body);
        leptos::task::spawn_local(async move {
            let mut result = transport::send::<Volume>(&connection, &request).await;
            if let Err(e) = &result {
                if e.answer_may_be_lost() {
                    // Never sent again on its own: look for the volume the request would have made.
                    let token = account.token.clone();
                    let list = |p| list_volumes(&token, p);
                    match transport::send_every_page(&connection, &list, VOLUMES_PAGE_MAX).await {
                        Ok(all) => {
                            let found = all
                                .into_iter()
                                .filter_map(|v| serde_json::from_value::<Volume>(v).ok())
                                .find(|v| v.name == body.name);
                            match found {
                                Some(volume) => result = Ok(volume),
                                None => messages.general(format!("The volume {} was not created: its answer was lost, and Voltage Park lists no volume of that name. The form is as you left it.", body.name)),
                            }
                        }
                        Err(_) => messages.general(ANSWER_MAY_BE_LOST),
                    }
                }
            }
            once.release();
            match result {
                Ok(volume) => {
                    name.set(String::new());
                    size.set("100".into());
                    chosen.set(Vec::new());
                    let said = format!("Volume {} created ({} GB).", volume.name, size_gb);
                    state.announce(said.clone());
                    created.set(Some(said));
                    on_created.run(());
                }
                Err(error) if error.answer_may_be_lost() => {
                    state.announce("The volume's answer was lost; see the message in the form.");
                    on_created.run(());
                }
                Err(error) => {
                    messages.refusal(&error, FIELDS);
                    state.announce(
                        "Voltage Park refused the new volume; see the messages in the form.",
                    );
                }
            }
        });
    };
    view! {
        <form class="form create-volume" on:submit=submit novalidate aria-labelledby="create-volume-title">
            <h2 id="create-volume-title">"Create a volume"</h2>
            // The API takes no location for a volume (name, size and rentals only).
            <p class="help" id="new-volume-where">"Voltage Park chooses where the volume lives: its API takes no location. Attach it to rentals below to use it from them."</p>
            {messages.view_summary()}
            <label for="new-volume-name">"Name"</label>
            <input id="new-volume-name" type="text" autocomplete="off" bind:value=name
                aria-invalid=move || messages.has("name").to_string()
                aria-describedby="new-volume-name-error"/>
            {messages.view_field("name", "new-volume-name-error".into())}
            <label for="new-volume-size_in_gb">"Size (GB)"</label>
            <input id="new-volume-size_in_gb" type="text" inputmode="numeric" autocomplete="off" bind:value=size
                aria-invalid=move || messages.has("size_in_gb").to_string()
                aria-describedby="new-volume-size-error new-volume-estimate"/>
            {messages.view_field("size_in_gb", "new-volume-size-error".into())}
            <p id="new-volume-estimate" class="help estimate">
                {estimate}
            </p>
            <fieldset class="attach" id="new-volume-order_ids" tabindex="-1" aria-describedby="new-volume-orders-error">
                <legend>"Attach to rentals (optional)"</legend>
                {move || {
                    let all = rentals.get();
                    if all.is_empty() {
                        return view! { <p class="muted">"No rentals to attach it to; it can be attached later."</p> }.into_any();
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
                }}
            </fieldset>
            {messages.view_field("order_ids", "new-volume-orders-error".into())}
            <button type="submit" disabled=move || once.busy() aria-busy=move || once.busy().to_string()>
                {move || if once.busy() { "Creating…" } else { "Create volume" }}
            </button>
            {move || created.get().map(|m| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
        </form>
    }
}
