//! The current instant-VM catalogue, which the provider's own spec has replacing the document's
//! `/locations/`, `/hostnodes/{id}` and `/instant-deploy-presets/` (issue 27): per location, the
//! presets it can take now and how many VMs of each. Built from the same hostnodes and presets,
//! so it always agrees with them. Not served under `--shapes document-only` (404 there).
//!
//! Endpoints (Bearer, as every public client sends): `GET /virtual-machines/instant/locations`,
//! `GET /virtual-machines/instant/locations/{location_id}`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::Value;

use super::auth;
use super::fastapi::{page, path_id, Problems, QueryParams, VpError, VpResult};
use super::presets::{preset_json, room_for};
use super::state::{Location, State};
use crate::{Shapes, Shared};

/// Whether instant VMs are sold here at all (a location with hostnodes).
fn sells_instant_vms(st: &State, l: &Location) -> bool {
    st.hostnodes.iter().any(|h| h.location_id == l.id)
}

/// `{id, available_presets: [preset + available_vms]}`: the presets with room here now.
fn location_json(st: &State, l: &Location, shapes: Shapes) -> Value {
    let presets: Vec<Value> = st
        .presets
        .iter()
        .filter_map(|p| {
            let room: u32 = st
                .hostnodes
                .iter()
                .filter(|h| h.location_id == l.id)
                .map(|h| room_for(p, h))
                .fold(0, u32::saturating_add);
            (room > 0).then(|| {
                let mut preset = preset_json(st, p, shapes);
                preset["available_vms"] = room.into();
                preset
            })
        })
        .collect();
    serde_json::json!({ "id": l.id.to_string(), "available_presets": presets })
}

/// `GET /api/v1/virtual-machines/instant/locations?limit=1..100&offset`
pub async fn list(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut problems = Problems::default();
    let limit = q.int("limit", 20, Some(1), Some(100), &mut problems);
    let offset = q.int("offset", 0, Some(0), None, &mut problems);
    problems.finish()?;
    let st = s.voltagepark_of(org);
    let selling: Vec<&Location> = st
        .locations
        .iter()
        .filter(|l| sells_instant_vms(&st, l))
        .collect();
    Ok(Json(page(selling, limit, offset, |l| {
        location_json(&st, l, s.config.shapes)
    })))
}

/// `GET /api/v1/virtual-machines/instant/locations/{location_id}`
pub async fn get(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let id = path_id("location_id", &id)?;
    let st = s.voltagepark_of(org);
    let l = st
        .location(id)
        .filter(|l| sells_instant_vms(&st, l))
        .ok_or_else(|| VpError::not_found("Location"))?;
    Ok(Json(location_json(&st, l, s.config.shapes)))
}
