//! Which Octos token the API access page acts with.

use cloudpane_api::Provider;
use leptos::prelude::*;

use cloudpane_api::octos::api_access::{access_token, CurrentToken};

use crate::accounts::Accounts;
use crate::state::{use_app, AppState, Connection};

/// The API access flow's memory: the session token from `/login` (never stored anywhere else;
/// dropped with the page, when the flow ends, or when the console locks), and the last name and
/// expiry API access was enabled with in this flow (what Rotate reuses).
#[derive(Clone, Copy)]
pub struct Flow {
    /// Read once when the flow starts: code after an `await` has no context to read it from.
    app: AppState,
    pub session: RwSignal<Option<String>>,
    pub last_choice: RwSignal<Option<(String, Option<String>)>>,
    /// The token just created, shown once until dismissed.
    pub shown_once: RwSignal<Option<ShownToken>>,
    /// Bumped after enable, rotate and disable, so panels read the token again.
    pub changed: RwSignal<u32>,
}

/// A new API token, shown once.
#[derive(Clone, PartialEq, Eq)]
pub struct ShownToken {
    pub name: String,
    pub token: String,
    /// The account that holds it, once saved (or updated by a rotation).
    pub saved_as: Option<String>,
}

impl Default for Flow {
    fn default() -> Self {
        Self::new()
    }
}

impl Flow {
    pub fn new() -> Self {
        Flow {
            app: use_app(),
            session: RwSignal::new(None),
            last_choice: RwSignal::new(None),
            shown_once: RwSignal::new(None),
            changed: RwSignal::new(0),
        }
    }

    /// The token to retrieve, disable or read the profile with: the session while logged in,
    /// otherwise the Octos account in use. Reactive.
    pub fn credential(&self) -> Option<String> {
        self.session
            .get()
            .or_else(|| self.app.account_for(Provider::Octos).map(|a| a.token))
    }

    pub fn bump(&self) {
        self.changed.update(|n| *n += 1);
    }

    /// The API token Octos holds now, read with the session: the one that enabling again or
    /// disabling puts out of use. `None` when it cannot be read (no session, API access off).
    pub async fn token_now(&self, connection: &Connection) -> Option<String> {
        let session = self.session.get_untracked()?;
        super::send::<CurrentToken>(connection, &access_token(&session))
            .await
            .ok()
            .map(|c| c.token)
    }

    /// Octos confirmed that `old` no longer works: no account is used with it again, not even
    /// the demo's after a reload.
    pub fn retire(&self, old: Option<&str>) {
        if let Some(old) = old {
            self.app.retire_token(Provider::Octos, old);
        }
    }
}

/// Saves `token` as the Octos account named `name` (the existing account of that name, or the
/// one that held `old_token`, gets the new token), makes it the Octos account in use, and
/// returns its name.
pub fn save_as_account(
    accounts: Accounts,
    name: &str,
    token: &str,
    old_token: Option<&str>,
) -> String {
    let existing = accounts.listed_untracked().into_iter().find(|a| {
        a.provider == Provider::Octos
            && (old_token.is_some_and(|old| a.token == old) || a.name == name.trim())
    });
    let (id, saved_name) = match existing {
        Some(a) => {
            accounts.set_token(a.id, token);
            (a.id, a.name)
        }
        None => (
            accounts.add(Provider::Octos, name, token),
            name.trim().to_string(),
        ),
    };
    accounts.set_active(Provider::Octos, id);
    saved_name
}
