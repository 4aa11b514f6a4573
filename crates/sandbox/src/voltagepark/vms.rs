//! Instant virtual machines: deploy from a preset, list, detail, rename/tag, power, terminate.
//!
//! Endpoints (Bearer): `POST /virtual-machines/instant`, `GET /virtual-machines/`,
//! `GET|PATCH|DELETE /virtual-machines/{virtual_machine_id}`,
//! `PUT /virtual-machines/{virtual_machine_id}/power-status`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use uuid::Uuid;

use super::fastapi::{
    body_object, page, path_id, warn_ignored, Fields, Problems, QueryParams, VpError, VpResult,
};
use super::presets::{os_name, resources_json};
use super::ssh_keys::parse_org_keys;
use super::state::{Vm, VmStatus};
use super::transitions::NoRoom;
use super::{auth, cloudinit};
use crate::format::{millis_z, money};
use crate::{Shapes, Shared};

pub fn vm_json(vm: &Vm, shapes: Shapes) -> Value {
    let p = &vm.prices;
    let r = &vm.resources;
    // The live API spells it `vcpu_per_hr` (issue 27).
    let vcpu_key = if shapes.live() {
        "vcpu_per_hr"
    } else {
        "vcpus_per_hr"
    };
    let pricing = json!({
        "gpus_per_hr": money(p.gpus(r)),
        (vcpu_key): money(p.vcpus(r)),
        "ram_per_hr": money(p.ram(r)),
        "storage_per_hr": money(p.storage(r)),
        "total_associated_per_hr": money(vm.rate_associated()),
        "total_disassociated_per_hr": money(vm.rate_disassociated()),
    });
    let mut out = json!({
        "id": vm.id.to_string(),
        "hostnode_id": vm.hostnode_id.to_string(),
        "type": "ondem",
        "status": vm.status.as_str(),
        "name": vm.name,
        "resources": resources_json(&vm.gpu_model, r),
        "operating_system": os_name(shapes, &vm.operating_system),
        "pricing": pricing,
        "public_ip": vm.public_ip,
        "port_forwards": [ { "internal_port": 22, "external_port": vm.external_port } ],
        "timestamp_creation": millis_z(vm.created),
        "tags": vm.tags,
    });
    if shapes.live() {
        // As recorded live (issue 27): an `internal_ip`, and `null` for what a VM does not
        // have: tags never set, the address and forwards of a VM that is not up.
        out["internal_ip"] = internal_ip(vm).into();
        let up = matches!(vm.status, VmStatus::Running | VmStatus::Relocating);
        if !up {
            out["public_ip"] = Value::Null;
            out["port_forwards"] = Value::Null;
        }
        if vm.tags.is_empty() {
            out["tags"] = Value::Null;
        }
    }
    out
}

/// A private address on the hostnode's network, fixed for the VM.
fn internal_ip(vm: &Vm) -> String {
    let b = vm.id.as_bytes();
    format!("10.{}.{}.{}", 64 + b[0] % 64, b[1], 2 + b[2] % 250)
}

/// The `{name?, tags?}` body both PATCH endpoints take.
pub struct DetailsPatch {
    pub name: Option<String>,
    pub tags: Option<Vec<String>>,
}

impl DetailsPatch {
    /// Applies the fields given and answers the documented `{name, tags}` body.
    pub fn apply(self, name: &mut String, tags: &mut Vec<String>) -> Value {
        if let Some(new_name) = self.name {
            *name = new_name;
        }
        if let Some(new_tags) = self.tags {
            *tags = new_tags;
        }
        json!({ "name": name, "tags": tags })
    }
}

pub fn parse_details_patch(headers: &HeaderMap, body: &[u8]) -> VpResult<DetailsPatch> {
    let obj = body_object(headers, body)?;
    warn_ignored("PATCH name/tags", &obj, &["name", "tags"]);
    let mut problems = Problems::default();
    let mut f = Fields::body(&obj, &mut problems);
    let name = f.opt_str("name");
    let tags = f.opt_str_list("tags");
    problems.finish()?;
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(VpError::bad_request("Name must not be empty"));
    }
    Ok(DetailsPatch { name, tags })
}

fn vm_id(raw: &str) -> VpResult<Uuid> {
    path_id("virtual_machine_id", raw)
}

fn not_found() -> VpError {
    VpError::not_found("Virtual machine")
}

/// `GET /api/v1/virtual-machines/?limit=1..100&offset`
pub async fn list(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut problems = Problems::default();
    let limit = q.int("limit", 10, Some(1), Some(100), &mut problems);
    let offset = q.int("offset", 0, Some(0), None, &mut problems);
    problems.finish()?;
    let st = s.voltagepark_of(org);
    Ok(Json(page(st.vms.iter().collect(), limit, offset, |vm| {
        vm_json(vm, s.config.shapes)
    })))
}

/// `GET /api/v1/virtual-machines/{virtual_machine_id}`
pub async fn get(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let id = vm_id(&id)?;
    let st = s.voltagepark_of(org);
    let vm = st.vms.iter().find(|v| v.id == id).ok_or_else(not_found)?;
    Ok(Json(vm_json(vm, s.config.shapes)))
}

/// `POST /api/v1/virtual-machines/instant`
pub async fn deploy(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> VpResult<Response> {
    let org = auth::bearer(&headers)?;
    let obj = body_object(&headers, &body)?;
    warn_ignored(
        "POST /virtual-machines/instant",
        &obj,
        &[
            "config_id",
            "name",
            "password",
            "organization_ssh_keys",
            "ssh_keys",
            "cloud_init",
            "tags",
        ],
    );
    let mut problems = Problems::default();
    let mut f = Fields::body(&obj, &mut problems);
    let config_id = f.req_uuid("config_id");
    let name = f.req_str("name");
    if let Some(password) = f.opt_str("password") {
        f.check_len("password", &password, Some(8), None);
    }
    for list_field in ["ssh_keys", "tags"] {
        f.not_null(list_field, "list_type", "Input should be a valid list");
    }
    f.not_null(
        "organization_ssh_keys",
        "model_attributes_type",
        "Input should be a valid dictionary or object to extract fields from",
    );
    let org_keys = parse_org_keys(&mut f);
    let extra_keys = f.opt_str_list("ssh_keys").unwrap_or_default();
    cloudinit::check_object(&mut f, "cloud_init");
    let tags = f.opt_str_list("tags").unwrap_or_default();
    problems.finish()?;
    let (config_id, name) = (config_id.expect("validated"), name.expect("validated"));

    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    let preset = st
        .presets
        .iter()
        .find(|p| p.id == config_id)
        .cloned()
        .ok_or_else(|| {
            VpError::bad_request(format!("Instant deploy preset {config_id} does not exist"))
        })?;
    let mut keys = st.resolve_org_keys(&org_keys)?;
    keys.extend(extra_keys);
    let node_index = st.placement(&preset).ok_or_else(|| {
        VpError::bad_request("No capacity is available for this preset right now")
    })?;
    st.check_prepaid_hold(preset.prices.total(&preset.resources))?;

    let (id, instance_id) = (st.rng.uuid(), st.rng.uuid());
    let node = &mut st.hostnodes[node_index];
    node.used = node.used.plus(&preset.resources);
    let port = node.free_ports.remove(0);
    let vm = Vm {
        id,
        instance_id,
        hostnode_id: node.id,
        name,
        status: VmStatus::Running,
        gpu_model: preset.gpu_model.clone(),
        resources: preset.resources,
        operating_system: preset.operating_system.clone(),
        prices: preset.prices,
        public_ip: node.public_ip.clone(),
        external_port: port,
        created: now,
        tags,
        authorized_keys: keys,
        billed_until: now,
        holds_capacity: true,
    };
    st.vms.push(vm);
    Ok((
        StatusCode::CREATED,
        Json(json!({ "vm_id": id.to_string() })),
    )
        .into_response())
}

/// `PATCH /api/v1/virtual-machines/{virtual_machine_id}`
pub async fn patch(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let id = vm_id(&id)?;
    let change = parse_details_patch(&headers, &body)?;
    let mut st = s.voltagepark_of(org);
    let vm = st
        .vms
        .iter_mut()
        .find(|v| v.id == id)
        .ok_or_else(not_found)?;
    Ok(Json(change.apply(&mut vm.name, &mut vm.tags)))
}

/// `DELETE /api/v1/virtual-machines/{virtual_machine_id}`: 202, empty body (204 live).
pub async fn terminate(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> VpResult<StatusCode> {
    let org = auth::bearer(&headers)?;
    let id = vm_id(&id)?;
    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    let index = st
        .vms
        .iter()
        .position(|v| v.id == id)
        .ok_or_else(not_found)?;
    st.settle_vm(index, now, Some(now));
    let vm = st.vms.remove(index);
    if let Some(node) = st
        .hostnode_mut(vm.hostnode_id)
        .filter(|_| vm.holds_capacity)
    {
        node.used = node.used.minus(&vm.held());
        node.free_ports.push(vm.external_port);
        node.free_ports.sort_unstable();
    }
    Ok(if s.config.shapes.live() {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::ACCEPTED
    })
}

/// `PUT /api/v1/virtual-machines/{virtual_machine_id}/power-status`: `{status}` (202 with an
/// empty body live).
pub async fn power(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> VpResult<Response> {
    let org = auth::bearer(&headers)?;
    let id = vm_id(&id)?;
    let obj = body_object(&headers, &body)?;
    warn_ignored("PUT /virtual-machines/{id}/power-status", &obj, &["status"]);
    let mut problems = Problems::default();
    let wanted = Fields::body(&obj, &mut problems)
        .req_enum("status", &["started", "stopped", "stopped_disassociated"]);
    problems.finish()?;
    let wanted = wanted.expect("validated");

    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    let index = st
        .vms
        .iter()
        .position(|v| v.id == id)
        .ok_or_else(not_found)?;
    let status = st.vms[index].status;
    let next = match (wanted.as_str(), status) {
        // Set by the provider (admin API): the user waits for it to be over, or terminates.
        (_, VmStatus::Outbid | VmStatus::Relocating | VmStatus::Terminated) => {
            return Err(VpError::bad_request(format!(
                "Virtual machine is {}; its power state cannot change now",
                status.as_str()
            )))
        }
        ("started", VmStatus::Running) => {
            return Err(VpError::bad_request("Virtual machine is already running"))
        }
        ("started", _) => VmStatus::Running,
        ("stopped", VmStatus::Running) => VmStatus::Stopped,
        ("stopped", _) => return Err(VpError::bad_request("Virtual machine is already stopped")),
        ("stopped_disassociated", VmStatus::StoppedDisassociated) => {
            return Err(VpError::bad_request(
                "Virtual machine is already stopped and disassociated",
            ))
        }
        _ => VmStatus::StoppedDisassociated,
    };
    st.set_vm_status(index, next, now).map_err(|NoRoom| {
        VpError::bad_request(
            "The hostnode no longer has capacity to re-associate this virtual machine",
        )
    })?;
    if s.config.shapes.live() {
        return Ok(StatusCode::ACCEPTED.into_response());
    }
    Ok(Json(json!({ "status": wanted })).into_response())
}
