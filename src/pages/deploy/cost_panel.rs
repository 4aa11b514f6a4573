//! The live cost estimate beside a deploy form: $/hour, $/day, $/30 days and the hold, and
//! against the organization's balance what is left after the hold and how long it lasts.

use cloudpane_api::estimate::{check_balance, cost_estimate, runway_text};
use cloudpane_api::voltagepark::billing::{hourly_rate, monthly_report, HourlyRate, MonthlyReport};
use cloudpane_api::{ApiError, Money, Provider};
use leptos::prelude::*;

use crate::state::use_app;
use crate::transport;

/// The organization's current $/hour and its balance (when the report gives one).
type RateAndBalance = Result<(Money, Option<Money>), ApiError>;

/// What the organization spends per hour now and its balance, read once per form.
#[derive(Clone, Copy)]
pub struct Billing {
    read: LocalResource<Option<RateAndBalance>>,
}

impl Billing {
    pub fn load() -> Self {
        let state = use_app();
        let read = LocalResource::new(move || {
            let connection = state.connection.get();
            let account = state.account_for(Provider::VoltagePark);
            async move {
                let (connection, account) = (connection?, account?);
                let now = js_sys::Date::new_0();
                let (year, month) = (
                    now.get_utc_full_year() as u16,
                    now.get_utc_month() as u8 + 1,
                );
                let (rate, report) = futures::future::join(
                    transport::send::<HourlyRate>(&connection, &hourly_rate(&account.token)),
                    transport::send::<MonthlyReport>(
                        &connection,
                        &monthly_report(&account.token, year, month),
                    ),
                )
                .await;
                Some(rate.and_then(|r| report.map(|rep| (r.rate_hourly, rep.balance()))))
            }
        });
        Billing { read }
    }
}

#[component]
pub fn CostPanel(
    /// The new machine's $/hour; `None` while the form cannot price it yet.
    #[prop(into)]
    hourly: Signal<Option<Money>>,
    billing: Billing,
) -> impl IntoView {
    let read = billing.read;
    view! {
        <aside class="cost-panel" aria-labelledby="cost-title">
            <h2 id="cost-title">"Cost"</h2>
            {move || match hourly.get() {
                None => view! { <p class="muted">"Choose what to deploy to see its price."</p> }.into_any(),
                Some(rate) => {
                    let e = cost_estimate(rate);
                    view! {
                        <dl class="facts cost" aria-live="polite">
                            <dt>"Per hour"</dt><dd>{e.per_hour.to_rate_string()}</dd>
                            <dt>"Per day"</dt><dd>{e.per_day.to_cents_string()}</dd>
                            <dt>"Per 30 days"</dt><dd>{e.per_30_days.to_cents_string()}</dd>
                            <dt>"Held when deployed"</dt><dd>{e.hold.to_cents_string()}" (48 hours)"</dd>
                        </dl>
                        {move || match read.get() {
                            None | Some(None) => view! { <p class="loading"><span class="spinner" aria-hidden="true"></span>"Reading the balance…"</p> }.into_any(),
                            Some(Some(Err(err))) => view! { <p class="muted">{format!("The balance could not be read ({err}); the hold above still applies.")}</p> }.into_any(),
                            Some(Some(Ok((_, None)))) => view! { <p class="muted">"This month's report gives no balance; the hold above still applies."</p> }.into_any(),
                            Some(Some(Ok((current, Some(balance))))) => balance_view(balance, current, rate).into_any(),
                        }}
                    }
                    .into_any()
                }
            }}
        </aside>
    }
}

fn balance_view(balance: Money, current: Money, rate: Money) -> impl IntoView {
    let check = check_balance(balance, current, rate);
    let runway = check.runway_hours.map_or("—".to_string(), runway_text);
    view! {
        <dl class="facts cost">
            <dt>"Balance"</dt><dd>{balance.to_cents_string()}</dd>
            <dt>"Running now"</dt><dd>{format!("{} per hour", current.to_rate_string())}</dd>
            <dt>"Needed to deploy"</dt><dd>{format!("{} (48 hours of {} per hour)", check.needed.to_cents_string(), check.total_hourly.to_rate_string())}</dd>
            <dt>"Left after the hold"</dt><dd>{check.left_after_hold.to_cents_string()}</dd>
            <dt>"Balance lasts"</dt><dd>{runway}" with this machine added"</dd>
        </dl>
        <p class="help">"The balance is this month's billing report's balance at period end: Voltage Park's API has no balance endpoint."</p>
        {check.shortfall().map(|short| view! {
            <p class="form-error" role="alert"><span aria-hidden="true">"⚠ "</span>
                {format!("The balance does not cover the hold: add at least {} first, or Voltage Park will refuse the deploy (Insufficient balance).", short.to_cents_string())}
            </p>
        })}
    }
}
