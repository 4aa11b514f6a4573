//! The accounts vault's cryptography, all of it the browser's WebCrypto: PBKDF2-SHA-256 derives
//! a non-extractable AES-GCM-256 key from the passphrase; AES-GCM seals the accounts under a fresh
//! random IV on every write. The stored format is `cloudpane_api::vault`.

use cloudpane_api::vault::{
    SealedVault, VaultContents, VaultFormatError, ADDITIONAL_DATA, CHECK_PLAINTEXT, IV_LEN,
    PBKDF2_ITERATIONS, SALT_LEN,
};
use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesDerivedKeyParams, AesGcmParams, CryptoKey, Pbkdf2Params, SubtleCrypto};

/// Why the vault could not be opened or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultError {
    /// The passphrase does not open this record; nothing was changed.
    WrongPassphrase,
    /// The passphrase is right but the ciphertext fails AES-GCM's tag: altered or damaged.
    CannotDecrypt,
    /// Not a vault record, or one this console cannot read.
    Format(VaultFormatError),
    /// WebCrypto is missing (an insecure origin) or failed.
    Unavailable(String),
}

impl std::fmt::Display for VaultError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VaultError::WrongPassphrase => f.write_str("That passphrase does not unlock these accounts. Nothing was changed; try again."),
            VaultError::CannotDecrypt => f.write_str("The saved accounts cannot be decrypted: the passphrase is right, but the stored data was altered or damaged (its AES-GCM check failed). Import a backup, or forget the saved accounts and add them again."),
            VaultError::Format(e) => write!(f, "{e}"),
            VaultError::Unavailable(why) => write!(f, "This browser cannot encrypt here ({why}). Open the console over HTTPS or on localhost."),
        }
    }
}

/// The key that unlocks one vault: derived once per unlock, never extractable, dropped on lock.
#[derive(Clone)]
pub struct VaultKey {
    key: CryptoKey,
    salt: Vec<u8>,
    iterations: u32,
}

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultKey").finish_non_exhaustive()
    }
}

fn subtle() -> Result<SubtleCrypto, VaultError> {
    let crypto = web_sys::window()
        .ok_or_else(|| VaultError::Unavailable("no window".into()))?
        .crypto()
        .map_err(|_| VaultError::Unavailable("no crypto".into()))?;
    Ok(crypto.subtle())
}

fn unavailable(_: JsValue) -> VaultError {
    // A JS error's text could only name the operation; say which one instead.
    VaultError::Unavailable("WebCrypto refused the operation".into())
}

/// `n` bytes from the browser's cryptographic random source.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, VaultError> {
    let mut bytes = vec![0u8; n];
    web_sys::window()
        .ok_or_else(|| VaultError::Unavailable("no window".into()))?
        .crypto()
        .map_err(|_| VaultError::Unavailable("no crypto".into()))?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(unavailable)?;
    Ok(bytes)
}

impl VaultKey {
    /// A key for a new vault (or a new passphrase): fresh salt, today's iteration count.
    pub async fn create(passphrase: &str) -> Result<VaultKey, VaultError> {
        VaultKey::derive(passphrase, random_bytes(SALT_LEN)?, PBKDF2_ITERATIONS).await
    }

    /// PBKDF2-SHA-256 → AES-GCM-256, non-extractable, for encrypt and decrypt only.
    pub async fn derive(
        passphrase: &str,
        salt: Vec<u8>,
        iterations: u32,
    ) -> Result<VaultKey, VaultError> {
        let subtle = subtle()?;
        let secret = Uint8Array::from(passphrase.as_bytes());
        let base = JsFuture::from(
            subtle
                .import_key_with_str(
                    "raw",
                    &secret,
                    "PBKDF2",
                    false,
                    &Array::of1(&"deriveKey".into()),
                )
                .map_err(unavailable)?,
        )
        .await
        .map_err(unavailable)?;
        secret.fill(0, 0, secret.length());
        let base: CryptoKey = base.unchecked_into();
        let params = Pbkdf2Params::new_with_str(
            "PBKDF2",
            "SHA-256",
            iterations,
            &Uint8Array::from(&salt[..]),
        );
        let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
        let key = JsFuture::from(
            subtle
                .derive_key_with_object_and_object(
                    &params,
                    &base,
                    &AesDerivedKeyParams::new("AES-GCM", 256),
                    false,
                    &usages,
                )
                .map_err(unavailable)?,
        )
        .await
        .map_err(unavailable)?;
        Ok(VaultKey {
            key: key.unchecked_into(),
            salt,
            iterations,
        })
    }

    /// Opens a stored record: derives its key from the passphrase, checks it, decrypts.
    pub async fn unlock(
        passphrase: &str,
        sealed: &SealedVault,
    ) -> Result<(VaultKey, VaultContents), VaultError> {
        let key = VaultKey::derive(passphrase, sealed.salt.clone(), sealed.iterations).await?;
        let check = key
            .decrypt(&sealed.check_iv, &sealed.check)
            .await
            .map_err(|_| VaultError::WrongPassphrase)?;
        if check != CHECK_PLAINTEXT {
            return Err(VaultError::WrongPassphrase);
        }
        let plain = key
            .decrypt(&sealed.iv, &sealed.ciphertext)
            .await
            .map_err(|_| VaultError::CannotDecrypt)?;
        let contents = VaultContents::from_bytes(&plain).map_err(|_| VaultError::CannotDecrypt)?;
        Ok((key, contents))
    }

    /// Seals `contents` into a new record, each part under a fresh random IV.
    pub async fn seal(&self, contents: &VaultContents) -> Result<SealedVault, VaultError> {
        let check_iv = random_bytes(IV_LEN)?;
        let check = self.encrypt(&check_iv, CHECK_PLAINTEXT).await?;
        let iv = random_bytes(IV_LEN)?;
        let mut plain = contents.to_bytes();
        let ciphertext = self.encrypt(&iv, &plain).await;
        plain.fill(0);
        Ok(SealedVault {
            iterations: self.iterations,
            salt: self.salt.clone(),
            check_iv,
            check,
            iv,
            ciphertext: ciphertext?,
        })
    }

    fn params(iv: &[u8]) -> AesGcmParams {
        let params = AesGcmParams::new("AES-GCM", &Uint8Array::from(iv));
        params.set_additional_data(&Uint8Array::from(ADDITIONAL_DATA));
        params
    }

    async fn encrypt(&self, iv: &[u8], plain: &[u8]) -> Result<Vec<u8>, VaultError> {
        let data = Uint8Array::from(plain);
        let promise = subtle()?
            .encrypt_with_object_and_buffer_source(&Self::params(iv), &self.key, &data)
            .map_err(unavailable);
        data.fill(0, 0, data.length());
        let out = JsFuture::from(promise?).await.map_err(unavailable)?;
        Ok(Uint8Array::new(&out).to_vec())
    }

    async fn decrypt(&self, iv: &[u8], sealed: &[u8]) -> Result<Vec<u8>, JsValue> {
        let data: Object = Uint8Array::from(sealed).into();
        let out = JsFuture::from(
            subtle()
                .map_err(|_| JsValue::NULL)?
                .decrypt_with_object_and_buffer_source(&Self::params(iv), &self.key, &data)?,
        )
        .await?;
        Ok(Uint8Array::new(&out).to_vec())
    }
}
