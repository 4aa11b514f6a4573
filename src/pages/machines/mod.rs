//! The Machines area: every machine of every account, a page per machine, and their lifecycle.

mod account_failures;
mod action_notices;
mod actions;
mod bulk;
mod detail;
mod detail_facts;
mod export;
mod filters;
pub mod fleet;
mod guard;
mod kubeconfig;
mod later_parts;
mod lifecycle_panel;
pub mod load;
mod notify;
mod page;
mod rename_form;
pub mod table;

pub use detail::MachineDetailPage;
pub use lifecycle_panel::LifecyclePanel;
pub use page::{machines_url, MachinesPage};
pub use rename_form::RenameForm;
