use cloudpane_api::voltagepark::storage::Usage;
use leptos::prelude::*;

/// How full a volume is: a bar (for the eye) and the same in words.
#[component]
pub fn UsageBar(usage: Usage) -> impl IntoView {
    let percent = usage.percent();
    let level = if percent >= 90.0 {
        "full"
    } else if percent >= 75.0 {
        "high"
    } else {
        "ok"
    };
    view! {
        <span class="usage">
            <span class=format!("usage-bar usage-{level}") aria-hidden="true">
                <span class="usage-fill" style=format!("width: {}%", percent.min(100.0))></span>
            </span>
            " "
            {(level == "full").then(|| view! { <span aria-hidden="true">"⚠ "</span> })}
            {usage.describe()}
            {(level == "full").then_some(" — nearly full")}
        </span>
    }
}
