//! `--base-path /prefix`: everything served under a path prefix, for a reverse proxy that passes
//! the prefix on (`location /tools/cloudpane/ { proxy_pass http://127.0.0.1:8080; }`). The prefix
//! is taken off each request's path here, once, so every rule and route after it sees the same
//! paths as without a base path; what the proxy writes back (the runtime configuration's route
//! prefix, a rewritten `Location`, the app's `<base href>`) puts it back on.

use axum::body::Body;
use axum::http::uri::PathAndQuery;
use axum::http::{header, HeaderValue, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// The part of `path` under `base` (starting with `/`), if it is under it; all of `path` when
/// there is no base path.
pub fn within<'a>(path: &'a str, base: &str) -> Option<&'a str> {
    let rest = path.strip_prefix(base)?;
    rest.starts_with('/').then_some(rest)
}

/// A request outside the base path, and its answer.
#[derive(Debug)]
pub enum Outside {
    /// The prefix itself without its slash: redirected to `{base}/` (so that the app's relative
    /// asset URLs resolve under it).
    Bare { location: String },
    /// Anything else: 404.
    Elsewhere { base: String },
}

impl IntoResponse for Outside {
    fn into_response(self) -> Response {
        match self {
            Outside::Bare { location } => {
                let mut answer = StatusCode::PERMANENT_REDIRECT.into_response();
                if let Ok(location) = HeaderValue::try_from(location) {
                    answer.headers_mut().insert(header::LOCATION, location);
                }
                answer
            }
            Outside::Elsewhere { base } => {
                let mut answer = (
                    StatusCode::NOT_FOUND,
                    format!("Not found: cloudpane is served under {base}/ here.\n"),
                )
                    .into_response();
                answer.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                );
                answer.map(Body::new)
            }
        }
    }
}

/// `request` with `base` taken off its path, or why it is outside it.
pub fn strip<B>(request: Request<B>, base: &str) -> Result<Request<B>, Outside> {
    if base.is_empty() {
        return Ok(request);
    }
    let path = request.uri().path();
    let query = request.uri().query();
    let elsewhere = || Outside::Elsewhere {
        base: base.to_string(),
    };
    if path == base {
        let location = match query {
            Some(query) => format!("{base}/?{query}"),
            None => format!("{base}/"),
        };
        return Err(Outside::Bare { location });
    }
    let Some(rest) = within(path, base) else {
        return Err(elsewhere());
    };
    let stripped = match query {
        Some(query) => format!("{rest}?{query}"),
        None => rest.to_string(),
    };
    let (mut parts, body) = request.into_parts();
    let mut uri = parts.uri.into_parts();
    uri.path_and_query = Some(PathAndQuery::try_from(stripped).map_err(|_| elsewhere())?);
    parts.uri = Uri::from_parts(uri).map_err(|_| elsewhere())?;
    Ok(Request::from_parts(parts, body))
}

/// `html` with its `<base>` element's `href` set to `{base}/`: the app's assets, links and
/// runtime configuration are relative to it (index.html ships `<base href="/">`). Unchanged
/// without a base path or a `<base>` element.
pub fn set_base_href(html: &str, base: &str) -> Option<String> {
    if base.is_empty() {
        return None;
    }
    let lower = html.to_ascii_lowercase();
    let start = find_base_tag(&lower)?;
    let end = start + lower[start..].find('>')? + 1;
    Some(format!(
        "{}<base href=\"{base}/\">{}",
        &html[..start],
        &html[end..]
    ))
}

/// Where the `<base` tag starts (not `<basefont` or the like).
fn find_base_tag(lower: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = lower[from..].find("<base").map(|i| i + from) {
        let next = lower.as_bytes().get(at + 5).copied();
        if matches!(next, Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')) {
            return Some(at);
        }
        from = at + 5;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_the_base_lose_it_and_others_are_refused() {
        let under = Request::get("/tools/cloudpane/proxy/octos/api/vms?page=2")
            .body(())
            .unwrap();
        let stripped = strip(under, "/tools/cloudpane").unwrap();
        assert_eq!(stripped.uri().path(), "/proxy/octos/api/vms");
        assert_eq!(stripped.uri().query(), Some("page=2"));
        let bare = strip(
            Request::get("/tools/cloudpane").body(()).unwrap(),
            "/tools/cloudpane",
        );
        let bare = bare.unwrap_err().into_response();
        assert_eq!(bare.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(bare.headers()["location"], "/tools/cloudpane/");
        for outside in ["/", "/proxy/octos/api/vms", "/tools/cloudpanex/", "/tools"] {
            let refused = strip(Request::get(outside).body(()).unwrap(), "/tools/cloudpane");
            assert_eq!(
                refused.unwrap_err().into_response().status(),
                StatusCode::NOT_FOUND,
                "{outside}"
            );
        }
        let untouched = strip(Request::get("/a?b").body(()).unwrap(), "").unwrap();
        assert_eq!(untouched.uri(), "/a?b");
    }

    #[test]
    fn the_base_element_gets_the_prefix() {
        let minified =
            "<head><meta charset=utf-8><base href=/><link href=./main.css rel=stylesheet>";
        assert_eq!(
            set_base_href(minified, "/tools/cloudpane").unwrap(),
            "<head><meta charset=utf-8><base href=\"/tools/cloudpane/\"><link href=./main.css rel=stylesheet>"
        );
        let plain = "<basefont x><BASE href=\"/\" />";
        assert_eq!(
            set_base_href(plain, "/a").unwrap(),
            "<basefont x><base href=\"/a/\">"
        );
        assert_eq!(set_base_href(minified, ""), None);
        assert_eq!(set_base_href("<head></head>", "/a"), None);
    }
}
