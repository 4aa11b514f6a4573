//! Voltage Park On Demand API (`voltage-park-on-demand-api.txt`), served under `/voltagepark`.

pub mod admin;
pub mod auth;
pub mod bare_metal;
pub mod billing;
pub mod catalogue;
pub mod cloudinit;
pub mod extra_vms;
pub mod fastapi;
pub mod locations;
pub mod presets;
pub mod seed;
pub mod ssh_keys;
pub mod state;
pub mod storage;
pub mod transitions;
pub mod vms;

use std::sync::Arc;

use axum::response::IntoResponse;
use axum::routing::{get, patch, post, put, MethodRouter};
use axum::Router;

use crate::{Shapes, Shared};
use fastapi::VpError;

/// Registers `path` both with and without a trailing slash: FastAPI would redirect one to the
/// other, and a redirect through the proxy helps nobody, so both simply answer.
fn both(
    router: Router<Arc<Shared>>,
    path: &str,
    route: MethodRouter<Arc<Shared>>,
) -> Router<Arc<Shared>> {
    let trimmed = path.trim_end_matches('/');
    router
        .route(trimmed, route.clone())
        .route(&format!("{trimmed}/"), route)
}

pub fn router(shapes: Shapes) -> Router<Arc<Shared>> {
    let mut r = Router::new();
    if shapes.serves_current_catalogue() {
        r = both(
            r,
            "/api/v1/virtual-machines/instant/locations",
            get(catalogue::list),
        );
        r = both(
            r,
            "/api/v1/virtual-machines/instant/locations/{location_id}",
            get(catalogue::get),
        );
    }
    r = both(r, "/api/v1/locations/", get(locations::list));
    r = both(r, "/api/v1/locations/{location_id}", get(locations::get));
    r = both(
        r,
        "/api/v1/hostnodes/{hostnode_id}",
        get(locations::hostnode),
    );
    r = both(r, "/api/v1/instant-deploy-presets/", get(presets::list));
    r = both(
        r,
        "/api/v1/instant-deploy-presets/{instant_deploy_preset_id}",
        get(presets::get),
    );
    r = both(r, "/api/v1/virtual-machines/", get(vms::list));
    r = both(r, "/api/v1/virtual-machines/instant", post(vms::deploy));
    r = both(
        r,
        "/api/v1/virtual-machines/{virtual_machine_id}",
        get(vms::get).patch(vms::patch).delete(vms::terminate),
    );
    r = both(
        r,
        "/api/v1/virtual-machines/{virtual_machine_id}/power-status",
        put(vms::power),
    );
    r = both(
        r,
        "/api/v1/bare-metal/",
        get(bare_metal::list).post(bare_metal::deploy),
    );
    r = both(
        r,
        "/api/v1/bare-metal/locations",
        get(bare_metal::locations),
    );
    r = both(
        r,
        "/api/v1/bare-metal/{baremetal_rental_id}",
        patch(bare_metal::patch).delete(bare_metal::terminate),
    );
    r = both(
        r,
        "/api/v1/bare-metal/{baremetal_rental_id}/power-status",
        put(bare_metal::power),
    );
    r = both(
        r,
        "/api/v1/bare-metal/{baremetal_rental_id}/reboot",
        post(bare_metal::reboot),
    );
    r = both(r, "/api/v1/billing/hourly-rate", get(billing::hourly_rate));
    r = both(
        r,
        "/api/v1/billing/transactions",
        get(billing::transactions),
    );
    r = both(
        r,
        "/api/v1/billing/reports/{year}/{month}/transactions",
        get(billing::monthly_report),
    );
    r = both(
        r,
        "/api/v1/organization/ssh-keys",
        get(ssh_keys::list).post(ssh_keys::create),
    );
    r = both(
        r,
        "/api/v1/organization/ssh-keys/{ssh_key_id}",
        axum::routing::delete(ssh_keys::delete),
    );
    r = both(r, "/api/v1/storage/hourly-rate", get(storage::hourly_rate));
    r = both(
        r,
        "/api/v1/storage/",
        get(storage::list).post(storage::create),
    );
    r = both(
        r,
        "/api/v1/storage/{storage_id}",
        get(storage::get)
            .patch(storage::patch)
            .delete(storage::delete),
    );
    r = both(r, "/api/v1/validate/cloudinit", post(cloudinit::validate));
    r.fallback(|| async {
        VpError::Detail(axum::http::StatusCode::NOT_FOUND, "Not Found".into()).into_response()
    })
    .method_not_allowed_fallback(|| async {
        VpError::Detail(
            axum::http::StatusCode::METHOD_NOT_ALLOWED,
            "Method Not Allowed".into(),
        )
        .into_response()
    })
}
