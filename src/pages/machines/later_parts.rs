//! The parts of the machines page that are not needed to show the first rows: what failed to
//! list, the outcomes of actions, and the toolbar (bulk actions, export, notifications). Each is a
//! split point: in the release build its code is fetched after the page's first render
//! (`<LazyWidget/>`), keeping it out of the first load. They read what they need from context.

use std::collections::HashSet;

use leptos::prelude::*;

use super::account_failures::AccountFailures;
use super::action_notices::ActionNoticeList;
use super::bulk::BulkActions;
use super::export::ExportButton;
use super::notify::{Notifier, NotifyToggle};
use crate::components::PageLoadFailed;

/// What the toolbar works on: the rows shown, the rows ticked, the notifier.
#[derive(Clone, Copy)]
pub struct ToolbarInputs {
    pub rows: Memo<Vec<usize>>,
    pub selected: RwSignal<HashSet<String>>,
    pub notifier: Notifier,
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(machines_failures, fallible, wasm_split_path = ::leptos::wasm_split))]
pub fn account_failures() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <AccountFailures/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(machines_outcomes, fallible, wasm_split_path = ::leptos::wasm_split))]
pub fn action_outcomes() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <ActionNoticeList/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(machines_toolbar, fallible, wasm_split_path = ::leptos::wasm_split))]
pub fn toolbar() -> Result<AnyView, PageLoadFailed> {
    let ToolbarInputs {
        rows,
        selected,
        notifier,
    } = expect_context::<ToolbarInputs>();
    Ok(view! {
        <BulkActions rows selected/>
        <span class="spacer"></span>
        <ExportButton rows/>
        <NotifyToggle notifier/>
    }
    .into_any())
}
