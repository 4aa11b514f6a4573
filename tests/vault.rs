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
                disabled: false,
            },
            StoredAccount {
                provider: Provider::NetActuate,
                name: "research".into(),
                token: "na-other-token-XYZ".into(),
                vm_login: None,
                active: true,
                disabled: false,
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

#[wasm_bindgen_test]
async fn remembered_accounts_lock_unlock_change_passphrase_and_forget() {
    use cloudpane::accounts::{stored_record, Accounts, VaultStatus};
    const NEW: &str = "a different passphrase 7";
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();

    let accounts = Accounts::new();
    accounts.add(Provider::VoltagePark, "prod", TOKEN);
    accounts.add(Provider::VoltagePark, "research", "vp-research-token-99");
    let key = VaultKey::create(PASSPHRASE).await.unwrap();
    accounts.remember(key).await.unwrap();
    assert_eq!(accounts.status(), VaultStatus::Unlocked);
    let record = stored_record().expect("remembered");
    assert!(!record.contains(TOKEN) && !record.contains("research"));

    accounts.lock();
    assert_eq!(accounts.status(), VaultStatus::Locked);
    assert!(
        accounts.all_untracked().is_empty(),
        "no token in memory once locked"
    );
    assert_eq!(
        accounts.unlock("not it at all").await,
        Err(VaultError::WrongPassphrase)
    );
    assert_eq!(accounts.status(), VaultStatus::Locked);
    assert_eq!(stored_record().as_deref(), Some(record.as_str()));

    accounts.unlock(PASSPHRASE).await.unwrap();
    let names: Vec<String> = accounts
        .all_untracked()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["prod", "research"]);
    assert_eq!(
        accounts.active(Provider::VoltagePark).map(|a| a.name),
        Some("prod".into()),
        "the account in use is remembered too"
    );

    // Changing the passphrase asks for the current one, then re-encrypts.
    assert_eq!(
        accounts.change_passphrase("not it at all", NEW).await,
        Err(VaultError::WrongPassphrase)
    );
    accounts.change_passphrase(PASSPHRASE, NEW).await.unwrap();
    assert_ne!(stored_record().as_deref(), Some(record.as_str()));
    accounts.lock();
    assert_eq!(
        accounts.unlock(PASSPHRASE).await,
        Err(VaultError::WrongPassphrase)
    );
    accounts.unlock(NEW).await.unwrap();
    assert_eq!(accounts.all_untracked().len(), 2);

    // A tampered store says it cannot be decrypted, and shows nothing.
    accounts.lock();
    let mut sealed = SealedVault::from_json(&stored_record().unwrap()).unwrap();
    let last = sealed.ciphertext.len() - 1;
    sealed.ciphertext[last] ^= 0x40;
    storage
        .set_item(cloudpane_api::vault::STORAGE_KEY, &sealed.to_json())
        .unwrap();
    assert_eq!(accounts.unlock(NEW).await, Err(VaultError::CannotDecrypt));
    assert!(accounts.all_untracked().is_empty());

    accounts.forget_everything();
    assert_eq!(accounts.status(), VaultStatus::InMemory);
    assert_eq!(stored_record(), None);
}
