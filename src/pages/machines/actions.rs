//! Sends one lifecycle action and says how it went.

use cloudpane_api::machines::{lifecycle_request, Lifecycle, Machine};
use cloudpane_api::{ApiError, ANSWER_MAY_BE_LOST};
use leptos::prelude::*;
use serde_json::Value;

use crate::state::AppState;
use crate::transport;

/// Sends `action` on `m` once, with the token of the account that listed it. Never retried:
/// the caller shows the outcome and refreshes. `state` is passed in: this runs in a task, where
/// context cannot be looked up.
pub async fn perform(state: AppState, m: &Machine, action: &Lifecycle) -> Result<(), ApiError> {
    let connection = state
        .connection
        .get_untracked()
        .ok_or_else(|| ApiError::Network("not connected to the proxy".into()))?;
    let account = state
        .accounts
        .all_untracked()
        .into_iter()
        .find(|a| a.id == m.account.id)
        .ok_or_else(|| {
            ApiError::Network(format!(
                "the account {} is no longer signed in",
                m.account.name
            ))
        })?;
    let request = lifecycle_request(m, action, &account.token).ok_or_else(|| {
        ApiError::Network(format!(
            "{} cannot {}",
            m.name,
            action.label().to_lowercase()
        ))
    })?;
    transport::send::<Value>(&connection, &request)
        .await
        .map(|_| ())
}

/// "Stopped and released eval-harness." / "Could not terminate x: ...".
pub fn outcome_text(m: &Machine, action: &Lifecycle, result: &Result<(), ApiError>) -> String {
    let done = match action {
        Lifecycle::Start => "Start requested for",
        Lifecycle::Stop => "Stop requested for",
        Lifecycle::StopAndRelease => "Stop and release requested for",
        Lifecycle::Reboot(_) => "Reboot requested for",
        Lifecycle::Terminate => "Termination requested for",
    };
    match result {
        Ok(()) => format!("{done} {}.", m.name),
        Err(e) if e.answer_may_be_lost() => format!(
            "It is not known whether {} went through for {}. {ANSWER_MAY_BE_LOST}",
            action.label(),
            m.name
        ),
        Err(e) => format!(
            "Could not {} {}: {e}",
            action.label().to_lowercase(),
            m.name
        ),
    }
}
