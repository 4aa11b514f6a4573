//! Octos Cloud's API (`/backend/api/...`). Quirks written here once: `Authorization: Bearer`,
//! every answer wrapped in `{"status": "Success" | "Error", "message", "data"}` ([`envelope`]),
//! enabling the API by multipart form with a session token ([`api_access`]), the expiry's date
//! order ([`expiry`]), and the families of the document's quick reference ([`families`]), shown
//! by a table that takes any shape ([`table`]).

pub mod api_access;
pub mod envelope;
pub mod expiry;
pub mod families;
pub mod rotation;
pub mod session;
pub mod table;
pub mod vms;

use crate::request::{ApiRequest, Method};
use crate::url::RequestPath;
use crate::Provider;

pub use envelope::{read_envelope, Envelope};
pub use vms::{list_vms, OctosVm};

/// A request with the Bearer header the Octos document shows.
pub(crate) fn bearer(method: Method, path: impl Into<RequestPath>, token: &str) -> ApiRequest {
    ApiRequest::new(Provider::Octos, method, path)
        .header("Authorization", format!("Bearer {token}"))
}
