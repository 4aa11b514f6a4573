//! cloudpane: one browser console for Voltage Park, NetActuate and Octos Cloud.
//!
//! Everything is public so `tests/` can mount any component. Provider calls are described by
//! `cloudpane_api` and sent by [`transport`]; pages never build URLs.

pub mod accounts;
pub mod app;
pub mod base_path;
pub mod components;
pub mod pages;
pub mod state;
pub mod transport;
pub mod vault;

pub use app::App;
