//! FastAPI's error shapes and a pydantic-like reading of paths, queries and JSON bodies.
//!
//! Voltage Park's API is FastAPI: plain errors are `{"detail": "message"}` and validation errors are
//! `422 {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}` with pydantic v2 wording. Bodies
//! are read as `serde_json::Value` and checked field by field so every problem is reported with its
//! location, the way pydantic does, instead of serde's first-error-only messages.

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use time::macros::format_description;
use time::Date;
use uuid::Uuid;

/// An error answered in FastAPI's shape.
#[derive(Debug)]
pub enum VpError {
    /// `{"detail": "message"}` with the given status.
    Detail(StatusCode, String),
    /// `422 {"detail": [...]}`.
    Validation(Vec<Value>),
}

impl VpError {
    pub fn not_found(what: &str) -> Self {
        Self::Detail(StatusCode::NOT_FOUND, format!("{what} not found"))
    }
    pub fn bad_request(msg: impl Into<String>) -> Self {
        Self::Detail(StatusCode::BAD_REQUEST, msg.into())
    }
    pub fn unauthorized(msg: &str) -> Self {
        Self::Detail(StatusCode::UNAUTHORIZED, msg.to_string())
    }
}

impl IntoResponse for VpError {
    fn into_response(self) -> Response {
        match self {
            VpError::Detail(status, msg) => {
                (status, Json(json!({ "detail": msg }))).into_response()
            }
            VpError::Validation(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "detail": errors })),
            )
                .into_response(),
        }
    }
}

pub type VpResult<T> = Result<T, VpError>;

/// Collects validation errors across path, query and body, as pydantic does.
#[derive(Debug, Default)]
pub struct Problems(Vec<Value>);

impl Problems {
    pub fn push(&mut self, loc: Vec<Value>, msg: impl Into<String>, kind: &str) {
        self.0
            .push(json!({ "loc": loc, "msg": msg.into(), "type": kind }));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(422)` when anything was reported.
    pub fn finish(self) -> VpResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(VpError::Validation(self.0))
        }
    }
}

fn loc(parts: &[&str]) -> Vec<Value> {
    parts
        .iter()
        .map(|p| Value::String((*p).to_string()))
        .collect()
}

/// Reads a path parameter declared as `string · uuid`.
pub fn path_uuid(name: &str, raw: &str, problems: &mut Problems) -> Option<Uuid> {
    match Uuid::try_parse(raw) {
        Ok(id) => Some(id),
        Err(_) => {
            problems.push(
                loc(&["path", name]),
                "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]",
                "uuid_parsing",
            );
            None
        }
    }
}

/// Reads a path parameter declared as `string · uuid`, or answers 422 naming it.
pub fn path_id(name: &str, raw: &str) -> Result<Uuid, VpError> {
    let mut problems = Problems::default();
    let id = path_uuid(name, raw, &mut problems);
    problems.finish()?;
    Ok(id.expect("validated"))
}

/// Reads a path parameter declared as `integer`.
pub fn path_int(name: &str, raw: &str, problems: &mut Problems) -> Option<i64> {
    match raw.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            problems.push(
                loc(&["path", name]),
                "Input should be a valid integer, unable to parse string as an integer",
                "int_parsing",
            );
            None
        }
    }
}

/// The query string as name/value pairs (repeated names kept).
#[derive(Debug, Default)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn parse(raw: Option<&str>) -> Self {
        Self(
            raw.and_then(|q| serde_urlencoded::from_str(q).ok())
                .unwrap_or_default(),
        )
    }

    pub fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// An integer query parameter with a default and inclusive bounds.
    pub fn int(
        &self,
        name: &str,
        default: i64,
        min: Option<i64>,
        max: Option<i64>,
        problems: &mut Problems,
    ) -> i64 {
        let Some(raw) = self.first(name) else {
            return default;
        };
        let Ok(n) = raw.trim().parse::<i64>() else {
            problems.push(
                loc(&["query", name]),
                "Input should be a valid integer, unable to parse string as an integer",
                "int_parsing",
            );
            return default;
        };
        bounds(loc(&["query", name]), n, min, max, problems);
        n
    }

    /// An optional boolean, read the way pydantic reads query booleans.
    pub fn bool(&self, name: &str, problems: &mut Problems) -> Option<bool> {
        let raw = self.first(name)?;
        match raw.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" | "t" | "y" => Some(true),
            "false" | "0" | "no" | "off" | "f" | "n" => Some(false),
            _ => {
                problems.push(
                    loc(&["query", name]),
                    "Input should be a valid boolean, unable to interpret input",
                    "bool_parsing",
                );
                None
            }
        }
    }

    /// An optional `YYYY-MM-DD` date.
    pub fn date(&self, name: &str, problems: &mut Problems) -> Option<Date> {
        let raw = self.first(name)?;
        match Date::parse(raw, format_description!("[year]-[month]-[day]")) {
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(
                    loc(&["query", name]),
                    "Input should be a valid date in the format YYYY-MM-DD",
                    "date_from_datetime_parsing",
                );
                None
            }
        }
    }
}

fn bounds(at: Vec<Value>, n: i64, min: Option<i64>, max: Option<i64>, problems: &mut Problems) {
    if let Some(min) = min {
        if n < min {
            problems.push(
                at,
                format!("Input should be greater than or equal to {min}"),
                "greater_than_equal",
            );
            return;
        }
    }
    if let Some(max) = max {
        if n > max {
            problems.push(
                at,
                format!("Input should be less than or equal to {max}"),
                "less_than_equal",
            );
        }
    }
}

/// Parses a request body as a JSON object, or answers 422 the way FastAPI does. Like FastAPI, a body
/// sent with a non-JSON `Content-Type` is not parsed as JSON, so it is not an object.
pub fn body_object(headers: &HeaderMap, bytes: &[u8]) -> VpResult<Map<String, Value>> {
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let json_like =
        essence.is_empty() || essence == "application/json" || essence.ends_with("+json");
    if !json_like && !bytes.is_empty() {
        return Err(VpError::Validation(vec![json!({
            "loc": ["body"],
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "type": "model_attributes_type"
        })]));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(VpError::Validation(vec![
            json!({"loc": ["body"], "msg": "Field required", "type": "missing"}),
        ]));
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(VpError::Validation(vec![json!({
            "loc": ["body"],
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "type": "model_attributes_type"
        })])),
        Err(e) => Err(VpError::Validation(vec![json!({
            "loc": ["body", e.column()],
            "msg": "JSON decode error",
            "type": "json_invalid"
        })])),
    }
}

/// FastAPI ignores body fields a model does not declare, and so does the sandbox; it says so on
/// stderr, because a misspelt field (`cloudinit_script` on an instant VM) is silently lost upstream.
pub fn warn_ignored(endpoint: &str, obj: &Map<String, Value>, known: &[&str]) {
    for key in obj.keys().filter(|k| !known.contains(&k.as_str())) {
        tracing::warn!(endpoint, field = %key, "body field ignored: the provider's model does not declare it");
    }
}

/// Field-by-field reader of one JSON object, reporting problems under `loc`.
pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    at: Vec<Value>,
    pub problems: &'a mut Problems,
}

impl<'a> Fields<'a> {
    pub fn new(obj: &'a Map<String, Value>, at: Vec<Value>, problems: &'a mut Problems) -> Self {
        Self { obj, at, problems }
    }

    /// The body's top level: `loc` starts with `"body"`.
    pub fn body(obj: &'a Map<String, Value>, problems: &'a mut Problems) -> Self {
        Self::new(obj, loc(&["body"]), problems)
    }

    pub fn loc_of(&self, name: &str) -> Vec<Value> {
        let mut at = self.at.clone();
        at.push(Value::String(name.to_string()));
        at
    }

    /// Reports a field that may be absent but not `null` (`list[str] = []`, not `Optional`).
    pub fn not_null(&mut self, name: &str, kind: &str, msg: &str) {
        if self.obj.get(name).is_some_and(Value::is_null) {
            let at = self.loc_of(name);
            self.problems.push(at, msg, kind);
        }
    }

    /// `Some(value)` when present and not null.
    pub fn raw(&self, name: &str) -> Option<&'a Value> {
        self.obj.get(name).filter(|v| !v.is_null())
    }

    fn missing(&mut self, name: &str) {
        let at = self.loc_of(name);
        self.problems.push(at, "Field required", "missing");
    }

    /// A required field that must be present (null counts as a wrong type, as in pydantic).
    fn required(&mut self, name: &str) -> Option<&'a Value> {
        match self.obj.get(name) {
            None => {
                self.missing(name);
                None
            }
            Some(v) => Some(v),
        }
    }

    pub fn req_str(&mut self, name: &str) -> Option<String> {
        let v = self.required(name)?;
        self.str_value(name, v)
    }

    /// `string | null`, absent allowed.
    pub fn opt_str(&mut self, name: &str) -> Option<String> {
        let v = self.raw(name)?;
        self.str_value(name, v)
    }

    fn str_value(&mut self, name: &str, v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            _ => {
                let at = self.loc_of(name);
                self.problems
                    .push(at, "Input should be a valid string", "string_type");
                None
            }
        }
    }

    pub fn req_uuid(&mut self, name: &str) -> Option<Uuid> {
        let v = self.required(name)?;
        let at = self.loc_of(name);
        uuid_value(at, v, self.problems)
    }

    pub fn opt_uuid(&mut self, name: &str) -> Option<Uuid> {
        let v = self.raw(name)?;
        let at = self.loc_of(name);
        uuid_value(at, v, self.problems)
    }

    /// An integer, read in pydantic's lax mode: `3`, `3.0` and `"3"` are all 3.
    pub fn req_int(&mut self, name: &str) -> Option<i64> {
        let v = self.required(name)?;
        let at = self.loc_of(name);
        int_value(at, v, self.problems)
    }

    pub fn opt_int(&mut self, name: &str) -> Option<i64> {
        let v = self.raw(name)?;
        let at = self.loc_of(name);
        int_value(at, v, self.problems)
    }

    pub fn check_bounds(&mut self, name: &str, n: i64, min: Option<i64>, max: Option<i64>) {
        let at = self.loc_of(name);
        bounds(at, n, min, max, self.problems);
    }

    pub fn check_len(
        &mut self,
        name: &str,
        s: &str,
        min: Option<usize>,
        max: Option<usize>,
    ) -> bool {
        let n = s.chars().count();
        if let Some(min) = min {
            if n < min {
                let at = self.loc_of(name);
                let unit = if min == 1 { "character" } else { "characters" };
                self.problems.push(
                    at,
                    format!("String should have at least {min} {unit}"),
                    "string_too_short",
                );
                return false;
            }
        }
        if let Some(max) = max {
            if n > max {
                let at = self.loc_of(name);
                self.problems.push(
                    at,
                    format!("String should have at most {max} characters"),
                    "string_too_long",
                );
                return false;
            }
        }
        true
    }

    /// A required string that must be one of `allowed`.
    pub fn req_enum(&mut self, name: &str, allowed: &[&str]) -> Option<String> {
        let s = self.req_str(name)?;
        if allowed.contains(&s.as_str()) {
            Some(s)
        } else {
            let at = self.loc_of(name);
            self.problems.push(at, enum_message(allowed), "enum");
            None
        }
    }

    /// A list of strings; `None` when absent or null.
    pub fn opt_str_list(&mut self, name: &str) -> Option<Vec<String>> {
        let v = self.raw(name)?;
        self.str_list_value(name, v)
    }

    pub fn req_str_list(&mut self, name: &str) -> Option<Vec<String>> {
        let v = self.required(name)?;
        self.str_list_value(name, v)
    }

    fn str_list_value(&mut self, name: &str, v: &Value) -> Option<Vec<String>> {
        let Value::Array(items) = v else {
            let at = self.loc_of(name);
            self.problems
                .push(at, "Input should be a valid list", "list_type");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::String(s) => out.push(s.clone()),
                _ => {
                    let mut at = self.loc_of(name);
                    at.push(json!(i));
                    self.problems
                        .push(at, "Input should be a valid string", "string_type");
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    pub fn opt_uuid_list(&mut self, name: &str) -> Option<Vec<Uuid>> {
        let v = self.raw(name)?;
        let Value::Array(items) = v else {
            let at = self.loc_of(name);
            self.problems
                .push(at, "Input should be a valid list", "list_type");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let mut at = self.loc_of(name);
            at.push(json!(i));
            match uuid_value(at, item, self.problems) {
                Some(id) => out.push(id),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

/// pydantic's wording for an enum mismatch: `Input should be 'a', 'b' or 'c'`.
pub fn enum_message(allowed: &[&str]) -> String {
    let quoted: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            format!("Input should be {} or {last}", rest.join(", "))
        }
        Some((last, _)) => format!("Input should be {last}"),
        None => "Input should be a valid enumeration member".to_string(),
    }
}

fn uuid_value(at: Vec<Value>, v: &Value, problems: &mut Problems) -> Option<Uuid> {
    match v {
        Value::String(s) => match Uuid::try_parse(s) {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push(
                    at,
                    "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]",
                    "uuid_parsing",
                );
                None
            }
        },
        _ => {
            problems.push(
                at,
                "UUID input should be a string, bytes or UUID object",
                "uuid_type",
            );
            None
        }
    }
}

fn int_value(at: Vec<Value>, v: &Value, problems: &mut Problems) -> Option<i64> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(i)
            } else if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                Some(f as i64)
            } else {
                problems.push(
                    at,
                    "Input should be a valid integer, got a number with a fractional part",
                    "int_from_float",
                );
                None
            }
        }
        Value::String(s) => match s.trim().parse::<i64>() {
            Ok(i) => Some(i),
            Err(_) => {
                problems.push(
                    at,
                    "Input should be a valid integer, unable to parse string as an integer",
                    "int_parsing",
                );
                None
            }
        },
        _ => {
            problems.push(at, "Input should be a valid integer", "int_type");
            None
        }
    }
}

/// The list envelope every Voltage Park list endpoint uses.
pub fn page<T>(items: Vec<T>, limit: i64, offset: i64, to_json: impl Fn(&T) -> Value) -> Value {
    let total = items.len();
    let start = (offset.max(0) as usize).min(total);
    let end = start.saturating_add(limit.max(0) as usize).min(total);
    let results: Vec<Value> = items[start..end].iter().map(to_json).collect();
    json!({
        "results": results,
        "total_result_count": total,
        "has_previous": start > 0,
        "has_next": end < total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_messages_read_like_pydantic() {
        assert_eq!(
            enum_message(&["started", "stopped"]),
            "Input should be 'started' or 'stopped'"
        );
        assert_eq!(
            enum_message(&["a", "b", "c"]),
            "Input should be 'a', 'b' or 'c'"
        );
    }

    #[test]
    fn pages_report_neighbours() {
        let p = page((0..7).collect(), 3, 3, |n: &i32| json!(n));
        assert_eq!(p["results"], json!([3, 4, 5]));
        assert_eq!(p["has_previous"], true);
        assert_eq!(p["has_next"], true);
        assert_eq!(p["total_result_count"], 7);
        let past = page((0..7).collect(), 3, 30, |n: &i32| json!(n));
        assert_eq!(past["results"], json!([]));
        assert_eq!(past["has_next"], false);
    }

    #[test]
    fn integers_are_read_in_lax_mode() {
        let body: Map<String, Value> = serde_json::from_str(
            r#"{"a": 3, "b": "12345", "c": 2.0, "d": 2.5, "e": "x", "f": true}"#,
        )
        .unwrap();
        let mut problems = Problems::default();
        let mut f = Fields::body(&body, &mut problems);
        assert_eq!(f.req_int("a"), Some(3));
        assert_eq!(f.req_int("b"), Some(12345));
        assert_eq!(f.req_int("c"), Some(2));
        assert_eq!(f.req_int("d"), None);
        assert_eq!(f.req_int("e"), None);
        assert_eq!(f.req_int("f"), None);
        assert_eq!(f.req_int("missing"), None);
        assert_eq!(problems.0.len(), 4);
    }

    #[test]
    fn a_form_body_is_not_json() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "content-type",
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        assert!(body_object(&headers, b"{}").is_err());
        headers.insert(
            "content-type",
            "application/json; charset=utf-8".parse().unwrap(),
        );
        assert!(body_object(&headers, b"{}").is_ok());
        assert!(
            body_object(&HeaderMap::new(), b"").is_err(),
            "a missing body is a 422"
        );
    }
}
