//! Loads every machine of every account: each account on its own, so one failing account
//! (401, 403, 5xx, network) does not hide the others.

use cloudpane_api::machines::{AccountRef, Machine, VmLogin};
use cloudpane_api::octos::Envelope;
use std::collections::HashMap;

use cloudpane_api::voltagepark::locations::{get_hostnode, get_location};
use cloudpane_api::voltagepark::{bare_metal, vms, HostNode, Location};
use cloudpane_api::{netactuate, octos, ApiError, ApiRequest, Page, PageRequest, Provider};
use serde_json::Value;

use crate::accounts::Account;
use crate::state::Connection;
use crate::transport;

/// One account's machines, or why they could not be listed.
#[derive(Clone, Debug)]
pub struct AccountMachines {
    pub account_id: u32,
    pub account_name: String,
    pub provider: Provider,
    pub result: Result<Vec<Machine>, ApiError>,
}

/// Lists every account's machines, all accounts at once.
pub async fn load_all(connection: &Connection, accounts: &[Account]) -> Vec<AccountMachines> {
    futures::future::join_all(accounts.iter().map(|a| load_account(connection, a))).await
}

/// Lists one account's machines (for Voltage Park: its VMs and its bare-metal rentals).
pub async fn load_account(connection: &Connection, account: &Account) -> AccountMachines {
    let account_ref = AccountRef {
        id: account.id,
        name: account.name.clone(),
    };
    let result = match account.provider {
        Provider::VoltagePark => voltagepark(connection, account, &account_ref).await,
        Provider::NetActuate => {
            let list: Result<netactuate::ServerList, _> =
                transport::send(connection, &netactuate::list_servers(&account.token)).await;
            list.and_then(|l| {
                l.data
                    .into_iter()
                    .map(|raw| {
                        netactuate::servers::read_server(raw)
                            .map(|(s, raw)| Machine::from_netactuate(&account_ref, s, raw))
                            .map_err(ApiError::Decode)
                    })
                    .collect()
            })
        }
        Provider::Octos => {
            let list: Result<Envelope<Vec<Value>>, _> =
                transport::send(connection, &octos::list_vms(&account.token)).await;
            list.and_then(|l| {
                l.data
                    .into_iter()
                    .map(|raw| {
                        octos::vms::read_vm(raw)
                            .map(|(v, raw)| Machine::from_octos(&account_ref, v, raw))
                            .map_err(ApiError::Decode)
                    })
                    .collect()
            })
        }
    };
    AccountMachines {
        account_id: account.id,
        account_name: account.name.clone(),
        provider: account.provider,
        result,
    }
}

async fn voltagepark(
    connection: &Connection,
    account: &Account,
    account_ref: &AccountRef,
) -> Result<Vec<Machine>, ApiError> {
    let token = account.token.as_str();
    let login = VmLogin::for_account(account.vm_login.as_deref());
    let (vm_list, rental_list) = futures::future::join(
        every_page(connection, |p| vms::list_vms(token, p), vms::VMS_PAGE_MAX),
        every_page(
            connection,
            |p| bare_metal::list_rentals(token, p),
            bare_metal::RENTALS_PAGE_MAX,
        ),
    )
    .await;
    let mut machines = Vec::new();
    let mut hostnodes = Vec::new();
    for raw in vm_list? {
        let (vm, raw) = vms::read_vm(raw).map_err(ApiError::Decode)?;
        hostnodes.push(vm.hostnode_id.clone());
        machines.push(Machine::from_vm(account_ref, vm, raw, &login));
    }
    place_vms(connection, token, &mut machines, &hostnodes).await;
    for raw in rental_list? {
        let (rental, raw) = bare_metal::read_rental(raw).map_err(ApiError::Decode)?;
        machines.push(Machine::from_rental(account_ref, rental, raw));
    }
    Ok(machines)
}

thread_local! {
    /// Hostnode id to "City, Region": hostnodes do not move, so each is looked up once a session.
    static PLACES: std::cell::RefCell<HashMap<String, String>> = Default::default();
}

/// A VM object names its hostnode, not its location: look each hostnode up once
/// (`GET /hostnodes/{id}`, then `GET /locations/{id}`). A failed lookup leaves the location
/// unknown; it never fails the list.
async fn place_vms(
    connection: &Connection,
    token: &str,
    machines: &mut [Machine],
    hostnodes: &[Option<String>],
) {
    let mut unknown: Vec<String> = hostnodes
        .iter()
        .flatten()
        .filter(|h| PLACES.with(|p| !p.borrow().contains_key(*h)))
        .cloned()
        .collect();
    unknown.sort();
    unknown.dedup();
    let found = futures::future::join_all(unknown.iter().map(|h| async move {
        let node: HostNode = transport::send(connection, &get_hostnode(token, h))
            .await
            .ok()?;
        let place: Location = transport::send(connection, &get_location(token, &node.location_id))
            .await
            .ok()?;
        let label = if place.region.is_empty() || place.region == place.city {
            place.city
        } else {
            format!("{}, {}", place.city, place.region)
        };
        Some((h.clone(), label))
    }))
    .await;
    PLACES.with(|p| p.borrow_mut().extend(found.into_iter().flatten()));
    for (m, h) in machines.iter_mut().zip(hostnodes) {
        if let Some(place) = h
            .as_ref()
            .and_then(|h| PLACES.with(|p| p.borrow().get(h).cloned()))
        {
            m.set_location(place);
        }
    }
}

/// Walks a paged list to its end, `limit` items a page.
async fn every_page(
    connection: &Connection,
    request: impl Fn(PageRequest) -> ApiRequest,
    limit: u32,
) -> Result<Vec<Value>, ApiError> {
    let mut page = PageRequest::first(limit);
    let mut all = Vec::new();
    // A bound, in case a provider kept saying has_next: 1,000 pages of 100.
    for _ in 0..1000 {
        let answer: Page<Value> = transport::send(connection, &request(page)).await?;
        let got = answer.results.len();
        all.extend(answer.results);
        if !answer.has_next || got == 0 {
            break;
        }
        page = page.next();
    }
    Ok(all)
}
