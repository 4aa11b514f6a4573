//! Cloud-init for Voltage Park deploys: the object both deploy bodies take, the provider's
//! validation endpoint, and the round trip between that object and a `#cloud-config` YAML
//! document a person pastes or edits.
//!
//! Voltage Park takes only three cloud-init keys (`packages`, `write_files`, `runcmd`), as a JSON
//! object. A pasted document may hold more; [`parse_cloud_config`] keeps what fits and reports
//! every key it had to leave out ([`CloudConfigNotice`]) so the editor can say so before the
//! deploy, rather than losing it silently.
//!
//! YAML is read with `saphyr-parser` (the event parser of the maintained successor to
//! yaml-rust; pure Rust, small, builds for wasm32). Scalars are kept as the text that was written
//! (`permissions: 0644` stays `"0644"`, as cloud-init itself would read it), never re-typed.
//! Rendering is done here: the output only ever holds strings, lists and maps, each string
//! written plain, quoted or as a `|` block as it needs, and tested to read back identically.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde::{Deserialize, Serialize};

use crate::request::{ApiRequest, Method};
use crate::Provider;

/// The cloud-init object of both deploy bodies (`cloud_init` of an instant VM,
/// `cloudinit_script` of a bare-metal rental). Empty lists are left out when sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudInit {
    /// Packages to install, e.g. `htop` or `nvtop=3.0.1-1`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// Files to write before the commands run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_files: Vec<WriteFile>,
    /// Shell commands to run once, at first boot, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runcmd: Vec<String>,
}

/// One entry of `write_files`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteFile {
    pub path: String,
    #[serde(default)]
    pub content: String,
    /// How `content` is encoded: `b64`, `gzip+b64`, ...; plain text when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// `user:group`; cloud-init's default (`root:root`) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Octal mode as text, e.g. `0644`; cloud-init's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<String>,
}

impl CloudInit {
    /// True when there is nothing to send: the deploy bodies then leave the field out.
    pub fn is_empty(&self) -> bool {
        self.packages.is_empty() && self.write_files.is_empty() && self.runcmd.is_empty()
    }
}

// ---------------------------------------------------------------------------------------------
// POST /api/v1/validate/cloudinit

/// Which deploy a cloud-init is checked for (`type` of the validation body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CloudInitTarget {
    /// An instant VM (`cloud_init` of `POST /virtual-machines/instant`).
    #[serde(rename = "instant-vm")]
    InstantVm,
    /// A VM; accepted by the endpoint (provider-docs/NOTES.md), unused by the console.
    #[serde(rename = "vm")]
    Vm,
    /// A bare-metal rental (`cloudinit_script` of `POST /bare-metal/`).
    #[serde(rename = "baremetal")]
    BareMetal,
}

/// What is checked: the YAML text as written, or the object that would be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CloudInitContent {
    Text(String),
    Object(CloudInit),
}

/// Body of `POST /api/v1/validate/cloudinit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidateCloudInit {
    #[serde(rename = "type")]
    pub target: CloudInitTarget,
    pub content: CloudInitContent,
}

/// The answer of the validation endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudInitValidation {
    /// True when the provider found a problem.
    pub error: bool,
    /// What the problem is (or a remark when there is none).
    #[serde(default)]
    pub message: Option<String>,
}

/// `POST /api/v1/validate/cloudinit`. No token: the document lists no authorization for it.
pub fn validate_cloud_init(target: CloudInitTarget, content: CloudInitContent) -> ApiRequest {
    ApiRequest::new(
        Provider::VoltagePark,
        Method::Post,
        "/api/v1/validate/cloudinit",
    )
    .json_body(&ValidateCloudInit { target, content })
}

// ---------------------------------------------------------------------------------------------
// NetActuate secret references

/// A NetActuate-style `${{secret.KEY}}` reference found in a cloud-init.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretReference {
    /// The secret's key, case as written (`API_KEY`).
    pub key: String,
    /// Where it is, named like the body's fields: `runcmd.2`, `write_files.0.content`,
    /// `packages.1`.
    pub field: String,
}

/// Every `${{secret.KEY}}` in `cloud_init`, in field order. NetActuate substitutes these at
/// deploy time; Voltage Park does not, so the text would reach the machine as it is. The editor
/// flags them. Spaces inside the braces (`${{ secret.KEY }}`) are found too.
pub fn find_secret_references(cloud_init: &CloudInit) -> Vec<SecretReference> {
    let mut found = Vec::new();
    let mut scan = |field: String, text: &str| {
        for key in secret_keys_in(text) {
            found.push(SecretReference {
                key,
                field: field.clone(),
            });
        }
    };
    for (i, p) in cloud_init.packages.iter().enumerate() {
        scan(format!("packages.{i}"), p);
    }
    for (i, f) in cloud_init.write_files.iter().enumerate() {
        scan(format!("write_files.{i}.path"), &f.path);
        scan(format!("write_files.{i}.content"), &f.content);
        for (name, value) in [
            ("encoding", &f.encoding),
            ("owner", &f.owner),
            ("permissions", &f.permissions),
        ] {
            if let Some(value) = value {
                scan(format!("write_files.{i}.{name}"), value);
            }
        }
    }
    for (i, c) in cloud_init.runcmd.iter().enumerate() {
        scan(format!("runcmd.{i}"), c);
    }
    found
}

/// The keys of the `${{secret.KEY}}` references in `text`, in order (the one parser is
/// NetActuate's, [`crate::netactuate::references::find_references`]).
pub fn secret_keys_in(text: &str) -> Vec<String> {
    crate::netactuate::references::find_references(text)
        .into_iter()
        .map(|r| r.key)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// #cloud-config YAML

/// The first line cloud-init needs to treat user data as a cloud-config document.
pub const CLOUD_CONFIG_HEADER: &str = "#cloud-config";

/// A pasted `#cloud-config` document, read into what Voltage Park takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCloudConfig {
    pub cloud_init: CloudInit,
    /// What was changed or left out on the way, in document order.
    pub notices: Vec<CloudConfigNotice>,
}

/// Something about a pasted document the person should know before deploying.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloudConfigNotice {
    /// The document does not start with `#cloud-config`. Harmless here (the provider takes
    /// the object), but the text would not work pasted elsewhere as user data.
    #[error("The document does not start with #cloud-config; it is read as cloud-config anyway.")]
    MissingHeader,
    /// A top-level key Voltage Park's cloud-init has no field for: it will not be sent.
    #[error("\"{key}\" will be dropped: Voltage Park only takes packages, write_files and runcmd.{}", hint_text(.key))]
    DroppedKey { key: String },
    /// A key of a `write_files` entry that has no field in Voltage Park's object.
    #[error("\"{key}\" of write_files entry {} ({path}) will be dropped: only path, content, encoding, owner and permissions are sent.", .index + 1)]
    DroppedWriteFileKey {
        index: usize,
        path: String,
        key: String,
    },
    /// A `runcmd` entry written as a list (run without a shell) became one shell command
    /// line, each argument quoted as needed, so it runs the same program with the same
    /// arguments.
    #[error("runcmd entry {} was a list; it is sent as the command line: {line}", .index + 1)]
    RuncmdListJoined { index: usize, line: String },
    /// A `packages` entry written as `[name, version]` became `name=version`.
    #[error("package entry {} was a [name, version] pair; it is sent as {package}", .index + 1)]
    PackageVersionJoined { index: usize, package: String },
    /// `content: !!binary` was turned into base64 `content` with `encoding: b64`.
    #[error("write_files entry {} ({path}) had !!binary content; it is sent as base64 with encoding b64.", .index + 1)]
    BinaryContentEncoded { index: usize, path: String },
}

fn hint_text(key: &str) -> &'static str {
    match key {
        "ssh_authorized_keys" | "users" => " Add SSH keys with the form's SSH key fields instead.",
        "bootcmd" => " Move the commands to runcmd if they can run after boot.",
        "package_update" | "package_upgrade" => {
            " Add \"apt-get update\" (or upgrade) to runcmd if you need it."
        }
        "password" | "chpasswd" => " Use the form's password field instead.",
        _ => "",
    }
}

/// Why a pasted document could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloudConfigError {
    #[error("The YAML is not valid at line {line}, column {column}: {message}.")]
    Yaml {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "This is a shell script, not a #cloud-config document. Put its commands into runcmd, \
         one per entry."
    )]
    ShellScript,
    #[error(
        "A #cloud-config document is a mapping of keys (packages:, runcmd:, ...) at the top level."
    )]
    NotAMapping,
    #[error("The text holds several YAML documents (---); paste one #cloud-config document.")]
    SeveralDocuments,
    #[error("{place} (line {line}) should be {expected}.")]
    WrongShape {
        place: String,
        expected: &'static str,
        line: usize,
    },
    #[error("write_files entry {} (line {line}) has no path.", .index + 1)]
    MissingPath { index: usize, line: usize },
}

/// Reads a pasted `#cloud-config` YAML document into a [`CloudInit`] and what had to give.
///
/// - `packages`: strings; a `[name, version]` pair becomes `name=version`.
/// - `write_files`: `path`, `content`, `encoding`, `owner`, `permissions`; other keys of an
///   entry are reported. `!!binary` content becomes base64 with `encoding: b64`.
/// - `runcmd`: strings as written; a list entry becomes one shell-quoted command line.
/// - Any other top-level key is reported as dropped.
///
/// An empty document (or only the header) gives an empty [`CloudInit`].
pub fn parse_cloud_config(text: &str) -> Result<ParsedCloudConfig, CloudConfigError> {
    let first_line = text.trim_start().lines().next().unwrap_or("").trim_end();
    if first_line.starts_with("#!") {
        return Err(CloudConfigError::ShellScript);
    }
    let mut notices = Vec::new();
    if !text.trim().is_empty() && first_line != CLOUD_CONFIG_HEADER {
        notices.push(CloudConfigNotice::MissingHeader);
    }
    let mut cloud_init = CloudInit::default();
    let entries = match read_document(text)? {
        None => Vec::new(),
        Some(Node::Map(entries, _)) => entries,
        Some(Node::Scalar { ref value, .. }) if value.is_empty() => Vec::new(),
        Some(_) => return Err(CloudConfigError::NotAMapping),
    };
    for (key, value) in entries {
        let key_text = match &key {
            Node::Scalar { value, .. } => value.clone(),
            other => {
                return Err(CloudConfigError::WrongShape {
                    place: "A top-level key".into(),
                    expected: "a plain name",
                    line: other.line(),
                })
            }
        };
        match key_text.as_str() {
            "packages" => {
                for item in list_items(&value, "packages")? {
                    let index = cloud_init.packages.len();
                    cloud_init
                        .packages
                        .push(package(item, index, &mut notices)?);
                }
            }
            "write_files" => {
                for item in list_items(&value, "write_files")? {
                    let index = cloud_init.write_files.len();
                    cloud_init
                        .write_files
                        .push(write_file(item, index, &mut notices)?);
                }
            }
            "runcmd" => {
                for item in list_items(&value, "runcmd")? {
                    let index = cloud_init.runcmd.len();
                    cloud_init.runcmd.push(command(item, index, &mut notices)?);
                }
            }
            _ => notices.push(CloudConfigNotice::DroppedKey { key: key_text }),
        }
    }
    Ok(ParsedCloudConfig {
        cloud_init,
        notices,
    })
}

/// Writes `cloud_init` as a `#cloud-config` document that [`parse_cloud_config`] reads back to
/// the same value (and cloud-init reads the same way). Empty sections are left out.
pub fn render_cloud_config(cloud_init: &CloudInit) -> String {
    let mut out = format!("{CLOUD_CONFIG_HEADER}\n");
    if !cloud_init.packages.is_empty() {
        out.push_str("packages:\n");
        for p in &cloud_init.packages {
            out.push_str(&format!("  - {}\n", yaml_string(p, 4)));
        }
    }
    if !cloud_init.write_files.is_empty() {
        out.push_str("write_files:\n");
        for f in &cloud_init.write_files {
            let mut fields: Vec<(&str, &str)> = vec![("path", &f.path)];
            for (name, value) in [
                ("owner", &f.owner),
                ("permissions", &f.permissions),
                ("encoding", &f.encoding),
            ] {
                if let Some(value) = value {
                    fields.push((name, value));
                }
            }
            // Content last: it is usually the long part.
            fields.push(("content", &f.content));
            for (i, (name, value)) in fields.into_iter().enumerate() {
                let lead = if i == 0 { "  - " } else { "    " };
                out.push_str(&format!("{lead}{name}: {}\n", yaml_string(value, 6)));
            }
        }
    }
    if !cloud_init.runcmd.is_empty() {
        out.push_str("runcmd:\n");
        for c in &cloud_init.runcmd {
            out.push_str(&format!("  - {}\n", yaml_string(c, 4)));
        }
    }
    out
}

/// Keys of a `#cloud-config` document that carry a password (cloud-init's `password`,
/// `chpasswd`, and a user's `passwd`, `hashed_passwd`, `plain_text_passwd`).
const PASSWORD_KEYS: [&str; 5] = [
    "password",
    "chpasswd",
    "passwd",
    "hashed_passwd",
    "plain_text_passwd",
];

/// True when a pasted document may set a password: a line whose key is one of the password
/// keys, anywhere, read line by line so a document that is not valid YAML is judged too. A draft
/// (kept in the browser's storage) leaves such a document out.
pub fn may_hold_a_password(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start().trim_start_matches("- ").trim_start();
        let key = line.split(':').next().unwrap_or_default();
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        line.contains(':') && PASSWORD_KEYS.contains(&key)
    })
}

// --- reading ---------------------------------------------------------------------------------

/// A YAML node with scalars kept as written.
#[derive(Debug, Clone)]
enum Node {
    Scalar {
        value: String,
        style: ScalarStyle,
        tag: Option<Tag>,
        line: usize,
    },
    Seq(Vec<Node>, usize),
    Map(Vec<(Node, Node)>, usize),
}

impl Node {
    fn line(&self) -> usize {
        match self {
            Node::Scalar { line, .. } | Node::Seq(_, line) | Node::Map(_, line) => *line,
        }
    }

    /// A plain `~`, `null` or nothing: YAML's null.
    fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { value, style: ScalarStyle::Plain, tag: None, .. }
            if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }
}

/// Reads the single document of `text`; `None` when there is none.
fn read_document(text: &str) -> Result<Option<Node>, CloudConfigError> {
    enum Open {
        Seq(Vec<Node>, usize, usize),
        Map(Vec<(Node, Node)>, Option<Node>, usize, usize),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut documents = 0;
    let mut root = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| CloudConfigError::Yaml {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        let line = span.start.line();
        let complete = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(CloudConfigError::SeveralDocuments);
                }
                None
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Open::Seq(Vec::new(), anchor, line));
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Open::Map(Vec::new(), None, anchor, line));
                None
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(items, anchor, line)) => Some((Node::Seq(items, line), anchor)),
                _ => None,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(entries, _, anchor, line)) => {
                    Some((Node::Map(entries, line), anchor))
                }
                _ => None,
            },
            Event::Scalar(value, style, anchor, tag) => Some((
                Node::Scalar {
                    value: value.into_owned(),
                    style,
                    tag: tag.map(|t| t.into_owned()),
                    line,
                },
                anchor,
            )),
            Event::Alias(id) => anchors.get(&id).cloned().map(|n| (n, 0)),
            _ => None,
        };
        let Some((node, anchor)) = complete else {
            continue;
        };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            Some(Open::Seq(items, ..)) => items.push(node),
            Some(Open::Map(entries, pending, ..)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => *pending = Some(node),
            },
            None => root = Some(node),
        }
    }
    Ok(root)
}

/// The items of a list value; a null value is an empty list.
fn list_items<'a>(value: &'a Node, key: &str) -> Result<Vec<&'a Node>, CloudConfigError> {
    match value {
        Node::Seq(items, _) => Ok(items.iter().collect()),
        v if v.is_null() => Ok(Vec::new()),
        other => Err(CloudConfigError::WrongShape {
            place: key.to_string(),
            expected: "a list (entries starting with \"- \")",
            line: other.line(),
        }),
    }
}

/// A scalar's text, or an error naming `place`.
fn text(node: &Node, place: impl FnOnce() -> String) -> Result<&str, CloudConfigError> {
    match node {
        Node::Scalar { value, .. } => Ok(value),
        other => Err(CloudConfigError::WrongShape {
            place: place(),
            expected: "a single value (text)",
            line: other.line(),
        }),
    }
}

fn package(
    item: &Node,
    index: usize,
    notices: &mut Vec<CloudConfigNotice>,
) -> Result<String, CloudConfigError> {
    let place = || format!("packages entry {}", index + 1);
    if let Node::Seq(parts, line) = item {
        if let [name, version] = parts.as_slice() {
            let package = format!("{}={}", text(name, place)?, text(version, place)?);
            notices.push(CloudConfigNotice::PackageVersionJoined {
                index,
                package: package.clone(),
            });
            return Ok(package);
        }
        return Err(CloudConfigError::WrongShape {
            place: place(),
            expected: "a package name or a [name, version] pair",
            line: *line,
        });
    }
    Ok(text(item, place)?.to_string())
}

fn command(
    item: &Node,
    index: usize,
    notices: &mut Vec<CloudConfigNotice>,
) -> Result<String, CloudConfigError> {
    let place = || format!("runcmd entry {}", index + 1);
    if let Node::Seq(args, _) = item {
        let args: Vec<&str> = args
            .iter()
            .map(|a| text(a, place))
            .collect::<Result<_, _>>()?;
        let line = crate::shell::join(&args);
        notices.push(CloudConfigNotice::RuncmdListJoined {
            index,
            line: line.clone(),
        });
        return Ok(line);
    }
    Ok(text(item, place)?.to_string())
}

fn write_file(
    item: &Node,
    index: usize,
    notices: &mut Vec<CloudConfigNotice>,
) -> Result<WriteFile, CloudConfigError> {
    let place = || format!("write_files entry {}", index + 1);
    let Node::Map(entries, line) = item else {
        return Err(CloudConfigError::WrongShape {
            place: place(),
            expected: "a mapping (path:, content:, ...)",
            line: item.line(),
        });
    };
    let mut file = WriteFile::default();
    let mut path = None;
    let mut dropped = Vec::new();
    let mut binary = false;
    for (key, value) in entries {
        let key = text(key, place)?;
        let field_place = || format!("{key} of write_files entry {}", index + 1);
        let optional = |value: &Node| -> Result<Option<String>, CloudConfigError> {
            if value.is_null() {
                return Ok(None);
            }
            Ok(Some(text(value, field_place)?.to_string()))
        };
        match key {
            "path" => path = optional(value)?,
            "content" => {
                if let Node::Scalar { tag: Some(tag), .. } = value {
                    binary = tag.is_yaml_core_schema() && tag.suffix == "binary";
                }
                file.content = optional(value)?.unwrap_or_default();
            }
            "encoding" => file.encoding = optional(value)?,
            "owner" => file.owner = optional(value)?,
            "permissions" => file.permissions = optional(value)?,
            other => dropped.push(other.to_string()),
        }
    }
    file.path = path.ok_or(CloudConfigError::MissingPath { index, line: *line })?;
    if binary {
        file.content.retain(|c| !c.is_whitespace());
        file.encoding = Some("b64".to_string());
        notices.push(CloudConfigNotice::BinaryContentEncoded {
            index,
            path: file.path.clone(),
        });
    }
    for key in dropped {
        notices.push(CloudConfigNotice::DroppedWriteFileKey {
            index,
            path: file.path.clone(),
            key,
        });
    }
    Ok(file)
}

// --- writing ---------------------------------------------------------------------------------

/// `s` as a YAML value in block context, for a line whose continuation lines are indented by
/// `indent` spaces: plain when that is unambiguous (for YAML 1.1 readers such as cloud-init's
/// too), a `|` block for multi-line text, otherwise quoted.
fn yaml_string(s: &str, indent: usize) -> String {
    if is_plain_safe(s) {
        return s.to_string();
    }
    if let Some(block) = literal_block(s, indent) {
        return block;
    }
    if !s.contains(['\n', '\r']) && s.chars().all(is_printable) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    double_quoted(s)
}

/// Plain scalars are only used for text that cannot be read as anything but that string:
/// starting with a letter, `/`, `_` or `$`, made of unremarkable characters, not a YAML 1.1
/// boolean or null word.
fn is_plain_safe(s: &str) -> bool {
    const WORDS: [&str; 9] = ["y", "n", "yes", "no", "true", "false", "on", "off", "null"];
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || "/_$".contains(first)) || s.ends_with([' ', ':']) {
        return false;
    }
    if WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) || s.contains(": ") {
        return false;
    }
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || " -_./=+@%$~:,".contains(c))
}

/// A `|` block for multi-line text that a literal block carries unchanged; `None` otherwise.
fn literal_block(s: &str, indent: usize) -> Option<String> {
    if !s.contains('\n') || s.contains('\r') || !s.chars().all(is_printable) {
        return None;
    }
    // The block's indentation is detected from its first non-empty line, which therefore must
    // not start with white space; all-space lines before it would confuse the detection.
    let first = s.split('\n').find(|l| !l.is_empty())?;
    if first.starts_with([' ', '\t']) || first.trim().is_empty() {
        return None;
    }
    let body = s.trim_end_matches('\n');
    let chomp = match s.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let pad = " ".repeat(indent);
    let mut out = format!("|{chomp}");
    for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

/// YAML's printable characters, minus the byte-order mark and the characters YAML 1.1 (and so
/// cloud-init) treats as line breaks (NEL, LS, PS): those are only written escaped.
fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}')
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if !is_printable(c) => {
                let n = u32::from(c);
                if n <= 0xFF {
                    out.push_str(&format!("\\x{n:02X}"));
                } else if n <= 0xFFFF {
                    out.push_str(&format!("\\u{n:04X}"));
                } else {
                    out.push_str(&format!("\\U{n:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_document_that_sets_a_password_is_told_apart() {
        assert!(may_hold_a_password("#cloud-config\npassword: hunter2\n"));
        assert!(may_hold_a_password(
            "#cloud-config\nchpasswd:\n  expire: false\n"
        ));
        assert!(may_hold_a_password(
            "users:\n  - name: ops\n    hashed_passwd: $6$abc\n"
        ));
        assert!(may_hold_a_password(
            "users:\n  - \"plain_text_passwd\": x\n"
        ));
        // Not valid YAML, still judged.
        assert!(may_hold_a_password("runcmd: [\npassword: x"));
        assert!(!may_hold_a_password(
            "#cloud-config\npackages:\n  - htop\nruncmd:\n  - echo password\n"
        ));
        assert!(!may_hold_a_password("runcmd:\n  - passwd -l root\n"));
    }
    use super::*;

    fn example() -> CloudInit {
        CloudInit {
            packages: vec!["htop".into(), "nvtop".into()],
            write_files: vec![WriteFile {
                path: "/etc/motd".into(),
                content: "Welcome to the GPU box\nBe nice.\n".into(),
                encoding: None,
                owner: Some("root:root".into()),
                permissions: Some("0644".into()),
            }],
            runcmd: vec![
                "apt-get update".into(),
                "echo \"done: $(date)\" >> /var/log/boot.txt".into(),
            ],
        }
    }

    #[test]
    fn renders_readable_cloud_config() {
        let yaml = render_cloud_config(&example());
        assert_eq!(
            yaml,
            r#"#cloud-config
packages:
  - htop
  - nvtop
write_files:
  - path: /etc/motd
    owner: root:root
    permissions: '0644'
    content: |
      Welcome to the GPU box
      Be nice.
runcmd:
  - apt-get update
  - 'echo "done: $(date)" >> /var/log/boot.txt'
"#
        );
        let back = parse_cloud_config(&yaml).unwrap();
        assert_eq!(back.cloud_init, example());
        assert_eq!(back.notices, []);
        assert_eq!(
            render_cloud_config(&CloudInit::default()),
            "#cloud-config\n"
        );
    }

    #[test]
    fn parses_a_typical_document_and_reports_what_is_dropped() {
        let yaml = r#"#cloud-config
package_update: true
packages:
  - git
  - [libfoo, 1.2-3]
users:
  - name: alice
write_files:
  - path: /opt/run.sh
    permissions: 0755
    owner: ubuntu:ubuntu
    defer: true
    content: |
      #!/bin/sh
      echo hi
  - path: /opt/blob
    content: !!binary |
      aGVsbG8g
      d29ybGQ=
runcmd:
  - [sh, -c, "echo it's ok > /tmp/x"]
  - nvidia-smi
"#;
        let parsed = parse_cloud_config(yaml).unwrap();
        let c = &parsed.cloud_init;
        assert_eq!(c.packages, ["git", "libfoo=1.2-3"]);
        assert_eq!(c.write_files[0].permissions.as_deref(), Some("0755"));
        assert_eq!(c.write_files[0].owner.as_deref(), Some("ubuntu:ubuntu"));
        assert_eq!(c.write_files[0].content, "#!/bin/sh\necho hi\n");
        assert_eq!(c.write_files[1].content, "aGVsbG8gd29ybGQ=");
        assert_eq!(c.write_files[1].encoding.as_deref(), Some("b64"));
        assert_eq!(
            c.runcmd,
            [r"sh -c 'echo it'\''s ok > /tmp/x'", "nvidia-smi"]
        );
        assert_eq!(
            parsed.notices,
            [
                CloudConfigNotice::DroppedKey {
                    key: "package_update".into()
                },
                CloudConfigNotice::PackageVersionJoined {
                    index: 1,
                    package: "libfoo=1.2-3".into()
                },
                CloudConfigNotice::DroppedKey {
                    key: "users".into()
                },
                CloudConfigNotice::DroppedWriteFileKey {
                    index: 0,
                    path: "/opt/run.sh".into(),
                    key: "defer".into()
                },
                CloudConfigNotice::BinaryContentEncoded {
                    index: 1,
                    path: "/opt/blob".into()
                },
                CloudConfigNotice::RuncmdListJoined {
                    index: 0,
                    line: r"sh -c 'echo it'\''s ok > /tmp/x'".into()
                },
            ]
        );
        let users = parsed.notices[2].to_string();
        assert!(users.contains("\"users\" will be dropped"), "{users}");
        assert!(users.contains("SSH key fields"), "{users}");
    }

    #[test]
    fn documents_that_cannot_be_read_say_why() {
        assert_eq!(
            parse_cloud_config("#!/bin/bash\necho hi\n"),
            Err(CloudConfigError::ShellScript)
        );
        assert_eq!(
            parse_cloud_config("#cloud-config\n- a\n- b\n"),
            Err(CloudConfigError::NotAMapping)
        );
        assert_eq!(
            parse_cloud_config("#cloud-config\nruncmd: ls\n"),
            Err(CloudConfigError::WrongShape {
                place: "runcmd".into(),
                expected: "a list (entries starting with \"- \")",
                line: 2
            })
        );
        assert_eq!(
            parse_cloud_config("#cloud-config\nwrite_files:\n  - content: x\n"),
            Err(CloudConfigError::MissingPath { index: 0, line: 3 })
        );
        assert_eq!(
            parse_cloud_config("a: 1\n---\nb: 2\n"),
            Err(CloudConfigError::SeveralDocuments)
        );
        let err = parse_cloud_config("#cloud-config\nruncmd:\n  - [a\n").unwrap_err();
        assert!(matches!(err, CloudConfigError::Yaml { .. }), "{err:?}");
        assert!(err.to_string().starts_with("The YAML is not valid at line"));
    }

    #[test]
    fn empty_documents_and_missing_headers() {
        for empty in [
            "",
            "#cloud-config\n",
            "#cloud-config\n# nothing yet\n",
            "#cloud-config\nruncmd:\n",
        ] {
            let parsed = parse_cloud_config(empty).unwrap();
            assert!(parsed.cloud_init.is_empty(), "{empty:?}");
            assert_eq!(parsed.notices, [], "{empty:?}");
        }
        let parsed = parse_cloud_config("runcmd: [ls]").unwrap();
        assert_eq!(parsed.cloud_init.runcmd, ["ls"]);
        assert_eq!(parsed.notices, [CloudConfigNotice::MissingHeader]);
    }

    #[test]
    fn anchors_and_aliases_are_followed() {
        let yaml = "#cloud-config\nx-common: &cmd echo shared\nruncmd:\n  - *cmd\n  - *cmd\n";
        let parsed = parse_cloud_config(yaml).unwrap();
        assert_eq!(parsed.cloud_init.runcmd, ["echo shared", "echo shared"]);
    }

    #[test]
    fn tricky_strings_survive_the_round_trip() {
        let mut strings: Vec<String> = [
            "",
            " ",
            "  lead",
            "trail ",
            "yes",
            "No",
            "ON",
            "null",
            "~",
            "0644",
            "0x1F",
            "1e3",
            "12:30",
            ".inf",
            "-",
            "- item",
            "? q",
            ": x",
            "a: b",
            "a #b",
            "#comment",
            "key:",
            "'single'",
            "\"double\"",
            "back\\slash",
            "tab\there",
            "{flow}",
            "[list]",
            "*alias",
            "&anchor",
            "!tag",
            "%dir",
            "@at",
            "`tick`",
            "|",
            ">",
            "caf\u{e9}",
            "\u{1F680} rocket",
            "bell\u{7}",
            "del\u{7F}",
            "c1\u{85}",
            "ls\u{2028}",
            "ps\u{2029}",
            "bom\u{FEFF}",
            "nul\0",
            "cr\rlf",
            "line\n",
            "line\n\n",
            "line\n\n\n",
            "\nleading newline",
            "two\nlines",
            "  indented\nblock",
            "a\n  b\n\tc\n",
            "a\n \nb",
            "\n",
            "\n\n",
            "a\n---\nb",
            "a\n...\n",
            "ends with space \nx",
            "${{secret.API_KEY}}",
            "echo \"done: $(date)\" >> /var/log/x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // And pseudo-random mixes of awkward characters.
        let alphabet: Vec<char> = "a -:#'\"\\\n\t{}[],&*!|>%@`?0~é\r".chars().collect();
        let mut seed = 0x2545_f491_u64;
        for _ in 0..400 {
            let len = (seed % 12) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            seed = seed.wrapping_add(0x9e37_79b9);
            strings.push(s);
        }
        for s in strings {
            let c = CloudInit {
                packages: vec![s.clone()],
                write_files: vec![WriteFile {
                    path: s.clone(),
                    content: s.clone(),
                    encoding: Some(s.clone()),
                    owner: None,
                    permissions: Some(s.clone()),
                }],
                runcmd: vec![s.clone(), "after".into()],
            };
            let yaml = render_cloud_config(&c);
            let back = parse_cloud_config(&yaml)
                .unwrap_or_else(|e| panic!("{s:?} rendered as\n{yaml}\nfailed: {e}"));
            assert_eq!(back.cloud_init, c, "{s:?} rendered as\n{yaml}");
        }
    }

    #[test]
    fn secret_references_are_found_with_their_field() {
        let mut c = example();
        c.runcmd
            .push("curl -H 'Authorization: ${{secret.API_KEY}}' https://x".into());
        c.write_files[0].content =
            "A=${{ secret.db pass }}\nB=${{other.X}}\nC=${{secret.}}\n".into();
        assert_eq!(
            find_secret_references(&c),
            [
                SecretReference {
                    key: "db pass".into(),
                    field: "write_files.0.content".into()
                },
                SecretReference {
                    key: "API_KEY".into(),
                    field: "runcmd.2".into()
                },
            ]
        );
        assert_eq!(secret_keys_in("${{secret.A}}${{secret.B}} ${{"), ["A", "B"]);
        assert_eq!(secret_keys_in("no references"), Vec::<String>::new());
    }

    #[test]
    fn validation_request_and_answer() {
        let req = validate_cloud_init(
            CloudInitTarget::InstantVm,
            CloudInitContent::Text("text".into()),
        );
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/api/v1/validate/cloudinit");
        assert!(!req.headers.iter().any(|(k, _)| k == "Authorization"));
        // The document's example body.
        let body: serde_json::Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"type": "instant-vm", "content": "text"})
        );
        let req = validate_cloud_init(
            CloudInitTarget::BareMetal,
            CloudInitContent::Object(CloudInit {
                runcmd: vec!["ls".into()],
                ..CloudInit::default()
            }),
        );
        let body: serde_json::Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"type": "baremetal", "content": {"runcmd": ["ls"]}})
        );
        // The document's example answer.
        let answer: CloudInitValidation = crate::read_response(
            Provider::VoltagePark,
            200,
            r#"{"error": true, "message": "text"}"#,
        )
        .unwrap();
        assert!(answer.error);
        assert_eq!(answer.message.as_deref(), Some("text"));
        let ok: CloudInitValidation =
            serde_json::from_str(r#"{"error": false, "message": null}"#).unwrap();
        assert_eq!(ok.message, None);
    }
}
