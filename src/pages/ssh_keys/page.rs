use cloudpane_api::voltagepark::ssh_keys::{
    key_rows, list_org_ssh_keys, OrgKeyRow, OrgSshKey, SSH_KEYS_PAGE_MAX,
};
use cloudpane_api::{ApiError, Provider, Rows};
use leptos::prelude::*;

use super::add_keys_form::AddKeysForm;
use super::delete_key_dialog::DeleteKeyDialog;
use super::key_table::KeyTable;
use crate::components::{
    keep_last_good, ErrorPanel, Freshness, Loading, NoAccount, PageHeader, RefreshLine,
    StaleNotice, UnreadableRows,
};
use crate::state::use_app;
use crate::transport;

/// Every key of the organization (all pages of the list), those that could not be read apart.
pub(super) async fn load_keys(
    connection: crate::state::Connection,
    token: String,
) -> Result<Rows<OrgSshKey>, ApiError> {
    let request = |p| list_org_ssh_keys(&token, p);
    let all = transport::send_every_page(&connection, &request, SSH_KEYS_PAGE_MAX).await?;
    Ok(Rows::from_values(all))
}

#[component]
pub fn SshKeysPage() -> impl IntoView {
    let state = use_app();
    let reload = RwSignal::new(0u32);
    let freshness = Freshness::new();
    let keys = LocalResource::new(move || {
        reload.track();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            freshness.started();
            let read = load_keys(connection, account.token).await;
            freshness.arrived(&read);
            Some(read)
        }
    });
    let query = RwSignal::new(String::new());
    let to_delete = RwSignal::new(None::<OrgKeyRow>);
    let after_change = Callback::new(move |()| reload.update(|n| *n += 1));

    // A failed refresh keeps the keys last read, saying since when and why (issue 26 item 8).
    let last = keep_last_good(move || keys.get().flatten());
    // The last list read, for the add form's duplicate checks while a reload is under way.
    let known = Signal::derive(move || {
        last.with(|l| l.as_ref().map(|l| l.value.read.clone()).unwrap_or_default())
    });
    let table = move |Rows {
                          read: all,
                          unreadable,
                      }: Rows<OrgSshKey>| {
        let total = all.len();
        let rows = Signal::derive(move || query.with(|q| key_rows(&all, q)));
        view! {
            <div class="table-controls key-search">
                <label for="key-search">"Search by name or fingerprint"</label>
                <input id="key-search" type="search" autocomplete="off" spellcheck="false"
                    placeholder="e.g. laptop or SHA256:XrNw…"
                    bind:value=query aria-describedby="key-count"/>
                <span id="key-count" class="row-count" role="status">
                    {move || {
                        let shown = rows.with(Vec::len);
                        match (shown, total) {
                            (_, 0) => "The organization has no SSH keys yet.".to_string(),
                            (s, t) if s == t => cloudpane_api::words::count(t, "key", "keys"),
                            (s, t) => format!("{s} of {t} keys match"),
                        }
                    }}
                </span>
            </div>
            <KeyTable rows on_delete=Callback::new(move |row| to_delete.set(Some(row)))/>
            <UnreadableRows rows=unreadable of="SSH keys"/>
        }
        .into_any()
    };
    let list = move || match keys.get() {
        None => view! { <Loading what="the organization's SSH keys"/> }.into_any(),
        Some(None) => view! { <NoAccount provider=Provider::VoltagePark/> }.into_any(),
        Some(Some(Err(error))) => match last.get() {
            Some(good) => view! {
                <StaleNotice what="the SSH keys" as_of=good.as_of error on_retry=after_change/>
                {table(good.value)}
            }
            .into_any(),
            None => view! { <ErrorPanel error on_retry=after_change/> }.into_any(),
        },
        Some(Some(Ok(rows))) => table(rows),
    };

    view! {
        <section class="ssh-keys-page">
            <PageHeader acting_as=Provider::VoltagePark title="SSH keys"
                summary="Voltage Park keys the organization can put on new machines. Fingerprints are computed here, as ssh-keygen -lf prints them."/>
            <RefreshLine freshness what="the SSH keys" on_refresh=after_change/>
            {list}
            <AddKeysForm existing=known on_added=after_change/>
            <DeleteKeyDialog key=to_delete on_deleted=after_change/>
        </section>
    }
}
