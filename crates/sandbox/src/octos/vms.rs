//! `GET /backend/api/virtual-machines` (API token).

use std::sync::Arc;

use axum::extract::State as AxState;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Value};

use super::auth::{caller, Caller};
use super::envelope::{success, unauthenticated};
use crate::format::seconds_z;
use crate::Shared;

/// `GET /backend/api/virtual-machines` (API token).
pub async fn virtual_machines(AxState(s): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    let now = s.clock.now();
    let st = s.octos();
    if caller(&st, &headers, now) != Some(Caller::ApiToken) {
        return unauthenticated();
    }
    let data: Vec<Value> = st
        .vms
        .iter()
        .map(|vm| {
            json!({
                "id": vm.id,
                "name": vm.name,
                "status": vm.status,
                "ip": vm.ip,
                "project": vm.project,
                "vcpus": vm.vcpus,
                "memory_gb": vm.memory_gb,
                "disk_gb": vm.disk_gb,
                "os": vm.os,
                "created_at": seconds_z(vm.created),
            })
        })
        .collect();
    success("Ok", Value::Array(data))
}
