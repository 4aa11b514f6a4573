//! Instant-deploy presets: fixed VM shapes at one price, their rates, and where they can be
//! deployed now.
//!
//! Endpoints (no authorization in the document): `GET /instant-deploy-presets/?available`,
//! `GET /instant-deploy-presets/{instant_deploy_preset_id}`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State as AxState};
use axum::Json;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::fastapi::{path_id, Problems, QueryParams, VpError, VpResult};
use super::state::{Hostnode, Preset, Resources, State};
use crate::format::money;
use crate::{Shapes, Shared};

/// `{"gpus": {model: {"count": n}}, "vcpu_count", "ram_gb", "storage_gb"}`
pub fn resources_json(model: &str, r: &Resources) -> Value {
    let mut gpus = Map::new();
    gpus.insert(model.to_string(), json!({ "count": r.gpus }));
    json!({ "gpus": gpus, "vcpu_count": r.vcpu, "ram_gb": r.ram_gb, "storage_gb": r.storage_gb })
}

impl State {
    /// The first hostnode that can take this preset now: one of its GPU model, in one of its
    /// locations (so at its price), with the room and a free port.
    pub fn placement(&self, p: &Preset) -> Option<usize> {
        self.hostnodes.iter().position(|h| can_take(p, h))
    }

    /// Locations with a hostnode that can take this preset now.
    pub fn preset_locations(&self, p: &Preset) -> Vec<Uuid> {
        self.locations
            .iter()
            .filter(|l| {
                self.hostnodes
                    .iter()
                    .any(|h| h.location_id == l.id && can_take(p, h))
            })
            .map(|l| l.id)
            .collect()
    }
}

/// How many VMs of this preset hostnode `h` could take now (0 when it is not sold there).
pub fn room_for(p: &Preset, h: &Hostnode) -> u32 {
    if h.gpu_model != p.gpu_model || !p.location_ids.contains(&h.location_id) {
        return 0;
    }
    let (free, need) = (h.free(), &p.resources);
    let times = |have: u32, per: u32| have.checked_div(per).unwrap_or(u32::MAX);
    [
        times(free.gpus, need.gpus),
        times(free.vcpu, need.vcpu),
        times(free.ram_gb, need.ram_gb),
        times(free.storage_gb, need.storage_gb),
        u32::try_from(h.free_ports.len()).unwrap_or(u32::MAX),
    ]
    .into_iter()
    .min()
    .unwrap_or(0)
}

fn can_take(p: &Preset, h: &Hostnode) -> bool {
    h.gpu_model == p.gpu_model
        && p.location_ids.contains(&h.location_id)
        && p.resources.fits_in(&h.free())
        && !h.free_ports.is_empty()
}

/// The operating system's name as the chosen reading writes it: the live catalogue names its
/// images (`"TensorML 24 Everything"`, issue 27) where the document shows `"Ubuntu 20.04 LTS"`.
pub fn os_name(shapes: Shapes, seeded: &str) -> String {
    match seeded {
        "Ubuntu 24.04 LTS" if shapes.live() => "TensorML 24 Everything".into(),
        "Ubuntu 22.04 LTS" if shapes.live() => "TensorML 22 Everything".into(),
        other => other.into(),
    }
}

pub fn preset_json(st: &State, p: &Preset, shapes: Shapes) -> Value {
    json!({
        "id": p.id.to_string(),
        "resources": resources_json(&p.gpu_model, &p.resources),
        "operating_system": os_name(shapes, &p.operating_system),
        "compute_rate_hourly": money(p.prices.compute(&p.resources)),
        "storage_rate_hourly": money(p.prices.storage(&p.resources)),
        "location_ids_with_availability": st.preset_locations(p).iter().map(Uuid::to_string).collect::<Vec<_>>(),
    })
}

/// `GET /api/v1/instant-deploy-presets/?available=true|false`
pub async fn list(
    AxState(s): AxState<Arc<Shared>>,
    RawQuery(raw): RawQuery,
) -> VpResult<Json<Value>> {
    let q = QueryParams::parse(raw.as_deref());
    let mut problems = Problems::default();
    let available = q.bool("available", &mut problems);
    problems.finish()?;
    let st = s.voltagepark();
    let out: Vec<Value> = st
        .presets
        .iter()
        .filter(|p| available.is_none_or(|want| want != st.preset_locations(p).is_empty()))
        .map(|p| preset_json(&st, p, s.config.shapes))
        .collect();
    Ok(Json(Value::Array(out)))
}

/// `GET /api/v1/instant-deploy-presets/{instant_deploy_preset_id}`
pub async fn get(
    AxState(s): AxState<Arc<Shared>>,
    Path(id): Path<String>,
) -> VpResult<Json<Value>> {
    let id = path_id("instant_deploy_preset_id", &id)?;
    let st = s.voltagepark();
    let p = st
        .presets
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| VpError::not_found("Instant deploy preset"))?;
    Ok(Json(preset_json(&st, p, s.config.shapes)))
}
