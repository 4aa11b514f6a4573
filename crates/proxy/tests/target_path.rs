//! The target-path rule: nothing in the request's path can change where it goes, and the fast
//! target is the one `url::Url` builds and checks the slow way.

use axum::http::Uri;
use cloudpane_api::Provider;
use cloudpane_proxy::error::ProxyError;
use cloudpane_proxy::forward::{split_route, target_path};
use url::Url;

/// The reference: the target built with `url::Url`, checked against the base's origin and
/// path. `{base}/{rest}?{query}`, refusing anything that could leave the base URL: dot segments
/// (plain or percent-encoded), encoded slashes and backslashes, control characters. The
/// result is checked once more against the base's origin and path.
fn target_url(base: &Url, rest: &str, query: Option<&str>) -> Result<Url, ProxyError> {
    target_path(base, rest, query)?; // refuses the segments it refuses
    let base_path = base.path().trim_end_matches('/');
    let mut url = base.clone();
    url.set_path(&format!("{base_path}/{rest}"));
    url.set_query(query.filter(|q| !q.is_empty()));
    url.set_fragment(None);

    let inside = url.path() == base_path
        || url
            .path()
            .strip_prefix(base_path)
            .is_some_and(|p| p.starts_with('/'));
    if url.origin() != base.origin() || !inside || !url.username().is_empty() {
        return Err(ProxyError::BadPath(
            "the path would leave the provider's base URL",
        ));
    }
    Ok(url)
}

/// The whole target: the base URL's origin, then [`target_path`].
fn target_uri(base: &Url, rest: &str, query: Option<&str>) -> Result<Uri, ProxyError> {
    let path = target_path(base, rest, query)?;
    let parsed = axum::http::uri::PathAndQuery::try_from(path.as_str())
        .expect("a target is a valid request target");
    assert_eq!(parsed.as_str(), path, "nothing is lost parsing it");
    Ok(Uri::try_from(format!("{}{path}", &base[..url::Position::BeforePath])).unwrap())
}

fn base() -> Url {
    Url::parse("http://127.0.0.1:9090/vp").unwrap()
}

#[test]
fn builds_targets_under_the_base() {
    let url = target_uri(&base(), "api/v1/locations/", Some("limit=3&offset=0")).unwrap();
    assert_eq!(
        url.to_string(),
        "http://127.0.0.1:9090/vp/api/v1/locations/?limit=3&offset=0"
    );
    let root = Url::parse("https://api.netactuate.com").unwrap();
    assert_eq!(
        target_uri(&root, "v3/secrets", None).unwrap().to_string(),
        "https://api.netactuate.com/v3/secrets"
    );
}

#[test]
fn nothing_in_the_path_changes_the_target() {
    for rest in [
        "..",
        "../na/x",
        "a/../../na",
        "%2e%2e/na",
        "%2E%2e/na",
        ".%2e/na",
        "a/%2e",
        "..%2Fna",
        "..%2fna",
        "a%5C..%5Cna",
        "a\\..\\na",
        "%00",
        "a%0d%0aHost:%20evil",
    ] {
        assert!(
            target_uri(&base(), rest, None).is_err(),
            "{rest} must be refused"
        );
    }
    for rest in [
        "//evil.example/x",
        "http://evil.example/x",
        "@evil.example",
        "http:%2F%2Fevil",
    ] {
        if let Ok(url) = target_uri(&base(), rest, None) {
            assert_eq!(url.host(), Some("127.0.0.1"), "{rest}");
        }
    }
    let url = target_uri(&base(), "x", Some("a=1#frag@evil.example")).unwrap();
    assert_eq!(url.host(), Some("127.0.0.1"));
}

#[test]
fn the_fast_target_is_the_checked_target() {
    let bases = [
        base(),
        Url::parse("https://api.netactuate.com").unwrap(),
        Url::parse("http://[::1]:9090/octos/backend").unwrap(),
    ];
    let cases: [(&str, Option<&str>); 8] = [
        ("api/v1/locations/", Some("limit=3&offset=0")),
        ("", None),
        ("v3/secrets", Some("")),
        ("a/b%20c/%7Bid%7D", Some("q=%2F&x=1")),
        ("api/v1/virtual-machines/0b1e", None),
        ("backend/api/vm/list", Some("page=2")),
        ("a//b", None),
        ("a/", None),
    ];
    for base in &bases {
        for (rest, query) in cases {
            let slow = target_url(base, rest, query).unwrap();
            let fast = target_uri(base, rest, query).unwrap();
            assert_eq!(fast.to_string(), slow.as_str(), "{base} {rest} {query:?}");
        }
        for rest in ["..", "a/%2e%2E/b", "a%2Fb", "a%5Cb", "%0d%0a"] {
            assert!(target_uri(base, rest, None).is_err(), "{rest}");
        }
    }
    let url = target_uri(&base(), "x", Some("a=1#frag@evil.example")).unwrap();
    assert_eq!(url.host(), Some("127.0.0.1"));
    let url = target_uri(&base(), "/evil.example/x", None).unwrap();
    assert_eq!(url.host(), Some("127.0.0.1"));
}

#[test]
fn unknown_providers_are_refused() {
    assert!(matches!(
        split_route("/proxy/aws/x"),
        Err(ProxyError::UnknownProvider(_))
    ));
    assert_eq!(
        split_route("/proxy/octos/backend/api").unwrap(),
        (Provider::Octos, "backend/api")
    );
    assert_eq!(split_route("/proxy/octos").unwrap(), (Provider::Octos, ""));
}
