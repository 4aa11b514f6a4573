//! The optional access key (`--access-key-file`): every proxied request must carry it in
//! `x-cloudpane-access-key`. Preflights are exempt, since browsers never send custom headers
//! on them; they are answered locally anyway.

use axum::http::{Method, Request};
use cloudpane_api::runtime_config::ACCESS_KEY_HEADER;
use sha2::{Digest, Sha256};

use crate::error::ProxyError;
use crate::AppState;

/// The access key rule: 401 unless the request carries the configured key.
pub fn check<B>(request: &Request<B>, state: &AppState) -> Result<(), ProxyError> {
    if let Some(expected) = &state.config.access_key {
        let given = request
            .headers()
            .get(ACCESS_KEY_HEADER)
            .map(|v| v.as_bytes());
        let ok = given.is_some_and(|g| same_secret(g, expected.as_bytes()));
        if !ok && request.method() != Method::OPTIONS {
            return Err(ProxyError::AccessKey);
        }
    }
    Ok(())
}

/// Compares digests in constant time, so the comparison says nothing about the key's content
/// or length.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    let (a, b) = (Sha256::digest(given), Sha256::digest(expected));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn compares_whole_keys() {
        assert!(super::same_secret(b"0123456789abcdef", b"0123456789abcdef"));
        assert!(!super::same_secret(b"0123456789abcde", b"0123456789abcdef"));
        assert!(!super::same_secret(b"", b"0123456789abcdef"));
    }
}
