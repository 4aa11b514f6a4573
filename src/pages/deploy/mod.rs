//! Deploying: the capacity board (`/deploy`), the instant-VM form and the bare-metal form.

mod bare_metal_form;
mod board;
mod instant_vm_form;

pub use bare_metal_form::BareMetalFormPage;
pub use board::DeployBoardPage;
pub use instant_vm_form::InstantVmFormPage;
