//! Widgets shared by pages.

mod error_panel;
mod loading;
mod nav;
mod page_header;

pub use error_panel::ErrorPanel;
pub use loading::Loading;
pub use nav::{Area, Nav, AREAS};
pub use page_header::PageHeader;
