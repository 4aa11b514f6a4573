//! Instant-deploy presets: the fixed VM shapes that deploy in seconds, their hourly rates and
//! the locations that can take one now.
//!
//! The document lists no authorization for these endpoints, so no token is sent
//! (provider-docs/NOTES.md: they work without one).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::vms::VmResources;
use crate::money::lenient_money;
use crate::request::{ApiRequest, Method};
use crate::url::path;
use crate::{Money, Provider};

/// One instant-deploy preset, as `GET /api/v1/instant-deploy-presets/` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preset {
    /// What `config_id` of an instant VM deploy refers to.
    pub id: String,
    /// The machine the preset gives you (the same shape as a VM's `resources`).
    pub resources: VmResources,
    /// e.g. `Ubuntu 20.04 LTS`.
    #[serde(default)]
    pub operating_system: String,
    /// $/hour for the GPUs, vCPUs and RAM of the whole VM: per instance, never per GPU. The
    /// document does not say; a live answer (Aug 2026) has `"15.120000"` for an 8-GPU preset,
    /// which is $1.89 per GPU-hour, the provider's published H100 price, so the amount is the
    /// instance's. The console therefore never multiplies it by the GPUs, and shows the per-GPU
    /// figure only as this amount divided by the GPUs (see [`Preset::per_gpu_hour`]). The
    /// document's example holds `"text"` here: a value that is not an amount is kept as unknown
    /// (`None`) rather than failing the whole list.
    #[serde(default, with = "lenient_money")]
    pub compute_rate_hourly: Option<Money>,
    /// $/hour for the disk.
    #[serde(default, with = "lenient_money")]
    pub storage_rate_hourly: Option<Money>,
    /// Locations where this preset can be deployed now; empty when it is sold out everywhere.
    #[serde(default)]
    pub location_ids_with_availability: Vec<String>,
    /// Fields the document does not describe, kept so nothing the provider sends is lost.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Preset {
    /// What the preset costs per hour while it runs: compute plus storage; `None` when either
    /// rate is unknown.
    pub fn hourly_rate(&self) -> Option<Money> {
        Some(self.compute_rate_hourly? + self.storage_rate_hourly?)
    }

    /// What one GPU of it comes to per hour: the compute rate (per instance) divided by its GPUs.
    /// `None` when unpriced or without GPUs.
    pub fn per_gpu_hour(&self) -> Option<Money> {
        let gpus = i64::from(self.gpu_count());
        let compute = self.compute_rate_hourly?;
        (gpus > 0).then(|| Money::from_micros(compute.micros() / gpus))
    }

    /// True when at least one location can take this preset now.
    pub fn is_available(&self) -> bool {
        !self.location_ids_with_availability.is_empty()
    }

    /// True when `location_id` can take this preset now.
    pub fn is_available_at(&self, location_id: &str) -> bool {
        self.location_ids_with_availability
            .iter()
            .any(|id| id == location_id)
    }

    /// All GPUs of the preset, whatever their model.
    pub fn gpu_count(&self) -> u32 {
        self.resources.gpus.values().map(|g| g.count).sum()
    }

    /// The GPU model, when the preset has GPUs of exactly one model (as all presets do).
    pub fn gpu_model(&self) -> Option<&str> {
        let mut models = self.resources.gpus.iter().filter(|(_, g)| g.count > 0);
        match (models.next(), models.next()) {
            (Some((model, _)), None) => Some(model),
            _ => None,
        }
    }
}

/// Presets that can be deployed in the same places, under those places' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetsAt<'a> {
    /// The names of the locations that can take them now, joined with " or " (Voltage Park
    /// picks one); `None` for presets that no location can take now.
    pub places: Option<String>,
    pub presets: Vec<&'a Preset>,
}

/// The presets as a person chooses among them, by place: one group per set of locations (named
/// by `place`, groups in name order), presets no location can take now last; in a group by GPU
/// model, then GPU count, then price. Presets of the same shape at different prices are in
/// different places, so the place is what tells them apart.
pub fn presets_by_place<'a>(
    presets: &'a [Preset],
    place: impl Fn(&str) -> String,
) -> Vec<PresetsAt<'a>> {
    let mut groups: Vec<PresetsAt<'a>> = Vec::new();
    for p in presets {
        let places = p.is_available().then(|| {
            let mut names: Vec<String> = p
                .location_ids_with_availability
                .iter()
                .map(|id| place(id))
                .collect();
            names.sort();
            names.dedup();
            names.join(" or ")
        });
        match groups.iter_mut().find(|g| g.places == places) {
            Some(g) => g.presets.push(p),
            None => groups.push(PresetsAt {
                places,
                presets: vec![p],
            }),
        }
    }
    groups.sort_by(|a, b| match (&a.places, &b.places) {
        (Some(a), Some(b)) => a.cmp(b),
        (a, b) => a.is_none().cmp(&b.is_none()),
    });
    for g in &mut groups {
        g.presets.sort_by_key(|p| {
            (
                p.gpu_model().map(str::to_string),
                p.gpu_count(),
                p.hourly_rate().map_or(i64::MAX, |m| m.micros()),
            )
        });
    }
    groups
}

/// `GET /api/v1/instant-deploy-presets/`: all presets, or with `available` only those that can
/// (`Some(true)`) or cannot (`Some(false)`) be deployed now. No token: the endpoint takes none.
pub fn list_presets(available: Option<bool>) -> ApiRequest {
    let req = ApiRequest::new(
        Provider::VoltagePark,
        Method::Get,
        "/api/v1/instant-deploy-presets/",
    );
    match available {
        Some(available) => req.query("available", available),
        None => req,
    }
}

/// `GET /api/v1/instant-deploy-presets/{instant_deploy_preset_id}`. No token.
pub fn get_preset(id: &str) -> ApiRequest {
    ApiRequest::new(
        Provider::VoltagePark,
        Method::Get,
        path("/api/v1/instant-deploy-presets/{}", &[id]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_response;

    fn priced(id: &str, gpus: u32, compute: &str, at: &[&str]) -> Preset {
        serde_json::from_value(serde_json::json!({
            "id": id,
            "resources": {"gpus": {"h100-sxm5-80gb": {"count": gpus}}, "vcpu_count": 24 * gpus,
                          "ram_gb": 240 * gpus, "storage_gb": 1000 * gpus},
            "compute_rate_hourly": compute, "storage_rate_hourly": "0.010000",
            "location_ids_with_availability": at,
        }))
        .unwrap()
    }

    #[test]
    fn presets_are_grouped_by_place_and_sold_out_ones_last() {
        let presets = [
            priced("sea-1", 1, "2.490000", &["sea"]),
            priced("gone", 1, "2.000000", &[]),
            priced("dal-2", 2, "4.660000", &["dal"]),
            priced("dal-1", 1, "2.330000", &["dal"]),
            priced("both", 8, "18.000000", &["sea", "dal"]),
        ];
        let place = |id: &str| match id {
            "dal" => "Dallas, Texas".to_string(),
            "sea" => "Seattle, Washington".to_string(),
            other => other.to_string(),
        };
        let groups = presets_by_place(&presets, place);
        let seen: Vec<(Option<&str>, Vec<&str>)> = groups
            .iter()
            .map(|g| {
                (
                    g.places.as_deref(),
                    g.presets.iter().map(|p| p.id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (Some("Dallas, Texas"), vec!["dal-1", "dal-2"]),
                (Some("Dallas, Texas or Seattle, Washington"), vec!["both"]),
                (Some("Seattle, Washington"), vec!["sea-1"]),
                (None, vec!["gone"]),
            ]
        );
    }

    /// The response example of `GET /api/v1/instant-deploy-presets/` in
    /// voltage-park-on-demand-api.txt, verbatim (its rates are the placeholder `"text"`).
    const DOC_EXAMPLE: &str = r#"[
      {
        "id": "123e4567-e89b-12d3-a456-426614174000",
        "resources": {
          "gpus": {
            "h100-sxm5-80gb": {
              "count": 1
            }
          },
          "vcpu_count": 4,
          "ram_gb": 16,
          "storage_gb": 40
        },
        "operating_system": "Ubuntu 20.04 LTS",
        "compute_rate_hourly": "text",
        "storage_rate_hourly": "text",
        "location_ids_with_availability": [
          "123e4567-e89b-12d3-a456-426614174000"
        ]
      }
    ]"#;

    #[test]
    fn parses_the_documented_example() {
        let presets: Vec<Preset> = read_response(Provider::VoltagePark, 200, DOC_EXAMPLE).unwrap();
        let p = &presets[0];
        assert_eq!(p.id, "123e4567-e89b-12d3-a456-426614174000");
        assert_eq!(p.operating_system, "Ubuntu 20.04 LTS");
        assert_eq!(p.gpu_count(), 1);
        assert_eq!(p.gpu_model(), Some("h100-sxm5-80gb"));
        assert_eq!(
            (
                p.resources.vcpu_count,
                p.resources.ram_gb,
                p.resources.storage_gb
            ),
            (4, 16, 40)
        );
        // "text" is not an amount: unknown, not an error.
        assert_eq!(p.compute_rate_hourly, None);
        assert_eq!(p.hourly_rate(), None);
        assert!(p.is_available());
        assert!(p.is_available_at("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!p.is_available_at("elsewhere"));
        assert!(p.extra.is_empty());
    }

    #[test]
    fn hourly_rate_is_compute_plus_storage_exactly() {
        let json = DOC_EXAMPLE
            .replacen(r#""text""#, r#""2.190000""#, 1)
            .replacen(r#""text""#, r#""0.010000""#, 1);
        let presets: Vec<Preset> = serde_json::from_str(&json).unwrap();
        assert_eq!(presets[0].hourly_rate(), Money::parse("2.2"));
    }

    /// A preset as a live answer (Aug 2026) has it: priced per instance, an OS name that is not
    /// a distribution's.
    #[test]
    fn a_live_preset_is_priced_per_instance() {
        let live = r#"[{"id": "p-h100x8",
            "resources": {"gpus": {"h100-sxm5-80gb": {"count": 8}}, "vcpu_count": 208, "ram_gb": 1800,
                          "storage_gb": 14000},
            "operating_system": "TensorML 24 Everything",
            "compute_rate_hourly": "15.120000", "storage_rate_hourly": "0.150000",
            "location_ids_with_availability": ["loc-dal"]}]"#;
        let presets: Vec<Preset> = read_response(Provider::VoltagePark, 200, live).unwrap();
        let p = &presets[0];
        assert_eq!(p.operating_system, "TensorML 24 Everything");
        assert_eq!(
            p.hourly_rate(),
            Money::parse("15.27"),
            "the whole VM, not x 8"
        );
        assert_eq!(p.per_gpu_hour(), Money::parse("1.89"));
        let numbers = live
            .replace(r#""15.120000""#, "15.12")
            .replace(r#""0.150000""#, "0.15");
        let presets: Vec<Preset> = serde_json::from_str(&numbers).unwrap();
        assert_eq!(
            presets[0].hourly_rate(),
            Money::parse("15.27"),
            "numbers read too"
        );
    }

    #[test]
    fn fields_the_document_does_not_list_are_kept() {
        let json = DOC_EXAMPLE.replacen(
            r#""operating_system""#,
            r#""gpu_interconnect": "nvlink", "operating_system""#,
            1,
        );
        let presets: Vec<Preset> = serde_json::from_str(&json).unwrap();
        assert_eq!(presets[0].extra["gpu_interconnect"], "nvlink");
        // And they survive a round trip.
        let again: Preset =
            serde_json::from_value(serde_json::to_value(&presets[0]).unwrap()).unwrap();
        assert_eq!(again, presets[0]);
    }

    #[test]
    fn requests_carry_no_token_and_the_optional_filter() {
        let all = list_presets(None);
        assert_eq!(all.path_and_query(), "/api/v1/instant-deploy-presets/");
        assert_eq!(all.method, Method::Get);
        assert!(!all.headers.iter().any(|(k, _)| k == "Authorization"));
        assert_eq!(
            list_presets(Some(true)).path_and_query(),
            "/api/v1/instant-deploy-presets/?available=true"
        );
        assert_eq!(
            list_presets(Some(false)).path_and_query(),
            "/api/v1/instant-deploy-presets/?available=false"
        );
        let one = get_preset("123e4567-e89b-12d3-a456-426614174000");
        assert_eq!(
            one.path,
            "/api/v1/instant-deploy-presets/123e4567-e89b-12d3-a456-426614174000"
        );
        assert!(!one.headers.iter().any(|(k, _)| k == "Authorization"));
    }
}
