//! Rotating and disabling the Octos API token, told truthfully at every step.
//!
//! Octos has no rotate call: a rotation is a disable, then an enable. Either answer may be lost
//! (the request may have been carried out), and the enable may be refused after the disable
//! went through, which leaves the account with API access off and no token. The console never
//! says "failed" when a step may have happened: it reads the token state again
//! (`GET /profile/api/access-token`) and says what it found; and when only the enable is missing
//! it says exactly that and offers to finish (enable a new token).

use super::api_access::{enable_checked, CurrentToken, EnableChecked, TokenBefore};
use super::envelope::is_token_refused;
use crate::ApiError;

/// What reading the token after a disable whose answer was lost says about that disable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisableChecked {
    /// Octos has no token (404), or refuses the token the read was made with (401, when that
    /// was the API token itself): API access is off.
    Disabled,
    /// Octos still has a token: API access is on.
    NotDisabled,
    /// The token could not be read either.
    NotKnown(ApiError),
}

/// Decides from the token read after a disable whose answer was lost.
pub fn disable_checked(after: Result<CurrentToken, ApiError>) -> DisableChecked {
    match after {
        Ok(_) => DisableChecked::NotDisabled,
        Err(e) if e.is_not_found() || is_token_refused(&e) => DisableChecked::Disabled,
        Err(e) => DisableChecked::NotKnown(e),
    }
}

/// How a rotation (disable, then enable) ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// Both steps happened: `new` is the new token (retrieved from Octos when the enable's
    /// answer was lost; `retrieved` says so).
    Done { new: String, retrieved: bool },
    /// The disable was refused, or its answer was lost and the token is still there: nothing
    /// changed, the old token works.
    NothingChanged { why: String },
    /// The disable's answer was lost and the token could not be read: not known whether API
    /// access is off. Nothing more was sent.
    DisableNotKnown { why: String },
    /// API access is off (the old token is refused) but no new token was enabled: the enable
    /// was refused, or its answer was lost and Octos has no token. Finishing = enabling.
    HalfDone { why: String },
    /// API access is off; the enable's answer was lost and the token could not be read: not
    /// known whether a new token exists. Nothing more was sent.
    EnableNotKnown { why: String },
}

impl Rotation {
    /// After the disable step: `Ok` when it went through (go on to enable), else the end.
    /// `reread` is the token read again when the disable's answer may have been lost.
    pub fn after_disable(
        disabled: Result<(), ApiError>,
        reread: Option<Result<CurrentToken, ApiError>>,
    ) -> Result<(), Rotation> {
        let error = match disabled {
            Ok(()) => return Ok(()),
            Err(e) => e,
        };
        if !error.answer_may_be_lost() {
            return Err(Rotation::NothingChanged {
                why: super::envelope::explain(&error),
            });
        }
        match reread.map(disable_checked) {
            Some(DisableChecked::Disabled) => Ok(()),
            Some(DisableChecked::NotDisabled) => Err(Rotation::NothingChanged {
                why: "the disable's answer was lost, and Octos Cloud still has the token".into(),
            }),
            Some(DisableChecked::NotKnown(e)) => Err(Rotation::DisableNotKnown {
                why: format!(
                    "the disable's answer was lost, and the token could not be read again ({e})"
                ),
            }),
            None => Err(Rotation::DisableNotKnown {
                why: "the disable's answer was lost".into(),
            }),
        }
    }

    /// After the enable step (API access being off by then). `reread` is the token read again
    /// when the enable's answer may have been lost.
    pub fn after_enable(
        enabled: Result<String, ApiError>,
        reread: Option<Result<CurrentToken, ApiError>>,
    ) -> Rotation {
        let error = match enabled {
            Ok(new) => {
                return Rotation::Done {
                    new,
                    retrieved: false,
                }
            }
            Err(e) => e,
        };
        if !error.answer_may_be_lost() {
            return Rotation::HalfDone {
                why: error.to_string(),
            };
        }
        let Some(after) = reread else {
            return Rotation::EnableNotKnown {
                why: "the enable's answer was lost".into(),
            };
        };
        // Before the enable, API access was off: Octos had no token.
        match enable_checked(&TokenBefore::None, after) {
            EnableChecked::Enabled(now) | EnableChecked::TokenFound(now) => Rotation::Done {
                new: now.token,
                retrieved: true,
            },
            EnableChecked::NotEnabled => Rotation::HalfDone {
                why: "the enable's answer was lost, and Octos Cloud has no token".into(),
            },
            EnableChecked::NotKnown(e) => Rotation::EnableNotKnown {
                why: format!("the enable's answer was lost, and the token could not be read ({e})"),
            },
        }
    }

    /// True when the old token no longer works (it is retired from the saved accounts).
    pub fn old_token_refused(&self) -> bool {
        matches!(
            self,
            Rotation::Done { .. } | Rotation::HalfDone { .. } | Rotation::EnableNotKnown { .. }
        )
    }

    /// True when the page offers to finish the rotation by enabling a new token.
    pub fn can_finish(&self) -> bool {
        matches!(self, Rotation::HalfDone { .. })
    }

    /// What happened, in words. (`Done` is said by the page, which knows where the token went.)
    pub fn describe(&self) -> String {
        match self {
            Rotation::Done { retrieved: false, .. } => "Token rotated: the old token is refused from now on.".into(),
            Rotation::Done { retrieved: true, .. } => "Token rotated: the old token is refused from now on. The enable's answer was lost on the way, so the console retrieved the new token from Octos Cloud.".into(),
            Rotation::NothingChanged { why } => format!("Not rotated, and nothing changed: the current token still works ({why})."),
            Rotation::DisableNotKnown { why } => format!("Not known whether API access was disabled: {why}. Nothing more was sent. See the current token above (it is read again) before trying again."),
            Rotation::HalfDone { why } => format!("Half done: API access was disabled, so the old token is refused from now on, but a new token could not be enabled ({why}). Finish the rotation: enable a new token."),
            Rotation::EnableNotKnown { why } => format!("API access was disabled, so the old token is refused from now on; whether a new token was enabled is not known: {why}. It was not sent again: see the current token above (it is read again) before enabling, since enabling again replaces the token."),
        }
    }
}

/// What a disable whose answer may have been lost did, in words, from the token read after it.
pub fn lost_disable_said(after: Result<CurrentToken, ApiError>) -> (DisableChecked, String) {
    let checked = disable_checked(after);
    let said = match &checked {
        DisableChecked::Disabled => "API access is disabled: its answer was lost on the way, but Octos Cloud no longer has the token. Every script using it now gets 401 (refused).".to_string(),
        DisableChecked::NotDisabled => "API access was not disabled: its answer was lost, and Octos Cloud still has the token. Nothing changed; you can disable it again.".to_string(),
        DisableChecked::NotKnown(e) => format!("Not known whether API access was disabled: its answer was lost, and the token could not be read again ({e}). It was not sent again: see the current token above before trying again."),
    };
    (checked, said)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::octos::read_envelope;

    fn token(t: &str) -> Result<CurrentToken, ApiError> {
        Ok(CurrentToken {
            token: t.into(),
            expires_at: None,
        })
    }
    fn no_token() -> Result<CurrentToken, ApiError> {
        read_envelope(
            404,
            r#"{"status":"Error","message":"API access is not enabled.","data":null}"#,
        )
    }
    fn refused() -> Result<CurrentToken, ApiError> {
        read_envelope(
            401,
            r#"{"status":"Error","message":"Unauthenticated.","data":null}"#,
        )
    }
    fn lost() -> ApiError {
        ApiError::Network("the connection was cut".into())
    }
    fn refusal() -> ApiError {
        read_envelope::<()>(
            200,
            r#"{"status":"Error","message":"Token name already taken","data":null}"#,
        )
        .unwrap_err()
    }

    #[test]
    fn a_lost_disable_is_told_by_the_token_read_after_it() {
        assert_eq!(disable_checked(no_token()), DisableChecked::Disabled);
        assert_eq!(disable_checked(refused()), DisableChecked::Disabled);
        assert_eq!(disable_checked(token("1|old")), DisableChecked::NotDisabled);
        assert!(matches!(
            disable_checked(Err(lost())),
            DisableChecked::NotKnown(_)
        ));
        let (_, said) = lost_disable_said(no_token());
        assert!(said.starts_with("API access is disabled"), "{said}");
        let (_, said) = lost_disable_said(token("1|old"));
        assert!(said.contains("was not disabled"), "{said}");
        let (_, said) = lost_disable_said(Err(lost()));
        assert!(said.starts_with("Not known"), "{said}");
        assert!(!said.contains("failed"), "{said}");
    }

    #[test]
    fn a_refused_disable_changes_nothing_a_lost_one_is_checked() {
        let refused = Rotation::after_disable(Err(refusal()), None);
        let refused = refused.unwrap_err();
        assert!(!refused.old_token_refused());
        assert!(
            refused.describe().contains("nothing changed"),
            "{}",
            refused.describe()
        );
        assert!(refused.describe().contains("Token name already taken"));
        // Lost, and the token is gone: the rotation goes on to the enable.
        assert_eq!(
            Rotation::after_disable(Err(lost()), Some(no_token())),
            Ok(())
        );
        // Lost, and the token is still there: nothing changed.
        assert!(matches!(
            Rotation::after_disable(Err(lost()), Some(token("1|old"))),
            Err(Rotation::NothingChanged { .. })
        ));
        let unknown = Rotation::after_disable(Err(lost()), Some(Err(lost()))).unwrap_err();
        assert!(matches!(unknown, Rotation::DisableNotKnown { .. }));
        assert!(
            !unknown.describe().contains("failed"),
            "{}",
            unknown.describe()
        );
        assert!(!unknown.can_finish());
    }

    #[test]
    fn a_refused_enable_after_the_disable_is_half_done_and_can_be_finished() {
        let half = Rotation::after_enable(Err(refusal()), None);
        assert!(half.can_finish());
        assert!(half.old_token_refused());
        let said = half.describe();
        assert!(said.contains("API access was disabled"), "{said}");
        assert!(said.contains("a new token could not be enabled"), "{said}");
        assert!(said.contains("Token name already taken"), "{said}");
        assert!(said.contains("Finish the rotation"), "{said}");
    }

    #[test]
    fn a_lost_enable_is_told_by_the_token_read_after_it() {
        assert_eq!(
            Rotation::after_enable(Err(lost()), Some(token("2|new"))),
            Rotation::Done {
                new: "2|new".into(),
                retrieved: true
            }
        );
        let none = Rotation::after_enable(Err(lost()), Some(no_token()));
        assert!(none.can_finish(), "{none:?}");
        let unknown = Rotation::after_enable(Err(lost()), Some(Err(lost())));
        assert!(matches!(unknown, Rotation::EnableNotKnown { .. }));
        assert!(!unknown.can_finish());
        assert!(unknown.old_token_refused());
        assert!(!unknown.describe().contains("failed"));
        assert_eq!(
            Rotation::after_enable(Ok("2|new".into()), None),
            Rotation::Done {
                new: "2|new".into(),
                retrieved: false
            }
        );
    }
}
