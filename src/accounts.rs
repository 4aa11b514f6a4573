//! Provider accounts: a name and a token, kept in memory.

use cloudpane_api::Provider;
use leptos::prelude::*;

/// A named account on one provider ("prod", "research"...).
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub id: u32,
    pub provider: Provider,
    pub name: String,
    pub token: String,
    /// The login name for this account's VMs, which the provider's API does not give.
    pub vm_login: Option<String>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("provider", &self.provider)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Account {
    /// The token as shown before the user reveals it: `••••••••ab12`.
    pub fn masked_token(&self) -> String {
        cloudpane_api::mask_secret(&self.token)
    }
}

/// All accounts, and which one is in use for each provider.
#[derive(Clone, Copy)]
pub struct Accounts {
    list: RwSignal<Vec<Account>>,
    active: RwSignal<Vec<(Provider, u32)>>,
    next_id: StoredValue<u32>,
}

impl Accounts {
    pub fn new() -> Self {
        Accounts {
            list: RwSignal::new(Vec::new()),
            active: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(1),
        }
    }

    /// Adds an account; the first one of a provider becomes its active account.
    pub fn add(&self, provider: Provider, name: &str, token: &str) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.list.update(|l| {
            l.push(Account {
                id,
                provider,
                name: name.trim().to_string(),
                token: token.trim().to_string(),
                vm_login: None,
            })
        });
        if self.active_id(provider).is_none() {
            self.set_active(provider, id);
        }
        id
    }

    /// Forgets an account and its token.
    pub fn remove(&self, id: u32) {
        self.list.update(|l| l.retain(|a| a.id != id));
        self.active
            .update(|a| a.retain(|(_, active)| *active != id));
    }

    /// Sets (or, with an empty name, clears) the login name used for this account's VMs.
    pub fn set_vm_login(&self, id: u32, login: &str) {
        let login = login.trim();
        self.list.update(|l| {
            if let Some(a) = l.iter_mut().find(|a| a.id == id) {
                a.vm_login = (!login.is_empty()).then(|| login.to_string());
            }
        });
    }

    pub fn set_active(&self, provider: Provider, id: u32) {
        self.active.update(|a| {
            a.retain(|(p, _)| *p != provider);
            a.push((provider, id));
        });
    }

    fn active_id(&self, provider: Provider) -> Option<u32> {
        self.active
            .with_untracked(|a| a.iter().find(|(p, _)| *p == provider).map(|(_, id)| *id))
    }

    /// The account in use for `provider` (reactive).
    pub fn active(&self, provider: Provider) -> Option<Account> {
        let id = self
            .active
            .with(|a| a.iter().find(|(p, _)| *p == provider).map(|(_, id)| *id))?;
        self.list.with(|l| l.iter().find(|a| a.id == id).cloned())
    }

    /// Every account (reactive).
    pub fn all(&self) -> Vec<Account> {
        self.list.get()
    }

    /// Every account, without subscribing to changes.
    pub fn all_untracked(&self) -> Vec<Account> {
        self.list.get_untracked()
    }
}

impl Default for Accounts {
    fn default() -> Self {
        Self::new()
    }
}
