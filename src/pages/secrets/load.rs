//! Reading the account's secrets, lists and values, for the pages of this folder.

use cloudpane_api::netactuate::secret_lists::{
    list_all_values, list_secret_lists, Data, ListValue, SecretListInfo,
};
use cloudpane_api::netactuate::secrets::{list_secrets, SecretSummary, SecretsAnswer};
use cloudpane_api::{ApiError, Provider};
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

pub async fn load_secrets(c: Connection, token: String) -> Result<Vec<SecretSummary>, ApiError> {
    transport::send::<SecretsAnswer>(&c, &list_secrets(&token))
        .await
        .map(|a| a.secrets)
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
        transport::send::<Data<Vec<SecretListInfo>>>(&c, &lists_request),
        transport::send::<Data<Vec<ListValue>>>(&c, &values_request),
    )
    .await;
    Ok((lists?.data, values?.data))
}

/// The account's lists and every value, each as read: one failing does not hide the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLists {
    pub lists: Result<Vec<SecretListInfo>, ApiError>,
    pub values: Result<Vec<ListValue>, ApiError>,
}

/// Reads the account's lists and every value at once, each on its own.
pub async fn read_lists_and_values(c: Connection, token: String) -> AccountLists {
    let lists_request = list_secret_lists(&token);
    let values_request = list_all_values(&token);
    let (lists, values) = futures::future::join(
        transport::send::<Data<Vec<SecretListInfo>>>(&c, &lists_request),
        transport::send::<Data<Vec<ListValue>>>(&c, &values_request),
    )
    .await;
    AccountLists {
        lists: lists.map(|d| d.data),
        values: values.map(|d| d.data),
    }
}

/// "1 value", "3 values".
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Focuses the element with `id`, if any.
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The href of a list's page (the name is the list's address in the API and here).
pub fn list_href(name: &str) -> String {
    cloudpane_api::url::href("/secrets/lists", name)
}
