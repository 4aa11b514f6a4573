//! Octos Cloud (`/octos/...`): the API token's whole life (`api_access`), the VMs, and a
//! read-only table for every family of the document's quick reference. Requests and the
//! envelope are `cloudpane_api::octos`'s; these pages only wire signals to them.

mod api_access;
mod credentials;
mod current_token;
mod enable_form;
mod family_page;
mod login_form;
mod new_token;
mod octos_error;
mod overview;
mod profile;
mod resource_table;
mod rotate_and_disable;
mod vms_page;

pub use api_access::OctosApiAccessPage;
pub use credentials::Flow;
pub use enable_form::EnableForm;
pub use family_page::OctosFamilyPage;
pub use login_form::LoginForm;
pub use new_token::NewTokenPanel;
pub use overview::OctosOverviewPage;
pub use rotate_and_disable::RotateAndDisable;
pub use vms_page::OctosVmsPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/octos` and `/octos/:page`: the overview, `api-access`, `vms`, or a resource family's slug. One
/// component for the one route (and split point) of every Octos page.
#[component]
pub fn OctosPages() -> impl IntoView {
    let params = use_params_map();
    let page = Memo::new(move |_| params.with(|p| p.get("page").unwrap_or_default()));
    move || match page.get().as_str() {
        "" => view! { <OctosOverviewPage/> }.into_any(),
        "api-access" => view! { <OctosApiAccessPage/> }.into_any(),
        "vms" => view! { <OctosVmsPage/> }.into_any(),
        _ => view! { <OctosFamilyPage/> }.into_any(),
    }
}

use cloudpane_api::octos::expiry::Day;
use cloudpane_api::{octos, ApiError, ApiRequest};
use serde::de::DeserializeOwned;

use crate::state::Connection;
use crate::transport;

/// Sends an Octos request and reads the `data` of its envelope (an `"Error"` status with a 200
/// is an error too).
async fn send<T: DeserializeOwned>(
    connection: &Connection,
    req: &ApiRequest,
) -> Result<T, ApiError> {
    let (status, body) = if req.form.is_empty() {
        transport::exchange(connection, req).await?
    } else {
        transport::exchange_form(connection, req).await?
    };
    octos::read_envelope(status, &body)
}

/// Today in the browser's time zone.
fn today() -> Day {
    let now = js_sys::Date::new_0();
    Day::new(
        now.get_full_year() as i32,
        (now.get_month() + 1) as u8,
        now.get_date() as u8,
    )
    .unwrap_or(Day {
        year: 1970,
        month: 1,
        day: 1,
    })
}
