//! Reading the account's secrets, lists and values, for the pages of this folder.

use cloudpane_api::netactuate::secret_lists::{
    list_all_values, list_secret_lists, Data, ListValue, SecretListInfo,
};
use cloudpane_api::netactuate::secrets::{list_secrets, SecretSummary, SecretsAnswer};
use cloudpane_api::{ApiError, Provider, Rows, UnreadableRow};
use leptos::prelude::*;

use crate::state::{use_app, Connection};
use crate::transport;

/// The connection and the NetActuate account's token, when there are both. Tracked.
pub fn netactuate() -> Option<(Connection, String)> {
    let state = use_app();
    let connection = state.connection.get()?;
    let account = state.account_for(Provider::NetActuate)?;
    Some((connection, account.token))
}

/// The same, untracked, for event handlers.
pub fn netactuate_untracked() -> Option<(Connection, String)> {
    let state = use_app();
    let connection = state.connection.get_untracked()?;
    let account = state.accounts.active(Provider::NetActuate)?;
    Some((connection, account.token))
}

/// The account's secrets, read one by one: one that does not fit is kept apart.
pub async fn load_secrets(c: Connection, token: String) -> Result<Rows<SecretSummary>, ApiError> {
    transport::send_netactuate_list::<SecretsAnswer>(&c, &list_secrets(&token))
        .await
        .map(SecretsAnswer::into_rows)
}

/// Every list and every value of the account (values stay in memory, never on the page while
/// masked: the import preview and the key checks compare against them).
pub async fn load_lists_and_values(
    c: Connection,
    token: String,
) -> Result<(Vec<SecretListInfo>, Vec<ListValue>), ApiError> {
    let lists_request = list_secret_lists(&token);
    let values_request = list_all_values(&token);
    let (lists, values) = futures::future::join(
        transport::send_netactuate_list::<Data<Rows<SecretListInfo>>>(&c, &lists_request),
        transport::send_netactuate_list::<Data<Rows<ListValue>>>(&c, &values_request),
    )
    .await;
    Ok((lists?.data.read, values?.data.read))
}

/// The account's lists and every value, each as read: one failing does not hide the other, and
/// an item that does not fit is kept apart in `unreadable` without hiding the others.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountLists {
    pub lists: Result<Vec<SecretListInfo>, ApiError>,
    pub values: Result<Vec<ListValue>, ApiError>,
    /// Lists, then values, that could not be read.
    pub unreadable: (Vec<UnreadableRow>, Vec<UnreadableRow>),
}

/// Reads the account's lists and every value at once, each on its own.
pub async fn read_lists_and_values(c: Connection, token: String) -> AccountLists {
    let lists_request = list_secret_lists(&token);
    let values_request = list_all_values(&token);
    let (lists, values) = futures::future::join(
        transport::send_netactuate_list::<Data<Rows<SecretListInfo>>>(&c, &lists_request),
        transport::send_netactuate_list::<Data<Rows<ListValue>>>(&c, &values_request),
    )
    .await;
    let unreadable = (
        lists
            .as_ref()
            .map(|d| d.data.unreadable.clone())
            .unwrap_or_default(),
        values
            .as_ref()
            .map(|d| d.data.unreadable.clone())
            .unwrap_or_default(),
    );
    AccountLists {
        lists: lists.map(|d| d.data.read),
        values: values.map(|d| d.data.read),
        unreadable,
    }
}

pub use cloudpane_api::words::count;

/// The href of a list's page (the name is the list's address in the API and here).
pub fn list_href(name: &str) -> String {
    cloudpane_api::url::href("/secrets/lists", name)
}
