use cloudpane_api::voltagepark::storage::{
    delete_blocker, group_thousands, rental_name, StorageRate, Usage, Volume, VolumeDetail,
};
use leptos::prelude::*;

use super::edit_volume_form::EditVolumeForm;
use super::mount_command::MountCommand;
use super::usage_bar::UsageBar;

/// One volume: its facts, how to mount it, its change form and Delete.
#[component]
pub fn VolumeCard(
    detail: VolumeDetail,
    /// (id, name) of the organization's rentals. Tracked.
    #[prop(into)]
    rentals: Signal<Vec<(String, String)>>,
    #[prop(into)] rate: Signal<Option<StorageRate>>,
    on_changed: Callback<()>,
    /// Asks to delete the volume (the page confirms first).
    on_delete: Callback<Volume>,
) -> impl IntoView {
    let volume = detail.volume.clone();
    // Not `-name`: that is the change form's name field ({prefix}-name), which its label and the
    // error summary's link find by id.
    let heading_id = format!("volume-{}-title", volume.id);
    let labelled_by = heading_id.clone();
    let usage = volume
        .size_in_gb
        .zip(detail.used_capacity_bytes)
        .map(|(size_gb, used_bytes)| Usage {
            used_bytes,
            size_gb,
        });
    let (status_word, status_icon, status_class) = match volume.status.as_deref() {
        Some(s) if s.eq_ignore_ascii_case("active") => ("Active", "●", "status-running"),
        Some(s) if s.eq_ignore_ascii_case("inactive") => ("Inactive", "○", "status-stopped"),
        Some(_) => ("Unknown", "?", "status-unknown"),
        None => ("Not given", "?", "status-unknown"),
    };
    let raw_status = volume
        .status
        .clone()
        .filter(|s| !s.eq_ignore_ascii_case("active") && !s.eq_ignore_ascii_case("inactive"));
    let cost = match (volume.rate_hourly, volume.monthly()) {
        (Some(hour), Some(month)) => format!(
            "{}/hour · {}/month",
            hour.to_rate_string(),
            month.to_cents_string()
        ),
        _ => "not given".to_string(),
    };
    let size = volume
        .size_in_gb
        .map(|s| format!("{} GB", group_thousands(s)))
        .unwrap_or_else(|| "not given".into());
    let attached = {
        let ids = volume.order_ids.clone();
        move || {
            let names = rentals.get();
            if ids.is_empty() {
                "No rental".to_string()
            } else {
                ids.iter()
                    .map(|id| rental_name(id, &names))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
    };
    let blocked = RwSignal::new(None::<String>);
    let ask_delete = {
        let volume = volume.clone();
        move |_| match delete_blocker(&volume, &rentals.get_untracked()) {
            Some(why) => blocked.set(Some(why)),
            None => {
                blocked.set(None);
                on_delete.run(volume.clone());
            }
        }
    };
    let min_size_gb = usage.map(|u| u.min_size_gb()).unwrap_or(1);
    let name = volume.name.clone();
    view! {
        <article class="volume" aria-labelledby=labelled_by>
            <h2 id=heading_id>{volume.name.clone()}</h2>
            <dl class="facts">
                <dt>"Status"</dt>
                <dd>
                    <span class=format!("status {status_class}")>
                        <span class="status-icon" aria-hidden="true">{status_icon}</span>" "{status_word}
                        {raw_status.map(|s| view! { <span class="status-raw">{format!(" ({s})")}</span> })}
                    </span>
                </dd>
                <dt>"Size"</dt><dd>{size}</dd>
                <dt>"Used"</dt>
                <dd>
                    {match usage {
                        Some(usage) => view! { <UsageBar usage/> }.into_any(),
                        None => view! { <span class="muted">"not known (the volume's details could not be read)"</span> }.into_any(),
                    }}
                </dd>
                <dt>"Cost"</dt><dd>{cost}</dd>
                <dt>"Attached to"</dt><dd class="attached">{attached}</dd>
                <dt>"NFS address"</dt><dd>{volume.vip.clone().unwrap_or_else(|| "not given".into())}</dd>
            </dl>
            {volume.vip.clone().map(|vip| view! { <MountCommand vip name=name.clone()/> })}
            <details class="volume-change">
                <summary>{format!("Change {} (rename, resize, attach)", volume.name)}</summary>
                <EditVolumeForm volume=volume.clone() min_size_gb rentals rate on_changed/>
            </details>
            <div class="volume-actions">
                <button type="button" class="danger" on:click=ask_delete>{format!("Delete {}", volume.name)}</button>
                {move || blocked.get().map(|why| view! {
                    <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{why}</p>
                })}
            </div>
        </article>
    }
}
