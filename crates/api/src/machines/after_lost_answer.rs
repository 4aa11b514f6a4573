//! What a machine read again says about a change whose answer was lost (see
//! [`crate::lost_answer`]): whether a lifecycle action was carried out, whether a rename or
//! retag was saved. The page reads the machine again (the VM by its id, a rental from the
//! rentals list) and puts the decision in words.

use super::lifecycle::Lifecycle;
use super::machine::Machine;
use super::state::MachineState;
use crate::lost_answer::Checked;
use crate::voltagepark::vms::DetailsPatch;
use crate::ApiError;

/// How a lifecycle action went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionOutcome {
    /// The provider answered that it took it.
    Accepted,
    /// A terminate answered 404: the provider has no such machine any more (an earlier try, or
    /// someone else, terminated it). It is gone all the same.
    AlreadyGone,
    /// The provider (or the proxy) refused: nothing was done.
    Refused(ApiError),
    /// Not sent, for the reason given (no proxy, the account signed out, nothing to send).
    NotSent(String),
    /// The answer was lost; the machine read again says this.
    Lost(ActionChecked),
}

impl ActionOutcome {
    /// From the provider's answer; `None` when the answer was lost and the machine must be
    /// read again ([`ActionChecked::decide`]).
    pub fn of_answer<T>(action: &Lifecycle, answer: Result<T, ApiError>) -> Option<Self> {
        match answer {
            Ok(_) => Some(ActionOutcome::Accepted),
            Err(e) if *action == Lifecycle::Terminate && e.is_not_found() => {
                Some(ActionOutcome::AlreadyGone)
            }
            Err(e) if e.answer_may_be_lost() => None,
            Err(e) => Some(ActionOutcome::Refused(e)),
        }
    }

    /// True when the action was carried out (or its end already reached), as far as is known.
    pub fn carried_out(&self) -> bool {
        match self {
            ActionOutcome::Accepted | ActionOutcome::AlreadyGone => true,
            ActionOutcome::Lost(checked) => checked.carried_out(),
            ActionOutcome::Refused(_) | ActionOutcome::NotSent(_) => false,
        }
    }
}

/// What the machine read again says of a lifecycle action whose answer was lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionChecked {
    /// It now reads as the action leaves it (in this state): carried out.
    Done(MachineState),
    /// The provider no longer has it. After a terminate: carried out.
    Gone,
    /// It reads as before (in this state): not carried out.
    NotDone(MachineState),
    /// It reads neither as before nor as the action leaves it (its state now), or, after a
    /// reboot, as before (a reboot already over reads the same): which cannot be told.
    Unclear(MachineState),
    /// It could not be read again.
    NotKnown(ApiError),
}

impl ActionChecked {
    /// Decides from the machine as it was listed when the action was sent (`before`) and as read
    /// again (`Ok(None)`: the provider no longer has it).
    pub fn decide(
        action: &Lifecycle,
        before: &Machine,
        reread: Result<Option<Machine>, ApiError>,
    ) -> Self {
        let after = match reread {
            Ok(Some(after)) => after,
            Ok(None) => return ActionChecked::Gone,
            Err(e) => return ActionChecked::NotKnown(e),
        };
        let now = after.state;
        let unchanged = after.status == before.status && after.state == before.state;
        if reached(action, after.state) && !(unchanged && matches!(action, Lifecycle::Reboot(_))) {
            ActionChecked::Done(now)
        } else if unchanged && !matches!(action, Lifecycle::Reboot(_)) {
            ActionChecked::NotDone(now)
        } else {
            ActionChecked::Unclear(now)
        }
    }

    pub fn carried_out(&self) -> bool {
        matches!(self, ActionChecked::Done(_) | ActionChecked::Gone)
    }
}

/// True when a machine in `state` reads as `action` leaves it.
fn reached(action: &Lifecycle, state: MachineState) -> bool {
    use MachineState as S;
    match action {
        Lifecycle::Start => matches!(state, S::Running | S::Pending),
        Lifecycle::Stop => matches!(state, S::Stopped | S::StoppedReleased),
        Lifecycle::StopAndRelease => state == S::StoppedReleased,
        // A rental is Pending while its nodes reboot.
        Lifecycle::Reboot(_) => state == S::Pending,
        Lifecycle::Terminate => state == S::Terminated,
    }
}

/// Whether a rename or retag whose answer was lost was saved: the machine read again bears the
/// name and tags sent (each only when the patch changed it). `Ok(None)`: it is gone, so the
/// change was not saved on it.
pub fn details_saved(
    patch: &DetailsPatch,
    reread: Result<Option<Machine>, ApiError>,
) -> Checked<Machine> {
    Checked::from_reread(reread, |after| {
        let after = after?;
        let name_saved = patch.name.as_ref().is_none_or(|n| *n == after.name);
        let tags_saved = patch.tags.as_ref().is_none_or(|t| *t == after.tags);
        (name_saved && tags_saved).then_some(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machines::{AccountRef, VmLogin};
    use crate::voltagepark::{bare_metal, vms};
    use crate::{HttpError, Provider};

    fn account() -> AccountRef {
        AccountRef {
            id: 1,
            name: "prod".into(),
        }
    }

    fn vm(status: &str, name: &str, tags: &[&str]) -> Machine {
        let (v, raw) = vms::read_vm(serde_json::json!({
            "id": "v1", "name": name, "status": status, "tags": tags,
        }))
        .unwrap();
        Machine::from_vm(&account(), v, raw, &VmLogin::for_account(None))
    }

    fn rental(status: &str, power: &str) -> Machine {
        let (r, raw) = bare_metal::read_rental(serde_json::json!({
            "id": "r1", "name": "pretrain", "status": status, "power_status": power,
        }))
        .unwrap();
        Machine::from_rental(&account(), r, raw)
    }

    fn status(n: u16, body: &str) -> ApiError {
        ApiError::Http(HttpError::from_response(Provider::VoltagePark, n, body))
    }

    #[test]
    fn a_lost_answer_is_read_again_a_status_is_an_answer() {
        let stop = Lifecycle::Stop;
        assert_eq!(
            ActionOutcome::of_answer(&stop, Ok(())),
            Some(ActionOutcome::Accepted)
        );
        assert_eq!(
            ActionOutcome::of_answer::<()>(&stop, Err(ApiError::Network("cut".into()))),
            None
        );
        assert_eq!(
            ActionOutcome::of_answer::<()>(&stop, Err(status(502, r#"{"error":"upstream"}"#))),
            None
        );
        let unavailable = status(503, r#"{"detail":"down"}"#);
        assert_eq!(
            ActionOutcome::of_answer::<()>(&stop, Err(unavailable.clone())),
            Some(ActionOutcome::Refused(unavailable))
        );
        // A 404 on terminate means gone; on any other action it is a refusal.
        let missing = status(404, r#"{"detail":"Virtual machine not found"}"#);
        assert_eq!(
            ActionOutcome::of_answer::<()>(&Lifecycle::Terminate, Err(missing.clone())),
            Some(ActionOutcome::AlreadyGone)
        );
        assert!(ActionOutcome::AlreadyGone.carried_out());
        assert_eq!(
            ActionOutcome::of_answer::<()>(&stop, Err(missing.clone())),
            Some(ActionOutcome::Refused(missing))
        );
    }

    #[test]
    fn the_machine_read_again_says_whether_the_action_was_carried_out() {
        let running = vm("Running", "train", &[]);
        let decide = |action: &Lifecycle, after: Machine| {
            ActionChecked::decide(action, &running, Ok(Some(after)))
        };
        assert_eq!(
            decide(&Lifecycle::Stop, vm("Stopped", "train", &[])),
            ActionChecked::Done(MachineState::Stopped)
        );
        assert_eq!(
            decide(&Lifecycle::Stop, vm("Running", "train", &[])),
            ActionChecked::NotDone(MachineState::Running)
        );
        assert_eq!(
            decide(
                &Lifecycle::StopAndRelease,
                vm("StoppedDisassociated", "t", &[])
            ),
            ActionChecked::Done(MachineState::StoppedReleased)
        );
        // Someone else stopped it without releasing: neither as before nor released.
        assert_eq!(
            decide(&Lifecycle::StopAndRelease, vm("Stopped", "train", &[])),
            ActionChecked::Unclear(MachineState::Stopped)
        );
        assert_eq!(
            decide(&Lifecycle::Terminate, vm("Terminated", "train", &[])),
            ActionChecked::Done(MachineState::Terminated)
        );
        assert_eq!(
            ActionChecked::decide(&Lifecycle::Terminate, &running, Ok(None)),
            ActionChecked::Gone
        );
        assert!(ActionChecked::Gone.carried_out());
        let stopped = vm("Stopped", "train", &[]);
        assert_eq!(
            ActionChecked::decide(&Lifecycle::Start, &stopped, Ok(Some(running.clone()))),
            ActionChecked::Done(MachineState::Running)
        );
        let failed = ApiError::Network("offline".into());
        assert_eq!(
            ActionChecked::decide(&Lifecycle::Stop, &running, Err(failed.clone())),
            ActionChecked::NotKnown(failed)
        );
    }

    #[test]
    fn a_rental_read_again_after_a_stop_terminate_or_reboot() {
        let up = rental("Running", "Running");
        let reboot = Lifecycle::Reboot(vec!["68.25.82.82".into()]);
        assert_eq!(
            ActionChecked::decide(
                &Lifecycle::Stop,
                &up,
                Ok(Some(rental("Running", "Stopped")))
            ),
            ActionChecked::Done(MachineState::Stopped)
        );
        assert_eq!(
            ActionChecked::decide(&Lifecycle::Terminate, &up, Ok(Some(up.clone()))),
            ActionChecked::NotDone(MachineState::Running)
        );
        assert_eq!(
            ActionChecked::decide(&reboot, &up, Ok(Some(rental("Pending", "Running")))),
            ActionChecked::Done(MachineState::Pending)
        );
        // A reboot already over reads as before: not told apart from one never made.
        assert_eq!(
            ActionChecked::decide(&reboot, &up, Ok(Some(up.clone()))),
            ActionChecked::Unclear(MachineState::Running)
        );
    }

    #[test]
    fn a_rename_was_saved_when_the_machine_bears_what_was_sent() {
        let patch = DetailsPatch {
            name: Some("train-2".into()),
            tags: None,
        };
        assert!(matches!(
            details_saved(&patch, Ok(Some(vm("Running", "train-2", &["a"])))),
            Checked::Happened(_)
        ));
        assert_eq!(
            details_saved(&patch, Ok(Some(vm("Running", "train", &["a"])))),
            Checked::DidNotHappen
        );
        assert_eq!(details_saved(&patch, Ok(None)), Checked::DidNotHappen);
        let retag = DetailsPatch {
            name: None,
            tags: Some(vec!["gpu".into(), "eval".into()]),
        };
        assert!(matches!(
            details_saved(&retag, Ok(Some(vm("Running", "x", &["gpu", "eval"])))),
            Checked::Happened(_)
        ));
        assert_eq!(
            details_saved(&retag, Ok(Some(vm("Running", "x", &["gpu"])))),
            Checked::DidNotHappen
        );
        let failed = ApiError::Network("offline".into());
        assert_eq!(
            details_saved(&retag, Err(failed.clone())),
            Checked::NotKnown(failed)
        );
    }
}
