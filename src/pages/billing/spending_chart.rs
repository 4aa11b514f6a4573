//! A month's spending by day, stacked by kind, drawn as SVG: dollar and day axes, a readout
//! for the day under the pointer or chosen with the arrow keys, kinds told apart by pattern and
//! label as well as colour, and the same figures as a table.

use cloudpane_api::billing::daily::{axis_step, DailySpending, DaySpend};
use cloudpane_api::billing::SpendKind;
use cloudpane_api::Money;
use leptos::prelude::*;

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 52.0;

/// The id of a kind's fill pattern (shared by the bars and the legend's swatches).
fn pattern_id(kind: SpendKind) -> String {
    format!("spend-fill-{}", kind.slug())
}

/// One day in words: `Nov 5: VMs $12.00, Bare metal $844.80, Storage $0.00; total $856.80`.
pub fn day_readout(day: &DaySpend) -> String {
    let parts: Vec<String> = SpendKind::ALL
        .iter()
        .map(|k| format!("{} {}", k.label(), day.of(*k).to_cents_string()))
        .collect();
    format!(
        "{}: {}; total {}",
        day.date.short_label(),
        parts.join(", "),
        day.total().to_cents_string()
    )
}

/// An axis label: whole dollars when the amount is (`$1500`), else cents (`$0.25`).
fn tick_label(amount: Money) -> String {
    if amount.micros() % 1_000_000 == 0 {
        format!("${}", amount.micros() / 1_000_000)
    } else {
        amount.to_cents_string()
    }
}

/// A pixel height for `amount` on a scale whose top is `top` (floats only for drawing).
fn pixels(amount: Money, top: Money, plot_height: f64) -> f64 {
    if top.micros() <= 0 {
        return 0.0;
    }
    (amount.micros().max(0) as f64 / top.micros() as f64) * plot_height
}

#[component]
pub fn SpendingChart(spending: DailySpending) -> impl IntoView {
    let month = spending.month;
    let days = spending.days.clone();
    let count = days.len().max(1);
    let (step, steps) = axis_step(spending.largest_day());
    let top = step * steps;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / count as f64;
    let bar_w = slot * 0.72;
    let selected = RwSignal::new(None::<usize>);
    let readouts: Vec<String> = days.iter().map(day_readout).collect();
    let last = count - 1;

    let grid = (0..=steps)
        .map(|i| {
            let y = TOP + plot_h - plot_h * f64::from(i) / f64::from(steps);
            let label = tick_label(step * i);
            view! {
                <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y></line>
                <text class="tick y" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{label}</text>
            }
        })
        .collect_view();

    let bars = days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let x = LEFT + slot * i as f64 + (slot - bar_w) / 2.0;
            let mut base = TOP + plot_h;
            let rects = SpendKind::ALL
                .iter()
                .filter(|k| day.of(**k).micros() > 0)
                .map(|k| {
                    let h = pixels(day.of(*k), top, plot_h);
                    base -= h;
                    view! {
                        <rect class=format!("bar {}", k.slug()) data-kind=k.slug()
                            x=x y=base width=bar_w height=h
                            fill=format!("url(#{})", pattern_id(*k))></rect>
                    }
                })
                .collect_view();
            let show_label = i == 0 || (i + 1) % 5 == 0 || i == last;
            let label_x = LEFT + slot * (i as f64 + 0.5);
            view! {
                <g class="day" data-date=day.date.iso()
                    class:selected=move || selected.get() == Some(i)
                    on:mouseenter=move |_| selected.set(Some(i))>
                    <rect class="hit" x=LEFT + slot * i as f64 y=TOP width=slot height=plot_h></rect>
                    {rects}
                    <rect class="focus-ring" x=x - 2.0 y=TOP width=bar_w + 4.0 height=plot_h></rect>
                    {show_label.then(|| view! {
                        <text class="tick x" x=label_x y=TOP + plot_h + 16.0 text-anchor="middle">
                            {day.date.day.to_string()}
                        </text>
                    })}
                </g>
            }
        })
        .collect_view();

    let on_key = move |ev: web_sys::KeyboardEvent| {
        let current = selected.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowUp" => Some(current.map_or(0, |i| (i + 1).min(last))),
            "ArrowLeft" | "ArrowDown" => Some(current.map_or(last, |i| i.saturating_sub(1))),
            "Home" => Some(0),
            "End" => Some(last),
            _ => None,
        };
        if let Some(next) = next {
            ev.prevent_default();
            selected.set(Some(next));
        }
    };
    let first_spending_day = days.iter().rposition(|d| d.total().micros() > 0);
    let on_focus = move |_| {
        if selected.get_untracked().is_none() {
            selected.set(Some(first_spending_day.unwrap_or(0)));
        }
    };
    let readout = move || match selected.get() {
        Some(i) => readouts.get(i).cloned().unwrap_or_default(),
        None => "Point at a day, or focus the chart and use the arrow keys, to read its spending."
            .to_string(),
    };
    let title_id = format!("spending-chart-title-{}", month.iso());
    let x_title = format!("Day of {} (UTC)", month.label());

    view! {
            <figure class="spending-chart">
                <figcaption id=title_id.clone()>{format!("Spending by day, {}", month.label())}</figcaption>
                <ul class="chart-legend" aria-label="Kinds of spending">
                    {SpendKind::ALL.iter().map(|k| view! {
                        <li>
                            <svg class="swatch" width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">
                                <rect width="18" height="14" fill=format!("url(#{})", pattern_id(*k))></rect>
                            </svg>
                            {format!("{} ({})", k.label(), match k {
                                SpendKind::Vms => "solid",
                                SpendKind::BareMetal => "striped",
                                SpendKind::Storage => "dotted",
                            })}
                        </li>
                    }).collect_view()}
                </ul>
                <svg class="chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="xMidYMid meet"
                    role="img" tabindex="0" aria-labelledby=title_id
                    aria-describedby="spending-readout"
                    on:keydown=on_key on:focus=on_focus
    >
                    <defs>
                        <pattern id=pattern_id(SpendKind::Vms) width="8" height="8" patternUnits="userSpaceOnUse">
                            <rect class="fill vms" width="8" height="8"></rect>
                        </pattern>
                        <pattern id=pattern_id(SpendKind::BareMetal) width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <rect class="fill bare-metal" width="8" height="8"></rect>
                            <line class="stripe" x1="0" y1="0" x2="0" y2="8"></line>
                        </pattern>
                        <pattern id=pattern_id(SpendKind::Storage) width="6" height="6" patternUnits="userSpaceOnUse">
                            <rect class="fill storage" width="6" height="6"></rect>
                            <circle class="dot" cx="3" cy="3" r="1.3"></circle>
                        </pattern>
                    </defs>
                    {grid}
                    <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=TOP + plot_h></line>
                    <line class="axis" x1=LEFT x2=WIDTH - RIGHT y1=TOP + plot_h y2=TOP + plot_h></line>
                    <text class="axis-title" transform=format!("translate(14 {}) rotate(-90)", TOP + plot_h / 2.0)
                        text-anchor="middle">"US dollars per day"</text>
                    <text class="axis-title" x=LEFT + plot_w / 2.0 y=HEIGHT - 8.0 text-anchor="middle">{x_title}</text>
                    {bars}
                </svg>
                <p id="spending-readout" class="chart-readout" aria-live="polite">{readout}</p>
            </figure>
            <SpendingTable spending/>
        }
}

/// The chart's figures as a table: one row per day, a column per kind, and the month's totals.
#[component]
fn SpendingTable(spending: DailySpending) -> impl IntoView {
    let totals: Vec<Money> = SpendKind::ALL
        .iter()
        .map(|k| spending.total_of(*k))
        .collect();
    let total = spending.total();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Spending by day as a table">
            <table class="spending-table">
                <caption>{format!("Spending by day, {} (the chart's figures)", spending.month.label())}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Day"</th>
                        {SpendKind::ALL.iter().map(|k| view! { <th scope="col" class="num">{k.label()}</th> }).collect_view()}
                        <th scope="col" class="num">"Total"</th>
                    </tr>
                </thead>
                <tbody>
                    {spending.days.iter().map(|d| view! {
                        <tr data-date=d.date.iso()>
                            <th scope="row"><time datetime=d.date.iso()>{d.date.short_label()}</time></th>
                            {SpendKind::ALL.iter().map(|k| view! { <td class="num">{d.of(*k).to_cents_string()}</td> }).collect_view()}
                            <td class="num">{d.total().to_cents_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
                <tfoot>
                    <tr>
                        <th scope="row">"Month"</th>
                        {totals.into_iter().map(|t| view! { <td class="num">{t.to_cents_string()}</td> }).collect_view()}
                        <td class="num">{total.to_cents_string()}</td>
                    </tr>
                </tfoot>
            </table>
        </div>
    }
}
