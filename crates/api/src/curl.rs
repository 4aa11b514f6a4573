//! A request as the `curl` command that sends it straight to the provider, for the review step
//! of a billable action: the person sees exactly what will be sent, and can run it themselves.
//! The token never appears: it is replaced by a shell variable (`$VOLTAGE_PARK_TOKEN`).

use crate::{ApiRequest, Provider};

/// The shell variable a command uses in place of `provider`'s token.
pub fn token_variable(provider: Provider) -> &'static str {
    match provider {
        Provider::VoltagePark => "VOLTAGE_PARK_TOKEN",
        Provider::NetActuate => "NETACTUATE_TOKEN",
        Provider::Octos => "OCTOS_TOKEN",
    }
}

/// `req` as a `curl` command to the provider's real origin, with every occurrence of `token` in
/// a header replaced by `$VARIABLE` ([`token_variable`]). The body is sent byte for byte.
pub fn curl_command(req: &ApiRequest, token: &str) -> String {
    let variable = format!("${}", token_variable(req.provider));
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
        } else {
            parts.push(format!("-H {}", single_quoted(&header)));
        }
    }
    if let Some(body) = &req.body {
        parts.push(format!("--data-raw {}", single_quoted(body)));
    }
    for (name, value) in &req.form {
        // `--form-string` sends the value as it is (`-F` would read `@file` and `<file`).
        parts.push(format!(
            "--form-string {}",
            single_quoted(&format!("{name}={value}"))
        ));
    }
    parts.join(" \\\n  ")
}

/// `text` in single quotes, for a POSIX shell: nothing inside is expanded.
fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
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
        let curl = curl_command(&req, "s3cr3t-token");
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
        let curl = curl_command(&req, "sess-1234");
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
}
