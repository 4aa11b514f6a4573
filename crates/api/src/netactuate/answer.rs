//! How NetActuate answers, read once here for every NetActuate call.
//!
//! The documents show bare bodies (`{"secrets": [...]}`, a secret object) and the console
//! assumed Laravel's `{"data": ...}` for secret lists and servers. The provider's public SDKs
//! (Go `gona`, Rust `netactuate-rust`, Python, Node) and its Terraform provider, which talk to the
//! live APIs, read more:
//! - v3 answers `{"code": 200, "data": ..., "message": ...}`, v2 answers
//!   `{"result": "success", "message": null, "meta": [], "code": ..., "data": ...}`;
//! - a list inside `data` is a bare array, or `{"data": [...], "meta": {limit, offset, total}}`,
//!   or a Laravel paginator (`{"current_page": 1, "data": [...], ...}`, sometimes under
//!   `"paginator"`);
//! - a 200 whose `code` is neither 0 nor 2xx is an error with that code (the SDKs classify it
//!   exactly like the HTTP status);
//! - validation errors carry `fields: {name: [messages]}` (read in
//!   [`crate::HttpError::from_response`] together with Laravel's `errors`), and 412 is a
//!   contract or entitlement refusal.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::{ApiError, HttpError, Provider};

/// Keys that only ever sit beside `data` in an envelope or a page, never in a resource that
/// has a `data` field of its own.
const ENVELOPE_KEYS: [&str; 19] = [
    "code",
    "result",
    "message",
    "meta",
    "status",
    "success",
    "links",
    "current_page",
    "first_page_url",
    "from",
    "last_page",
    "last_page_url",
    "next_page_url",
    "path",
    "per_page",
    "prev_page_url",
    "to",
    "total",
    "errors",
];

/// The payload of an answer, out of every envelope around it: `{code, data}`, `{result, data}`,
/// `{data, meta}`, a paginator, or nothing (the documents' bare bodies come back as they are).
pub fn payload(mut answer: Value) -> Value {
    loop {
        let Value::Object(map) = &mut answer else {
            return answer;
        };
        if map.len() == 1 && map.contains_key("paginator") {
            answer = map.remove("paginator").unwrap_or(Value::Null);
            continue;
        }
        let is_envelope = map.contains_key("data")
            && map
                .keys()
                .all(|k| k == "data" || ENVELOPE_KEYS.contains(&k.as_str()));
        if !is_envelope {
            return answer;
        }
        answer = map.remove("data").unwrap_or(Value::Null);
    }
}

/// Reads a `T` out of an answer's payload (see [`payload`]): the `Deserialize` of every
/// NetActuate answer type goes through here.
pub fn from_payload<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<T, D::Error> {
    T::deserialize(payload(Value::deserialize(d)?)).map_err(D::Error::custom)
}

/// The error a success status carries in its envelope: a `code` that is neither 0 nor 2xx
/// (v3 and v2), or a v2 `result` that says it failed. `None` for a real success.
pub fn error_in_success(body: &str) -> Option<HttpError> {
    let json: Value = serde_json::from_str(body).ok()?;
    let map = json.as_object()?;
    let code = map.get("code").and_then(|c| match c {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    let code_failed = code.is_some_and(|c| c != 0 && !(200..300).contains(&c));
    // What `result` says on failure is not in any public client (they all write "success");
    // only words that plainly mean failure count, so an unknown word never hides a success.
    let result_failed = match map.get("result") {
        Some(Value::Bool(false)) => true,
        Some(Value::String(s)) => {
            matches!(
                s.to_ascii_lowercase().as_str(),
                "error" | "fail" | "failed" | "failure"
            )
        }
        _ => false,
    };
    if !code_failed && !result_failed {
        return None;
    }
    // The code is an HTTP status in every public client; one that is not (or none) reads as
    // a refusal of the request.
    let status = code
        .filter(|c| code_failed && (400..600).contains(c))
        .map_or(400, |c| c as u16);
    Some(HttpError::from_response(Provider::NetActuate, status, body))
}

/// Reads a NetActuate answer (HTTP `status`, `body`) as a `T`: an error status, or an error in a
/// success's envelope, is an [`ApiError::Http`]. (What [`crate::read_response`] does for every
/// NetActuate answer.)
pub fn read<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    crate::request::read_response(Provider::NetActuate, status, body)
}

/// A list answer: its items, whichever envelope they came in.
#[derive(Debug, Clone, PartialEq)]
pub struct Items<T>(pub Vec<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match payload(Value::deserialize(d)?) {
            Value::Null => Ok(Items(Vec::new())),
            list @ Value::Array(_) => Vec::<T>::deserialize(list)
                .map(Items)
                .map_err(D::Error::custom),
            other => Err(D::Error::custom(format!(
                "expected a list, found {}",
                kind_of(&other)
            ))),
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(body: &str) -> Vec<Value> {
        serde_json::from_str::<Items<Value>>(body).unwrap().0
    }

    #[test]
    fn lists_are_read_out_of_every_envelope() {
        // The console's own reading (Laravel resources), the sandbox's default.
        assert_eq!(items(r#"{"data": [{"id": 1}]}"#).len(), 1);
        // v3 as the Go SDK `gona` reads it: `{code, data: {meta, data}}`, and `{code, data: [..]}`.
        assert_eq!(
            items(
                r#"{"code":200,"data":{"meta":{"limit":1000,"offset":0,"total":2,"suggestedFilters":[]},"data":[{"id":1},{"id":2}]}}"#
            )
            .len(),
            2
        );
        assert_eq!(
            items(r#"{"code":200,"message":"OK","data":[{"id":1}]}"#).len(),
            1
        );
        // v2 as `gona` reads it: `{result, message, meta: [], data}`, with a paginator or not.
        assert_eq!(
            items(r#"{"result":"success","message":null,"meta":[],"data":[{"id":1}]}"#).len(),
            1
        );
        assert_eq!(
            items(
                r#"{"result":"success","message":null,"meta":[],"data":{"paginator":{"current_page":1,"data":[{"id":7}],"from":1,"last_page":1}}}"#
            ),
            [serde_json::json!({"id": 7})]
        );
        assert_eq!(
            items(r#"{"result":"success","data":{"current_page":1,"data":[{"id":9}],"to":1}}"#)
                .len(),
            1
        );
        // A bare array.
        assert_eq!(items(r#"[{"id": 1}, {"id": 2}]"#).len(), 2);
        // No list at all (`data: null`) is an empty list.
        assert!(items(r#"{"code":200,"data":null}"#).is_empty());
        // An object is not a list.
        assert!(serde_json::from_str::<Items<Value>>(r#"{"code":200,"data":{"id":1}}"#).is_err());
    }

    #[test]
    fn a_resource_with_its_own_data_field_is_not_peeled() {
        let one = payload(serde_json::json!({"code": 200, "data": {"id": 1, "data": "x"}}));
        assert_eq!(one, serde_json::json!({"id": 1, "data": "x"}));
    }

    #[test]
    fn a_200_with_an_error_code_is_an_error() {
        // The Rust SDK: `api_code != 0 && !(200..300).contains(&api_code)` is an error.
        let err = read::<Value>(
            200,
            r#"{"code":422,"message":"The given data was invalid.","data":null,"fields":{"secret_key":["The secret key has already been taken."]}}"#,
        )
        .unwrap_err();
        match &err {
            ApiError::Http(e) => {
                assert_eq!(e.status, 422);
                assert_eq!(e.fields.len(), 1);
                assert_eq!(e.fields[0].field, "secret_key");
            }
            other => panic!("{other:?}"),
        }
        let contract = read::<Value>(
            200,
            r#"{"code":412,"message":"No active contract","data":null}"#,
        )
        .unwrap_err();
        assert!(contract.to_string().contains("contract"), "{contract}");
        let v2 = read::<Value>(
            200,
            r#"{"result":"error","message":"Invalid package","data":[]}"#,
        )
        .unwrap_err();
        assert!(v2.to_string().contains("Invalid package"), "{v2}");
        // Successes, in both versions, are successes.
        for ok in [
            r#"{"code":200,"data":[]}"#,
            r#"{"code":0,"data":[]}"#,
            r#"{"code":"201","data":{}}"#,
            r#"{"result":"success","message":null,"meta":[],"data":[]}"#,
            r#"{"data":[]}"#,
            r#"{"secrets":[]}"#,
            "",
        ] {
            assert!(read::<Value>(200, ok).is_ok(), "{ok}");
        }
    }
}
