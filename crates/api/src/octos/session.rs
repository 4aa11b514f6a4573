//! `POST /backend/api/login`: a session token, needed only to enable API access.

use serde::{Deserialize, Serialize};

use crate::request::{ApiRequest, Method};
use crate::Provider;

#[derive(Serialize)]
struct LoginBody<'a> {
    email: &'a str,
    password: &'a str,
}

/// `POST /backend/api/login` `{email, password}` (the document lists `/login`; the body is
/// assumed, NOTES.md). No token: this is how one is obtained.
pub fn login(email: &str, password: &str) -> ApiRequest {
    ApiRequest::new(Provider::Octos, Method::Post, "/backend/api/login").json_body(&LoginBody {
        email: email.trim(),
        password,
    })
}

/// The `data` of a successful login. Only the token is read; other fields are ignored.
#[derive(Clone, PartialEq, Eq, Deserialize)]
pub struct Session {
    pub token: String,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Session { token: <hidden> }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::octos::read_envelope;

    #[test]
    fn login_sends_json_and_reads_the_session_token() {
        let req = login(" me@example.com ", "pw d");
        assert_eq!(req.path, "/backend/api/login");
        assert_eq!(
            req.body.as_deref(),
            Some(r#"{"email":"me@example.com","password":"pw d"}"#)
        );
        // The password is in the body only, never in the Debug form.
        assert!(!format!("{req:?}").contains("pw d"));
        let s: Session = read_envelope(
            200,
            r#"{"status":"Success","message":"Login successful","data":{"token":"1|abc","user":{"name":"A"}}}"#,
        )
        .unwrap();
        assert_eq!(s.token, "1|abc");
        assert!(!format!("{s:?}").contains("abc"));
    }
}
