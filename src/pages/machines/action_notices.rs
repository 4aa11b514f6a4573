//! The Machines page's notices of actions sent (from the stopped-but-billed banner and the bulk
//! actions alike): one current notice per machine, in one list.

use cloudpane_api::machines::{ActionNotices, ActionOutcome, Lifecycle, Machine};
use leptos::prelude::*;

use super::actions::outcome_text;

/// The notices, shared by whatever sends an action on the page.
#[derive(Clone, Copy)]
pub struct Notices(RwSignal<ActionNotices>);

impl Notices {
    pub fn new() -> Self {
        Notices(RwSignal::new(ActionNotices::default()))
    }

    /// Tells how `action` on `m` went, replacing what was said of `m`'s earlier actions, and
    /// returns the words (for the live region).
    pub fn record(&self, m: &Machine, action: &Lifecycle, outcome: &ActionOutcome) -> String {
        let text = outcome_text(m, action, outcome);
        self.0
            .update(|n| n.record(m.key(), text.clone(), outcome.carried_out()));
        text
    }
}

impl Default for Notices {
    fn default() -> Self {
        Self::new()
    }
}

/// The notices, newest last.
#[component]
pub fn ActionNoticeList() -> impl IntoView {
    let notices = expect_context::<Notices>();
    move || {
        notices.0.with(|all| {
            (!all.is_empty()).then(|| {
                view! {
                    <ul class="outcomes" aria-label="What happened">
                        {all.iter().map(|n| view! {
                            <li class="outcome" class:failed=!n.ok>{n.text.clone()}</li>
                        }).collect_view()}
                    </ul>
                }
            })
        })
    }
}
