//! Behaviour tests: state that behaves (capacity, boot delay, power, billing), fault injection and
//! the admin API, determinism, and the binary's start-up line and shutdown.

#[path = "../common/mod.rs"]
mod common;

mod billing;
mod binary;
mod drops;
mod extra_vms;
mod faults;
mod keys_and_storage;
mod prices;
mod request_log;
mod second_org;
mod state;
mod status_knobs;
