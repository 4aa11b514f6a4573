//! Locations and their hostnodes, with what is still free and what it costs.
//!
//! Endpoints: `GET /locations/`, `GET /locations/{location_id}`, `GET /hostnodes/{hostnode_id}`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Map, Value};

use super::auth;
use super::fastapi::{page, path_id, Problems, QueryParams, VpError, VpResult};
use super::state::{Hostnode, Location, State};
use crate::format::money;
use crate::Shared;

pub fn hostnode_json(h: &Hostnode) -> Value {
    let free = h.free();
    let mut gpus = Map::new();
    gpus.insert(h.gpu_model.clone(), json!({ "count": free.gpus }));
    let mut per_gpu = Map::new();
    per_gpu.insert(h.gpu_model.clone(), json!(money(h.prices.per_gpu_hr)));
    json!({
        "id": h.id.to_string(),
        "location_id": h.location_id.to_string(),
        "available_resources": {
            "gpus": gpus,
            "ram_gb": free.ram_gb,
            "storage_gb": free.storage_gb,
            "vcpu_count": free.vcpu,
        },
        "pricing": {
            "per_gpu_hr": per_gpu,
            "per_vcpu_hr": money(h.prices.per_vcpu_hr),
            "per_gb_ram_hr": money(h.prices.per_gb_ram_hr),
            "per_gb_storage_hr": money(h.prices.per_gb_storage_hr),
        },
        "available_ports": h.free_ports,
    })
}

fn location_json(st: &State, l: &Location) -> Value {
    let hostnodes: Vec<Value> = st
        .hostnodes
        .iter()
        .filter(|h| h.location_id == l.id)
        .map(hostnode_json)
        .collect();
    json!({
        "id": l.id.to_string(),
        "city": l.city,
        "region": l.region,
        "country": l.country,
        "hostnodes": hostnodes,
    })
}

/// `GET /api/v1/locations/?limit=1..15&offset`
pub async fn list(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut problems = Problems::default();
    let limit = q.int("limit", 3, Some(1), Some(15), &mut problems);
    let offset = q.int("offset", 0, Some(0), None, &mut problems);
    problems.finish()?;
    let st = s.voltagepark_of(org);
    let all: Vec<&Location> = st.locations.iter().collect();
    Ok(Json(page(all, limit, offset, |l| location_json(&st, l))))
}

/// `GET /api/v1/locations/{location_id}`
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
        .ok_or_else(|| VpError::not_found("Location"))?;
    Ok(Json(location_json(&st, l)))
}

/// `GET /api/v1/hostnodes/{hostnode_id}`
pub async fn hostnode(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let id = path_id("hostnode_id", &id)?;
    let st = s.voltagepark_of(org);
    let h = st
        .hostnode(id)
        .ok_or_else(|| VpError::not_found("HostNode"))?;
    Ok(Json(hostnode_json(h)))
}
