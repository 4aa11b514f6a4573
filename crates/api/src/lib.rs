//! cloudpane's provider models, request builders and pure domain logic.
//!
//! Nothing here does I/O: a request is described as a [`request::ApiRequest`] (method, path,
//! headers, body) that the browser transport sends through the proxy, and responses are parsed
//! into the typed models of each provider module. Every provider quirk (auth header, envelope,
//! field names) is written here once.

mod provider;
pub mod runtime_config;

pub use provider::{Provider, UnknownProvider};
pub use runtime_config::{DemoAccount, RuntimeConfig};
