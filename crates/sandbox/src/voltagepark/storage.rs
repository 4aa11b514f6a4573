//! Shared storage volumes (VAST NFS): create, list, detail with usage, resize/rename, delete.
//!
//! Endpoints (header `x-api-token`): `GET /storage/hourly-rate`, `GET|POST /storage/`,
//! `GET|PATCH|DELETE /storage/{storage_id}`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use super::auth;
use super::fastapi::{
    body_object, page, path_id, warn_ignored, Fields, Problems, QueryParams, VpError, VpResult,
};
use super::state::{State, Volume};
use crate::format::money;
use crate::Shared;

/// Largest volume the sandbox's account may hold, in GB.
const QUOTA_GB: i64 = 100_000;

/// How fast a volume fills while rentals use it: bytes per hour for each attached rental.
pub const FILL_BYTES_PER_HOUR: u64 = 2_000_000_000;

/// Brings a volume's used capacity up to `now`: it grows while rentals are attached, never past
/// its size (a full volume stays full).
fn settle_usage(v: &mut Volume, now: OffsetDateTime) {
    let elapsed = (now - v.used_at).whole_seconds().max(0) as u64;
    let grown = FILL_BYTES_PER_HOUR * v.order_ids.len() as u64 * elapsed / 3600;
    let size = u64::from(v.size_gb) * 1_000_000_000;
    v.used_bytes = v
        .used_bytes
        .saturating_add(grown)
        .min(size.max(v.used_bytes));
    v.used_at = now;
}

fn volume_json(st: &State, v: &Volume) -> Value {
    json!({
        "id": v.id.to_string(),
        "size_in_gb": v.size_gb,
        "name": v.name,
        "status": if v.active { "active" } else { "inactive" },
        "rate_hourly": money(st.volume_rate(v)),
        "order_ids": v.order_ids.iter().map(Uuid::to_string).collect::<Vec<_>>(),
        "tenant_id": st.tenant_id,
        "vip": v.vip,
    })
}

fn storage_id(raw: &str) -> VpResult<Uuid> {
    path_id("storage_id", raw)
}

fn not_found() -> VpError {
    VpError::not_found("Storage volume")
}

/// `GET /api/v1/storage/hourly-rate`
pub async fn hourly_rate(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
) -> VpResult<Json<Value>> {
    let org = auth::api_token(&headers)?;
    let st = s.voltagepark_of(org);
    Ok(Json(
        json!({ "hourly_rate_per_gb": money(st.storage_rate_per_gb) }),
    ))
}

/// `GET /api/v1/storage/?limit=1..100&offset`
pub async fn list(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> VpResult<Json<Value>> {
    let org = auth::api_token(&headers)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut problems = Problems::default();
    let limit = q.int("limit", 20, Some(1), Some(100), &mut problems);
    let offset = q.int("offset", 0, Some(0), None, &mut problems);
    problems.finish()?;
    let st = s.voltagepark_of(org);
    Ok(Json(page(
        st.volumes.iter().collect(),
        limit,
        offset,
        |v| volume_json(&st, v),
    )))
}

/// `GET /api/v1/storage/{storage_id}`: the volume plus `used_capacity_bytes`.
pub async fn get(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> VpResult<Json<Value>> {
    let org = auth::api_token(&headers)?;
    let id = storage_id(&id)?;
    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    let index = st
        .volumes
        .iter()
        .position(|v| v.id == id)
        .ok_or_else(not_found)?;
    settle_usage(&mut st.volumes[index], now);
    let v = &st.volumes[index];
    let mut out = volume_json(&st, v);
    out["used_capacity_bytes"] = json!(v.used_bytes);
    Ok(Json(out))
}

/// `POST /api/v1/storage/`
pub async fn create(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> VpResult<Response> {
    let org = auth::api_token(&headers)?;
    let obj = body_object(&headers, &body)?;
    warn_ignored("POST /storage/", &obj, &["size_in_gb", "name", "order_ids"]);
    let mut problems = Problems::default();
    let mut f = Fields::body(&obj, &mut problems);
    let size = f.req_int("size_in_gb");
    if let Some(size) = size {
        f.check_bounds("size_in_gb", size, Some(1), None);
    }
    let name = f.req_str("name");
    f.not_null("order_ids", "list_type", "Input should be a valid list");
    let order_ids = f.opt_uuid_list("order_ids").unwrap_or_default();
    problems.finish()?;
    let (size, name) = (size.expect("validated"), name.expect("validated"));
    if size > QUOTA_GB {
        return Err(VpError::bad_request(format!(
            "size_in_gb {size} exceeds the organization's quota of {QUOTA_GB} GB"
        )));
    }
    if name.trim().is_empty() {
        return Err(VpError::bad_request("name must not be empty"));
    }
    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    let id = st.rng.uuid();
    let vip = format!("10.21.{}.{}", st.rng.below(250) + 1, st.rng.below(250) + 2);
    let v = Volume {
        id,
        name,
        size_gb: size as u32,
        active: true,
        order_ids,
        vip,
        used_bytes: 0,
        used_at: now,
        created: now,
        billed_until: now,
    };
    st.check_prepaid_hold(st.storage_rate_per_gb * rust_decimal::Decimal::from(v.size_gb))?;
    let out = volume_json(&st, &v);
    st.volumes.push(v);
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

/// `PATCH /api/v1/storage/{storage_id}`: resize, rename, or replace `order_ids`.
pub async fn patch(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> VpResult<Json<Value>> {
    let org = auth::api_token(&headers)?;
    let id = storage_id(&id)?;
    let obj = body_object(&headers, &body)?;
    warn_ignored(
        "PATCH /storage/{id}",
        &obj,
        &["size_in_gb", "name", "order_ids"],
    );
    let mut problems = Problems::default();
    let mut f = Fields::body(&obj, &mut problems);
    let size = f.opt_int("size_in_gb");
    let name = f.opt_str("name");
    let order_ids = f.opt_uuid_list("order_ids");
    problems.finish()?;
    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    let index = st
        .volumes
        .iter()
        .position(|v| v.id == id)
        .ok_or_else(not_found)?;
    // What was stored up to now, at the old attachments, before anything changes.
    settle_usage(&mut st.volumes[index], now);
    if let Some(size) = size {
        if !(1..=QUOTA_GB).contains(&size) {
            return Err(VpError::bad_request(format!(
                "size_in_gb must be between 1 and {QUOTA_GB}"
            )));
        }
        let needed_gb = st.volumes[index].used_bytes.div_ceil(1_000_000_000);
        if (size as u64) < needed_gb {
            return Err(VpError::bad_request(format!(
                "Cannot shrink the volume to {size} GB: {needed_gb} GB are in use"
            )));
        }
    }
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(VpError::bad_request("name must not be empty"));
    }
    st.settle_volume(index, now, None);
    let v = &mut st.volumes[index];
    if let Some(size) = size {
        v.size_gb = size as u32;
    }
    if let Some(name) = name {
        v.name = name;
    }
    if let Some(order_ids) = order_ids {
        v.order_ids = order_ids;
        // A rental names its volume (`storage_id`) as long as the volume names the rental.
        let attached = v.order_ids.clone();
        for r in &mut st.rentals {
            if attached.contains(&r.id) {
                r.storage_id.get_or_insert(id);
            } else if r.storage_id == Some(id) {
                r.storage_id = None;
            }
        }
    }
    let v = st.volumes[index].clone();
    Ok(Json(volume_json(&st, &v)))
}

/// `DELETE /api/v1/storage/{storage_id}`: 204; 400 while a rental still uses it.
pub async fn delete(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> VpResult<StatusCode> {
    let org = auth::api_token(&headers)?;
    let id = storage_id(&id)?;
    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    let index = st
        .volumes
        .iter()
        .position(|v| v.id == id)
        .ok_or_else(not_found)?;
    // Attached through a deploy's `storage_id` or a PATCH of `order_ids`: either way the
    // volume names its rentals.
    let attached = &st.volumes[index].order_ids;
    if !attached.is_empty() {
        let ids: Vec<String> = attached.iter().map(Uuid::to_string).collect();
        return Err(VpError::bad_request(format!(
            "Storage volume is attached to {} ({}); detach it or terminate the rentals first",
            if ids.len() == 1 {
                "a rental"
            } else {
                "rentals"
            },
            ids.join(", ")
        )));
    }
    st.settle_volume(index, now, Some(now));
    st.volumes.remove(index);
    Ok(StatusCode::NO_CONTENT)
}
