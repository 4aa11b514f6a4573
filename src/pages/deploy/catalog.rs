//! What can be deployed now: Voltage Park's instant-deploy presets, its bare-metal locations, and
//! the names of its locations (presets and bare-metal locations name them only by id).
//!
//! The presets come from the current instant-VM catalogue when the API has it, else from the
//! documented presets list (`cloudpane_api::voltagepark::instant_catalogue` says which and why);
//! nothing on the page says which was read.

use std::collections::HashMap;

use cloudpane_api::rows::UnreadableRow;
use cloudpane_api::voltagepark::bare_metal_locations::{
    list_bare_metal_locations, BareMetalLocation,
};
use cloudpane_api::voltagepark::instant_catalogue::{
    list_instant_locations, CatalogueChoice, CatalogueWalk, InstantLocation,
};
use cloudpane_api::voltagepark::presets::{list_presets, Preset};
use cloudpane_api::voltagepark::{list_locations, Location, LOCATIONS_PAGE_MAX};
use cloudpane_api::{ApiError, Page, Rows};

use crate::state::{use_app, Connection};
use crate::transport;

/// The catalog, read for the account in use (again when it or the connection changes); `None`
/// inside while there is no Voltage Park account.
pub fn use_catalog() -> leptos::prelude::LocalResource<Option<Result<Catalog, ApiError>>> {
    use leptos::prelude::*;
    let state = use_app();
    LocalResource::new(move || {
        let connection = state.connection.get();
        let account = state.account_for(cloudpane_api::Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            Some(load_catalog(&connection, &account.token).await)
        }
    })
}

/// Presets and bare-metal locations as read now, with location names.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalog {
    pub presets: Vec<Preset>,
    pub bare_metal: Vec<BareMetalLocation>,
    /// Location id to "City, Region".
    pub places: HashMap<String, String>,
    /// Hostnode id to its location's id, as the locations list gives them.
    pub hostnodes: HashMap<String, String>,
    /// Presets the answer held in a shape the console does not read: said, never dropped
    /// silently (they cannot be deployed from here).
    pub unreadable_presets: Vec<UnreadableRow>,
    /// Bare-metal locations likewise.
    pub unreadable_bare_metal: Vec<UnreadableRow>,
}

impl Catalog {
    /// A location's name, or the start of its id when the locations list did not name it.
    pub fn place(&self, location_id: &str) -> String {
        self.places.get(location_id).cloned().unwrap_or_else(|| {
            let short: String = location_id.chars().take(8).collect();
            format!("location {short}")
        })
    }

    /// The ids of a machine's location: its hostnode's, else those named `place`.
    pub fn locations_of(&self, hostnode_id: Option<&str>, place: Option<&str>) -> Vec<String> {
        if let Some(id) = hostnode_id.and_then(|h| self.hostnodes.get(h)) {
            return vec![id.clone()];
        }
        let mut ids: Vec<String> = self
            .places
            .iter()
            .filter(|(_, name)| Some(name.as_str()) == place)
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }

    pub fn preset(&self, id: &str) -> Option<&Preset> {
        self.presets.iter().find(|p| p.id == id)
    }

    pub fn bare_metal_location(&self, id: &str) -> Option<&BareMetalLocation> {
        self.bare_metal.iter().find(|l| l.id == id)
    }
}

/// Reads the catalog: presets and bare-metal locations at once (a failure of either fails the
/// catalog; one item that cannot be read is kept apart as unreadable), and the location names
/// (a failure there only leaves ids unnamed).
pub async fn load_catalog(connection: &Connection, token: &str) -> Result<Catalog, ApiError> {
    let list = |p| list_locations(token, p);
    let (presets, bare_metal, places) = futures::future::join3(
        load_presets(connection, token),
        transport::send::<Page<serde_json::Value>>(connection, &list_bare_metal_locations()),
        transport::send_every_page(connection, &list, LOCATIONS_PAGE_MAX),
    )
    .await;
    let locations: Vec<Location> = places
        .map(|all| {
            all.into_iter()
                .filter_map(|raw| serde_json::from_value::<Location>(raw).ok())
                .collect()
        })
        .unwrap_or_default();
    let hostnodes = locations
        .iter()
        .flat_map(|l| l.hostnodes.iter().map(|h| (h.id.clone(), l.id.clone())))
        .collect();
    let places = locations
        .into_iter()
        .map(|l| (l.id.clone(), l.label()))
        .collect();
    let (presets, bare_metal) = (
        presets?,
        Rows::<BareMetalLocation>::from_values(bare_metal?.results),
    );
    Ok(Catalog {
        presets: presets.read,
        bare_metal: bare_metal.read,
        places,
        hostnodes,
        unreadable_presets: presets.unreadable,
        unreadable_bare_metal: bare_metal.unreadable,
    })
}

/// The instant-deploy presets: from the current catalogue, every page of it; from the documented
/// list when the API has no current catalogue (404 or 405).
async fn load_presets(connection: &Connection, token: &str) -> Result<Rows<Preset>, ApiError> {
    let first =
        transport::send::<Page<InstantLocation>>(connection, &list_instant_locations(token, 0))
            .await;
    let first = match CatalogueChoice::after(first) {
        CatalogueChoice::Current(page) => page,
        CatalogueChoice::Documented => {
            let all: Vec<serde_json::Value> =
                transport::send(connection, &list_presets(None)).await?;
            return Ok(Rows::from_values(all));
        }
        CatalogueChoice::Failed(e) => return Err(e),
    };
    let mut walk = CatalogueWalk::default();
    let mut next = walk.take(first);
    while let Some(offset) = next {
        next =
            walk.take(transport::send(connection, &list_instant_locations(token, offset)).await?);
    }
    Ok(walk.presets())
}

/// What of the catalog could not be read, beside the offers built from the rest.
#[leptos::component]
pub fn UnreadableCatalog(catalog: Catalog) -> impl leptos::IntoView {
    use crate::components::UnreadableRows;
    use leptos::prelude::*;
    view! {
        <UnreadableRows rows=Signal::stored(catalog.unreadable_presets) of="Voltage Park instant-deploy presets"/>
        <UnreadableRows rows=Signal::stored(catalog.unreadable_bare_metal) of="Voltage Park bare-metal locations"/>
    }
}
