//! The billing page end to end, through the real proxy and sandbox in headless Chromium: the
//! burn and the balance are what the sandbox reports, a day later the runway is shorter by that day,
//! the transactions filter lives in the URL and exports as CSV, and axe finds nothing.

use cloudpane_api::billing::YearMonth;
use cloudpane_api::calendar::parse_rfc3339;
use cloudpane_api::estimate::runway_text;
use cloudpane_api::Money;
use cloudpane_e2e::{
    sandbox_admin, sandbox_requests, sandbox_voltagepark, start_demo_proxy, start_sandbox_with,
    Browser, WAIT,
};
use fantoccini::Locator;
use serde_json::{json, Value};

const TRANSACTIONS: &str = "/voltagepark/api/v1/billing/transactions";

/// What the sandbox itself says: the hourly rate and this month's balance (its month, by its
/// clock).
async fn sandbox_burn_and_balance(sandbox_url: &str) -> (Money, Money) {
    let clock = sandbox_admin(sandbox_url, reqwest::Method::GET, "/clock", None).await;
    let now = parse_rfc3339(clock["now"].as_str().unwrap()).unwrap();
    let month = YearMonth::from_unix(now);
    let rate = sandbox_voltagepark(sandbox_url, "/api/v1/billing/hourly-rate").await;
    let report = sandbox_voltagepark(
        sandbox_url,
        &format!(
            "/api/v1/billing/reports/{}/{}/transactions",
            month.year, month.month
        ),
    )
    .await;
    let money = |v: &Value| Money::parse(v.as_str().unwrap()).unwrap();
    (
        money(&rate["rate_hourly"]),
        money(&report["balance_at_period_end"]),
    )
}

async fn attribute(browser: &Browser, css: &str, name: &str) -> String {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .attr(name)
        .await
        .unwrap()
        .unwrap_or_default()
}

fn assert_accessible(report: cloudpane_e2e::AxeReport, what: &str) {
    assert!(
        report.passes > 10,
        "{what}: axe ran only {} rules",
        report.passes
    );
    assert!(
        report.violations.is_empty(),
        "{what}: accessibility violations:\n{}",
        report.violations.join("\n")
    );
}

/// Waits for the runway figure and returns its whole hours.
async fn runway_hours(browser: &Browser) -> u64 {
    browser
        .wait_for_text("#runway", "The balance lasts", WAIT)
        .await;
    attribute(browser, "#runway", "data-hours")
        .await
        .parse()
        .expect("the runway gives its hours")
}

#[tokio::test(flavor = "multi_thread")]
async fn burn_and_balance_are_the_sandboxs_and_a_day_later_the_runway_is_shorter() {
    let sandbox = start_sandbox_with(&["--frozen-clock"]);
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    let url = format!("{}/billing", proxy.url);
    browser.open(&url, "Billing").await;

    let (rate, balance) = sandbox_burn_and_balance(&sandbox.url).await;
    assert!(rate.micros() > 0 && balance.micros() > 0);
    let hours = runway_hours(&browser).await;
    assert_eq!(
        attribute(&browser, "#burn-rate", "data-micros").await,
        rate.micros().to_string()
    );
    browser
        .wait_for_text(
            "#burn-rate",
            &format!("{} per hour", rate.to_rate_string()),
            WAIT,
        )
        .await;
    assert_eq!(
        attribute(&browser, "#balance", "data-micros").await,
        balance.micros().to_string()
    );
    browser
        .wait_for_text("#balance", &balance.to_cents_string(), WAIT)
        .await;
    let expected_hours = (balance.micros() / rate.micros()) as u64;
    assert_eq!(hours, expected_hours);
    browser
        .wait_for_text(
            "#runway",
            &format!("lasts {}, until", runway_text(hours)),
            WAIT,
        )
        .await;
    // What makes up the burn: the seeded machines and volume by name.
    browser
        .wait_for_text("table.burn-parts", "pretrain-cluster", WAIT)
        .await;
    browser
        .wait_for_text("table.burn-parts", "datasets", WAIT)
        .await;
    // The month's chart: a bar group per day, the table beside it.
    browser
        .wait_for_text("table.spending-table caption", "Spending by day", WAIT)
        .await;
    let groups = browser
        .client
        .find_all(Locator::Css("svg.chart g.day"))
        .await
        .unwrap();
    let rows = browser
        .client
        .find_all(Locator::Css("table.spending-table tbody tr"))
        .await
        .unwrap();
    assert!(groups.len() >= 28, "{} day groups", groups.len());
    assert_eq!(groups.len(), rows.len());
    browser
        .wait_for_text("table.costs-per-machine", "train-llama-8b", WAIT)
        .await;
    browser
        .wait_for_text("table.costs-per-tag", "pretrain", WAIT)
        .await;
    browser
        .wait_for_text("table.month-compare", "compared with", WAIT)
        .await;
    assert_accessible(browser.axe().await, "the billing page");

    // A day passes: the sandbox bills it (up to its last whole hour, so a day less the part
    // of the current hour already billed), and the runway is that much shorter.
    sandbox_admin(
        &sandbox.url,
        reqwest::Method::POST,
        "/clock/advance",
        Some(json!({"days": 1})),
    )
    .await;
    let (rate_after, balance_after) = sandbox_burn_and_balance(&sandbox.url).await;
    assert_eq!(rate_after, rate);
    assert!(balance_after < balance && balance - balance_after <= rate * 24);
    browser.open(&url, "Billing").await;
    browser
        .wait_for_text("#balance", &balance_after.to_cents_string(), WAIT)
        .await;
    let later = runway_hours(&browser).await;
    assert_eq!(
        attribute(&browser, "#balance", "data-micros").await,
        balance_after.micros().to_string()
    );
    assert_eq!(
        attribute(&browser, "#burn-rate", "data-micros").await,
        rate.micros().to_string()
    );
    assert_eq!(later, (balance_after.micros() / rate.micros()) as u64);
    assert!(
        (23..=24).contains(&(hours - later)),
        "the runway shrank by the day that passed: {hours} h, then {later} h"
    );
    browser
        .wait_for_text(
            "#runway",
            &format!("lasts {}, until", runway_text(later)),
            WAIT,
        )
        .await;

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn transactions_filter_by_type_in_the_url_and_export_as_csv() {
    let sandbox = start_sandbox_with(&["--frozen-clock"]);
    let proxy = start_demo_proxy(&sandbox.url);
    let browser = Browser::start().await;
    browser
        .open(&format!("{}/billing", proxy.url), "Billing")
        .await;
    browser
        .wait_for_text("#transactions-count", "transactions · page 1 of", WAIT)
        .await;

    // Bare metal only: the URL says so, and every row is a bare-metal line naming the rental.
    browser.click(Locator::Css("#type-baremetal")).await;
    browser
        .wait_for_text("table.transactions tbody", "Bare-metal usage", WAIT)
        .await;
    browser
        .wait_for_text_gone("table.transactions tbody", "VM usage", WAIT)
        .await;
    let current = browser.client.current_url().await.unwrap();
    assert!(
        current.as_str().ends_with("/billing?types=baremetal"),
        "{current}"
    );
    // The count is the provider's for `types=baremetal` (the request log keeps no queries).
    let total: u64 = sandbox_voltagepark(
        &sandbox.url,
        "/api/v1/billing/transactions?types=baremetal&limit=1",
    )
    .await["total_result_count"]
        .as_u64()
        .unwrap();
    browser
        .wait_for_text("#transactions-count", &format!("1–25 of {total} "), WAIT)
        .await;
    assert!(!sandbox_requests(&sandbox.url, "GET", TRANSACTIONS)
        .await
        .is_empty());
    // Lines name the rental once the machines are listed.
    browser
        .wait_for_text("table.transactions tbody", "pretrain-cluster", WAIT)
        .await;
    let rows = browser
        .client
        .find_all(Locator::Css("table.transactions tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 25, "a full first page");
    for row in rows {
        let text = row.text().await.unwrap();
        assert!(text.contains("Bare-metal usage"), "{text}");
        assert!(text.contains("Charge"), "{text}");
        assert!(text.contains("pretrain-cluster"), "{text}");
    }
    // Paging is kept in the URL too.
    browser
        .click(Locator::XPath("//button[normalize-space()='Older →']"))
        .await;
    browser
        .wait_for_text("#transactions-count", "26–", WAIT)
        .await;
    let current = browser.client.current_url().await.unwrap();
    assert!(
        current.as_str().ends_with("types=baremetal&page=2"),
        "{current}"
    );
    assert_accessible(browser.axe().await, "the billing page, filtered");

    // The export holds every bare-metal transaction, not just the page shown.
    browser
        .click(Locator::XPath(
            "//button[normalize-space()='Export as CSV']",
        ))
        .await;
    let csv = browser.downloaded("transactions.csv", WAIT).await;
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines.len() as u64,
        total + 1,
        "a header and every transaction"
    );
    assert!(lines[0].starts_with("id,created_utc,"));
    assert!(lines[1..]
        .iter()
        .all(|l| l.contains(",Bare-metal usage,Charge,-") && l.ends_with(",pretrain-cluster")));
    browser
        .wait_for_text(
            ".export-status",
            &format!("Exported {total} transactions"),
            WAIT,
        )
        .await;

    browser.close().await;
}
