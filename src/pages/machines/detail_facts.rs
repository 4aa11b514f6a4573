//! What a VM or a bare-metal rental is made of, as its provider describes it.

use cloudpane_api::machines::{hostfile, ssh_command, Machine};
use cloudpane_api::voltagepark::bare_metal::Rental;
use cloudpane_api::voltagepark::gpu_model_label;
use cloudpane_api::voltagepark::storage::{list_volumes, Volume, VOLUMES_PAGE_MAX};
use cloudpane_api::voltagepark::vms::Vm;
use cloudpane_api::Money;
use leptos::prelude::*;
use serde::Deserialize;

use super::kubeconfig::Kubeconfig;
use crate::components::download::download_text;
use crate::components::{CopyButton, Facts};
use crate::state::use_app;
use crate::transport;

fn money(m: Option<Money>) -> String {
    m.map_or("not given".into(), |m| {
        format!("{}/hour", m.to_cents_string())
    })
}

#[component]
pub fn VmFacts(machine: Machine) -> impl IntoView {
    let Ok(vm) = Vm::deserialize(&*machine.raw) else {
        return ().into_any();
    };
    let r = vm.resources.clone();
    let p = vm.pricing.clone();
    let ssh = machine.ssh.first().cloned();
    view! {
        <section aria-labelledby="vm-resources">
            <h3 id="vm-resources">"Resources"</h3>
            <Facts rows=vec![
                ("GPUs", machine.gpus.as_ref().map_or("none".to_string(), |g| format!("{} × {}", g.count, gpu_model_label(&g.model)))),
                ("vCPUs", r.as_ref().map_or("?".into(), |r| r.vcpu_count.to_string())),
                ("RAM", r.as_ref().map_or("?".into(), |r| format!("{} GB", r.ram_gb))),
                ("Disk", r.as_ref().map_or("?".into(), |r| format!("{} GB", r.storage_gb))),
                ("Operating system", vm.operating_system.clone().unwrap_or_else(|| "not given".into())),
                ("Billing type", vm.vm_type.clone().unwrap_or_else(|| "not given".into())),
            ]/>
            <h3>"Price per hour"</h3>
            <Facts rows=vec![
                ("GPUs", money(p.as_ref().and_then(|p| p.gpus_per_hr))),
                ("vCPUs", money(p.as_ref().and_then(|p| p.vcpus_per_hr))),
                ("RAM", money(p.as_ref().and_then(|p| p.ram_per_hr))),
                ("Storage", money(p.as_ref().and_then(|p| p.storage_per_hr))),
                ("Running, or stopped holding its resources", money(machine.hourly_associated)),
                ("Stopped and released (disk only)", money(machine.hourly_released)),
            ]/>
            <h3>"Port forwards"</h3>
            {if vm.port_forwards.is_empty() {
                view! { <p>"None."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table compact">
                        <caption class="visually-hidden">"Port forwards"</caption>
                        <thead><tr><th scope="col">"External port"</th><th scope="col">"Internal port"</th></tr></thead>
                        <tbody>
                            {vm.port_forwards.iter().map(|f| view! {
                                <tr><td>{format!("{}:{}", vm.public_ip.clone().unwrap_or_default(), f.external_port)}</td><td>{f.internal_port}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            {ssh.map(|t| {
                let cmd = ssh_command(&t);
                view! {
                    <h3>"SSH"</h3>
                    <p><code>{cmd.clone()}</code>" "<CopyButton text=cmd label="Copy the SSH command"/></p>
                    <p class="help">{format!("{}. Set it under Accounts.", capitalise(t.source.explain()))}</p>
                }
            })}
            <h3>"Tags"</h3>
            <p>{if vm.tags.is_empty() { "none".to_string() } else { vm.tags.join(", ") }}</p>
        </section>
    }
    .into_any()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[component]
pub fn BareMetalFacts(machine: Machine) -> impl IntoView {
    let Ok(rental) = Rental::deserialize(&*machine.raw) else {
        return ().into_any();
    };
    if rental.status == "Pending" && rental.node_networking.is_empty() {
        return view! {
            <p class="notice" role="status">
                <span aria-hidden="true">"◌ "</span>
                "This rental is pending. Voltage Park says only its name, creation time and rate until it runs: its nodes, addresses, login name, hardware, network, storage and kubeconfig are not known yet. This page looks again every few seconds."
            </p>
        }
        .into_any();
    }
    let specs = rental.specs_per_node.clone();
    let hosts = hostfile(&machine);
    let name = machine.name.clone();
    view! {
        <section aria-labelledby="bm-nodes">
            <h3 id="bm-nodes">{format!("Nodes ({})", rental.node_count.unwrap_or(rental.node_networking.len() as u32))}</h3>
            <Facts rows=vec![
                ("Each node", specs.as_ref().map_or("not given".to_string(), |s| format!("{} × {}, {} × {}, {} GB RAM, {} GB disk",
                    s.gpu_count, gpu_model_label(&s.gpu_model), s.cpu_count.unwrap_or(0),
                    s.cpu_model.clone().unwrap_or_default(), s.ram_gb.unwrap_or(0), s.storage_gb.unwrap_or(0)))),
                ("Power", rental.power_status.clone().unwrap_or_else(|| "not given".into())),
                ("Login name", rental.username.clone().unwrap_or_else(|| "not given".into())),
            ]/>
            <table class="data-table compact">
                <caption class="visually-hidden">"Nodes and how to reach them"</caption>
                <thead><tr><th scope="col">"Node"</th><th scope="col">"Public address"</th><th scope="col">"Private address"</th><th scope="col">"SSH command"</th></tr></thead>
                <tbody>
                    {machine.ssh.iter().enumerate().map(|(i, t)| {
                        let cmd = ssh_command(t);
                        view! {
                            <tr>
                                <td>{i + 1}</td>
                                <td>{t.host.clone()}</td>
                                <td>{t.private_ip.clone().unwrap_or_else(|| "—".into())}</td>
                                <td><code>{cmd.clone()}</code>" "<CopyButton text=cmd label=format!("Copy the SSH command of node {}", i + 1)/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(!hosts.is_empty()).then(|| {
                let file = format!("hostfile-{name}");
                let text = hosts.clone();
                view! {
                    <p>"Hostfile of the private addresses (MPI / NCCL): "
                        <CopyButton text=hosts.clone() label="Copy the hostfile"/>" "
                        <button type="button" on:click=move |_| { let _ = download_text(&file, &text, "text/plain"); }>"Download hostfile"</button>
                    </p>
                }
            })}
            <h3>"Network"</h3>
            <Facts rows=vec![
                ("Network type", match rental.network_type.as_deref() { Some("infiniband") => "InfiniBand (3.2 Tbps)".to_string(), Some("ethernet") => "Ethernet (100 Gbps)".to_string(), Some(o) => o.to_string(), None => "not given".into() }),
                ("Sub-order", rental.sub_order.clone().unwrap_or_else(|| "the account's default".into())),
            ]/>
            <p class="help">"Only machines of the same sub-order reach each other over the private network."</p>
            <StorageVolume machine=machine.clone() rental=rental.clone()/>
            <h3>"Kubernetes"</h3>
            <Facts rows=vec![("Cluster id", rental.k8s_cluster_id.clone().unwrap_or_else(|| "not given".into()))]/>
            {rental.kubeconfig.clone().map(|k| view! { <Kubeconfig name=machine.name.clone() kubeconfig=k/> })}
            <h3>"Tags"</h3>
            <p>{if rental.tags.is_empty() { "none".to_string() } else { rental.tags.join(", ") }}</p>
        </section>
    }
    .into_any()
}

/// The attached volume, by name (looked up in the account's volumes).
#[component]
fn StorageVolume(machine: Machine, rental: Rental) -> impl IntoView {
    let Some(storage_id) = rental.storage_id.clone() else {
        return view! { <h3>"Storage"</h3><p>"No storage volume is attached."</p> }.into_any();
    };
    let state = use_app();
    let account_id = machine.account.id;
    let volume = RwSignal::new(None::<Option<Volume>>);
    let id = storage_id.clone();
    leptos::task::spawn_local(async move {
        let found = async {
            let connection = state.connection.get_untracked()?;
            let account = state
                .accounts
                .all_untracked()
                .into_iter()
                .find(|a| a.id == account_id)?;
            let list_page = |p| list_volumes(&account.token, p);
            let volumes = transport::send_every_page(&connection, &list_page, VOLUMES_PAGE_MAX)
                .await
                .ok()?;
            volumes
                .iter()
                .filter_map(|v| Volume::deserialize(v).ok())
                .find(|v| v.id == id)
        }
        .await;
        volume.try_set(Some(found));
    });
    let pv = format!(
        "{} · {}",
        rental.storage_pv.clone().unwrap_or_default(),
        rental.storage_pvc.clone().unwrap_or_default()
    );
    view! {
        <h3>"Storage"</h3>
        {move || view! { <Facts rows=vec![
            ("Volume", match volume.get() {
                None => "looking it up…".to_string(),
                Some(Some(v)) => format!("{} ({} GB, {})", v.name, v.size_in_gb.unwrap_or(0), v.status.unwrap_or_default()),
                Some(None) => format!("{storage_id} (its name could not be read)"),
            }),
            ("Persistent volume · claim", pv.clone()),
        ]/> }}
    }
    .into_any()
}
