//! Voltage Park pages.

mod capacity_table;
mod locations;

pub use capacity_table::{CapacityControls, CapacityTable};
pub use locations::{LocationsPage, LocationsResult};
