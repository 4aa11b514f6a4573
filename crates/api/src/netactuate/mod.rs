//! NetActuate's API. Quirks written here once: `Authorization: Bearer` (the documents' header;
//! public SDKs use `?key=`, which would put the token in a URL, so cloudpane never does), and
//! list answers wrapped in `{"data": [...]}` (assumed for v3 servers, provider-docs/NOTES.md).

pub mod servers;

use crate::request::{ApiRequest, Method};
use crate::Provider;

pub use servers::{list_servers, Server, ServerList};

/// A request with the Bearer header the NetActuate documents show.
pub(crate) fn bearer(method: Method, path: impl Into<String>, token: &str) -> ApiRequest {
    ApiRequest::new(Provider::NetActuate, method, path)
        .header("Authorization", format!("Bearer {token}"))
}
