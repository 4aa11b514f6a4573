//! The machines of every account, kept fresh: loaded once, refreshed on demand, often while
//! something is changing, rarely otherwise, never while the tab is hidden.

use cloudpane_api::machines::{merge_listings, AccountListing, AccountRef, Machine};
use leptos::prelude::*;

use super::load::{list_account_as_they_come, load_account_lists};
use crate::state::{use_app, AppState};

/// Refresh every few seconds while something changes, once a minute otherwise.
pub const FAST_REFRESH_MS: f64 = 5_000.0;
pub const SLOW_REFRESH_MS: f64 = 60_000.0;
/// After an action, refresh fast for this long even if the provider reports no change yet.
const AFTER_ACTION_MS: f64 = 60_000.0;

/// The machines page's data.
#[derive(Clone, Copy)]
pub struct Fleet {
    /// Captured when the fleet is made: timers and tasks run outside the component tree, where
    /// context cannot be looked up.
    state: AppState,
    /// Each account's lists: the latest answer, or the last good rows and why they could not
    /// be refreshed, or only why they could not be listed.
    pub accounts: RwSignal<Vec<AccountListing>>,
    /// False until the first list has answered (or there is no account): from then on the table
    /// shows the rows of every list that answered, and names the lists still being read.
    pub loaded: RwSignal<bool>,
    pub refreshing: RwSignal<bool>,
    /// When the last refresh finished (ms since 1970).
    pub updated_at: RwSignal<Option<f64>>,
    fast_until: RwSignal<f64>,
    generation: StoredValue<u64>,
    /// Every machine shown: each list's latest or last good rows.
    pub machines: Memo<Vec<Machine>>,
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

impl Fleet {
    pub fn new() -> Fleet {
        let accounts = RwSignal::new(Vec::<AccountListing>::new());
        let machines = Memo::new(move |_| {
            accounts.with(|all| {
                all.iter()
                    .flat_map(AccountListing::machines)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        });
        Fleet {
            state: use_app(),
            accounts,
            loaded: RwSignal::new(false),
            refreshing: RwSignal::new(false),
            updated_at: RwSignal::new(None),
            fast_until: RwSignal::new(0.0),
            generation: StoredValue::new(0),
            machines,
        }
    }

    /// Reloads every account, every list at once, each list's rows shown the moment it answers
    /// (never held back by another list or by location names). A newer refresh wins over an
    /// older one still in flight; a list that fails keeps the rows it had.
    pub fn refresh(&self) {
        let state = self.state;
        let Some(connection) = state.connection.get_untracked() else {
            return;
        };
        let accounts = state.accounts.all_untracked();
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.refreshing.set(true);
        let signed_in: Vec<_> = accounts
            .iter()
            .map(|a| {
                let account = AccountRef {
                    id: a.id,
                    name: a.name.clone(),
                };
                (account, a.provider)
            })
            .collect();
        // Every account signed in has its listing now (a new one's lists are still being read);
        // those signed out are gone.
        self.accounts.update(|all| {
            *all = merge_listings(std::mem::take(all), &signed_in, Vec::new(), now_ms());
        });
        let this = *self;
        let current = move || this.generation.try_get_value() == Some(generation);
        let left = StoredValue::new(accounts.len());
        let finished = move || {
            this.loaded.set(true);
            this.refreshing.set(false);
            this.updated_at.set(Some(now_ms()));
        };
        if accounts.is_empty() {
            finished();
            return;
        }
        for account in accounts {
            let connection = connection.clone();
            leptos::task::spawn_local(async move {
                let id = account.id;
                list_account_as_they_come(&connection, &account, |answer| {
                    if !current() {
                        return;
                    }
                    this.accounts.update(|all| {
                        if let Some(listing) = all.iter_mut().find(|l| l.account.id == id) {
                            listing.record(vec![answer], now_ms());
                        }
                    });
                    this.loaded.set(true);
                })
                .await;
                if current() {
                    left.update_value(|n| *n -= 1);
                    if left.get_value() == 0 {
                        finished();
                    }
                }
            });
        }
    }

    /// Reloads one account (its Retry button).
    pub fn refresh_account(&self, account_id: u32) {
        let state = self.state;
        let Some(connection) = state.connection.get_untracked() else {
            return;
        };
        let Some(account) = state
            .accounts
            .all_untracked()
            .into_iter()
            .find(|a| a.id == account_id)
        else {
            return;
        };
        let this = *self;
        leptos::task::spawn_local(async move {
            let answers = load_account_lists(&connection, &account).await;
            this.accounts.update(|all| {
                if let Some(listing) = all.iter_mut().find(|a| a.account.id == account_id) {
                    listing.record(answers, now_ms());
                }
            });
        });
    }

    /// Call after a lifecycle action: refresh now, and often for a minute.
    pub fn after_action(&self) {
        self.fast_until.set(now_ms() + AFTER_ACTION_MS);
        self.refresh();
    }

    /// How long to wait between refreshes now.
    pub fn period_ms(&self) -> f64 {
        let changing = self
            .machines
            .with(|m| m.iter().any(|m| m.state.is_changing()));
        if changing || self.fast_until.get_untracked() > now_ms() {
            FAST_REFRESH_MS
        } else {
            SLOW_REFRESH_MS
        }
    }

    /// Starts the refresh clock: `tick` is set every second (for "updated N s ago"), and a
    /// refresh starts when one is due and the tab is visible. Stops with the calling view.
    pub fn keep_fresh(&self, tick: RwSignal<f64>) {
        let this = *self;
        let handle = set_interval_with_handle(
            move || {
                let now = now_ms();
                tick.set(now);
                if document().hidden() || this.refreshing.get_untracked() {
                    return;
                }
                let due = this
                    .updated_at
                    .get_untracked()
                    .is_none_or(|at| now - at >= this.period_ms());
                if due {
                    this.refresh();
                }
            },
            std::time::Duration::from_secs(1),
        )
        .ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    }
}

impl Default for Fleet {
    /// Needs the app's state in context, like [`Fleet::new`].
    fn default() -> Self {
        Self::new()
    }
}
