//! Sends one lifecycle action and says how it went.

use cloudpane_api::machines::{lifecycle_request, seen_carried_out, Lifecycle, Machine};
use cloudpane_api::{ApiError, ANSWER_MAY_BE_LOST};
use leptos::prelude::*;
use serde_json::Value;

use crate::state::AppState;
use crate::transport;

/// How an action went through.
pub enum Carried {
    /// The provider answered that it did.
    Answered,
    /// Its answer was lost, but the provider now lists the machine with this status (`None`:
    /// no longer lists it), so it did.
    SeenAfterLostAnswer(Option<String>),
}

/// Sends `action` on `m` once, with the token of the account that listed it. Never retried:
/// when its answer is lost, the account's machines are listed again to see whether it went
/// through. The caller shows the outcome and refreshes. `state` is passed in: this runs in a
/// task, where context cannot be looked up.
pub async fn perform(
    state: AppState,
    m: &Machine,
    action: &Lifecycle,
) -> Result<Carried, ApiError> {
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
    match transport::send::<Value>(&connection, &request).await {
        Ok(_) => Ok(Carried::Answered),
        Err(e) if e.answer_may_be_lost() => {
            let listed = super::load::load_account(&connection, &account)
                .await
                .result;
            let after = listed
                .ok()
                .map(|all| all.into_iter().find(|a| a.key() == m.key()));
            match after {
                Some(after) if seen_carried_out(m, action, after.as_ref()) => {
                    Ok(Carried::SeenAfterLostAnswer(after.map(|a| a.status)))
                }
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// "Stopped and released eval-harness." / "Could not terminate x: ...".
pub fn outcome_text(m: &Machine, action: &Lifecycle, result: &Result<Carried, ApiError>) -> String {
    let done = match action {
        Lifecycle::Start => "Start requested for",
        Lifecycle::Stop => "Stop requested for",
        Lifecycle::StopAndRelease => "Stop and release requested for",
        Lifecycle::Reboot(_) => "Reboot requested for",
        Lifecycle::Terminate => "Termination requested for",
    };
    match result {
        Ok(Carried::Answered) => format!("{done} {}.", m.name),
        Ok(Carried::SeenAfterLostAnswer(status)) => format!(
            "{done} {}. Its answer was lost, but {} {}.",
            m.name,
            m.provider.display_name(),
            match status {
                Some(status) => format!("now lists it as {status}"),
                None => "no longer lists it".to_string(),
            }
        ),
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
