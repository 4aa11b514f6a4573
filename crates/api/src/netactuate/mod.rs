//! NetActuate's API. Quirks written here once: `Authorization: Bearer` (the documents' header;
//! public SDKs use `?key=`, which would put the token in a URL, so cloudpane never does), and
//! answers in whichever envelope they come ([`answer`]).

pub mod after_lost_answer;
pub mod answer;
pub mod dotenv;
pub mod env_import;
pub mod ip_acl;
pub mod list_address;
pub mod pages;
pub mod references;
pub mod secret_key;
pub mod secret_lists;
mod secret_value;
pub mod secrets;
pub mod servers;

use crate::request::{ApiRequest, Method};
use crate::url::RequestPath;
use crate::Provider;

pub use ip_acl::{ip_acl_refusal, IpAclRefusal};
pub use pages::{AfterPage, ListAnswer, ListPages, MAX_LIST_PAGES};
pub use secret_value::SecretValue;
pub use servers::{list_servers, Server, ServerList};

/// A request with the Bearer header the NetActuate documents show.
pub(crate) fn bearer(method: Method, path: impl Into<RequestPath>, token: &str) -> ApiRequest {
    ApiRequest::new(Provider::NetActuate, method, path)
        .header("Authorization", format!("Bearer {token}"))
}
