//! Putting a provider's field errors (FastAPI 422 `detail[]`, read into
//! [`crate::HttpError::fields`]) next to the form fields they are about.
//!
//! An error names a path into the request body (`name`, `cloud_init.runcmd.0`,
//! `organization_ssh_keys.ssh_key_ids`); a form knows its fields by the same names. The error
//! goes to the form field whose name is the longest prefix of its path, on `.` boundaries; what
//! matches no field is shown above the form. The deploy bodies' own checks
//! ([`crate::voltagepark::deploy::DeployInstantVm::problems`]) use the same names, so both
//! land in the same place.

use crate::FieldError;

/// The form field, out of `known_fields`, that `error_field` is about: the longest known name
/// that is the whole path or a prefix of it ending at a `.`. `None` when no field matches.
///
/// `field_for("cloud_init.runcmd.0", &["name", "cloud_init"]) == Some("cloud_init")`
pub fn field_for<'a>(error_field: &str, known_fields: &[&'a str]) -> Option<&'a str> {
    known_fields
        .iter()
        .copied()
        .filter(|known| {
            !known.is_empty()
                && error_field
                    .strip_prefix(known)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .max_by_key(|known| known.len())
}

/// Field errors sorted onto a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors<'a> {
    /// (form field, message), in the order the errors came.
    pub fields: Vec<(&'a str, String)>,
    /// Messages that match no field of the form: show them above it.
    pub general: Vec<String>,
}

impl<'a> FormErrors<'a> {
    /// Sorts `errors` onto the form with fields `known_fields`. A message about a part of a
    /// field (`cloud_init.runcmd.0` on the `cloud_init` field) says which part; a message that
    /// goes above the form says which field it is about.
    pub fn place(errors: &[FieldError], known_fields: &[&'a str]) -> Self {
        let mut out = FormErrors::default();
        for error in errors {
            match field_for(&error.field, known_fields) {
                Some(field) => {
                    let part = error.field[field.len()..].trim_start_matches('.');
                    let message = if part.is_empty() {
                        error.message.clone()
                    } else {
                        format!("{}: {}", readable_path(part), error.message)
                    };
                    out.fields.push((field, message));
                }
                None if error.field.is_empty() => out.general.push(error.message.clone()),
                None => out.general.push(format!(
                    "{}: {}",
                    readable_path(&error.field),
                    error.message
                )),
            }
        }
        out
    }

    /// The messages for `field`, in order.
    pub fn for_field(&self, field: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
            .collect()
    }

    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }
}

/// `runcmd.0` -> `runcmd, entry 1`; `write_files.2.path` -> `write_files, entry 3, path`.
pub fn readable_path(path: &str) -> String {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(|segment| match segment.parse::<u64>() {
            Ok(i) => format!("entry {}", i + 1),
            Err(_) => segment.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HttpError, Provider};

    const DEPLOY_FIELDS: [&str; 7] = [
        "name",
        "password",
        "organization_ssh_keys",
        "organization_ssh_keys.ssh_key_ids",
        "ssh_keys",
        "cloud_init",
        "tags",
    ];

    #[test]
    fn the_longest_known_prefix_wins() {
        assert_eq!(field_for("name", &DEPLOY_FIELDS), Some("name"));
        assert_eq!(
            field_for("cloud_init.runcmd.0", &DEPLOY_FIELDS),
            Some("cloud_init")
        );
        assert_eq!(
            field_for("organization_ssh_keys.ssh_key_ids", &DEPLOY_FIELDS),
            Some("organization_ssh_keys.ssh_key_ids")
        );
        assert_eq!(
            field_for("organization_ssh_keys.ssh_key_ids.0", &DEPLOY_FIELDS),
            Some("organization_ssh_keys.ssh_key_ids")
        );
        // A discriminated union's tag in the path still lands on the field.
        assert_eq!(
            field_for(
                "organization_ssh_keys.selective.ssh_key_ids",
                &DEPLOY_FIELDS
            ),
            Some("organization_ssh_keys")
        );
        assert_eq!(field_for("ssh_keys.1", &DEPLOY_FIELDS), Some("ssh_keys"));
        // Only whole segments: `name` is not a prefix of `names` or `name_x`.
        assert_eq!(field_for("names", &DEPLOY_FIELDS), None);
        assert_eq!(field_for("name_x", &DEPLOY_FIELDS), None);
        assert_eq!(field_for("config_id", &DEPLOY_FIELDS), None);
        assert_eq!(field_for("", &DEPLOY_FIELDS), None);
        assert_eq!(field_for("x", &[""]), None);
    }

    #[test]
    fn a_422_is_sorted_onto_the_form() {
        let body = r#"{"detail":[
            {"loc":["body","name"],"msg":"Field required","type":"missing"},
            {"loc":["body","cloud_init","runcmd",0],"msg":"Input should be a valid string","type":"string_type"},
            {"loc":["body","organization_ssh_keys","ssh_key_ids"],"msg":"List should have at least 1 item","type":"too_short"},
            {"loc":["body","config_id"],"msg":"Input should be a valid UUID","type":"uuid_parsing"},
            {"loc":["body"],"msg":"Invalid JSON","type":"json_invalid"}
        ]}"#;
        let err = HttpError::from_response(Provider::VoltagePark, 422, body);
        let placed = FormErrors::place(&err.fields, &DEPLOY_FIELDS);
        assert_eq!(placed.for_field("name"), ["Field required"]);
        assert_eq!(
            placed.for_field("cloud_init"),
            ["runcmd, entry 1: Input should be a valid string"]
        );
        assert_eq!(
            placed.for_field("organization_ssh_keys.ssh_key_ids"),
            ["List should have at least 1 item"]
        );
        assert_eq!(
            placed.general,
            ["config_id: Input should be a valid UUID", "Invalid JSON"]
        );
        assert!(!placed.is_empty());
        assert!(FormErrors::place(&[], &DEPLOY_FIELDS).is_empty());
    }

    #[test]
    fn paths_read_naturally() {
        assert_eq!(readable_path("runcmd.0"), "runcmd, entry 1");
        assert_eq!(
            readable_path("write_files.2.path"),
            "write_files, entry 3, path"
        );
        assert_eq!(readable_path("name"), "name");
    }
}
