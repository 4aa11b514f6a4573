//! Reading `.pub` files a person chose or dropped, for every form that takes public keys. A
//! file that holds private key material is never read into a form: only its name is kept, with
//! the reason.

use cloudpane_api::ssh_key::{find_private_key, SshKeyError};

/// A `.pub` file is one line; `authorized_keys` files are a few kilobytes.
const MAX_FILE_BYTES: f64 = 256.0 * 1024.0;

/// The files of a file input or a drop.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads `files` as text: `(name, text)` of each public-key file, and a sentence for each file
/// that was not read (too big, unreadable, or holding a private key).
pub async fn read_public_key_files(
    files: Vec<web_sys::File>,
) -> (Vec<(String, String)>, Vec<String>) {
    let (mut read, mut refused) = (Vec::new(), Vec::new());
    for file in files {
        let name = file.name();
        if file.size() > MAX_FILE_BYTES {
            refused.push(format!(
                "{name} is too big to be a public key file; it was not read."
            ));
            continue;
        }
        let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(text) => text.as_string().unwrap_or_default(),
            Err(_) => {
                refused.push(format!("{name} could not be read."));
                continue;
            }
        };
        match find_private_key(&text) {
            Some(format) => refused.push(format!(
                "{name}: {} It was not read into the form.",
                SshKeyError::PrivateKey(format)
            )),
            None => read.push((name, text)),
        }
    }
    (read, refused)
}
