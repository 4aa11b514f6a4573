//! Where the app is served: the directory of its `<base href>` (index.html ships `/`; the
//! proxy's `--base-path`, or whoever hosts the files under a prefix, sets it). The router's base,
//! and the prefix of every app link written as a plain `<a href>` (the router's `<A>` adds it
//! itself).

use cloudpane_api::url::{app_base_from, app_path_of, under_base};

thread_local! {
    static BASE: String = read_base();
}

/// `""` at the root of a host, else `/a/b` (no trailing slash).
pub fn base_path() -> String {
    BASE.with(Clone::clone)
}

/// An app path (`/machines`) as a link under the base path.
pub fn app_href(app_path: &str) -> String {
    BASE.with(|base| under_base(base, app_path))
}

/// The app path of a browser path (the router's location): the base path taken off.
pub fn app_path(browser_path: &str) -> String {
    BASE.with(|base| app_path_of(base, browser_path).to_string())
}

fn read_base() -> String {
    let directory = document()
        .and_then(|d| d.base_uri().ok().flatten())
        .and_then(|uri| web_sys::Url::new_with_base(".", &uri).ok())
        .map(|url| url.pathname());
    directory.map_or(String::new(), |d| app_base_from(&d).to_string())
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}
