//! "Updated 12 s ago · Refresh": how old what the page shows is, and the button that reads it
//! again (the `r` shortcut presses it). One for every page that shows provider data.

use leptos::prelude::*;

use crate::state::use_app;

/// When a page's data last arrived, and whether a read is under way.
#[derive(Clone, Copy)]
pub struct Freshness {
    /// When the last answer arrived (ms since 1970); `None` before the first.
    pub updated_at: RwSignal<Option<f64>>,
    pub refreshing: RwSignal<bool>,
}

impl Freshness {
    pub fn new() -> Self {
        Freshness {
            updated_at: RwSignal::new(None),
            refreshing: RwSignal::new(false),
        }
    }

    /// A read started.
    pub fn started(&self) {
        self.refreshing.try_set(true);
    }

    /// A read ended. "Updated … ago" moves only when it succeeded: after a failure the page
    /// shows the last good read, and the line keeps saying how old that is.
    pub fn arrived<T>(&self, read: &Result<T, cloudpane_api::ApiError>) {
        self.refreshing.try_set(false);
        if read.is_ok() {
            self.updated_at.try_set(Some(js_sys::Date::now()));
        }
    }
}

impl Default for Freshness {
    fn default() -> Self {
        Self::new()
    }
}

/// "Updated 12 s ago", "refreshing…" while a read is under way, and Refresh.
#[component]
pub fn RefreshLine(
    freshness: Freshness,
    /// What is read again, for the announcement: "the SSH keys".
    what: &'static str,
    on_refresh: Callback<()>,
) -> impl IntoView {
    let state = use_app();
    let now = RwSignal::new(js_sys::Date::now());
    let tick = set_interval_with_handle(
        move || {
            now.try_set(js_sys::Date::now());
        },
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(tick) = tick {
            tick.clear();
        }
    });
    let ago = move || {
        freshness.updated_at.get().map(|at| {
            let secs = ((now.get() - at) / 1000.0).max(0.0) as i64;
            format!("Updated {} ago", cloudpane_api::machines::age_label(secs))
        })
    };
    view! {
        <p class="updated">
            <span>{ago}</span>
            {move || freshness.refreshing.get().then(|| view! { <span class="muted">" · refreshing…"</span> })}
            " "
            <button type="button" on:click=move |_| {
                state.announce(format!("Reading {what} again."));
                on_refresh.run(());
            }>"Refresh"</button>
        </p>
    }
}
