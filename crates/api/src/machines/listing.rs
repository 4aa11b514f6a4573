//! The machines of every account, list by list: a Voltage Park account answers with two lists
//! (its VMs and its bare-metal rentals), each kept on its own, so a 503 on one never hides the
//! rows of the other, a failed refresh keeps the rows already shown, and the headline's cost
//! says which lists it leaves out or counts from an older answer. A machine whose JSON could not be
//! read is kept as an unreadable row of its list ([`crate::rows`]); the headline says it is not
//! counted.

use super::machine::{AccountRef, Machine};
use crate::list_state::ListState;
use crate::rows::{Rows, UnreadableRow};
use crate::{ApiError, Money, Provider};

/// One list machines are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MachineList {
    VoltageParkVms,
    VoltageParkRentals,
    NetActuateServers,
    OctosVms,
}

impl MachineList {
    /// The lists an account of `provider` has, in the order they are shown.
    pub fn of(provider: Provider) -> &'static [MachineList] {
        match provider {
            Provider::VoltagePark => {
                &[MachineList::VoltageParkVms, MachineList::VoltageParkRentals]
            }
            Provider::NetActuate => &[MachineList::NetActuateServers],
            Provider::Octos => &[MachineList::OctosVms],
        }
    }

    /// What the list holds, in the user's words.
    pub fn label(self) -> &'static str {
        match self {
            MachineList::VoltageParkVms | MachineList::OctosVms => "VMs",
            MachineList::VoltageParkRentals => "bare-metal rentals",
            MachineList::NetActuateServers => "servers",
        }
    }
}

/// One list's answer: its machines (read or not), or why they could not be listed.
pub type ListAnswer = (MachineList, Result<Rows<Machine>, ApiError>);

/// One account's machines, list by list.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountListing {
    pub account: AccountRef,
    pub provider: Provider,
    pub lists: Vec<(MachineList, ListState<Machine, ApiError>)>,
}

impl AccountListing {
    /// An account none of whose lists has answered yet.
    pub fn new(account: AccountRef, provider: Provider) -> AccountListing {
        AccountListing {
            account,
            provider,
            lists: MachineList::of(provider)
                .iter()
                .map(|l| (*l, ListState::Loading))
                .collect(),
        }
    }

    /// Takes in a read of some of its lists that ended at `now`; the others stay as they are.
    pub fn record(&mut self, answers: Vec<ListAnswer>, now: f64) {
        for (list, result) in answers {
            if let Some((_, state)) = self.lists.iter_mut().find(|(l, _)| *l == list) {
                let before = std::mem::replace(state, ListState::Loading);
                *state = before.next(result, now);
            }
        }
    }

    /// "Voltage Park · prod".
    pub fn title(&self) -> String {
        format!("{} · {}", self.provider.display_name(), self.account.name)
    }

    /// "Voltage Park · prod VMs".
    pub fn list_title(&self, list: MachineList) -> String {
        format!("{} {}", self.title(), list.label())
    }

    /// Every machine shown for this account: each list's latest or last good rows.
    pub fn machines(&self) -> impl Iterator<Item = &Machine> {
        self.lists.iter().flat_map(|(_, s)| s.rows())
    }

    /// The items of its lists that could not be read as machines, list by list.
    pub fn unreadable(&self) -> impl Iterator<Item = (MachineList, &[UnreadableRow])> {
        self.lists
            .iter()
            .map(|(l, s)| (*l, s.unreadable()))
            .filter(|(_, rows)| !rows.is_empty())
    }

    /// True once every list has answered, well or not.
    pub fn is_answered(&self) -> bool {
        self.lists.iter().all(|(_, s)| s.is_answered())
    }
}

/// The listings after a read of every account in `accounts` at `now`: each account's lists
/// take in their answers (a failed list keeps its last good rows); accounts no longer signed
/// in are dropped; an account with no answer yet starts empty.
pub fn merge_listings(
    mut previous: Vec<AccountListing>,
    accounts: &[(AccountRef, Provider)],
    mut answers: Vec<(u32, Vec<ListAnswer>)>,
    now: f64,
) -> Vec<AccountListing> {
    accounts
        .iter()
        .map(|(account, provider)| {
            let mut listing = match previous
                .iter()
                .position(|l| l.account.id == account.id && l.provider == *provider)
            {
                Some(i) => previous.swap_remove(i),
                None => AccountListing::new(account.clone(), *provider),
            };
            // A renamed account keeps its rows.
            listing.account = account.clone();
            if let Some(i) = answers.iter().position(|(id, _)| *id == account.id) {
                let (_, lists) = answers.swap_remove(i);
                listing.record(lists, now);
            }
            listing
        })
        .collect()
}

/// Which lists the headline's sums leave out, and which they count from an older answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Coverage {
    /// Lists that never answered: "Voltage Park · prod VMs".
    pub not_counted: Vec<String>,
    /// Lists counted from their last good answer, with its time.
    pub counted_as_of: Vec<(String, f64)>,
    /// Lists with items that could not be read (so are not counted), with how many.
    pub unreadable: Vec<(String, usize)>,
    /// Lists still being read for the first time (their rows come as soon as they answer).
    pub still_listing: Vec<String>,
}

impl Coverage {
    /// The coverage of every list of `listings`, or only of `provider`'s when the table shows
    /// one provider.
    pub fn of(listings: &[AccountListing], provider: Option<Provider>) -> Coverage {
        let mut coverage = Coverage::default();
        for listing in listings
            .iter()
            .filter(|l| provider.is_none_or(|p| l.provider == p))
        {
            for (list, state) in &listing.lists {
                if !state.unreadable().is_empty() {
                    coverage
                        .unreadable
                        .push((listing.list_title(*list), state.unreadable().len()));
                }
                match state {
                    ListState::Failed(_) => coverage.not_counted.push(listing.list_title(*list)),
                    ListState::Stale { as_of, .. } => coverage
                        .counted_as_of
                        .push((listing.list_title(*list), *as_of)),
                    ListState::Loading => coverage.still_listing.push(listing.list_title(*list)),
                    ListState::Fresh { .. } => {}
                }
            }
        }
        coverage
    }

    /// True when every list counted is the provider's latest answer.
    pub fn is_complete(&self) -> bool {
        self.not_counted.is_empty()
            && self.counted_as_of.is_empty()
            && self.unreadable.is_empty()
            && self.still_listing.is_empty()
    }

    /// A sum of the rows shown, as the headline says it: `$41.25` when complete; marked
    /// incomplete otherwise, and never a bare `$0.00` for a bill nobody could read.
    pub fn amount(&self, sum: Money) -> String {
        if self.is_complete() {
            sum.to_cents_string()
        } else if sum == Money::ZERO && self.counted_as_of.is_empty() {
            "unknown (incomplete)".to_string()
        } else {
            format!("{} (incomplete)", sum.to_cents_string())
        }
    }

    /// Why the headline is incomplete, `time` writing an answer's time ("14:02"); `None` when
    /// it is complete. "not counting Voltage Park · prod VMs, which could not be listed;
    /// counting Voltage Park · prod bare-metal rentals as of 14:02, which could not be refreshed".
    pub fn explain(&self, time: impl Fn(f64) -> String) -> Option<String> {
        let mut parts = Vec::new();
        if !self.still_listing.is_empty() {
            parts.push(format!("still listing {}", self.still_listing.join(", ")));
        }
        if !self.not_counted.is_empty() {
            parts.push(format!(
                "not counting {}, which could not be listed",
                self.not_counted.join(", ")
            ));
        }
        if !self.unreadable.is_empty() {
            let lists: Vec<String> = self
                .unreadable
                .iter()
                .map(|(name, n)| format!("{} of {name}", crate::words::count(*n, "row", "rows")))
                .collect();
            parts.push(format!(
                "not counting {}, which could not be read",
                lists.join(", ")
            ));
        }
        if !self.counted_as_of.is_empty() {
            let lists: Vec<String> = self
                .counted_as_of
                .iter()
                .map(|(name, at)| format!("{name} as of {}", time(*at)))
                .collect();
            parts.push(format!(
                "counting {}, which could not be refreshed",
                lists.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machines::VmLogin;

    #[test]
    fn a_list_still_being_read_is_named_and_the_sum_is_incomplete_until_it_answers() {
        let mut listing = AccountListing::new(account(), Provider::VoltagePark);
        // The rentals answered first: their rows count, the VMs are still being listed.
        listing.record(
            vec![(MachineList::VoltageParkRentals, Ok(Rows::default()))],
            1.0,
        );
        let coverage = Coverage::of(std::slice::from_ref(&listing), None);
        assert_eq!(coverage.still_listing, ["Voltage Park · prod VMs"]);
        assert!(!coverage.is_complete());
        assert_eq!(
            coverage.explain(|_| String::new()).as_deref(),
            Some("still listing Voltage Park · prod VMs")
        );
        listing.record(
            vec![(MachineList::VoltageParkVms, Ok(Rows::default()))],
            2.0,
        );
        assert!(Coverage::of(&[listing], None).is_complete());
    }
    use crate::voltagepark::vms;
    use crate::HttpError;

    fn account() -> AccountRef {
        AccountRef {
            id: 1,
            name: "prod".into(),
        }
    }

    fn vm(name: &str, rate: &str) -> Machine {
        let raw = serde_json::json!({
            "id": format!("id-{name}"), "status": "Running", "name": name,
            "pricing": {"total_associated_per_hr": rate, "total_disassociated_per_hr": "0.01"},
        });
        let (v, raw) = vms::read_vm(raw).unwrap();
        Machine::from_vm(&account(), v, raw, &VmLogin::for_account(None))
    }

    fn unavailable() -> ApiError {
        ApiError::Http(HttpError::from_response(
            Provider::VoltagePark,
            503,
            r#"{"detail": "Service Unavailable"}"#,
        ))
    }

    fn names(listing: &AccountListing) -> Vec<&str> {
        listing.machines().map(|m| m.name.as_str()).collect()
    }

    fn prod() -> Vec<(AccountRef, Provider)> {
        vec![(account(), Provider::VoltagePark)]
    }

    #[test]
    fn a_failed_vm_list_leaves_the_rentals_shown_and_the_total_incomplete() {
        let listings = merge_listings(
            Vec::new(),
            &prod(),
            vec![(
                1,
                vec![
                    (MachineList::VoltageParkVms, Err(unavailable())),
                    (
                        MachineList::VoltageParkRentals,
                        Ok(vec![vm("pretrain-cluster", "20.00")].into()),
                    ),
                ],
            )],
            1_000.0,
        );
        assert_eq!(names(&listings[0]), ["pretrain-cluster"]);
        let coverage = Coverage::of(&listings, None);
        assert_eq!(coverage.not_counted, ["Voltage Park · prod VMs"]);
        assert!(!coverage.is_complete());
        assert_eq!(
            coverage.amount(Money::parse("20").unwrap()),
            "$20.00 (incomplete)"
        );
        assert_eq!(
            coverage.explain(|_| unreachable!()).unwrap(),
            "not counting Voltage Park · prod VMs, which could not be listed"
        );
    }

    #[test]
    fn nothing_listed_is_an_unknown_cost_not_zero() {
        let listings = merge_listings(
            Vec::new(),
            &prod(),
            vec![(
                1,
                vec![
                    (MachineList::VoltageParkVms, Err(unavailable())),
                    (MachineList::VoltageParkRentals, Err(unavailable())),
                ],
            )],
            1.0,
        );
        let coverage = Coverage::of(&listings, None);
        assert_eq!(coverage.amount(Money::ZERO), "unknown (incomplete)");
        // Showing only another provider, the failed lists do not concern the sum.
        let netactuate = Coverage::of(&listings, Some(Provider::NetActuate));
        assert!(netactuate.is_complete());
        assert_eq!(netactuate.amount(Money::ZERO), "$0.00");
    }

    #[test]
    fn a_failed_refresh_keeps_each_lists_rows_and_says_as_of_when() {
        let first = merge_listings(
            Vec::new(),
            &prod(),
            vec![(
                1,
                vec![
                    (
                        MachineList::VoltageParkVms,
                        Ok(vec![vm("train", "2.50")].into()),
                    ),
                    (
                        MachineList::VoltageParkRentals,
                        Ok(vec![vm("rental", "20")].into()),
                    ),
                ],
            )],
            1_000.0,
        );
        let second = merge_listings(
            first,
            &prod(),
            vec![(
                1,
                vec![
                    (MachineList::VoltageParkVms, Err(unavailable())),
                    (MachineList::VoltageParkRentals, Ok(Rows::default())),
                ],
            )],
            61_000.0,
        );
        // The VMs' last good rows stay; the rentals' fresh (empty) answer replaces theirs.
        assert_eq!(names(&second[0]), ["train"]);
        let (_, vms) = &second[0].lists[0];
        assert_eq!(vms.stale_since(), Some(1_000.0));
        assert_eq!(vms.error(), Some(&unavailable()));
        let coverage = Coverage::of(&second, None);
        assert!(coverage.not_counted.is_empty());
        assert_eq!(
            coverage.explain(|at| format!("t={at}")).unwrap(),
            "counting Voltage Park · prod VMs as of t=1000, which could not be refreshed"
        );
        assert_eq!(
            coverage.amount(Money::ZERO),
            "$0.00 (incomplete)",
            "rows counted as of an older answer make a sum, marked incomplete"
        );
    }

    #[test]
    fn accounts_come_and_go_with_the_sign_ins_and_keep_their_rows_while_unanswered() {
        let first = merge_listings(
            Vec::new(),
            &prod(),
            vec![(
                1,
                vec![(
                    MachineList::VoltageParkVms,
                    Ok(vec![vm("train", "1")].into()),
                )],
            )],
            1.0,
        );
        let research = AccountRef {
            id: 2,
            name: "research".into(),
        };
        let renamed = AccountRef {
            id: 1,
            name: "production".into(),
        };
        let both = merge_listings(
            first,
            &[
                (renamed, Provider::VoltagePark),
                (research, Provider::Octos),
            ],
            Vec::new(),
            2.0,
        );
        assert_eq!(both.len(), 2);
        assert_eq!(names(&both[0]), ["train"]);
        assert_eq!(both[0].account.name, "production");
        // The rentals list has still not answered: it does not block the rows, and the sum
        // says it is still being listed.
        assert!(!both[0].is_answered());
        assert!(!both[1].is_answered() && both[1].machines().next().is_none());
        assert_eq!(
            Coverage::of(&both, None).still_listing,
            [
                "Voltage Park · production bare-metal rentals",
                "Octos Cloud · research VMs"
            ]
        );
        let gone = merge_listings(both, &prod(), Vec::new(), 3.0);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].account.id, 1);
    }

    #[test]
    fn every_provider_has_its_lists() {
        assert_eq!(MachineList::of(Provider::VoltagePark).len(), 2);
        for p in Provider::ALL {
            let listing = AccountListing::new(account(), p);
            assert_eq!(listing.lists.len(), MachineList::of(p).len());
        }
        assert_eq!(
            AccountListing::new(account(), Provider::NetActuate)
                .list_title(MachineList::NetActuateServers),
            "NetActuate · prod servers"
        );
    }

    #[test]
    fn an_unreadable_machine_is_listed_apart_and_left_out_of_the_sum() {
        let mut rentals = Rows::from(vec![vm("pretrain", "20")]);
        rentals.unreadable.push(UnreadableRow::new(
            serde_json::json!({"id": "r-9", "name": "odd", "node_networking": "x"}),
            "invalid type",
        ));
        let listings = merge_listings(
            Vec::new(),
            &prod(),
            vec![(
                1,
                vec![
                    (MachineList::VoltageParkVms, Ok(Rows::default())),
                    (MachineList::VoltageParkRentals, Ok(rentals)),
                ],
            )],
            1.0,
        );
        assert_eq!(names(&listings[0]), ["pretrain"]);
        let unreadable: Vec<_> = listings[0].unreadable().collect();
        assert_eq!(unreadable.len(), 1);
        assert_eq!(unreadable[0].0, MachineList::VoltageParkRentals);
        assert_eq!(unreadable[0].1[0].label(), "odd (id r-9)");
        let coverage = Coverage::of(&listings, None);
        assert!(!coverage.is_complete());
        assert_eq!(
            coverage.amount(Money::parse("20").unwrap()),
            "$20.00 (incomplete)"
        );
        assert_eq!(
            coverage.explain(|_| unreachable!()).unwrap(),
            "not counting 1 row of Voltage Park · prod bare-metal rentals, which could not be read"
        );
    }
}
