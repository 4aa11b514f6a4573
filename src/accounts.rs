//! Provider accounts: a name and a token each, in memory, and optionally remembered on this
//! device in the encrypted vault ([`crate::vault`]). A token is never written anywhere in the
//! clear: the vault record holds only ciphertext, and the passphrase is never stored.

use cloudpane_api::vault::{SealedVault, StoredAccount, VaultContents, STORAGE_KEY};
use cloudpane_api::Provider;
use leptos::prelude::*;

use crate::vault::{VaultError, VaultKey};

/// A named account on one provider ("prod", "research"...).
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub id: u32,
    pub provider: Provider,
    pub name: String,
    pub token: String,
    /// The login name for this account's VMs, which the provider's API does not give.
    pub vm_login: Option<String>,
    /// The provider no longer accepts the token (disabled or replaced from this console): the
    /// account is listed to say so, and never used.
    pub disabled: bool,
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

/// Where the accounts are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultStatus {
    /// Only in this tab's memory: gone on reload.
    InMemory,
    /// Remembered on this device and waiting for the passphrase; no token is in memory.
    Locked,
    /// Remembered and open: every change is saved again, encrypted.
    Unlocked,
}

/// All accounts, which one is in use for each provider, and the vault that remembers them.
#[derive(Clone, Copy)]
pub struct Accounts {
    list: RwSignal<Vec<Account>>,
    active: RwSignal<Vec<(Provider, u32)>>,
    next_id: StoredValue<u32>,
    status: RwSignal<VaultStatus>,
    key: StoredValue<Option<VaultKey>, LocalStorage>,
    /// Bumped on every save, so a slower earlier save never overwrites a later one.
    save_generation: StoredValue<u64>,
    /// Why the last save failed, if it did.
    save_error: RwSignal<Option<String>>,
    /// After how long without activity the accounts locked themselves, when they did (the
    /// lock screen says so); `None` when they were locked by hand or are open.
    locked_after_idle: RwSignal<Option<u32>>,
}

impl Accounts {
    pub fn new() -> Self {
        Accounts {
            list: RwSignal::new(Vec::new()),
            active: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(1),
            status: RwSignal::new(VaultStatus::InMemory),
            key: StoredValue::new_local(None),
            save_generation: StoredValue::new(0),
            save_error: RwSignal::new(None),
            locked_after_idle: RwSignal::new(None),
        }
    }

    /// Adds an account; the first one of a provider becomes its active account.
    pub fn add(&self, provider: Provider, name: &str, token: &str) -> u32 {
        let id = self.insert(provider, name, token, None, false);
        self.save();
        id
    }

    fn insert(
        &self,
        provider: Provider,
        name: &str,
        token: &str,
        vm_login: Option<String>,
        disabled: bool,
    ) -> u32 {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.list.update(|l| {
            l.push(Account {
                id,
                provider,
                name: name.trim().to_string(),
                token: token.trim().to_string(),
                vm_login,
                disabled,
            })
        });
        if !disabled && self.active_id(provider).is_none() {
            self.active.update(|a| a.push((provider, id)));
        }
        id
    }

    /// Forgets an account and its token (also from the vault, when remembered).
    pub fn remove(&self, id: u32) {
        let provider = self
            .list
            .with_untracked(|l| l.iter().find(|a| a.id == id).map(|a| a.provider));
        self.list.update(|l| l.retain(|a| a.id != id));
        self.active
            .update(|a| a.retain(|(_, active)| *active != id));
        if let Some(provider) = provider {
            self.next_in_use(provider);
        }
        self.save();
    }

    /// The provider's next usable account, if any, takes over.
    fn next_in_use(&self, provider: Provider) {
        self.active.update(|a| a.retain(|(p, _)| *p != provider));
        let next = self.list.with_untracked(|l| {
            l.iter()
                .find(|a| a.provider == provider && !a.disabled)
                .map(|a| a.id)
        });
        if let Some(next) = next {
            self.active.update(|a| a.push((provider, next)));
        }
    }

    /// The provider confirmed `token` no longer works (API access disabled, or the token
    /// replaced): every account holding it is marked so and stops being used; the provider's
    /// next usable account, if any, takes over. Returns how many accounts held it.
    pub fn retire_token(&self, provider: Provider, token: &str) -> usize {
        let mut held = 0;
        self.list.update(|l| {
            for a in l
                .iter_mut()
                .filter(|a| a.provider == provider && a.token == token)
            {
                a.disabled = true;
                held += 1;
            }
        });
        let in_use_held_it = self.active(provider).is_none();
        if held > 0 && in_use_held_it {
            self.next_in_use(provider);
        }
        self.save();
        held
    }

    /// Replaces an account's token (a rotated token), keeping its name and whether it is in use.
    pub fn set_token(&self, id: u32, token: &str) {
        self.list.update(|l| {
            if let Some(a) = l.iter_mut().find(|a| a.id == id) {
                a.token = token.trim().to_string();
                a.disabled = false;
            }
        });
        self.save();
    }

    /// Sets (or, with an empty name, clears) the login name used for this account's VMs.
    pub fn set_vm_login(&self, id: u32, login: &str) {
        let login = login.trim();
        self.list.update(|l| {
            if let Some(a) = l.iter_mut().find(|a| a.id == id) {
                a.vm_login = (!login.is_empty()).then(|| login.to_string());
            }
        });
        self.save();
    }

    pub fn set_active(&self, provider: Provider, id: u32) {
        self.active.update(|a| {
            a.retain(|(p, _)| *p != provider);
            a.push((provider, id));
        });
        self.save();
    }

    fn active_id(&self, provider: Provider) -> Option<u32> {
        self.active
            .with_untracked(|a| a.iter().find(|(p, _)| *p == provider).map(|(_, id)| *id))
    }

    /// The account in use for `provider` (reactive). Never one whose token was disabled.
    pub fn active(&self, provider: Provider) -> Option<Account> {
        let id = self
            .active
            .with(|a| a.iter().find(|(p, _)| *p == provider).map(|(_, id)| *id))?;
        self.list
            .with(|l| l.iter().find(|a| a.id == id && !a.disabled).cloned())
    }

    /// Every account the console may act with (reactive): never one whose token was disabled.
    pub fn all(&self) -> Vec<Account> {
        self.list
            .with(|l| l.iter().filter(|a| !a.disabled).cloned().collect())
    }

    /// Every account the console may act with, without subscribing to changes.
    pub fn all_untracked(&self) -> Vec<Account> {
        self.list
            .with_untracked(|l| l.iter().filter(|a| !a.disabled).cloned().collect())
    }

    /// Every account, those with a disabled token too: the Accounts page lists them (reactive).
    pub fn listed(&self) -> Vec<Account> {
        self.list.get()
    }

    /// Every account, those with a disabled token too, without subscribing to changes.
    pub fn listed_untracked(&self) -> Vec<Account> {
        self.list.get_untracked()
    }

    /// Where an account saved now is kept, in words: "in this tab's memory only ...".
    pub fn where_kept(&self) -> &'static str {
        match self.status.get_untracked() {
            VaultStatus::Unlocked => "remembered on this device, encrypted with your passphrase",
            _ => "kept in this tab's memory only: a reload or closing the tab forgets it (Accounts → Remember on this device keeps it)",
        }
    }

    /// Where the accounts are kept (reactive).
    pub fn status(&self) -> VaultStatus {
        self.status.get()
    }

    /// True while remembered accounts wait for the passphrase (reactive).
    pub fn is_locked(&self) -> bool {
        self.status.get() == VaultStatus::Locked
    }

    /// True while remembered accounts wait for the passphrase, without subscribing.
    pub fn is_locked_untracked(&self) -> bool {
        self.status.get_untracked() == VaultStatus::Locked
    }

    /// After how long without activity the accounts locked themselves, if that is why they
    /// are locked (reactive).
    pub fn locked_after_idle(&self) -> Option<u32> {
        self.locked_after_idle.get()
    }

    /// Why the latest save to this device failed, if it did (reactive).
    pub fn save_error(&self) -> Option<String> {
        self.save_error.get()
    }

    /// At start: remembered accounts, if this device has any, wait locked for the passphrase.
    pub fn detect_remembered(&self) {
        if stored_record().is_some() {
            self.status.set(VaultStatus::Locked);
        }
    }

    /// Starts remembering every account on this device under `key` (a new passphrase).
    pub async fn remember(&self, key: VaultKey) -> Result<(), VaultError> {
        let sealed = key.seal(&self.contents()).await?;
        write_record(&sealed)?;
        self.key.set_value(Some(key));
        self.status.set(VaultStatus::Unlocked);
        self.save_error.set(None);
        Ok(())
    }

    /// Opens the remembered accounts. A wrong passphrase changes nothing.
    pub async fn unlock(&self, passphrase: &str) -> Result<(), VaultError> {
        let text = stored_record().ok_or(VaultError::CannotDecrypt)?;
        let sealed = SealedVault::from_json(&text).map_err(VaultError::Format)?;
        let (key, contents) = VaultKey::unlock(passphrase, &sealed).await?;
        self.key.set_value(Some(key));
        self.merge(contents);
        self.locked_after_idle.set(None);
        self.status.set(VaultStatus::Unlocked);
        Ok(())
    }

    /// Adds the accounts of `contents` that are not here yet (same provider and token), with
    /// their in-use choices; returns how many were added. Saves when remembered.
    pub fn merge(&self, contents: VaultContents) -> usize {
        let mut added = 0;
        for stored in contents.accounts {
            let known = self.list.with_untracked(|l| {
                l.iter()
                    .any(|a| a.provider == stored.provider && a.token == stored.token)
            });
            if known {
                continue;
            }
            let id = self.insert(
                stored.provider,
                &stored.name,
                &stored.token,
                stored.vm_login,
                stored.disabled,
            );
            if stored.active && !stored.disabled {
                self.active.update(|a| {
                    a.retain(|(p, _)| *p != stored.provider);
                    a.push((stored.provider, id));
                });
            }
            added += 1;
        }
        self.save();
        added
    }

    /// Drops the key and every token from memory; the remembered record waits for the
    /// passphrase again. Only remembered accounts can be locked.
    pub fn lock(&self) {
        if self.status.get_untracked() != VaultStatus::Unlocked {
            return;
        }
        self.locked_after_idle.set(None);
        self.key.set_value(None);
        self.save_generation.update_value(|g| *g += 1);
        self.list.set(Vec::new());
        self.active.set(Vec::new());
        self.status.set(VaultStatus::Locked);
    }

    /// Re-encrypts the remembered accounts under a new passphrase, after checking the current
    /// one against the stored record.
    pub async fn change_passphrase(&self, current: &str, new: &str) -> Result<(), VaultError> {
        let text = stored_record().ok_or(VaultError::CannotDecrypt)?;
        let sealed = SealedVault::from_json(&text).map_err(VaultError::Format)?;
        VaultKey::unlock(current, &sealed).await?;
        let key = VaultKey::create(new).await?;
        self.remember(key).await
    }

    /// Forgets everything on this device: the stored record, the key, every account.
    pub fn forget_everything(&self) {
        remove_record();
        self.key.set_value(None);
        self.save_generation.update_value(|g| *g += 1);
        self.list.set(Vec::new());
        self.active.set(Vec::new());
        self.save_error.set(None);
        self.status.set(VaultStatus::InMemory);
    }

    /// Stops remembering: the stored record goes, the accounts stay in this tab's memory.
    pub fn stop_remembering(&self) {
        remove_record();
        self.key.set_value(None);
        self.save_generation.update_value(|g| *g += 1);
        self.save_error.set(None);
        self.status.set(VaultStatus::InMemory);
    }

    /// The accounts as the vault keeps them.
    pub fn contents(&self) -> VaultContents {
        let active = self.active.get_untracked();
        VaultContents {
            accounts: self.list.with_untracked(|l| {
                l.iter()
                    .map(|a| StoredAccount {
                        provider: a.provider,
                        name: a.name.clone(),
                        token: a.token.clone(),
                        vm_login: a.vm_login.clone(),
                        active: active.contains(&(a.provider, a.id)),
                        disabled: a.disabled,
                    })
                    .collect()
            }),
        }
    }

    /// The remembered record as it is stored, for an encrypted backup file.
    pub fn stored_backup(&self) -> Option<String> {
        (self.status.get_untracked() == VaultStatus::Unlocked)
            .then(stored_record)
            .flatten()
    }

    /// Seals and stores the accounts again, when they are remembered and open.
    fn save(&self) {
        if self.status.get_untracked() != VaultStatus::Unlocked {
            return;
        }
        let Some(key) = self.key.get_value() else {
            return;
        };
        self.save_generation.update_value(|g| *g += 1);
        let generation = self.save_generation.get_value();
        let contents = self.contents();
        let this = *self;
        leptos::task::spawn_local(async move {
            let result = key.seal(&contents).await;
            // A later save (or a lock) superseded this one.
            if this.save_generation.try_get_value() != Some(generation) {
                return;
            }
            let outcome = result.and_then(|sealed| write_record(&sealed));
            this.save_error
                .try_set(outcome.err().map(|e| e.to_string()));
        });
    }
}

impl Default for Accounts {
    fn default() -> Self {
        Self::new()
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The remembered record, if this device has one.
pub fn stored_record() -> Option<String> {
    local_storage()?.get_item(STORAGE_KEY).ok().flatten()
}

fn write_record(sealed: &SealedVault) -> Result<(), VaultError> {
    local_storage()
        .ok_or_else(|| VaultError::Unavailable("no local storage".into()))?
        .set_item(STORAGE_KEY, &sealed.to_json())
        .map_err(|_| VaultError::Unavailable("local storage is full or blocked".into()))
}

fn remove_record() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(STORAGE_KEY);
    }
}

/// The auto-lock preference (not secret, so in plain local storage), in seconds; 0 is never.
pub const AUTO_LOCK_KEY: &str = "cloudpane.auto_lock_seconds";
/// Fifteen minutes.
pub const AUTO_LOCK_DEFAULT: u32 = 15 * 60;

/// The idle time after which remembered accounts lock themselves (0: never).
pub fn auto_lock_seconds() -> u32 {
    local_storage()
        .and_then(|s| s.get_item(AUTO_LOCK_KEY).ok().flatten())
        .and_then(|v| v.parse().ok())
        .unwrap_or(AUTO_LOCK_DEFAULT)
}

pub fn set_auto_lock_seconds(seconds: u32) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(AUTO_LOCK_KEY, &seconds.to_string());
    }
}

/// Locks the accounts after the chosen idle time, and says so in the live region (the lock
/// screen says it too). Only the user's own input counts as activity (keys, pointer, wheel,
/// touch): the pages' timed refreshes do not.
pub fn watch_idle(state: crate::state::AppState) {
    let accounts = state.accounts;
    use std::cell::Cell;
    use std::rc::Rc;
    let last = Rc::new(Cell::new(js_sys::Date::now()));
    for event in ["keydown", "pointerdown", "wheel", "touchstart"] {
        let last = last.clone();
        let handle = window_event_listener_untyped(event, move |_| last.set(js_sys::Date::now()));
        // The listeners live as long as the app.
        std::mem::forget(handle);
    }
    let check = move || {
        let limit = auto_lock_seconds();
        if limit == 0 || accounts.status.get_untracked() != VaultStatus::Unlocked {
            last.set(js_sys::Date::now());
            return;
        }
        if js_sys::Date::now() - last.get() >= f64::from(limit) * 1000.0 {
            accounts.lock();
            accounts.locked_after_idle.set(Some(limit));
            state.announce(cloudpane_api::vault::idle_lock_message(limit));
        }
    };
    // The interval lives as long as the app.
    let _ = set_interval_with_handle(check, std::time::Duration::from_secs(1));
}
