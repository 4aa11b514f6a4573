//! API access: enable (multipart form, session token), retrieve and disable the API token.

use serde::Deserialize;

use super::bearer;
use crate::request::{ApiRequest, Method};
use crate::ApiError;

/// `POST /backend/api/profile/api/enable` with the session token from `/login`, as multipart
/// form fields `token_name` and, when chosen, `expires_at` (`YYYY-MM-DD`), exactly as the
/// document's `curl -F` example. Leaving `expires_at` out asks for a token that never expires.
pub fn enable(session_token: &str, token_name: &str, expires_at: Option<&str>) -> ApiRequest {
    let req = bearer(
        Method::Post,
        "/backend/api/profile/api/enable",
        session_token,
    )
    .form_field("token_name", token_name.trim());
    match expires_at.map(str::trim).filter(|e| !e.is_empty()) {
        Some(date) => req.form_field("expires_at", date),
        None => req,
    }
}

/// `GET /backend/api/profile/api/access-token`
pub fn access_token(token: &str) -> ApiRequest {
    bearer(Method::Get, "/backend/api/profile/api/access-token", token)
}

/// `DELETE /backend/api/profile/api/disable`: every script using the API token stops working.
pub fn disable(token: &str) -> ApiRequest {
    bearer(Method::Delete, "/backend/api/profile/api/disable", token)
}

/// The `data` of a successful enable: the new API token, shown once.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct NewToken {
    pub token: String,
}

/// The `data` of `access-token`: the current token and its expiry as Octos wrote it
/// (`"07-02-2025 02:02 PM"`; `null` or absent when it never expires).
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct CurrentToken {
    pub token: String,
    #[serde(default)]
    pub expires_at: Option<String>,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewToken { token: <hidden> }")
    }
}

impl std::fmt::Debug for CurrentToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CurrentToken")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The account's API token as read just before enabling, to tell a new token from the old one
/// if the enable's answer is lost.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenBefore {
    /// API access was off: Octos had no token (404).
    None,
    /// This token.
    Token(String),
    /// It could not be read.
    NotKnown,
}

impl TokenBefore {
    /// From the answer to [`access_token`].
    pub fn from_answer(answer: Result<CurrentToken, ApiError>) -> Self {
        match answer {
            Ok(current) => TokenBefore::Token(current.token),
            Err(e) if e.is_not_found() => TokenBefore::None,
            Err(_) => TokenBefore::NotKnown,
        }
    }
}

impl std::fmt::Debug for TokenBefore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TokenBefore::None => "TokenBefore::None",
            TokenBefore::Token(_) => "TokenBefore::Token(<hidden>)",
            TokenBefore::NotKnown => "TokenBefore::NotKnown",
        })
    }
}

/// What retrieving the token says about an enable whose answer was lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnableChecked {
    /// API access was enabled: Octos has a token it did not have before, the new one.
    Enabled(CurrentToken),
    /// Octos has a token, but the one before could not be read to compare: most likely the
    /// new one.
    TokenFound(CurrentToken),
    /// Not enabled: no token, or still the one from before.
    NotEnabled,
    /// The token could not be retrieved either.
    NotKnown(ApiError),
}

/// Decides from the token read before sending the enable and the one retrieved after its
/// answer was lost.
pub fn enable_checked(
    before: &TokenBefore,
    after: Result<CurrentToken, ApiError>,
) -> EnableChecked {
    match (before, after) {
        (TokenBefore::Token(old), Ok(now)) if *old == now.token => EnableChecked::NotEnabled,
        (TokenBefore::NotKnown, Ok(now)) => EnableChecked::TokenFound(now),
        (_, Ok(now)) => EnableChecked::Enabled(now),
        (_, Err(e)) if e.is_not_found() => EnableChecked::NotEnabled,
        (_, Err(e)) => EnableChecked::NotKnown(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::octos::read_envelope;

    #[test]
    fn enable_is_a_multipart_form_with_the_session_token() {
        let req = enable("1|session", " My API Token ", Some("2026-12-31"));
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/backend/api/profile/api/enable");
        assert!(req.body.is_none());
        assert_eq!(
            req.form,
            vec![
                ("token_name".into(), "My API Token".into()),
                ("expires_at".into(), "2026-12-31".into())
            ]
        );
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer 1|session".into())));
        let forever = enable("s", "n", Some(" "));
        assert_eq!(forever.form, vec![("token_name".into(), "n".into())]);
        assert_eq!(enable("s", "n", None).form.len(), 1);
    }

    #[test]
    fn retrieve_and_disable() {
        assert_eq!(access_token("t").method, Method::Get);
        assert_eq!(
            access_token("t").path,
            "/backend/api/profile/api/access-token"
        );
        assert_eq!(disable("t").method, Method::Delete);
        assert_eq!(disable("t").path, "/backend/api/profile/api/disable");
        // The document's examples.
        let new: NewToken = read_envelope(200, r#"{"status":"Success","message":"API enabled successfully","data":{"message":"API enabled successfully","token":"9e130f81-xxxx|SzVg1D6a5ZZ"}}"#).unwrap();
        assert_eq!(new.token, "9e130f81-xxxx|SzVg1D6a5ZZ");
        let cur: CurrentToken = read_envelope(200, r#"{"status":"Success","message":"Ok","data":{"token":"9e254ec7|csJK7LAd","expires_at":"07-02-2025 02:02 PM"}}"#).unwrap();
        assert_eq!(cur.expires_at.as_deref(), Some("07-02-2025 02:02 PM"));
        assert!(!format!("{cur:?}{new:?}").contains("csJK7LAd"));
        let never: CurrentToken =
            read_envelope(200, r#"{"status":"Success","data":{"token":"x"}}"#).unwrap();
        assert_eq!(never.expires_at, None);
        // Disable answers with `data: null`.
        let () = read_envelope(
            200,
            r#"{"status":"Success","message":"API disabled successfully","data":null}"#,
        )
        .unwrap();
    }

    #[test]
    fn a_lost_enable_is_told_by_the_token_retrieved_after_it() {
        let token = |t: &str| CurrentToken {
            token: t.into(),
            expires_at: None,
        };
        let not_enabled = || {
            read_envelope::<CurrentToken>(
                404,
                r#"{"status":"Error","message":"API access is not enabled.","data":null}"#,
            )
        };
        let old = TokenBefore::from_answer(Ok(token("1|old")));
        assert_eq!(old, TokenBefore::Token("1|old".into()));
        assert_eq!(TokenBefore::from_answer(not_enabled()), TokenBefore::None);
        let offline = ApiError::Network("offline".into());
        assert_eq!(
            TokenBefore::from_answer(Err(offline.clone())),
            TokenBefore::NotKnown
        );
        assert!(!format!("{old:?}").contains("old"));

        // A token that was not there before is the new one.
        assert_eq!(
            enable_checked(&old, Ok(token("2|new"))),
            EnableChecked::Enabled(token("2|new"))
        );
        assert_eq!(
            enable_checked(&TokenBefore::None, Ok(token("2|new"))),
            EnableChecked::Enabled(token("2|new"))
        );
        // Still the old token, or none at all: the enable did not happen.
        assert_eq!(
            enable_checked(&old, Ok(token("1|old"))),
            EnableChecked::NotEnabled
        );
        assert_eq!(
            enable_checked(&TokenBefore::None, not_enabled()),
            EnableChecked::NotEnabled
        );
        // Nothing to compare with, or nothing retrieved.
        assert_eq!(
            enable_checked(&TokenBefore::NotKnown, Ok(token("2|new"))),
            EnableChecked::TokenFound(token("2|new"))
        );
        assert_eq!(
            enable_checked(&old, Err(offline.clone())),
            EnableChecked::NotKnown(offline)
        );
    }
}
