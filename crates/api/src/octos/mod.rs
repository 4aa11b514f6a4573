//! Octos Cloud's API (`/backend/api/...`). Quirks written here once: `Authorization: Bearer`,
//! and every answer wrapped in `{"status": "Success" | "Error", "message", "data"}`.

pub mod vms;

use serde::Deserialize;

use crate::request::{ApiRequest, Method};
use crate::Provider;

pub use vms::{list_vms, OctosVm};

/// A request with the Bearer header the Octos document shows.
pub(crate) fn bearer(method: Method, path: impl Into<String>, token: &str) -> ApiRequest {
    ApiRequest::new(Provider::Octos, method, path)
        .header("Authorization", format!("Bearer {token}"))
}

/// The envelope around every Octos answer; read it with `read_response::<Envelope<T>>`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Envelope<T> {
    pub status: String,
    #[serde(default)]
    pub message: Option<String>,
    pub data: T,
}
