//! What the machines table shows: the filter, the order, and the totals of the rows shown. All
//! of it round-trips through the URL's query so a link or a reload shows the same view.

use std::cmp::Ordering;

use super::machine::{Machine, MachineKind};
use super::state::MachineState;
use crate::{Money, Provider};

/// Which machines to show. Empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MachineFilter {
    pub provider: Option<Provider>,
    pub state: Option<MachineState>,
    pub kind: Option<MachineKind>,
    pub tag: Option<String>,
    /// Free text, matched case-insensitively against name, id, status, account, location,
    /// GPU, addresses and tags.
    pub text: String,
}

impl MachineFilter {
    pub fn matches(&self, m: &Machine) -> bool {
        self.matches_words(m, &self.words())
    }

    /// The free text's words, lower-cased: worked out once per pass over the machines.
    fn words(&self) -> Vec<String> {
        self.text
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    fn matches_words(&self, m: &Machine, words: &[String]) -> bool {
        self.provider.is_none_or(|p| m.provider == p)
            && self.state.is_none_or(|s| m.state == s)
            && self.kind.is_none_or(|k| m.kind == k)
            && self
                .tag
                .as_ref()
                .is_none_or(|t| m.tags.iter().any(|x| x == t))
            && words.iter().all(|word| m.haystack.contains(word.as_str()))
    }

    /// True when nothing is filtered out.
    pub fn is_empty(&self) -> bool {
        *self == MachineFilter::default()
    }

    /// The filter as query parameters (only those set), e.g. `provider=voltagepark&q=train`.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if let Some(p) = self.provider {
            q.push(("provider", p.slug().to_string()));
        }
        if let Some(s) = self.state {
            q.push(("status", s.slug().to_string()));
        }
        if let Some(k) = self.kind {
            q.push(("kind", k.slug().to_string()));
        }
        if let Some(t) = &self.tag {
            q.push(("tag", t.clone()));
        }
        if !self.text.is_empty() {
            q.push(("q", self.text.clone()));
        }
        q
    }

    /// Reads the filter back from query parameters; unknown values are ignored.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> MachineFilter {
        MachineFilter {
            provider: get("provider").and_then(|p| p.parse().ok()),
            state: get("status").and_then(|s| MachineState::from_slug(&s)),
            kind: get("kind").and_then(|k| MachineKind::from_slug(&k)),
            tag: get("tag").filter(|t| !t.is_empty()),
            text: get("q").unwrap_or_default(),
        }
    }
}

/// The columns the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Provider,
    Name,
    Status,
    Gpus,
    Location,
    Hourly,
    Age,
    Address,
    Tags,
}

impl SortColumn {
    pub const ALL: [SortColumn; 9] = [
        SortColumn::Provider,
        SortColumn::Name,
        SortColumn::Status,
        SortColumn::Gpus,
        SortColumn::Location,
        SortColumn::Hourly,
        SortColumn::Age,
        SortColumn::Address,
        SortColumn::Tags,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            SortColumn::Provider => "provider",
            SortColumn::Name => "name",
            SortColumn::Status => "status",
            SortColumn::Gpus => "gpus",
            SortColumn::Location => "location",
            SortColumn::Hourly => "hourly",
            SortColumn::Age => "age",
            SortColumn::Address => "address",
            SortColumn::Tags => "tags",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortColumn::Provider => "Provider / account",
            SortColumn::Name => "Name",
            SortColumn::Status => "Status",
            SortColumn::Gpus => "GPUs",
            SortColumn::Location => "Location",
            SortColumn::Hourly => "$/hour",
            SortColumn::Age => "Age",
            SortColumn::Address => "Address",
            SortColumn::Tags => "Tags",
        }
    }
}

/// The table's order: a column, ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            column: SortColumn::Provider,
            descending: false,
        }
    }
}

impl Sort {
    /// `name` or `-hourly` (descending).
    pub fn to_query(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.column.slug()
        )
    }

    pub fn from_query(s: &str) -> Option<Sort> {
        let (descending, slug) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        SortColumn::ALL
            .into_iter()
            .find(|c| c.slug() == slug)
            .map(|column| Sort { column, descending })
    }

    /// Clicking a column header: the same column flips, another column starts ascending.
    pub fn toggled(self, column: SortColumn) -> Sort {
        if self.column == column {
            Sort {
                column,
                descending: !self.descending,
            }
        } else {
            Sort {
                column,
                descending: false,
            }
        }
    }

    fn compare(self, a: &Machine, b: &Machine) -> Ordering {
        let natural = |a: &str, b: &str| a.to_lowercase().cmp(&b.to_lowercase());
        let ord = match self.column {
            SortColumn::Provider => a
                .provider
                .cmp(&b.provider)
                .then_with(|| a.account_key.cmp(&b.account_key)),
            SortColumn::Name => a.name_key.cmp(&b.name_key),
            SortColumn::Status => a.state.cmp(&b.state),
            SortColumn::Gpus => {
                let g = |m: &Machine| m.gpus.as_ref().map(|g| (g.count, g.model.clone()));
                g(a).cmp(&g(b))
            }
            SortColumn::Location => natural(
                a.location.as_deref().unwrap_or(""),
                b.location.as_deref().unwrap_or(""),
            ),
            SortColumn::Hourly => a.hourly.cmp(&b.hourly),
            // Youngest first when ascending by age: later creation time.
            SortColumn::Age => b.created_at.cmp(&a.created_at),
            SortColumn::Address => a.addresses.first().cmp(&b.addresses.first()),
            SortColumn::Tags => a.tags.join(",").cmp(&b.tags.join(",")),
        };
        // Ties keep a stable, meaningful order: by name, then key.
        let ord = ord
            .then_with(|| a.name_key.cmp(&b.name_key))
            .then_with(|| a.id.cmp(&b.id));
        if self.descending {
            ord.reverse()
        } else {
            ord
        }
    }
}

/// Every position in `machines`, in `sort` order (stable). The machines page keeps it while only
/// the search changes, so a keystroke filters a sorted list instead of sorting again: with 5,000
/// machines the sort was most of a keystroke's cost.
pub fn sorted(machines: &[Machine], sort: Sort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..machines.len()).collect();
    order.sort_by(|&a, &b| sort.compare(&machines[a], &machines[b]));
    order
}

/// The positions in `order` whose machine passes `filter`, in the same order.
pub fn filtered(machines: &[Machine], order: &[usize], filter: &MachineFilter) -> Vec<usize> {
    let words = filter.words();
    order
        .iter()
        .copied()
        .filter(|&i| filter.matches_words(&machines[i], &words))
        .collect()
}

/// What the machines shown cost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub machines: usize,
    pub hourly: Money,
    pub daily: Money,
    /// Machines whose provider gives no price (left out of the sums).
    pub unpriced: usize,
}

impl Totals {
    /// The totals of `rows` (positions in `machines`). Storage volumes are billed apart.
    pub fn of(machines: &[Machine], rows: &[usize]) -> Totals {
        let mut t = Totals {
            machines: rows.len(),
            ..Totals::default()
        };
        for &i in rows {
            match machines[i].hourly {
                Some(h) => t.hourly = t.hourly + h,
                None => t.unpriced += 1,
            }
        }
        t.daily = t.hourly * 24;
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The positions in `machines` of the rows to show, in order: [`sorted`], then [`filtered`].
    fn arrange(machines: &[Machine], filter: &MachineFilter, sort: Sort) -> Vec<usize> {
        filtered(machines, &sorted(machines, sort), filter)
    }

    use crate::machines::{AccountRef, VmLogin};
    use crate::voltagepark::vms;

    fn vm(name: &str, status: &str, rate: &str, tags: &[&str], created: &str) -> Machine {
        let raw = serde_json::json!({
            "id": format!("id-{name}"), "status": status, "name": name,
            "resources": {"gpus": {"h100-sxm5-80gb": {"count": 1}}},
            "pricing": {"total_associated_per_hr": rate, "total_disassociated_per_hr": "0.010000"},
            "public_ip": "203.0.113.1", "port_forwards": [{"internal_port": 22, "external_port": 2000}],
            "timestamp_creation": created, "tags": tags
        });
        let (v, raw) = vms::read_vm(raw).unwrap();
        let account = AccountRef {
            id: 1,
            name: "prod".into(),
        };
        Machine::from_vm(&account, v, raw, &VmLogin::for_account(None))
    }

    fn fleet() -> Vec<Machine> {
        vec![
            vm(
                "train-a",
                "Running",
                "2.500000",
                &["llm"],
                "2025-01-03T00:00:00Z",
            ),
            vm(
                "eval",
                "Stopped",
                "1.250000",
                &["eval"],
                "2025-01-01T00:00:00Z",
            ),
            vm(
                "Archive",
                "StoppedDisassociated",
                "9.000000",
                &[],
                "2025-01-02T00:00:00Z",
            ),
        ]
    }

    fn names(m: &[Machine], rows: &[usize]) -> Vec<String> {
        rows.iter().map(|&i| m[i].name.clone()).collect()
    }

    #[test]
    fn filters_by_state_tag_and_words() {
        let m = fleet();
        let all = arrange(&m, &MachineFilter::default(), Sort::default());
        assert_eq!(all.len(), 3);
        let stopped = MachineFilter {
            state: Some(MachineState::Stopped),
            ..Default::default()
        };
        assert_eq!(names(&m, &arrange(&m, &stopped, Sort::default())), ["eval"]);
        let tagged = MachineFilter {
            tag: Some("llm".into()),
            ..Default::default()
        };
        assert_eq!(
            names(&m, &arrange(&m, &tagged, Sort::default())),
            ["train-a"]
        );
        let text = MachineFilter {
            text: "  H100 TRAIN ".into(),
            ..Default::default()
        };
        assert_eq!(names(&m, &arrange(&m, &text, Sort::default())), ["train-a"]);
        let released = MachineFilter {
            text: "stopped and released".into(),
            ..Default::default()
        };
        assert_eq!(
            names(&m, &arrange(&m, &released, Sort::default())),
            ["Archive"]
        );
        let other_provider = MachineFilter {
            provider: Some(Provider::Octos),
            ..Default::default()
        };
        assert!(arrange(&m, &other_provider, Sort::default()).is_empty());
    }

    #[test]
    fn filtering_a_sorted_list_is_sorting_the_filtered_list() {
        let m = fleet();
        let text = MachineFilter {
            text: "a".into(),
            ..MachineFilter::default()
        };
        for column in [
            SortColumn::Name,
            SortColumn::Hourly,
            SortColumn::Age,
            SortColumn::Status,
        ] {
            for descending in [false, true] {
                let sort = Sort { column, descending };
                let mut expected: Vec<usize> =
                    (0..m.len()).filter(|&i| text.matches(&m[i])).collect();
                expected.sort_by(|&a, &b| sort.compare(&m[a], &m[b]));
                assert_eq!(
                    arrange(&m, &text, sort),
                    expected,
                    "{column:?} {descending}"
                );
            }
        }
    }

    #[test]
    fn sorts_by_any_column_both_ways() {
        let m = fleet();
        let by = |column, descending| {
            names(
                &m,
                &arrange(&m, &MachineFilter::default(), Sort { column, descending }),
            )
        };
        assert_eq!(by(SortColumn::Name, false), ["Archive", "eval", "train-a"]);
        assert_eq!(by(SortColumn::Name, true), ["train-a", "eval", "Archive"]);
        // The released VM costs 0.01/h now.
        assert_eq!(
            by(SortColumn::Hourly, false),
            ["Archive", "eval", "train-a"]
        );
        assert_eq!(by(SortColumn::Age, false), ["train-a", "Archive", "eval"]);
        assert_eq!(
            by(SortColumn::Status, false),
            ["train-a", "eval", "Archive"]
        );
        let s = Sort::default().toggled(SortColumn::Hourly);
        assert_eq!(s.to_query(), "hourly");
        assert_eq!(s.toggled(SortColumn::Hourly).to_query(), "-hourly");
        assert_eq!(
            Sort::from_query("-hourly"),
            Some(s.toggled(SortColumn::Hourly))
        );
        assert_eq!(Sort::from_query("bogus"), None);
    }

    #[test]
    fn totals_count_the_rows_shown_in_exact_money() {
        let m = fleet();
        let rows = arrange(&m, &MachineFilter::default(), Sort::default());
        let t = Totals::of(&m, &rows);
        assert_eq!(t.machines, 3);
        assert_eq!(t.hourly, Money::parse("3.76").unwrap());
        assert_eq!(t.daily, Money::parse("90.24").unwrap());
        assert_eq!(t.unpriced, 0);
    }

    #[test]
    fn the_filter_round_trips_through_the_url() {
        let f = MachineFilter {
            provider: Some(Provider::VoltagePark),
            state: Some(MachineState::StoppedReleased),
            kind: Some(MachineKind::BareMetal),
            tag: Some("llm".into()),
            text: "a b".into(),
        };
        let q = f.to_query();
        let back = MachineFilter::from_query(|k| {
            q.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(back, f);
        assert!(MachineFilter::from_query(|_| None).is_empty());
    }
}
