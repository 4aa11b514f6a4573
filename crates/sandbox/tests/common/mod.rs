//! Shared by the sandbox's test binaries: start a sandbox on loopback, send requests, load the
//! documents' examples, and compare JSON shapes.
#![allow(dead_code)]

use std::time::Duration;

use cloudpane_sandbox::{RunningSandbox, Sandbox, SandboxConfig};
use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;

pub const VP: &str = "demo-voltagepark";
pub const NA: &str = "demo-netactuate";
pub const OC: &str = "demo-octos";

/// One example from a provider document.
#[derive(Debug, Clone, Deserialize)]
pub struct Example {
    pub method: String,
    pub path: String,
    pub auth: String,
    pub request: Option<Value>,
    pub response: Option<Value>,
}

impl Example {
    pub fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

pub fn examples(provider: &str) -> Vec<Example> {
    let path = format!(
        "{}/tests/fixtures/{provider}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn example(provider: &str, key: &str) -> Example {
    examples(provider)
        .into_iter()
        .find(|e| e.key() == key)
        .unwrap_or_else(|| panic!("no example {key:?} for {provider}"))
}

/// Which auth header to send.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    ApiToken(&'a str),
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub text: String,
    pub json: Value,
}

pub struct Env {
    pub running: RunningSandbox,
    pub http: reqwest::Client,
}

pub async fn start() -> Env {
    start_with(SandboxConfig::default()).await
}

/// A sandbox answering in `shapes` (otherwise the default configuration).
pub async fn start_in(shapes: cloudpane_sandbox::Shapes) -> Env {
    start_with(SandboxConfig {
        shapes,
        ..SandboxConfig::default()
    })
    .await
}

pub async fn start_with(config: SandboxConfig) -> Env {
    let running = Sandbox::new(config)
        .spawn_loopback()
        .await
        .expect("sandbox starts");
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .expect("client");
    Env { running, http }
}

impl Env {
    pub fn sandbox(&self) -> &Sandbox {
        self.running.sandbox()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.base_url())
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        auth: Auth<'_>,
        body: Option<&Value>,
    ) -> Reply {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, self.url(path));
        req = match auth {
            Auth::None => req,
            Auth::Bearer(t) => req.bearer_auth(t),
            Auth::ApiToken(t) => req.header("x-api-token", t),
        };
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.expect("request reaches the sandbox");
        reply(resp).await
    }

    /// Sends a raw body with a content type (for malformed-body cases).
    pub async fn send_raw(&self, method: &str, path: &str, auth: Auth<'_>, body: &str) -> Reply {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .http
            .request(method, self.url(path))
            .header("content-type", "application/json");
        req = match auth {
            Auth::None => req,
            Auth::Bearer(t) => req.bearer_auth(t),
            Auth::ApiToken(t) => req.header("x-api-token", t),
        };
        reply(req.body(body.to_string()).send().await.expect("request")).await
    }

    /// Voltage Park, with the header its document shows for the path.
    pub async fn vp(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let auth = if path.starts_with("/api/v1/organization/ssh-keys")
            || path.starts_with("/api/v1/storage")
        {
            Auth::ApiToken(VP)
        } else {
            Auth::Bearer(VP)
        };
        self.send(method, &format!("/voltagepark{path}"), auth, body)
            .await
    }

    /// Sends form fields (`application/x-www-form-urlencoded`) with this auth.
    pub async fn send_form(
        &self,
        method: &str,
        path: &str,
        auth: Auth<'_>,
        fields: &[(&str, &str)],
    ) -> Reply {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, self.url(path)).form(fields);
        req = match auth {
            Auth::None => req,
            Auth::Bearer(t) => req.bearer_auth(t),
            Auth::ApiToken(t) => req.header("x-api-token", t),
        };
        reply(req.send().await.expect("request reaches the sandbox")).await
    }

    pub async fn na(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        self.send(
            method,
            &format!("/netactuate{path}"),
            Auth::Bearer(NA),
            body,
        )
        .await
    }
}

pub async fn reply(resp: reqwest::Response) -> Reply {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, text, json }
}

/// Keys whose values may be `null` where the example shows a value (the documents type them
/// `... or null`, or they are null until something happens).
const NULLABLE: &[&str] = &[
    "timestamp_deletion",
    "linked_instance",
    "warning",
    "message",
    "storage_id",
    "storage_pv",
    "storage_pvc",
    "sub_order",
    "k8s_cluster_id",
    "kubeconfig",
    "expires_at",
];

/// Objects keyed by something variable (a GPU model), compared value by value.
const MAPS: &[&str] = &["gpus", "per_gpu_hr"];

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Asserts `actual` has the example's shape: the same keys at every level and the same JSON types
/// (an integer where the example has one; any number where it has a fraction).
pub fn assert_shape(expected: &Value, actual: &Value) {
    assert_shape_with_nulls(expected, actual, &[]);
}

/// [`assert_shape`], where the keys `nullable` may also be `null` (the live reading's nulls).
pub fn assert_shape_with_nulls(expected: &Value, actual: &Value, nullable: &[&str]) {
    let mut problems = Vec::new();
    shape(expected, actual, "$", "", nullable, &mut problems);
    assert!(
        problems.is_empty(),
        "shape differs from the document's example:\n{}\nactual: {actual:#}",
        problems.join("\n")
    );
}

fn shape(
    expected: &Value,
    actual: &Value,
    at: &str,
    key: &str,
    nullable: &[&str],
    problems: &mut Vec<String>,
) {
    match (expected, actual) {
        (_, Value::Null) if NULLABLE.contains(&key) || nullable.contains(&key) => {}
        (Value::Object(e), Value::Object(a)) if MAPS.contains(&key) => {
            if let Some(sample) = e.values().next() {
                for (k, v) in a {
                    shape(sample, v, &format!("{at}.{k}"), "", nullable, problems);
                }
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            for k in e.keys() {
                if !a.contains_key(k) {
                    problems.push(format!("{at}: missing key {k:?}"));
                }
            }
            for k in a.keys() {
                if !e.contains_key(k) {
                    problems.push(format!("{at}: extra key {k:?}"));
                }
            }
            for (k, ev) in e {
                if let Some(av) = a.get(k) {
                    shape(ev, av, &format!("{at}.{k}"), k, nullable, problems);
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if let Some(sample) = e.first() {
                for (i, v) in a.iter().enumerate() {
                    shape(sample, v, &format!("{at}[{i}]"), key, nullable, problems);
                }
            }
        }
        (Value::Number(_), Value::Number(_)) if kind(expected) == "number" => {}
        _ => {
            if kind(expected) != kind(actual) {
                problems.push(format!(
                    "{at}: expected {} like {expected}, got {actual}",
                    kind(expected)
                ));
            }
        }
    }
}

/// Asserts a FastAPI 422 naming `loc`.
pub fn assert_422(r: &Reply, loc: &[&str]) {
    assert_eq!(
        r.status, 422,
        "expected 422 for {loc:?}, got {}: {}",
        r.status, r.text
    );
    let errors = r.json["detail"]
        .as_array()
        .unwrap_or_else(|| panic!("422 detail is a list: {}", r.text));
    let found = errors.iter().any(|e| {
        e["loc"].as_array().is_some_and(|l| {
            let got: Vec<String> = l
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(String::from)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect();
            got.len() >= loc.len() && got.iter().zip(loc).all(|(g, w)| g == w)
        }) && e["msg"].is_string()
            && e["type"].is_string()
    });
    assert!(found, "no error at {loc:?} in {}", r.text);
}

/// Asserts `{"detail": "..."}` with this status.
pub fn assert_detail(r: &Reply, status: u16) {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(
        r.json["detail"].is_string(),
        "FastAPI detail string expected: {}",
        r.text
    );
}

/// Replaces the value at a JSON pointer.
pub fn set(mut v: Value, pointer: &str, new: Value) -> Value {
    *v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer} in the example")) = new;
    v
}

pub fn without(mut v: Value, key: &str) -> Value {
    v.as_object_mut().expect("object").remove(key);
    v
}

pub const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";

/// Sets a top-level key, adding it when absent.
pub fn with(mut v: Value, key: &str, new: Value) -> Value {
    v.as_object_mut()
        .expect("object")
        .insert(key.to_string(), new);
    v
}
