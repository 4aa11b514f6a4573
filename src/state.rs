//! App-wide state, reached through one accessor: [`use_app`].

use cloudpane_api::{Provider, RuntimeConfig};
use leptos::prelude::*;

use crate::accounts::{Account, Accounts};

/// How to reach the proxy: its base URL ("" for the page's own origin) and what it told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub proxy_base: String,
    pub config: RuntimeConfig,
    /// The proxy's access key, when it requires one. Kept in memory only.
    pub access_key: Option<String>,
}

/// Services every page uses.
#[derive(Clone, Copy)]
pub struct AppState {
    pub connection: RwSignal<Option<Connection>>,
    pub accounts: Accounts,
    /// The latest status change, read out by the shell's live region.
    pub announcement: RwSignal<String>,
    /// How each NetActuate account's secret lists are addressed, once a call showed it (by
    /// account id; this session only).
    pub secret_list_addressing: StoredValue<
        std::collections::HashMap<u32, cloudpane_api::netactuate::list_address::ListAddressing>,
    >,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            connection: RwSignal::new(None),
            accounts: Accounts::new(),
            announcement: RwSignal::new(String::new()),
            secret_list_addressing: StoredValue::new(Default::default()),
        }
    }

    /// The account pages of `provider` act as, if any.
    pub fn account_for(&self, provider: Provider) -> Option<Account> {
        self.accounts.active(provider)
    }

    /// Tells screen readers about a status change (an action done or failed, a refresh).
    pub fn announce(&self, message: impl Into<String>) {
        self.announcement.set(message.into());
    }

    /// Connects to a proxy and, in demo mode, signs in with the demo accounts. Accounts
    /// remembered on this device wait locked for their passphrase (the demo's with them).
    pub fn connect(&self, connection: Connection) {
        self.accounts.detect_remembered();
        self.connection.set(Some(connection));
        if !self.accounts.is_locked_untracked() {
            self.add_demo_accounts();
        }
    }

    /// In demo mode, adds the demo accounts that are not already there (after an unlock, the
    /// remembered ones may include them).
    pub fn add_demo_accounts(&self) {
        let demo = self.connection.with_untracked(|c| {
            c.as_ref()
                .filter(|c| c.config.demo)
                .map(|c| c.config.demo_accounts.clone())
                .unwrap_or_default()
        });
        if demo.is_empty() {
            return;
        }
        self.accounts.merge(cloudpane_api::vault::VaultContents {
            accounts: demo
                .into_iter()
                .map(|d| cloudpane_api::vault::StoredAccount {
                    disabled: retired_demo_accounts().contains(&d.provider),
                    provider: d.provider,
                    name: d.name,
                    token: d.token,
                    vm_login: None,
                    active: false,
                })
                .collect(),
        });
    }

    /// The provider confirmed `token` no longer works (disabled or replaced from this console):
    /// no account is used with it again, and in demo mode the demo account that held it is not
    /// brought back in use by a reload.
    pub fn retire_token(&self, provider: Provider, token: &str) {
        self.accounts.retire_token(provider, token);
        let is_demo = self.connection.with_untracked(|c| {
            c.as_ref().is_some_and(|c| {
                c.config.demo
                    && c.config
                        .demo_accounts
                        .iter()
                        .any(|d| d.provider == provider && d.token == token)
            })
        });
        if is_demo {
            let mut retired = retired_demo_accounts();
            if !retired.contains(&provider) {
                retired.push(provider);
                remember_retired_demo_accounts(&retired);
            }
        }
    }

    /// True when the proxy requires an access key and none has been entered.
    pub fn needs_access_key(&self) -> bool {
        self.connection.with(|c| {
            c.as_ref()
                .is_some_and(|c| c.config.access_key_required && c.access_key.is_none())
        })
    }

    /// Sets (or, with `None`, forgets) the proxy's access key.
    pub fn set_access_key(&self, key: Option<String>) {
        self.connection.update(|c| {
            if let Some(c) = c {
                c.access_key = key;
            }
        });
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// Which providers' demo tokens this tab saw disabled, kept for the tab's reloads (session
/// storage holds only the providers' names: the demo tokens come from the proxy's config).
const RETIRED_DEMO_KEY: &str = "cloudpane.retired_demo_accounts";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn retired_demo_accounts() -> Vec<Provider> {
    session_storage()
        .and_then(|s| s.get_item(RETIRED_DEMO_KEY).ok().flatten())
        .map(|v| v.split(',').filter_map(|p| p.parse().ok()).collect())
        .unwrap_or_default()
}

fn remember_retired_demo_accounts(retired: &[Provider]) {
    let names: Vec<&str> = retired.iter().map(|p| p.slug()).collect();
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(RETIRED_DEMO_KEY, &names.join(","));
    }
}

/// The app's shared state; provided by [`crate::App`] (or a test) with `provide_context`.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
