//! NetActuate's mandatory IP ACL (netactuate-api-access.txt): calls from an address that is not
//! on the account's allowlist are rejected. Through the console that address is the proxy's.
//! The rejection is not documented [assumed: 403 with a JSON `message`, NOTES.md].

use crate::{ApiError, Provider};

/// NetActuate refused the call because of its IP ACL, as far as the answer tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpAclRefusal {
    /// The refused address, when the provider's message names one.
    pub address: Option<String>,
}

impl IpAclRefusal {
    /// What happened and the fix, in plain words.
    pub fn explain(&self) -> String {
        let who = match &self.address {
            Some(a) => format!("the proxy's outgoing address ({a})"),
            None => "the proxy's outgoing address".to_string(),
        };
        format!(
            "NetActuate refused {who}: its API only answers calls from addresses on the account's IP ACL, and the console's calls come from the proxy. To fix it, add {who} under Account \u{2192} API \u{2192} IP ACL in the NetActuate portal (+ Add, then the address or its range, then Submit), and retry."
        )
    }
}

/// Recognises the IP ACL refusal: a 403 from NetActuate itself (not from cloudpane's proxy).
pub fn ip_acl_refusal(error: &ApiError) -> Option<IpAclRefusal> {
    match error {
        ApiError::Http(e)
            if e.provider == Provider::NetActuate && e.status == 403 && !e.from_proxy =>
        {
            Some(IpAclRefusal {
                address: e.message.as_deref().and_then(address_in),
            })
        }
        _ => None,
    }
}

/// The first word of `message` that reads as an IPv4 or IPv6 address.
fn address_in(message: &str) -> Option<String> {
    message
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '\''))
        .map(|w| w.trim_end_matches(['.', ':']))
        .find(|w| w.parse::<std::net::IpAddr>().is_ok())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::HttpError;

    #[test]
    fn a_netactuate_403_is_the_acl_with_the_address_when_named() {
        let body = r#"{"message": "Access denied: source address 10.1.2.3 is not on this account's API IP ACL. Add it under Account → API → IP ACL."}"#;
        let e = ApiError::Http(HttpError::from_response(Provider::NetActuate, 403, body));
        let r = ip_acl_refusal(&e).unwrap();
        assert_eq!(r.address.as_deref(), Some("10.1.2.3"));
        assert!(r.explain().contains("Account \u{2192} API \u{2192} IP ACL"));
        assert!(r.explain().contains("(10.1.2.3)"));
        let v6 = ApiError::Http(HttpError::from_response(
            Provider::NetActuate,
            403,
            r#"{"message": "denied for 2001:db8::1."}"#,
        ));
        assert_eq!(
            ip_acl_refusal(&v6).unwrap().address.as_deref(),
            Some("2001:db8::1")
        );
        let bare = ApiError::Http(HttpError::from_response(Provider::NetActuate, 403, ""));
        assert_eq!(ip_acl_refusal(&bare).unwrap().address, None);
    }

    #[test]
    fn other_errors_are_not_the_acl() {
        let proxy = ApiError::Http(HttpError::from_response(
            Provider::NetActuate,
            403,
            r#"{"error": "origin not allowed"}"#,
        ));
        assert_eq!(ip_acl_refusal(&proxy), None);
        let vp = ApiError::Http(HttpError::from_response(Provider::VoltagePark, 403, "{}"));
        assert_eq!(ip_acl_refusal(&vp), None);
        let unauthorized =
            ApiError::Http(HttpError::from_response(Provider::NetActuate, 401, "{}"));
        assert_eq!(ip_acl_refusal(&unauthorized), None);
        assert_eq!(ip_acl_refusal(&ApiError::Network("x".into())), None);
    }
}
