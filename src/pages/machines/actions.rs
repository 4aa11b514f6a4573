//! Sends one lifecycle action and says how it went. When its answer is lost, the machine is read
//! again and the page says what it shows (crates/api decides: [`ActionChecked`]).

use cloudpane_api::machines::{
    lifecycle_request, ActionChecked, ActionOutcome, Lifecycle, Machine,
};
use leptos::prelude::*;
use serde_json::Value;

use super::load::read_machine;
use crate::state::AppState;
use crate::transport;

/// Sends `action` on `m` once, with the token of the account that listed it. Never retried: when
/// the answer is lost, the machine is read again instead. `state` is passed in: this runs in a
/// task, where context cannot be looked up.
pub async fn perform(state: AppState, m: &Machine, action: &Lifecycle) -> ActionOutcome {
    let Some(connection) = state.connection.get_untracked() else {
        return ActionOutcome::NotSent("the console is not connected to the proxy".into());
    };
    let Some(account) = state
        .accounts
        .all_untracked()
        .into_iter()
        .find(|a| a.id == m.account.id)
    else {
        return ActionOutcome::NotSent(format!(
            "the account {} is no longer signed in",
            m.account.name
        ));
    };
    let Some(request) = lifecycle_request(m, action, &account.token) else {
        return ActionOutcome::NotSent(format!("{} does not offer this action", m.name));
    };
    let answer = transport::send::<Value>(&connection, &request).await;
    match ActionOutcome::of_answer(action, answer) {
        Some(outcome) => outcome,
        None => ActionOutcome::Lost(ActionChecked::decide(
            action,
            m,
            read_machine(&connection, &account, m).await,
        )),
    }
}

/// "Stop requested for eval-harness." / "Could not stop x: ..." / after a lost answer, what the
/// machine read again shows.
pub fn outcome_text(m: &Machine, action: &Lifecycle, outcome: &ActionOutcome) -> String {
    let name = &m.name;
    let (requested, verb, done) = match action {
        Lifecycle::Start => ("Start requested for", "start", "started"),
        Lifecycle::Stop => ("Stop requested for", "stop", "stopped"),
        Lifecycle::StopAndRelease => (
            "Stop and release requested for",
            "stop and release",
            "stopped and released",
        ),
        Lifecycle::Reboot(_) => ("Reboot requested for", "reboot", "rebooted"),
        Lifecycle::Terminate => ("Termination requested for", "terminate", "terminated"),
    };
    let provider = m.provider.display_name();
    match outcome {
        ActionOutcome::Accepted => format!("{requested} {name}."),
        ActionOutcome::AlreadyGone => {
            format!("{name} was already terminated: {provider} no longer has it (404).")
        }
        ActionOutcome::Refused(e) => format!("Could not {verb} {name}: {e}"),
        ActionOutcome::NotSent(why) => format!("Nothing was sent to {verb} {name}: {why}."),
        ActionOutcome::Lost(checked) => match checked {
            ActionChecked::Gone if *action == Lifecycle::Terminate => format!(
                "{name} was terminated: its answer was lost on the way, and {provider} no longer has it."
            ),
            ActionChecked::Gone => format!(
                "{name} is gone: the {verb}'s answer was lost on the way, and {provider} no longer has it."
            ),
            ActionChecked::Done(now) => format!(
                "{requested} {name}: its answer was lost on the way; read again, it now reads {}.",
                now.label()
            ),
            ActionChecked::NotDone(now) => format!(
                "{name} was not {done}: its answer was lost, and read again it still reads {}. Nothing changed; you can {verb} it again.",
                now.label()
            ),
            ActionChecked::Unclear(now) => format!(
                "Not known whether {name} was {done}: its answer was lost, and read again it reads {}, which does not tell. It was not sent again: look at the machine before trying again.",
                now.label()
            ),
            ActionChecked::NotKnown(e) => format!(
                "Not known whether {name} was {done}: its answer was lost, and the machine could not be read again ({e}). It was not sent again: look at the machine before trying again."
            ),
        },
    }
}
