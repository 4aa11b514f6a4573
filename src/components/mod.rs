//! Widgets shared by pages.

mod error_panel;
mod loading;
mod nav;
mod no_account;
mod page_header;

pub use error_panel::ErrorPanel;
pub use loading::Loading;
pub use nav::{Area, Nav, AREAS};
pub use no_account::NoAccount;
pub use page_header::PageHeader;
