//! Voltage Park pages.

mod capacity_table;
mod location_page;
mod locations;

pub use capacity_table::{CapacityControls, CapacityTable};
pub use location_page::{HostnodePage, LocationPage};
pub use locations::{LocationsPage, LocationsResult};
