//! Calls addressed to one secret list: by name as the document says, once more by id after a
//! 404 (`cloudpane_api::netactuate::list_address`), remembering for the account which way works.

use std::future::Future;

use cloudpane_api::netactuate::list_address::ListAddressing;
use cloudpane_api::netactuate::secret_lists::SecretListInfo;
use cloudpane_api::netactuate::ListAnswer;
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
    addressed(state, list, build, |req| async move {
        transport::send::<T>(connection, &req).await
    })
    .await
}

/// Reads a list answer (a list's values) to its last page, addressed to `list` the account's way
/// like [`send_to_list`].
pub async fn read_list_to_end<T: ListAnswer>(
    state: AppState,
    connection: &Connection,
    list: &SecretListInfo,
    build: impl Fn(&str) -> ApiRequest,
) -> Result<T, ApiError> {
    addressed(state, list, build, |req| async move {
        transport::send_netactuate_list::<T>(connection, &req).await
    })
    .await
}

async fn addressed<T, Sent: Future<Output = Result<T, ApiError>>>(
    state: AppState,
    list: &SecretListInfo,
    build: impl Fn(&str) -> ApiRequest,
    send: impl Fn(ApiRequest) -> Sent,
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
    let first = send(build(way.segment(list))).await;
    match first {
        Err(e) if way.retry_by_id(&e, list) => {
            let again = send(build(ListAddressing::ById.segment(list))).await;
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
