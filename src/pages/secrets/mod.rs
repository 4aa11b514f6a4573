//! NetActuate secrets (`/secrets`): the v3 secrets, the secret lists and all their values,
//! masked until revealed; one list's page with its values and the `.env` import
//! (`/secrets/lists/:name`); and the cloud-init reference checker (`/secrets/check`).

mod add_value_form;
mod all_values_section;
mod area;
mod delete_dialog;
mod delete_list_dialog;
mod delete_secret_dialog;
pub mod env_import;
mod last_read;
mod leave_guard;
mod list_address;
mod list_page;
mod lists_section;
mod load;
pub mod netactuate_error;
mod new_list_form;
mod new_secret_form;
mod page;
mod reference_check_page;
mod rename_list_form;
mod secrets_section;
mod update_secret_dialog;
pub mod value_source;
mod values_table;

pub use add_value_form::AddValueForm;
pub use area::NetActuateArea;
pub use delete_list_dialog::{DeleteListDialog, ListToDelete};
pub use env_import::{EnvImport, ImportPreview};
pub use list_page::SecretListPage;
pub use netactuate_error::NetActuateError;
pub use new_list_form::NewListForm;
pub use new_secret_form::NewSecretForm;
pub use page::SecretsPage;
pub use reference_check_page::ReferenceCheckPage;
pub use rename_list_form::RenameListForm;
pub use secrets_section::SecretsSection;
pub use update_secret_dialog::UpdateSecretDialog;
pub use value_source::ValueSource;
pub use values_table::ValuesTable;
