use cloudpane_api::Provider;
use leptos::prelude::*;

use crate::accounts::Account;
use crate::components::PageHeader;
use crate::state::use_app;

/// The provider accounts: add one with its token, see which is in use, forget one.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let state = use_app();
    view! {
        <PageHeader title="Accounts" summary="Tokens stay in this browser tab's memory and are sent only to the provider, through the proxy."/>
        <table class="data-table">
            <caption class="visually-hidden">"Provider accounts"</caption>
            <thead>
                <tr>
                    <th scope="col">"Provider"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Token"</th>
                    <th scope="col">"In use"</th>
                    <th scope="col">"VM login name"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=move || state.accounts.all() key=|a| a.id let:account>
                    <AccountRow account/>
                </For>
            </tbody>
        </table>
        <AddAccountForm/>
    }
}

#[component]
fn AccountRow(account: Account) -> impl IntoView {
    let state = use_app();
    let revealed = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let (id, provider) = (account.id, account.provider);
    let masked = account.masked_token();
    let token = account.token.clone();
    let name = account.name.clone();
    let active = move || state.accounts.active(provider).is_some_and(|a| a.id == id);
    view! {
        <tr>
            <td>{provider.display_name()}</td>
            <td>{account.name.clone()}</td>
            <td>
                <code class="secret">{move || if revealed.get() { token.clone() } else { masked.clone() }}</code>
                " "
                <button type="button" class="link" aria-pressed=move || revealed.get().to_string()
                    on:click=move |_| revealed.update(|r| *r = !*r)>
                    {move || if revealed.get() { "Hide" } else { "Reveal" }}
                </button>
            </td>
            <td>
                <Show when=active fallback=move || view! {
                    <button type="button" class="link" on:click=move |_| state.accounts.set_active(provider, id)>"Use"</button>
                }>
                    <span><span aria-hidden="true">"✓ "</span>"In use"</span>
                </Show>
            </td>
            <td>
                {(provider == Provider::VoltagePark).then(|| view! { <VmLoginCell account=account.clone()/> })}
            </td>
            <td>
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" on:click=move |_| confirming.set(true)>"Forget"</button>
                }>
                    <span role="alert">{format!("Forget the {} account \u{201c}{}\u{201d} and its token? ", provider.display_name(), name)}</span>
                    <button type="button" class="danger" on:click=move |_| state.accounts.remove(id)>"Forget account"</button>
                    <button type="button" on:click=move |_| confirming.set(false)>"Keep"</button>
                </Show>
            </td>
        </tr>
    }
}

/// The login name for an account's VMs: Voltage Park's API does not give one.
#[component]
fn VmLoginCell(account: Account) -> impl IntoView {
    let state = use_app();
    let id = account.id;
    let value = RwSignal::new(account.vm_login.clone().unwrap_or_default());
    let saved = RwSignal::new(false);
    let input_id = format!("vm-login-{id}");
    view! {
        <form class="inline-form" on:submit=move |ev| {
            ev.prevent_default();
            state.accounts.set_vm_login(id, &value.get_untracked());
            saved.set(true);
        }>
            <label for=input_id.clone() class="visually-hidden">{format!("VM login name for {}", account.name)}</label>
            <input id=input_id type="text" size="10" placeholder=cloudpane_api::machines::DEFAULT_VM_USER
                bind:value=value on:input=move |_| saved.set(false)/>
            " "
            <button type="submit">"Save"</button>
            {move || saved.get().then(|| view! { <span role="status">" ✓ Saved"</span> })}
        </form>
    }
}

#[component]
fn AddAccountForm() -> impl IntoView {
    let state = use_app();
    let provider = RwSignal::new(Provider::VoltagePark.slug().to_string());
    let name = RwSignal::new(String::new());
    let token = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(&'static str, &'static str)>::new());
    let error_for = move |field: &'static str| {
        move || {
            errors.with(|e| {
                e.iter().find(|(f, _)| *f == field).map(
                    |(_, m)| view! { <p class="field-error" id=format!("{field}-error")>{*m}</p> },
                )
            })
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        if name.get_untracked().trim().is_empty() {
            problems.push((
                "account-name",
                "Give the account a name, such as prod or research.",
            ));
        }
        if token.get_untracked().trim().is_empty() {
            problems.push(("account-token", "Paste the provider's API token."));
        }
        let parsed = provider.get_untracked().parse::<Provider>();
        if problems.is_empty() {
            if let Ok(p) = parsed {
                state
                    .accounts
                    .add(p, &name.get_untracked(), &token.get_untracked());
                name.set(String::new());
                token.set(String::new());
            }
        }
        errors.set(problems);
    };
    view! {
        <form class="form" on:submit=submit novalidate>
            <h2>"Add an account"</h2>
            <label for="account-provider">"Provider"</label>
            <select id="account-provider" bind:value=provider>
                {Provider::ALL.iter().map(|p| view! { <option value=p.slug()>{p.display_name()}</option> }).collect_view()}
            </select>
            <label for="account-name">"Name"</label>
            <input id="account-name" type="text" bind:value=name aria-describedby="account-name-help"/>
            <p id="account-name-help" class="help">"How you tell this account apart, e.g. prod."</p>
            {error_for("account-name")}
            <label for="account-token">"API token"</label>
            <input id="account-token" type="password" autocomplete="off" bind:value=token aria-describedby="account-token-help"/>
            <p id="account-token-help" class="help">"Kept in memory only; gone when you close the tab."</p>
            {error_for("account-token")}
            <button type="submit">"Add account"</button>
        </form>
    }
}
