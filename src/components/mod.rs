//! Widgets shared by pages.

mod confirm_dialog;
mod copy_button;
pub mod download;
pub mod draft;
mod error_panel;
mod facts;
mod keyboard_shortcuts;
mod lazy_page;
mod live_region;
mod loading;
mod modal_state;
mod nav;
mod no_account;
mod page_header;
pub mod public_key_files;
mod send_once;
mod stale_notice;
mod status_badge;
mod theme_switch;

pub use confirm_dialog::ConfirmDialog;
pub use copy_button::CopyButton;
pub use error_panel::ErrorPanel;
pub use facts::Facts;
pub use keyboard_shortcuts::KeyboardShortcuts;
pub use lazy_page::{LazyPage, LazyWidget, PageLoad, PageLoadFailed};
pub use live_region::LiveRegion;
pub use loading::Loading;
pub use nav::{Area, Nav, AREAS};
pub use no_account::NoAccount;
pub use page_header::PageHeader;
pub use send_once::SendOnce;
pub use stale_notice::{clock_now, keep_last_good, LastGood, StaleNotice};
pub use status_badge::StatusBadge;
pub use theme_switch::ThemeSwitch;
