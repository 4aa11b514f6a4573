use cloudpane_api::machines::AccountListing;
use leptos::prelude::*;

use super::fleet::Fleet;
use crate::components::{clock_time, StaleNotice, UnreadableRows};

/// For each account with a list that could not be read: which provider, account and list, why
/// in the provider's words, and Retry. A list that answered before keeps its rows, marked with
/// the time of that answer; the other lists' rows stay. A listed item that could not be read as
/// a machine is shown apart, by name or id with its JSON on request; the others are in the table.
#[component]
pub fn AccountFailures() -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let troubled = move || {
        fleet.accounts.with(|all| {
            all.iter()
                .filter(|a| {
                    a.lists
                        .iter()
                        .any(|(_, s)| s.error().is_some() || !s.unreadable().is_empty())
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        {move || troubled().into_iter().map(|listing| view! { <ListProblems listing/> }).collect_view()}
    }
}

#[component]
fn ListProblems(listing: AccountListing) -> impl IntoView {
    let fleet = expect_context::<Fleet>();
    let id = listing.account.id;
    let retry = Callback::new(move |()| fleet.refresh_account(id));
    let mut never_listed = Vec::new();
    let mut stale = Vec::new();
    for (list, state) in &listing.lists {
        let Some(error) = state.error() else { continue };
        match state.stale_since() {
            None => never_listed.push(format!("Its {} could not be listed: {error}", list.label())),
            Some(at) => stale.push((listing.list_title(*list), clock_time(at), error.clone())),
        }
    }
    let unreadable: Vec<_> = listing
        .unreadable()
        .map(|(list, rows)| (listing.list_title(list), rows.to_vec()))
        .collect();
    view! {
        {unreadable.into_iter().map(|(of, rows)| view! {
            <UnreadableRows rows of/>
        }).collect_view()}
        {(!never_listed.is_empty()).then(|| view! {
            <div class="account-failure" role="alert">
                <span aria-hidden="true">"⚠ "</span>
                <strong>{format!("{}: ", listing.title())}</strong>
                {never_listed.join(" ")}
                " "
                <button type="button" on:click=move |_| retry.run(())>
                    {format!("Retry {}", listing.account.name)}
                </button>
            </div>
        })}
        {stale.into_iter().map(|(what, as_of, error)| view! {
            <StaleNotice what as_of error on_retry=retry/>
        }).collect_view()}
    }
}
