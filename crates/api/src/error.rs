//! What can go wrong when calling a provider, in words a user can act on.

use serde_json::Value;

use crate::Provider;

/// A failed provider call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an HTTP answer (proxy down, offline, DNS, CORS).
    #[error("No answer came back: {0}. Check the network and that the proxy is running.")]
    Network(String),
    /// The provider (or the proxy) answered with an error status.
    #[error("{}", .0.summary())]
    Http(HttpError),
    /// A success status, but a body we could not read.
    #[error("the provider sent a response cloudpane could not read: {0}")]
    Decode(String),
    /// Never sent: a name or id in it cannot be part of a request's address
    /// ([`crate::url::path`]), so nothing went to the provider. (Forms say why at the field.)
    #[error("Nothing was sent: a name in its address cannot be used there.")]
    NotSent,
    /// A list that comes in pages was read only in part: `pages_read` pages came back, then the
    /// list could not be read on (`why`). Part of a list is never shown as if it were all of it
    /// ([`crate::netactuate::pages`]).
    #[error("Only part of the list could be read ({}), so none of it is shown as if it were the whole list: {why} Retry to read it again.", pages(.pages_read))]
    IncompleteList { pages_read: u32, why: String },
}

/// "the first page came back", "the first 3 pages came back".
fn pages(read: &u32) -> String {
    if *read == 1 {
        "the first page came back".to_string()
    } else {
        format!("the first {read} pages came back")
    }
}

/// What to say when [`ApiError::answer_may_be_lost`]: one wording for every form and button.
pub const ANSWER_MAY_BE_LOST: &str =
    "Its answer was lost, so it may have been carried out: check the list before trying again.";

impl ApiError {
    /// True when the provider may have carried the request out although its answer never
    /// came back: the connection failed or was cut, or a gateway (the proxy, or one in front
    /// of the provider) says it got no proper answer from behind it (502, 504). Such a request
    /// is never sent again on its own; the page reads the resource again to find out instead.
    ///
    /// Every other status is an answer: the provider (or the proxy, before passing the request
    /// on) refused it, and nothing was done. A 503 is such a refusal ("unavailable"), not a
    /// lost answer.
    pub fn answer_may_be_lost(&self) -> bool {
        match self {
            ApiError::Network(_) => true,
            ApiError::Http(e) => matches!(e.status, 502 | 504),
            ApiError::Decode(_) | ApiError::NotSent | ApiError::IncompleteList { .. } => false,
        }
    }

    /// True when the provider answered that there is no such resource (404), as after a delete
    /// that already happened: the resource is gone. The proxy's own 404 (an unknown route) is
    /// not such an answer.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Http(e) if e.status == 404 && !e.from_proxy)
    }
}

/// An error status with what the provider said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    pub provider: Provider,
    pub status: u16,
    /// The provider's own message, when it sent one.
    pub message: Option<String>,
    /// Per-field problems (FastAPI 422 `detail[]`; NetActuate's `fields` and Laravel's
    /// `errors`, `{name: [messages]}`), as (field, message).
    pub fields: Vec<FieldError>,
    /// True when cloudpane's own proxy refused the call (its errors are `{"error": "..."}`,
    /// a shape none of the providers uses), so the provider never saw it.
    pub from_proxy: bool,
}

/// A problem with one field of a request, as the provider reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name, e.g. `name` or `cloud_init.runcmd`.
    pub field: String,
    pub message: String,
}

impl HttpError {
    /// Reads an error response body of any of the providers' shapes.
    pub fn from_response(provider: Provider, status: u16, body: &str) -> Self {
        let json: Option<Value> = serde_json::from_str(body).ok();
        let mut message = None;
        let mut fields = Vec::new();
        let from_proxy = json.as_ref().is_some_and(|j| {
            j.get("error").is_some_and(Value::is_string)
                && j.get("detail").is_none()
                && j.get("message").is_none()
        });
        if let Some(json) = &json {
            match json.get("detail") {
                Some(Value::String(s)) => message = Some(s.clone()),
                Some(Value::Array(items)) => {
                    for item in items {
                        let msg = item.get("msg").and_then(Value::as_str).unwrap_or("invalid");
                        let loc: Vec<String> = item
                            .get("loc")
                            .and_then(Value::as_array)
                            .map(|l| {
                                l.iter()
                                    .filter(|p| {
                                        p.as_str() != Some("body") && p.as_str() != Some("query")
                                    })
                                    .map(|p| match p {
                                        Value::String(s) => s.clone(),
                                        other => other.to_string(),
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        fields.push(FieldError {
                            field: loc.join("."),
                            message: msg.to_string(),
                        });
                    }
                }
                _ => {}
            }
            // NetActuate's validation errors: `fields` (its public SDKs) and Laravel's `errors`.
            for key in ["fields", "errors"] {
                if let Some(Value::Object(by_field)) = json.get(key) {
                    for (field, said) in by_field {
                        let messages: Vec<&str> = match said {
                            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                            Value::String(one) => vec![one.as_str()],
                            _ => Vec::new(),
                        };
                        for message in messages {
                            let error = FieldError {
                                field: field.clone(),
                                message: message.to_string(),
                            };
                            if !fields.contains(&error) {
                                fields.push(error);
                            }
                        }
                    }
                }
            }
            if message.is_none() {
                message = ["message", "error"]
                    .iter()
                    .find_map(|k| json.get(*k).and_then(Value::as_str))
                    .map(str::to_string);
            }
        }
        if message.is_none() && json.is_none() && !body.trim().is_empty() && body.len() < 300 {
            message = Some(body.trim().to_string());
        }
        HttpError {
            provider,
            status,
            message,
            fields,
            from_proxy,
        }
    }

    /// False for a refused token (401) and for the provider's or the proxy's own failure (5xx):
    /// those are about no field of a form, and a form says them whole, above its fields. Other
    /// refusals may be about a field (a 422's `fields`, or a 400 whose message names one).
    pub fn may_concern_a_field(&self) -> bool {
        self.status != 401 && self.status < 500
    }

    /// One sentence: what happened and what to do about it.
    pub fn summary(&self) -> String {
        if self.from_proxy {
            let what = match self.status {
                401 => "The proxy needs its access key (401): enter the key your team set on the proxy.",
                403 => "The proxy refused this page's origin (403): add it to the proxy's --allow-origin.",
                413 => "The request is larger than the proxy accepts (413).",
                429 => "The proxy is limiting requests (429) and did not pass this one on, so nothing was done: wait a moment and retry.",
                502 => "The proxy could not get a proper answer from the provider (502).",
                503 => "The proxy is busy (503) and did not pass the request on, so nothing was done: retry in a moment.",
                504 => "The provider did not answer the proxy in time (504): retry in a moment.",
                _ => "The proxy refused the request.",
            };
            let said = self
                .message
                .as_deref()
                .map(|m| format!(" The proxy said: {m}."))
                .unwrap_or_default();
            return format!("{what}{said}");
        }
        let said = self
            .message
            .as_deref()
            .map(|m| format!(" {} said: {m}.", self.provider))
            .unwrap_or_default();
        let what = match self.status {
            401 => format!(
                "{} did not accept the token (401): it may have been revoked or have expired. Replace it on the Accounts page.",
                self.provider
            ),
            // Told apart by the answer's words (netactuate::ip_acl): the IP ACL, or a permission.
            403 if self.provider == Provider::NetActuate
                && self.message.as_deref().is_none_or(crate::netactuate::ip_acl::says_ip_acl) =>
            {
                // The same words as the NetActuate pages' own panel.
                crate::netactuate::ip_acl::IpAclRefusal::from_message(self.message.as_deref())
                    .explain()
            }
            403 if self.provider == Provider::NetActuate => "NetActuate refused the call (403), and not for the proxy's address (its words are about something else): the token may lack the permission for it. Check the token's permissions under Account → API.".to_string(),
            403 => format!("{} refused the call (403): the token lacks permission for this, or the proxy's access key or origin was refused.", self.provider),
            404 => format!("{} has no such resource (404): it may have been deleted; refresh the list.", self.provider),
            409 => format!("{} reported a conflict (409): something with that name already exists.", self.provider),
            // NetActuate's public SDKs read 412 as a contract refusal (`Error::Contract`).
            412 => format!("{} refused this under the account's contract (412): the account is not entitled to it, or its contract does not allow it. Nothing was done; check the account's contract and entitlements with {}.", self.provider, self.provider),
            413 => "The request is larger than the proxy accepts (413).".to_string(),
            // Only an answer that names fields points at them: a 400 on a button (a machine
            // already in that state, a rental still pending) has none to correct.
            400 | 422 if !self.fields.is_empty() => format!("{} rejected the request ({}). Correct the fields marked below and submit again.", self.provider, self.status),
            400 => format!("{} refused the request (400): it is not possible in the resource's current state, or the request was not accepted as sent.", self.provider),
            422 => format!("{} could not process the request (422).", self.provider),
            429 => format!("{} refused the request: too many requests (429), so nothing was done. Wait a moment and retry.", self.provider),
            // A gateway's word that the answer from behind it never came (see answer_may_be_lost).
            502 | 504 => format!("{} or the proxy did not answer properly ({}): retry in a moment.", self.provider, self.status),
            503 => format!("{} refused the request: it is unavailable (503), so nothing was done. Retry in a moment.", self.provider),
            s if s >= 500 => format!("{} refused the request: it had an internal error ({s}), so nothing was done. Retry in a moment.", self.provider),
            // An error in a success status (Octos's `"status": "Error"` with a 200).
            200..=299 => format!("{} reported an error.", self.provider),
            s => format!("{} answered with status {s}.", self.provider),
        };
        format!("{what}{said}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_read_in_part_says_so() {
        let cut = ApiError::IncompleteList {
            pages_read: 2,
            why: "the next page failed: No answer came back.".into(),
        };
        assert_eq!(
            cut.to_string(),
            "Only part of the list could be read (the first 2 pages came back), so none of it is \
             shown as if it were the whole list: the next page failed: No answer came back. Retry \
             to read it again."
        );
        assert!(!cut.answer_may_be_lost(), "a read changes nothing");
    }

    #[test]
    fn fastapi_422_becomes_field_errors() {
        let body = r#"{"detail":[{"loc":["body","name"],"msg":"field required","type":"value_error.missing"},{"loc":["query","limit"],"msg":"ensure this value is less than or equal to 15","type":"value_error"}]}"#;
        let err = HttpError::from_response(Provider::VoltagePark, 422, body);
        assert_eq!(err.fields.len(), 2);
        assert_eq!(
            err.fields[0],
            FieldError {
                field: "name".into(),
                message: "field required".into()
            }
        );
        assert_eq!(err.fields[1].field, "limit");
    }

    #[test]
    fn detail_string_and_message_envelopes_are_read() {
        let vp = HttpError::from_response(
            Provider::VoltagePark,
            404,
            r#"{"detail":"HostNode not found"}"#,
        );
        assert_eq!(vp.message.as_deref(), Some("HostNode not found"));
        let octos = HttpError::from_response(
            Provider::Octos,
            401,
            r#"{"status":"Error","message":"Unauthenticated","data":null}"#,
        );
        assert_eq!(octos.message.as_deref(), Some("Unauthenticated"));
        assert!(octos.summary().contains("did not accept the token"));
    }

    #[test]
    fn the_proxys_own_errors_are_told_apart_from_the_providers() {
        let err = HttpError::from_response(
            Provider::VoltagePark,
            401,
            r#"{"error":"missing or wrong access key"}"#,
        );
        assert!(err.from_proxy);
        assert!(
            err.summary().starts_with("The proxy needs its access key"),
            "{}",
            err.summary()
        );
        let vp = HttpError::from_response(
            Provider::VoltagePark,
            401,
            r#"{"detail":"Not authenticated"}"#,
        );
        assert!(!vp.from_proxy);
    }

    #[test]
    fn only_an_answer_with_field_errors_points_at_fields() {
        let refused = HttpError::from_response(
            Provider::VoltagePark,
            400,
            r#"{"detail":"Virtual machine is already running"}"#,
        );
        assert!(
            !refused.summary().contains("fields"),
            "{}",
            refused.summary()
        );
        assert!(refused
            .summary()
            .contains("Virtual machine is already running"));
        let invalid = HttpError::from_response(
            Provider::VoltagePark,
            422,
            r#"{"detail":[{"loc":["body","name"],"msg":"Field required","type":"missing"}]}"#,
        );
        assert!(invalid.summary().contains("fields marked below"));
    }

    #[test]
    fn a_refused_token_points_at_the_accounts_page() {
        let err =
            HttpError::from_response(Provider::VoltagePark, 401, r#"{"detail":"Invalid token"}"#);
        assert!(err.summary().contains("Accounts page"), "{}", err.summary());
    }

    #[test]
    fn a_refused_token_or_a_failure_concerns_no_field() {
        let status = |n| HttpError::from_response(Provider::VoltagePark, n, "{}");
        assert!(!status(401).may_concern_a_field());
        assert!(!status(500).may_concern_a_field());
        assert!(!status(503).may_concern_a_field());
        assert!(status(400).may_concern_a_field());
        assert!(status(422).may_concern_a_field());
    }

    #[test]
    fn only_a_lost_answer_may_have_been_carried_out() {
        let lost = ApiError::Network("the connection was cut".into());
        assert!(lost.answer_may_be_lost());
        assert!(
            lost.to_string().starts_with("No answer came back"),
            "{lost}"
        );
        let timeout = ApiError::Http(HttpError::from_response(Provider::VoltagePark, 504, ""));
        assert!(timeout.answer_may_be_lost());
        let refused = ApiError::Http(HttpError::from_response(Provider::VoltagePark, 500, ""));
        assert!(!refused.answer_may_be_lost());
        // The drop of a connection behind the proxy reaches the browser as the proxy's 502.
        let cut = ApiError::Http(HttpError::from_response(
            Provider::NetActuate,
            502,
            r#"{"error":"the upstream exchange failed"}"#,
        ));
        assert!(cut.answer_may_be_lost());
    }

    #[test]
    fn a_status_is_an_answer_a_503_says_refused_and_nothing_done() {
        for provider in [Provider::VoltagePark, Provider::NetActuate, Provider::Octos] {
            let body = r#"{"detail":"sandbox fault injection: Service Unavailable"}"#;
            let unavailable = ApiError::Http(HttpError::from_response(provider, 503, body));
            assert!(!unavailable.answer_may_be_lost(), "{provider}");
            let said = unavailable.to_string();
            assert!(said.contains("refused"), "{said}");
            assert!(said.contains("nothing was done"), "{said}");
            assert!(!said.contains("lost"), "{said}");
        }
        let busy = ApiError::Http(HttpError::from_response(
            Provider::VoltagePark,
            503,
            r#"{"error":"too many requests in flight; retry shortly"}"#,
        ));
        assert!(!busy.answer_may_be_lost());
        assert!(busy.to_string().contains("nothing was done"), "{busy}");
        let failed = ApiError::Http(HttpError::from_response(Provider::VoltagePark, 500, "{}"));
        let said = failed.to_string();
        assert!(said.contains("internal error (500)"), "{said}");
        assert!(said.contains("nothing was done"), "{said}");
    }

    #[test]
    fn only_the_providers_404_says_it_is_gone() {
        let gone = ApiError::Http(HttpError::from_response(
            Provider::NetActuate,
            404,
            r#"{"message":"Secret not found"}"#,
        ));
        assert!(gone.is_not_found());
        let route = ApiError::Http(HttpError::from_response(
            Provider::NetActuate,
            404,
            r#"{"error":"unknown provider `x`"}"#,
        ));
        assert!(!route.is_not_found());
        assert!(!ApiError::Network("cut".into()).is_not_found());
    }

    #[test]
    fn netactuate_field_errors_are_read_in_both_spellings() {
        // `fields` as NetActuate's public SDKs read it (the Rust SDK's `message_from_fields`).
        let sdk = HttpError::from_response(
            Provider::NetActuate,
            422,
            r#"{"code":422,"message":"Validation failed","data":null,"fields":{"secret_key":["The secret key has already been taken."],"secret_value":"The secret value is required."}}"#,
        );
        assert_eq!(
            sdk.fields,
            [
                FieldError {
                    field: "secret_key".into(),
                    message: "The secret key has already been taken.".into()
                },
                FieldError {
                    field: "secret_value".into(),
                    message: "The secret value is required.".into()
                }
            ]
        );
        assert!(
            sdk.summary().contains("fields marked below"),
            "{}",
            sdk.summary()
        );
        // Laravel's `errors`, as the sandbox answers by default.
        let laravel = HttpError::from_response(
            Provider::NetActuate,
            422,
            r#"{"message":"The name has already been taken.","errors":{"name":["The name has already been taken."]}}"#,
        );
        assert_eq!(laravel.fields.len(), 1);
        assert_eq!(laravel.fields[0].field, "name");
        // Both at once, saying the same: said once.
        let both = HttpError::from_response(
            Provider::NetActuate,
            422,
            r#"{"errors":{"name":["taken"]},"fields":{"name":["taken"]}}"#,
        );
        assert_eq!(both.fields.len(), 1);
    }

    #[test]
    fn a_412_is_a_contract_refusal() {
        // NetActuate's public SDKs (Rust `Error::Contract`, Go) read 412 as a contract gate.
        let err = HttpError::from_response(
            Provider::NetActuate,
            412,
            r#"{"code":412,"message":"No active usage contract for this location","data":null}"#,
        );
        let said = err.summary();
        assert!(said.contains("contract (412)"), "{said}");
        assert!(said.contains("entitled"), "{said}");
        assert!(said.contains("No active usage contract"), "{said}");
        assert!(said.contains("Nothing was done"), "{said}");
    }

    #[test]
    fn netactuate_403_names_the_ip_acl_fix() {
        let err = HttpError::from_response(Provider::NetActuate, 403, "{}");
        assert!(err.summary().contains("IP ACL"));
        // Where the proxy's address goes, in the NetActuate pages' words, wherever it is shown
        // (the Machines page's banner too).
        let named = HttpError::from_response(
            Provider::NetActuate,
            403,
            r#"{"message":"IP address 203.0.113.9 is not allowed"}"#,
        );
        let said = named.summary();
        assert!(
            said.contains(
                "add the proxy's outgoing address (203.0.113.9) under Account → API → IP ACL"
            ),
            "{said}"
        );
        assert!(!said.contains("check the token's permissions"), "{said}");
    }
}
