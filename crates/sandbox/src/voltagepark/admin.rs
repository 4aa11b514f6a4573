//! `/_sandbox/voltagepark/...`: admin knobs for what a user cannot trigger through the API.
//!
//! - `PUT /virtual-machines/{id}/status` `{"status": "Outbid" | "Relocating" | "Running" |
//!   "Stopped" | "StoppedDisassociated"}` → 204
//! - `PUT /bare-metal/{id}/status` `{"status": "Failed" | "Running" | "Pending"}` → 204
//!
//! - `POST /extra-vms` `{"count": N}` → `{"added": N, "total_vms": M}` (see `extra_vms.rs`)
//!
//! For the knobs: 400 for an unknown status (checked first), 404 for an unknown id, 409 when a VM
//! would need its compute back and its hostnode has no room.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::StatusCode;
use axum::routing::{post, put};
use axum::Json;
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::state::{RentalStatus, VmStatus};
use super::transitions::NoRoom;
use crate::admin::{parse_body, AdminError};
use crate::Shared;

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/virtual-machines/{id}/status", put(set_vm_status))
        .route("/bare-metal/{id}/status", put(set_rental_status))
        .route("/extra-vms", post(add_extra_vms))
}

#[derive(Debug, Deserialize)]
struct StatusBody {
    status: String,
}

const VM_STATUSES: [(&str, VmStatus); 5] = [
    ("Outbid", VmStatus::Outbid),
    ("Relocating", VmStatus::Relocating),
    ("Running", VmStatus::Running),
    ("Stopped", VmStatus::Stopped),
    ("StoppedDisassociated", VmStatus::StoppedDisassociated),
];

const RENTAL_STATUSES: [(&str, RentalStatus); 3] = [
    ("Failed", RentalStatus::Failed),
    ("Running", RentalStatus::Running),
    ("Pending", RentalStatus::Pending),
];

/// The status named in the body, or the 400 listing the ones allowed.
fn wanted<T: Copy>(body: &[u8], allowed: &[(&str, T)]) -> Result<T, AdminError> {
    let body: StatusBody = parse_body(body)?;
    allowed
        .iter()
        .find(|(name, _)| *name == body.status)
        .map(|(_, status)| *status)
        .ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|(name, _)| *name).collect();
            AdminError(
                StatusCode::BAD_REQUEST,
                format!(
                    "unknown status {:?}; expected one of {}",
                    body.status,
                    names.join(", ")
                ),
            )
        })
}

fn unknown(what: &str, id: &str) -> AdminError {
    AdminError(StatusCode::NOT_FOUND, format!("no {what} {id}"))
}

async fn set_vm_status(
    AxState(s): AxState<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, AdminError> {
    let next = wanted(&body, &VM_STATUSES)?;
    let now = s.clock.now();
    let mut st = s.voltagepark();
    let index = Uuid::parse_str(&id)
        .ok()
        .and_then(|id| st.vms.iter().position(|v| v.id == id))
        .ok_or_else(|| unknown("virtual machine", &id))?;
    st.set_vm_status(index, next, now).map_err(|NoRoom| {
        AdminError(
            StatusCode::CONFLICT,
            "the hostnode has no room to give this virtual machine its GPUs, vCPUs and RAM back"
                .into(),
        )
    })?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_rental_status(
    AxState(s): AxState<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<StatusCode, AdminError> {
    let next = wanted(&body, &RENTAL_STATUSES)?;
    let mut st = s.voltagepark();
    let index = Uuid::parse_str(&id)
        .ok()
        .and_then(|id| st.rentals.iter().position(|r| r.id == id))
        .ok_or_else(|| unknown("bare-metal rental", &id))?;
    st.set_rental_status(index, next);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
struct ExtraVms {
    count: u32,
}

async fn add_extra_vms(
    AxState(s): AxState<Arc<Shared>>,
    body: Bytes,
) -> Result<Json<Value>, AdminError> {
    let ExtraVms { count } = parse_body(&body)?;
    let now = s.clock.now();
    let total = s
        .voltagepark()
        .add_extra_vms(count, now)
        .map_err(|e| AdminError(StatusCode::BAD_REQUEST, e))?;
    Ok(Json(json!({ "added": count, "total_vms": total })))
}
