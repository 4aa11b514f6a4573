//! Bare-metal rentals: whole nodes of 8 GPUs on InfiniBand or Ethernet, `Pending` until they boot.
//!
//! Endpoints: `GET /bare-metal/locations` (no authorization), and with Bearer: `POST /bare-metal/`,
//! `GET /bare-metal/`, `PATCH|DELETE /bare-metal/{baremetal_rental_id}`,
//! `PUT /bare-metal/{baremetal_rental_id}/power-status`, `POST /bare-metal/{baremetal_rental_id}/reboot`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use uuid::Uuid;

use super::fastapi::{
    body_object, page, path_id, warn_ignored, Fields, Problems, QueryParams, VpError, VpResult,
};
use super::ssh_keys::parse_org_keys;
use super::state::{BareMetalSite, NetworkType, NodeAddress, Rental, RentalStatus, State};
use super::vms::parse_details_patch;
use super::{auth, cloudinit};
use crate::format::{money, seconds_z};
use crate::{Shapes, Shared};

/// More than any site holds; keeps the node arithmetic far from overflow.
const MAX_GPUS_PER_RENTAL: i64 = 4096;

fn specs_json(site: &BareMetalSite) -> Value {
    json!({
        "gpu_model": site.gpu_model,
        "gpu_count": site.gpus_per_node,
        "cpu_model": site.cpu_model,
        "cpu_count": site.cpu_count,
        "ram_gb": site.ram_gb,
        "storage_gb": site.storage_gb,
    })
}

/// A GPU-hour price: a JSON number in the document's example, a string with two decimals as
/// recorded live (`"1.99"`, issue 27).
fn price(d: Decimal, shapes: Shapes) -> Value {
    if shapes.live() {
        json!(format!("{:.2}", d.round_dp(2)))
    } else {
        json!(d.to_f64().unwrap_or_default())
    }
}

fn rental_json(st: &State, r: &Rental, shapes: Shapes) -> Value {
    // A pending rental carries only these fields (NOTES.md), and live not even its status, but
    // the `suborder` it was ordered into when there is one (issue 27). NOTES.md singles out
    // `Pending`, so every other status, `Failed` included, carries the full shape of the
    // document's example.
    if r.status == RentalStatus::Pending && shapes.live() {
        let mut short = json!({
            "id": r.id.to_string(),
            "name": r.name,
            "creation_timestamp": seconds_z(r.created),
            "rate_hourly": money(r.rate_hourly),
        });
        if let Some(sub_order) = r.sub_order {
            short["suborder"] = sub_order.to_string().into();
        }
        return short;
    }
    if r.status == RentalStatus::Pending {
        return json!({
            "id": r.id.to_string(),
            "name": r.name,
            "creation_timestamp": seconds_z(r.created),
            "rate_hourly": money(r.rate_hourly),
            "status": r.status.as_str(),
        });
    }
    let site = st
        .location(r.location_id)
        .and_then(|l| l.bare_metal.as_ref());
    let storage = r.storage_id.map(|id| id.to_string());
    let mut full = json!({
        "id": r.id.to_string(),
        "name": r.name,
        "creation_timestamp": seconds_z(r.created),
        "status": r.status.as_str(),
        "power_status": if r.powered { "Running" } else { "Stopped" },
        "node_count": r.node_count,
        "specs_per_node": site.map(specs_json),
        "rate_hourly": money(r.rate_hourly),
        "network_type": r.network_type.as_str(),
        "username": r.username,
        "node_networking": r.nodes.iter().map(|n| json!({ "public_ip": n.public_ip, "private_ip": n.private_ip })).collect::<Vec<_>>(),
        "sub_order": r.sub_order.map(|s| s.to_string()),
        "storage_id": storage,
        "storage_pv": r.storage_id.map(|id| format!("pv-vast-{}", &id.simple().to_string()[..12])),
        "storage_pvc": r.storage_id.map(|id| format!("pvc-vast-{}", &id.simple().to_string()[..12])),
        "k8s_cluster_id": r.k8s_cluster_id.to_string(),
        "kubeconfig": kubeconfig(r),
        "tags": r.tags,
    });
    if shapes.live() {
        // Live, these are nullable (issue 27): a rental never tagged has `null` tags, and one
        // that failed while provisioning got no user and no cluster.
        if r.tags.is_empty() {
            full["tags"] = Value::Null;
        }
        if r.status == RentalStatus::Failed {
            for field in ["username", "k8s_cluster_id", "kubeconfig"] {
                full[field] = Value::Null;
            }
        }
    }
    full
}

fn kubeconfig(r: &Rental) -> String {
    let server = r
        .nodes
        .first()
        .map(|n| n.public_ip.as_str())
        .unwrap_or("127.0.0.1");
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: {id}\n  cluster:\n    server: https://{server}:6443\ncontexts:\n- name: {id}\n  context:\n    cluster: {id}\n    user: admin\ncurrent-context: {id}\nusers:\n- name: admin\n  user:\n    token: sandbox-{short}\n",
        id = r.k8s_cluster_id,
        short = &r.k8s_cluster_id.simple().to_string()[..16],
    )
}

/// Power and reboot need the nodes up: not while they boot, not once the rental has failed.
fn refuse_unless_running(status: RentalStatus) -> VpResult<()> {
    match status {
        RentalStatus::Pending => Err(VpError::bad_request(
            "Rental is pending; wait until it is Running",
        )),
        RentalStatus::Failed => Err(VpError::bad_request(
            "Rental has failed; terminate it and deploy again",
        )),
        RentalStatus::Running | RentalStatus::Terminated => Ok(()),
    }
}

fn rental_id(raw: &str) -> VpResult<Uuid> {
    path_id("baremetal_rental_id", raw)
}

fn not_found() -> VpError {
    VpError::not_found("Bare-metal rental")
}

/// `GET /api/v1/bare-metal/locations` (prices are JSON numbers here, as the document shows; live,
/// strings, and two more fields: the InfiniBand GPUs reserved in each of the site's two
/// clusters, `null` when there is no reservation).
pub async fn locations(AxState(s): AxState<Arc<Shared>>) -> Json<Value> {
    let shapes = s.config.shapes;
    let st = s.voltagepark();
    let results: Vec<Value> = st
        .locations
        .iter()
        .filter_map(|l| l.bare_metal.as_ref().map(|site| (l, site)))
        .map(|(l, site)| {
            let mut out = json!({
                "id": l.id.to_string(),
                "gpu_count_ethernet": site.free_gpus_ethernet,
                "gpu_price_ethernet": price(site.price_ethernet, shapes),
                "gpu_count_infiniband": site.free_gpus_infiniband,
                "gpu_price_infiniband": price(site.price_infiniband, shapes),
                "specs_per_node": specs_json(site),
            });
            if shapes.live() {
                let reserved: u32 = st
                    .rentals
                    .iter()
                    .filter(|r| r.location_id == l.id && r.network_type == NetworkType::Infiniband)
                    .map(|r| r.gpus(site))
                    .sum();
                out["reserved_gpu_count_infiniband_cluster_one"] =
                    (reserved > 0).then_some(reserved).into();
                out["reserved_gpu_count_infiniband_cluster_two"] = Value::Null;
            }
            out
        })
        .collect();
    let total = results.len();
    Json(
        json!({ "results": results, "total_result_count": total, "has_previous": false, "has_next": false }),
    )
}

/// `GET /api/v1/bare-metal/?limit=1..100|all&offset`
pub async fn list(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut problems = Problems::default();
    // `limit` is "integer 1..100 or a string enum" whose values the document omits; "all" is assumed.
    let limit = if q.first("limit") == Some("all") {
        i64::MAX
    } else {
        q.int("limit", 20, Some(1), Some(100), &mut problems)
    };
    let offset = q.int("offset", 0, Some(0), None, &mut problems);
    problems.finish()?;
    let st = s.voltagepark_of(org);
    Ok(Json(page(
        st.rentals.iter().collect(),
        limit,
        offset,
        |r| rental_json(&st, r, s.config.shapes),
    )))
}

/// `POST /api/v1/bare-metal/`
pub async fn deploy(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> VpResult<Response> {
    let org = auth::bearer(&headers)?;
    let obj = body_object(&headers, &body)?;
    warn_ignored(
        "POST /bare-metal/",
        &obj,
        &[
            "location_id",
            "gpu_count",
            "name",
            "organization_ssh_keys",
            "ssh_keys",
            "network_type",
            "sub_order",
            "storage_id",
            "tags",
            "cloudinit_script",
        ],
    );
    let mut problems = Problems::default();
    let mut f = Fields::body(&obj, &mut problems);
    let location_id = f.req_uuid("location_id");
    let gpu_count = f.req_int("gpu_count");
    let name = f.req_str("name");
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
    let network = f.req_enum("network_type", &["infiniband", "ethernet"]);
    let sub_order = f.opt_int("sub_order");
    let storage_id = f.opt_uuid("storage_id");
    let tags = f.opt_str_list("tags").unwrap_or_default();
    cloudinit::check_object(&mut f, "cloudinit_script");
    problems.finish()?;
    let (location_id, gpu_count, name) = (
        location_id.expect("v"),
        gpu_count.expect("v"),
        name.expect("v"),
    );
    let network = if network.as_deref() == Some("ethernet") {
        NetworkType::Ethernet
    } else {
        NetworkType::Infiniband
    };

    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    if gpu_count < 1 {
        return Err(VpError::bad_request("gpu_count must be at least 1"));
    }
    if gpu_count > MAX_GPUS_PER_RENTAL {
        return Err(VpError::bad_request(format!(
            "Not enough capacity: {gpu_count} GPUs requested, at most {MAX_GPUS_PER_RENTAL} per rental"
        )));
    }
    let site = st
        .location(location_id)
        .and_then(|l| l.bare_metal.clone())
        .ok_or_else(|| {
            VpError::bad_request(format!("Location {location_id} does not offer bare metal"))
        })?;
    let per_node = i64::from(site.gpus_per_node);
    let node_count = (gpu_count + per_node - 1) / per_node;
    let gpus = (node_count * per_node) as u32;
    let free = match network {
        NetworkType::Ethernet => site.free_gpus_ethernet,
        NetworkType::Infiniband => site.free_gpus_infiniband,
    };
    if gpus > free {
        return Err(VpError::bad_request(format!(
            "Not enough capacity: {gpus} {} GPUs requested, {free} available at this location",
            network.as_str()
        )));
    }
    let mut keys = st.resolve_org_keys(&org_keys)?;
    keys.extend(extra_keys);
    if let Some(sid) = storage_id {
        let ok = st.volumes.iter().any(|v| v.id == sid && v.active);
        if !ok {
            return Err(VpError::bad_request(format!(
                "Storage volume {sid} does not exist or is not active"
            )));
        }
    }
    let unit = match network {
        NetworkType::Ethernet => site.price_ethernet,
        NetworkType::Infiniband => site.price_infiniband,
    };
    let rate = unit * Decimal::from(gpus);
    st.check_prepaid_hold(rate)?;

    let id = st.rng.uuid();
    let k8s = st.rng.uuid();
    // Lowest host numbers not used by another rental at this site.
    let taken: Vec<String> = st
        .rentals
        .iter()
        .flat_map(|r| r.nodes.iter().map(|n| n.public_ip.clone()))
        .collect();
    let subnet = st.rentals.len() % 250;
    let nodes: Vec<NodeAddress> = (40..255)
        .map(|host| format!("{}.{host}", site.public_prefix))
        .filter(|ip| !taken.contains(ip))
        .take(node_count as usize)
        .enumerate()
        .map(|(n, public_ip)| NodeAddress {
            public_ip,
            private_ip: format!("192.168.{subnet}.{}", n + 1),
        })
        .collect();
    let location = st
        .locations
        .iter_mut()
        .find(|l| l.id == location_id)
        .expect("checked");
    let site_mut = location.bare_metal.as_mut().expect("checked");
    match network {
        NetworkType::Ethernet => site_mut.free_gpus_ethernet -= gpus,
        NetworkType::Infiniband => site_mut.free_gpus_infiniband -= gpus,
    }
    if let Some(sid) = storage_id {
        if let Some(v) = st.volumes.iter_mut().find(|v| v.id == sid) {
            v.order_ids.push(id);
        }
    }
    let warning = (i64::from(gpus) != gpu_count)
        .then(|| format!("gpu_count {gpu_count} was rounded up to {gpus}: bare metal is rented in whole nodes of {per_node} GPUs"));
    let boot = time::Duration::try_from(st.boot_delay).unwrap_or(time::Duration::MINUTE);
    st.rentals.push(Rental {
        id,
        name,
        location_id,
        created: now,
        status: RentalStatus::Pending,
        powered: true,
        node_count: node_count as u32,
        network_type: network,
        rate_hourly: rate,
        username: "ubuntu".into(),
        nodes,
        sub_order,
        storage_id,
        k8s_cluster_id: k8s,
        tags,
        authorized_keys: keys,
        ready_at: Some(now + boot),
        billed_until: now,
    });
    Ok((
        StatusCode::CREATED,
        Json(json!({ "rental_id": id.to_string(), "warning": warning })),
    )
        .into_response())
}

/// `PUT /api/v1/bare-metal/{baremetal_rental_id}/power-status`: 200, empty body (202 live).
pub async fn power(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> VpResult<StatusCode> {
    let org = auth::bearer(&headers)?;
    let id = rental_id(&id)?;
    let obj = body_object(&headers, &body)?;
    warn_ignored("PUT /bare-metal/{id}/power-status", &obj, &["status"]);
    let mut problems = Problems::default();
    let wanted = Fields::body(&obj, &mut problems).req_enum("status", &["started", "stopped"]);
    problems.finish()?;
    let on = wanted.as_deref() == Some("started");
    let mut st = s.voltagepark_of(org);
    let r = st
        .rentals
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(not_found)?;
    refuse_unless_running(r.status)?;
    if r.powered == on {
        let state = if on { "running" } else { "stopped" };
        return Err(VpError::bad_request(format!(
            "Rental nodes are already {state}"
        )));
    }
    r.powered = on;
    Ok(if s.config.shapes.live() {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    })
}

/// `PATCH /api/v1/bare-metal/{baremetal_rental_id}`
pub async fn patch(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let id = rental_id(&id)?;
    let change = parse_details_patch(&headers, &body)?;
    let mut st = s.voltagepark_of(org);
    let r = st
        .rentals
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(not_found)?;
    Ok(Json(change.apply(&mut r.name, &mut r.tags)))
}

/// `POST /api/v1/bare-metal/{baremetal_rental_id}/reboot`: 201 (204 live), empty body; the rental goes
/// `Pending` until the nodes are back.
pub async fn reboot(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> VpResult<StatusCode> {
    let org = auth::bearer(&headers)?;
    let id = rental_id(&id)?;
    let obj = body_object(&headers, &body)?;
    warn_ignored("POST /bare-metal/{id}/reboot", &obj, &["public_ips"]);
    let mut problems = Problems::default();
    let ips = Fields::body(&obj, &mut problems).req_str_list("public_ips");
    problems.finish()?;
    let ips = ips.expect("validated");
    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    let boot = time::Duration::try_from(st.boot_delay).unwrap_or(time::Duration::MINUTE);
    let r = st
        .rentals
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(not_found)?;
    refuse_unless_running(r.status)?;
    if ips.is_empty() {
        return Err(VpError::bad_request(
            "public_ips must name at least one node",
        ));
    }
    if let Some(bad) = ips
        .iter()
        .find(|ip| !r.nodes.iter().any(|n| &n.public_ip == *ip))
    {
        return Err(VpError::bad_request(format!(
            "{bad} is not a node of this rental"
        )));
    }
    r.status = RentalStatus::Pending;
    r.ready_at = Some(now + boot);
    Ok(if s.config.shapes.live() {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::CREATED
    })
}

/// `DELETE /api/v1/bare-metal/{baremetal_rental_id}`: 202 (200 live), empty body.
pub async fn terminate(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> VpResult<StatusCode> {
    let org = auth::bearer(&headers)?;
    let id = rental_id(&id)?;
    let now = s.clock.now();
    let mut st = s.voltagepark_of(org);
    let index = st
        .rentals
        .iter()
        .position(|r| r.id == id)
        .ok_or_else(not_found)?;
    st.settle_rental(index, now, Some(now));
    let r = st.rentals.remove(index);
    if let Some(site) = st
        .locations
        .iter_mut()
        .find(|l| l.id == r.location_id)
        .and_then(|l| l.bare_metal.as_mut())
    {
        let gpus = r.gpus(site);
        match r.network_type {
            NetworkType::Ethernet => site.free_gpus_ethernet += gpus,
            NetworkType::Infiniband => site.free_gpus_infiniband += gpus,
        }
    }
    for v in &mut st.volumes {
        v.order_ids.retain(|o| *o != r.id);
    }
    Ok(if s.config.shapes.live() {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    })
}
