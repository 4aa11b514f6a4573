//! The bare-metal form (`/deploy/bare-metal?location=ID&network=infiniband&gpus=16`): whole
//! nodes at a location, on InfiniBand or Ethernet, with SSH keys, a sub-order, a shared storage
//! volume, tags and cloud-init; the price beside it all along; a review with the exact request;
//! one request per deploy. The provider's `warning` is shown, not dropped.

use cloudpane_api::estimate::{bare_metal_rate, gpu_count_choices, nodes_for_gpus};
use cloudpane_api::machines::{parse_tags, LikeThis, MachineKind};
use cloudpane_api::voltagepark::bare_metal_locations::{BareMetalLocation, NetworkType};
use cloudpane_api::voltagepark::cloudinit::CloudInitTarget;
use cloudpane_api::voltagepark::deploy::{deploy_bare_metal, DeployBareMetal};
use cloudpane_api::voltagepark::gpu_model_label;
use cloudpane_api::voltagepark::storage::{list_volumes, Volume, VOLUMES_PAGE_MAX};
use cloudpane_api::words::count;
use cloudpane_api::{FieldError, Provider};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::catalog::Catalog;
use super::cloud_init_editor::{CloudInitEditor, CloudInitRows, DocumentDraft, Verdict};
use super::cost_panel::{Billing, CostPanel};
use super::deploy_flow::{DeployFlow, DeployFlowView, DeployPage, DraftNotice};
use super::form_errors::{Errors, Field, FieldErrors};
use super::like_this_notice::LikeThisNotice;
use super::org_keys_field::{OrgKeys, OrgKeysField};
use super::public_keys_field::{PublicKeys, PublicKeysField};
use super::review::Review;
use crate::components::{draft, ErrorSummary};
use crate::state::use_app;
use crate::transport;

const FORM: &str = "bare-metal";
/// The body's fields, in the order of the form, with the control each error links to.
const FIELDS: &[Field] = &[
    ("location_id", "bm-location"),
    ("network_type", "bm-network-infiniband"),
    ("gpu_count", "bm-gpus"),
    ("name", "bm-name"),
    ("organization_ssh_keys", "org-keys-none"),
    ("ssh_keys", "public-keys"),
    ("sub_order", "bm-sub-order"),
    ("storage_id", "bm-storage"),
    ("cloudinit_script", "cloudinit-packages"),
    // Not a body field: a pasted document that is not what would be sent.
    ("cloud_config_document", "cloudinit-yaml"),
    ("tags", "bm-tags"),
];

#[derive(Serialize, Deserialize, Default)]
struct Draft {
    location_id: String,
    network: Option<NetworkType>,
    gpus: u32,
    name: String,
    org_keys: Option<cloudpane_api::voltagepark::deploy::OrganizationSshKeys>,
    extra_keys: cloudpane_api::ssh_key::AcceptedPublicKeys,
    sub_order: String,
    storage_id: String,
    tags: String,
    cloud_init: cloudpane_api::voltagepark::cloudinit::CloudInit,
    /// The pasted `#cloud-config` document, used or not.
    #[serde(default)]
    document: DocumentDraft,
}

#[component]
pub fn BareMetalFormPage() -> impl IntoView {
    view! {
        <DeployPage title="Rent bare metal"
            summary="Voltage Park: whole GPU nodes at a location, on InfiniBand or Ethernet. The price is shown before anything is sent."
            what="the bare-metal locations"
            form=|catalog| view! { <BareMetalForm catalog/> }.into_any()/>
    }
}

#[component]
fn BareMetalForm(catalog: Catalog) -> impl IntoView {
    let state = use_app();
    let query = use_query_map();
    let catalog = StoredValue::new(catalog);
    let location_id = RwSignal::new(String::new());
    let network = RwSignal::new(NetworkType::Infiniband);
    let gpus = RwSignal::new(0u32);
    let name = RwSignal::new(String::new());
    let sub_order = RwSignal::new(String::new());
    let storage_id = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let org_keys = OrgKeys::new();
    let extra_keys = PublicKeys::new();
    let cloud_init = CloudInitRows::new();
    let errors = Errors::new(FIELDS);
    let billing = Billing::load();

    let had_draft = if let Some(d) = draft::load::<Draft>(FORM) {
        location_id.set(d.location_id);
        if let Some(n) = d.network {
            network.set(n);
        }
        gpus.set(d.gpus);
        name.set(d.name);
        org_keys.set(d.org_keys.as_ref());
        extra_keys.restore(d.extra_keys);
        sub_order.set(d.sub_order);
        storage_id.set(d.storage_id);
        tags.set(d.tags);
        cloud_init.set(&d.cloud_init);
        cloud_init.restore_document(d.document);
        true
    } else {
        false
    };
    let flow = DeployFlow::new(FORM, MachineKind::BareMetal, errors, had_draft);
    let review = flow.review;
    // A link names a location (the board), or a rental to deploy again: the location of its
    // price, its network, sub-order and volume, and what could not be carried over, said.
    let like = query.with_untracked(|q| {
        if let Some(id) = q.get("location") {
            location_id.set(id);
        }
        match q.get("network").as_deref() {
            Some("infiniband") => network.set(NetworkType::Infiniband),
            Some("ethernet") => network.set(NetworkType::Ethernet),
            _ => {}
        }
        if let Some(n) = q.get("gpus").and_then(|g| g.parse().ok()) {
            gpus.set(n);
        }
        let like = LikeThis::from_query(|k| q.get(k))?;
        let mut unlike = vec![LikeThis::not_returned(MachineKind::BareMetal).to_string()];
        let choice = catalog.with_value(|c| {
            like.location(&c.bare_metal, |id| c.place(id))
                .map(|ch| (ch.chosen.id.clone(), ch.unlike))
        });
        match choice {
            Some((id, differs)) => {
                location_id.set(id);
                unlike.extend(differs);
            }
            None => unlike.push(format!(
                "No location rents the GPUs of {}: choose one.",
                like.like
            )),
        }
        name.set(like.name.clone());
        if let Some(t) = &like.tags {
            tags.set(t.clone());
        }
        if let Some(s) = &like.sub_order {
            sub_order.set(s.clone());
        }
        if let Some(v) = &like.storage_id {
            storage_id.set(v.clone());
        }
        Some((like.like, unlike))
    });
    let location = Memo::new(move |_| {
        let id = location_id.get();
        catalog.with_value(|c| c.bare_metal_location(&id).cloned())
    });
    // A GPU count that is not a choice at this location (another location, another network)
    // becomes the smallest one there.
    Effect::new(move |_| {
        if let Some(l) = location.get() {
            let choices = gpu_count_choices(&l, network.get());
            if !choices.contains(&gpus.get_untracked()) {
                gpus.set(choices.first().copied().unwrap_or(0));
            }
        }
    });
    let hourly = Signal::derive(move || {
        location
            .get()
            .and_then(|l| bare_metal_rate(&l, network.get(), gpus.get()).ok())
    });
    let volumes = LocalResource::new(move || {
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            let request = |p| list_volumes(&account.token, p);
            Some(
                transport::send_every_page(&connection, &request, VOLUMES_PAGE_MAX)
                    .await
                    .map(|all| {
                        // A volume that cannot be read is counted and said, not offered.
                        let rows = cloudpane_api::Rows::<Volume>::from_values(all);
                        let active = rows
                            .read
                            .into_iter()
                            .filter(|v| v.status.as_deref().is_none_or(|s| s == "active"))
                            .collect::<Vec<_>>();
                        (active, rows.unreadable.len())
                    }),
            )
        }
    });

    let body = move || {
        let mut b = DeployBareMetal::new(
            location_id.get(),
            gpus.get(),
            name.get().trim(),
            network.get(),
        );
        b.organization_ssh_keys = org_keys.to_request();
        b.ssh_keys = extra_keys.lines().unwrap_or_default();
        b.sub_order = sub_order.get().trim().parse().ok();
        let s = storage_id.get();
        b.storage_id = (!s.is_empty()).then_some(s);
        b.tags = parse_tags(&tags.get());
        let c = cloud_init.get();
        b.cloudinit_script = (!c.is_empty()).then_some(c);
        b
    };
    let skip_save = StoredValue::new(false);
    Effect::new(move |first: Option<()>| {
        let d = Draft {
            location_id: location_id.get(),
            network: Some(network.get()),
            gpus: gpus.get(),
            name: name.get(),
            org_keys: org_keys.to_request(),
            extra_keys: extra_keys.draft(),
            sub_order: sub_order.get(),
            storage_id: storage_id.get(),
            tags: tags.get(),
            cloud_init: cloud_init.get(),
            document: cloud_init.document_draft(),
        };
        if skip_save.get_value() {
            skip_save.set_value(false);
        } else if first.is_some() {
            flow.save_draft(&d);
        }
    });
    let discard = Callback::new(move |_| {
        skip_save.set_value(true);
        flow.discard_draft();
        name.set(String::new());
        sub_order.set(String::new());
        storage_id.set(String::new());
        tags.set(String::new());
        extra_keys.clear();
        cloud_init.set(&Default::default());
        cloud_init.discard_document();
        org_keys.set(None);
        errors.clear();
    });

    let to_review = move || {
        errors.clear();
        let b = untrack(body);
        let mut problems: Vec<FieldError> = b.problems();
        if let Err(e) = untrack(move || extra_keys.lines()) {
            problems.push(FieldError {
                field: "ssh_keys".into(),
                message: e,
            });
        }
        let sub = sub_order.get_untracked();
        if !sub.trim().is_empty() && sub.trim().parse::<u64>().is_err() {
            problems.push(FieldError {
                field: "sub_order".into(),
                message: "A sub-order is a whole number, e.g. 12345. Leave it empty for the account's default.".into(),
            });
        }
        if let Some(why) = cloud_init.document_problem() {
            problems.push(FieldError {
                field: "cloud_config_document".into(),
                message: why,
            });
        }
        let Some(l) = location.get_untracked() else {
            if !b.location_id.trim().is_empty() {
                problems.push(FieldError {
                    field: "location_id".into(),
                    message: "Voltage Park no longer lists this location. Choose another.".into(),
                });
            }
            errors.show(&problems);
            return;
        };
        let rate = match bare_metal_rate(&l, b.network_type, b.gpu_count) {
            Ok(rate) => Some(rate),
            Err(e) => {
                problems.push(FieldError {
                    field: "gpu_count".into(),
                    message: e.to_string(),
                });
                None
            }
        };
        if l.gpus_free(b.network_type) < b.gpu_count {
            problems.push(FieldError {
                field: "gpu_count".into(),
                message: format!(
                    "Only {} GPUs are free there on {} now.",
                    l.gpus_free(b.network_type),
                    b.network_type.label()
                ),
            });
        }
        let (true, Some(rate)) = (problems.is_empty(), rate) else {
            errors.show(&problems);
            return;
        };
        let (Some(connection), Some(account)) = (
            state.connection.get_untracked(),
            state.account_for(Provider::VoltagePark),
        ) else {
            errors.add_general(
                "No Voltage Park account is in use: add or choose one on the Accounts page.".into(),
            );
            return;
        };
        let rows = cloud_init;
        let volume_name = volumes
            .get_untracked()
            .flatten()
            .and_then(|r| r.ok())
            .and_then(|(all, _)| {
                all.into_iter()
                    .find(|v| Some(&v.id) == b.storage_id.as_ref())
                    .map(|v| v.name)
            });
        leptos::task::spawn_local(async move {
            if let Verdict::Refused(why) = rows
                .validate_now(connection.clone(), CloudInitTarget::BareMetal)
                .await
            {
                errors.show(&[FieldError {
                    field: "cloudinit_script".into(),
                    message: format!("Voltage Park refused the cloud-init: {why}"),
                }]);
                return;
            }
            let nodes = nodes_for_gpus(b.gpu_count, l.specs_per_node.gpu_count).unwrap_or(0);
            let mut lines = vec![
                ("Location", catalog.with_value(|c| c.place(&l.id))),
                (
                    "Nodes",
                    format!(
                        "{nodes} × {} {} ({} GPUs)",
                        l.specs_per_node.gpu_count,
                        gpu_model_label(&l.specs_per_node.gpu_model),
                        b.gpu_count
                    ),
                ),
                ("Network", b.network_type.label().to_string()),
                ("Name", b.name.clone()),
                (
                    "Sub-order",
                    b.sub_order
                        .map_or("the account's default".to_string(), |s| s.to_string()),
                ),
                (
                    "Storage volume",
                    b.storage_id.as_ref().map_or("none".to_string(), |id| {
                        volume_name.clone().unwrap_or_else(|| id.clone())
                    }),
                ),
                ("Extra keys", b.ssh_keys.len().to_string()),
            ];
            if !b.tags.is_empty() {
                lines.push(("Tags", b.tags.join(", ")));
            }
            if let Some(c) = &b.cloudinit_script {
                lines.push((
                    "Cloud-init",
                    format!(
                        "{}, {}, {}",
                        count(c.packages.len(), "package", "packages"),
                        count(c.write_files.len(), "file", "files"),
                        count(c.runcmd.len(), "command", "commands")
                    ),
                ));
            }
            review.set(Some(Review {
                lines,
                hourly: rate,
                request: deploy_bare_metal(&account.token, &b),
                token: account.token.clone(),
            }));
        });
    };

    let deploy = Callback::new(move |_| flow.deploy(untrack(body).name));
    let open_review = Callback::new(move |_| to_review());
    let hidden = move || flow.reviewing() || flow.sent();
    let locations = catalog.with_value(|c| c.bare_metal.clone());

    view! {
        <div class="deploy-layout">
            <div class="deploy-main">
                <DraftNotice flow on_discard=discard/>
                {like.map(|(like, unlike)| view! { <LikeThisNotice like unlike/> })}
                <form class="form deploy-form" novalidate hidden=hidden
                    on:submit=move |ev| { ev.prevent_default(); to_review(); }>
                    <ErrorSummary id="bm-errors" problems=errors.problems()/>
                    <label for="bm-location">"Location"</label>
                    <select id="bm-location" aria-invalid=move || errors.has("location_id").to_string() aria-describedby="bm-location-facts bm-location-error"
                        on:change=move |ev| location_id.set(event_target_value(&ev))>
                        <option value="" selected=move || location_id.with(String::is_empty)>"Choose a location"</option>
                        {locations.into_iter().map(|l| {
                            let id = l.id.clone();
                            let label = catalog.with_value(|c| location_label(&l, c));
                            view! { <option value=l.id.clone() selected=move || location_id.with(|s| s == &id)>{label}</option> }
                        }).collect_view()}
                    </select>
                    <FieldErrors errors field="location_id" id="bm-location-error"/>
                    <div id="bm-location-facts">{move || location.get().map(|l| location_facts(&l))}</div>

                    <fieldset aria-describedby="bm-network-error">
                        <legend>"Network"</legend>
                        {[NetworkType::Infiniband, NetworkType::Ethernet].into_iter().map(|n| {
                            let detail = move || location.get().map(|l| {
                                let price = l.gpu_price(n).map_or("no price".to_string(), |p| format!("{}/GPU-hour", p.to_rate_string()));
                                format!(" · {} GPUs free · {price}", l.gpus_free(n))
                            });
                            view! {
                                <label class="inline">
                                    <input type="radio" name="bm-network" value=n.as_str() id=format!("bm-network-{}", n.as_str())
                                        prop:checked=move || network.get() == n
                                        on:change=move |_| network.set(n)/>
                                    {n.label()}{detail}
                                </label>
                            }
                        }).collect_view()}
                        <FieldErrors errors field="network_type" id="bm-network-error"/>
                    </fieldset>

                    <label for="bm-gpus">"GPUs"</label>
                    <select id="bm-gpus" aria-invalid=move || errors.has("gpu_count").to_string() aria-describedby="bm-gpus-help bm-gpus-error"
                        on:change=move |ev| gpus.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {move || {
                            let Some(l) = location.get() else {
                                return view! { <option value="0">"Choose a location first"</option> }.into_any();
                            };
                            let per_node = l.specs_per_node.gpu_count;
                            let choices = gpu_count_choices(&l, network.get());
                            if choices.is_empty() {
                                return view! { <option value="0">"No whole node free on this network"</option> }.into_any();
                            }
                            choices.into_iter().map(|g| {
                                let nodes = g / per_node.max(1);
                                view! { <option value=g.to_string() selected=move || gpus.get() == g>{format!("{g} GPUs ({})", count(nodes as usize, "node", "nodes"))}</option> }
                            }).collect_view().into_any()
                        }}
                    </select>
                    <p id="bm-gpus-help" class="help">"Bare metal comes in whole nodes."</p>
                    <FieldErrors errors field="gpu_count" id="bm-gpus-error"/>

                    <label for="bm-name">"Name"</label>
                    <input id="bm-name" type="text" autocomplete="off" bind:value=name required
                        aria-invalid=move || errors.has("name").to_string() aria-describedby="bm-name-error"/>
                    <FieldErrors errors field="name" id="bm-name-error"/>

                    <OrgKeysField keys=org_keys errors=errors.for_field("organization_ssh_keys")/>
                    <PublicKeysField keys=extra_keys errors=errors.for_field("ssh_keys")/>

                    <label for="bm-sub-order">"Sub-order (optional)"</label>
                    <input id="bm-sub-order" type="text" inputmode="numeric" bind:value=sub_order
                        aria-invalid=move || errors.has("sub_order").to_string() aria-describedby="bm-sub-order-help bm-sub-order-error"/>
                    <p id="bm-sub-order-help" class="help">"A whole number. Only machines of the same sub-order reach each other over the private network; leave empty for the account's default."</p>
                    <FieldErrors errors field="sub_order" id="bm-sub-order-error"/>

                    <label for="bm-storage">"Shared storage volume (optional)"</label>
                    <select id="bm-storage" aria-describedby="bm-storage-help bm-storage-error"
                        on:change=move |ev| storage_id.set(event_target_value(&ev))>
                        <option value="" selected=move || storage_id.with(String::is_empty)>"None"</option>
                        {move || match volumes.get() {
                            Some(Some(Ok((all, _)))) => all.into_iter().map(|v| {
                                let id = v.id.clone();
                                let label = format!("{}{}{}", v.name, v.size_in_gb.map_or(String::new(), |g| format!(" · {g} GB")),
                                    if v.order_ids.is_empty() { String::new() } else { format!(" · used by {}", count(v.order_ids.len(), "rental", "rentals")) });
                                view! { <option value=v.id.clone() selected=move || storage_id.with(|s| s == &id)>{label}</option> }
                            }).collect_view().into_any(),
                            _ => ().into_any(),
                        }}
                    </select>
                    <p id="bm-storage-help" class="help">
                        {move || match volumes.get() {
                            Some(Some(Err(e))) => format!("The volumes could not be listed: {e}"),
                            None | Some(None) => "Loading the organization's active volumes…".to_string(),
                            Some(Some(Ok((_, 0)))) => "Any of the organization's active volumes; a shared volume can serve several rentals.".to_string(),
                            Some(Some(Ok((_, unreadable)))) => format!(
                                "Any of the organization's active volumes; a shared volume can serve several rentals. ⚠ {} not offered here: Voltage Park sent it in a shape the console does not read (Storage shows it).",
                                if unreadable == 1 { "1 volume could not be read and is".to_string() } else { format!("{unreadable} volumes could not be read and are") }
                            ),
                        }}
                    </p>
                    <FieldErrors errors field="storage_id" id="bm-storage-error"/>

                    <CloudInitEditor rows=cloud_init target=CloudInitTarget::BareMetal errors=errors.for_field("cloudinit_script")/>

                    <label for="bm-tags">"Tags"</label>
                    <input id="bm-tags" type="text" bind:value=tags aria-describedby="bm-tags-help bm-tags-error"/>
                    <p id="bm-tags-help" class="help">"Separate tags with commas."</p>
                    <FieldErrors errors field="tags" id="bm-tags-error"/>

                    <button type="submit">"Review the rental"</button>
                </form>
                <DeployFlowView flow on_deploy=deploy on_review=open_review/>
            </div>
            <CostPanel hourly billing/>
        </div>
    }
}

fn location_label(l: &BareMetalLocation, catalog: &Catalog) -> String {
    let s = &l.specs_per_node;
    format!(
        "{} · {} × {} per node · {} free on InfiniBand, {} on Ethernet",
        catalog.place(&l.id),
        s.gpu_count,
        gpu_model_label(&s.gpu_model),
        l.gpu_count_infiniband,
        l.gpu_count_ethernet
    )
}

fn location_facts(l: &BareMetalLocation) -> impl IntoView {
    let s = l.specs_per_node.clone();
    let price = |n: NetworkType| {
        l.gpu_price(n).map_or("no price".to_string(), |p| {
            format!("{}/GPU-hour", p.to_rate_string())
        })
    };
    view! {
        <dl class="facts">
            <dt>"GPUs per node"</dt><dd>{format!("{} × {}", s.gpu_count, gpu_model_label(&s.gpu_model))}</dd>
            <dt>"CPU"</dt><dd>{match (s.cpu_count, s.cpu_model) { (Some(n), Some(m)) => format!("{n} × {m}"), (None, Some(m)) => m, (Some(n), None) => n.to_string(), _ => "not given".into() }}</dd>
            <dt>"RAM"</dt><dd>{s.ram_gb.map_or("not given".to_string(), |g| format!("{g} GB"))}</dd>
            <dt>"Disk"</dt><dd>{s.storage_gb.map_or("not given".to_string(), |g| format!("{g} GB"))}</dd>
            <dt>"InfiniBand"</dt><dd>{format!("{} GPUs free · {}", l.gpu_count_infiniband, price(NetworkType::Infiniband))}</dd>
            <dt>"Ethernet"</dt><dd>{format!("{} GPUs free · {}", l.gpu_count_ethernet, price(NetworkType::Ethernet))}</dd>
        </dl>
    }
}
