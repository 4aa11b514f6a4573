use leptos::prelude::*;

use super::{ReferenceCheckPage, SecretListPage, SecretsPage};
use crate::pages::NetActuateServersPage;

/// The NetActuate pages, chosen by the address. They share one split point (src/app.rs): every
/// split point adds to the first load's loader, and these pages are visited together.
#[component]
pub fn NetActuateArea() -> impl IntoView {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
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
