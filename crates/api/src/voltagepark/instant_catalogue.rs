//! The current instant-VM catalogue, and the choice between it and the documented (deprecated)
//! endpoints.
//!
//! Facts (issue 27; live answers of August 2026 and the public Python SDK): the current catalogue
//! is `GET /api/v1/virtual-machines/instant/locations` (and `/{location_id}` for one location),
//! answered in the usual list envelope (`results`, `total_result_count`, `has_previous`,
//! `has_next`) of `{id, available_presets: [preset + "available_vms": int]}`. The document's
//! `/locations/`, `/hostnodes/{id}` and `/instant-deploy-presets/` are marked deprecated in the
//! provider's own spec; the presets list still answered in August 2026.
//!
//! The rule: ask the current catalogue first; when it answers 404 or 405 (an API without it),
//! read the documented presets list instead ([`super::presets::list_presets`]); either way the
//! deploy pages get the same [`Preset`]s and the user is told nothing about which was read. Any
//! other failure of the current catalogue is a failure (with Retry), not a reason to read an older
//! list that may say something else.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::bearer;
use super::presets::Preset;
use crate::request::{ApiRequest, Method};
use crate::rows::Rows;
use crate::url::path;
use crate::{ApiError, Page};

/// The most pages of the catalogue walked: a bound in case the provider kept saying `has_next`.
pub const CATALOGUE_MAX_PAGES: usize = 100;

/// `GET /api/v1/virtual-machines/instant/locations`: one page of the locations that take instant
/// VMs, each with its presets. No `limit` is sent (the maximum is not known: a limit over it
/// would be refused); the next page is asked for by `offset` only, the count read so far.
/// Bearer, as every public client sends it.
pub fn list_instant_locations(token: &str, offset: u64) -> ApiRequest {
    let req = bearer(
        Method::Get,
        "/api/v1/virtual-machines/instant/locations",
        token,
    );
    if offset == 0 {
        req
    } else {
        req.query("offset", offset)
    }
}

/// `GET /api/v1/virtual-machines/instant/locations/{location_id}`: one location ([`InstantLocation`]).
pub fn get_instant_location(token: &str, location_id: &str) -> ApiRequest {
    bearer(
        Method::Get,
        path(
            "/api/v1/virtual-machines/instant/locations/{}",
            &[location_id],
        ),
        token,
    )
}

/// One location of the current catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstantLocation {
    pub id: String,
    /// Its presets, each read on its own (one that does not fit is kept apart).
    #[serde(default)]
    pub available_presets: Rows<AvailablePreset>,
    /// Fields not described anywhere (a name, say), kept.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A preset as a location of the current catalogue lists it: the preset (priced per instance,
/// like the documented list: see [`Preset::hourly_rate`]) and how many VMs of it the location can
/// take now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AvailablePreset {
    /// VMs of this preset the location can take now. When absent (not seen in any capture),
    /// the preset counts as available there: the location lists it under `available_presets`.
    #[serde(default)]
    pub available_vms: Option<u64>,
    #[serde(flatten)]
    pub preset: Preset,
}

impl AvailablePreset {
    /// True when the location can take at least one VM of it now.
    pub fn is_available(&self) -> bool {
        self.available_vms.is_none_or(|n| n > 0)
    }
}

/// What the current catalogue's first answer says to do.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogueChoice {
    /// It answered: read it (this page, then the rest by `offset`).
    Current(Page<InstantLocation>),
    /// This API does not have it (404 or 405): read the documented presets list.
    Documented,
    /// It failed otherwise: say so, with Retry.
    Failed(ApiError),
}

impl CatalogueChoice {
    /// The choice after the current catalogue's first page was asked for.
    pub fn after(first_page: Result<Page<InstantLocation>, ApiError>) -> CatalogueChoice {
        match first_page {
            Ok(page) => CatalogueChoice::Current(page),
            Err(ApiError::Http(e)) if e.status == 404 || e.status == 405 => {
                CatalogueChoice::Documented
            }
            Err(e) => CatalogueChoice::Failed(e),
        }
    }
}

/// The catalogue read page by page: takes each page in and says which offset to ask for next.
/// The walk ends when a page says there is no next one, is empty, brings no location not already
/// read (an API that ignored `offset` would send the first page again and again), or after
/// [`CATALOGUE_MAX_PAGES`].
#[derive(Debug, Default)]
pub struct CatalogueWalk {
    locations: Vec<InstantLocation>,
    pages: usize,
}

impl CatalogueWalk {
    /// Takes in the next page; the offset of the page after it, if one should be asked for.
    pub fn take(&mut self, page: Page<InstantLocation>) -> Option<u64> {
        self.pages += 1;
        let before = self.locations.len();
        for location in page.results {
            if !self.locations.iter().any(|l| l.id == location.id) {
                self.locations.push(location);
            }
        }
        let more =
            page.has_next && self.locations.len() > before && self.pages < CATALOGUE_MAX_PAGES;
        more.then_some(self.locations.len() as u64)
    }

    /// The presets of every location read ([`presets_by_location`]).
    pub fn presets(self) -> Rows<Preset> {
        presets_by_location(self.locations)
    }
}

/// The presets of the current catalogue as the deploy pages read them: each preset once, its
/// `location_ids_with_availability` the locations that can take one now (`available_vms` > 0),
/// in the catalogue's order. Presets that could not be read are kept apart.
pub fn presets_by_location(locations: Vec<InstantLocation>) -> Rows<Preset> {
    let mut rows = Rows::<Preset>::default();
    for location in locations {
        rows.unreadable
            .extend(location.available_presets.unreadable);
        for offered in location.available_presets.read {
            let available = offered.is_available();
            let i = match rows.read.iter().position(|p| p.id == offered.preset.id) {
                Some(i) => i,
                None => {
                    let mut preset = offered.preset;
                    // Availability is the catalogue's, by location, not a copy's own list.
                    preset.location_ids_with_availability.clear();
                    rows.read.push(preset);
                    rows.read.len() - 1
                }
            };
            let ids = &mut rows.read[i].location_ids_with_availability;
            if available && !ids.contains(&location.id) {
                ids.push(location.id.clone());
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_response, HttpError, Money, Provider};

    /// The current catalogue as a live answer (Aug 2026) has it: the list envelope, a location
    /// with presets priced per instance as strings, each with `available_vms`. Written from the
    /// issue's facts; ids are made up.
    const LIVE_PAGE: &str = r#"{
      "results": [
        {"id": "loc-dal", "available_presets": [
          {"id": "p-h100x8", "resources": {"gpus": {"h100-sxm5-80gb": {"count": 8}}, "vcpu_count": 208,
             "ram_gb": 1800, "storage_gb": 14000},
           "operating_system": "TensorML 24 Everything",
           "compute_rate_hourly": "15.120000", "storage_rate_hourly": "0.150000", "available_vms": 3},
          {"id": "p-h100x1", "resources": {"gpus": {"h100-sxm5-80gb": {"count": 1}}, "vcpu_count": 26,
             "ram_gb": 225, "storage_gb": 1750},
           "operating_system": "Ubuntu 22.04 LTS",
           "compute_rate_hourly": "1.890000", "storage_rate_hourly": "0.020000", "available_vms": 0}
        ]},
        {"id": "loc-sea", "available_presets": [
          {"id": "p-h100x8", "resources": {"gpus": {"h100-sxm5-80gb": {"count": 8}}, "vcpu_count": 208,
             "ram_gb": 1800, "storage_gb": 14000},
           "operating_system": "TensorML 24 Everything",
           "compute_rate_hourly": "15.120000", "storage_rate_hourly": "0.150000", "available_vms": 1},
          {"id": "p-broken", "resources": "eight GPUs", "available_vms": 2}
        ]}
      ],
      "total_result_count": 2, "has_previous": false, "has_next": false
    }"#;

    fn live_page() -> Page<InstantLocation> {
        read_response(Provider::VoltagePark, 200, LIVE_PAGE).unwrap()
    }

    #[test]
    fn the_current_catalogue_reads_as_presets_by_location() {
        let page = live_page();
        assert_eq!(
            page.results[0].available_presets.read[0].available_vms,
            Some(3)
        );
        let presets = presets_by_location(page.results);
        let ids: Vec<&str> = presets.read.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["p-h100x8", "p-h100x1"]);
        let eight = &presets.read[0];
        assert_eq!(eight.location_ids_with_availability, ["loc-dal", "loc-sea"]);
        assert_eq!(eight.operating_system, "TensorML 24 Everything");
        // Per instance: 15.12 + 0.15 for the whole 8-GPU VM.
        assert_eq!(eight.hourly_rate(), Money::parse("15.27"));
        assert!(eight.extra.get("available_vms").is_none());
        // Listed, but no VM of it can be taken now anywhere.
        assert!(!presets.read[1].is_available());
        assert_eq!(presets.unreadable.len(), 1);
        assert_eq!(presets.unreadable[0].label(), "id p-broken");
    }

    #[test]
    fn a_404_or_405_falls_back_to_the_documented_list_and_other_failures_fail() {
        let http = |status, body: &str| {
            Err(ApiError::Http(HttpError::from_response(
                Provider::VoltagePark,
                status,
                body,
            )))
        };
        assert_eq!(
            CatalogueChoice::after(http(404, r#"{"detail": "Not Found"}"#)),
            CatalogueChoice::Documented
        );
        assert_eq!(
            CatalogueChoice::after(http(405, r#"{"detail": "Method Not Allowed"}"#)),
            CatalogueChoice::Documented
        );
        assert!(matches!(
            CatalogueChoice::after(http(503, "")),
            CatalogueChoice::Failed(_)
        ));
        assert!(matches!(
            CatalogueChoice::after(http(401, r#"{"detail": "Unauthorized"}"#)),
            CatalogueChoice::Failed(_)
        ));
        assert!(matches!(
            CatalogueChoice::after(Err(ApiError::Network("cut".into()))),
            CatalogueChoice::Failed(_)
        ));
        assert!(matches!(
            CatalogueChoice::after(Ok(live_page())),
            CatalogueChoice::Current(_)
        ));
    }

    #[test]
    fn pages_are_walked_by_offset_and_requests_carry_bearer() {
        let first = list_instant_locations("tok", 0);
        assert_eq!(
            first.path_and_query(),
            "/api/v1/virtual-machines/instant/locations"
        );
        assert!(first
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        assert_eq!(
            list_instant_locations("tok", 25).path_and_query(),
            "/api/v1/virtual-machines/instant/locations?offset=25"
        );
        let one = get_instant_location("tok", "loc-dal");
        assert_eq!(
            one.path,
            "/api/v1/virtual-machines/instant/locations/loc-dal"
        );
        assert!(get_instant_location("tok", "../x").refused());
        let mut walk = CatalogueWalk::default();
        let mut page = live_page();
        page.has_next = true;
        assert_eq!(walk.take(page.clone()), Some(2));
        // The same page again (offset ignored): the walk ends rather than loop.
        assert_eq!(walk.take(page.clone()), None);
        page.results.clear();
        assert_eq!(
            CatalogueWalk::default().take(page),
            None,
            "an empty page ends it"
        );
        assert_eq!(walk.presets().read.len(), 2);
        let mut last = live_page();
        last.has_next = false;
        assert_eq!(CatalogueWalk::default().take(last), None);
        let one: InstantLocation = serde_json::from_str(
            r#"{"id": "loc-dal", "available_presets": null, "name": "Dallas"}"#,
        )
        .unwrap();
        assert!(one.available_presets.is_empty());
        assert_eq!(one.extra["name"], "Dallas");
    }
}
