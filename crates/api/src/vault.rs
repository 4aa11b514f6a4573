//! The accounts vault's stored format: what "Remember on this device" writes to local storage and
//! what an exported backup file holds.
//!
//! The record keeps no secret: the accounts (with their tokens) are one JSON document,
//! [`VaultContents`], encrypted with AES-GCM-256 under a key derived from the passphrase with
//! PBKDF2-SHA-256. The record stores only what is needed to derive the key again and decrypt:
//! the iteration count, the salt, the IV and the ciphertext (tag included), plus a small
//! `check` (the same key sealing a fixed text under its own IV) that tells a wrong passphrase
//! from a damaged record. The cryptography itself is the browser's WebCrypto (`src/vault.rs`);
//! nothing here encrypts.

use base64ct::Encoding;
use serde::{Deserialize, Serialize};

use crate::Provider;

/// The `format` field of every record.
pub const FORMAT: &str = "cloudpane-vault";
/// The record layout this code writes and reads.
pub const VERSION: u32 = 1;
/// The key derivation, by its WebCrypto names.
pub const KDF: &str = "PBKDF2-SHA-256";
/// The cipher, by its WebCrypto name and key length.
pub const CIPHER: &str = "AES-GCM-256";
/// PBKDF2 iterations for every new record (OWASP's figure for PBKDF2-HMAC-SHA256).
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// A record asking for more than this is refused, so a hostile backup file cannot hang the tab.
pub const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// Random salt per passphrase, in bytes.
pub const SALT_LEN: usize = 16;
/// Random IV per write, in bytes (AES-GCM's standard 96 bits).
pub const IV_LEN: usize = 12;
/// AES-GCM's tag, appended to every ciphertext by WebCrypto, in bytes.
pub const TAG_LEN: usize = 16;
/// The local storage key of the remembered record.
pub const STORAGE_KEY: &str = "cloudpane.vault";
/// What `check` seals: a fixed, public text.
pub const CHECK_PLAINTEXT: &[u8] = b"cloudpane-vault-check";
/// Bound to every ciphertext as AES-GCM's additional data, so a record cannot be passed off as
/// another format's.
pub const ADDITIONAL_DATA: &[u8] = b"cloudpane-vault/1";
/// The suggested file name of an exported backup.
pub const BACKUP_FILE_NAME: &str = "cloudpane-accounts.vault.json";
/// The shortest passphrase accepted for a new vault.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

/// One stored vault: only public parameters and ciphertext, every byte string in base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultRecord {
    pub format: String,
    pub version: u32,
    pub kdf: String,
    pub iterations: u32,
    pub salt: String,
    pub cipher: String,
    /// The IV of `check`.
    pub check_iv: String,
    /// [`CHECK_PLAINTEXT`] sealed with the key: only the right passphrase opens it.
    pub check: String,
    /// The IV of `ciphertext`, fresh on every write.
    pub iv: String,
    /// [`VaultContents`] as JSON, sealed with the key (AES-GCM tag included).
    pub ciphertext: String,
}

/// A record's fields, decoded and checked, ready for WebCrypto.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedVault {
    pub iterations: u32,
    pub salt: Vec<u8>,
    pub check_iv: Vec<u8>,
    pub check: Vec<u8>,
    pub iv: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

/// Why stored or imported text is not a vault this code can open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultFormatError {
    #[error("This is not a cloudpane accounts file.")]
    NotAVault,
    #[error("This accounts file was written by a newer cloudpane (format version {0}); update this console to open it.")]
    NewerVersion(u32),
    #[error("This accounts file uses {0}, which this console does not support.")]
    UnsupportedAlgorithm(String),
    #[error("This accounts file asks for {0} key-derivation rounds; cloudpane accepts 600,000 to 10,000,000.")]
    Iterations(u32),
    #[error("This accounts file is damaged: its {0} is not what it should be.")]
    Damaged(&'static str),
}

impl SealedVault {
    /// The record to store or export.
    pub fn to_record(&self) -> VaultRecord {
        VaultRecord {
            format: FORMAT.into(),
            version: VERSION,
            kdf: KDF.into(),
            iterations: self.iterations,
            salt: base64_encode(&self.salt),
            cipher: CIPHER.into(),
            check_iv: base64_encode(&self.check_iv),
            check: base64_encode(&self.check),
            iv: base64_encode(&self.iv),
            ciphertext: base64_encode(&self.ciphertext),
        }
    }

    /// The record as stored: one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_record()).expect("a record always serializes")
    }

    /// Reads stored or imported text, checking everything that can be checked without the key.
    pub fn from_json(text: &str) -> Result<SealedVault, VaultFormatError> {
        let value: serde_json::Value =
            serde_json::from_str(text.trim()).map_err(|_| VaultFormatError::NotAVault)?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(VaultFormatError::NotAVault);
        }
        match value.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == u64::from(VERSION) => {}
            Some(v) if v > u64::from(VERSION) => {
                return Err(VaultFormatError::NewerVersion(
                    u32::try_from(v).unwrap_or(u32::MAX),
                ))
            }
            _ => return Err(VaultFormatError::Damaged("version")),
        }
        let record: VaultRecord =
            serde_json::from_value(value).map_err(|_| VaultFormatError::Damaged("layout"))?;
        record.open()
    }
}

impl VaultRecord {
    fn open(&self) -> Result<SealedVault, VaultFormatError> {
        if self.kdf != KDF {
            return Err(VaultFormatError::UnsupportedAlgorithm(self.kdf.clone()));
        }
        if self.cipher != CIPHER {
            return Err(VaultFormatError::UnsupportedAlgorithm(self.cipher.clone()));
        }
        if !(PBKDF2_ITERATIONS..=MAX_PBKDF2_ITERATIONS).contains(&self.iterations) {
            return Err(VaultFormatError::Iterations(self.iterations));
        }
        let bytes = |field: &'static str, text: &str, len: Option<usize>| {
            let decoded = base64_decode(text).ok_or(VaultFormatError::Damaged(field))?;
            match len {
                Some(n) if decoded.len() != n => Err(VaultFormatError::Damaged(field)),
                None if decoded.len() < TAG_LEN => Err(VaultFormatError::Damaged(field)),
                _ => Ok(decoded),
            }
        };
        Ok(SealedVault {
            iterations: self.iterations,
            salt: bytes("salt", &self.salt, Some(SALT_LEN))?,
            check_iv: bytes("check IV", &self.check_iv, Some(IV_LEN))?,
            check: bytes("check", &self.check, Some(CHECK_PLAINTEXT.len() + TAG_LEN))?,
            iv: bytes("IV", &self.iv, Some(IV_LEN))?,
            ciphertext: bytes("ciphertext", &self.ciphertext, None)?,
        })
    }
}

/// One account as kept inside the encrypted contents.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAccount {
    pub provider: Provider,
    pub name: String,
    pub token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_login: Option<String>,
    /// The account in use for its provider.
    #[serde(default)]
    pub active: bool,
    /// The provider no longer accepts the token (API access was disabled, or the token
    /// replaced, from this console): the account is kept to say so, and never used.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

impl std::fmt::Debug for StoredAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.debug_struct("StoredAccount")
            .field("provider", &self.provider)
            .field("name", &self.name)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

/// What the ciphertext holds once decrypted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct VaultContents {
    pub accounts: Vec<StoredAccount>,
}

impl VaultContents {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("contents always serialize")
    }

    /// Decrypted bytes that are not contents mean a record from something else, sealed with the
    /// same passphrase: treated as damage.
    pub fn from_bytes(bytes: &[u8]) -> Result<VaultContents, VaultFormatError> {
        serde_json::from_slice(bytes).map_err(|_| VaultFormatError::Damaged("contents"))
    }
}

/// Why a new passphrase is refused, if it is.
pub fn passphrase_problem(passphrase: &str, confirmation: &str) -> Option<&'static str> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        Some("Use at least 10 characters; a few unrelated words are easy to remember and hard to guess.")
    } else if passphrase != confirmation {
        Some("The two passphrases differ; type the same one twice.")
    } else {
        None
    }
}

/// What is said when the accounts lock themselves after `idle_seconds` without activity: in the
/// live region, and on the lock screen.
pub fn idle_lock_message(idle_seconds: u32) -> String {
    let (n, unit) = match idle_seconds {
        s if s >= 3600 && s % 3600 == 0 => (s / 3600, "hour"),
        s if s >= 60 && s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    let units = format!("{unit}s");
    format!(
        "Accounts locked after {} without activity.",
        crate::words::count(n as usize, unit, &units)
    )
}

/// Standard base64 with padding (RFC 4648 section 4), by `base64ct` (already linked through
/// `ssh-key`; constant-time, which suits key material).
pub fn base64_encode(bytes: &[u8]) -> String {
    base64ct::Base64::encode_string(bytes)
}

/// Decodes [`base64_encode`]'s output; `None` for anything else (wrong length, stray
/// characters, padding in the middle, non-zero trailing bits).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    base64ct::Base64::decode_vec(text).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_idle_lock_says_after_how_long() {
        assert_eq!(
            idle_lock_message(15 * 60),
            "Accounts locked after 15 minutes without activity."
        );
        assert_eq!(
            idle_lock_message(60),
            "Accounts locked after 1 minute without activity."
        );
        assert_eq!(
            idle_lock_message(7200),
            "Accounts locked after 2 hours without activity."
        );
        assert_eq!(
            idle_lock_message(90),
            "Accounts locked after 90 seconds without activity."
        );
        assert_eq!(
            idle_lock_message(1),
            "Accounts locked after 1 second without activity."
        );
    }

    use super::*;

    fn sealed() -> SealedVault {
        SealedVault {
            iterations: PBKDF2_ITERATIONS,
            salt: (0..16).collect(),
            check_iv: vec![7; 12],
            check: vec![9; CHECK_PLAINTEXT.len() + TAG_LEN],
            iv: (100..112).collect(),
            ciphertext: (0..=255).collect(),
        }
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64_encode(plain.as_bytes()), encoded);
            assert_eq!(base64_decode(encoded).unwrap(), plain.as_bytes());
        }
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(base64_decode(&base64_encode(&all)).unwrap(), all);
    }

    #[test]
    fn base64_refuses_what_it_did_not_write() {
        for bad in [
            "Zg=", "Zg=a", "Z===", "Zh==", "Zm9v!A==", "Zg==Zg==", "Zm 9v",
        ] {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_record_round_trips_and_names_its_algorithms() {
        let json = sealed().to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["format"], "cloudpane-vault");
        assert_eq!(value["version"], 1);
        assert_eq!(value["kdf"], "PBKDF2-SHA-256");
        assert_eq!(value["cipher"], "AES-GCM-256");
        assert_eq!(value["iterations"], 600_000);
        assert_eq!(value["salt"], "AAECAwQFBgcICQoLDA0ODw==");
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys.len(),
            10,
            "only the documented fields are stored: {keys:?}"
        );
        assert_eq!(SealedVault::from_json(&json).unwrap(), sealed());
    }

    #[test]
    fn other_text_is_not_a_vault() {
        for text in ["", "{}", "[]", "hello", r#"{"format":"other","version":1}"#] {
            assert_eq!(
                SealedVault::from_json(text),
                Err(VaultFormatError::NotAVault)
            );
        }
    }

    #[test]
    fn a_newer_version_asks_for_an_update() {
        let mut value: serde_json::Value = serde_json::from_str(&sealed().to_json()).unwrap();
        value["version"] = 2.into();
        let err = SealedVault::from_json(&value.to_string()).unwrap_err();
        assert_eq!(err, VaultFormatError::NewerVersion(2));
        assert!(err.to_string().contains("newer cloudpane"));
    }

    #[test]
    fn weak_or_huge_iteration_counts_are_refused() {
        for n in [1_000u32, 599_999, 10_000_001] {
            let mut record = sealed();
            record.iterations = n;
            assert_eq!(
                SealedVault::from_json(&record.to_json()),
                Err(VaultFormatError::Iterations(n))
            );
        }
    }

    #[test]
    fn damaged_fields_are_named() {
        let cases: [(&str, serde_json::Value, &str); 5] = [
            ("salt", "AAEC".into(), "salt"),
            ("iv", "not base64!".into(), "IV"),
            ("check", "AAAA".into(), "check"),
            ("ciphertext", "AAAA".into(), "ciphertext"),
            ("iterations", "many".into(), "layout"),
        ];
        for (field, bad, named) in cases {
            let mut value: serde_json::Value = serde_json::from_str(&sealed().to_json()).unwrap();
            value[field] = bad;
            assert_eq!(
                SealedVault::from_json(&value.to_string()),
                Err(VaultFormatError::Damaged(named)),
                "{field}"
            );
        }
        let mut value: serde_json::Value = serde_json::from_str(&sealed().to_json()).unwrap();
        value["cipher"] = "AES-CBC-128".into();
        assert_eq!(
            SealedVault::from_json(&value.to_string()),
            Err(VaultFormatError::UnsupportedAlgorithm("AES-CBC-128".into()))
        );
    }

    #[test]
    fn contents_round_trip_and_never_debug_print_a_token() {
        let contents = VaultContents {
            accounts: vec![StoredAccount {
                provider: Provider::VoltagePark,
                name: "prod".into(),
                token: "vp-secret-token-123".into(),
                vm_login: Some("ubuntu".into()),
                active: true,
                disabled: false,
            }],
        };
        assert_eq!(
            VaultContents::from_bytes(&contents.to_bytes()).unwrap(),
            contents
        );
        assert!(!format!("{contents:?}").contains("vp-secret-token-123"));
        assert_eq!(
            VaultContents::from_bytes(b"{\"something\":1"),
            Err(VaultFormatError::Damaged("contents"))
        );
    }

    #[test]
    fn passphrases_need_length_and_the_same_twice() {
        assert!(passphrase_problem("short", "short")
            .unwrap()
            .contains("10 characters"));
        assert!(passphrase_problem("correct horse", "correct hose")
            .unwrap()
            .contains("differ"));
        assert_eq!(passphrase_problem("correct horse", "correct horse"), None);
    }
}
