//! The admin API's request log (`GET /_sandbox/requests`): which provider requests arrived, in
//! arrival order, and what became of each, so a test or a person can check what the console
//! really sent. Only the method, the path without its query (NetActuate SDKs put the token in
//! `?key=`), the status and the sandbox-clock time of arrival are kept: never headers or bodies.

use std::collections::VecDeque;

use serde_json::{json, Value};
use time::OffsetDateTime;

use crate::faults::DropWhen;
use crate::format::millis_z;

/// How many requests the log keeps; older ones fall off the front.
pub const CAPACITY: usize = 10_000;

/// What became of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Still being handled: not shown yet, so the log never shows a status that may still change.
    InFlight,
    /// Answered with this status (injected failures included).
    Answered(u16),
    /// The connection was closed on purpose with no answer (the `drop` fault).
    Dropped(DropWhen),
}

#[derive(Debug)]
struct Entry {
    seq: u64,
    method: String,
    path: String,
    at: OffsetDateTime,
    outcome: Outcome,
}

/// A request's place in the log, held by the middleware until the request is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<Entry>,
    /// Sequence number of the next request; never reset, so a ticket taken before a clear can
    /// never land on a later request's entry.
    next_seq: u64,
}

impl RequestLog {
    /// Records a request as it arrives; its place in the log is its arrival.
    pub fn arrived(&mut self, method: &str, path: &str, at: OffsetDateTime) -> Ticket {
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.entries.push_back(Entry {
            seq,
            method: method.to_string(),
            path: path.to_string(),
            at,
            outcome: Outcome::InFlight,
        });
        Ticket(seq)
    }

    /// Records what became of a request (nothing if its entry was cleared or fell off meanwhile).
    pub fn finished(&mut self, ticket: Ticket, outcome: Outcome) {
        let Some(front) = self.entries.front().map(|e| e.seq) else {
            return;
        };
        let Some(index) = ticket.0.checked_sub(front) else {
            return;
        };
        if let Some(entry) = self.entries.get_mut(index as usize) {
            debug_assert_eq!(entry.seq, ticket.0);
            entry.outcome = outcome;
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// `{"requests": [{"method", "path", "status", "at", "billable"}, ...], "billable": N}`,
    /// finished requests only; dropped ones have `"status": null` and `"dropped": "before" |
    /// "after"`. `billable` marks (and counts) the requests that start something paid for.
    pub fn to_json(&self) -> Value {
        let requests: Vec<Value> = self
            .entries
            .iter()
            .filter_map(|e| {
                let mut line = json!({ "method": e.method, "path": e.path, "at": millis_z(e.at),
                    "billable": is_billable(&e.method, &e.path) });
                match e.outcome {
                    Outcome::InFlight => return None,
                    Outcome::Answered(status) => line["status"] = json!(status),
                    Outcome::Dropped(when) => {
                        line["status"] = Value::Null;
                        line["dropped"] = json!(when.as_str());
                    }
                }
                Some(line)
            })
            .collect();
        let billable = requests.iter().filter(|r| r["billable"] == true).count();
        json!({ "requests": requests, "billable": billable })
    }
}

/// Requests that start something the organization pays for: the two deploys and a new storage
/// volume.
pub fn is_billable(method: &str, path: &str) -> bool {
    method == "POST"
        && matches!(
            path.trim_end_matches('/'),
            "/voltagepark/api/v1/virtual-machines/instant"
                | "/voltagepark/api/v1/bare-metal"
                | "/voltagepark/api/v1/storage"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: OffsetDateTime = time::macros::datetime!(2026-11-25 12:00 UTC);

    #[test]
    fn keeps_arrival_order_and_shows_only_finished_requests() {
        let mut log = RequestLog::default();
        let slow = log.arrived("GET", "/voltagepark/slow", T);
        let fast = log.arrived("POST", "/octos/fast", T);
        log.finished(fast, Outcome::Answered(201));
        assert_eq!(log.to_json()["requests"].as_array().unwrap().len(), 1);
        log.finished(slow, Outcome::Dropped(DropWhen::After));
        let shown = log.to_json();
        assert_eq!(shown["requests"][0]["path"], "/voltagepark/slow");
        assert_eq!(shown["requests"][0]["status"], Value::Null);
        assert_eq!(shown["requests"][0]["dropped"], "after");
        assert_eq!(shown["requests"][1]["status"], 201);
        assert!(shown["requests"][1].get("dropped").is_none());
        assert_eq!(shown["requests"][1]["at"], "2026-11-25T12:00:00.000Z");
    }

    #[test]
    fn keeps_the_last_ten_thousand_and_ignores_tickets_of_cleared_entries() {
        let mut log = RequestLog::default();
        let first = log.arrived("GET", "/netactuate/0", T);
        for i in 1..=CAPACITY {
            let t = log.arrived("GET", &format!("/netactuate/{i}"), T);
            log.finished(t, Outcome::Answered(200));
        }
        log.finished(first, Outcome::Answered(500));
        let shown = log.to_json();
        let requests = shown["requests"].as_array().unwrap();
        assert_eq!(requests.len(), CAPACITY);
        assert_eq!(requests[0]["path"], "/netactuate/1");
        let pending = log.arrived("GET", "/octos/x", T);
        log.clear();
        log.finished(pending, Outcome::Answered(200));
        let next = log.arrived("GET", "/octos/y", T);
        log.finished(next, Outcome::Answered(204));
        assert_eq!(log.to_json()["requests"][0]["status"], 204);
        assert_eq!(log.to_json()["requests"].as_array().unwrap().len(), 1);
    }
}
