//! NetActuate's mandatory IP ACL (netactuate-api-access.txt): calls from an address that is not
//! on the account's allowlist are rejected. Through the console that address is the proxy's.
//! The rejection is not documented [assumed: 403 with a JSON `message`, NOTES.md]. A 403 is
//! also how an API refuses a token without the permission for a call, so the two are told apart
//! by the answer's words: a message about an IP, an address or an ACL/allowlist is the ACL; a
//! message about anything else is not; a 403 without words is most likely the ACL (it is
//! mandatory) and is explained as such, naming the other cause too.

use crate::{ApiError, Provider};

/// NetActuate refused the call because of its IP ACL, as far as the answer tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpAclRefusal {
    /// The refused address, when the provider's message names one.
    pub address: Option<String>,
    /// False when NetActuate gave no words: the ACL is then the likely cause, not a certain one.
    pub said_so: bool,
}

impl IpAclRefusal {
    /// The refusal as NetActuate's words tell it (none: the ACL is only the likely cause).
    pub fn from_message(message: Option<&str>) -> IpAclRefusal {
        match message.map(str::trim).filter(|m| !m.is_empty()) {
            None => IpAclRefusal {
                address: None,
                said_so: false,
            },
            Some(m) => IpAclRefusal {
                address: address_in(m),
                said_so: true,
            },
        }
    }

    /// What happened and the fix, in plain words.
    pub fn explain(&self) -> String {
        let who = match &self.address {
            Some(a) => format!("the proxy's outgoing address ({a})"),
            None => "the proxy's outgoing address".to_string(),
        };
        let fix = format!(
            "its API only answers calls from addresses on the account's IP ACL, and the console's calls come from the proxy. To fix it, add {who} under Account \u{2192} API \u{2192} IP ACL in the NetActuate portal (+ Add, then the address or its range, then Submit), and retry."
        );
        if self.said_so {
            format!("NetActuate refused {who}: {fix}")
        } else {
            format!("NetActuate refused the call (403) without saying why. Most likely it refused {who}: {fix} If the address is already on the list, the token lacks the permission for this call.")
        }
    }
}

/// Recognises the IP ACL refusal: a 403 from NetActuate itself (not from cloudpane's proxy)
/// whose words are about the ACL, or that has no words.
pub fn ip_acl_refusal(error: &ApiError) -> Option<IpAclRefusal> {
    match error {
        ApiError::Http(e)
            if e.provider == Provider::NetActuate && e.status == 403 && !e.from_proxy =>
        {
            let message = e
                .message
                .as_deref()
                .map(str::trim)
                .filter(|m| !m.is_empty());
            match message {
                Some(m) if !says_ip_acl(m) => None,
                _ => Some(IpAclRefusal::from_message(message)),
            }
        }
        _ => None,
    }
}

/// True when `message` is about the caller's address: it names an IP address, or speaks of an
/// IP, an ACL or an allow/white list.
pub fn says_ip_acl(message: &str) -> bool {
    const WORDS: [&str; 10] = [
        "ip",
        "ips",
        "ipv4",
        "ipv6",
        "acl",
        "acls",
        "allowlist",
        "allowlisted",
        "whitelist",
        "whitelisted",
    ];
    let lower = message.to_lowercase();
    address_in(message).is_some()
        || lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| WORDS.contains(&w))
        || [
            "source address",
            "remote address",
            "client address",
            "allow list",
            "white list",
        ]
        .iter()
        .any(|p| lower.contains(p))
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
        let bare = ip_acl_refusal(&bare).unwrap();
        assert_eq!(bare.address, None);
        assert!(!bare.said_so);
        assert!(
            bare.explain().contains("without saying why"),
            "{}",
            bare.explain()
        );
        assert!(bare.explain().contains("permission"), "{}", bare.explain());
    }

    #[test]
    fn a_403_about_something_else_is_not_the_acl() {
        for words in [
            r#"{"message": "This token does not have permission to manage secrets."}"#,
            r#"{"code": 403, "message": "Forbidden: read-only API key", "data": null}"#,
            r#"{"result": "error", "message": "Access denied for this resource"}"#,
        ] {
            let e = ApiError::Http(HttpError::from_response(Provider::NetActuate, 403, words));
            assert_eq!(ip_acl_refusal(&e), None, "{words}");
        }
        for words in [
            r#"{"message": "IP not allowed"}"#,
            r#"{"message": "Your IP address is not whitelisted"}"#,
            r#"{"message": "Request from 198.51.100.4 denied"}"#,
            r#"{"message": "Source address not in API ACL"}"#,
            r#"{"message": "Not on the allowlist"}"#,
        ] {
            let e = ApiError::Http(HttpError::from_response(Provider::NetActuate, 403, words));
            assert!(ip_acl_refusal(&e).is_some_and(|r| r.said_so), "{words}");
        }
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
