use cloudpane_api::netactuate::secrets::{short_time, SecretSummary};
use leptos::prelude::*;

use super::delete_secret_dialog::DeleteSecretDialog;
use super::last_read::LastRead;
use super::load::{count, load_secrets, netactuate};
use super::new_secret_form::NewSecretForm;
use super::update_secret_dialog::UpdateSecretDialog;
use super::value_source::ValueSource;
use crate::components::{keep_last_good, MaskedValue, UnreadableRows};

/// The account's flat secrets (Secrets Manager v3): names and dates, each value masked with
/// Reveal and Copy, Update value and Delete; and the form that creates one. Read again after
/// every change (a refusal included); a failed read keeps the rows last read, saying since when.
#[component]
pub fn SecretsSection() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let secrets = LocalResource::new(move || {
        reload.track();
        let na = netactuate();
        async move {
            let (c, token) = na?;
            Some(load_secrets(c, token).await)
        }
    });
    let last = keep_last_good(move || secrets.get().flatten());
    let known = Signal::derive(move || {
        last.with(|l| l.as_ref().map(|l| l.value.read.clone()).unwrap_or_default())
    });
    let after_change = Callback::new(move |()| reload.update(|n| *n += 1));
    let to_update = RwSignal::new(None::<SecretSummary>);
    let to_delete = RwSignal::new(None::<SecretSummary>);
    let outcome = RwSignal::new(None::<String>);

    let table = move || {
        if secrets.get().is_some_and(|s| s.is_none()) {
            return ().into_any();
        }
        let read = LastRead {
            read: secrets.get().flatten(),
            last: last.get(),
        };
        read.view("the secrets", after_change, move |rows| {
            let unreadable = Signal::stored(rows.unreadable);
            let all = rows.read;
            if all.is_empty() && unreadable.with_untracked(Vec::is_empty) {
                return view! {
                    <p class="empty" role="status">"The account has no secrets yet. Create one below."</p>
                }
                .into_any();
            }
            view! {
                <UnreadableRows rows=unreadable of="Secrets"/>
                <p class="row-count" role="status">{count(all.len(), "secret", "secrets")}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="secrets-caption">
                    <table class="data-table secrets">
                        <caption id="secrets-caption" class="visually-hidden">"The account's secrets"</caption>
                        <thead><tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Value"</th>
                            <th scope="col">"Created"</th>
                            <th scope="col">"Updated"</th>
                            <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                        </tr></thead>
                        <tbody>
                            {all.into_iter().map(|s| {
                                let (for_update, for_delete) = (s.clone(), s.clone());
                                view! {
                                    <tr>
                                        <th scope="row">{s.name.clone()}</th>
                                        <td><MaskedValue source=ValueSource::Secret { id: s.id.clone() }.for_masked_value() what=format!("the value of {}", s.name)/></td>
                                        <td>{short_time(s.created_at.as_deref())}</td>
                                        <td>{short_time(s.updated_at.as_deref())}</td>
                                        <td class="row-actions">
                                            <button type="button" aria-label=format!("Update the value of {}", s.name)
                                                on:click=move |_| {
                                                    outcome.set(None);
                                                    to_update.set(Some(for_update.clone()));
                                                }>"Update value"</button>
                                            " "
                                            <button type="button" class="danger" aria-label=format!("Delete {}", s.name)
                                                on:click=move |_| {
                                                    outcome.set(None);
                                                    to_delete.set(Some(for_delete.clone()));
                                                }>"Delete"</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        })
    };

    view! {
        <section class="secrets-section" aria-labelledby="secrets-title">
            <h2 id="secrets-title">"Secrets"</h2>
            <p class="help">"Named secrets (NetActuate Secrets Manager). The list never carries values: a value is read only when you reveal or copy it."</p>
            {table}
            {move || outcome.get().map(|m| view! { <p class="outcome ok" role="status"><span aria-hidden="true">"✓ "</span>{m}</p> })}
            <NewSecretForm existing=known on_sent=after_change/>
            <UpdateSecretDialog secret=to_update on_updated=Callback::new(move |said| {
                outcome.set(Some(said));
                after_change.run(());
            })/>
            <DeleteSecretDialog secret=to_delete on_deleted=Callback::new(move |said| {
                outcome.set(Some(said));
                after_change.run(());
            })/>
        </section>
    }
}
