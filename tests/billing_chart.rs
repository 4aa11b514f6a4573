//! Browser tests of the billing page's spending chart: one bar group per day of the month,
//! stacked by kind, its table holding the same figures, and the readout on hover and on
//! keyboard focus.

mod support;

use cloudpane::pages::billing::{day_readout, SpendingChart};
use cloudpane::state::AppState;
use cloudpane_api::billing::daily::{daily_spending, DailySpending};
use cloudpane_api::billing::{CivilDate, Entry, SpendKind, TransactionKind, YearMonth};
use cloudpane_api::Money;
use leptos::prelude::*;
use support::{find, mount, texts};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn charge(kind: TransactionKind, amount: &str, from: i64, hours: i64) -> Entry {
    Entry {
        id: format!("{kind:?}-{from}"),
        amount: Money::parse(amount),
        period_amount: None,
        created: Some(from),
        completed: Some(from + hours * 3600),
        kind,
        linked: None,
    }
}

/// November 2026: a VM all month, a bare-metal rental from the 10th, storage on some days, a
/// deposit (not spending) on the 1st.
fn november() -> DailySpending {
    let month = YearMonth::new(2026, 11).unwrap();
    let day = |d: u8| CivilDate::new(2026, 11, d).unwrap().start_unix();
    let mut entries = vec![charge(TransactionKind::Deposit, "5000", day(1), 0)];
    for d in 1..=30 {
        entries.push(charge(TransactionKind::VmCharge, "-50.4", day(d), 24));
        if d >= 10 {
            entries.push(charge(
                TransactionKind::BareMetalCharge,
                "-844.8",
                day(d),
                24,
            ));
        }
        if d % 3 == 0 {
            entries.push(charge(TransactionKind::StorageCharge, "-2.4", day(d), 24));
        }
    }
    daily_spending(&entries, month)
}

fn attr(el: &web_sys::Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

fn all(host: &web_sys::HtmlElement, css: &str) -> Vec<web_sys::Element> {
    let list = host.query_selector_all(css).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

#[wasm_bindgen_test]
async fn one_bar_group_per_day_and_the_table_matches() {
    let spending = november();
    let expected = spending.clone();
    let (host, _mounted) = mount(AppState::new(), move || view! { <SpendingChart spending/> });
    leptos::task::tick().await;

    let groups = all(&host, "svg.chart g.day");
    assert_eq!(groups.len(), 30, "one bar group per day of November");
    let rows = all(&host, "table.spending-table tbody tr");
    assert_eq!(rows.len(), 30, "one table row per day");

    for (i, day) in expected.days.iter().enumerate() {
        let iso = day.date.iso();
        assert_eq!(attr(&groups[i], "data-date"), iso);
        assert_eq!(attr(&rows[i], "data-date"), iso);
        // The bars drawn are the kinds spent that day, and nothing else.
        let drawn: Vec<String> = all(&host, &format!("g.day[data-date='{iso}'] rect.bar"))
            .iter()
            .map(|r| attr(r, "data-kind"))
            .collect();
        let spent: Vec<&str> = SpendKind::ALL
            .iter()
            .filter(|k| day.of(**k).micros() > 0)
            .map(|k| k.slug())
            .collect();
        assert_eq!(drawn, spent, "{iso}");
        // The row holds the same figures, to the cent.
        let cells = texts(&host, &format!("tr[data-date='{iso}'] td"));
        let mut want: Vec<String> = SpendKind::ALL
            .iter()
            .map(|k| day.of(*k).to_cents_string())
            .collect();
        want.push(day.total().to_cents_string());
        assert_eq!(cells, want, "{iso}");
    }
    // Spot values: the 12th holds a VM day, a bare-metal day and a storage day.
    assert_eq!(
        texts(&host, "tr[data-date='2026-11-12'] td"),
        ["$50.40", "$844.80", "$2.40", "$897.60"]
    );
    assert_eq!(
        texts(&host, "table.spending-table tfoot td"),
        ["$1512.00", "$17740.80", "$24.00", "$19276.80"]
    );

    // Taller total, taller stack: the 12th's stack is taller than the 1st's.
    let height = |iso: &str| -> f64 {
        all(&host, &format!("g.day[data-date='{iso}'] rect.bar"))
            .iter()
            .map(|r| attr(r, "height").parse::<f64>().unwrap())
            .sum()
    };
    assert!(height("2026-11-12") > height("2026-11-01") * 10.0);
    // Axes carry their units.
    let titles = texts(&host, "svg.chart text.axis-title");
    assert!(
        titles.contains(&"US dollars per day".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Day of November 2026 (UTC)".to_string()),
        "{titles:?}"
    );
    // Every kind is named in the legend with its pattern.
    let legend = texts(&host, ".chart-legend li");
    assert_eq!(
        legend,
        ["VMs (solid)", "Bare metal (striped)", "Storage (dotted)"]
    );

    host.remove();
}

#[wasm_bindgen_test]
async fn the_readout_follows_the_pointer_and_the_arrow_keys() {
    let spending = november();
    let expected = spending.clone();
    let (host, _mounted) = mount(AppState::new(), move || view! { <SpendingChart spending/> });
    leptos::task::tick().await;
    let readout = || find::<web_sys::HtmlElement>(&host, ".chart-readout").inner_text();
    assert!(readout().starts_with("Point at a day"), "{}", readout());

    // Hovering the 12th.
    let g12: web_sys::Element = find(&host, "g.day[data-date='2026-11-12']");
    g12.dispatch_event(&web_sys::Event::new("mouseenter").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(readout(), day_readout(&expected.days[11]));
    assert!(readout().contains("Bare metal $844.80"), "{}", readout());
    assert!(g12.class_list().contains("selected"));

    // The keyboard: one day on, then the last day.
    let chart: web_sys::HtmlElement = find(&host, "svg.chart");
    let press = js_sys::Function::new_with_args(
        "el, key",
        "el.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true}))",
    );
    let key = |k: &str| {
        press
            .call2(&wasm_bindgen::JsValue::NULL, &chart, &k.into())
            .unwrap();
    };
    key("ArrowRight");
    leptos::task::tick().await;
    assert_eq!(readout(), day_readout(&expected.days[12]));
    key("End");
    leptos::task::tick().await;
    assert!(readout().starts_with("Nov 30:"), "{}", readout());
    key("ArrowLeft");
    leptos::task::tick().await;
    assert!(readout().starts_with("Nov 29:"), "{}", readout());
    assert_eq!(
        attr(&chart, "tabindex"),
        "0",
        "the chart takes keyboard focus"
    );

    host.remove();
}
