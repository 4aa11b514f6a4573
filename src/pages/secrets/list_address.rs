//! Calls addressed to one secret list: by name as the document says, once more by id after a
//! 404 (`cloudpane_api::netactuate::list_address`), remembering for the account which way works.

use cloudpane_api::netactuate::list_address::ListAddressing;
use cloudpane_api::netactuate::secret_lists::SecretListInfo;
use cloudpane_api::{ApiError, ApiRequest, Provider};
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::state::{AppState, Connection};
use crate::transport;

/// Sends the request `build` makes for `list`'s address segment, the account's way; by name
/// answered 404 with an id to try, it is sent once more by id, and the way that worked is kept.
pub async fn send_to_list<T: DeserializeOwned>(
    state: AppState,
    connection: &Connection,
    list: &SecretListInfo,
    build: impl Fn(&str) -> ApiRequest,
) -> Result<T, ApiError> {
    let account = state.accounts.active(Provider::NetActuate).map(|a| a.id);
    let way = account
        .and_then(|id| {
            state
                .secret_list_addressing
                .try_with_value(|m| m.get(&id).copied())
                .flatten()
        })
        .unwrap_or_default();
    let first = transport::send::<T>(connection, &build(way.segment(list))).await;
    match first {
        Err(e) if way.retry_by_id(&e, list) => {
            let again =
                transport::send::<T>(connection, &build(ListAddressing::ById.segment(list))).await;
            if let (Ok(_), Some(id)) = (&again, account) {
                state
                    .secret_list_addressing
                    .try_update_value(|m| m.insert(id, ListAddressing::ById));
            }
            again
        }
        other => other,
    }
}
