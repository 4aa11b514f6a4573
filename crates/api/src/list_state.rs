//! What a page knows of one provider list after each attempt to read it: the rows of the latest
//! answer, the last good rows with why they could not be refreshed, or only why it failed.
//!
//! A failed refresh never wipes rows already on screen: they stay, marked with the time of the
//! answer they came from ("as of 14:02, could not refresh"). Rows are never invented either: a
//! list that has not answered once has none. An answer's rows include those that could not be
//! read ([`Rows`]): they are kept and shown as such, with the others.

use crate::rows::{Rows, UnreadableRow};

/// One list's state. `T` is a row, `E` why a read failed; `at` and `as_of` are the times the
/// answers arrived, in the caller's clock (milliseconds since 1970 in the browser).
#[derive(Debug, Clone, PartialEq)]
pub enum ListState<T, E> {
    /// Not answered yet.
    Loading,
    /// The latest read answered.
    Fresh { rows: Rows<T>, at: f64 },
    /// The latest read failed; `rows` are from the last good answer, at `as_of`.
    Stale { rows: Rows<T>, as_of: f64, error: E },
    /// Every read so far failed: there is nothing to show but why.
    Failed(E),
}

impl<T, E> ListState<T, E> {
    /// The state after a read that ended with `result` at `now`.
    pub fn next(self, result: Result<Rows<T>, E>, now: f64) -> Self {
        match (self, result) {
            (_, Ok(rows)) => ListState::Fresh { rows, at: now },
            (ListState::Fresh { rows, at }, Err(error)) => ListState::Stale {
                rows,
                as_of: at,
                error,
            },
            (ListState::Stale { rows, as_of, .. }, Err(error)) => {
                ListState::Stale { rows, as_of, error }
            }
            (ListState::Loading | ListState::Failed(_), Err(error)) => ListState::Failed(error),
        }
    }

    /// The rows to show: the latest answer's, or the last good ones.
    pub fn rows(&self) -> &[T] {
        match self {
            ListState::Fresh { rows, .. } | ListState::Stale { rows, .. } => &rows.read,
            ListState::Loading | ListState::Failed(_) => &[],
        }
    }

    /// The items of the same answer that could not be read.
    pub fn unreadable(&self) -> &[UnreadableRow] {
        match self {
            ListState::Fresh { rows, .. } | ListState::Stale { rows, .. } => &rows.unreadable,
            ListState::Loading | ListState::Failed(_) => &[],
        }
    }

    /// Why the latest read failed, if it did.
    pub fn error(&self) -> Option<&E> {
        match self {
            ListState::Stale { error, .. } | ListState::Failed(error) => Some(error),
            ListState::Loading | ListState::Fresh { .. } => None,
        }
    }

    /// When the rows shown were answered, if they are not the latest read's.
    pub fn stale_since(&self) -> Option<f64> {
        match self {
            ListState::Stale { as_of, .. } => Some(*as_of),
            _ => None,
        }
    }

    /// True once a read has ended, well or not.
    pub fn is_answered(&self) -> bool {
        !matches!(self, ListState::Loading)
    }

    /// True when the rows shown are the whole list as the provider has it now.
    pub fn is_current(&self) -> bool {
        matches!(self, ListState::Fresh { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type S = ListState<&'static str, &'static str>;

    fn ok(rows: Vec<&'static str>) -> Result<Rows<&'static str>, &'static str> {
        Ok(Rows::from(rows))
    }

    #[test]
    fn an_answer_replaces_whatever_was_there() {
        let first = S::Loading.next(ok(vec!["a", "b"]), 1.0);
        assert_eq!(
            first,
            ListState::Fresh {
                rows: Rows::from(vec!["a", "b"]),
                at: 1.0
            }
        );
        let again = first.next(ok(vec!["b"]), 2.0);
        assert_eq!(again.rows(), &["b"]);
        assert!(again.is_current() && again.error().is_none());
        let after_failures = S::Failed("503").next(ok(vec!["c"]), 3.0);
        assert_eq!(after_failures.rows(), &["c"]);
        let after_stale = S::Stale {
            rows: Rows::from(vec!["old"]),
            as_of: 1.0,
            error: "503",
        }
        .next(ok(vec![]), 4.0);
        assert!(after_stale.rows().is_empty() && after_stale.is_current());
    }

    #[test]
    fn a_failed_refresh_keeps_the_last_good_rows_with_their_time() {
        let shown = S::Loading.next(ok(vec!["a", "b"]), 1_000.0);
        let stale = shown.next(Err("503"), 61_000.0);
        assert_eq!(stale.rows(), &["a", "b"]);
        assert_eq!(stale.error(), Some(&"503"));
        assert_eq!(stale.stale_since(), Some(1_000.0));
        assert!(!stale.is_current());
        // A second failure keeps the time of the rows, not of the failure, and the newer reason.
        let still = stale.next(Err("network"), 121_000.0);
        assert_eq!(still.rows(), &["a", "b"]);
        assert_eq!(still.stale_since(), Some(1_000.0));
        assert_eq!(still.error(), Some(&"network"));
    }

    #[test]
    fn a_list_that_never_answered_has_no_rows_only_its_error() {
        let failed = S::Loading.next(Err("503"), 1.0);
        assert!(failed.rows().is_empty());
        assert_eq!(failed.error(), Some(&"503"));
        assert_eq!(failed.stale_since(), None);
        assert!(failed.is_answered() && !failed.is_current());
        let again = failed.next(Err("401"), 2.0);
        assert_eq!(again, ListState::Failed("401"));
        assert!(!S::Loading.is_answered());
    }

    #[test]
    fn unreadable_rows_stay_with_the_answer_they_came_in() {
        let mut rows = Rows::from(vec!["a"]);
        rows.unreadable.push(UnreadableRow::new(
            serde_json::json!({"id": "b", "tags": 5}),
            "invalid type",
        ));
        let shown = S::Loading.next(Ok(rows), 1.0);
        assert_eq!(shown.rows(), &["a"]);
        assert_eq!(shown.unreadable()[0].label(), "id b");
        let stale = shown.next(Err("503"), 2.0);
        assert_eq!(stale.unreadable().len(), 1, "kept with the last good rows");
        assert!(S::Failed("503").unreadable().is_empty());
        assert!(stale.next(ok(vec!["a"]), 3.0).unreadable().is_empty());
    }
}
