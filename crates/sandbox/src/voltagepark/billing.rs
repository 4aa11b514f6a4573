//! The prepaid ledger: usage accrues as charges hour by hour, deposits top it up, and the monthly
//! report adds the month's lines to the opening balance.
//!
//! Endpoints: `GET /billing/hourly-rate`, `GET /billing/transactions`,
//! `GET /billing/reports/{year}/{month}/transactions`.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::HeaderMap;
use axum::Json;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use time::{Date, Month, OffsetDateTime, Time};

use super::auth;
use super::fastapi::{enum_message, page, path_int, Problems, QueryParams, VpResult};
use super::seed::floor_hour;
use super::state::*;
use crate::format::{millis_z, money};
use crate::{Shapes, Shared};

const HOUR: time::Duration = time::Duration::HOUR;

/// Charges `rate` per hour over `[from, to)`, rounded to six decimals (a millionth of a dollar).
fn charge(rate: Decimal, from: OffsetDateTime, to: OffsetDateTime) -> Decimal {
    let secs = (to - from).whole_seconds();
    if secs <= 0 {
        return Decimal::ZERO;
    }
    (rate * Decimal::from(secs) / Decimal::from(3600)).round_dp(6)
}

impl State {
    /// Records what `rate` per hour cost over `[from, to)` as a charge of `kind`; nothing when
    /// the period is empty or the amount rounds to zero.
    fn bill_period(
        &mut self,
        kind: &'static str,
        rate: Decimal,
        from: OffsetDateTime,
        to: OffsetDateTime,
        linked: Linked,
    ) {
        let amount = charge(rate, from, to);
        if amount.is_zero() {
            return;
        }
        let id = self.rng.uuid();
        self.transactions.push(Transaction {
            id,
            amount: -amount,
            created: from,
            completed: to,
            kind,
            linked: Some(linked),
            note_public: None,
        });
    }

    /// Bills VM `index` up to `until`; `deleted` is set when it is being terminated.
    pub fn settle_vm(
        &mut self,
        index: usize,
        until: OffsetDateTime,
        deleted: Option<OffsetDateTime>,
    ) {
        let vm = &self.vms[index];
        let (from, rate) = (vm.billed_until, vm.rate_now());
        let linked = Linked::Vm {
            instance_id: vm.instance_id,
            vm_id: vm.id,
            created: vm.created,
            deleted,
        };
        self.vms[index].billed_until = until.max(from);
        self.bill_period("charge", rate, from, until, linked);
    }

    /// Bills rental `index` up to `until`; `deleted` is set when it is being terminated.
    pub fn settle_rental(
        &mut self,
        index: usize,
        until: OffsetDateTime,
        deleted: Option<OffsetDateTime>,
    ) {
        let r = &self.rentals[index];
        let (from, rate) = (r.billed_until, r.rate_hourly);
        let linked = Linked::Rental {
            rental_id: r.id,
            created: r.created,
            deleted,
        };
        self.rentals[index].billed_until = until.max(from);
        self.bill_period("baremetal_charge", rate, from, until, linked);
    }

    /// Bills volume `index` up to `until`; `deleted` is set when it is being deleted.
    pub fn settle_volume(
        &mut self,
        index: usize,
        until: OffsetDateTime,
        deleted: Option<OffsetDateTime>,
    ) {
        let v = &self.volumes[index];
        let (from, rate) = (v.billed_until, self.volume_rate(v));
        let linked = Linked::Storage {
            storage_id: v.id,
            created: v.created,
            deleted,
        };
        self.volumes[index].billed_until = until.max(from);
        self.bill_period("storage_charge", rate, from, until, linked);
    }

    pub fn volume_rate(&self, v: &Volume) -> Decimal {
        if v.active {
            self.storage_rate_per_gb * Decimal::from(v.size_gb)
        } else {
            Decimal::ZERO
        }
    }

    /// What everything the account holds costs per hour right now.
    pub fn hourly_rate(&self) -> Decimal {
        let vms: Decimal = self.vms.iter().map(Vm::rate_now).sum();
        let rentals: Decimal = self.rentals.iter().map(|r| r.rate_hourly).sum();
        let volumes: Decimal = self.volumes.iter().map(|v| self.volume_rate(v)).sum();
        vms + rentals + volumes
    }

    /// Brings the world up to `now`: finished boots become `Running`, usage is billed hourly.
    pub fn advance_to(&mut self, now: OffsetDateTime) {
        for rental in &mut self.rentals {
            if rental.status == RentalStatus::Pending && rental.ready_at.is_some_and(|t| t <= now) {
                rental.status = RentalStatus::Running;
                rental.powered = true;
                rental.ready_at = None;
            }
        }
        while self.billed_hour + HOUR <= now {
            let hour = self.billed_hour + HOUR;
            for i in 0..self.vms.len() {
                self.settle_vm(i, hour, None);
            }
            for i in 0..self.rentals.len() {
                self.settle_rental(i, hour, None);
            }
            for i in 0..self.volumes.len() {
                self.settle_volume(i, hour, None);
            }
            self.billed_hour = hour;
        }
    }

    /// Refuses a deploy the prepaid balance cannot hold for two days.
    pub fn check_prepaid_hold(&self, extra_rate: Decimal) -> VpResult<()> {
        let needed = (self.hourly_rate() + extra_rate) * Decimal::from(48);
        let balance = self.balance();
        if balance < needed {
            return Err(super::fastapi::VpError::bad_request(format!(
                "Insufficient balance: {} available, {} needed to hold 48 hours of the new hourly rate",
                money(balance),
                money(needed)
            )));
        }
        Ok(())
    }
}

/// Writes day-by-day charges for the seeded machines since they were created, and the monthly
/// deposits that paid for them, leaving a healthy balance.
pub fn seed_history(state: &mut State, now: OffsetDateTime) {
    let mut lines: Vec<(
        Decimal,
        OffsetDateTime,
        OffsetDateTime,
        &'static str,
        Linked,
    )> = Vec::new();
    let mut earliest = now;
    let mut day_lines =
        |rate: Decimal, created: OffsetDateTime, kind: &'static str, linked: Linked| {
            let mut from = created;
            while from < now {
                let next_day = from.replace_time(Time::MIDNIGHT) + time::Duration::DAY;
                let to = next_day.min(now);
                lines.push((charge(rate, from, to), from, to, kind, linked.clone()));
                from = to;
            }
        };
    for vm in &state.vms {
        earliest = earliest.min(vm.created);
        let linked = Linked::Vm {
            instance_id: vm.instance_id,
            vm_id: vm.id,
            created: vm.created,
            deleted: None,
        };
        day_lines(vm.rate_now(), vm.created, "charge", linked);
    }
    for r in &state.rentals {
        earliest = earliest.min(r.created);
        let linked = Linked::Rental {
            rental_id: r.id,
            created: r.created,
            deleted: None,
        };
        day_lines(r.rate_hourly, r.created, "baremetal_charge", linked);
    }
    for v in &state.volumes {
        earliest = earliest.min(v.created);
        let linked = Linked::Storage {
            storage_id: v.id,
            created: v.created,
            deleted: None,
        };
        day_lines(
            state.storage_rate_per_gb * Decimal::from(v.size_gb),
            v.created,
            "storage_charge",
            linked,
        );
    }
    let spent: Decimal = lines.iter().map(|l| l.0).sum();

    let mut month_starts = Vec::new();
    let mut m = earliest
        .replace_day(1)
        .expect("day 1")
        .replace_time(Time::MIDNIGHT);
    while m <= now {
        month_starts.push(m);
        m = next_month(m);
    }
    let per_month =
        ((spent + Decimal::from(40_000)) / Decimal::from(month_starts.len() as u64 * 1000)).ceil()
            * Decimal::from(1000);
    let first_deposit_time = earliest - time::Duration::hours(2);
    for (i, start) in month_starts.into_iter().enumerate() {
        let at = if i == 0 {
            first_deposit_time
        } else {
            start + time::Duration::hours(9)
        };
        if at > now {
            continue;
        }
        let id = state.rng.uuid();
        state.transactions.push(Transaction {
            id,
            amount: per_month,
            created: at,
            completed: at + time::Duration::seconds(4),
            kind: "stripe_deposit",
            linked: None,
            note_public: None,
        });
    }
    for (amount, from, to, kind, linked) in lines {
        if amount.is_zero() {
            continue;
        }
        let id = state.rng.uuid();
        state.transactions.push(Transaction {
            id,
            amount: -amount,
            created: from,
            completed: to,
            kind,
            linked: Some(linked),
            note_public: None,
        });
    }
    state.transactions.sort_by_key(|t| t.created);
    state.billed_hour = floor_hour(now);
}

fn next_month(t: OffsetDateTime) -> OffsetDateTime {
    let (y, m) = if t.month() == Month::December {
        (t.year() + 1, Month::January)
    } else {
        (t.year(), t.month().next())
    };
    t.replace_date(Date::from_calendar_date(y, m, 1).expect("valid month start"))
}

/// What a ledger line is linked to. The document shows only the VM variant; live, a storage
/// line links a `storage_block_instance` (issue 27).
fn linked_json(linked: &Option<Linked>, shapes: Shapes) -> Value {
    let opt = |t: &Option<OffsetDateTime>| t.map(millis_z);
    match linked {
        None => Value::Null,
        Some(Linked::Vm {
            instance_id,
            vm_id,
            created,
            deleted,
        }) => json!({
            "type": "virtual_machine_instance",
            "id": instance_id.to_string(),
            "virtual_machine_id": vm_id.to_string(),
            "timestamp_creation": millis_z(*created),
            "timestamp_deletion": opt(deleted),
        }),
        Some(Linked::Rental {
            rental_id,
            created,
            deleted,
        }) => json!({
            "type": "baremetal_rental",
            "id": rental_id.to_string(),
            "baremetal_rental_id": rental_id.to_string(),
            "timestamp_creation": millis_z(*created),
            "timestamp_deletion": opt(deleted),
        }),
        Some(Linked::Storage {
            storage_id,
            created,
            deleted,
        }) if shapes.live() => json!({
            "type": "storage_block_instance",
            "id": storage_id.to_string(),
            "storage_block_id": storage_id.to_string(),
            "timestamp_creation": millis_z(*created),
            "timestamp_deletion": opt(deleted),
        }),
        Some(Linked::Storage {
            storage_id,
            created,
            deleted,
        }) => json!({
            "type": "storage_volume",
            "id": storage_id.to_string(),
            "storage_id": storage_id.to_string(),
            "timestamp_creation": millis_z(*created),
            "timestamp_deletion": opt(deleted),
        }),
    }
}

fn transaction_json(t: &Transaction, shapes: Shapes) -> Value {
    let mut details = json!({ "type": t.kind, "linked_instance": linked_json(&t.linked, shapes) });
    if let Some(note) = &t.note_public {
        details["note_public"] = note.as_str().into();
    }
    json!({
        "id": t.id.to_string(),
        "total_amount": money(t.amount),
        "timestamp_creation": millis_z(t.created),
        "timestamp_completion": millis_z(t.completed),
        "details": details,
        "period_amount": money(t.amount),
    })
}

/// `GET /api/v1/billing/hourly-rate`
pub async fn hourly_rate(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let st = s.voltagepark_of(org);
    Ok(Json(json!({ "rate_hourly": money(st.hourly_rate()) })))
}

const TYPES: [&str; 4] = ["virtual_machine", "baremetal", "storage_block", "storage"];

fn matches_type(t: &Transaction, types: &[String]) -> bool {
    if types.is_empty() {
        return true;
    }
    types.iter().any(|ty| {
        matches!(
            (ty.as_str(), &t.linked),
            ("virtual_machine", Some(Linked::Vm { .. }))
                | ("baremetal", Some(Linked::Rental { .. }))
                | ("storage" | "storage_block", Some(Linked::Storage { .. }))
        )
    })
}

/// `GET /api/v1/billing/transactions?limit&offset&types&earliest&latest`
pub async fn transactions(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let q = QueryParams::parse(raw.as_deref());
    let mut problems = Problems::default();
    let limit = q.int("limit", 30, Some(1), None, &mut problems);
    let offset = q.int("offset", 0, Some(0), None, &mut problems);
    let mut types = Vec::new();
    for (i, value) in q
        .all("types")
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter(|v| !v.is_empty())
        .enumerate()
    {
        if TYPES.contains(&value) {
            types.push(value.to_string());
        } else {
            problems.push(
                vec![json!("query"), json!("types"), json!(i)],
                enum_message(&TYPES),
                "enum",
            );
        }
    }
    let earliest = q.date("earliest", &mut problems);
    let latest = q.date("latest", &mut problems);
    problems.finish()?;

    let st = s.voltagepark_of(org);
    let mut rows: Vec<&Transaction> = st
        .transactions
        .iter()
        .filter(|t| matches_type(t, &types))
        .filter(|t| earliest.is_none_or(|d| t.created.date() >= d))
        .filter(|t| latest.is_none_or(|d| t.created.date() <= d))
        .collect();
    rows.sort_by_key(|t| std::cmp::Reverse(t.created));
    Ok(Json(page(rows, limit, offset, |t| {
        transaction_json(t, s.config.shapes)
    })))
}

/// `GET /api/v1/billing/reports/{year}/{month}/transactions`
pub async fn monthly_report(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path((year, month)): Path<(String, String)>,
) -> VpResult<Json<Value>> {
    let org = auth::bearer(&headers)?;
    let mut problems = Problems::default();
    let year = path_int("year", &year, &mut problems);
    let month = path_int("month", &month, &mut problems);
    let mut period = None;
    if let (Some(y), Some(m)) = (year, month) {
        if !(1..=12).contains(&m) {
            let msg = if m < 1 {
                "Input should be greater than or equal to 1"
            } else {
                "Input should be less than or equal to 12"
            };
            let kind = if m < 1 {
                "greater_than_equal"
            } else {
                "less_than_equal"
            };
            problems.push(vec![json!("path"), json!("month")], msg, kind);
        } else if let Some(start) = i32::try_from(y)
            .ok()
            .and_then(|y| Date::from_calendar_date(y, Month::try_from(m as u8).ok()?, 1).ok())
        {
            let start = start.with_time(Time::MIDNIGHT).assume_utc();
            period = Some((start, next_month(start)));
        } else {
            problems.push(
                vec![json!("path"), json!("year")],
                "Input should be a valid year",
                "value_error",
            );
        }
    }
    problems.finish()?;
    let (start, end) = period.expect("validated period");

    let st = s.voltagepark_of(org);
    let opening: Decimal = st
        .transactions
        .iter()
        .filter(|t| t.created < start)
        .map(|t| t.amount)
        .sum();
    let mut rows: Vec<&Transaction> = st
        .transactions
        .iter()
        .filter(|t| t.created >= start && t.created < end)
        .collect();
    rows.sort_by_key(|t| t.created);
    let delta: Decimal = rows.iter().map(|t| t.amount).sum();
    Ok(Json(json!({
        "transactions": rows.iter().map(|t| transaction_json(t, s.config.shapes)).collect::<Vec<_>>(),
        "balance_at_period_start": money(opening),
        "balance_delta_in_period": money(delta),
        "balance_at_period_end": money(opening + delta),
    })))
}
