use cloudpane_api::netactuate::references::{
    check_references, find_malformed, segments, ReferenceStatus,
};
use cloudpane_api::netactuate::secret_lists::list_name;
use cloudpane_api::Provider;
use leptos::prelude::*;

use super::load::{count, load_lists_and_values, netactuate};
use super::netactuate_error::NetActuateError;
use crate::components::{Loading, NoAccount, PageHeader};

/// `/secrets/check`: checks the `${{secret.KEY}}` references of a NetActuate cloud-init script
/// against the account's keys. Every reference is highlighted; missing keys are flagged, with a
/// suggestion when one differs only by case. The console never substitutes values: NetActuate
/// does, at deploy time.
#[component]
pub fn ReferenceCheckPage() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let account = LocalResource::new(move || {
        reload.track();
        let na = netactuate();
        async move {
            let (c, token) = na?;
            Some(load_lists_and_values(c, token).await)
        }
    });
    // (key, list name) of every value; the values themselves are not kept.
    let keys = Memo::new(move |_| match account.get() {
        Some(Some(Ok((lists, values)))) => Some(
            values
                .iter()
                .map(|v| {
                    (
                        v.secret_key.clone(),
                        Some(list_name(&v.secret_list_id, &lists)),
                    )
                })
                .collect::<Vec<_>>(),
        ),
        _ => None,
    });
    let script = RwSignal::new(String::new());
    let checked = Memo::new(move |_| {
        keys.with(|k| k.as_ref().map(|k| script.with(|s| check_references(s, k))))
    });
    let status = move || {
        match account.get() {
        None => view! { <Loading what="the account's secret keys"/> }.into_any(),
        Some(None) => view! { <NoAccount provider=Provider::NetActuate/> }.into_any(),
        Some(Some(Err(error))) => view! {
            <NetActuateError error on_retry=Callback::new(move |()| reload.update(|n| *n += 1))/>
        }
        .into_any(),
        Some(Some(Ok((_, values)))) => view! {
            <p class="help" role="status">{format!("Checked against the account's {}.", count(values.len(), "key", "keys"))}</p>
        }
        .into_any(),
    }
    };
    let verdict = move || {
        let checked = checked.get()?;
        if script.with(|s| s.trim().is_empty()) {
            return None;
        }
        let missing = checked.iter().filter(|c| c.is_missing()).count();
        // Written like a reference but not one: NetActuate would leave it as it is.
        let malformed = script.with(|s| find_malformed(s));
        let summary = match (checked.len(), missing) {
            (0, _) => "The script has no ${{secret.KEY}} references.".to_string(),
            (n, 0) => format!("{}: every key exists.", count(n, "reference", "references")),
            (n, m) => format!("{}: {} missing.", count(n, "reference", "references"), m),
        };
        let summary = match malformed.len() {
            0 => summary,
            n => format!(
                "{summary} {} NetActuate does not fill in.",
                count(
                    n,
                    "reference is written in a way",
                    "references are written in ways"
                )
            ),
        };
        let missing = missing + malformed.len();
        let highlighted = script.with(|s| {
            segments(s, &checked)
                .into_iter()
                .map(|(text, at)| match at {
                    None => text.to_string().into_any(),
                    Some(i) => {
                        let found = !checked[i].is_missing();
                        view! {
                            <mark class=if found { "ref-found" } else { "ref-missing" }>
                                {text.to_string()}
                                <span class="ref-word">{if found { " ✓ exists" } else { " ⚠ missing" }}</span>
                            </mark>
                        }
                        .into_any()
                    }
                })
                .collect_view()
        });
        Some(view! {
            <div class="reference-verdict">
                <p class=if missing == 0 { "outcome ok" } else { "outcome warn-text" } role="status">
                    <span aria-hidden="true">{if missing == 0 { "✓ " } else { "⚠ " }}</span>{summary}
                </p>
                <h2>"The script, with its references marked"</h2>
                <pre class="code-block script-preview">{highlighted}</pre>
                <h2>"References"</h2>
                <ul class="reference-list">
                    {checked.iter().map(|c| {
                        let found = matches!(c.status, ReferenceStatus::Found { .. });
                        view! {
                            <li class=if found { "ref-ok" } else { "ref-bad" }>
                                <span aria-hidden="true">{if found { "✓ " } else { "⚠ " }}</span>
                                {format!("Line {}: ", c.reference.line)}
                                <code>{format!("${{{{secret.{}}}}}", c.reference.key)}</code>
                                " — "{c.describe()}
                            </li>
                        }
                    }).collect_view()}
                    {malformed.into_iter().map(|m| view! {
                        <li class="ref-bad ref-malformed">
                            <span aria-hidden="true">"⚠ "</span>
                            {format!("Line {}: ", m.line)}
                            <code>{m.text}</code>
                            {format!(" — not a reference: {}", m.why)}
                        </li>
                    }).collect_view()}
                </ul>
            </div>
        })
    };
    view! {
        <section class="reference-check-page">
            <PageHeader acting_as=Provider::NetActuate title="Check cloud-init secret references"
                summary="Paste a cloud-init script you deploy on NetActuate (portal, API or Terraform): every ${{secret.KEY}} is checked against the keys of the account's secret lists. NetActuate fills them in at deploy time; the console never does."/>
            <p class="page-links"><a href=crate::base_path::app_href("/secrets")>"← Secrets and lists"</a></p>
            {status}
            <label for="script">"Cloud-init script"</label>
            <textarea id="script" rows="12" spellcheck="false" autocomplete="off" class="code"
                bind:value=script aria-describedby="script-help"></textarea>
            <p id="script-help" class="help">"References are case-sensitive: ${{secret.API_KEY}} and ${{secret.api_key}} are different keys."</p>
            {verdict}
        </section>
    }
}
