//! A provider request described as data: the transport sends it, tests inspect it.

pub use crate::url::encode_component;
use serde::Serialize;

use crate::url::{is_template, RequestPath};
use crate::Provider;

/// HTTP methods the providers' APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One call to a provider, relative to that provider's base URL.
///
/// Headers may carry a token: never log an `ApiRequest` with `{:?}` outside tests; use
/// [`ApiRequest::describe`], which leaves headers out.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiRequest {
    pub provider: Provider,
    pub method: Method,
    /// Path below the provider's base URL, starting with `/`, without the query. Every name or
    /// id in it is one percent-encoded segment ([`crate::url::path`]). When one could not be
    /// ([`ApiRequest::refused`]), the path's template, e.g. `/api/secrets/lists/{}`.
    pub path: String,
    /// Query parameters in order, not yet encoded.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// A JSON body, already serialised.
    pub body: Option<String>,
    /// A `multipart/form-data` body, as (field, value) text fields in order (`curl -F`). The
    /// transport builds it (the browser's `FormData` chooses the boundary); empty for none.
    pub form: Vec<(String, String)>,
}

impl std::fmt::Debug for ApiRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header values hold tokens: show only their names.
        f.debug_struct("ApiRequest")
            .field("provider", &self.provider)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field(
                "form",
                &self
                    .form
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>(),
            )
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl ApiRequest {
    /// A request to `path`: fixed text, or names put into a template by [`crate::url::path`].
    pub fn new(provider: Provider, method: Method, path: impl Into<RequestPath>) -> Self {
        ApiRequest {
            provider,
            method,
            path: path.into().into(),
            query: Vec::new(),
            headers: vec![("Accept".into(), "application/json".into())],
            body: None,
            form: Vec::new(),
        }
    }

    /// True when a name or id could not be part of the path: the request cannot be sent.
    pub fn refused(&self) -> bool {
        is_template(&self.path)
    }

    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    /// The query value `name` set to `value`: replaced where the request has it, added otherwise
    /// (the next page of a list: the same request with another `offset` or `page`).
    pub fn set_query(mut self, name: &str, value: impl ToString) -> Self {
        match self.query.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = value.to_string(),
            None => self.query.push((name.to_string(), value.to_string())),
        }
        self
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn json_body<T: Serialize>(mut self, body: &T) -> Self {
        self.body = Some(serde_json::to_string(body).expect("request bodies always serialise"));
        self.headers
            .push(("Content-Type".into(), "application/json".into()));
        self
    }

    /// Adds a multipart form text field (`curl -F name=value`). No `Content-Type` header is
    /// set here: the sender sets it with the boundary it chose.
    pub fn form_field(mut self, name: &str, value: impl Into<String>) -> Self {
        self.form.push((name.to_string(), value.into()));
        self
    }

    /// The path and encoded query, e.g. `/api/v1/locations/?limit=15&offset=0`.
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let query: Vec<String> = self
            .query
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect();
        format!("{}?{}", self.path, query.join("&"))
    }

    /// The URL of this request when sent through the proxy at `route_prefix`
    /// (e.g. `/proxy/voltagepark/api/v1/locations/?limit=15`); none when a name in it could not
    /// be part of the path.
    pub fn proxy_url(&self, route_prefix: &str) -> Result<String, crate::ApiError> {
        if self.refused() {
            return Err(crate::ApiError::NotSent);
        }
        Ok(format!(
            "{}/{}{}",
            route_prefix.trim_end_matches('/'),
            self.provider.slug(),
            self.path_and_query()
        ))
    }

    /// "GET /api/v1/locations/": for messages and logs; never includes headers or the query.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path)
    }
}

/// Turns a provider's answer into `T`, or into an [`ApiError`] that says what went wrong.
pub fn read_response<T: serde::de::DeserializeOwned>(
    provider: Provider,
    status: u16,
    body: &str,
) -> Result<T, crate::ApiError> {
    if !(200..300).contains(&status) {
        return Err(crate::ApiError::Http(crate::HttpError::from_response(
            provider, status, body,
        )));
    }
    if let Some(error) = error_in_success(provider, body) {
        return Err(crate::ApiError::Http(error));
    }
    // DELETE, power and reboot may answer with an empty body.
    let body = if body.trim().is_empty() { "null" } else { body };
    serde_json::from_str(body).map_err(|e| crate::ApiError::Decode(e.to_string()))
}

/// The error a provider reports inside a success status: NetActuate's envelope `code` or
/// `result`, Octos's `"status": "Error"`. Voltage Park answers errors with error statuses only.
fn error_in_success(provider: Provider, body: &str) -> Option<crate::HttpError> {
    match provider {
        Provider::VoltagePark => None,
        Provider::NetActuate => crate::netactuate::answer::error_in_success(body),
        Provider::Octos => crate::octos::envelope::error_in_success(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_url_joins_prefix_provider_path_and_encoded_query() {
        let req = ApiRequest::new(Provider::VoltagePark, Method::Get, "/api/v1/locations/")
            .query("limit", 15)
            .query("q", "a b&c");
        assert_eq!(
            req.proxy_url("/proxy/").unwrap(),
            "/proxy/voltagepark/api/v1/locations/?limit=15&q=a%20b%26c"
        );
    }

    #[test]
    fn a_query_value_set_again_is_replaced_in_place() {
        let req = ApiRequest::new(Provider::NetActuate, Method::Get, "/api/v3/servers")
            .query("offset", 0)
            .query("q", "edge")
            .set_query("offset", 25)
            .set_query("limit", 25);
        assert_eq!(
            req.path_and_query(),
            "/api/v3/servers?offset=25&q=edge&limit=25"
        );
    }

    #[test]
    fn a_request_with_a_refused_name_has_no_url() {
        let req = ApiRequest::new(
            Provider::NetActuate,
            Method::Delete,
            crate::url::path("/api/secrets/lists/{}", &[".."]),
        );
        assert_eq!(req.describe(), "DELETE /api/secrets/lists/{}");
        assert!(req.refused());
        let err = req.proxy_url("/proxy").unwrap_err();
        assert!(!err.answer_may_be_lost());
        assert_eq!(err, crate::ApiError::NotSent);
    }

    #[test]
    fn responses_become_values_or_errors() {
        let ok: Vec<u32> = read_response(Provider::VoltagePark, 200, "[1,2]").unwrap();
        assert_eq!(ok, vec![1, 2]);
        let empty: () = read_response(Provider::VoltagePark, 204, "").unwrap();
        assert_eq!(empty, ());
        let err =
            read_response::<()>(Provider::VoltagePark, 404, r#"{"detail":"nope"}"#).unwrap_err();
        assert!(matches!(err, crate::ApiError::Http(ref e) if e.status == 404));
        let bad = read_response::<Vec<u32>>(Provider::VoltagePark, 200, "{").unwrap_err();
        assert!(matches!(bad, crate::ApiError::Decode(_)));
    }

    /// `DELETE`, power and reboot may answer 200, 202 or 204 with an empty body (live answers,
    /// Aug 2026, and the public clients): each is a success, read as JSON `null`.
    #[test]
    fn an_empty_success_answer_reads_as_null() {
        for status in [200, 202, 204] {
            for body in ["", "  \n"] {
                let v: serde_json::Value = read_response(Provider::VoltagePark, status, body)
                    .unwrap_or_else(|e| panic!("{status} {body:?}: {e}"));
                assert_eq!(v, serde_json::Value::Null);
            }
        }
    }

    #[test]
    fn form_fields_stay_in_order_without_a_content_type() {
        let req = ApiRequest::new(Provider::Octos, Method::Post, "/x")
            .form_field("token_name", "My API Token")
            .form_field("expires_at", "2026-12-31");
        assert_eq!(
            req.form,
            vec![
                ("token_name".to_string(), "My API Token".to_string()),
                ("expires_at".to_string(), "2026-12-31".to_string()),
            ]
        );
        assert!(req.body.is_none());
        assert!(!req.headers.iter().any(|(k, _)| k == "Content-Type"));
        // Field values may be secret-adjacent (a token's name): Debug shows only the names.
        assert!(!format!("{req:?}").contains("My API Token"));
    }

    #[test]
    fn debug_output_never_shows_header_values() {
        let req = ApiRequest::new(Provider::Octos, Method::Get, "/x")
            .header("Authorization", "Bearer s3cret-token");
        let shown = format!("{req:?}");
        assert!(!shown.contains("s3cret-token"), "{shown}");
        assert!(shown.contains("Authorization"));
    }
}
