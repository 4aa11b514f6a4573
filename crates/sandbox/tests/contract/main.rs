//! Contract tests: every request example in the provider documents is accepted, every response
//! example's shape is what the sandbox answers, and for each endpoint mutated requests (missing or
//! mistyped field, wrong auth header, unknown id) get the documented status.

#[path = "../common/mod.rs"]
mod common;

mod live_voltagepark;
mod netactuate;
mod octos;
mod shapes_modes;
mod voltagepark;
