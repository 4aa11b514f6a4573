//! Cloud-init: the structured object both deploy endpoints take (`cloud_init` on instant VMs,
//! `cloudinit_script` on bare metal), and `POST /validate/cloudinit`.

use axum::http::HeaderMap;
use axum::Json;
use serde_json::{json, Map, Value};

use super::fastapi::{body_object, warn_ignored, Fields, Problems, VpResult};

const KEYS: [&str; 3] = ["packages", "write_files", "runcmd"];

/// Checks a deploy body's cloud-init object the way pydantic checks the nested model.
/// `null` and absence are fine.
pub fn check_object(fields: &mut Fields<'_>, name: &str) {
    let Some(value) = fields.raw(name) else {
        return;
    };
    let at = fields.loc_of(name);
    let Value::Object(obj) = value else {
        fields.problems.push(
            at,
            "Input should be a valid dictionary or object to extract fields from",
            "model_attributes_type",
        );
        return;
    };
    let mut inner = Fields::new(obj, at, fields.problems);
    inner.opt_str_list("packages");
    inner.opt_str_list("runcmd");
    if let Some(files) = inner.raw("write_files") {
        let at = inner.loc_of("write_files");
        match files {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut at = at.clone();
                    at.push(json!(i));
                    match item {
                        Value::Object(file) => {
                            let mut f = Fields::new(file, at, inner.problems);
                            f.req_str("path");
                            f.req_str("content");
                            f.opt_str("encoding");
                            f.opt_str("owner");
                            f.opt_str("permissions");
                        }
                        _ => inner.problems.push(
                            at,
                            "Input should be a valid dictionary or object to extract fields from",
                            "model_attributes_type",
                        ),
                    }
                }
            }
            _ => inner
                .problems
                .push(at, "Input should be a valid list", "list_type"),
        }
    }
}

/// What the provider says about a script: `None` when it is fine, or the problem.
pub fn verdict(content: &Value) -> Option<String> {
    match content {
        Value::String(text) => verdict_text(text),
        Value::Object(obj) => verdict_object(obj),
        _ => Some("content must be a string or an object".into()),
    }
}

fn verdict_text(text: &str) -> Option<String> {
    let first = text.trim_start().lines().next().unwrap_or("");
    if first.starts_with("#!") {
        return None;
    }
    if first.trim_end() != "#cloud-config" {
        return Some(
            "Cloud-init content must start with '#cloud-config' (YAML) or '#!' (a shell script)"
                .into(),
        );
    }
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('\t') || line.trim_start_matches(' ').starts_with('\t') {
            return Some(format!(
                "Invalid YAML on line {}: tabs are not allowed for indentation",
                n + 1
            ));
        }
    }
    None
}

fn verdict_object(obj: &Map<String, Value>) -> Option<String> {
    for key in obj.keys() {
        if !KEYS.contains(&key.as_str()) {
            return Some(format!(
                "Unsupported cloud-init key '{key}': use packages, write_files or runcmd"
            ));
        }
    }
    for key in ["packages", "runcmd"] {
        if let Some(v) = obj.get(key) {
            let ok = v
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string));
            if !ok {
                return Some(format!("'{key}' must be a list of strings"));
            }
        }
    }
    if let Some(v) = obj.get("write_files") {
        let Some(files) = v.as_array() else {
            return Some("'write_files' must be a list".into());
        };
        for (i, file) in files.iter().enumerate() {
            let Some(file) = file.as_object() else {
                return Some(format!("write_files[{i}] must be an object"));
            };
            for required in ["path", "content"] {
                if !file.get(required).is_some_and(Value::is_string) {
                    return Some(format!("write_files[{i}] needs a string '{required}'"));
                }
            }
        }
    }
    None
}

/// `POST /api/v1/validate/cloudinit` (no authorization in the document).
pub async fn validate(headers: HeaderMap, body: axum::body::Bytes) -> VpResult<Json<Value>> {
    let obj = body_object(&headers, &body)?;
    warn_ignored("POST /validate/cloudinit", &obj, &["type", "content"]);
    let mut problems = Problems::default();
    let mut f = Fields::body(&obj, &mut problems);
    f.req_enum("type", &["instant-vm", "vm", "baremetal"]);
    match obj.get("content") {
        None => {
            let at = f.loc_of("content");
            f.problems.push(at, "Field required", "missing");
        }
        Some(Value::String(_) | Value::Object(_)) => {}
        Some(_) => {
            let at = f.loc_of("content");
            f.problems.push(
                at,
                "Input should be a valid string or a valid dictionary",
                "union_type",
            );
        }
    }
    problems.finish()?;
    let problem = verdict(&obj["content"]);
    Ok(Json(
        json!({ "error": problem.is_some(), "message": problem }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(verdict(&json!("#cloud-config\npackages:\n  - git\n")), None);
        assert_eq!(verdict(&json!("#!/bin/bash\necho hi")), None);
        assert!(verdict(&json!("text")).is_some());
        assert!(verdict(&json!("#cloud-config\npackages:\n\t- git")).is_some());
        assert_eq!(
            verdict(&json!({"packages": ["git"], "write_files": [{"path": "/a", "content": "b"}]})),
            None
        );
        assert!(verdict(&json!({"bootcmd": ["x"]})).is_some());
        assert!(verdict(&json!({"write_files": [{"path": "/a"}]})).is_some());
        assert!(verdict(&json!({"runcmd": "reboot"})).is_some());
    }
}
