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
}
