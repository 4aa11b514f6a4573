//! API access: enable (multipart form, session token), retrieve and disable the API token.

use serde::Deserialize;

use super::bearer;
use crate::request::{ApiRequest, Method};

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
}
