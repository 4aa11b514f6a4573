//! Checking a pasted OpenSSH public key before it is sent anywhere: its type, its SHA256
//! fingerprint as `ssh-keygen -lf` prints it, and its comment; and refusing private keys.
//!
//! Used by the deploy forms (extra keys for one machine) and the SSH keys page (keys registered
//! with the organisation).

use ssh_key::public::KeyData;
use ssh_key::{Algorithm, EcdsaCurve, HashAlg, PublicKey};

/// The key types cloudpane accepts, as OpenSSH names them on the line.
pub const ACCEPTED_KEY_TYPES: [&str; 7] = [
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// OpenSSH (since 9.1) refuses RSA keys shorter than this by default (`RequiredRSASize`).
pub const MIN_RSA_BITS: u32 = 1024;

/// The kind of an accepted public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SshKeyType {
    Ed25519,
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    Rsa,
    /// A FIDO/U2F security-key-backed ed25519 key.
    SkEd25519,
    /// A FIDO/U2F security-key-backed ECDSA P-256 key.
    SkEcdsaP256,
}

impl SshKeyType {
    /// The type as written at the start of the key line, e.g. `ssh-ed25519`.
    pub fn algorithm(self) -> &'static str {
        match self {
            SshKeyType::Ed25519 => "ssh-ed25519",
            SshKeyType::EcdsaP256 => "ecdsa-sha2-nistp256",
            SshKeyType::EcdsaP384 => "ecdsa-sha2-nistp384",
            SshKeyType::EcdsaP521 => "ecdsa-sha2-nistp521",
            SshKeyType::Rsa => "ssh-rsa",
            SshKeyType::SkEd25519 => "sk-ssh-ed25519@openssh.com",
            SshKeyType::SkEcdsaP256 => "sk-ecdsa-sha2-nistp256@openssh.com",
        }
    }

    /// The label `ssh-keygen -l` puts in brackets: `ED25519`, `ECDSA`, `RSA`, `ED25519-SK`,
    /// `ECDSA-SK`.
    pub fn label(self) -> &'static str {
        match self {
            SshKeyType::Ed25519 => "ED25519",
            SshKeyType::EcdsaP256 | SshKeyType::EcdsaP384 | SshKeyType::EcdsaP521 => "ECDSA",
            SshKeyType::Rsa => "RSA",
            SshKeyType::SkEd25519 => "ED25519-SK",
            SshKeyType::SkEcdsaP256 => "ECDSA-SK",
        }
    }
}

/// A checked OpenSSH public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshPublicKey {
    pub key_type: SshKeyType,
    /// Key size in bits, as `ssh-keygen -l` gives it (256 for ed25519, the modulus for RSA).
    pub bits: u32,
    /// `SHA256:` and the unpadded base64 digest, exactly as `ssh-keygen -lf` prints it.
    pub fingerprint: String,
    /// The text after the key data (often `user@host`); empty when there is none.
    pub comment: String,
    /// The key as one clean line, `type base64 [comment]`, single spaces: what to send.
    pub line: String,
}

impl SshPublicKey {
    /// The line `ssh-keygen -lf` prints for this key, e.g.
    /// `256 SHA256:XrNw... user@host (ED25519)`.
    pub fn ssh_keygen_line(&self) -> String {
        let comment = if self.comment.is_empty() {
            "no comment"
        } else {
            &self.comment
        };
        format!(
            "{} {} {comment} ({})",
            self.bits,
            self.fingerprint,
            self.key_type.label()
        )
    }
}

/// Which kind of private key was pasted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateKeyFormat {
    /// `-----BEGIN OPENSSH PRIVATE KEY-----`, or its base64 body on its own.
    OpenSsh,
    /// A PEM block such as `-----BEGIN RSA PRIVATE KEY-----`; holds the PEM label.
    Pem(String),
    /// A PuTTY `.ppk` file (`PuTTY-User-Key-File-...`).
    Putty,
    /// An SSH.com / RFC 4716 private key (`---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----`).
    Ssh2,
    /// A line of bare base64 that is no public key's data: a piece of a private key file's
    /// body (PEM or OpenSSH), as when a key is pasted from its middle.
    Body,
}

impl std::fmt::Display for PrivateKeyFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PrivateKeyFormat::OpenSsh => f.write_str("an OpenSSH private key"),
            PrivateKeyFormat::Pem(label) => write!(f, "a PEM \"{label}\" block"),
            PrivateKeyFormat::Putty => f.write_str("a PuTTY private key file (.ppk)"),
            PrivateKeyFormat::Ssh2 => f.write_str("an SSH2 private key"),
            PrivateKeyFormat::Body => f.write_str(
                "text like the inside of a private key file (a line of base64 without a key \
                 type before it)",
            ),
        }
    }
}

/// Why a pasted text is not an acceptable public key. The messages are written for the person
/// who pasted it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SshKeyError {
    #[error(
        "This is {0}, not a public key. It was refused and not sent anywhere: a private key \
         lets whoever holds it log in as you, so it must never leave your computer. Paste the \
         public key instead: the contents of the .pub file, one line starting with ssh-ed25519, \
         ecdsa-sha2-... or ssh-rsa. If you already shared this private key, make a new key pair."
    )]
    PrivateKey(PrivateKeyFormat),
    #[error("Paste a public key: one line such as \"ssh-ed25519 AAAAC3Nza... you@laptop\".")]
    Empty,
    #[error(
        "This is an SSH2 (RFC 4716) public key, as PuTTYgen saves it. Paste the OpenSSH form \
         instead: PuTTYgen shows it under \"Public key for pasting into OpenSSH authorized_keys \
         file\", or convert the file with \"ssh-keygen -i -f key.pub\"."
    )]
    Ssh2PublicKey,
    #[error(
        "This is an SSH certificate ({0}), not a public key. Paste the public key it was issued \
         for (the .pub file without -cert)."
    )]
    Certificate(String),
    #[error(
        "DSA keys (ssh-dss) are refused: OpenSSH no longer accepts them as they are too weak. \
         Make a new key with \"ssh-keygen -t ed25519\"."
    )]
    Dsa,
    #[error(
        "The line starts with authorized_keys options ({0}). Paste only the key, from its type \
         (e.g. ssh-ed25519) onwards."
    )]
    HasOptions(String),
    #[error(
        "\"{0}\" is not a public key type cloudpane accepts. Accepted: ssh-ed25519, \
         ecdsa-sha2-nistp256/384/521, ssh-rsa, sk-ssh-ed25519@openssh.com and \
         sk-ecdsa-sha2-nistp256@openssh.com."
    )]
    UnknownType(String),
    #[error(
        "The key type {0} is there but the key itself (the long base64 text after it) is \
         missing. Copy the whole line from the .pub file."
    )]
    MissingKeyData(String),
    #[error(
        "This is not a valid {0} public key: the key data is damaged, cut off or mistyped. Copy \
         the whole line from the .pub file again."
    )]
    InvalidKeyData(String),
    #[error(
        "The line says {declared} but the key data inside is {actual}: the line was edited or \
         put together from two keys. Copy it from the .pub file again."
    )]
    TypeMismatch { declared: String, actual: String },
    #[error(
        "This RSA key has only {0} bits; OpenSSH refuses RSA keys shorter than 1024 bits. Make \
         a new key with \"ssh-keygen -t ed25519\"."
    )]
    RsaTooShort(u32),
    #[error(
        "This does not look like an SSH public key. A public key is one line such as \
         \"ssh-ed25519 AAAAC3Nza... you@laptop\", the contents of a .pub file."
    )]
    NotAKey,
}

/// The start of a base64-encoded `openssh-key-v1` private key body.
const OPENSSH_PRIVATE_BODY: &str = "b3BlbnNzaC1rZXktdjE";

/// A line of bare base64 at least this long is taken for a piece of a key file's body (PEM
/// wraps at 64 characters, OpenSSH at 70; the last line is shorter). Shorter runs may be a
/// word being typed; a piece that short never reaches a draft either (see
/// [`AcceptedPublicKeys`]).
const BODY_LINE_MIN: usize = 24;

/// A base64 run in a public key's comment at least this long (a full body line) is taken for
/// key material hidden in the comment: no one's comment is a 64-character base64 word.
const BODY_IN_COMMENT_MIN: usize = 64;

/// Finds private key material anywhere in `text`: a whole private key or any piece of one (its
/// `BEGIN`/`END` lines, a PuTTY or SSH2 private key's lines, the `openssh-key-v1` body or the
/// first letters of it, a line of a PEM or OpenSSH body on its own), so that a key pasted from
/// its middle, or typed character by character, is caught too.
///
/// A line that is a complete, valid public key is never taken for private material (only a
/// long base64 run hidden in its comment is), nor are the lines of a public key block (`----
/// BEGIN SSH2 PUBLIC KEY ----`, `-----BEGIN PUBLIC KEY-----`, a certificate), nor a line of
/// public key data without its type (`AAAAC3NzaC1lZDI1NTE5...`).
pub fn find_private_key(text: &str) -> Option<PrivateKeyFormat> {
    if text.contains(OPENSSH_PRIVATE_BODY) {
        return Some(PrivateKeyFormat::OpenSsh);
    }
    let mut in_public_block = false;
    // A body line alone says less than an armour line further on: that one is named.
    let mut body = None;
    for line in text.lines() {
        let line = line.trim();
        if let Ok(key) = parse_key_line(line) {
            if key
                .comment
                .split_ascii_whitespace()
                .any(|word| word.len() >= BODY_IN_COMMENT_MIN && word.bytes().all(is_base64_byte))
            {
                body = Some(PrivateKeyFormat::Body);
            }
            continue;
        }
        if line.starts_with("PuTTY-User-Key-File-")
            || line.starts_with("Private-Lines:")
            || line.starts_with("Private-MAC:")
        {
            return Some(PrivateKeyFormat::Putty);
        }
        if line.starts_with("----") && line.contains("SSH2") && line.contains("PRIVATE") {
            return Some(PrivateKeyFormat::Ssh2);
        }
        if let Some(found) = armour(line, &mut in_public_block) {
            return Some(found);
        }
        for word in line.split_ascii_whitespace() {
            if !word.bytes().all(is_base64_byte) {
                continue;
            }
            // `b3Bl`, `b3BlbnNz`...: the private body's first letters, typed one by one.
            if word.len() >= 4 && OPENSSH_PRIVATE_BODY.starts_with(word) {
                return Some(PrivateKeyFormat::OpenSsh);
            }
            if !in_public_block && word.len() >= BODY_LINE_MIN && !is_public_key_data(word) {
                body = Some(PrivateKeyFormat::Body);
            }
        }
    }
    body
}

/// A PEM or OpenSSH armour line (`-----BEGIN ... PRIVATE KEY-----`, its `END`, or the first
/// words of one being typed) that says the key is private. Notes whether a public block
/// (public key, certificate, SSH2 public key) begins or ends here.
fn armour(line: &str, in_public_block: &mut bool) -> Option<PrivateKeyFormat> {
    let words = line.trim_matches(|c: char| c == '-' || c.is_whitespace());
    let (begins, label) = if let Some(label) = words.strip_prefix("BEGIN ") {
        (true, label)
    } else if let Some(label) = words.strip_prefix("END ") {
        (false, label)
    } else if words.contains("PRIVATE KEY") {
        (false, "PRIVATE KEY")
    } else {
        return None;
    };
    // Only the label: a key pasted as one line has its body after the dashes.
    let label = label.split('-').next().unwrap_or_default().trim();
    if label.starts_with("OPENSSH") {
        return Some(PrivateKeyFormat::OpenSsh);
    }
    if label.contains("PRIV") {
        let plain = label.len() <= 40
            && label
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ');
        let label = if plain { label } else { "PRIVATE KEY" };
        return Some(PrivateKeyFormat::Pem(label.to_string()));
    }
    if label.contains("PUBLIC") || label.contains("CERTIFICATE") {
        *in_public_block = begins;
    }
    None
}

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

/// True when the base64 `data` is (the start of) public key or certificate data without its
/// type: it starts with a length-prefixed algorithm name, as `AAAAC3NzaC1lZDI1NTE5`
/// (`\0\0\0\x0bssh-ed25519`) does. A private key file's body lines start anywhere in the
/// key's bytes.
fn is_public_key_data(data: &str) -> bool {
    let whole = data.len() / 4 * 4;
    let Some(bytes) = decode_base64(&data[..whole]) else {
        return false;
    };
    let Some((len, name)) = bytes.split_first_chunk::<4>() else {
        return false;
    };
    let len = u32::from_be_bytes(*len) as usize;
    let name = &name[..name.len().min(len)];
    (1..=64).contains(&len)
        && name.len() >= len.min(3)
        && name
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-@.".contains(b))
}

/// Checks one pasted public key line: `type base64 [comment]`.
///
/// Surrounding whitespace and a trailing `\r` are ignored; the comment is kept as written
/// (inner runs of spaces included), without surrounding whitespace.
pub fn parse_public_key(text: &str) -> Result<SshPublicKey, SshKeyError> {
    if let Some(format) = find_private_key(text) {
        return Err(SshKeyError::PrivateKey(format));
    }
    parse_key_line(text)
}

/// [`parse_public_key`] without the look for private key material.
fn parse_key_line(text: &str) -> Result<SshPublicKey, SshKeyError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(SshKeyError::Empty);
    }
    if text.starts_with("---- BEGIN SSH2 PUBLIC KEY") {
        return Err(SshKeyError::Ssh2PublicKey);
    }
    if text.lines().count() > 1 {
        // Several lines are only a key when a single key was wrapped; never guess.
        return Err(SshKeyError::NotAKey);
    }
    let (declared, rest) = split_field(text);
    let (data, comment) = split_field(rest);

    if !is_key_type_like(declared) {
        // `from="10.0.0.1",no-pty ssh-ed25519 AAAA...`: options before the key.
        if let Some(at) = ACCEPTED_KEY_TYPES
            .iter()
            .chain(["ssh-dss"].iter())
            .filter_map(|t| find_word(text, t))
            .min()
        {
            return Err(SshKeyError::HasOptions(text[..at].trim().to_string()));
        }
        return Err(SshKeyError::NotAKey);
    }
    if declared.contains("-cert-v01@openssh.com") {
        return Err(SshKeyError::Certificate(declared.to_string()));
    }
    if declared == "ssh-dss" {
        return Err(SshKeyError::Dsa);
    }
    if !ACCEPTED_KEY_TYPES.contains(&declared) {
        let ssh_like = ["ssh-", "ecdsa-", "sk-", "rsa-", "x509v3-"]
            .iter()
            .any(|p| declared.starts_with(p));
        return Err(if ssh_like {
            SshKeyError::UnknownType(declared.to_string())
        } else {
            SshKeyError::NotAKey
        });
    }
    if data.is_empty() {
        return Err(SshKeyError::MissingKeyData(declared.to_string()));
    }

    let key = PublicKey::from_openssh(&format!("{declared} {data}")).map_err(|e| match e {
        // The algorithm inside the data differs from the declared one.
        ssh_key::Error::AlgorithmUnknown => match embedded_algorithm(data) {
            Some(actual) if actual != declared => SshKeyError::TypeMismatch {
                declared: declared.to_string(),
                actual,
            },
            _ => SshKeyError::InvalidKeyData(declared.to_string()),
        },
        _ => SshKeyError::InvalidKeyData(declared.to_string()),
    })?;
    let (key_type, bits) = describe(key.key_data(), declared)?;
    if key_type == SshKeyType::Rsa && bits < MIN_RSA_BITS {
        return Err(SshKeyError::RsaTooShort(bits));
    }
    let comment = comment.to_string();
    let line = if comment.is_empty() {
        format!("{declared} {data}")
    } else {
        format!("{declared} {data} {comment}")
    };
    Ok(SshPublicKey {
        key_type,
        bits,
        fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        comment,
        line,
    })
}

/// One non-blank, non-comment line of a pasted block or `.pub` / `authorized_keys` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLine {
    /// 1-based line number in the pasted text.
    pub line_number: usize,
    pub result: Result<SshPublicKey, SshKeyError>,
}

/// Checks a pasted block or file with one key per line; blank lines and `#` lines are skipped.
///
/// Private key material anywhere refuses the whole block (nothing of it may be sent), so the
/// outer `Err` is always [`SshKeyError::PrivateKey`].
pub fn parse_public_keys(text: &str) -> Result<Vec<KeyLine>, SshKeyError> {
    if let Some(format) = find_private_key(text) {
        return Err(SshKeyError::PrivateKey(format));
    }
    if text.trim_start().starts_with("---- BEGIN SSH2 PUBLIC KEY") {
        return Ok(vec![KeyLine {
            line_number: 1,
            result: Err(SshKeyError::Ssh2PublicKey),
        }]);
    }
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with('#')
        })
        .map(|(i, line)| KeyLine {
            line_number: i + 1,
            result: parse_public_key(line),
        })
        .collect())
}

/// What a draft may keep of a public-key field: only the field's lines that are accepted public
/// keys, each as its clean one-line form. A key still being pasted, a mistyped line, anything
/// private or any piece of it is never kept. Built only from the field's text (and read back the
/// same way), so a draft that holds a key field holds it as this type, and a draft stored by an
/// older version is checked again as it is read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(from = "String", into = "String")]
pub struct AcceptedPublicKeys(String);

impl AcceptedPublicKeys {
    /// The accepted public keys of `text`, one line each (with its newline).
    pub fn from_field(text: &str) -> Self {
        AcceptedPublicKeys(
            text.lines()
                .filter_map(|line| parse_public_key(line).ok())
                .map(|key| format!("{}\n", key.line))
                .collect(),
        )
    }

    /// The text to put back into the field.
    pub fn text(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for AcceptedPublicKeys {
    fn from(text: String) -> Self {
        AcceptedPublicKeys::from_field(&text)
    }
}

impl From<AcceptedPublicKeys> for String {
    fn from(keys: AcceptedPublicKeys) -> Self {
        keys.0
    }
}

/// Checks an SSH key name against Voltage Park's rule: 3 to 64 characters, only letters,
/// digits, hyphens or spaces. `Err` holds the sentence to show under the field.
pub fn check_ssh_key_name(name: &str) -> Result<(), String> {
    let len = name.chars().count();
    if len < 3 {
        return Err("The name needs at least 3 characters.".to_string());
    }
    if len > 64 {
        return Err(format!(
            "The name can have at most 64 characters (this one has {len})."
        ));
    }
    let mut bad: Vec<char> = name
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == ' '))
        .collect();
    bad.dedup();
    if !bad.is_empty() {
        let shown: String = bad
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(format!(
            "The name can only have letters, digits, hyphens and spaces; remove {shown}."
        ));
    }
    Ok(())
}

/// A name that passes [`check_ssh_key_name`], made from a key's comment (`alice@laptop` ->
/// `alice-laptop`), to prefill the name field; `None` when too little is left.
pub fn suggested_key_name(comment: &str) -> Option<String> {
    let mut name = String::new();
    for c in comment.trim().chars() {
        let c = if c.is_ascii_alphanumeric() || c == ' ' {
            c
        } else {
            '-'
        };
        if c == '-' && name.ends_with('-') {
            continue;
        }
        name.push(c);
    }
    let name: String = name.trim_matches('-').trim().chars().take(64).collect();
    let name = name.trim_end().to_string();
    (check_ssh_key_name(&name).is_ok()).then_some(name)
}

/// Splits off the first whitespace-delimited field; the rest is trimmed.
fn split_field(s: &str) -> (&str, &str) {
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    }
}

/// A key type is lowercase letters, digits, `-`, `.` and `@`; options have `=`, `"` or `,`.
fn is_key_type_like(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.@".contains(&b))
}

/// Byte offset of `word` in `text` where it stands as its own whitespace-delimited field.
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before_ok = i == 0 || text[..i].ends_with(char::is_whitespace);
        let after = &text[i + word.len()..];
        before_ok && after.starts_with(char::is_whitespace)
    })
}

/// The algorithm name at the start of a base64 key blob, when it can be read.
fn embedded_algorithm(data: &str) -> Option<String> {
    let bytes = decode_base64(data)?;
    let len = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let name = bytes.get(4..4 + len)?;
    String::from_utf8(name.to_vec()).ok()
}

/// Standard base64 with optional padding; `None` on anything else.
fn decode_base64(data: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for b in data.trim_end_matches('=').bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// The accepted type and size of parsed key data.
fn describe(key: &KeyData, declared: &str) -> Result<(SshKeyType, u32), SshKeyError> {
    let key_type = match key.algorithm() {
        Algorithm::Ed25519 => SshKeyType::Ed25519,
        Algorithm::Ecdsa { curve } => match curve {
            EcdsaCurve::NistP256 => SshKeyType::EcdsaP256,
            EcdsaCurve::NistP384 => SshKeyType::EcdsaP384,
            EcdsaCurve::NistP521 => SshKeyType::EcdsaP521,
        },
        Algorithm::Rsa { .. } => SshKeyType::Rsa,
        Algorithm::SkEd25519 => SshKeyType::SkEd25519,
        Algorithm::SkEcdsaSha2NistP256 => SshKeyType::SkEcdsaP256,
        Algorithm::Dsa => return Err(SshKeyError::Dsa),
        other => return Err(SshKeyError::UnknownType(other.as_str().to_string())),
    };
    let bits = match key_type {
        SshKeyType::EcdsaP384 => 384,
        SshKeyType::EcdsaP521 => 521,
        SshKeyType::Rsa => {
            let modulus = key
                .rsa()
                .and_then(|rsa| rsa.n.as_positive_bytes())
                .ok_or_else(|| SshKeyError::InvalidKeyData(declared.to_string()))?;
            let modulus = match modulus.iter().position(|b| *b != 0) {
                Some(first) => &modulus[first..],
                None => return Err(SshKeyError::InvalidKeyData(declared.to_string())),
            };
            (modulus.len() as u32 - 1) * 8 + (8 - modulus[0].leading_zeros())
        }
        _ => 256,
    };
    Ok((key_type, bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real keys made with `ssh-keygen -t <type> [-b <bits>] -C user@<name>`; the second column
    /// is what `ssh-keygen -lf` (OpenSSH 9.2) printed for each. The two security-key lines were
    /// assembled from the ed25519 and P-256 points below with application `ssh:` (no token at
    /// hand) and fingerprinted by `ssh-keygen -lf` the same way.
    const FIXTURES: [(&str, &str); 8] = [
        (
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFtSXz8FCz2+6rrhxP3yqiwxWZ6lC4pMOxSQwktA9Nc user@ed25519-0",
            "256 SHA256:XrNwoHEHrksmQra/Z7pwOp0mkx1qUu7Rsf78S/n2tyQ user@ed25519-0 (ED25519)",
        ),
        (
            "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA4Zsrk6fckNS7CIeKqSzgIJhvnqyBykGpBbuPHyAQEoYa4luQUQj4WqNUEHk8AKJvB7fOEJtsJ9jZpTAgQqemQ= user@ecdsa-256",
            "256 SHA256:CPeLo1R+OFxG25YVb+YkxbrSL/2tbu37cGh2nUVVVNw user@ecdsa-256 (ECDSA)",
        ),
        (
            "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBO86m43H2ZHciiuV2tKXhaPyFvPaHto9meI9iWUkRtvo8DBjJ3GP0UaH9aHSVUO3Polr9UY9yJphcX++/ecF0ALuYvZklHCNvWWBJWa8TS1Yc01Vz/TyU6IsGeOzjUbBzQ== user@ecdsa-384",
            "384 SHA256:Pg/ROARjQe9Kh82ikOnEEwtURHg2vVMM5I123Rf4h8I user@ecdsa-384 (ECDSA)",
        ),
        (
            "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAG4r07LRxPSekRAcR0Wr+mozv9DZvyRaijvkuTyQtJS2XwgXzYcmbRwCVqd7WApZfoZpiM7u0IJcxV0LGW7ycpFQwAOZ/kTIRfKyHJ18/x8zSWT7Y+0Y+eHZCNzBjYsz/2ru7ZzuGkySjTwfWxofErMEQGwDWX1LTfjdFSEgXO4WhjVoQ== user@ecdsa-521",
            "521 SHA256:SB4588onB2ZjzAZjByD0hkpQgJOE1qb3BN2eipEa3M4 user@ecdsa-521 (ECDSA)",
        ),
        (
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC/MJI7mAuFXFi5vu03c+NmSmoFL1f+4ZX2kQJOlUVK92NeQpOzQbNcRdLaEjuqz4k2F6BQQ98AFm682SjUV6/qy0yskl66sPjis+HBo3AezdCSfti9E5nF31rETg6GcShNEKXurB9C4zBOWHcZ/kehKaCEWuU9z3IfDVKL3ZumBVM3oA1rN6Isg4VaYXuoGaLpxICNf3rjF4sCh1TSqSCcjt7pfw+rgWf8beYWblX3ZdvOlC1AuC78iRTkonjqqCOMJbCG3MqCuTuL2krqfGi8oePh+rJDctiwNtY6u2WktXisRrgoeOiLAxX+c0vKj6FJAGcsU4CmsUcevGaiOVzz user@rsa-2048",
            "2048 SHA256:P4wME2FwJ+8HQdLACC4mGg7/qRDI/hKWVtO5QhN+wPQ user@rsa-2048 (RSA)",
        ),
        (
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC+GsPxvNH4QPa8SoCACL5da2h/jsI8MnSXaBr0ddPMcQ+Xohdnf6gQMe1jAZGjI+XrhFws+RnmEtN8HVGOc/W+tqXm21Scgi1znUXo5Mk/tKqgJLJ+pcgV+46OI82bcdflVi4zqUSmeUB8SMsKKpQqy6ZAUx3YWOVTLe4LSQYmlfFjY1YRDUzo7duzpe8gTPR8vC3Rpwa83o0P1N+BvExpObHYxVO16hNEfDHVTe0nZxcF9mXph3qfxJT5ATB6L41NeEh14QdjRNzLXNpRxq434Ehmb9X2V72MQ3esUX39CsWhHtbwZ+0lsIDREy1PdzNm3RN4K/1iy8u8rrKmVrZ+vV4jccceP3FusOmPtw1SHgBYcbhsfYDPcsa84LqWm1KAt6lr082jqGS1M9ECgLAWTwYis2b5yPyQa0WDJs6FfjorBaxw91vdyfom/0DcbtvAai44BUu8NjfgwewxRu/3BwNPTi4xTh2wpTdASk0Tneh7g8oD0/FrpKns+91lJYs= user@rsa-3072",
            "3072 SHA256:BnI9VoyQVc1kXNX1rnjsbGR+jaRdOmFDyOOzYYKXJxQ user@rsa-3072 (RSA)",
        ),
        (
            "sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIGFtSXz8FCz2+6rrhxP3yqiwxWZ6lC4pMOxSQwktA9NcAAAABHNzaDo= user@sk-ed",
            "256 SHA256:G2ksnmc7dJhgB7BqxDlR6Uz3bS096gCG0ScnP7tE4dI user@sk-ed (ED25519-SK)",
        ),
        (
            "sk-ecdsa-sha2-nistp256@openssh.com AAAAInNrLWVjZHNhLXNoYTItbmlzdHAyNTZAb3BlbnNzaC5jb20AAAAIbmlzdHAyNTYAAABBBA4Zsrk6fckNS7CIeKqSzgIJhvnqyBykGpBbuPHyAQEoYa4luQUQj4WqNUEHk8AKJvB7fOEJtsJ9jZpTAgQqemQAAAAEc3NoOg== user@sk-ec",
            "256 SHA256:YPQ9KfcVGPBW8tIIFzYWOL0zQq70Vax+bAl15DQwC6U user@sk-ec (ECDSA-SK)",
        ),
    ];

    /// A throwaway key made for this test with `ssh-keygen -t ed25519 -N ''`; never used anywhere.
    const PRIVATE_KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXAAAAJiy1gIistYC
IgAAAAtzc2gtZWQyNTUxOQAAACBhbUl8/BQs9vuq64cT98qosMVmepQuKTDsUkMJLQPTXA
AAAEBDZkpyGIhnQ/o44e4jfIz2niZ89qnA1+mUZkCTuOBUKWFtSXz8FCz2+6rrhxP3yqiw
xWZ6lC4pMOxSQwktA9NcAAAADnVzZXJAZWQyNTUxOS0wAQIDBAUGBw==
-----END OPENSSH PRIVATE KEY-----
";

    #[test]
    fn fingerprints_match_ssh_keygen_for_every_accepted_type() {
        let types = [
            SshKeyType::Ed25519,
            SshKeyType::EcdsaP256,
            SshKeyType::EcdsaP384,
            SshKeyType::EcdsaP521,
            SshKeyType::Rsa,
            SshKeyType::Rsa,
            SshKeyType::SkEd25519,
            SshKeyType::SkEcdsaP256,
        ];
        for ((line, keygen), key_type) in FIXTURES.iter().zip(types) {
            let key = parse_public_key(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(key.key_type, key_type);
            assert_eq!(key.ssh_keygen_line(), *keygen);
            assert_eq!(key.line, *line);
            assert!(key.fingerprint.starts_with("SHA256:") && !key.fingerprint.ends_with('='));
            assert_eq!(key.key_type.algorithm(), line.split(' ').next().unwrap());
        }
    }

    #[test]
    fn whitespace_and_comments_are_tidied() {
        let (line, _) = FIXTURES[0];
        let (data, _) = line.rsplit_once(' ').unwrap();
        let key = parse_public_key(&format!("  {}\t \r\n", data.replacen(' ', "\t", 1))).unwrap();
        assert_eq!(key.comment, "");
        assert_eq!(key.line, data);
        assert!(key.ssh_keygen_line().ends_with(" no comment (ED25519)"));
        let key = parse_public_key(&format!("{data}  Alice's  laptop ")).unwrap();
        assert_eq!(key.comment, "Alice's  laptop");
    }

    #[test]
    fn private_keys_are_refused_with_the_reason() {
        for pasted in [
            PRIVATE_KEY.to_string(),
            // Only the body, without the armour lines.
            PRIVATE_KEY.lines().nth(1).unwrap().to_string(),
        ] {
            let err = parse_public_key(&pasted).unwrap_err();
            assert_eq!(err, SshKeyError::PrivateKey(PrivateKeyFormat::OpenSsh));
            let msg = err.to_string();
            assert!(msg.contains("not sent anywhere"), "{msg}");
            assert!(msg.contains("private key"), "{msg}");
        }
        for (header, format) in [
            (
                "-----BEGIN RSA PRIVATE KEY-----",
                PrivateKeyFormat::Pem("RSA PRIVATE KEY".into()),
            ),
            (
                "-----BEGIN EC PRIVATE KEY-----",
                PrivateKeyFormat::Pem("EC PRIVATE KEY".into()),
            ),
            (
                "-----BEGIN DSA PRIVATE KEY-----",
                PrivateKeyFormat::Pem("DSA PRIVATE KEY".into()),
            ),
            (
                "-----BEGIN PRIVATE KEY-----",
                PrivateKeyFormat::Pem("PRIVATE KEY".into()),
            ),
            (
                "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none",
                PrivateKeyFormat::Putty,
            ),
            (
                "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----",
                PrivateKeyFormat::Ssh2,
            ),
        ] {
            let pasted = format!("{header}\nMIIEowIBAAKCAQEA...\n");
            assert_eq!(
                parse_public_key(&pasted),
                Err(SshKeyError::PrivateKey(format.clone()))
            );
            assert!(parse_public_key(&pasted)
                .unwrap_err()
                .to_string()
                .contains(&format.to_string()));
        }
    }

    #[test]
    fn a_block_with_a_private_key_is_refused_whole() {
        let block = format!("{}\n{PRIVATE_KEY}", FIXTURES[0].0);
        assert_eq!(
            parse_public_keys(&block),
            Err(SshKeyError::PrivateKey(PrivateKeyFormat::OpenSsh))
        );
    }

    #[test]
    fn garbage_gets_a_clear_message() {
        let (ed, _) = FIXTURES[0];
        let ed_data = ed.split(' ').nth(1).unwrap();
        let cases: Vec<(String, SshKeyError)> = vec![
            ("".into(), SshKeyError::Empty),
            ("   \n".into(), SshKeyError::Empty),
            ("hello world".into(), SshKeyError::NotAKey),
            (
                "ssh-ed448 AAAA".into(),
                SshKeyError::UnknownType("ssh-ed448".into()),
            ),
            ("Hello, World!".into(), SshKeyError::NotAKey),
            (
                "ssh-ed25519".into(),
                SshKeyError::MissingKeyData("ssh-ed25519".into()),
            ),
            (
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFtSXz8FCz2".into(),
                SshKeyError::InvalidKeyData("ssh-ed25519".into()),
            ),
            (
                "ssh-ed25519 not!base64".into(),
                SshKeyError::InvalidKeyData("ssh-ed25519".into()),
            ),
            (
                format!("ssh-rsa {ed_data}"),
                SshKeyError::TypeMismatch {
                    declared: "ssh-rsa".into(),
                    actual: "ssh-ed25519".into(),
                },
            ),
            (
                format!("no-pty,from=\"10.0.0.1\" {ed}"),
                SshKeyError::HasOptions("no-pty,from=\"10.0.0.1\"".into()),
            ),
            (
                "ssh-ed25519-cert-v01@openssh.com AAAA".into(),
                SshKeyError::Certificate("ssh-ed25519-cert-v01@openssh.com".into()),
            ),
            (
                "ssh-dss AAAAB3NzaC1kc3MAAACBAPRlAEdtPVyO0g== me".into(),
                SshKeyError::Dsa,
            ),
            (
                "---- BEGIN SSH2 PUBLIC KEY ----\nComment: x\nAAAA\n---- END SSH2 PUBLIC KEY ----"
                    .into(),
                SshKeyError::Ssh2PublicKey,
            ),
            (format!("{ed}\n{ed}"), SshKeyError::NotAKey),
        ];
        for (pasted, expected) in cases {
            assert_eq!(parse_public_key(&pasted), Err(expected), "{pasted:?}");
        }
        assert!(SshKeyError::NotAKey.to_string().contains(".pub file"));
    }

    #[test]
    fn a_pasted_file_gives_one_result_per_key_line() {
        let block = format!(
            "# my keys\n\n{}\r\nnot a key\n  \n{}\n",
            FIXTURES[0].0, FIXTURES[4].0
        );
        let lines = parse_public_keys(&block).unwrap();
        let numbers: Vec<usize> = lines.iter().map(|l| l.line_number).collect();
        assert_eq!(numbers, [3, 4, 6]);
        assert_eq!(
            lines[0].result.as_ref().unwrap().key_type,
            SshKeyType::Ed25519
        );
        assert!(lines[1].result.is_err());
        assert_eq!(lines[2].result.as_ref().unwrap().bits, 2048);
        assert_eq!(parse_public_keys("\n# nothing\n").unwrap(), []);
    }

    /// The sections of a `testdata` file: (name, text).
    fn sections(file: &'static str) -> Vec<(&'static str, String)> {
        file.split("=== ")
            .skip(1)
            .map(|section| {
                let (name, text) = section.split_once('\n').unwrap();
                (name, text.to_string())
            })
            .collect()
    }

    fn private_keys() -> Vec<(&'static str, String)> {
        let mut keys = sections(include_str!("../testdata/private_keys.txt"));
        keys.push(("openssh-ed25519", PRIVATE_KEY.to_string()));
        keys
    }

    fn public_keys() -> Vec<(&'static str, String)> {
        sections(include_str!("../testdata/public_keys.txt"))
    }

    /// The lines of a private key's body: base64 only, without the armour and the headers of
    /// an encrypted PEM key (`Proc-Type`, `DEK-Info`).
    fn body_lines(key: &str) -> Vec<&str> {
        key.lines()
            .filter(|l| !l.starts_with("-----") && !l.contains(':') && !l.trim().is_empty())
            .collect()
    }

    #[test]
    fn private_keys_are_found_whole_and_in_any_piece() {
        for (name, key) in private_keys() {
            let lines: Vec<&str> = key.lines().collect();
            let mut pieces = vec![("whole".to_string(), key.clone())];
            for from in 1..lines.len() {
                // The tail, as when the selection started on line `from`.
                pieces.push((
                    format!("tail from line {}", from + 1),
                    lines[from..].join("\n"),
                ));
                // The head up to it.
                pieces.push((format!("head to line {from}"), lines[..from].join("\n")));
            }
            // The body without its armour; every body line a PEM or OpenSSH file has in full.
            pieces.push(("body".into(), body_lines(&key).join("\n")));
            for line in body_lines(&key) {
                if line.len() >= BODY_LINE_MIN {
                    pieces.push((format!("line {line}"), line.to_string()));
                }
            }
            // The same with Windows line ends, indented, and on one line.
            pieces.push(("CRLF".into(), key.replace('\n', "\r\n")));
            pieces.push(("indented".into(), key.replace('\n', "\n    ")));
            pieces.push(("one line".into(), key.replace('\n', " ")));
            for (what, piece) in pieces {
                assert!(
                    find_private_key(&piece).is_some(),
                    "{name}, {what}: not found in {piece:?}"
                );
                assert!(
                    matches!(parse_public_key(&piece), Err(SshKeyError::PrivateKey(_))),
                    "{name}, {what}"
                );
                assert!(
                    matches!(parse_public_keys(&piece), Err(SshKeyError::PrivateKey(_))),
                    "{name}, {what}"
                );
                // Nothing of it may be kept by a draft.
                assert_eq!(
                    AcceptedPublicKeys::from_field(&piece).text(),
                    "",
                    "{name}, {what}"
                );
            }
        }
    }

    #[test]
    fn the_issue_s_tail_of_id_ed25519_is_refused() {
        // From its fourth line: the secret bytes and the END line.
        let tail: String = PRIVATE_KEY
            .lines()
            .skip(3)
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(tail.starts_with("IgAAAAtzc2gtZWQyNTUxOQAAACBh"));
        assert_eq!(find_private_key(&tail), Some(PrivateKeyFormat::OpenSsh));
        let without_end: String = PRIVATE_KEY
            .lines()
            .skip(3)
            .take(3)
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(find_private_key(&without_end), Some(PrivateKeyFormat::Body));
        let err = parse_public_key(&without_end).unwrap_err().to_string();
        assert!(err.contains("inside of a private key file"), "{err}");
        assert!(err.contains("not sent anywhere"), "{err}");
    }

    /// What a key field does with each keystroke: private key material found, the field keeps
    /// only its complete public keys.
    fn type_into_field(field: &mut String, c: char) {
        field.push(c);
        if find_private_key(field).is_some() {
            *field = AcceptedPublicKeys::from_field(field).text().to_string();
        }
    }

    #[test]
    fn a_private_key_typed_key_by_key_never_stays_in_the_field() {
        for (name, key) in private_keys() {
            let before = format!("{}\n", FIXTURES[4].0);
            let mut field = before.clone();
            let body: Vec<&str> = body_lines(&key);
            for c in key.chars() {
                type_into_field(&mut field, c);
                // The public key typed before it stays; at no moment does the field hold a
                // run of the body long enough to matter after it.
                let typed = field
                    .strip_prefix(&before)
                    .unwrap_or_else(|| panic!("{name}: {field:?}"));
                for line in &body {
                    for at in 0..line.len().saturating_sub(BODY_LINE_MIN - 1) {
                        let run = &line[at..at + BODY_LINE_MIN];
                        assert!(!typed.contains(run), "{name}: {run} stayed in {typed:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn public_keys_are_never_taken_for_private_ones() {
        let mut lines: Vec<String> = FIXTURES.iter().map(|(l, _)| l.to_string()).collect();
        for (name, text) in public_keys() {
            if name.starts_with("openssh-") {
                lines.push(text.trim().to_string());
            }
        }
        for line in &lines {
            assert_eq!(find_private_key(line), None, "{line}");
            // Typed character by character, or pasted without its type or its comment.
            for end in 1..line.len() {
                assert_eq!(find_private_key(&line[..end]), None, "{}", &line[..end]);
            }
            let data = line.split(' ').nth(1).unwrap();
            assert_eq!(find_private_key(data), None, "{data}");
            for end in 1..data.len() {
                assert_eq!(find_private_key(&data[..end]), None, "{}", &data[..end]);
            }
        }
        // Every real public key still reads, with a long comment too.
        for line in lines.iter().filter(|l| !l.contains("-cert-")) {
            assert!(parse_public_key(line).is_ok(), "{line}");
            let long = format!("{line} AVeryLongCommentWithoutSpacesOrPunctuation2024");
            assert!(parse_public_key(&long).is_ok(), "{long}");
        }
        // The other public forms are refused for what they are, never as private keys.
        for (name, text) in public_keys() {
            assert_eq!(find_private_key(&text), None, "{name}");
        }
        let public = public_keys();
        let form = |name: &str| &public.iter().find(|(n, _)| *n == name).unwrap().1;
        assert_eq!(
            parse_public_key(form("ssh2-public")),
            Err(SshKeyError::Ssh2PublicKey)
        );
        assert!(matches!(
            parse_public_key(form("openssh-certificate")),
            Err(SshKeyError::Certificate(_))
        ));
        // Words being typed are not key material.
        for text in [
            "hello",
            "b3B",
            "my laptop key",
            "AAAA",
            "Administrator1234567",
        ] {
            assert_eq!(find_private_key(text), None, "{text}");
        }
    }

    #[test]
    fn key_material_hidden_in_a_comment_is_found() {
        let (ed, _) = FIXTURES[0];
        let body_line = PRIVATE_KEY.lines().nth(4).unwrap();
        assert_eq!(body_line.len(), 70);
        assert_eq!(
            find_private_key(&format!("{ed} {body_line}")),
            Some(PrivateKeyFormat::Body)
        );
        assert_eq!(
            find_private_key(&format!("{ed} b3BlbnNzaC1rZXktdjEAAAA")),
            Some(PrivateKeyFormat::OpenSsh)
        );
        // Before a key, where it would be read as options.
        assert_eq!(
            find_private_key(&format!("{body_line} {ed}")),
            Some(PrivateKeyFormat::Body)
        );
    }

    #[test]
    fn a_one_line_pem_key_is_named_without_its_body() {
        let (_, key) = private_keys()
            .into_iter()
            .find(|(n, _)| *n == "pem-rsa")
            .unwrap();
        let one_line = key.replace('\n', " ");
        let found = find_private_key(&one_line).unwrap();
        assert_eq!(found, PrivateKeyFormat::Pem("RSA PRIVATE KEY".into()));
        let message = SshKeyError::PrivateKey(found).to_string();
        assert!(!message.contains("MII"), "{message}");
    }

    #[test]
    fn drafts_keep_only_accepted_public_keys() {
        let (ed, _) = FIXTURES[0];
        let (rsa, _) = FIXTURES[4];
        let tail: String = PRIVATE_KEY
            .lines()
            .skip(3)
            .map(|l| format!("{l}\n"))
            .collect();
        let field = format!("  {ed}\nssh-ed25519 AAAAC3Nza\n{tail}# a note\n{rsa}\r\n");
        let kept = AcceptedPublicKeys::from_field(&field);
        assert_eq!(kept.text(), format!("{ed}\n{rsa}\n"));
        // Stored as a string, read back through the same check: a draft written before (or by
        // hand) with a private key in it gives nothing of it back.
        let json = serde_json::to_string(&kept).unwrap();
        assert_eq!(json, serde_json::to_string(kept.text()).unwrap());
        let old_draft = serde_json::to_string(&field).unwrap();
        let read: AcceptedPublicKeys = serde_json::from_str(&old_draft).unwrap();
        assert_eq!(read, kept);
        assert!(AcceptedPublicKeys::from_field("ssh-ed25519 AAAAC3Nza").is_empty());
    }

    #[test]
    fn key_names_follow_the_documented_rule() {
        assert_eq!(check_ssh_key_name("My-SSH-Public-Key"), Ok(()));
        assert_eq!(check_ssh_key_name("abc"), Ok(()));
        assert_eq!(check_ssh_key_name("lab key 2"), Ok(()));
        assert!(check_ssh_key_name("ab").unwrap_err().contains("at least 3"));
        assert_eq!(check_ssh_key_name(&"a".repeat(64)), Ok(()));
        assert!(check_ssh_key_name(&"a".repeat(65))
            .unwrap_err()
            .contains("at most 64"));
        let err = check_ssh_key_name("alice@laptop_1").unwrap_err();
        assert!(err.contains("\"@\", \"_\""), "{err}");
        assert!(check_ssh_key_name("clé").is_err());
        assert_eq!(
            suggested_key_name("alice@laptop.local").as_deref(),
            Some("alice-laptop-local")
        );
        assert_eq!(suggested_key_name("@@"), None);
        assert_eq!(suggested_key_name(&"x".repeat(80)).unwrap().len(), 64);
    }
}
