//! `GET /api/v3/servers`. The response shape is not documented; `{"data": [server, ...]}` with the
//! v2 SDKs' server fields is assumed (NOTES.md).

use std::sync::Arc;

use axum::extract::State as AxState;
use axum::Json;
use serde_json::{json, Value};

use crate::Shared;

pub async fn list(AxState(s): AxState<Arc<Shared>>) -> Json<Value> {
    let st = s.netactuate();
    let data: Vec<Value> = st
        .servers
        .iter()
        .map(|v| {
            json!({
                "mbpkgid": v.mbpkgid,
                "fqdn": v.fqdn,
                "os": v.os,
                "ip": v.ip,
                "ipv6": v.ipv6,
                "plan_id": v.plan_id,
                "package": v.package,
                "city": v.city,
                "location_id": v.location_id,
                "status": v.status,
                "state": v.state,
                "installed": v.installed,
            })
        })
        .collect();
    Json(json!({ "data": data }))
}
