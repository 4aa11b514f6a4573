//! Storage volumes (`/storage`): each volume's size, used capacity, cost, rentals and mount
//! command; creating, resizing, renaming, attaching and deleting them.

mod create_volume_form;
mod delete_volume_dialog;
mod edit_volume_form;
mod mount_command;
mod page;
mod usage_bar;
mod volume_card;

pub use page::StoragePage;
