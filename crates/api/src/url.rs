//! Request paths with names and ids in them. Every name or id goes into a path as one
//! percent-encoded segment, built here and nowhere else. A name that cannot stay one segment of
//! the resource it names (empty, `.`, `..`, or holding a slash, a backslash or a control
//! character) makes no path at all: browsers resolve `.` and `..` (encoded too) before sending,
//! so `DELETE /api/secrets/lists/..` would go out as `DELETE /api/secrets/`, and cloudpane's
//! proxy refuses encoded slashes and backslashes. Query values are encoded here too, and the
//! console's own links with an id or a query ([`href`], [`with_query`]).

/// Why a name or id cannot be part of a request's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentError {
    Empty,
    /// `.` or `..`.
    Dots,
    /// A slash or a backslash.
    Separator,
    /// A control character (below U+0020, or DEL), such as a line break.
    Control,
}

impl SegmentError {
    /// Why, in one sentence without its full stop.
    pub fn sentence(self) -> &'static str {
        match self {
            SegmentError::Empty => "an empty name cannot be part of a request's address",
            SegmentError::Dots => {
                "\".\" and \"..\" cannot be names in an address: they mean the place itself or \
                 the one above it"
            }
            SegmentError::Separator => {
                "a name in an address cannot hold \"/\" or \"\\\": it would split the address"
            }
            SegmentError::Control => {
                "a name in an address cannot hold control characters such as a line break"
            }
        }
    }
}

impl std::fmt::Display for SegmentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.sentence())
    }
}

impl std::error::Error for SegmentError {}

/// Checks that `name` can be one segment of a request path.
pub fn check_segment(name: &str) -> Result<(), SegmentError> {
    if is_addressable(name) {
        return Ok(());
    }
    Err(match name {
        "" => SegmentError::Empty,
        "." | ".." => SegmentError::Dots,
        _ if name.bytes().any(is_separator) => SegmentError::Separator,
        _ => SegmentError::Control,
    })
}

/// The rule of [`check_segment`] as a yes or no, for [`path`] (on the first screen).
fn is_addressable(name: &str) -> bool {
    !matches!(name, "" | "." | "..")
        && !name
            .bytes()
            .any(|b| is_separator(b) || b < 0x20 || b == 0x7f)
}

fn is_separator(b: u8) -> bool {
    b == b'/' || b == b'\\'
}

/// `name` as one percent-encoded path segment.
pub fn segment(name: &str) -> Result<String, SegmentError> {
    check_segment(name)?;
    Ok(encode_component(name))
}

/// The path of a request, below the provider's base URL: fixed text from the code, or a
/// template filled with names by [`path`]. There is no way to make one from text built at run
/// time, so every name reaches a path through [`check_segment`] and its encoding.
///
/// A path whose names were refused is its template, `{}` and all: a built path never holds a
/// `{` (names are percent-encoded, `{` as `%7B`), so such a path is known for what it is and
/// gets no URL ([`crate::ApiRequest::proxy_url`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPath(String);

impl From<&'static str> for RequestPath {
    fn from(fixed: &'static str) -> Self {
        RequestPath(fixed.to_string())
    }
}

impl From<RequestPath> for String {
    fn from(path: RequestPath) -> Self {
        path.0
    }
}

impl RequestPath {
    /// `prefix` followed by `rest`, both fixed in the code (`/backend/api` + `/projects`).
    pub fn joined(prefix: &'static str, rest: &'static str) -> Self {
        RequestPath(format!("{prefix}{rest}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when a name could not be put into the template (see [`path`]).
    pub fn is_refused(&self) -> bool {
        is_template(&self.0)
    }
}

/// True for a path that is still a template (its names refused).
pub(crate) fn is_template(path: &str) -> bool {
    path.bytes().any(|b| b == b'{')
}

/// The path `template` with each `{}` replaced by the next of `names`, each as one
/// percent-encoded segment; when any name cannot be one (see [`check_segment`]) or is missing,
/// the template itself, which is refused.
///
/// `path("/api/secrets/lists/{}/values/{}", &["web app", "7"])` is
/// `/api/secrets/lists/web%20app/values/7`.
pub fn path(template: &'static str, names: &[&str]) -> RequestPath {
    debug_assert_eq!(template.matches("{}").count(), names.len());
    let mut pieces = template.split('{');
    let mut text = String::from(pieces.next().unwrap_or_default());
    let mut names = names.iter();
    for piece in pieces {
        let name = names.next().copied().unwrap_or_default();
        if !is_addressable(name) {
            return RequestPath(template.to_string());
        }
        text += &encode_component(name);
        // The rest of the template after this `{}`.
        text += piece.get(1..).unwrap_or_default();
    }
    RequestPath(text)
}

/// Percent-encodes a path segment or a query component: RFC 3986's unreserved characters stay,
/// every other byte is written `%XX`.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `path?k=v&...` with every value encoded, or `path` alone when there is no pair: the console's
/// own links that keep a page's choices (`/machines?status=running`).
pub fn with_query<K: AsRef<str>, V: AsRef<str>>(path: &str, pairs: &[(K, V)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                encode_component(k.as_ref()),
                encode_component(v.as_ref())
            )
        })
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// A console page of one resource: `prefix` and `id` as one encoded segment
/// (`href("/locations", "us dallas")` is `/locations/us%20dallas`).
pub fn href(prefix: &str, id: &str) -> String {
    format!("{}/{}", prefix.trim_end_matches('/'), encode_component(id))
}

/// The app's base path (where it is served, `""` at the root, else `/a/b`) from the path of its
/// `<base href>` directory (`/`, `/a/b/`).
pub fn app_base_from(base_directory: &str) -> &str {
    base_directory.trim_end_matches('/')
}

/// An app path (`/machines`, `/secrets/lists/x`) as a link under the app's `base`.
pub fn under_base(base: &str, app_path: &str) -> String {
    format!("{base}{app_path}")
}

/// The app path of a browser path: `base` taken off (`/` for the base itself).
pub fn app_path_of<'a>(base: &str, browser_path: &'a str) -> &'a str {
    match browser_path.strip_prefix(base) {
        Some("") => "/",
        Some(rest) if rest.starts_with('/') => rest,
        _ => browser_path,
    }
}

#[cfg(test)]
mod base_tests {
    use super::*;

    #[test]
    fn links_and_paths_follow_the_base() {
        assert_eq!(app_base_from("/"), "");
        assert_eq!(app_base_from("/tools/cloudpane/"), "/tools/cloudpane");
        assert_eq!(under_base("", "/accounts"), "/accounts");
        assert_eq!(under_base("/tools/cloudpane", "/"), "/tools/cloudpane/");
        assert_eq!(
            under_base("/tools/cloudpane", "/secrets/lists/a%20b"),
            "/tools/cloudpane/secrets/lists/a%20b"
        );
        assert_eq!(app_path_of("", "/secrets/lists/x"), "/secrets/lists/x");
        assert_eq!(
            app_path_of("/tools/cloudpane", "/tools/cloudpane/secrets/lists/x"),
            "/secrets/lists/x"
        );
        assert_eq!(app_path_of("/tools/cloudpane", "/tools/cloudpane"), "/");
        assert_eq!(
            app_path_of("/tools/cloudpane", "/tools/cloudpanex/a"),
            "/tools/cloudpanex/a"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiRequest;

    #[test]
    fn names_become_single_encoded_segments() {
        let cases = [
            ("Secret List 3", "Secret%20List%203"),
            ("web-app_1.prod~", "web-app_1.prod~"),
            ("...", "..."),
            (".env", ".env"),
            ("a.", "a."),
            ("clé 100%", "cl%C3%A9%20100%25"),
            ("a?b#c&d=e+f", "a%3Fb%23c%26d%3De%2Bf"),
            ("%2e%2e", "%252e%252e"),
        ];
        for (name, encoded) in cases {
            assert_eq!(segment(name).as_deref(), Ok(encoded), "{name}");
            assert_eq!(path("/x/{}/y", &[name]).as_str(), format!("/x/{encoded}/y"));
            assert!(!path("/x/{}/y", &[name]).is_refused());
        }
    }

    #[test]
    fn names_that_would_leave_the_resource_make_no_path() {
        let cases = [
            ("", SegmentError::Empty),
            (".", SegmentError::Dots),
            ("..", SegmentError::Dots),
            ("web/app", SegmentError::Separator),
            ("/", SegmentError::Separator),
            ("..\\x", SegmentError::Separator),
            ("a\nb", SegmentError::Control),
            ("tab\there", SegmentError::Control),
        ];
        for (name, reason) in cases {
            assert_eq!(segment(name), Err(reason), "{name:?}");
            let refused = path("/api/secrets/lists/{}", &[name]);
            assert_eq!(refused.as_str(), "/api/secrets/lists/{}");
            assert!(refused.is_refused());
            // The second name is checked too.
            assert!(path("/a/{}/b/{}", &["ok", name]).is_refused());
        }
        assert_eq!(
            SegmentError::Dots.to_string(),
            "\".\" and \"..\" cannot be names in an address: they mean the place itself or the \
             one above it"
        );
        assert_eq!(
            SegmentError::Separator.to_string(),
            "a name in an address cannot hold \"/\" or \"\\\": it would split the address"
        );
    }

    /// Every request builder of the crate that puts a name or id into its path, as (its path
    /// template, the path for the name `web app 100%`, the builder given that name). A builder
    /// with two names is listed once for each.
    #[allow(clippy::type_complexity)]
    fn builders() -> Vec<(&'static str, &'static str, Box<dyn Fn(&str) -> ApiRequest>)> {
        use crate::netactuate::{secret_lists as lists, secrets, SecretValue};
        use crate::voltagepark::bare_metal::{self, RentalPower};
        use crate::voltagepark::vms::{self, DetailsPatch, VmPower};
        use crate::voltagepark::{locations, presets, ssh_keys, storage};
        let value = || SecretValue::new("v");
        let lists_one = "/api/secrets/lists/{}";
        let lists_values = "/api/secrets/lists/{}/values";
        let lists_value = "/api/secrets/lists/{}/values/{}";
        let name = "/api/secrets/lists/web%20app%20100%25";
        let value_of_name = "/api/secrets/lists/web%20app%20100%25/values/7";
        let value_in_prod = "/api/secrets/lists/prod/values/web%20app%20100%25";
        let vm = "/api/v1/virtual-machines/{}";
        let vm_named = "/api/v1/virtual-machines/web%20app%20100%25";
        let rental = "/api/v1/bare-metal/{}";
        let rental_named = "/api/v1/bare-metal/web%20app%20100%25";
        let volume = "/api/v1/storage/{}";
        let volume_named = "/api/v1/storage/web%20app%20100%25";
        let secret = "/v3/secrets/{}";
        let secret_named = "/v3/secrets/web%20app%20100%25";
        vec![
            // Voltage Park: VMs, bare metal, storage, SSH keys, locations, presets.
            (vm, vm_named, Box::new(|id| vms::get_vm("t", id))),
            (
                vm,
                vm_named,
                Box::new(|id| vms::update_vm("t", id, &DetailsPatch::default())),
            ),
            (
                "/api/v1/virtual-machines/{}/power-status",
                "/api/v1/virtual-machines/web%20app%20100%25/power-status",
                Box::new(|id| vms::set_vm_power("t", id, VmPower::Stopped)),
            ),
            (vm, vm_named, Box::new(|id| vms::terminate_vm("t", id))),
            (
                rental,
                rental_named,
                Box::new(|id| bare_metal::update_rental("t", id, &DetailsPatch::default())),
            ),
            (
                "/api/v1/bare-metal/{}/power-status",
                "/api/v1/bare-metal/web%20app%20100%25/power-status",
                Box::new(|id| bare_metal::set_rental_power("t", id, RentalPower::Started)),
            ),
            (
                "/api/v1/bare-metal/{}/reboot",
                "/api/v1/bare-metal/web%20app%20100%25/reboot",
                Box::new(|id| bare_metal::reboot_nodes("t", id, &[])),
            ),
            (
                rental,
                rental_named,
                Box::new(|id| bare_metal::terminate_rental("t", id)),
            ),
            (
                volume,
                volume_named,
                Box::new(|id| storage::get_volume("t", id)),
            ),
            (
                volume,
                volume_named,
                Box::new(|id| storage::update_volume("t", id, &Default::default())),
            ),
            (
                volume,
                volume_named,
                Box::new(|id| storage::delete_volume("t", id)),
            ),
            (
                "/api/v1/organization/ssh-keys/{}",
                "/api/v1/organization/ssh-keys/web%20app%20100%25",
                Box::new(|id| ssh_keys::delete_org_ssh_key("t", id)),
            ),
            (
                "/api/v1/locations/{}",
                "/api/v1/locations/web%20app%20100%25",
                Box::new(|id| locations::get_location("t", id)),
            ),
            (
                "/api/v1/hostnodes/{}",
                "/api/v1/hostnodes/web%20app%20100%25",
                Box::new(|id| locations::get_hostnode("t", id)),
            ),
            (
                "/api/v1/instant-deploy-presets/{}",
                "/api/v1/instant-deploy-presets/web%20app%20100%25",
                Box::new(presets::get_preset),
            ),
            // NetActuate: secrets, secret lists and their values.
            (
                secret,
                secret_named,
                Box::new(|id| secrets::get_secret("t", id)),
            ),
            (
                secret,
                secret_named,
                Box::new(move |id| secrets::update_secret("t", id, &value())),
            ),
            (
                secret,
                secret_named,
                Box::new(|id| secrets::delete_secret("t", id)),
            ),
            (
                lists_one,
                name,
                Box::new(|n| lists::get_secret_list("t", n)),
            ),
            (
                lists_one,
                name,
                Box::new(|n| lists::rename_secret_list("t", n, "new")),
            ),
            (
                lists_one,
                name,
                Box::new(|n| lists::delete_secret_list("t", n)),
            ),
            (
                lists_values,
                "/api/secrets/lists/web%20app%20100%25/values",
                Box::new(|n| lists::list_values("t", n)),
            ),
            (
                lists_values,
                "/api/secrets/lists/web%20app%20100%25/values",
                Box::new(move |n| lists::create_value("t", n, "KEY", &value())),
            ),
            (
                lists_value,
                value_of_name,
                Box::new(|n| lists::get_value("t", n, "7")),
            ),
            (
                lists_value,
                value_in_prod,
                Box::new(|id| lists::get_value("t", "prod", id)),
            ),
            (
                lists_value,
                value_of_name,
                Box::new(move |n| lists::update_value("t", n, "7", "K", &value())),
            ),
            (
                lists_value,
                value_in_prod,
                Box::new(move |id| lists::update_value("t", "prod", id, "K", &value())),
            ),
            (
                lists_value,
                value_of_name,
                Box::new(|n| lists::delete_value("t", n, "7")),
            ),
            (
                lists_value,
                value_in_prod,
                Box::new(|id| lists::delete_value("t", "prod", id)),
            ),
        ]
    }

    #[test]
    fn every_builder_keeps_its_name_in_its_own_segment_or_builds_nothing() {
        for (template, named, build) in builders() {
            let req = build("web app 100%");
            assert_eq!(req.path, named, "{template}");
            assert!(!req.refused());
            assert_eq!(
                req.proxy_url("/proxy").unwrap(),
                format!("/proxy/{}{named}", req.provider.slug())
            );
            for bad in ["", ".", "..", "web/app", "app/env", "/", "..\\..", "a\nb"] {
                let req = build(bad);
                assert!(req.refused(), "{template} with {bad:?}");
                assert_eq!(req.path, template, "{bad:?}");
                assert!(
                    matches!(req.proxy_url("/proxy"), Err(crate::ApiError::NotSent)),
                    "{template} with {bad:?}"
                );
            }
        }
    }

    #[test]
    fn paths_without_names_are_unchanged() {
        use crate::voltagepark::billing::monthly_report;
        assert_eq!(
            monthly_report("t", 2026, 3).path,
            "/api/v1/billing/reports/2026/3/transactions"
        );
        let family = crate::octos::families::FAMILIES[0];
        assert_eq!(
            crate::octos::families::list_family(family, "t").path,
            "/backend/api/projects"
        );
    }

    #[test]
    fn fixed_paths_stay_as_written() {
        assert_eq!(
            RequestPath::from("/api/v1/storage/").as_str(),
            "/api/v1/storage/"
        );
        assert_eq!(
            RequestPath::joined("/backend/api", "/projects").as_str(),
            "/backend/api/projects"
        );
        // A name holding a brace is encoded, so a built path is never taken for a template.
        let braces = path("/x/{}", &["{}"]);
        assert_eq!(braces.as_str(), "/x/%7B%7D");
        assert!(!braces.is_refused());
    }

    #[test]
    fn links_encode_ids_and_query_values() {
        assert_eq!(
            href("/locations", "us dallas/2"),
            "/locations/us%20dallas%2F2"
        );
        assert_eq!(with_query::<&str, &str>("/machines", &[]), "/machines");
        assert_eq!(
            with_query("/machines", &[("q", "a&b=c"), ("sort", "price")]),
            "/machines?q=a%26b%3Dc&sort=price"
        );
        assert_eq!(encode_component("é ~"), "%C3%A9%20~");
    }
}
