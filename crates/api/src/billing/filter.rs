//! The transactions list's filter and page, kept in the page's URL
//! (`/billing?types=virtual_machine,baremetal&from=2026-11-01&to=2026-11-30&page=2`) and sent
//! to `GET /billing/transactions` as its `types`, `earliest`, `latest`, `limit` and `offset`.

use super::{CivilDate, TypeFilter};
use crate::PageRequest;

/// Transactions shown per page.
pub const TRANSACTIONS_PER_PAGE: u32 = 25;

/// What the transactions list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionFilter {
    /// Empty: every type.
    pub types: Vec<TypeFilter>,
    pub earliest: Option<CivilDate>,
    pub latest: Option<CivilDate>,
    /// From 1.
    pub page: u32,
}

impl TransactionFilter {
    /// Reads the page's query (unknown values are dropped, not errors: a link may be old).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> TransactionFilter {
        let mut types: Vec<TypeFilter> = get("types")
            .unwrap_or_default()
            .split(',')
            .filter_map(TypeFilter::from_query_value)
            .collect();
        types.sort();
        types.dedup();
        TransactionFilter {
            types,
            earliest: get("from").and_then(|s| CivilDate::parse(&s)),
            latest: get("to").and_then(|s| CivilDate::parse(&s)),
            page: get("page")
                .and_then(|s| s.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The page's query pairs; defaults are left out.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if !self.types.is_empty() {
            let values: Vec<&str> = self.types.iter().map(|t| t.query_value()).collect();
            q.push(("types", values.join(",")));
        }
        if let Some(d) = self.earliest {
            q.push(("from", d.iso()));
        }
        if let Some(d) = self.latest {
            q.push(("to", d.iso()));
        }
        if self.page > 1 {
            q.push(("page", self.page.to_string()));
        }
        q
    }

    /// Why the dates cannot be sent, in words; `None` when they can.
    pub fn problem(&self) -> Option<String> {
        match (self.earliest, self.latest) {
            (Some(from), Some(to)) if from > to => Some(format!(
                "The start date ({}) is after the end date ({}).",
                from.iso(),
                to.iso()
            )),
            _ => None,
        }
    }

    /// Toggles one type; the page goes back to the first.
    pub fn with_type(&self, t: TypeFilter, on: bool) -> TransactionFilter {
        let mut next = self.clone();
        next.types.retain(|x| *x != t);
        if on {
            next.types.push(t);
            next.types.sort();
        }
        next.page = 1;
        next
    }

    /// The page of the API's list this filter shows.
    pub fn page_request(&self) -> PageRequest {
        PageRequest {
            limit: TRANSACTIONS_PER_PAGE,
            offset: u64::from(self.page.max(1) - 1) * u64::from(TRANSACTIONS_PER_PAGE),
        }
    }

    /// The number of pages `total` transactions make (at least one).
    pub fn page_count(total: u64) -> u32 {
        (total.div_ceil(u64::from(TRANSACTIONS_PER_PAGE)).max(1)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_url() {
        let f = TransactionFilter {
            types: vec![TypeFilter::VirtualMachine, TypeFilter::Storage],
            earliest: CivilDate::new(2026, 11, 1),
            latest: CivilDate::new(2026, 11, 30),
            page: 3,
        };
        let q = f.to_query();
        assert_eq!(
            q,
            [
                ("types", "virtual_machine,storage".to_string()),
                ("from", "2026-11-01".into()),
                ("to", "2026-11-30".into()),
                ("page", "3".into())
            ]
        );
        let back = TransactionFilter::from_query(|k| {
            q.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(back, f);
        assert_eq!(TransactionFilter::default().to_query(), []);
    }

    #[test]
    fn odd_urls_fall_back_to_defaults() {
        let f = TransactionFilter::from_query(|k| match k {
            "types" => Some("baremetal,,vm,baremetal".into()),
            "from" => Some("2026-02-30".into()),
            "page" => Some("0".into()),
            _ => None,
        });
        assert_eq!(f.types, [TypeFilter::Baremetal]);
        assert_eq!(f.earliest, None);
        assert_eq!(f.page, 1);
    }

    #[test]
    fn pages_and_problems() {
        let mut f = TransactionFilter {
            page: 3,
            ..Default::default()
        };
        assert_eq!(
            f.page_request(),
            PageRequest {
                limit: 25,
                offset: 50
            }
        );
        let g = f.with_type(TypeFilter::Storage, true);
        assert_eq!(
            (g.types.as_slice(), g.page),
            ([TypeFilter::Storage].as_slice(), 1)
        );
        assert!(g.with_type(TypeFilter::Storage, false).types.is_empty());
        assert_eq!(TransactionFilter::page_count(0), 1);
        assert_eq!(TransactionFilter::page_count(50), 2);
        assert_eq!(TransactionFilter::page_count(51), 3);
        f.earliest = CivilDate::new(2026, 11, 2);
        f.latest = CivilDate::new(2026, 11, 1);
        assert_eq!(
            f.problem().as_deref(),
            Some("The start date (2026-11-02) is after the end date (2026-11-01).")
        );
        f.latest = f.earliest;
        assert_eq!(f.problem(), None);
    }
}
