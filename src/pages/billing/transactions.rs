//! The billing log: filters by type (several) and date range, paging, all kept in the URL by
//! the page; charges and credits told apart by sign and word; the linked machine by name when
//! it still exists; the filtered transactions exported as CSV.

use cloudpane_api::billing::csv::transactions_csv;
use cloudpane_api::billing::filter::TransactionFilter;
use cloudpane_api::billing::{CivilDate, Direction, Entry, TypeFilter};
use cloudpane_api::calendar::utc_label;
use cloudpane_api::Provider;
use leptos::prelude::*;

use super::load::{load_all_transactions, load_transactions_page, Inventory};
use crate::components::download::download_text;
use crate::components::{ErrorPanel, Loading, NoAccount, UnreadableRows};
use crate::state::use_app;

#[component]
pub fn Transactions(
    filter: RwSignal<TransactionFilter>,
    #[prop(into)] inventory: Signal<Inventory>,
) -> impl IntoView {
    let state = use_app();
    let retry = RwSignal::new(0u32);
    let page = LocalResource::new(move || {
        retry.track();
        super::page::track_refresh();
        let f = filter.get();
        let connection = state.connection.get();
        let account = state.account_for(Provider::VoltagePark);
        async move {
            let (connection, account) = (connection?, account?);
            if f.problem().is_some() {
                return None;
            }
            Some(load_transactions_page(&connection, &account.token, &f).await)
        }
    });
    let export_status = RwSignal::new(String::new());
    let exporting = RwSignal::new(false);
    let export = move |_| {
        let f = filter.get_untracked();
        let (Some(connection), Some(account)) = (
            state.connection.get_untracked(),
            state.account_for(Provider::VoltagePark),
        ) else {
            return;
        };
        let inventory = inventory.get_untracked();
        exporting.set(true);
        export_status.set("Reading every matching transaction…".into());
        leptos::task::spawn_local(async move {
            let outcome = match load_all_transactions(&connection, &account.token, &f).await {
                Ok(rows) => {
                    let entries = rows.read;
                    let csv = transactions_csv(&entries, |l| inventory.name_of(l));
                    let left_out = match rows.unreadable.len() {
                        0 => String::new(),
                        1 => " 1 transaction that could not be read is not in it.".to_string(),
                        n => format!(" {n} transactions that could not be read are not in it."),
                    };
                    match download_text("transactions.csv", &csv, "text/csv") {
                        Ok(()) => format!(
                            "Exported {} to transactions.csv.{left_out}",
                            cloudpane_api::words::count(
                                entries.len(),
                                "transaction",
                                "transactions"
                            )
                        ),
                        Err(e) => format!(
                            "The file could not be made: {}",
                            cloudpane_api::words::full_stop(&e.to_string())
                        ),
                    }
                }
                Err(e) => format!(
                    "The transactions could not be read: {}",
                    cloudpane_api::words::full_stop(&e.to_string())
                ),
            };
            exporting.set(false);
            export_status.set(outcome);
        });
    };
    let set_date = move |which: &'static str, value: String| {
        let date = CivilDate::parse(&value);
        filter.update(|f| {
            match which {
                "from" => f.earliest = date,
                _ => f.latest = date,
            }
            f.page = 1;
        });
    };
    let go_to_page = move |n: u32| filter.update(|f| f.page = n.max(1));

    let list = move || match page.get() {
        None => view! { <Loading what="the transactions"/> }.into_any(),
        Some(None) if state.account_for(Provider::VoltagePark).is_none() => {
            view! { <NoAccount provider=Provider::VoltagePark/> }.into_any()
        }
        Some(None) => ().into_any(),
        Some(Some(Err(error))) => {
            view! { <ErrorPanel error on_retry=move |()| retry.update(|n| *n += 1)/> }.into_any()
        }
        Some(Some(Ok(answer))) => {
            let f = filter.get_untracked();
            let shown = answer.rows.len();
            let total = answer.total_result_count;
            let pages = TransactionFilter::page_count(total);
            let range = f.page_request().range_label(shown, total);
            let inventory = inventory.get();
            let rows: Vec<(Entry, Option<String>)> = answer
                .rows
                .read
                .iter()
                .map(|t| (t.entry(), t.note().map(str::to_string)))
                .collect();
            let unreadable = answer.rows.unreadable;
            let (has_previous, has_next) = (f.page > 1, answer.has_next);
            view! {
                <p class="row-count" id="transactions-count" role="status">
                    {format!("{range} transactions · page {} of {pages}", f.page)}
                </p>
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="transactions-title">
                    <table class="transactions">
                        <thead>
                            <tr>
                                <th scope="col">"Created"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"Charge or credit"</th>
                                <th scope="col" class="num">"Amount"</th>
                                <th scope="col">"For"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {if rows.is_empty() {
                                view! { <tr><td colspan="5" class="muted">"No transactions match."</td></tr> }.into_any()
                            } else {
                                rows.into_iter().map(|(e, note)| transaction_row(e, note, &inventory)).collect_view().into_any()
                            }}
                        </tbody>
                    </table>
                </div>
                <UnreadableRows rows=unreadable of="Transactions on this page"/>
                <nav class="pager" aria-label="Transaction pages">
                    <button type="button" disabled=!has_previous on:click=move |_| go_to_page(f.page - 1)>"← Newer"</button>
                    <button type="button" disabled=!has_next on:click=move |_| go_to_page(f.page + 1)>"Older →"</button>
                </nav>
            }
            .into_any()
        }
    };

    view! {
        <section class="billing-transactions" aria-labelledby="transactions-title">
            <h2 id="transactions-title">"Transactions"</h2>
            <form class="transaction-filters" on:submit=|ev| ev.prevent_default()>
                <fieldset>
                    <legend>"Type (none chosen: all)"</legend>
                    {TypeFilter::ALL.into_iter().map(|t| {
                        let id = format!("type-{}", t.query_value());
                        let label_for = id.clone();
                        view! {
                            <label for=label_for>
                                <input type="checkbox" id=id name="types" value=t.query_value()
                                    prop:checked=move || filter.with(|f| f.types.contains(&t))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        filter.update(|f| *f = f.with_type(t, on));
                                    }/>
                                {t.label()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <label for="transactions-from">"From"
                    <input type="date" id="transactions-from"
                        prop:value=move || filter.with(|f| f.earliest.map(|d| d.iso()).unwrap_or_default())
                        on:change=move |ev| set_date("from", event_target_value(&ev))/>
                </label>
                <label for="transactions-to">"To"
                    <input type="date" id="transactions-to"
                        prop:value=move || filter.with(|f| f.latest.map(|d| d.iso()).unwrap_or_default())
                        on:change=move |ev| set_date("to", event_target_value(&ev))/>
                </label>
                <button type="button" on:click=move |_| filter.set(TransactionFilter::default())>"Clear filters"</button>
                <button type="button" class="export" disabled=move || exporting.get() on:click=export>
                    "Export as CSV"
                </button>
            </form>
            {move || filter.with(TransactionFilter::problem).map(|p| view! {
                <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>{p}</p>
            })}
            <p class="muted export-status" role="status">{move || export_status.get()}</p>
            {list}
        </section>
    }
}

/// One transaction; `note` is the provider's note on it (`note_public`), shown under "For".
fn transaction_row(e: Entry, note: Option<String>, inventory: &Inventory) -> impl IntoView {
    let direction = e.amount.map(Direction::of);
    let linked = e.linked.as_ref().map(|l| {
        let label = inventory.label_of(l);
        match inventory.href_of(l) {
            Some(href) => {
                view! { <a href=crate::base_path::app_href(&href)>{label}</a> }.into_any()
            }
            None => view! { <span class="muted">{label}</span> }.into_any(),
        }
    });
    view! {
        <tr data-id=e.id.clone()>
            <td>{e.created.map(utc_label).unwrap_or_else(|| "—".into())}</td>
            <td>{e.kind.label()}</td>
            <td class=direction.map_or("", |d| if d == Direction::Charge { "charge" } else { "credit" })>
                {direction.map(|d| view! {
                    <span class="icon" aria-hidden="true">{d.icon()}" "</span>{d.label()}
                })}
            </td>
            <td class="num">{e.amount.map_or_else(|| "unknown".to_string(), |a| a.to_cents_string())}</td>
            <td>
                {match (linked, note) {
                    (Some(linked), Some(note)) => view! { {linked}<br/><span>{note}</span> }.into_any(),
                    (Some(linked), None) => linked,
                    (None, Some(note)) => view! { <span>{note}</span> }.into_any(),
                    (None, None) => view! { <span class="muted">"—"</span> }.into_any(),
                }}
            </td>
        </tr>
    }
}
