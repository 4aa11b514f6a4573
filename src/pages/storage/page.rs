use cloudpane_api::voltagepark::bare_metal::{self, Rental, RENTALS_PAGE_MAX};
use cloudpane_api::voltagepark::storage::{
    get_volume, list_volumes, storage_hourly_rate, StorageRate, Volume, VolumeDetail,
    VOLUMES_PAGE_MAX,
};
use cloudpane_api::{ApiError, Provider, Rows};
use leptos::prelude::*;

use super::create_volume_form::CreateVolumeForm;
use super::delete_volume_dialog::DeleteVolumeDialog;
use super::volume_card::VolumeCard;
use crate::components::{ErrorPanel, Loading, NoAccount, PageHeader, UnreadableRows};
use crate::state::{use_app, Connection};
use crate::transport;

/// Every volume with its used capacity (`GET /storage/{id}` each, asked for together). A
/// volume whose detail could not be read is still listed, its usage unknown; one that could
/// not be read from the list is kept apart, as unreadable.
async fn load_volumes(
    connection: Connection,
    token: String,
) -> Result<Rows<VolumeDetail>, ApiError> {
    let request = |p| list_volumes(&token, p);
    let all = transport::send_every_page(&connection, &request, VOLUMES_PAGE_MAX).await?;
    let volumes = Rows::<Volume>::from_values(all);
    let requests: Vec<_> = volumes
        .read
        .iter()
        .map(|v| get_volume(&token, &v.id))
        .collect();
    let mut details = futures::future::join_all(
        requests
            .iter()
            .map(|r| transport::send::<VolumeDetail>(&connection, r)),
    )
    .await
    .into_iter();
    Ok(volumes.map(|volume| {
        details.next().and_then(Result::ok).unwrap_or(VolumeDetail {
            volume,
            used_capacity_bytes: None,
        })
    }))
}

/// The rentals a volume can be attached to, and the names of those it is: (id, name).
async fn load_rentals(
    connection: Connection,
    token: String,
) -> Result<Vec<(String, String)>, ApiError> {
    let request = |p| bare_metal::list_rentals(&token, p);
    let all = transport::send_every_page(&connection, &request, RENTALS_PAGE_MAX).await?;
    Ok(all
        .into_iter()
        .filter_map(|raw| serde_json::from_value::<Rental>(raw).ok())
        .filter(|r| r.status != "Terminated")
        .map(|r| (r.id, r.name))
        .collect())
}

#[component]
pub fn StoragePage() -> impl IntoView {
    let state = use_app();
    let reload = RwSignal::new(0u32);
    let volumes = LocalResource::new(move || {
        reload.track();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            Some(load_volumes(connection, account.token).await)
        }
    });
    let rate = LocalResource::new(move || {
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            transport::send::<StorageRate>(&connection, &storage_hourly_rate(&account.token))
                .await
                .ok()
        }
    });
    let rentals = LocalResource::new(move || {
        reload.track();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            load_rentals(connection, account.token).await.ok()
        }
    });
    let rate = Signal::derive(move || rate.get().flatten());
    let rentals_known = Signal::derive(move || rentals.get().flatten().unwrap_or_default());
    let to_delete = RwSignal::new(None::<Volume>);
    let after_change = Callback::new(move |()| reload.update(|n| *n += 1));

    let list = move || {
        match volumes.get() {
        None => view! { <Loading what="the storage volumes"/> }.into_any(),
        Some(None) => view! { <NoAccount provider=Provider::VoltagePark/> }.into_any(),
        Some(Some(Err(error))) => view! { <ErrorPanel error on_retry=after_change/> }.into_any(),
        Some(Some(Ok(all))) if all.is_empty() => view! {
            <p class="empty" role="status">"The organization has no storage volumes yet. Create one below."</p>
        }
        .into_any(),
        Some(Some(Ok(Rows { read: all, unreadable }))) => {
            let total = all.len();
            view! {
                <div class="table-toolbar">
                    <p class="row-count">{cloudpane_api::words::count(total, "volume", "volumes")}</p>
                    // Used capacity changes while rentals write: read it again on demand.
                    <button type="button" on:click=move |_| {
                        state.announce("Reading the volumes again.");
                        after_change.run(());
                    }>"Refresh"</button>
                </div>
                <div class="volumes">
                    {all.into_iter().map(|detail| view! {
                        <VolumeCard detail rentals=rentals_known rate on_changed=after_change
                            on_delete=Callback::new(move |v| to_delete.set(Some(v)))/>
                    }).collect_view()}
                </div>
                <UnreadableRows rows=unreadable of="Storage volumes"/>
            }
            .into_any()
        }
    }
    };

    view! {
        <section class="storage-page">
            <PageHeader acting_as=Provider::VoltagePark title="Storage"
                summary="Voltage Park's shared NFS volumes: what each holds and costs, the rentals using it, and how to mount it."/>
            {list}
            <CreateVolumeForm rate rentals=rentals_known on_created=after_change/>
            <DeleteVolumeDialog volume=to_delete rentals=rentals_known on_deleted=after_change/>
        </section>
    }
}
