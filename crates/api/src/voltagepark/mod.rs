//! Voltage Park's On Demand API (`/api/v1/...`).
//!
//! Quirks written here once: most endpoints take `Authorization: Bearer`, while SSH keys and
//! storage take `x-api-token` (we send both there, per provider-docs/NOTES.md); errors are
//! FastAPI-shaped; lists use [`crate::Page`].

pub mod after_lost_answer;
pub mod bare_metal;
pub mod bare_metal_locations;
pub mod billing;
pub mod cloudinit;
pub mod deploy;
pub mod instant_catalogue;
pub mod locations;
pub mod presets;
pub mod ssh_keys;
pub mod storage;
pub mod vms;

use crate::request::{ApiRequest, Method};
use crate::url::RequestPath;
use crate::Provider;

pub use locations::{
    arrange_capacity, capacity_rows, gpu_model_label, gpu_models, list_locations, CapacityOrder,
    CapacityRow, CapacityView, GpuCount, HostNode, HostNodePricing, Location, Resources,
};

/// The most locations `GET /api/v1/locations/` returns in one page.
pub const LOCATIONS_PAGE_MAX: u32 = 15;

/// A request with the Bearer header most Voltage Park endpoints take.
pub(crate) fn bearer(method: Method, path: impl Into<RequestPath>, token: &str) -> ApiRequest {
    ApiRequest::new(Provider::VoltagePark, method, path)
        .header("Authorization", format!("Bearer {token}"))
}
