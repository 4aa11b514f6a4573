//! The review step before the billable click: what will be deployed, what it costs, and the
//! exact request as a `curl` command (the token replaced by `$VOLTAGE_PARK_TOKEN`).

use cloudpane_api::curl::curl_command;
use cloudpane_api::estimate::cost_estimate;
use cloudpane_api::{ApiRequest, Money};
use leptos::prelude::*;

use crate::components::CopyButton;

/// What the review shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    /// (what, value) lines of the summary.
    pub lines: Vec<(&'static str, String)>,
    pub hourly: Money,
    pub request: ApiRequest,
    pub token: String,
}

#[component]
pub fn ReviewPanel(
    review: Review,
    #[prop(into)] busy: Signal<bool>,
    on_deploy: Callback<()>,
    on_back: Callback<()>,
) -> impl IntoView {
    let e = cost_estimate(review.hourly);
    let curl = curl_command(&review.request, &review.token);
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let copy = curl.clone();
    view! {
        <section class="review" aria-labelledby="review-title">
            <h2 id="review-title" tabindex="-1" node_ref=heading>"Review the deploy"</h2>
            <dl class="facts">
                {review.lines.into_iter().map(|(what, value)| view! { <dt>{what}</dt><dd>{value}</dd> }).collect_view()}
                <dt>"Price"</dt>
                <dd><strong>{format!("{} per hour", e.per_hour.to_rate_string())}</strong>{format!(" · {} per day · {} held now (48 hours)", e.per_day.to_cents_string(), e.hold.to_cents_string())}</dd>
            </dl>
            <h3>"The request, as a command"</h3>
            <p class="help">"Exactly what is sent to Voltage Park. Your token is not shown: set VOLTAGE_PARK_TOKEN to run it yourself."</p>
            <pre class="code-block" tabindex="0" aria-label="The deploy request as a curl command"><code>{curl}</code></pre>
            <CopyButton text=copy label="Copy the curl command"/>
            <div class="review-actions">
                <button type="button" on:click=move |_| on_back.run(())>"Back to the form"</button>
                <button type="submit" class="deploy" disabled=move || busy.get()
                    on:click=move |_| on_deploy.run(())>
                    {format!("Deploy for {} per hour", e.per_hour.to_rate_string())}
                </button>
            </div>
        </section>
    }
}
