//! The `{"status": "Success" | "Error", "message": ..., "data": ...}` envelope around every Octos
//! answer, read once here. An `"Error"` status is an error even when the HTTP status is 200.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::{ApiError, HttpError, Provider};

/// The envelope around every Octos answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Envelope<T> {
    pub status: String,
    #[serde(default)]
    pub message: Option<String>,
    /// Absent in an action's answer is read as `null` by [`read_envelope`] (`Option` data).
    pub data: T,
}

impl<T> Envelope<T> {
    /// True when Octos said the call succeeded (`"Success"`, in any case).
    pub fn succeeded(&self) -> bool {
        self.status.eq_ignore_ascii_case("success")
    }

    /// The `data`, or the error the envelope reports (an `"Error"` status that came with the
    /// 2xx HTTP `status`).
    pub fn into_data(self, status: u16) -> Result<T, ApiError> {
        if self.succeeded() {
            return Ok(self.data);
        }
        Err(ApiError::Http(HttpError {
            provider: Provider::Octos,
            status,
            message: self
                .message
                .filter(|m| !m.trim().is_empty())
                .or_else(|| Some(format!("status \u{201c}{}\u{201d}", self.status))),
            fields: Vec::new(),
            from_proxy: false,
        }))
    }
}

/// Reads an Octos answer (HTTP `status`, `body`) as the `data` of its envelope.
///
/// - a non-2xx status is an [`ApiError::Http`] with the envelope's `message`;
/// - a 2xx whose envelope says `"Error"` (or anything but `"Success"`) is an [`ApiError::Http`]
///   too, keeping the 2xx status and the message;
/// - an envelope without `data`, or an empty body, is `null` data: no public client shows what
///   Octos's actions (disable, delete) answer, so the least is assumed and a `T` that needs no
///   data (an action's answer) reads from it;
/// - a 2xx body that is not an envelope, or whose `data` is not a `T`, is [`ApiError::Decode`].
pub fn read_envelope<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    if !(200..300).contains(&status) {
        return Err(ApiError::Http(HttpError::from_response(
            Provider::Octos,
            status,
            body,
        )));
    }
    let data = if body.trim().is_empty() {
        Value::Null
    } else {
        let envelope: Envelope<Option<Value>> = serde_json::from_str(body).map_err(|e| {
            ApiError::Decode(format!(
                "not an Octos {{status, message, data}} answer: {e}"
            ))
        })?;
        envelope.into_data(status)?.unwrap_or(Value::Null)
    };
    T::deserialize(data).map_err(|e| ApiError::Decode(format!("Octos data: {e}")))
}

/// The error an Octos success status carries: an envelope whose `status` is not `"Success"`.
/// `None` for a success, or for a body that is no envelope (read elsewhere).
pub fn error_in_success(body: &str) -> Option<HttpError> {
    let envelope: Envelope<Option<Value>> = serde_json::from_str(body).ok()?;
    match envelope.into_data(200) {
        Err(ApiError::Http(e)) => Some(e),
        _ => None,
    }
}

/// What a refused Octos API token (401) means, in words: the page that uses the token says
/// this instead of the generic "did not accept the token".
pub const TOKEN_REFUSED: &str = "Octos Cloud no longer accepts this API token (401). API access was disabled, or the token was rotated (a new one replaces it) or has expired. Log in on the Octos API access page and enable API access again to get a new token; then replace the account's token on the Accounts page.";

/// True when `error` is Octos refusing the token (401), not the proxy.
pub fn is_token_refused(error: &ApiError) -> bool {
    matches!(error, ApiError::Http(e) if e.status == 401 && !e.from_proxy && e.provider == Provider::Octos)
}

/// The words to show for `error` on Octos pages: [`TOKEN_REFUSED`] for a refused token, the
/// usual summary otherwise.
pub fn explain(error: &ApiError) -> String {
    if is_token_refused(error) {
        TOKEN_REFUSED.to_string()
    } else {
        error.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_gives_the_data() {
        let body =
            r#"{"status":"Success","message":"Ok","data":{"token":"t|x","expires_at":null}}"#;
        let data: Value = read_envelope(200, body).unwrap();
        assert_eq!(data["token"], "t|x");
        let list: Vec<u32> = read_envelope(200, r#"{"status":"success","data":[1,2]}"#).unwrap();
        assert_eq!(list, vec![1, 2]);
    }

    #[test]
    fn an_error_status_with_200_is_still_an_error() {
        let body = r#"{"status":"Error","message":"Token name already taken","data":null}"#;
        let err = read_envelope::<Value>(200, body).unwrap_err();
        match &err {
            ApiError::Http(e) => {
                assert_eq!(e.status, 200);
                assert_eq!(e.provider, Provider::Octos);
                assert_eq!(e.message.as_deref(), Some("Token name already taken"));
            }
            other => panic!("{other:?}"),
        }
        assert!(
            err.to_string().contains("Token name already taken"),
            "{err}"
        );
        // Without a message, the status word is what is said.
        let err = read_envelope::<Value>(200, r#"{"status":"Failed","data":null}"#).unwrap_err();
        assert!(err.to_string().contains("Failed"), "{err}");
    }

    #[test]
    fn an_envelope_read_elsewhere_gives_the_same_error() {
        let env: Envelope<Option<Vec<Value>>> =
            serde_json::from_str(r#"{"status":"Error","message":"Maintenance","data":null}"#)
                .unwrap();
        let err = env.into_data(200).unwrap_err();
        assert_eq!(
            err,
            read_envelope::<Value>(
                200,
                r#"{"status":"Error","message":"Maintenance","data":null}"#
            )
            .unwrap_err()
        );
    }

    #[test]
    fn error_status_codes_keep_the_message() {
        for code in [401u16, 403, 404, 422, 500] {
            let body = r#"{"status":"Error","message":"Unauthenticated.","data":null}"#;
            let err = read_envelope::<Value>(code, body).unwrap_err();
            assert!(
                matches!(&err, ApiError::Http(e) if e.status == code && e.message.as_deref() == Some("Unauthenticated."))
            );
        }
        let refused = read_envelope::<Value>(
            401,
            r#"{"status":"Error","message":"Unauthenticated.","data":null}"#,
        )
        .unwrap_err();
        assert!(is_token_refused(&refused));
        assert!(explain(&refused).contains("disabled"));
        assert!(explain(&refused).contains("rotated"));
        // The proxy's own 401 (its access key) is not the token's fault.
        let proxy = read_envelope::<Value>(401, r#"{"error":"access key required"}"#).unwrap_err();
        assert!(!is_token_refused(&proxy));
    }

    #[test]
    fn an_envelope_without_data_is_fine_for_actions() {
        // No public client shows an action's answer: the least is assumed.
        let done: Value =
            read_envelope(200, r#"{"status":"Success","message":"API disabled"}"#).unwrap();
        assert_eq!(done, Value::Null);
        let empty: Value = read_envelope(204, "").unwrap();
        assert_eq!(empty, Value::Null);
        // Without data, an answer that needs some is still not read as one.
        assert!(matches!(
            read_envelope::<super::super::api_access::NewToken>(200, r#"{"status":"Success"}"#),
            Err(ApiError::Decode(_))
        ));
        // And an "Error" without data is still an error.
        assert!(matches!(
            read_envelope::<Value>(200, r#"{"status":"Error","message":"Not allowed"}"#),
            Err(ApiError::Http(e)) if e.message.as_deref() == Some("Not allowed")
        ));
    }

    #[test]
    fn an_error_status_on_a_200_is_an_error_for_every_reader() {
        // Test connection reads its answer with the generic reader.
        let err = crate::read_response::<Value>(
            Provider::Octos,
            200,
            r#"{"status":"Error","message":"API access is disabled","data":null}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("API access is disabled"), "{err}");
        assert!(crate::read_response::<Value>(
            Provider::Octos,
            200,
            r#"{"status":"Success","message":"Ok","data":[]}"#
        )
        .is_ok());
    }

    #[test]
    fn not_an_envelope_is_a_decode_error() {
        assert!(matches!(
            read_envelope::<Value>(200, "[1,2]"),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            read_envelope::<Value>(200, "<html>"),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            read_envelope::<Vec<u32>>(200, r#"{"status":"Success","data":{"a":1}}"#),
            Err(ApiError::Decode(_))
        ));
    }
}
