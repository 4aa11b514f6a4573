//! Cost so far per machine (or volume) and per tag, from the transactions' `linked_instance`:
//! for a month and for the whole life of each.

use std::collections::BTreeMap;

use super::{Entry, LinkedKind};
use crate::Money;

/// What one machine or volume has cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceCost {
    pub kind: LinkedKind,
    pub id: String,
    /// In the month shown (its transactions' period amounts).
    pub month: Money,
    /// Since it was created (every transaction linked to it).
    pub lifetime: Money,
}

/// Costs by instance: `month` holds the month's transactions, `lifetime` every transaction.
/// Charges add, payouts subtract; largest lifetime cost first.
pub fn costs_per_instance(month: &[Entry], lifetime: &[Entry]) -> Vec<InstanceCost> {
    let mut by: BTreeMap<(LinkedKind, String), (Money, Money)> = BTreeMap::new();
    for (entries, in_month) in [(month, true), (lifetime, false)] {
        for e in entries {
            let (Some(linked), Some(_)) = (&e.linked, e.kind.spend_kind()) else {
                continue;
            };
            let slot = by
                .entry((linked.kind.clone(), linked.id.clone()))
                .or_default();
            if in_month {
                let part = e.period_amount.or(e.amount).unwrap_or(Money::ZERO);
                slot.0 = slot.0 - part;
            } else {
                slot.1 = slot.1 + e.spent();
            }
        }
    }
    let mut rows: Vec<InstanceCost> = by
        .into_iter()
        .map(|((kind, id), (month, lifetime))| InstanceCost {
            kind,
            id,
            month,
            // A month's charges are part of the whole life even if the lifetime list was cut.
            lifetime: lifetime.max(month),
        })
        .collect();
    rows.sort_by(|a, b| b.lifetime.cmp(&a.lifetime).then(a.id.cmp(&b.id)));
    rows
}

/// What the machines carrying one tag have cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCost {
    /// `None` for instances without a tag (volumes, and machines no longer listed).
    pub tag: Option<String>,
    pub instances: usize,
    pub month: Money,
    pub lifetime: Money,
}

/// Costs by tag. An instance with several tags counts under each, so tag rows can add up to
/// more than the total. `tags_of` gives an instance's tags (empty when unknown).
pub fn costs_per_tag(
    instances: &[InstanceCost],
    tags_of: impl Fn(&InstanceCost) -> Vec<String>,
) -> Vec<TagCost> {
    let mut by: BTreeMap<Option<String>, TagCost> = BTreeMap::new();
    for i in instances {
        let mut tags: Vec<Option<String>> = tags_of(i).into_iter().map(Some).collect();
        tags.sort();
        tags.dedup();
        if tags.is_empty() {
            tags.push(None);
        }
        for tag in tags {
            let row = by.entry(tag.clone()).or_insert(TagCost {
                tag,
                instances: 0,
                month: Money::ZERO,
                lifetime: Money::ZERO,
            });
            row.instances += 1;
            row.month = row.month + i.month;
            row.lifetime = row.lifetime + i.lifetime;
        }
    }
    let mut rows: Vec<TagCost> = by.into_values().collect();
    // Tagged first, largest lifetime first; the untagged row last.
    rows.sort_by(|a, b| {
        a.tag
            .is_none()
            .cmp(&b.tag.is_none())
            .then(b.lifetime.cmp(&a.lifetime))
            .then(a.tag.cmp(&b.tag))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::{LinkedInstance, TransactionKind};

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn e(kind: TransactionKind, amount: &str, linked: Option<(LinkedKind, &str)>) -> Entry {
        Entry {
            id: amount.into(),
            amount: Money::parse(amount),
            period_amount: None,
            created: Some(0),
            completed: Some(0),
            kind,
            linked: linked.map(|(kind, id)| LinkedInstance {
                kind,
                id: id.into(),
                deleted: None,
            }),
        }
    }

    #[test]
    fn costs_add_up_per_instance_for_the_month_and_its_life() {
        use TransactionKind::*;
        let vm = Some((LinkedKind::Vm, "vm-1"));
        let rental = Some((LinkedKind::BareMetal, "r-1"));
        let month = [
            e(VmCharge, "-2.5", vm.clone()),
            e(VmPayout, "0.5", vm.clone()),
            e(BareMetalCharge, "-35.2", rental.clone()),
            e(Deposit, "1000", None),
        ];
        let lifetime = [
            e(VmCharge, "-100", vm.clone()),
            e(VmCharge, "-2.5", vm.clone()),
            e(VmPayout, "0.5", vm),
            e(BareMetalCharge, "-35.2", rental),
            e(Deposit, "1000", None),
        ];
        let rows = costs_per_instance(&month, &lifetime);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].id, "vm-1");
        assert_eq!((rows[0].month, rows[0].lifetime), (m("2"), m("102")));
        assert_eq!(rows[1].kind, LinkedKind::BareMetal);
        assert_eq!((rows[1].month, rows[1].lifetime), (m("35.2"), m("35.2")));
        // A lifetime list that lacks the month still covers the month.
        let rows = costs_per_instance(&month, &[]);
        assert_eq!(rows[0].lifetime, rows[0].month);
    }

    #[test]
    fn tags_count_each_machine_under_each_of_its_tags() {
        let cost = |id: &str, month: &str, life: &str| InstanceCost {
            kind: LinkedKind::Vm,
            id: id.into(),
            month: m(month),
            lifetime: m(life),
        };
        let rows = [
            cost("a", "1", "10"),
            cost("b", "2", "20"),
            cost("vol", "3", "3"),
        ];
        let tags = costs_per_tag(&rows, |i| match i.id.as_str() {
            "a" => vec!["llm".into(), "training".into(), "llm".into()],
            "b" => vec!["llm".into()],
            _ => vec![],
        });
        assert_eq!(tags.len(), 3);
        assert_eq!(tags[0].tag.as_deref(), Some("llm"));
        assert_eq!(
            (tags[0].instances, tags[0].month, tags[0].lifetime),
            (2, m("3"), m("30"))
        );
        assert_eq!(tags[1].tag.as_deref(), Some("training"));
        assert_eq!(tags[1].lifetime, m("10"));
        assert_eq!(tags[2].tag, None);
        assert_eq!(tags[2].month, m("3"));
    }
}
