//! Voltage Park pages.

mod locations;

pub use locations::{CapacityTable, LocationsPage};
