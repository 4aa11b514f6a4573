//! "Test connection": one cheap read per provider, and its outcome in words.
//!
//! The reads are chosen to return no secret: Voltage Park's `billing/hourly-rate`, NetActuate's
//! `/v3/secrets` list (lists never carry values) and Octos's `virtual-machines` (not its
//! `access-token`, which answers with the token itself).

use crate::request::{ApiRequest, Method};
use crate::{ApiError, Provider};

/// The request "Test connection" sends for an account of `provider`.
pub fn request(provider: Provider, token: &str) -> ApiRequest {
    match provider {
        Provider::VoltagePark => crate::voltagepark::billing::hourly_rate(token),
        Provider::NetActuate => ApiRequest::new(Provider::NetActuate, Method::Get, "/v3/secrets")
            .header("Authorization", format!("Bearer {token}")),
        Provider::Octos => crate::octos::list_vms(token),
    }
}

/// What a connection test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    /// The provider refused the token (401).
    Rejected,
    /// NetActuate refused the proxy's address (403): its IP ACL, as far as its words tell.
    AddressNotAllowed,
    /// The proxy did not answer.
    ProxyUnreachable,
    /// Anything else, in the error's own words.
    Failed(String),
    /// There was no token to test: nothing was sent.
    NoToken,
}

impl Outcome {
    /// The outcome known before anything is sent: an empty token is refused here, never sent to
    /// the provider to find out.
    pub fn before_sending(token: &str) -> Option<Outcome> {
        token.trim().is_empty().then_some(Outcome::NoToken)
    }

    /// Reads the answer to [`request`]: a success status means the token works, unless its body
    /// reports an error (NetActuate's envelope `code`, Octos's `"status": "Error"`: read by
    /// [`crate::read_response`] into the `Err` given here).
    pub fn from_result<T>(result: &Result<T, ApiError>) -> Outcome {
        match result {
            Ok(_) => Outcome::Accepted,
            // A success whose body this console does not model still proves the token.
            Err(ApiError::Decode(_)) => Outcome::Accepted,
            Err(ApiError::Network(_)) => Outcome::ProxyUnreachable,
            Err(ApiError::Http(e)) if e.from_proxy => Outcome::Failed(e.summary()),
            Err(ApiError::Http(e)) if e.status == 401 => Outcome::Rejected,
            // Told from other 403s (a token without the permission) by the answer's words.
            Err(e) if crate::netactuate::ip_acl_refusal(e).is_some() => Outcome::AddressNotAllowed,
            Err(e) => Outcome::Failed(e.to_string()),
        }
    }

    /// True for a working token.
    pub fn is_ok(&self) -> bool {
        *self == Outcome::Accepted
    }

    /// One sentence for the user.
    pub fn describe(&self, provider: Provider) -> String {
        match self {
            Outcome::Accepted => format!("Connected: {provider} accepted the token."),
            Outcome::Rejected => format!(
                "{provider} rejected the token (401). Check that it was copied whole, or ask for a new one."
            ),
            Outcome::AddressNotAllowed => "NetActuate refused the proxy's address (403): the proxy's outgoing address must be on the account's API IP ACL, under Account → API → IP ACL.".to_string(),
            Outcome::ProxyUnreachable => "The proxy is unreachable: no answer came back, so the token was not tested. Check that the proxy is running.".to_string(),
            Outcome::Failed(why) => format!("The test did not succeed: {why}"),
            Outcome::NoToken => format!(
                "There is no token to test: paste the {provider} API token first. Nothing was sent."
            ),
        }
    }
}

/// How each provider issues an API token, for the add form.
pub fn how_to_get_a_token(provider: Provider) -> &'static str {
    match provider {
        Provider::VoltagePark => "Voltage Park issues API tokens by e-mail from support: write to them with the Organization ID shown on your Account page.",
        Provider::NetActuate => "In the NetActuate portal, open Account → API to create a token, and add the proxy's outgoing address to the IP ACL on the same page: calls from any other address are refused.",
        Provider::Octos => "In Octos Cloud, open Profile → API (or the Octos API access page), enable API access and copy the token: it is shown once.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HttpError;

    fn http(provider: Provider, status: u16, body: &str) -> Result<(), ApiError> {
        Err(ApiError::Http(HttpError::from_response(
            provider, status, body,
        )))
    }

    #[test]
    fn an_empty_token_is_refused_before_sending() {
        for empty in ["", "   ", "\n\t"] {
            let refused = Outcome::before_sending(empty).expect("refused");
            assert!(!refused.is_ok());
            assert!(refused
                .describe(Provider::Octos)
                .contains("paste the Octos Cloud API token first. Nothing was sent."));
        }
        assert_eq!(Outcome::before_sending("tok"), None);
    }

    #[test]
    fn each_provider_is_tested_with_a_read_that_returns_no_secret() {
        let vp = request(Provider::VoltagePark, "t1");
        assert_eq!(
            (vp.method, vp.path.as_str()),
            (Method::Get, "/api/v1/billing/hourly-rate")
        );
        let na = request(Provider::NetActuate, "t2");
        assert_eq!((na.method, na.path.as_str()), (Method::Get, "/v3/secrets"));
        assert!(na
            .headers
            .contains(&("Authorization".into(), "Bearer t2".into())));
        let oc = request(Provider::Octos, "t3");
        assert_eq!(oc.method, Method::Get);
        assert!(oc.path.ends_with("/virtual-machines"), "{}", oc.path);
        for r in [vp, na, oc] {
            let token = r
                .headers
                .iter()
                .find(|(n, _)| n == "Authorization")
                .unwrap();
            let token = token.1.trim_start_matches("Bearer ");
            assert!(
                !r.path_and_query().contains(token),
                "the token never goes in a URL"
            );
        }
    }

    #[test]
    fn an_error_in_a_success_status_is_no_connection() {
        // Octos: `"status": "Error"` on a 200 (no public client; the least is assumed).
        let octos = crate::read_response::<serde_json::Value>(
            Provider::Octos,
            200,
            r#"{"status":"Error","message":"API access is not enabled for this account","data":null}"#,
        );
        let found = Outcome::from_result(&octos);
        assert!(
            matches!(&found, Outcome::Failed(m) if m.contains("API access is not enabled")),
            "{found:?}"
        );
        // NetActuate: an envelope `code` of 401 on a 200 (its SDKs read the code like a status).
        let netactuate = crate::read_response::<serde_json::Value>(
            Provider::NetActuate,
            200,
            r#"{"code":401,"message":"Invalid API key","data":null}"#,
        );
        assert_eq!(Outcome::from_result(&netactuate), Outcome::Rejected);
        let acl = crate::read_response::<serde_json::Value>(
            Provider::NetActuate,
            200,
            r#"{"result":"error","code":403,"message":"IP 203.0.113.9 is not in the API ACL"}"#,
        );
        assert_eq!(Outcome::from_result(&acl), Outcome::AddressNotAllowed);
    }

    #[test]
    fn outcomes_in_plain_words() {
        let ok: Result<(), ApiError> = Ok(());
        assert_eq!(Outcome::from_result(&ok), Outcome::Accepted);
        let rejected = Outcome::from_result(&http(
            Provider::VoltagePark,
            401,
            r#"{"detail":"Invalid API token"}"#,
        ));
        assert_eq!(rejected, Outcome::Rejected);
        assert!(rejected
            .describe(Provider::VoltagePark)
            .contains("rejected the token (401)"));
        let acl = Outcome::from_result(&http(
            Provider::NetActuate,
            403,
            r#"{"message":"IP not allowed"}"#,
        ));
        assert_eq!(acl, Outcome::AddressNotAllowed);
        assert!(acl
            .describe(Provider::NetActuate)
            .contains("Account → API → IP ACL"));
        // A 403 whose words are about a permission is not the ACL.
        let permission = Outcome::from_result(&http(
            Provider::NetActuate,
            403,
            r#"{"code":403,"message":"This API key is not permitted to read secrets","data":null}"#,
        ));
        assert!(
            matches!(&permission, Outcome::Failed(m) if m.contains("not for the proxy's address") && m.contains("not permitted to read secrets")),
            "{permission:?}"
        );
        let down: Result<(), ApiError> = Err(ApiError::Network("no answer".into()));
        assert_eq!(Outcome::from_result(&down), Outcome::ProxyUnreachable);
        let octos_403 = Outcome::from_result(&http(
            Provider::Octos,
            403,
            r#"{"status":"Error","message":"no"}"#,
        ));
        assert!(matches!(octos_403, Outcome::Failed(_)));
        let proxy = Outcome::from_result(&http(
            Provider::NetActuate,
            403,
            r#"{"error":"origin refused"}"#,
        ));
        assert!(
            matches!(&proxy, Outcome::Failed(m) if m.contains("proxy refused")),
            "{proxy:?}"
        );
    }
}
