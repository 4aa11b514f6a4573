//! A request as the `curl` command that sends it straight to the provider, for the review step
//! of a billable action: the person sees exactly what will be sent, and can run it themselves.
//! No secret appears: the token is replaced by a shell variable (`$VOLTAGE_PARK_TOKEN`), and so
//! is every secret the body holds (the VM's password becomes `$VM_PASSWORD`), so the command can
//! be shown, copied and pasted without carrying them.

use crate::{ApiRequest, Provider};

/// A shell variable a command uses in place of a secret, and what to set it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShellVariable {
    /// `VOLTAGE_PARK_TOKEN`, `VM_PASSWORD`.
    pub name: &'static str,
    /// What it holds, in words: "your Voltage Park token", "the VM's password".
    pub holds: &'static str,
}

/// A request written as a `curl` command, and the variables it needs set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurlCommand {
    pub command: String,
    /// The variables the command uses, the token's first; each must be set to run it.
    pub variables: Vec<ShellVariable>,
}

/// Body fields whose values are secrets, with the variable written in their place.
const SECRET_BODY_FIELDS: &[(&str, ShellVariable)] = &[(
    "password",
    ShellVariable {
        name: "VM_PASSWORD",
        holds: "the VM's password",
    },
)];

/// The shell variable a command uses in place of `provider`'s token.
pub fn token_variable(provider: Provider) -> ShellVariable {
    match provider {
        Provider::VoltagePark => ShellVariable {
            name: "VOLTAGE_PARK_TOKEN",
            holds: "your Voltage Park token",
        },
        Provider::NetActuate => ShellVariable {
            name: "NETACTUATE_TOKEN",
            holds: "your NetActuate token",
        },
        Provider::Octos => ShellVariable {
            name: "OCTOS_TOKEN",
            holds: "your Octos session token",
        },
    }
}

/// `req` as a `curl` command to the provider's real origin, with every occurrence of `token` in
/// a header replaced by `$VARIABLE` ([`token_variable`]) and each secret of the body
/// (`"password":"…"`) by its own variable. Everything else of the body is sent byte for byte.
pub fn curl_command(req: &ApiRequest, token: &str) -> CurlCommand {
    let token_var = token_variable(req.provider);
    let variable = format!("${}", token_var.name);
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
            variables.push(token_var);
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
    variables.dedup();
    CurlCommand {
        command: parts.join(" \\\n  "),
        variables,
    }
}

/// A JSON body, single-quoted for the shell, with the value of each field named in
/// [`SECRET_BODY_FIELDS`] written as `'"$VARIABLE"'` (the single quotes closed around the
/// variable, so the shell puts its value there); and the variables it used. When a secret cannot
/// be cut out exactly (or also appears elsewhere in the body), the body is not shown at all.
fn body_with_secrets_as_variables(body: &str) -> (String, Vec<ShellVariable>) {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    // (start, end, variable): each secret's characters between its quotes.
    let mut cuts: Vec<(usize, usize, ShellVariable)> = Vec::new();
    let mut secrets: Vec<(String, ShellVariable)> = Vec::new();
    for (field, variable) in SECRET_BODY_FIELDS {
        let Some(secret) = parsed
            .as_ref()
            .and_then(|b| b.get(field))
            .and_then(|v| v.as_str())
        else {
            continue;
        };
        secrets.push((secret.to_string(), *variable));
        // The field as every body writes it: serialised compactly.
        let key = serde_json::to_string(field).expect("a string serialises");
        let written = serde_json::to_string(secret).expect("a string serialises");
        if let Some(at) = body.find(&format!("{key}:{written}")) {
            let start = at + key.len() + 1;
            cuts.push((start + 1, start + written.len() - 1, *variable));
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
        .any(|(secret, _)| !secret.is_empty() && plain.iter().any(|p| p.contains(secret.as_str())));
    if leaks || cuts.len() < secrets.len() {
        let holds: Vec<&str> = secrets.iter().map(|(_, v)| v.holds).collect();
        return (
            single_quoted(&format!(
                "(the body is not shown: it holds {})",
                holds.join(" and ")
            )),
            secrets.into_iter().map(|(_, v)| v).collect(),
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
    (out, cuts.into_iter().map(|(_, _, v)| v).collect())
}

/// `text` in single quotes, for a POSIX shell: nothing inside is expanded.
fn single_quoted(text: &str) -> String {
    format!("'{}'", single_quoted_text(text))
}

/// `text` to sit between single quotes: each `'` closed, escaped and reopened.
fn single_quoted_text(text: &str) -> String {
    text.replace('\'', r"'\''")
}

/// `text` escaped to sit between double quotes without being expanded.
fn double_quoted_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
    fn double_quoted_parts_are_not_expanded() {
        assert_eq!(double_quoted_text("a$b`c\"d\\"), "a\\$b\\`c\\\"d\\\\");
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
            curl.variables.iter().map(|v| v.name).collect::<Vec<_>>(),
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
}
