//! The transactions as CSV (RFC 4180): every field that needs it quoted, amounts with the
//! provider's six decimals, names kept from being read as spreadsheet formulas.

use super::{Direction, Entry, LinkedInstance};
use crate::calendar::utc_label;

/// One CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A free-text field (a name a user chose): one that a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, tab, carriage return first) is prefixed with `'`.
pub fn text_field(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        field(&format!("'{s}"))
    } else {
        field(s)
    }
}

pub const HEADER: &str =
    "id,created_utc,completed_utc,type,direction,amount_usd,linked_kind,linked_id,linked_name";

/// `entries` as CSV, header first, one line per transaction ending in CRLF. `name_of` gives a
/// linked machine's or volume's name when it still exists.
pub fn transactions_csv(
    entries: &[Entry],
    name_of: impl Fn(&LinkedInstance) -> Option<String>,
) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\r\n");
    for e in entries {
        let time = |t: Option<i64>| t.map(utc_label).unwrap_or_default();
        let (linked_kind, linked_id, linked_name) = match &e.linked {
            Some(l) => (
                l.kind.label().to_string(),
                l.id.clone(),
                name_of(l).unwrap_or_default(),
            ),
            None => Default::default(),
        };
        let cells = [
            field(&e.id),
            field(&time(e.created)),
            field(&time(e.completed)),
            field(e.kind.label()),
            e.amount
                .map(|a| Direction::of(a).label().to_string())
                .unwrap_or_default(),
            e.amount.map(|a| a.to_string()).unwrap_or_default(),
            field(&linked_kind),
            field(&linked_id),
            text_field(&linked_name),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::{LinkedKind, TransactionKind};
    use crate::Money;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(
            text_field("=HYPERLINK(\"x\")"),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(text_field("-rm"), "'-rm");
        assert_eq!(text_field("train, llama"), "\"train, llama\"");
    }

    #[test]
    fn transactions_keep_six_decimals_and_their_names() {
        let entries = [
            Entry {
                id: "t1".into(),
                amount: Money::parse("-2.1"),
                period_amount: None,
                created: Some(1_764_028_800), // 2025-11-25 00:00 UTC
                completed: Some(1_764_032_400),
                kind: TransactionKind::VmCharge,
                linked: Some(LinkedInstance {
                    kind: LinkedKind::Vm,
                    id: "vm-1".into(),
                    deleted: None,
                }),
            },
            Entry {
                id: "t2".into(),
                amount: Money::parse("1000"),
                period_amount: None,
                created: Some(1_764_028_800),
                completed: None,
                kind: TransactionKind::Deposit,
                linked: None,
            },
            Entry {
                id: "t3".into(),
                amount: None,
                period_amount: None,
                created: None,
                completed: None,
                kind: TransactionKind::Other,
                linked: Some(LinkedInstance {
                    kind: LinkedKind::Storage,
                    id: "gone".into(),
                    deleted: None,
                }),
            },
        ];
        let csv = transactions_csv(&entries, |l| {
            (l.id == "vm-1").then(|| "train, \"llama\"".to_string())
        });
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], HEADER);
        assert_eq!(
            lines[1],
            "t1,2025-11-25 00:00 UTC,2025-11-25 01:00 UTC,VM usage,Charge,-2.100000,VM,vm-1,\"train, \"\"llama\"\"\""
        );
        assert_eq!(
            lines[2],
            "t2,2025-11-25 00:00 UTC,,Deposit (card),Credit,1000.000000,,,"
        );
        assert_eq!(lines[3], "t3,,,Other,,,Volume,gone,");
        assert_eq!(lines[4], "");
        assert_eq!(lines.len(), 5);
    }
}
