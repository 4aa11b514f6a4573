//! The chosen month's spending beside the month before, by kind and in total.

use cloudpane_api::billing::compare::compare_months;
use cloudpane_api::billing::daily::DailySpending;
use leptos::prelude::*;

#[component]
pub fn MonthCompare(this: DailySpending, previous: DailySpending) -> impl IntoView {
    let rows = compare_months(&this, &previous);
    let (now_label, before_label) = (this.month.label(), previous.month.label());
    view! {
        <table class="month-compare">
            <caption>{format!("{now_label} compared with {before_label}")}</caption>
            <thead>
                <tr>
                    <th scope="col">"Kind"</th>
                    <th scope="col" class="num">{now_label.clone()}</th>
                    <th scope="col" class="num">{before_label}</th>
                    <th scope="col" class="num">"Change"</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|row| {
                    let icon = match row.direction_word() {
                        "up" => "▲",
                        "down" => "▼",
                        _ => "=",
                    };
                    let diff = row.difference();
                    let sign = if diff.micros() > 0 { "+" } else { "" };
                    let is_total = row.kind.is_none();
                    view! {
                        <tr class:total=is_total>
                            <th scope="row">{row.kind.map_or("Total", |k| k.label())}</th>
                            <td class="num">{row.this_month.to_cents_string()}</td>
                            <td class="num">{row.previous_month.to_cents_string()}</td>
                            <td class="num">
                                <span aria-hidden="true">{icon}" "</span>
                                {format!("{} {sign}{} ({})", row.direction_word(), diff.to_cents_string(), row.percent_label())}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
