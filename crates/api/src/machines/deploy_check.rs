//! "Did the deploy happen?": when a deploy's answer never came (the connection dropped, the
//! request timed out), the console does not send it again. It looks for the machine the deploy
//! would have made (same kind, same name, created since just before the click) and only offers
//! to try again when there is none.

use super::machine::{Machine, MachineKind};
use crate::rows::UnreadableRow;

/// Seconds of clock difference between the browser and the provider that still count as "since
/// the click".
pub const CLOCK_SLACK_SECONDS: i64 = 300;

/// A deploy sent fewer than this many seconds ago may still be on its way to the provider (a
/// reload or a dropped connection in the browser does not stop a request the proxy has already
/// passed on): finding nothing that early is not yet "it did not happen", so the console looks
/// again once this long has passed since the click.
pub const SETTLE_SECONDS: i64 = 10;

/// The machine a deploy of `kind` named `name`, sent at `sent_at` (seconds since 1970), made:
/// the newest such machine created since then (give or take [`CLOCK_SLACK_SECONDS`]). A machine
/// without a readable creation time counts when its name matches, since it cannot be ruled out.
pub fn find_deployed<'a>(
    machines: &'a [Machine],
    kind: MachineKind,
    name: &str,
    sent_at: i64,
) -> Option<&'a Machine> {
    machines
        .iter()
        .filter(|m| m.kind == kind && m.name == name && !m.is_terminated())
        .filter(|m| {
            m.created_at
                .is_none_or(|created| created >= sent_at - CLOCK_SLACK_SECONDS)
        })
        .max_by_key(|m| m.created_at.unwrap_or(i64::MAX))
}

/// A listed item that could not be read and might be the machine the deploy named `name` made:
/// one with that name, or with no readable name. While one is listed, "it did not happen" cannot
/// be said (offering to deploy again could make a second, billed machine).
pub fn unreadable_could_be<'a>(rows: &'a [UnreadableRow], name: &str) -> Option<&'a UnreadableRow> {
    rows.iter().find(|r| r.could_be_named(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_rfc3339;
    use crate::machines::{AccountRef, VmLogin};
    use crate::voltagepark::vms;

    fn vm(id: &str, name: &str, created: &str, status: &str) -> Machine {
        let account = AccountRef {
            id: 1,
            name: "prod".into(),
        };
        let (v, raw) = vms::read_vm(serde_json::json!({
            "id": id, "name": name, "status": status, "timestamp_creation": created,
        }))
        .unwrap();
        Machine::from_vm(&account, v, raw, &VmLogin::for_account(None))
    }

    #[test]
    fn finds_the_machine_made_since_the_click_and_nothing_older() {
        let sent = parse_rfc3339("2026-11-25T10:00:00Z").unwrap();
        let fleet = vec![
            vm("old", "train", "2026-11-20T10:00:00Z", "Running"),
            vm("new", "train", "2026-11-25T10:00:02Z", "Pending"),
            vm("other", "infer", "2026-11-25T10:00:01Z", "Pending"),
        ];
        let found = find_deployed(&fleet, MachineKind::InstantVm, "train", sent);
        assert_eq!(found.map(|m| m.id.as_str()), Some("new"));
        // Not a rental; and nothing named so since the click.
        assert!(find_deployed(&fleet, MachineKind::BareMetal, "train", sent).is_none());
        let later = parse_rfc3339("2026-11-26T10:00:00Z").unwrap();
        assert!(find_deployed(&fleet, MachineKind::InstantVm, "train", later).is_none());
        // A few seconds of clock difference still count.
        let early = vec![vm("skew", "train", "2026-11-25T09:58:30Z", "Pending")];
        assert!(find_deployed(&early, MachineKind::InstantVm, "train", sent).is_some());
    }

    #[test]
    fn an_unreadable_row_of_that_name_or_without_one_cannot_be_ruled_out() {
        let named = |v| UnreadableRow::new(v, "invalid type");
        let rows = [
            named(serde_json::json!({"id": "a", "name": "infer"})),
            named(serde_json::json!({"id": "b", "name": "train"})),
        ];
        assert_eq!(
            unreadable_could_be(&rows, "train").unwrap().label(),
            "train (id b)"
        );
        assert!(unreadable_could_be(&rows, "eval").is_none());
        let nameless = [named(serde_json::json!({"id": "c"}))];
        assert!(unreadable_could_be(&nameless, "eval").is_some());
    }
}
