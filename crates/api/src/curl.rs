//! A request as the `curl` command that sends it straight to the provider, for the review step
//! of a billable action: the person sees exactly what will be sent, and can run it themselves.
//! No secret appears: the token is replaced by a shell variable (`$VOLTAGE_PARK_TOKEN`), and so
//! is every secret the body holds (the VM's password becomes `$VM_PASSWORD`), so the command can
//! be shown, copied and pasted without carrying them.

use crate::shell::{double_quoted_text, single_quoted, single_quoted_text};
use crate::{ApiRequest, Provider};

/// A shell variable a command uses in place of a secret, and what to set it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellVariable {
    /// `VOLTAGE_PARK_TOKEN`, `VM_PASSWORD`.
    pub name: String,
    /// What it holds, in words: "your Voltage Park token", "the VM's password".
    pub holds: String,
}

impl ShellVariable {
    fn new(name: &str, holds: &str) -> Self {
        ShellVariable {
            name: name.to_string(),
            holds: holds.to_string(),
        }
    }
}

/// A request written as a `curl` command, and the variables it needs set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurlCommand {
    pub command: String,
    /// The variables the command uses, the token's first; each must be set to run it.
    pub variables: Vec<ShellVariable>,
}

/// The variable written in place of the body field `field`, a secret field
/// ([`crate::secret_fields::is_secret_field`]): `password` (an instant VM's) is `VM_PASSWORD`,
/// any other its name in capitals.
fn secret_variable(field: &str) -> ShellVariable {
    match field {
        "password" => ShellVariable::new("VM_PASSWORD", "the VM's password"),
        other => ShellVariable {
            name: other
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect(),
            holds: format!("the {other}"),
        },
    }
}

/// The shell variable a command uses in place of `provider`'s token.
pub fn token_variable(provider: Provider) -> ShellVariable {
    match provider {
        Provider::VoltagePark => {
            ShellVariable::new("VOLTAGE_PARK_TOKEN", "your Voltage Park token")
        }
        Provider::NetActuate => ShellVariable::new("NETACTUATE_TOKEN", "your NetActuate token"),
        Provider::Octos => ShellVariable::new("OCTOS_TOKEN", "your Octos session token"),
    }
}

/// `req` as a `curl` command to the provider's real origin, with every occurrence of `token` in
/// a header replaced by `$VARIABLE` ([`token_variable`]) and each secret of the body
/// (`"password":"…"`) by its own variable. Everything else of the body is sent byte for byte.
pub fn curl_command(req: &ApiRequest, token: &str) -> CurlCommand {
    let token_var = token_variable(req.provider);
    let variable = format!("${}", token_var.name);
    let token_var = Some(token_var);
    let mut variables = Vec::new();
    let url = format!(
        "{}{}",
        req.provider.default_base_url(),
        req.path_and_query()
    );
    let mut parts = vec![format!(
        "curl -X {} {}",
        req.method.as_str(),
        single_quoted(&url)
    )];
    for (name, value) in &req.headers {
        let header = format!("{name}: {value}");
        if !token.is_empty() && header.contains(token) {
            let pieces: Vec<String> = header.split(token).map(double_quoted_text).collect();
            parts.push(format!("-H \"{}\"", pieces.join(&variable)));
            variables.extend(token_var.clone());
        } else {
            parts.push(format!("-H {}", single_quoted(&header)));
        }
    }
    if let Some(body) = &req.body {
        let (quoted, secrets) = body_with_secrets_as_variables(body);
        parts.push(format!("--data-raw {quoted}"));
        variables.extend(secrets);
    }
    for (name, value) in &req.form {
        // `--form-string` sends the value as it is (`-F` would read `@file` and `<file`).
        parts.push(format!(
            "--form-string {}",
            single_quoted(&format!("{name}={value}"))
        ));
    }
    let mut unique: Vec<ShellVariable> = Vec::new();
    for v in variables {
        if !unique.contains(&v) {
            unique.push(v);
        }
    }
    CurlCommand {
        command: parts.join(" \\\n  "),
        variables: unique,
    }
}

/// A JSON body, single-quoted for the shell, with the value of each secret field
/// ([`crate::secret_fields::is_secret_field`], at any depth) written as `'"$VARIABLE"'` (the
/// single quotes closed around the variable, so the shell puts its value there); and the
/// variables it used. When a secret cannot be cut out exactly (it is not text, or it also
/// appears elsewhere in the body), the body is not shown at all.
fn body_with_secrets_as_variables(body: &str) -> (String, Vec<ShellVariable>) {
    let mut secrets: Vec<(String, Option<String>)> = Vec::new();
    if let Ok(parsed) = serde_json::from_str::<serde_json::Value>(body) {
        secret_values(&parsed, &mut secrets);
    }
    // (start, end, variable): each secret's characters between its quotes.
    let mut cuts: Vec<(usize, usize, ShellVariable)> = Vec::new();
    let mut whole = true;
    for (field, secret) in &secrets {
        // The field as every body writes it: serialised compactly.
        let key = serde_json::to_string(field).expect("a string serialises");
        let found = secret.as_ref().and_then(|secret| {
            let written = serde_json::to_string(secret).expect("a string serialises");
            let at = body.find(&format!("{key}:{written}"))? + key.len() + 1;
            Some((at + 1, at + written.len() - 1))
        });
        match found {
            Some((start, end)) if !cuts.iter().any(|c| c.0 == start) => {
                cuts.push((start, end, secret_variable(field)))
            }
            _ => whole = false,
        }
    }
    cuts.sort_by_key(|c| c.0);
    let mut plain = Vec::new();
    let mut from = 0;
    for (start, end, _) in &cuts {
        plain.push(&body[from..*start]);
        from = *end;
    }
    plain.push(&body[from..]);
    let leaks = secrets
        .iter()
        .filter_map(|(_, secret)| secret.as_deref())
        .any(|secret| plain.iter().any(|p| p.contains(secret)));
    let mut variables: Vec<ShellVariable> = Vec::new();
    for (field, _) in &secrets {
        let variable = secret_variable(field);
        if !variables.contains(&variable) {
            variables.push(variable);
        }
    }
    if leaks || !whole {
        let holds: Vec<&str> = variables.iter().map(|v| v.holds.as_str()).collect();
        return (
            single_quoted(&format!(
                "(the body is not shown: it holds {})",
                holds.join(" and ")
            )),
            variables,
        );
    }
    let mut out = String::from("'");
    for (text, cut) in plain.iter().zip(cuts.iter().map(Some).chain([None])) {
        out.push_str(&single_quoted_text(text));
        if let Some((_, _, variable)) = cut {
            out.push_str(&format!("'\"${}\"'", variable.name));
        }
    }
    out.push('\'');
    (out, variables)
}

/// Every secret field of `value`, at any depth, with its value when it is non-empty text
/// (`None` for anything else that holds something: it cannot be written as a variable).
fn secret_values(value: &serde_json::Value, out: &mut Vec<(String, Option<String>)>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if crate::secret_fields::is_secret_field(key) {
                    match v {
                        Value::Null | Value::Bool(_) => {}
                        Value::String(s) if s.is_empty() => {}
                        Value::String(s) => out.push((key.clone(), Some(s.clone()))),
                        _ => out.push((key.clone(), None)),
                    }
                } else {
                    secret_values(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| secret_values(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voltagepark::deploy::{deploy_instant_vm, DeployInstantVm};

    #[test]
    fn the_token_becomes_a_variable_and_the_body_is_exact() {
        let mut body = DeployInstantVm::new("preset-1", "it's mine");
        body.tags = vec!["a".into()];
        let req = deploy_instant_vm("s3cr3t-token", &body);
        let curl = curl_command(&req, "s3cr3t-token").command;
        assert!(!curl.contains("s3cr3t-token"), "{curl}");
        assert!(curl.starts_with(
            "curl -X POST 'https://cloud-api.voltagepark.com/api/v1/virtual-machines/instant'"
        ));
        assert!(curl.contains("-H \"Authorization: Bearer $VOLTAGE_PARK_TOKEN\""));
        assert!(curl.contains("-H 'Content-Type: application/json'"));
        // The single quote of the name is closed, escaped and reopened for the shell.
        assert!(
            curl.contains(
                r#"--data-raw '{"config_id":"preset-1","name":"it'\''s mine","tags":["a"]}'"#
            ),
            "{curl}"
        );
    }

    #[test]
    fn a_form_is_sent_field_by_field_as_the_document_shows() {
        let req = crate::octos::api_access::enable("sess-1234", "My API Token", Some("2026-12-31"));
        let curl = curl_command(&req, "sess-1234").command;
        assert!(!curl.contains("sess-1234"), "{curl}");
        assert!(
            curl.contains("--form-string 'token_name=My API Token'"),
            "{curl}"
        );
        assert!(
            curl.contains("--form-string 'expires_at=2026-12-31'"),
            "{curl}"
        );
        assert!(!curl.contains("--data-raw"), "{curl}");
    }

    /// What `sh` makes of `--data-raw`'s argument with `VM_PASSWORD` set to `password`.
    fn body_as_the_shell_sends_it(curl: &str, password: &str) -> String {
        let argument = curl
            .split("--data-raw ")
            .nth(1)
            .expect("the command has a body");
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf '%s' {argument}"))
            .env("VM_PASSWORD", password)
            .output()
            .expect("sh runs");
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn the_vm_password_becomes_a_variable_and_the_shell_sends_the_exact_body() {
        // Quotes, a dollar, a backtick and spaces: none may break the command or leak.
        let password = "it's $ecret `pw` x";
        let mut body = DeployInstantVm::new("preset-1", "web-1");
        body.password = Some(password.into());
        body.tags = vec!["a".into()];
        let req = deploy_instant_vm("s3cr3t-token", &body);
        let curl = curl_command(&req, "s3cr3t-token");
        assert!(!curl.command.contains("ecret"), "{}", curl.command);
        assert!(
            curl.command
                .contains(r#""password":"'"$VM_PASSWORD"'","tags""#),
            "{}",
            curl.command
        );
        assert_eq!(
            curl.variables
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>(),
            ["VOLTAGE_PARK_TOKEN", "VM_PASSWORD"]
        );
        assert_eq!(curl.variables[1].holds, "the VM's password");
        assert_eq!(
            body_as_the_shell_sends_it(&curl.command, password),
            req.body.clone().unwrap(),
            "with VM_PASSWORD set, the shell sends the body byte for byte"
        );
    }

    #[test]
    fn without_a_password_only_the_token_is_a_variable() {
        let req = deploy_instant_vm("tok", &DeployInstantVm::new("preset-1", "web-1"));
        let curl = curl_command(&req, "tok");
        assert!(!curl.command.contains("VM_PASSWORD"), "{}", curl.command);
        assert_eq!(curl.variables, [token_variable(Provider::VoltagePark)]);
        assert_eq!(
            body_as_the_shell_sends_it(&curl.command, ""),
            req.body.unwrap()
        );
    }

    #[test]
    fn a_password_that_also_appears_elsewhere_keeps_the_body_out() {
        // The name is the password: cutting out the password field would still show it.
        let mut body = DeployInstantVm::new("preset-1", "hunter2hunter2");
        body.password = Some("hunter2hunter2".into());
        let curl = curl_command(&deploy_instant_vm("tok", &body), "tok");
        assert!(!curl.command.contains("hunter2"), "{}", curl.command);
        assert!(
            curl.command
                .ends_with(r"--data-raw '(the body is not shown: it holds the VM'\''s password)'"),
            "{}",
            curl.command
        );
        assert_eq!(curl.variables[1].name, "VM_PASSWORD");
    }

    #[test]
    fn every_secret_field_of_a_body_is_a_variable() {
        // The one list of secret field names decides: a secret's value becomes $SECRET_VALUE.
        let value = crate::netactuate::SecretValue::new("db-pa55 word");
        let req =
            crate::netactuate::secret_lists::create_value("na-token", "prod", "DB_PASS", &value);
        let curl = curl_command(&req, "na-token");
        assert!(!curl.command.contains("pa55"), "{}", curl.command);
        assert!(!curl.command.contains("na-token"), "{}", curl.command);
        assert!(
            curl.command.contains(r#"'"$SECRET_VALUE"'"#),
            "{}",
            curl.command
        );
        assert_eq!(curl.variables[1].holds, "the secret_value");
        // Nested, and not text: the body is kept out rather than half shown.
        let mut nested = ApiRequest::new(Provider::Octos, crate::Method::Post, "/x");
        nested.body = Some(r#"{"user":{"api_key":{"id":7}}}"#.into());
        let curl = curl_command(&nested, "t");
        assert!(
            curl.command
                .ends_with("--data-raw '(the body is not shown: it holds the api_key)'"),
            "{}",
            curl.command
        );
    }
}
