//! Paged list responses (Voltage Park's `results` / `total_result_count` envelope).

use serde::{Deserialize, Serialize};

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub results: Vec<T>,
    pub total_result_count: u64,
    pub has_previous: bool,
    pub has_next: bool,
}

/// Which page to ask for: `limit` items starting at `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub offset: u64,
}

impl PageRequest {
    pub fn first(limit: u32) -> Self {
        PageRequest { limit, offset: 0 }
    }

    pub fn next(self) -> Self {
        PageRequest {
            offset: self.offset + u64::from(self.limit),
            ..self
        }
    }

    pub fn previous(self) -> Self {
        PageRequest {
            offset: self.offset.saturating_sub(u64::from(self.limit)),
            ..self
        }
    }

    /// "11–20 of 34" for a page that holds `shown` items out of `total`.
    pub fn range_label(self, shown: usize, total: u64) -> String {
        if shown == 0 {
            return format!("0 of {total}");
        }
        format!(
            "{}–{} of {total}",
            self.offset + 1,
            self.offset + shown as u64
        )
    }
}

/// At most this many pages are walked: a bound in case a provider kept saying `has_next`.
pub const MAX_PAGES: u64 = 1000;

impl<T> Page<T> {
    /// After this first page (asked for as `first`), the pages that hold the rest of the list
    /// by its `total_result_count`, so they can be asked for together. Empty when there is no
    /// next page.
    pub fn remaining(&self, first: PageRequest) -> Vec<PageRequest> {
        if !self.has_next || self.results.is_empty() || first.limit == 0 {
            return Vec::new();
        }
        let limit = u64::from(first.limit);
        let end = self
            .total_result_count
            .min(first.offset + MAX_PAGES * limit);
        (1..)
            .map(|n| first.offset + n * limit)
            .take_while(|offset| *offset < end)
            .map(|offset| PageRequest {
                limit: first.limit,
                offset,
            })
            .collect()
    }
}

/// Keeps the first of items that carry the same `"id"`: a list walked page by page can shift
/// under the walk (a machine created or terminated meanwhile) and show an item twice.
pub fn keep_first_by_id(items: &mut Vec<serde_json::Value>) {
    let mut seen = std::collections::BTreeSet::new();
    items.retain(|item| match item.get("id") {
        Some(id) => seen.insert(id.to_string()),
        None => true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_move_by_limit_and_never_below_zero() {
        let p = PageRequest::first(15);
        assert_eq!(p.next().offset, 15);
        assert_eq!(p.previous().offset, 0);
        assert_eq!(p.next().range_label(4, 19), "16–19 of 19");
    }

    fn page(total: u64, has_next: bool) -> Page<u32> {
        Page {
            results: vec![1],
            total_result_count: total,
            has_previous: false,
            has_next,
        }
    }

    #[test]
    fn the_rest_of_a_list_is_planned_from_its_total() {
        let first = PageRequest::first(100);
        let offsets = |p: Page<u32>| {
            p.remaining(first)
                .iter()
                .map(|r| r.offset)
                .collect::<Vec<_>>()
        };
        assert_eq!(offsets(page(250, true)), [100, 200]);
        assert_eq!(offsets(page(200, true)), [100]);
        assert!(offsets(page(80, false)).is_empty());
        assert_eq!(offsets(page(10_000_000, true)).len() as u64, MAX_PAGES - 1);
        assert!(page(250, true)
            .remaining(first)
            .iter()
            .all(|r| r.limit == 100));
    }

    #[test]
    fn an_item_met_twice_is_kept_once() {
        let mut items = vec![
            serde_json::json!({"id": "a", "n": 1}),
            serde_json::json!({"id": "b"}),
            serde_json::json!({"id": "a", "n": 2}),
            serde_json::json!({"no_id": true}),
        ];
        keep_first_by_id(&mut items);
        assert_eq!(items.len(), 3);
        assert_eq!(items[0]["n"], 1);
    }
}
