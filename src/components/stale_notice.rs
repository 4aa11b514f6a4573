//! Rows kept on screen after reading them again failed: the page keeps the last good read and
//! says since when it is shown, why the refresh failed, and offers Retry, instead of emptying
//! the table or showing the old rows as if they were current.

use cloudpane_api::ApiError;
use leptos::prelude::*;

/// A good read and when it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastGood<T> {
    pub value: T,
    /// Hour and minute in the browser's time zone ("14:05"), from [`clock_now`].
    pub as_of: String,
}

/// The hour and minute now in the browser's time zone, e.g. "14:05".
pub fn clock_now() -> String {
    clock_time(js_sys::Date::now())
}

/// The hour and minute of `ms` (milliseconds since 1970) in the browser's time zone.
pub fn clock_time(ms: f64) -> String {
    let at = js_sys::Date::new(&ms.into());
    format!("{:02}:{:02}", at.get_hours(), at.get_minutes())
}

/// The last successful read of `read` (loading: `None`, then each answer), with its time. A
/// failed read leaves the last good one in place.
pub fn keep_last_good<T>(
    read: impl Fn() -> Option<Result<T, ApiError>> + Send + Sync + 'static,
) -> Memo<Option<LastGood<T>>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    Memo::new(move |prev: Option<&Option<LastGood<T>>>| match read() {
        Some(Ok(value)) => Some(LastGood {
            value,
            as_of: clock_now(),
        }),
        _ => prev.cloned().flatten(),
    })
}

/// Said above rows from an earlier read when reading them again failed: "As of 14:05, could
/// not refresh the secrets", the reason in words, and Retry.
#[component]
pub fn StaleNotice(
    /// What the rows are, as the sentence needs it: "the secrets", "Voltage Park's VMs".
    #[prop(into)]
    what: String,
    /// When the rows shown were read ("14:05").
    #[prop(into)]
    as_of: String,
    /// Why they could not be read again.
    error: ApiError,
    on_retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="stale-notice banner warn" role="alert">
            <p class="error-title">
                <span aria-hidden="true">"⚠ "</span>
                {format!("As of {as_of}, could not refresh {what}: what is shown is from {as_of}.")}
            </p>
            <p>{error.to_string()}</p>
            <button type="button" on:click=move |_| on_retry.run(())>"Retry"</button>
        </div>
    }
}
