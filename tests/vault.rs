//! The vault against the browser's real WebCrypto: round trip, wrong passphrase, tampering, and
//! that the stored record holds no token in any encoding.

use cloudpane::vault::{VaultError, VaultKey};
use cloudpane_api::vault::{
    base64_encode, SealedVault, StoredAccount, VaultContents, IV_LEN, PBKDF2_ITERATIONS, SALT_LEN,
};
use cloudpane_api::Provider;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TOKEN: &str = "vp-live-7Qx9-secret-token-A1b2C3";
const PASSPHRASE: &str = "correct horse battery staple";

fn contents() -> VaultContents {
    VaultContents {
        accounts: vec![
            StoredAccount {
                provider: Provider::VoltagePark,
                name: "prod".into(),
                token: TOKEN.into(),
                vm_login: Some("ubuntu".into()),
                active: true,
            },
            StoredAccount {
                provider: Provider::NetActuate,
                name: "research".into(),
                token: "na-other-token-XYZ".into(),
                vm_login: None,
                active: true,
            },
        ],
    }
}

async fn sealed() -> SealedVault {
    let key = VaultKey::create(PASSPHRASE).await.unwrap();
    key.seal(&contents()).await.unwrap()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
async fn the_right_passphrase_opens_what_was_sealed() {
    let stored = sealed().await.to_json();
    let read = SealedVault::from_json(&stored).unwrap();
    assert_eq!(read.iterations, PBKDF2_ITERATIONS);
    assert_eq!(read.salt.len(), SALT_LEN);
    assert_eq!(read.iv.len(), IV_LEN);
    let started = now_ms();
    let (key, opened) = VaultKey::unlock(PASSPHRASE, &read).await.unwrap();
    web_sys::console::log_1(
        &format!(
            "unlock (PBKDF2 {PBKDF2_ITERATIONS} + 2 AES-GCM decrypts): {:.0} ms",
            now_ms() - started
        )
        .into(),
    );
    assert_eq!(opened, contents());
    // The same key writes again, under a fresh IV and with the same salt.
    let again = key.seal(&opened).await.unwrap();
    assert_eq!(again.salt, read.salt);
    assert_ne!(again.iv, read.iv);
    assert_ne!(again.ciphertext, read.ciphertext);
}

#[wasm_bindgen_test]
async fn a_wrong_passphrase_says_so_and_the_record_still_opens() {
    let read = SealedVault::from_json(&sealed().await.to_json()).unwrap();
    let wrong = VaultKey::unlock("correct horse battery stapler", &read).await;
    assert_eq!(wrong.unwrap_err(), VaultError::WrongPassphrase);
    assert!(VaultError::WrongPassphrase
        .to_string()
        .contains("does not unlock"));
    let (_, opened) = VaultKey::unlock(PASSPHRASE, &read).await.unwrap();
    assert_eq!(opened, contents());
}

#[wasm_bindgen_test]
async fn a_flipped_byte_in_the_ciphertext_cannot_be_decrypted() {
    let original = sealed().await;
    for index in [
        0,
        original.ciphertext.len() / 2,
        original.ciphertext.len() - 1,
    ] {
        let mut tampered = original.clone();
        tampered.ciphertext[index] ^= 0x01;
        let through_storage = SealedVault::from_json(&tampered.to_json()).unwrap();
        let err = VaultKey::unlock(PASSPHRASE, &through_storage)
            .await
            .unwrap_err();
        assert_eq!(err, VaultError::CannotDecrypt, "byte {index}");
        assert!(err.to_string().contains("cannot be decrypted"));
    }
    // A changed IV is caught the same way.
    let mut tampered = original.clone();
    tampered.iv[0] ^= 0x80;
    assert_eq!(
        VaultKey::unlock(PASSPHRASE, &tampered).await.unwrap_err(),
        VaultError::CannotDecrypt
    );
}

#[wasm_bindgen_test]
async fn the_stored_record_holds_no_token_in_any_encoding() {
    let stored = sealed().await.to_json();
    for token in [TOKEN, "na-other-token-XYZ"] {
        let hex: String = token.bytes().map(|b| format!("{b:02x}")).collect();
        let forms = [
            token.to_string(),
            base64_encode(token.as_bytes()),
            // base64 of the token at each of the three byte alignments inside a longer text.
            base64_encode(&token.as_bytes()[1..]),
            base64_encode(&token.as_bytes()[2..]),
            hex.clone(),
            hex.to_uppercase(),
            "prod".into(),
            "research".into(),
        ];
        for form in forms {
            let needle = form.trim_end_matches('=');
            let needle = &needle[..needle.len().min(16)];
            assert!(
                !stored.to_lowercase().contains(&needle.to_lowercase()) || needle.len() < 6,
                "the record contains {needle}"
            );
        }
    }
}
