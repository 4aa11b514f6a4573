use cloudpane_api::netactuate::secret_lists::{get_value, Data, ListValue, SecretListInfo};
use cloudpane_api::netactuate::secrets::{get_secret, SecretWithValue};
use cloudpane_api::netactuate::SecretValue;
use cloudpane_api::{ApiError, Provider};
use leptos::prelude::*;

use super::list_address::send_to_list;
use crate::components::SecretSource;
use crate::state::{use_app, AppState, Connection};
use crate::transport;

/// Where a masked value is read from when it is revealed or copied: always one GET by id, so
/// values are fetched only on demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueSource {
    /// A v3 secret, by id.
    Secret { id: String },
    /// A secret list's value: its list (addressed by name, once more by id after a 404) and the
    /// value's id.
    ListValue { list: SecretListInfo, id: String },
}

impl ValueSource {
    /// What a [`crate::components::MaskedValue`] reveals and copies: this value, read with the
    /// NetActuate account in use at that moment.
    pub fn for_masked_value(self) -> SecretSource {
        let state = use_app();
        SecretSource::read(move || {
            let source = self.clone();
            let connection = state.connection.get_untracked();
            let account = state.account_for(Provider::NetActuate);
            async move {
                let (Some(connection), Some(account)) = (connection, account) else {
                    return Err("add a NetActuate account first.".to_string());
                };
                source
                    .fetch(state, &connection, &account.token)
                    .await
                    .map_err(|e| e.to_string())
            }
        })
    }

    pub async fn fetch(
        &self,
        state: AppState,
        connection: &Connection,
        token: &str,
    ) -> Result<SecretValue, ApiError> {
        match self {
            ValueSource::Secret { id } => {
                transport::send::<SecretWithValue>(connection, &get_secret(token, id))
                    .await
                    .map(|s| s.value)
            }
            ValueSource::ListValue { list, id } => {
                send_to_list::<Data<ListValue>>(state, connection, list, |segment| {
                    get_value(token, segment, id)
                })
                .await
                .map(|d| d.data.secret_value)
            }
        }
    }
}
