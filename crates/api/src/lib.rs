//! cloudpane's provider models, request builders and pure domain logic.
//!
//! Nothing here does I/O: a request is described as an [`ApiRequest`] (method, path, headers,
//! body) that the browser transport sends through the proxy, and responses are parsed into the
//! typed models of each provider module. Every provider quirk (auth header, envelope, field
//! names) is written here once.

pub mod billing;
pub mod calendar;
pub mod connection_test;
pub mod curl;
pub mod deploy_board;
mod error;
pub mod estimate;
pub mod form_errors;
mod ids;
pub mod list_state;
pub mod lost_answer;
pub mod machines;
mod money;
pub mod netactuate;
mod nullable;
pub mod octos;
mod page;
mod provider;
pub mod request;
pub mod rows;
pub mod runtime_config;
mod secret;
pub mod secret_fields;
pub mod shell;
pub mod ssh_key;
pub mod url;
pub mod vault;
pub mod voltagepark;
pub mod words;

pub use error::{ApiError, FieldError, HttpError, ANSWER_MAY_BE_LOST};
pub use money::Money;
pub use page::{keep_first_by_id, Page, PageRequest, MAX_PAGES};
pub use provider::{Provider, UnknownProvider};
pub use request::{read_response, ApiRequest, Method};
pub use rows::{Rows, UnreadableRow};
pub use runtime_config::{DemoAccount, RuntimeConfig};
pub use secret::mask_secret;
