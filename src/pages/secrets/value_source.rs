use cloudpane_api::netactuate::secret_lists::{get_value, Data, ListValue};
use cloudpane_api::netactuate::secrets::{get_secret, SecretWithValue};
use cloudpane_api::netactuate::SecretValue;
use cloudpane_api::ApiError;

use crate::state::Connection;
use crate::transport;

/// Where a masked value is read from when it is revealed or copied: always one GET by id, so
/// values are fetched only on demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueSource {
    /// A v3 secret, by id.
    Secret { id: String },
    /// A secret list's value: the list's name and the value's id.
    ListValue { list: String, id: String },
}

impl ValueSource {
    pub async fn fetch(
        &self,
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
                transport::send::<Data<ListValue>>(connection, &get_value(token, list, id))
                    .await
                    .map(|d| d.data.secret_value)
            }
        }
    }
}
