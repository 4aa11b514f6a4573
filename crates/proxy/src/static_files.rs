//! The built app, served from `--dist`: correct content types (`application/wasm`), gzip or
//! brotli, hashed assets cached for a year, `index.html` never cached and sent for every app
//! route (a path without a file extension), and the app's security headers.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";

/// Handler for everything that is not a proxy route or the runtime configuration.
pub async fn serve_static(State(state): State<AppState>, request: Request) -> Response {
    let Some(dist) = state.config.dist.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let path = request.uri().path().to_string();
    let last = path.rsplit('/').next().unwrap_or("");
    if path == "/" || last == "index.html" || !last.contains('.') {
        return serve_index(&dist, &state.config.base_path).await;
    }
    let served = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(request)
        .await;
    let mut response = match served {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    let cache = if response.status().is_success() && is_hashed_asset(last) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// `index.html`, read on every request so a rebuilt app is picked up, with a CSP that allows
/// exactly its inline scripts (Trunk's loader is an inline `<script type="module">`), and its
/// `<base href>` set to the `--base-path`.
async fn serve_index(dist: &Path, base: &str) -> Response {
    let file: PathBuf = dist.join("index.html");
    let Ok(html) = tokio::fs::read_to_string(&file).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let html = crate::base_path::set_base_href(&html, base).unwrap_or(html);
    let csp = app_csp(&inline_script_hashes(&html));
    let mut response = Response::new(Body::from(html));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
    if let Ok(csp) = HeaderValue::try_from(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// The app's Content-Security-Policy: its own scripts (plus the given inline-script hashes),
/// WebAssembly compilation (`'wasm-unsafe-eval'`, never `'unsafe-eval'`), network calls to its
/// own origin only (the proxy), and no framing.
pub fn app_csp(inline_script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in inline_script_hashes {
        script_src.push_str(&format!(" '{hash}'"));
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// `router` with the app's security headers on everything it answers; the CSP only where
/// [`serve_index`] has not set one with its inline scripts' hashes.
pub fn with_security_headers(router: Router<AppState>) -> Router<AppState> {
    let csp = HeaderValue::try_from(app_csp(&[])).expect("the CSP is a valid header value");
    let set =
        |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
}

/// `sha256-…` of the text of every inline `<script>` (one without `src`), as CSP wants them.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| i + from) {
        let Some(tag_end) = lower[start..].find('>').map(|i| i + start) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</script").map(|i| i + tag_end) else {
            break;
        };
        let tag = &lower[start..tag_end];
        let has_src = tag
            .split(|c: char| c.is_whitespace())
            .any(|attr| attr.starts_with("src="));
        if !has_src {
            let digest = Sha256::digest(&html.as_bytes()[tag_end + 1..close]);
            hashes.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        from = close;
    }
    hashes
}

/// Trunk's hashed output names: `cloudpane-<hex>.js`, `cloudpane-<hex>_bg.wasm`,
/// `style-<hex>.css` (and their `.br` / `.gz` siblings).
pub fn is_hashed_asset(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty() && hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("cloudpane-5e1f2a3b4c5d6e7f.js"));
        assert!(is_hashed_asset("cloudpane-5e1f2a3b4c5d6e7f_bg.wasm"));
        assert!(is_hashed_asset("style-0123456789abcdef.css"));
        assert!(!is_hashed_asset("favicon.ico"));
        assert!(!is_hashed_asset("index.html"));
        assert!(!is_hashed_asset("my-logo.svg"));
    }

    #[test]
    fn hashes_inline_scripts_only() {
        let html = "<script src=\"/a.js\"></script><script type=\"module\">alert(1)</script>";
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            inline_script_hashes(html),
            ["sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="]
        );
    }

    #[test]
    fn csp_allows_wasm_but_not_eval() {
        let csp = app_csp(&[]);
        assert!(csp.contains("'wasm-unsafe-eval'") && !csp.contains("'unsafe-eval'"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
