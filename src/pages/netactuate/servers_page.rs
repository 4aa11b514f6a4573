use cloudpane_api::netactuate::servers::read_server;
use cloudpane_api::netactuate::{list_servers, ServerList};
use cloudpane_api::Provider;
use leptos::prelude::*;
use serde_json::Value;

use crate::components::{Loading, NoAccount, PageHeader, RawJson};
use crate::pages::secrets::NetActuateError;
use crate::state::use_app;
use crate::transport;

/// The fields the table shows; the others go to each server's raw view.
const SHOWN: &[&str] = &[
    "mbpkgid", "fqdn", "os", "ip", "ipv6", "package", "city", "status", "state",
];

/// `/netactuate/servers`: the account's servers (`GET /api/v3/servers`): hostname, status,
/// power, OS, plan, location and addresses, and the fields the console does not know in a raw
/// view.
#[component]
pub fn NetActuateServersPage() -> impl IntoView {
    let state = use_app();
    let reload = RwSignal::new(0u32);
    let servers = LocalResource::new(move || {
        reload.track();
        let connection = state.connection.get();
        let account = state.account_for(Provider::NetActuate);
        async move {
            let (connection, account) = (connection?, account?);
            Some(
                transport::send_netactuate_list::<ServerList>(
                    &connection,
                    &list_servers(&account.token),
                )
                .await,
            )
        }
    });
    let after_change = Callback::new(move |()| reload.update(|n| *n += 1));
    let body = move || match servers.get() {
        None => view! { <Loading what="the NetActuate servers"/> }.into_any(),
        Some(None) => view! { <NoAccount provider=Provider::NetActuate/> }.into_any(),
        Some(Some(Err(error))) => {
            view! { <NetActuateError error on_retry=after_change/> }.into_any()
        }
        Some(Some(Ok(list))) if list.data.is_empty() => view! {
            <p class="empty" role="status">"The account has no servers."</p>
        }
        .into_any(),
        Some(Some(Ok(list))) => {
            let total = list.data.len();
            view! {
                <p class="row-count" role="status">{cloudpane_api::words::count(total, "server", "servers")}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="na-servers-caption">
                    <table class="data-table na-servers">
                        <caption id="na-servers-caption" class="visually-hidden">"NetActuate servers"</caption>
                        <thead><tr>
                            <th scope="col">"Hostname"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Power"</th>
                            <th scope="col">"OS"</th>
                            <th scope="col">"Plan"</th>
                            <th scope="col">"Location"</th>
                            <th scope="col">"Addresses"</th>
                            <th scope="col">"Other fields"</th>
                        </tr></thead>
                        <tbody>
                            {list.data.into_iter().map(server_row).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="netactuate-servers-page">
            <PageHeader acting_as=Provider::NetActuate title="NetActuate servers"
                summary="The account's servers as NetActuate lists them, with the fields the console does not know shown raw."/>
            <p class="page-links"><a href=crate::base_path::app_href("/secrets")>"NetActuate secrets"</a></p>
            {body}
        </section>
    }
}

fn server_row(raw: Value) -> impl IntoView {
    let (server, raw) = match read_server(raw.clone()) {
        Ok(read) => read,
        Err(e) => {
            return view! {
                <tr><td colspan="8"><span aria-hidden="true">"⚠ "</span>{format!("A server that could not be read: {e}")}</td></tr>
            }
            .into_any()
        }
    };
    let dash = |v: Option<String>| v.filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into());
    let hostname = server
        .fqdn
        .clone()
        .unwrap_or_else(|| format!("Server {}", server.mbpkgid));
    let others: serde_json::Map<String, Value> = raw
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, _)| !SHOWN.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    let raw_view = (!others.is_empty()).then(|| {
        view! {
            <details class="raw">
                <summary>{format!("Raw fields of {hostname}")}</summary>
                <RawJson value=Signal::stored(Value::Object(others)) of=hostname.clone()/>
            </details>
        }
    });
    view! {
        <tr>
            <th scope="row">{hostname.clone()}<br/><span class="muted">{format!("id {}", server.mbpkgid)}</span></th>
            <td>{dash(server.status)}</td>
            <td>{dash(server.state)}</td>
            <td>{dash(server.os)}</td>
            <td>{dash(server.package)}</td>
            <td>{dash(server.city)}</td>
            <td>{dash(server.ip)}<br/>{dash(server.ipv6)}</td>
            <td>{raw_view}</td>
        </tr>
    }
    .into_any()
}
