//! Loads every machine of every account: each account, and each of its lists, on its own, so
//! one failing account or list (401, 403, 5xx, network) does not hide the others.

use cloudpane_api::machines::{
    netactuate_rows, octos_rows, rental_rows, vm_rows, AccountRef, ListAnswer, Machine,
    MachineKind, MachineList, VmLogin,
};
use cloudpane_api::octos::Envelope;
use std::collections::HashMap;

use cloudpane_api::voltagepark::locations::{get_hostnode, get_location};
use cloudpane_api::voltagepark::{bare_metal, vms, HostNode, Location};
use cloudpane_api::{netactuate, octos, ApiError, Provider, UnreadableRow};
use serde_json::Value;

use crate::accounts::Account;
use crate::state::Connection;
use crate::transport;

/// One account's machines, or why they could not all be listed (the first list that failed).
#[derive(Clone, Debug)]
pub struct AccountMachines {
    pub account_id: u32,
    pub account_name: String,
    pub provider: Provider,
    pub result: Result<Vec<Machine>, ApiError>,
    /// The listed items that could not be read as machines.
    pub unreadable: Vec<UnreadableRow>,
}

/// Lists one account's machines, all or nothing: for a page that needs the whole account.
pub async fn load_account(connection: &Connection, account: &Account) -> AccountMachines {
    let lists = load_account_lists(connection, account).await;
    let mut unreadable = Vec::new();
    let result = lists
        .into_iter()
        .try_fold(Vec::new(), |mut all, (_, list)| {
            let rows = list?;
            all.extend(rows.read);
            unreadable.extend(rows.unreadable);
            Ok(all)
        });
    AccountMachines {
        account_id: account.id,
        account_name: account.name.clone(),
        provider: account.provider,
        result,
        unreadable,
    }
}

/// Lists one account's machines list by list (for Voltage Park: its VMs and its bare-metal
/// rentals, each with its own result, so a failing one does not hide the other).
pub async fn load_account_lists(connection: &Connection, account: &Account) -> Vec<ListAnswer> {
    let account_ref = AccountRef {
        id: account.id,
        name: account.name.clone(),
    };
    match account.provider {
        Provider::VoltagePark => Box::pin(voltagepark(connection, account, &account_ref)).await,
        Provider::NetActuate => {
            let list: Result<netactuate::ServerList, _> = transport::send_netactuate_list(
                connection,
                &netactuate::list_servers(&account.token),
            )
            .await;
            vec![(
                MachineList::NetActuateServers,
                list.map(|l| netactuate_rows(&account_ref, l.data)),
            )]
        }
        Provider::Octos => {
            // An "Error" status that came with a 200 is an error too (`into_data`).
            let list: Result<Envelope<Option<Vec<Value>>>, _> =
                transport::send(connection, &octos::list_vms(&account.token)).await;
            vec![(
                MachineList::OctosVms,
                list.and_then(|l| l.into_data(200))
                    .map(|data| octos_rows(&account_ref, data.unwrap_or_default())),
            )]
        }
    }
}

/// Lists one account's machines and hands each list's answer to `on_answer` the moment it
/// comes: nothing waits for another list or for another round of requests. Voltage Park's VMs
/// are handed over with the locations already known, then once more when the hostnodes not
/// known yet have been looked up (names fill in; they never hold rows back).
pub async fn list_account_as_they_come(
    connection: &Connection,
    account: &Account,
    on_answer: impl Fn(ListAnswer),
) {
    let account_ref = AccountRef {
        id: account.id,
        name: account.name.clone(),
    };
    if account.provider != Provider::VoltagePark {
        for answer in load_account_lists(connection, account).await {
            on_answer(answer);
        }
        return;
    }
    let token = account.token.as_str();
    let login = VmLogin::for_account(account.vm_login.as_deref());
    let list_vms = |p| vms::list_vms(token, p);
    let list_rentals = |p| bare_metal::list_rentals(token, p);
    let on_answer = &on_answer;
    let account_ref = &account_ref;
    let vms = async {
        let listed = transport::send_every_page(connection, &list_vms, vms::VMS_PAGE_MAX).await;
        let mut rows = match listed.map(|l| vm_rows(account_ref, &login, l)) {
            Ok(rows) => rows,
            Err(e) => return on_answer((MachineList::VoltageParkVms, Err(e))),
        };
        let hostnodes: Vec<Option<String>> = rows.read.iter().map(hostnode_of).collect();
        place_known(&mut rows.read, &hostnodes);
        on_answer((MachineList::VoltageParkVms, Ok(rows.clone())));
        if Box::pin(look_up_places(connection, token, &hostnodes)).await {
            place_known(&mut rows.read, &hostnodes);
            on_answer((MachineList::VoltageParkVms, Ok(rows)));
        }
    };
    let rentals = async {
        let listed =
            transport::send_every_page(connection, &list_rentals, bare_metal::RENTALS_PAGE_MAX)
                .await;
        on_answer((
            MachineList::VoltageParkRentals,
            listed.map(|l| rental_rows(account_ref, l)),
        ));
    };
    futures::future::join(vms, rentals).await;
}

/// One rental of an account, read from the rentals list (there is no single-rental endpoint).
/// Only rentals are listed: a rental's page reloads every few seconds while it is pending, and
/// listing every VM of a large account each time would be wasted.
pub async fn find_rental(
    connection: &Connection,
    account: &Account,
    id: &str,
) -> Result<Option<Machine>, ApiError> {
    let account_ref = AccountRef {
        id: account.id,
        name: account.name.clone(),
    };
    let list_rentals = |p| bare_metal::list_rentals(&account.token, p);
    let rentals =
        transport::send_every_page(connection, &list_rentals, bare_metal::RENTALS_PAGE_MAX).await?;
    // Only this rental needs to be readable.
    let this = rentals
        .into_iter()
        .filter(|raw| raw.get("id").and_then(Value::as_str) == Some(id));
    let rows = rental_rows(&account_ref, this.collect());
    match (
        rows.read.into_iter().next(),
        rows.unreadable.into_iter().next(),
    ) {
        (Some(machine), _) => Ok(Some(machine)),
        (None, Some(bad)) => Err(ApiError::Decode(bad.reason)),
        (None, None) => Ok(None),
    }
}

/// One Voltage Park machine read again, as after a change whose answer was lost: a VM by its id,
/// a rental from the rentals list. `Ok(None)` when the provider no longer has it.
pub async fn read_machine(
    connection: &Connection,
    account: &Account,
    m: &Machine,
) -> Result<Option<Machine>, ApiError> {
    if m.kind == MachineKind::BareMetal {
        return find_rental(connection, account, &m.id).await;
    }
    match transport::send::<Value>(connection, &vms::get_vm(&account.token, &m.id)).await {
        Ok(raw) => {
            let (vm, raw) = vms::read_vm(raw).map_err(ApiError::Decode)?;
            let login = VmLogin::for_account(account.vm_login.as_deref());
            Ok(Some(Machine::from_vm(&m.account, vm, raw, &login)))
        }
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

async fn voltagepark(
    connection: &Connection,
    account: &Account,
    account_ref: &AccountRef,
) -> Vec<ListAnswer> {
    let token = account.token.as_str();
    let login = VmLogin::for_account(account.vm_login.as_deref());
    let list_vms = |p| vms::list_vms(token, p);
    let list_rentals = |p| bare_metal::list_rentals(token, p);
    let (vm_list, rental_list) = futures::future::join(
        transport::send_every_page(connection, &list_vms, vms::VMS_PAGE_MAX),
        transport::send_every_page(connection, &list_rentals, bare_metal::RENTALS_PAGE_MAX),
    )
    .await;
    let vms = match vm_list.map(|l| vm_rows(account_ref, &login, l)) {
        Ok(mut rows) => {
            let hostnodes: Vec<Option<String>> = rows.read.iter().map(hostnode_of).collect();
            Box::pin(place_vms(connection, token, &mut rows.read, &hostnodes)).await;
            Ok(rows)
        }
        Err(e) => Err(e),
    };
    vec![
        (MachineList::VoltageParkVms, vms),
        (
            MachineList::VoltageParkRentals,
            rental_list.map(|l| rental_rows(account_ref, l)),
        ),
    ]
}

/// The hostnode a VM names, from its JSON as it came.
fn hostnode_of(vm: &Machine) -> Option<String> {
    vm.raw
        .get("hostnode_id")
        .and_then(Value::as_str)
        .map(str::to_string)
}

thread_local! {
    /// Hostnode id to "City, Region": hostnodes do not move, so each is looked up once a session.
    static PLACES: std::cell::RefCell<HashMap<String, String>> = Default::default();
}

/// A VM object names its hostnode, not its location: look each hostnode up once
/// (`GET /hostnodes/{id}`, then `GET /locations/{id}`). A failed lookup leaves the location
/// unknown; it never fails the list.
pub async fn place_vms(
    connection: &Connection,
    token: &str,
    machines: &mut [Machine],
    hostnodes: &[Option<String>],
) {
    look_up_places(connection, token, hostnodes).await;
    place_known(machines, hostnodes);
}

/// Names the location of each VM whose hostnode was looked up already this session.
fn place_known(machines: &mut [Machine], hostnodes: &[Option<String>]) {
    for (m, h) in machines.iter_mut().zip(hostnodes) {
        if let Some(place) = h
            .as_ref()
            .and_then(|h| PLACES.with(|p| p.borrow().get(h).cloned()))
        {
            m.set_location(place);
        }
    }
}

/// Looks up the hostnodes not looked up yet, all at once; true when it found any.
async fn look_up_places(
    connection: &Connection,
    token: &str,
    hostnodes: &[Option<String>],
) -> bool {
    let mut unknown: Vec<String> = hostnodes
        .iter()
        .flatten()
        .filter(|h| PLACES.with(|p| !p.borrow().contains_key(*h)))
        .cloned()
        .collect();
    unknown.sort();
    unknown.dedup();
    if unknown.is_empty() {
        return false;
    }
    let found = futures::future::join_all(unknown.iter().map(|h| async move {
        let node: HostNode = transport::send(connection, &get_hostnode(token, h))
            .await
            .ok()?;
        let place: Location = transport::send(connection, &get_location(token, &node.location_id))
            .await
            .ok()?;
        Some((h.clone(), place.label()))
    }))
    .await;
    let before = PLACES.with(|p| p.borrow().len());
    PLACES.with(|p| p.borrow_mut().extend(found.into_iter().flatten()));
    PLACES.with(|p| p.borrow().len()) > before
}
