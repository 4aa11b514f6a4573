//! The review step before the billable click: what will be deployed, what it costs, and the
//! exact request as a `curl` command (the token replaced by `$VOLTAGE_PARK_TOKEN`, the VM's
//! password by `$VM_PASSWORD`: neither is ever on the page or copied). When the provider
//! refuses the deploy, the review stays, with the refusal in its error summary.

use cloudpane_api::curl::curl_command;
use cloudpane_api::estimate::cost_estimate;
use cloudpane_api::{ApiRequest, Money};
use leptos::prelude::*;

use crate::components::{CopyButton, ErrorSummary, Problem};

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
    /// The provider's refusal of the deploy, if it refused; each field's links back to it.
    problems: Signal<Vec<Problem>>,
    on_deploy: Callback<()>,
    on_back: Callback<()>,
) -> impl IntoView {
    let e = cost_estimate(review.hourly);
    let curl = curl_command(&review.request, &review.token);
    let variables = curl
        .variables
        .iter()
        .map(|v| format!("{} to {}", v.name, v.holds))
        .collect::<Vec<_>>()
        .join(" and ");
    let secrets_help = if curl.variables.iter().any(|v| v.name == "VM_PASSWORD") {
        " The password goes into the JSON as it is: put a backslash before any \" or \\ in it. \
         To set it without it being shown or kept in your shell's history: read -rs VM_PASSWORD && export VM_PASSWORD"
    } else {
        ""
    };
    let help = format!(
        "Exactly what is sent to Voltage Park, with the secrets written as shell variables: set {variables} to run it yourself.{secrets_help}"
    );
    let curl = curl.command;
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
            <ErrorSummary id="review-errors" problems on_follow=on_back/>
            <dl class="facts">
                {review.lines.into_iter().map(|(what, value)| view! { <dt>{what}</dt><dd>{value}</dd> }).collect_view()}
                <dt>"Price"</dt>
                <dd><strong>{format!("{} per hour", e.per_hour.to_rate_string())}</strong>{format!(" · {} per day · {} held now (48 hours)", e.per_day.to_cents_string(), e.hold.to_cents_string())}</dd>
            </dl>
            <h3>"The request, as a command"</h3>
            <p class="help" id="review-command-help">{help}</p>
            <pre class="code-block" tabindex="0" aria-label="The deploy request as a curl command" aria-describedby="review-command-help"><code>{curl}</code></pre>
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
