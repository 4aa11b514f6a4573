//! The organization's SSH keys: the list (also offered by the deploy forms as
//! `organization_ssh_keys`), adding keys and removing them. The document shows `x-api-token` for
//! these endpoints; Bearer is sent as well (NOTES.md).
//!
//! A key is checked before it is sent ([`check_new_keys`]): a valid OpenSSH public key (never
//! private key material), a name that follows the document's rule, and neither the name nor the
//! key already in the organization.

use serde::{Deserialize, Serialize};

use super::storage::api_token;
use crate::request::{ApiRequest, Method};
use crate::ssh_key::{check_ssh_key_name, parse_public_key, SshKeyError, SshPublicKey};
use crate::url::path;
use crate::{FieldError, PageRequest};

/// The most keys `GET /api/v1/organization/ssh-keys` returns in one page.
pub const SSH_KEYS_PAGE_MAX: u32 = 150;

/// One of the organization's SSH public keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSshKey {
    pub id: String,
    pub name: String,
    /// The OpenSSH public key line.
    pub content: String,
}

/// `GET /api/v1/organization/ssh-keys`: one page of the organization's keys.
pub fn list_org_ssh_keys(token: &str, page: PageRequest) -> ApiRequest {
    api_token(Method::Get, "/api/v1/organization/ssh-keys", token)
        .query("limit", page.limit.clamp(1, SSH_KEYS_PAGE_MAX))
        .query("offset", page.offset)
}

/// The body of `POST /api/v1/organization/ssh-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSshKey {
    /// 3 to 64 letters, digits, hyphens or spaces.
    pub name: String,
    /// One clean OpenSSH public key line.
    pub content: String,
}

/// `POST /api/v1/organization/ssh-keys`: registers a key; answers 201 with the [`OrgSshKey`].
pub fn add_org_ssh_key(token: &str, key: &NewSshKey) -> ApiRequest {
    api_token(Method::Post, "/api/v1/organization/ssh-keys", token).json_body(key)
}

/// `DELETE /api/v1/organization/ssh-keys/{ssh_key_id}`: answers 204. Machines that already
/// have the key keep it.
pub fn delete_org_ssh_key(token: &str, id: &str) -> ApiRequest {
    api_token(
        Method::Delete,
        path("/api/v1/organization/ssh-keys/{}", &[id]),
        token,
    )
}

/// How many characters of a key line [`OrgKeyRow::key_start`] keeps.
const KEY_START_CHARS: usize = 40;

/// An organization key as the SSH keys page shows it: what `ssh-keygen -lf` would say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgKeyRow {
    pub id: String,
    pub name: String,
    /// The checked key, or why the stored content is not a valid public key.
    pub key: Result<SshPublicKey, SshKeyError>,
    /// The start of the key line, ending in `…` when cut.
    pub key_start: String,
}

impl OrgKeyRow {
    pub fn new(key: &OrgSshKey) -> Self {
        let content = key.content.trim();
        let key_start = if content.chars().count() > KEY_START_CHARS {
            let start: String = content.chars().take(KEY_START_CHARS).collect();
            format!("{start}…")
        } else {
            content.to_string()
        };
        OrgKeyRow {
            id: key.id.clone(),
            name: key.name.clone(),
            key: parse_public_key(content),
            key_start,
        }
    }

    /// `ED25519`, `RSA 3072`, ... or `unreadable`.
    pub fn type_label(&self) -> String {
        match &self.key {
            Ok(k) if matches!(k.key_type, crate::ssh_key::SshKeyType::Rsa) => {
                format!("{} {}", k.key_type.label(), k.bits)
            }
            Ok(k) => k.key_type.label().to_string(),
            Err(_) => "unreadable".to_string(),
        }
    }

    /// The SHA256 fingerprint, exactly as `ssh-keygen -lf` prints it.
    pub fn fingerprint(&self) -> Option<&str> {
        self.key.as_ref().ok().map(|k| k.fingerprint.as_str())
    }

    /// The key's comment (often `user@host`); empty when it has none.
    pub fn comment(&self) -> &str {
        self.key.as_ref().map(|k| k.comment.as_str()).unwrap_or("")
    }

    /// Whether the row matches a search: `query` found in the name (any case) or in the
    /// fingerprint (as typed, at least 4 characters so that a letter does not match every
    /// key; `SHA256:` may be left out). An empty query matches every row.
    pub fn matches(&self, query: &str) -> bool {
        let query = query.trim();
        if query.is_empty() {
            return true;
        }
        if self.name.to_lowercase().contains(&query.to_lowercase()) {
            return true;
        }
        let digest = query.strip_prefix("SHA256:").unwrap_or(query);
        self.fingerprint()
            .is_some_and(|f| digest.len() >= 4 && f.contains(digest))
    }
}

/// The organization's keys as rows, sorted by name, then only those matching `query`.
pub fn key_rows(keys: &[OrgSshKey], query: &str) -> Vec<OrgKeyRow> {
    let mut rows: Vec<OrgKeyRow> = keys
        .iter()
        .map(OrgKeyRow::new)
        .filter(|r| r.matches(query))
        .collect();
    rows.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// One key the user is about to add: the name and the pasted (or dropped) text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KeyDraft {
    pub name: String,
    pub content: String,
}

/// What the page shows for one draft: the request body when everything is right, else the
/// problems by field (`name`, `content`, as the provider names them). A checked key comes back
/// in both cases, so its fingerprint can be shown while the name is still being corrected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedDraft {
    pub key: Option<SshPublicKey>,
    pub problems: Vec<FieldError>,
    /// The content holds private key material: nothing of it may be kept or sent.
    pub private_key: bool,
}

impl CheckedDraft {
    /// The body to send, when there is nothing to correct.
    pub fn to_request(&self, draft: &KeyDraft) -> Option<NewSshKey> {
        match (&self.key, self.problems.is_empty()) {
            (Some(key), true) => Some(NewSshKey {
                name: draft.name.trim().to_string(),
                content: key.line.clone(),
            }),
            _ => None,
        }
    }
}

/// Checks keys about to be added against the rules and against the organization's `existing`
/// keys, and against each other: two drafts with the same name or the same key are refused too
/// (each says which).
pub fn check_new_keys(drafts: &[KeyDraft], existing: &[OrgSshKey]) -> Vec<CheckedDraft> {
    let existing_fingerprints: Vec<(String, &str)> = existing
        .iter()
        .filter_map(|k| {
            parse_public_key(&k.content)
                .ok()
                .map(|p| (p.fingerprint, k.name.as_str()))
        })
        .collect();
    let parsed: Vec<Result<SshPublicKey, SshKeyError>> = drafts
        .iter()
        .map(|d| parse_public_key(&d.content))
        .collect();
    drafts
        .iter()
        .zip(&parsed)
        .enumerate()
        .map(|(i, (draft, key))| {
            let mut problems = Vec::new();
            let name = draft.name.trim();
            let problem = |field: &str, message: String| FieldError {
                field: field.to_string(),
                message,
            };
            if let Err(e) = check_ssh_key_name(name) {
                problems.push(problem("name", e));
            } else if existing.iter().any(|k| k.name == name) {
                problems.push(problem(
                    "name",
                    format!("The organization already has a key named \u{201c}{name}\u{201d}; choose another name."),
                ));
            } else if let Some(j) = drafts[..i].iter().position(|d| d.name.trim() == name) {
                problems.push(problem(
                    "name",
                    format!("Key {} above has the same name; each key needs its own name.", j + 1),
                ));
            }
            match key {
                Err(e) => problems.push(problem("content", e.to_string())),
                Ok(k) => {
                    if let Some((_, owner)) =
                        existing_fingerprints.iter().find(|(f, _)| *f == k.fingerprint)
                    {
                        problems.push(problem(
                            "content",
                            format!("This key is already in the organization, as \u{201c}{owner}\u{201d} ({}).", k.fingerprint),
                        ));
                    } else if let Some(j) = parsed[..i].iter().position(
                        |p| matches!(p, Ok(p) if p.fingerprint == k.fingerprint),
                    ) {
                        problems.push(problem(
                            "content",
                            format!("Key {} above is the same key ({}).", j + 1, k.fingerprint),
                        ));
                    }
                }
            }
            CheckedDraft {
                key: key.as_ref().ok().cloned(),
                problems,
                private_key: matches!(key, Err(SshKeyError::PrivateKey(_))),
            }
        })
        .collect()
}

/// A draft for a dropped or chosen `.pub` file: its text, and a name made from the key's
/// comment (`alice@laptop` -> `alice-laptop`) or else from the file's name.
pub fn draft_from_file(file_name: &str, text: &str) -> KeyDraft {
    let from_comment = parse_public_key(text)
        .ok()
        .and_then(|k| crate::ssh_key::suggested_key_name(&k.comment));
    let stem = file_name.strip_suffix(".pub").unwrap_or(file_name);
    KeyDraft {
        name: from_comment
            .or_else(|| crate::ssh_key::suggested_key_name(stem))
            .unwrap_or_default(),
        content: text.trim().to_string(),
    }
}

/// The keys of a pasted text or a `.pub` / `authorized_keys` file, one draft each, when it
/// holds two or more complete public keys (read as the deploy form's extra keys read them,
/// [`crate::ssh_key::parse_public_keys`]); every other non-blank, non-`#` line is a draft of
/// its own too, so its problem shows beside it. Each is named after its key's comment, else
/// after `file_stem` (`keys`, `keys-2`, ...), else not named. `None` for text with fewer than
/// two keys, or with private key material (the key field refuses that as a whole).
pub fn split_keys(text: &str, file_stem: Option<&str>) -> Option<Vec<KeyDraft>> {
    let lines = crate::ssh_key::parse_public_keys(text).ok()?;
    if lines.iter().filter(|l| l.result.is_ok()).count() < 2 {
        return None;
    }
    let all: Vec<&str> = text.lines().collect();
    let from_file = file_stem.and_then(crate::ssh_key::suggested_key_name);
    Some(
        lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let named = line
                    .result
                    .as_ref()
                    .ok()
                    .and_then(|k| crate::ssh_key::suggested_key_name(&k.comment));
                let numbered = from_file.as_ref().map(|stem| match i {
                    0 => stem.clone(),
                    _ => format!("{stem}-{}", i + 1),
                });
                KeyDraft {
                    name: named.or(numbered).unwrap_or_default(),
                    content: match line.result {
                        Ok(key) => key.line,
                        Err(_) => all[line.line_number - 1].trim().to_string(),
                    },
                }
            })
            .collect(),
    )
}

/// The drafts for a dropped or chosen file: one per key when it holds several
/// ([`split_keys`]), else one for the whole file ([`draft_from_file`]).
pub fn drafts_from_file(file_name: &str, text: &str) -> Vec<KeyDraft> {
    let stem = file_name.strip_suffix(".pub").unwrap_or(file_name);
    split_keys(text, Some(stem)).unwrap_or_else(|| vec![draft_from_file(file_name, text)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Page;

    /// Keys from crates/api's ssh_key fixtures, with what `ssh-keygen -lf` printed for them.
    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFtSXz8FCz2+6rrhxP3yqiwxWZ6lC4pMOxSQwktA9Nc user@ed25519-0";
    const ED25519_FP: &str = "SHA256:XrNwoHEHrksmQra/Z7pwOp0mkx1qUu7Rsf78S/n2tyQ";
    const ECDSA: &str = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA4Zsrk6fckNS7CIeKqSzgIJhvnqyBykGpBbuPHyAQEoYa4luQUQj4WqNUEHk8AKJvB7fOEJtsJ9jZpTAgQqemQ= user@ecdsa-256";
    const ECDSA_FP: &str = "SHA256:CPeLo1R+OFxG25YVb+YkxbrSL/2tbu37cGh2nUVVVNw";
    const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC/MJI7mAuFXFi5vu03c+NmSmoFL1f+4ZX2kQJOlUVK92NeQpOzQbNcRdLaEjuqz4k2F6BQQ98AFm682SjUV6/qy0yskl66sPjis+HBo3AezdCSfti9E5nF31rETg6GcShNEKXurB9C4zBOWHcZ/kehKaCEWuU9z3IfDVKL3ZumBVM3oA1rN6Isg4VaYXuoGaLpxICNf3rjF4sCh1TSqSCcjt7pfw+rgWf8beYWblX3ZdvOlC1AuC78iRTkonjqqCOMJbCG3MqCuTuL2krqfGi8oePh+rJDctiwNtY6u2WktXisRrgoeOiLAxX+c0vKj6FJAGcsU4CmsUcevGaiOVzz user@rsa-2048";

    fn org_key(id: &str, name: &str, content: &str) -> OrgSshKey {
        OrgSshKey {
            id: id.into(),
            name: name.into(),
            content: content.into(),
        }
    }

    fn draft(name: &str, content: &str) -> KeyDraft {
        KeyDraft {
            name: name.into(),
            content: content.into(),
        }
    }

    #[test]
    fn reads_the_documented_example_with_both_headers() {
        let body = r#"{"results": [{"id": "123e4567-e89b-12d3-a456-426614174000",
            "name": "My-SSH-Public-Key", "content": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDAKOgHv82A6Oi7AWLvBC9N..."}],
            "total_result_count": 1, "has_previous": true, "has_next": true}"#;
        let page: Page<OrgSshKey> = serde_json::from_str(body).unwrap();
        assert_eq!(page.results[0].name, "My-SSH-Public-Key");
        let req = list_org_ssh_keys("tok", PageRequest::first(500));
        assert_eq!(
            req.path_and_query(),
            "/api/v1/organization/ssh-keys?limit=150&offset=0"
        );
        assert!(req.headers.contains(&("x-api-token".into(), "tok".into())));
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
    }

    #[test]
    fn add_and_delete_use_the_documented_paths_bodies_and_headers() {
        let req = add_org_ssh_key(
            "tok",
            &NewSshKey {
                name: "My-SSH-Public-Key".into(),
                content: ED25519.into(),
            },
        );
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/api/v1/organization/ssh-keys");
        let body: serde_json::Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"name": "My-SSH-Public-Key", "content": ED25519})
        );
        assert!(req.headers.contains(&("x-api-token".into(), "tok".into())));
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
        // The documented answer is the key with its id.
        let added: OrgSshKey = serde_json::from_str(
            r#"{"id": "123e4567-e89b-12d3-a456-426614174000", "name": "My-SSH-Public-Key",
                "content": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDAKOgHv82A6Oi7AWLvBC9N..."}"#,
        )
        .unwrap();
        assert_eq!(added.id, "123e4567-e89b-12d3-a456-426614174000");

        let req = delete_org_ssh_key("tok", "123e4567-e89b-12d3-a456-426614174000");
        assert_eq!(req.method, Method::Delete);
        assert_eq!(
            req.path,
            "/api/v1/organization/ssh-keys/123e4567-e89b-12d3-a456-426614174000"
        );
        assert!(req.headers.contains(&("x-api-token".into(), "tok".into())));
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
    }

    #[test]
    fn rows_show_type_fingerprint_comment_and_start_and_are_searched() {
        let keys = [
            org_key("2", "ci runner", ECDSA),
            org_key("1", "alice-laptop", ED25519),
            org_key("3", "Build RSA", RSA),
            org_key("4", "broken", "ssh-ed25519 AAAA"),
        ];
        let rows = key_rows(&keys, "");
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["alice-laptop", "broken", "Build RSA", "ci runner"]);
        assert_eq!(rows[0].type_label(), "ED25519");
        assert_eq!(rows[0].fingerprint(), Some(ED25519_FP));
        assert_eq!(rows[0].comment(), "user@ed25519-0");
        assert_eq!(
            rows[0].key_start,
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFt…"
        );
        assert_eq!(rows[1].type_label(), "unreadable");
        assert_eq!(rows[1].fingerprint(), None);
        assert_eq!(rows[1].key_start, "ssh-ed25519 AAAA");
        assert_eq!(rows[2].type_label(), "RSA 2048");
        assert_eq!(rows[3].fingerprint(), Some(ECDSA_FP));

        // By name, in any case; by fingerprint, with or without its prefix.
        let found =
            |q: &str| -> Vec<String> { key_rows(&keys, q).into_iter().map(|r| r.name).collect() };
        assert_eq!(found("ALICE"), ["alice-laptop"]);
        assert_eq!(found("b"), ["broken", "Build RSA"]);
        assert_eq!(found(ECDSA_FP), ["ci runner"]);
        assert_eq!(found("CPeLo1R+OFx"), ["ci runner"]);
        assert_eq!(found("  "), found(""));
        assert!(found("SHA256:").is_empty());
        assert!(found("nothing like this").is_empty());
    }

    #[test]
    fn new_keys_are_checked_against_the_rules_the_organization_and_each_other() {
        let existing = [org_key("1", "alice-laptop", ED25519)];
        let checked = check_new_keys(
            &[
                draft("  build box ", ECDSA),
                draft("alice-laptop", RSA),
                draft("x", "hello"),
                draft("other name", ED25519),
                draft("build box", RSA),
            ],
            &existing,
        );
        // A good one: the name is trimmed, the key sent as its clean line.
        assert!(checked[0].problems.is_empty(), "{:?}", checked[0].problems);
        assert_eq!(
            checked[0].to_request(&draft("  build box ", ECDSA)),
            Some(NewSshKey {
                name: "build box".into(),
                content: ECDSA.into()
            })
        );
        let messages = |c: &CheckedDraft, field: &str| -> Vec<String> {
            c.problems
                .iter()
                .filter(|p| p.field == field)
                .map(|p| p.message.clone())
                .collect()
        };
        assert_eq!(
            messages(&checked[1], "name"),
            ["The organization already has a key named \u{201c}alice-laptop\u{201d}; choose another name."]
        );
        assert!(messages(&checked[1], "content").is_empty());
        assert!(checked[1].to_request(&draft("alice-laptop", RSA)).is_none());
        // Its key was read, so its fingerprint can still be shown.
        assert!(checked[1].key.is_some());
        assert!(messages(&checked[2], "name")[0].contains("at least 3"));
        assert!(
            messages(&checked[2], "content")[0].contains("does not look like an SSH public key")
        );
        assert_eq!(
            messages(&checked[3], "content"),
            [format!("This key is already in the organization, as \u{201c}alice-laptop\u{201d} ({ED25519_FP}).")]
        );
        assert_eq!(
            messages(&checked[4], "name"),
            ["Key 1 above has the same name; each key needs its own name."]
        );
        assert!(messages(&checked[4], "content")[0].starts_with("Key 2 above is the same key"));
    }

    #[test]
    fn private_key_material_is_refused_and_marked() {
        let private = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n";
        let checked = check_new_keys(&[draft("my key", private)], &[]);
        assert!(checked[0].private_key);
        assert!(checked[0].key.is_none());
        assert!(checked[0].to_request(&draft("my key", private)).is_none());
        assert!(checked[0].problems[0]
            .message
            .contains("never leave your computer"));
        assert!(!check_new_keys(&[draft("my key", "nope")], &[])[0].private_key);
    }

    #[test]
    fn several_keys_are_one_draft_each() {
        let no_comment = ED25519.rsplit_once(' ').unwrap().0;
        let pasted = format!("{ED25519}\n\n# work\n{ECDSA}\r\n");
        assert_eq!(
            split_keys(&pasted, None).unwrap(),
            [
                draft("user-ed25519-0", ED25519),
                draft("user-ecdsa-256", ECDSA)
            ]
        );
        // A file of keys without comments: named after the file, numbered.
        assert_eq!(
            drafts_from_file("team.pub", &format!("{no_comment}\n{RSA}\nnot a key\n")),
            [
                draft("team", no_comment),
                draft("user-rsa-2048", RSA),
                draft("team-3", "not a key"),
            ]
        );
        // One key, or a key being typed after one: the field keeps it whole.
        assert_eq!(split_keys(ED25519, None), None);
        assert_eq!(
            split_keys(&format!("{ED25519}\nssh-ed25519 AAAA"), None),
            None
        );
        assert_eq!(
            drafts_from_file("id_ed25519.pub", ED25519),
            [draft("user-ed25519-0", ED25519)]
        );
        // Private key material: never split, the field refuses it whole.
        let with_private = format!(
            "{ED25519}\n{ECDSA}\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
        );
        assert_eq!(split_keys(&with_private, None), None);
        assert!(check_new_keys(&drafts_from_file("x.pub", &with_private), &[])[0].private_key);
    }

    #[test]
    fn a_dropped_file_is_named_after_its_comment_or_its_file() {
        assert_eq!(
            draft_from_file("id_ed25519.pub", &format!("{ED25519}\n")),
            draft("user-ed25519-0", ED25519)
        );
        let no_comment = ED25519.rsplit_once(' ').unwrap().0;
        assert_eq!(
            draft_from_file("work_laptop.pub", no_comment).name,
            "work-laptop"
        );
        assert_eq!(draft_from_file("a.pub", no_comment).name, "");
    }
}
