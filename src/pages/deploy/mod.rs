//! Deploying: the capacity board (`/deploy`), the instant-VM form and the bare-metal form.

mod bare_metal_form;
mod board;
mod catalog;
pub mod cloud_init_editor;
mod cost_panel;
mod deploy_flow;
mod deploy_send;
mod form_errors;
mod instant_vm_form;
mod like_this_notice;
mod org_keys_field;
pub mod public_keys_field;
mod review;

pub use bare_metal_form::BareMetalFormPage;
pub use board::DeployBoardPage;
pub use instant_vm_form::InstantVmFormPage;
