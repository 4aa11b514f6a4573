use leptos::prelude::*;

use super::{ReferenceCheckPage, SecretListPage, SecretsPage};
use crate::pages::NetActuateServersPage;

/// The styles only these pages use: they come with the pages' code, not in the first load's CSS.
const STYLE: &str = "\
.masked-value code.revealed{word-break:break-all}\
.masked-note:empty{display:none}\
.page-links{margin:4px 0 12px}\
textarea.code{font-family:ui-monospace,monospace;width:100%}\
.script-preview mark{color:#111;border-radius:3px;padding:0 2px}\
.script-preview mark.ref-found{background:#d7f5dd}\
.script-preview mark.ref-missing{background:#ffe1c2;outline:1px solid #b76e00}\
.ref-word{font-size:11px;font-weight:600}\
.import-progress progress{width:16em;margin-left:8px}";

/// The NetActuate pages, chosen by the address, with their styles. They share one split point
/// (src/app.rs): every split point adds to the first load's loader, and these pages are
/// visited together.
#[component]
pub fn NetActuateArea() -> impl IntoView {
    view! {
        <style>{STYLE}</style>
        {page()}
    }
}

fn page() -> AnyView {
    let path = crate::base_path::app_path(
        &leptos_router::hooks::use_location()
            .pathname
            .get_untracked(),
    );
    if path.starts_with("/secrets/lists/") {
        view! { <SecretListPage/> }.into_any()
    } else if path.starts_with("/secrets/check") {
        view! { <ReferenceCheckPage/> }.into_any()
    } else if path.starts_with("/netactuate/servers") {
        view! { <NetActuateServersPage/> }.into_any()
    } else {
        view! { <SecretsPage/> }.into_any()
    }
}
