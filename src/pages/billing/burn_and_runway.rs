//! The hourly burn and what makes it up, the balance, and how long it lasts.

use cloudpane_api::billing::runway::{hold_now, under_hold, Runway};
use cloudpane_api::billing::CivilDate;
use cloudpane_api::machines::MachineState;
use cloudpane_api::Money;
use leptos::prelude::*;

use super::load::{local_offset_minutes, now_unix, Balance, Inventory};

/// One thing billed by the hour now.
#[derive(Debug, Clone, PartialEq)]
struct BurnPart {
    kind: &'static str,
    name: String,
    href: Option<String>,
    state: &'static str,
    hourly: Money,
}

/// What bills by the hour now: every machine that is not terminated and costs something (a
/// stopped VM still holds its resources), and every volume, dearest first.
fn burn_parts(inventory: &Inventory) -> Vec<BurnPart> {
    let mut parts: Vec<BurnPart> = inventory
        .machines
        .iter()
        .filter(|m| !m.is_terminated())
        .filter_map(|m| {
            let hourly = m.hourly.filter(|h| h.micros() > 0)?;
            Some(BurnPart {
                kind: m.kind.label(),
                name: m.name.clone(),
                href: Some(m.detail_path()),
                state: match m.state {
                    MachineState::Running => "Running",
                    MachineState::Stopped => "Stopped, still billed",
                    MachineState::StoppedReleased => "Stopped, storage billed",
                    MachineState::Pending => "Starting",
                    _ => "Other",
                },
                hourly,
            })
        })
        .collect();
    parts.extend(inventory.volumes.iter().filter_map(|v| {
        let hourly = v.rate_hourly.filter(|h| h.micros() > 0)?;
        Some(BurnPart {
            kind: "Volume",
            name: v.name.clone(),
            href: Some("/storage".into()),
            state: if v.status.as_deref() == Some("active") {
                "Active"
            } else {
                "Inactive"
            },
            hourly,
        })
    }));
    parts.sort_by(|a, b| b.hourly.cmp(&a.hourly).then(a.name.cmp(&b.name)));
    parts
}

#[component]
pub fn BurnAndRunway(
    balance: Balance,
    #[prop(into)] inventory: Signal<Inventory>,
) -> impl IntoView {
    let Balance { hourly, balance } = balance;
    let now = now_unix();
    let this_year = CivilDate::from_unix(now).year;
    let runway = balance.map(|b| Runway::of(b, hourly, now));
    let warn = balance.is_some_and(|b| under_hold(b, hourly));
    let runway_text = runway.map_or_else(
        || "unknown: this month's report gives no balance".to_string(),
        |r| r.sentence(local_offset_minutes(), this_year),
    );
    let runway_hours = runway.and_then(Runway::hours);
    let parts = move || burn_parts(&inventory.get());

    view! {
        <section class="billing-burn" aria-labelledby="burn-title">
            <h2 id="burn-title">"Burn and balance"</h2>
            <dl class="facts billing-figures">
                <dt>"Spending now"</dt>
                <dd id="burn-rate" data-micros=hourly.micros().to_string()>
                    {format!("{} per hour", hourly.to_rate_string())}
                    <span class="muted">{format!(" · {} per day", (hourly * 24).to_cents_string())}</span>
                </dd>
                <dt>"Balance"</dt>
                <dd id="balance" data-micros=balance.map(|b| b.micros().to_string()).unwrap_or_default()>
                    {balance.map_or_else(|| "Unknown".to_string(), Money::to_cents_string)}
                </dd>
                <dt>"Runway"</dt>
                <dd id="runway" class:warn=warn data-hours=runway_hours.map(|h| h.to_string()).unwrap_or_default()>
                    {warn.then(|| view! { <span class="icon" aria-hidden="true">"⚠ "</span> })}
                    {format!("The balance {runway_text}.")}
                </dd>
            </dl>
            {warn.then(|| view! {
                <p class="form-error" role="alert">
                    <span aria-hidden="true">"⚠ "</span>
                    {format!(
                        "Under two days left: a new deploy needs {} held (48 hours of the current rate), so Voltage Park would refuse it. Add funds to keep machines running.",
                        hold_now(hourly).to_cents_string()
                    )}
                </p>
            })}
            <p class="help">
                "The balance is this month's billing report's balance at period end: Voltage Park's API has no balance endpoint. The runway assumes today's rate holds; times are in your time zone."
            </p>
            <table class="burn-parts">
                <caption>"What makes up the hourly burn"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"State"</th>
                        <th scope="col" class="num">"Per hour"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let parts = parts();
                        if parts.is_empty() {
                            return view! {
                                <tr><td colspan="4" class="muted">"Nothing is billed by the hour, or the machines could not be listed."</td></tr>
                            }.into_any();
                        }
                        parts.into_iter().map(|p| view! {
                            <tr>
                                <th scope="row">{match p.href {
                                    Some(href) => view! { <a href=crate::base_path::app_href(&href)>{p.name}</a> }.into_any(),
                                    None => view! { <span>{p.name}</span> }.into_any(),
                                }}</th>
                                <td>{p.kind}</td>
                                <td>{p.state}</td>
                                <td class="num">{p.hourly.to_rate_string()}</td>
                            </tr>
                        }).collect_view().into_any()
                    }}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row" colspan="3">"Total (Voltage Park's hourly rate)"</th>
                        <td class="num">{hourly.to_rate_string()}</td>
                    </tr>
                </tfoot>
            </table>
        </section>
    }
}
