//! The organization's SSH keys (`/ssh-keys`): the list with fingerprints as `ssh-keygen -lf`
//! prints them, adding keys (pasted or dropped `.pub` files, checked before sending, private
//! keys refused) and deleting them behind a confirmation.

mod add_keys_form;
mod delete_key_dialog;
mod key_draft_fields;
mod key_table;
mod page;

pub use add_keys_form::AddKeysForm;
pub use page::SshKeysPage;
