//! `GET /api/v3/servers`. The response shape is not documented; `{"data": [server, ...]}` with the
//! v2 SDKs' server fields is assumed (NOTES.md). Live, each server also carries `os_id`,
//! `package_billing`, `contract_id` (a number), `cloud_pool_id` and `vpc_id`, and its power
//! `state` is `UP` or `DOWN` (issue 27); the envelope is added by `live.rs`.

use std::sync::Arc;

use axum::extract::State as AxState;
use axum::Json;
use serde_json::{json, Value};

use crate::Shared;

pub async fn list(AxState(s): AxState<Arc<Shared>>) -> Json<Value> {
    let live = s.config.shapes.live();
    let st = s.netactuate();
    let data: Vec<Value> = st
        .servers
        .iter()
        .map(|v| {
            let mut server = json!({
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
            });
            if live {
                server["state"] = if v.state == "running" { "UP" } else { "DOWN" }.into();
                server["os_id"] = v.os_id.into();
                server["package_billing"] = v.package_billing.as_str().into();
                server["contract_id"] = v.contract_id.into();
                server["cloud_pool_id"] = v.cloud_pool_id.into();
                server["vpc_id"] = v.vpc_id.into();
            }
            server
        })
        .collect();
    Json(json!({ "data": data }))
}
