//! The instant-VM form (`/deploy/instant-vm?preset=ID`): a preset, a name, optional password,
//! SSH keys, cloud-init and tags; the price beside it all along; a review with the exact request;
//! one request per deploy.

use cloudpane_api::machines::{parse_tags, LikeThis, MachineKind};
use cloudpane_api::voltagepark::cloudinit::CloudInitTarget;
use cloudpane_api::voltagepark::deploy::{deploy_instant_vm, DeployInstantVm};
use cloudpane_api::voltagepark::gpu_model_label;
use cloudpane_api::voltagepark::presets::{presets_by_place, Preset};
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

const FORM: &str = "instant-vm";
/// The body's fields, in the order of the form, with the control each error links to.
const FIELDS: &[Field] = &[
    ("config_id", "vm-preset"),
    ("name", "vm-name"),
    ("password", "vm-password"),
    ("organization_ssh_keys", "org-keys-none"),
    ("ssh_keys", "public-keys"),
    ("cloud_init", "cloudinit-packages"),
    // Not a body field: a pasted document that is not what would be sent.
    ("cloud_config_document", "cloudinit-yaml"),
    ("tags", "vm-tags"),
];

/// What a reload keeps: everything but the password.
#[derive(Serialize, Deserialize, Default)]
struct Draft {
    body: Option<DeployInstantVm>,
    extra_keys: cloudpane_api::ssh_key::AcceptedPublicKeys,
    tags: String,
    /// The pasted `#cloud-config` document, used or not.
    #[serde(default)]
    document: DocumentDraft,
}

#[component]
pub fn InstantVmFormPage() -> impl IntoView {
    view! {
        <DeployPage title="Deploy an instant VM"
            summary="Voltage Park: a ready preset, running in minutes. The price is shown before anything is sent."
            what="the presets"
            form=|catalog| view! { <InstantVmForm catalog/> }.into_any()/>
    }
}

#[component]
fn InstantVmForm(catalog: Catalog) -> impl IntoView {
    let state = use_app();
    let query = use_query_map();
    let catalog = StoredValue::new(catalog);
    let preset_id = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let show_password = RwSignal::new(false);
    let password_reveals = StoredValue::new(0u32);
    let tags = RwSignal::new(String::new());
    let org_keys = OrgKeys::new();
    let extra_keys = PublicKeys::new();
    let cloud_init = CloudInitRows::new();
    let errors = Errors::new(FIELDS);
    let billing = Billing::load();

    // Start from the draft, then from what the link asked for.
    let had_draft = if let Some(d) = draft::load::<Draft>(FORM) {
        if let Some(body) = &d.body {
            preset_id.set(body.config_id.clone());
            name.set(body.name.clone());
            org_keys.set(body.organization_ssh_keys.as_ref());
            if let Some(c) = &body.cloud_init {
                cloud_init.set(c);
            }
        }
        extra_keys.restore(d.extra_keys);
        tags.set(d.tags);
        cloud_init.restore_document(d.document);
        true
    } else {
        false
    };
    let flow = DeployFlow::new(FORM, MachineKind::InstantVm, errors, had_draft);
    let review = flow.review;
    // A link names a preset (the board), or a machine to deploy again: the preset of its
    // place and price, and what could not be carried over, said.
    let like = query.with_untracked(|q| {
        if let Some(id) = q.get("preset") {
            preset_id.set(id);
        }
        let like = LikeThis::from_query(|k| q.get(k))?;
        let mut unlike = vec![LikeThis::not_returned(MachineKind::InstantVm).to_string()];
        let choice = catalog.with_value(|c| {
            let at = c.locations_of(like.hostnode_id.as_deref(), like.place.as_deref());
            like.preset(&c.presets, &at, |id| c.place(id))
                .map(|ch| (ch.chosen.id.clone(), ch.unlike))
        });
        match choice {
            Some((id, differs)) => {
                preset_id.set(id);
                unlike.extend(differs);
            }
            None => unlike.push(format!(
                "No preset has the GPUs of {}: choose one.",
                like.like
            )),
        }
        name.set(like.name.clone());
        if let Some(t) = &like.tags {
            tags.set(t.clone());
        }
        Some((like.like, unlike))
    });
    let preset = Memo::new(move |_| {
        let id = preset_id.get();
        catalog.with_value(|c| c.preset(&id).cloned())
    });
    let hourly = Signal::derive(move || preset.get().and_then(|p| p.hourly_rate()));

    // The body as the form stands (password included only when typed).
    let body = move || {
        let mut b = DeployInstantVm::new(preset_id.get(), name.get().trim());
        let pw = password.get();
        b.password = (!pw.is_empty()).then_some(pw);
        b.organization_ssh_keys = org_keys.to_request();
        b.ssh_keys = extra_keys.lines().unwrap_or_default();
        let c = cloud_init.get();
        b.cloud_init = (!c.is_empty()).then_some(c);
        b.tags = parse_tags(&tags.get());
        b
    };
    // Keep the draft as the person types (never the password).
    let skip_save = StoredValue::new(false);
    Effect::new(move |first: Option<()>| {
        let mut b = body();
        b.password = None;
        let d = Draft {
            body: Some(b),
            extra_keys: extra_keys.draft(),
            tags: tags.get(),
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
        password.set(String::new());
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
        if let Some(why) = cloud_init.document_problem() {
            problems.push(FieldError {
                field: "cloud_config_document".into(),
                message: why,
            });
        }
        let Some(p) = preset.get_untracked() else {
            if !b.config_id.trim().is_empty() {
                problems.push(FieldError {
                    field: "config_id".into(),
                    message: "Voltage Park no longer offers this preset. Choose another.".into(),
                });
            }
            errors.show(&problems);
            return;
        };
        let Some(rate) = p.hourly_rate() else {
            errors.show(&problems);
            errors.add_general(
                "Voltage Park gives no price for this preset, so cloudpane will not deploy it."
                    .into(),
            );
            return;
        };
        if !p.is_available() {
            problems.push(FieldError {
                field: "config_id".into(),
                message: "This preset cannot be deployed anywhere right now. Choose another."
                    .into(),
            });
        }
        if !problems.is_empty() {
            errors.show(&problems);
            return;
        }
        let (Some(connection), Some(account)) = (
            state.connection.get_untracked(),
            state.account_for(Provider::VoltagePark),
        ) else {
            errors.add_general(
                "No Voltage Park account is in use: add or choose one on the Accounts page.".into(),
            );
            return;
        };
        // The provider checks the cloud-init again before the review.
        let rows = cloud_init;
        leptos::task::spawn_local(async move {
            if let Verdict::Refused(why) = rows
                .validate_now(connection.clone(), CloudInitTarget::InstantVm)
                .await
            {
                errors.show(&[FieldError {
                    field: "cloud_init".into(),
                    message: format!("Voltage Park refused the cloud-init: {why}"),
                }]);
                return;
            }
            let places: Vec<String> = catalog.with_value(|c| {
                p.location_ids_with_availability
                    .iter()
                    .map(|id| c.place(id))
                    .collect()
            });
            let mut lines = vec![
                (
                    "Preset",
                    catalog.with_value(|c| preset_label(&p, &preset_places(&p, c))),
                ),
                ("Name", b.name.clone()),
                (
                    "Where",
                    format!("Voltage Park places it in one of: {}", places.join("; ")),
                ),
                (
                    "Password",
                    if b.password.is_some() {
                        "set (not shown)".into()
                    } else {
                        "none".into()
                    },
                ),
                ("Organization keys", org_keys_text(&b)),
                ("Extra keys", b.ssh_keys.len().to_string()),
            ];
            if let Some(c) = &b.cloud_init {
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
            if !b.tags.is_empty() {
                lines.push(("Tags", b.tags.join(", ")));
            }
            review.set(Some(Review {
                lines,
                hourly: rate,
                request: deploy_instant_vm(&account.token, &b),
                token: account.token.clone(),
            }));
        });
    };

    let deploy = Callback::new(move |_| flow.deploy(untrack(body).name));
    let open_review = Callback::new(move |_| to_review());
    let hidden = move || flow.reviewing() || flow.sent();
    let groups: Vec<(String, Vec<Preset>)> = catalog.with_value(|c| {
        presets_by_place(&c.presets, |id| c.place(id))
            .into_iter()
            .map(|g| {
                (
                    g.places.unwrap_or_else(|| NOWHERE.to_string()),
                    g.presets.into_iter().cloned().collect(),
                )
            })
            .collect()
    });
    view! {
        <div class="deploy-layout">
            <div class="deploy-main">
                <DraftNotice flow on_discard=discard/>
                {like.map(|(like, unlike)| view! { <LikeThisNotice like unlike/> })}
                <form class="form deploy-form" novalidate hidden=hidden
                    on:submit=move |ev| { ev.prevent_default(); to_review(); }>
                    <ErrorSummary id="vm-errors" problems=errors.problems()/>
                    <label for="vm-preset">"Preset"</label>
                    <select id="vm-preset" aria-invalid=move || errors.has("config_id").to_string() aria-describedby="vm-preset-facts vm-preset-error"
                        on:change=move |ev| preset_id.set(event_target_value(&ev))>
                        <option value="" selected=move || preset_id.with(String::is_empty)>"Choose a preset"</option>
                        // By place: presets of one shape differ by where they run and its price.
                        {groups.into_iter().map(|(places, presets)| view! {
                            <optgroup label=places.clone()>
                                {presets.into_iter().map(|p| {
                                    let id = p.id.clone();
                                    let label = preset_label(&p, &places);
                                    view! { <option value=p.id.clone() selected=move || preset_id.with(|s| s == &id)>{label}</option> }
                                }).collect_view()}
                            </optgroup>
                        }).collect_view()}
                    </select>
                    <FieldErrors errors field="config_id" id="vm-preset-error"/>
                    <div id="vm-preset-facts">{move || preset.get().map(|p| catalog.with_value(|c| preset_facts(&p, c)))}</div>

                    <label for="vm-name">"Name"</label>
                    <input id="vm-name" type="text" autocomplete="off" bind:value=name required
                        aria-invalid=move || errors.has("name").to_string() aria-describedby="vm-name-error"/>
                    <FieldErrors errors field="name" id="vm-name-error"/>

                    <label for="vm-password">"Password (optional)"</label>
                    <div class="password-row">
                        <input id="vm-password" type=move || if show_password.get() { "text" } else { "password" }
                            autocomplete="new-password" bind:value=password
                            aria-invalid=move || errors.has("password").to_string() aria-describedby="vm-password-help vm-password-error"/>
                        <button type="button" aria-pressed=move || show_password.get().to_string()
                            aria-label=move || if show_password.get() { "Hide the password" } else { "Show the password" }
                            on:click=move |_| {
                                let shown = !show_password.get_untracked();
                                show_password.set(shown);
                                // Hidden again on its own, like every revealed secret (a
                                // later Show starts its own time).
                                let reveal = password_reveals.get_value() + 1;
                                password_reveals.set_value(reveal);
                                if shown {
                                    set_timeout(
                                        move || {
                                            if password_reveals.try_get_value() == Some(reveal) {
                                                show_password.try_set(false);
                                            }
                                        },
                                        crate::components::REVEAL_FOR,
                                    );
                                }
                            }>
                            {move || if show_password.get() { "Hide" } else { "Show" }}
                        </button>
                    </div>
                    <p id="vm-password-help" class="help">"At least 8 characters. Leave empty to log in with SSH keys only. Never kept in the draft."</p>
                    <FieldErrors errors field="password" id="vm-password-error"/>

                    <OrgKeysField keys=org_keys errors=errors.for_field("organization_ssh_keys")/>
                    <PublicKeysField keys=extra_keys errors=errors.for_field("ssh_keys")/>
                    <CloudInitEditor rows=cloud_init target=CloudInitTarget::InstantVm errors=errors.for_field("cloud_init")/>

                    <label for="vm-tags">"Tags"</label>
                    <input id="vm-tags" type="text" bind:value=tags aria-describedby="vm-tags-help vm-tags-error"/>
                    <p id="vm-tags-help" class="help">"Separate tags with commas."</p>
                    <FieldErrors errors field="tags" id="vm-tags-error"/>

                    <button type="submit">"Review the deploy"</button>
                </form>
                <DeployFlowView flow on_deploy=deploy on_review=open_review/>
            </div>
            <CostPanel hourly billing/>
        </div>
    }
}

fn org_keys_text(b: &DeployInstantVm) -> String {
    use cloudpane_api::voltagepark::deploy::OrganizationSshKeys as K;
    match &b.organization_ssh_keys {
        None | Some(K::None) => "none".into(),
        Some(K::All) => "all of them".into(),
        Some(K::Selective { ssh_key_ids }) => format!("{} chosen", ssh_key_ids.len()),
    }
}

/// Where a preset that no location can take now is said to be.
const NOWHERE: &str = "None free now";

/// The names of the places that can take `p` now, as its group in the list names them.
fn preset_places(p: &Preset, catalog: &Catalog) -> String {
    presets_by_place(std::slice::from_ref(p), |id| catalog.place(id))
        .pop()
        .and_then(|g| g.places)
        .unwrap_or_else(|| NOWHERE.to_string())
}

/// "1 × H100 SXM5 80GB · 24 vCPUs · 240 GB RAM · $2.43/hour · Dallas, Texas": the place too,
/// as presets of one shape differ by it.
fn preset_label(p: &Preset, places: &str) -> String {
    let gpus = match p.gpu_model() {
        Some(m) => format!("{} × {}", p.gpu_count(), gpu_model_label(m)),
        None => "no GPU".into(),
    };
    let price = p.hourly_rate().map_or("price not given".to_string(), |r| {
        format!("{}/hour", r.to_rate_string())
    });
    format!(
        "{gpus} · {} vCPUs · {} GB RAM · {price} · {places}",
        p.resources.vcpu_count, p.resources.ram_gb
    )
}

fn preset_facts(p: &Preset, catalog: &Catalog) -> impl IntoView {
    let rate = |m: Option<cloudpane_api::Money>| {
        m.map_or("not given".to_string(), |m| {
            format!("{}/hour", m.to_rate_string())
        })
    };
    let places = if p.is_available() {
        p.location_ids_with_availability
            .iter()
            .map(|id| catalog.place(id))
            .collect::<Vec<_>>()
            .join("; ")
    } else {
        "nowhere right now".into()
    };
    view! {
        <dl class="facts preset-facts">
            <dt>"GPUs"</dt><dd>{p.gpu_model().map_or("none".to_string(), |m| format!("{} × {}", p.gpu_count(), gpu_model_label(m)))}</dd>
            <dt>"vCPUs"</dt><dd>{p.resources.vcpu_count}</dd>
            <dt>"RAM"</dt><dd>{format!("{} GB", p.resources.ram_gb)}</dd>
            <dt>"Disk"</dt><dd>{format!("{} GB", p.resources.storage_gb)}</dd>
            <dt>"Operating system"</dt><dd>{p.operating_system.clone()}</dd>
            // Per instance (Preset::compute_rate_hourly says why); per GPU only as a share of it.
            <dt>"Compute"</dt><dd>{rate(p.compute_rate_hourly)}{p.per_gpu_hour().map(|g| format!(" for the whole VM ({}/hour per GPU)", g.to_rate_string()))}</dd>
            <dt>"Storage"</dt><dd>{rate(p.storage_rate_hourly)}</dd>
            <dt>"Available in"</dt><dd>{places}</dd>
        </dl>
        <p class="help">"Voltage Park chooses where the VM runs, among the locations above: the request has no location."</p>
    }
}
