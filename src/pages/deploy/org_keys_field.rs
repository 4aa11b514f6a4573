//! Which of the organization's SSH keys go onto the new machine: none, all, or chosen ones,
//! each shown with its SHA256 fingerprint.

use cloudpane_api::ssh_key::parse_public_key;
use cloudpane_api::voltagepark::deploy::OrganizationSshKeys;
use cloudpane_api::voltagepark::ssh_keys::{list_org_ssh_keys, OrgSshKey, SSH_KEYS_PAGE_MAX};
use cloudpane_api::Provider;
use leptos::prelude::*;

use crate::state::use_app;
use crate::transport;

/// The choice, as the form keeps it.
#[derive(Clone, Copy)]
pub struct OrgKeys {
    /// `none`, `all` or `selective`.
    pub mode: RwSignal<String>,
    /// The chosen keys' ids (for `selective`).
    pub chosen: RwSignal<Vec<String>>,
}

impl OrgKeys {
    pub fn new() -> Self {
        OrgKeys {
            mode: RwSignal::new("none".into()),
            chosen: RwSignal::new(Vec::new()),
        }
    }

    /// What the body's `organization_ssh_keys` holds: left out for none (the provider's own
    /// default), so nothing is sent the person did not choose. Tracked.
    pub fn to_request(self) -> Option<OrganizationSshKeys> {
        match self.mode.get().as_str() {
            "all" => Some(OrganizationSshKeys::All),
            "selective" => Some(OrganizationSshKeys::Selective {
                ssh_key_ids: self.chosen.get(),
            }),
            _ => None,
        }
    }

    /// Sets the choice from a request's value (a draft).
    pub fn set(&self, keys: Option<&OrganizationSshKeys>) {
        let (mode, chosen) = match keys {
            Some(OrganizationSshKeys::All) => ("all", Vec::new()),
            Some(OrganizationSshKeys::Selective { ssh_key_ids }) => {
                ("selective", ssh_key_ids.clone())
            }
            _ => ("none", Vec::new()),
        };
        self.mode.set(mode.into());
        self.chosen.set(chosen);
    }
}

impl Default for OrgKeys {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn OrgKeysField(
    keys: OrgKeys,
    /// The provider's 422 messages for `organization_ssh_keys`.
    #[prop(into)]
    errors: Signal<Vec<String>>,
) -> impl IntoView {
    let state = use_app();
    let list = LocalResource::new(move || {
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            let request = |p| list_org_ssh_keys(&account.token, p);
            Some(
                transport::send_every_page(&connection, &request, SSH_KEYS_PAGE_MAX)
                    .await
                    // A key that cannot be read is counted and said, not offered.
                    .map(cloudpane_api::Rows::<OrgSshKey>::from_values),
            )
        }
    });
    let radio = move |value: &'static str, label: &'static str| {
        view! {
            <label class="inline">
                <input type="radio" name="org-keys" value=value id=format!("org-keys-{value}")
                    prop:checked=move || keys.mode.with(|m| m == value)
                    on:change=move |_| keys.mode.set(value.into())/>
                {label}
            </label>
        }
    };
    view! {
        <fieldset class="org-keys" aria-describedby="org-keys-error">
            <legend>"The organization's SSH keys"</legend>
            {radio("none", "None")}
            {radio("all", "All of them")}
            {radio("selective", "Chosen keys")}
            <Show when=move || keys.mode.with(|m| m == "selective")>
                {move || match list.get() {
                    None | Some(None) => view! { <p class="loading"><span class="spinner" aria-hidden="true"></span>"Loading the organization's keys…"</p> }.into_any(),
                    Some(Some(Err(e))) => view! { <p class="form-error" role="alert">{format!("The organization's keys could not be listed: {e}")}</p> }.into_any(),
                    Some(Some(Ok(all))) if all.is_empty() => view! { <p class="muted">"The organization has no SSH keys yet. Add one under SSH keys, or paste a key below."</p> }.into_any(),
                    Some(Some(Ok(all))) => view! {
                        <ul class="key-choices">
                            {all.read.into_iter().map(|k| key_choice(keys, k)).collect_view()}
                        </ul>
                        {(!all.unreadable.is_empty()).then(|| view! {
                            <p class="help"><span aria-hidden="true">"⚠ "</span>{match all.unreadable.len() {
                                1 => "1 key could not be read and is not offered here: Voltage Park sent it in a shape the console does not read (SSH keys shows it).".to_string(),
                                n => format!("{n} keys could not be read and are not offered here: Voltage Park sent them in a shape the console does not read (SSH keys shows them)."),
                            }}</p>
                        })}
                    }.into_any(),
                }}
            </Show>
            <div id="org-keys-error">
                {move || errors.get().into_iter().map(|m| view! { <p class="field-error">{m}</p> }).collect_view()}
            </div>
        </fieldset>
    }
}

fn key_choice(keys: OrgKeys, key: OrgSshKey) -> impl IntoView {
    let fingerprint = parse_public_key(&key.content)
        .map(|k| format!("{} · {}", k.key_type.label(), k.fingerprint))
        .unwrap_or_else(|e| format!("not a valid key: {e}"));
    let id = key.id.clone();
    let checked = {
        let id = id.clone();
        move || keys.chosen.with(|c| c.contains(&id))
    };
    view! {
        <li>
            <label class="inline">
                <input type="checkbox" prop:checked=checked on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    keys.chosen.update(|c| {
                        c.retain(|x| x != &id);
                        if on { c.push(id.clone()); }
                    });
                }/>
                <span>{key.name}</span>
            </label>
            <code class="fingerprint">{fingerprint}</code>
        </li>
    }
}
