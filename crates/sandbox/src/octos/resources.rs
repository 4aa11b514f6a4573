//! The resource families of the document's quick reference, read-only: projects, block storage,
//! snapshots, backups, networks and their categories, virtual routers, IP addresses, security
//! groups, load balancers, monitoring, DNS, billing, support tickets, and the profile. The
//! document gives no schemas: the shapes here are assumed (README), deliberately varied (lists,
//! nested objects, lists of objects, a summary object with a list inside) so the console's
//! generic table meets more than one shape. Everything is related by project.

use std::sync::Arc;

use axum::extract::State as AxState;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{json, Value};
use time::OffsetDateTime;

use super::auth::{caller, Caller};
use super::envelope::{success, unauthenticated};
use super::state::Vm;
use crate::format::seconds_z;
use crate::rng::Rng;
use crate::Shared;

/// The paths under `/backend/api`, as the quick reference lists them.
pub const PATHS: [&str; 14] = [
    "/projects",
    "/blockstorages",
    "/blockstorages/snapshots",
    "/blockstorages/backups",
    "/networks",
    "/network/categories",
    "/virtual-routers",
    "/ip-addresses",
    "/security-groups",
    "/loadbalancers",
    "/monitoring",
    "/dns",
    "/billing",
    "/support-tickets",
];

/// `GET /backend/api{path}` (API token): the family's seeded data.
pub async fn list(s: Arc<Shared>, headers: HeaderMap, path: &'static str) -> Response {
    let now = s.clock.now();
    let st = s.octos();
    if caller(&st, &headers, now) != Some(Caller::ApiToken) {
        return unauthenticated();
    }
    let data = st
        .resources
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, v)| v.clone())
        .unwrap_or(Value::Null);
    success("Ok", data)
}

/// `GET /backend/api/profile` (API token or session).
pub async fn profile(AxState(s): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    let now = s.clock.now();
    let st = s.octos();
    if caller(&st, &headers, now).is_none() {
        return unauthenticated();
    }
    success(
        "Ok",
        json!({
            "id": 1042,
            "name": st.user_name,
            "email": st.email,
            "company": "cloudpane demo",
            "phone": null,
            "email_verified": true,
            "two_factor_enabled": false,
            "api_enabled": st.api.is_some(),
            "api_token_name": st.api.as_ref().map(|a| a.name.clone()),
            "created_at": "2024-03-11T09:15:00Z",
        }),
    )
}

fn project(id: u32) -> Value {
    match id {
        1 => json!({"id": 1, "name": "production"}),
        2 => json!({"id": 2, "name": "tooling"}),
        _ => json!({"id": 3, "name": "research"}),
    }
}

fn project_id(name: &str) -> u32 {
    match name {
        "production" => 1,
        "tooling" => 2,
        _ => 3,
    }
}

/// The seeded families, related to the VMs and to each other by project.
pub fn seed(rng: &mut Rng, now: OffsetDateTime, vms: &[Vm]) -> Vec<(&'static str, Value)> {
    let days_ago = |d: i64| seconds_z(now - time::Duration::days(d));
    let vm_ref = |i: usize| json!({"id": vms[i].id, "name": vms[i].name});
    // (name, size, attached VM, project)
    let volumes = [
        ("pg-data", 500, Some(1), 1),
        ("web-assets", 50, Some(0), 1),
        ("ci-cache", 200, None, 2),
    ];
    let volume_ids: Vec<String> = volumes.iter().map(|_| rng.uuid().to_string()).collect();
    let projects: Vec<Value> = [1, 2, 3]
        .iter()
        .map(|&id| {
            let count = vms.iter().filter(|v| project_id(&v.project) == id).count();
            let mut p = project(id);
            p["description"] = json!(match id {
                1 => "Customer-facing services",
                2 => "Build and CI machines",
                _ => "Experiments (empty)",
            });
            p["virtual_machines_count"] = json!(count);
            p["is_default"] = json!(id == 1);
            p["created_at"] = json!(days_ago(400 - i64::from(id) * 50));
            p
        })
        .collect();
    let block: Vec<Value> = volumes
        .iter()
        .zip(&volume_ids)
        .enumerate()
        .map(|(i, ((name, size, vm, project_id), id))| {
            json!({
                "id": id,
                "name": name,
                "size_gb": size,
                "status": if vm.is_some() { "in-use" } else { "available" },
                "type": if i == 0 { "ssd-premium" } else { "ssd" },
                "attached_to": vm.map(vm_ref),
                "project": project(*project_id),
                "created_at": days_ago(90 - i as i64 * 20),
            })
        })
        .collect();
    let snapshots = json!([
        {"id": 301, "name": "pg-data-before-upgrade", "volume": {"id": volume_ids[0], "name": "pg-data"},
         "size_gb": 212, "status": "available", "project": project(1), "created_at": days_ago(14)},
        {"id": 302, "name": "web-assets-weekly", "volume": {"id": volume_ids[1], "name": "web-assets"},
         "size_gb": 18, "status": "available", "project": project(1), "created_at": days_ago(3)},
    ]);
    let backups = json!({
        "total": 3,
        "items": [
            {"id": 501, "name": "pg-data-nightly", "volume_id": volume_ids[0], "schedule": {"frequency": "daily", "time": "02:00", "retention_days": 7},
             "last_run": {"status": "succeeded", "finished_at": days_ago(0), "size_gb": 214}, "project": project(1)},
            {"id": 502, "name": "pg-data-weekly", "volume_id": volume_ids[0], "schedule": {"frequency": "weekly", "time": "03:00", "retention_days": 30},
             "last_run": {"status": "succeeded", "finished_at": days_ago(4), "size_gb": 211}, "project": project(1)},
            {"id": 503, "name": "ci-cache-weekly", "volume_id": volume_ids[2], "schedule": {"frequency": "weekly", "time": "04:00", "retention_days": 14},
             "last_run": {"status": "failed", "finished_at": days_ago(6), "error": "volume was detached"}, "project": project(2)},
        ]
    });
    let networks = json!([
        {"id": 11, "name": "prod-private", "cidr": "10.10.0.0/24", "category": "private", "gateway": "10.10.0.1",
         "dhcp": true, "vms": [vm_ref(0), vm_ref(1)], "project": project(1)},
        {"id": 12, "name": "prod-public", "cidr": "103.21.40.0/28", "category": "public", "gateway": "103.21.40.1",
         "dhcp": false, "vms": [vm_ref(0)], "project": project(1)},
        {"id": 13, "name": "ci-private", "cidr": "10.20.0.0/24", "category": "private", "gateway": "10.20.0.1",
         "dhcp": true, "vms": [vm_ref(2)], "project": project(2)},
    ]);
    let categories = json!([
        {"id": 1, "name": "private", "description": "Isolated network inside a project", "billable": false},
        {"id": 2, "name": "public", "description": "Routed public addresses", "billable": true},
        {"id": 3, "name": "shared", "description": "Shared across projects"},
    ]);
    let routers = json!([
        {"id": 21, "name": "prod-edge", "status": "active", "external_ip": "103.21.40.2",
         "interfaces": [{"network": "prod-private", "ip": "10.10.0.1"}, {"network": "prod-public", "ip": "103.21.40.1"}],
         "project": project(1)},
        {"id": 22, "name": "ci-nat", "status": "active", "external_ip": "103.22.8.9",
         "interfaces": [{"network": "ci-private", "ip": "10.20.0.1"}], "project": project(2)},
    ]);
    let ips: Vec<Value> = vms
        .iter()
        .enumerate()
        .map(|(i, vm)| {
            json!({
                "id": 40 + i,
                "address": vm.ip,
                "version": 4,
                "type": "public",
                "assigned_to": vm_ref(i),
                "reverse_dns": format!("{}.example.net", vm.name),
                "project": project(project_id(&vm.project)),
            })
        })
        .chain(std::iter::once(json!({
            "id": 49, "address": "103.21.40.9", "version": 4, "type": "floating",
            "assigned_to": null, "reverse_dns": null, "project": project(1),
        })))
        .collect();
    let groups = json!([
        {"id": 61, "name": "web", "description": "HTTP(S) from anywhere, SSH from the office",
         "rules": [{"direction": "ingress", "protocol": "tcp", "port": 443, "source": "0.0.0.0/0"},
                   {"direction": "ingress", "protocol": "tcp", "port": 80, "source": "0.0.0.0/0"},
                   {"direction": "ingress", "protocol": "tcp", "port": 22, "source": "198.51.100.0/24"}],
         "vms": [vm_ref(0)], "project": project(1)},
        {"id": 62, "name": "database", "description": "Postgres from the private network only",
         "rules": [{"direction": "ingress", "protocol": "tcp", "port": 5432, "source": "10.10.0.0/24"}],
         "vms": [vm_ref(1)], "project": project(1)},
        {"id": 63, "name": "ci", "description": "SSH only",
         "rules": [{"direction": "ingress", "protocol": "tcp", "port": 22, "source": "0.0.0.0/0"}],
         "vms": [vm_ref(2)], "project": project(2)},
    ]);
    let balancers = json!([
        {"id": 71, "name": "web-lb", "status": "active", "algorithm": "round_robin", "public_ip": "103.21.40.5",
         "listeners": [{"protocol": "https", "port": 443, "target_port": 8443}],
         "backends": [{"vm": vms[0].name, "healthy": true}], "project": project(1)},
    ]);
    let monitoring: Vec<Value> = vms
        .iter()
        .enumerate()
        .map(|(i, vm)| {
            let running = vm.status == "Running";
            json!({
                "vm": vm_ref(i),
                "status": vm.status,
                "cpu": {"percent": if running { 12 + rng.below(60) } else { 0 }, "vcpus": vm.vcpus},
                "memory": {"used_gb": if running { 1 + rng.below(u64::from(vm.memory_gb)) } else { 0 }, "total_gb": vm.memory_gb},
                "network": {"in_mbps": if running { rng.below(200) } else { 0 }, "out_mbps": if running { rng.below(90) } else { 0 }},
                "alerts": if i == 1 { json!([{"level": "warning", "message": "disk 81% full"}]) } else { json!([]) },
                "sampled_at": seconds_z(now),
            })
        })
        .collect();
    let dns = json!([
        {"id": 81, "zone": "example.net", "status": "active", "project": project(1),
         "records": [{"type": "A", "name": "www", "value": vms[0].ip, "ttl": 300},
                     {"type": "A", "name": "db", "value": vms[1].ip, "ttl": 300},
                     {"type": "MX", "name": "@", "value": "mail.example.net", "priority": 10}]},
        {"id": 82, "zone": "ci.example.net", "status": "active", "project": project(2),
         "records": [{"type": "A", "name": "builder", "value": vms[2].ip, "ttl": 60}]},
    ]);
    let billing = json!({
        "balance": "412.35",
        "currency": "USD",
        "current_month": {"spent": "187.60", "forecast": "301.20"},
        "invoices": [
            {"id": "INV-2026-10", "period": "2026-10", "amount": "289.14", "status": "paid", "project_breakdown": {"production": "241.02", "tooling": "48.12"}},
            {"id": "INV-2026-09", "period": "2026-09", "amount": "276.80", "status": "paid", "project_breakdown": {"production": "230.10", "tooling": "46.70"}},
            {"id": "INV-2026-08", "period": "2026-08", "amount": "301.55", "status": "paid", "project_breakdown": {"production": "250.00", "tooling": "51.55"}},
        ]
    });
    let tickets = json!([
        {"id": 9001, "subject": "Snapshot restore slower than expected", "status": "open", "priority": "normal",
         "project": project(1), "messages": 3, "updated_at": days_ago(1)},
        {"id": 8840, "subject": "Request: larger CI flavour", "status": "closed", "priority": "low",
         "project": project(2), "messages": 5, "updated_at": days_ago(30)},
    ]);
    vec![
        ("/projects", Value::Array(projects)),
        ("/blockstorages", Value::Array(block)),
        ("/blockstorages/snapshots", snapshots),
        ("/blockstorages/backups", backups),
        ("/networks", networks),
        ("/network/categories", categories),
        ("/virtual-routers", routers),
        ("/ip-addresses", Value::Array(ips)),
        ("/security-groups", groups),
        ("/loadbalancers", balancers),
        ("/monitoring", Value::Array(monitoring)),
        ("/dns", dns),
        ("/billing", billing),
        ("/support-tickets", tickets),
    ]
}
