//! What the Machines page last said about the actions sent: one current notice per machine, so
//! "Stop and release requested" does not stay beside the same machine's newer "Start requested".

/// One machine's latest action, as told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionNotice {
    /// The machine's key ([`super::Machine::key`]).
    pub machine: String,
    /// "Start requested for eval-harness." / "Could not stop x: ...".
    pub text: String,
    /// False when the action failed or its outcome is unknown.
    pub ok: bool,
}

/// The notices shown, oldest first, at most one per machine.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionNotices {
    notices: Vec<ActionNotice>,
}

impl ActionNotices {
    /// Tells the outcome of `machine`'s newest action: it replaces what was said about the
    /// machine's earlier ones and goes last.
    pub fn record(&mut self, machine: &str, text: impl Into<String>, ok: bool) {
        self.notices.retain(|n| n.machine != machine);
        self.notices.push(ActionNotice {
            machine: machine.to_string(),
            text: text.into(),
            ok,
        });
    }

    pub fn iter(&self) -> impl Iterator<Item = &ActionNotice> {
        self.notices.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.notices.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(n: &ActionNotices) -> Vec<&str> {
        n.iter().map(|n| n.text.as_str()).collect()
    }

    #[test]
    fn a_machines_newer_action_replaces_what_was_said_of_its_older_one() {
        let mut notices = ActionNotices::default();
        assert!(notices.is_empty());
        notices.record(
            "voltagepark/vm/a",
            "Stop and release requested for eval.",
            true,
        );
        notices.record("voltagepark/vm/b", "Stop requested for train.", true);
        notices.record("voltagepark/vm/a", "Start requested for eval.", true);
        assert_eq!(
            texts(&notices),
            ["Stop requested for train.", "Start requested for eval."]
        );
        notices.record("voltagepark/vm/b", "Could not start train: 500.", false);
        assert_eq!(
            texts(&notices),
            ["Start requested for eval.", "Could not start train: 500."]
        );
        assert!(!notices.iter().last().unwrap().ok);
    }
}
