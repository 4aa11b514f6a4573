//! One module per page; provider-specific pages live under the provider's folder.

mod access_key_prompt;
mod accounts;
pub mod billing;
mod connect_proxy;
pub mod deploy;
pub mod machines;
pub mod netactuate;
mod not_found;
pub mod octos;
pub mod secrets;
pub mod ssh_keys;
pub mod storage;
pub mod voltagepark;

pub use access_key_prompt::AccessKeyPrompt;
pub use accounts::{AccountSwitcher, AccountsPage, LockButton, UnlockScreen};
pub use billing::{BillingPage, RunwayWarning};
pub use connect_proxy::ConnectProxy;
pub use deploy::{BareMetalFormPage, DeployBoardPage, InstantVmFormPage};
pub use machines::{MachineDetailPage, MachinesPage};
pub use netactuate::NetActuateServersPage;
pub use not_found::NotFound;
pub use octos::OctosPages;
pub use secrets::NetActuateArea;
pub use ssh_keys::SshKeysPage;
pub use storage::StoragePage;
pub use voltagepark::{HostnodePage, LocationPage, LocationsPage};
