//! Redirects are never followed by the proxy. One that stays on the same upstream (same origin,
//! under the base path) is rewritten to go back through `/proxy/{provider}/...`; one that
//! points anywhere else becomes a 502 saying so.

use cloudpane_api::Provider;
use url::Url;

use crate::error::ProxyError;
use crate::forward::ROUTE_PREFIX;

/// The `Location` to hand the browser for an upstream redirect to `location`, received for a
/// request to `request_url` on the upstream with base URL `base`.
pub fn rewrite_location(
    location: &str,
    request_url: &Url,
    base: &Url,
    provider: Provider,
) -> Result<String, ProxyError> {
    let target = request_url
        .join(location)
        .map_err(|_| ProxyError::RedirectElsewhere)?;
    if target.origin() != base.origin() || !target.username().is_empty() {
        return Err(ProxyError::RedirectElsewhere);
    }
    let base_path = base.path().trim_end_matches('/');
    let rest = target
        .path()
        .strip_prefix(base_path)
        .ok_or(ProxyError::RedirectElsewhere)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        return Err(ProxyError::RedirectElsewhere);
    }
    let query = target.query().map(|q| format!("?{q}")).unwrap_or_default();
    Ok(format!("{ROUTE_PREFIX}/{}{rest}{query}", provider.slug()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_upstream_redirects_come_back_through_the_proxy() {
        let base = Url::parse("http://127.0.0.1:9090/vp").unwrap();
        let req = Url::parse("http://127.0.0.1:9090/vp/api/v1/vms").unwrap();
        let vp = Provider::VoltagePark;
        assert_eq!(
            rewrite_location("/vp/api/v1/vms/?offset=10", &req, &base, vp).unwrap(),
            "/proxy/voltagepark/api/v1/vms/?offset=10"
        );
        assert_eq!(
            rewrite_location("vms/", &req, &base, vp).unwrap(),
            "/proxy/voltagepark/api/v1/vms/"
        );
        assert_eq!(
            rewrite_location("http://127.0.0.1:9090/vp/x", &req, &base, vp).unwrap(),
            "/proxy/voltagepark/x"
        );
    }

    #[test]
    fn redirects_elsewhere_are_refused() {
        let base = Url::parse("http://127.0.0.1:9090/vp").unwrap();
        let req = Url::parse("http://127.0.0.1:9090/vp/api").unwrap();
        for loc in [
            "http://evil.example/vp/x",
            "//evil.example/x",
            "http://127.0.0.1:9091/vp/x",
            "/na/x",
            "/vpx",
            "https://127.0.0.1:9090/vp/x",
        ] {
            assert!(
                rewrite_location(loc, &req, &base, Provider::VoltagePark).is_err(),
                "{loc}"
            );
        }
    }
}
