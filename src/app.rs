//! The app root: state, the proxy connection, the shell and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::LiveRegion;
use crate::components::{
    KeyboardShortcuts, LazyPage, LazyWidget, Loading, Nav, PageLoadFailed, ThemeSwitch,
};
use crate::page_loader;
use crate::pages::{
    AccessKeyPrompt, AccountsPage, BareMetalFormPage, BillingPage, ConnectProxy, DeployBoardPage,
    HostnodePage, InstantVmFormPage, LocationPage, LocationsPage, MachineDetailPage, MachinesPage,
    NetActuateArea, NotFound, OctosPages, SshKeysPage, StoragePage,
};
use crate::pages::{AccountSwitcher, LockButton, RunwayWarning, UnlockScreen};
use crate::state::{AppState, Connection};
use crate::transport;

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    // Served by the proxy, the app finds its configuration on its own origin. Served from a plain
    // static host it does not, and asks the user where the proxy is.
    let same_origin = LocalResource::new(|| transport::load_runtime_config(""));
    Effect::new(move |_| {
        if let Some(Ok(config)) = same_origin.get() {
            if state.connection.get_untracked().is_none() {
                state.connect(Connection {
                    proxy_base: String::new(),
                    config,
                    access_key: None,
                });
            }
        }
    });

    view! {
        <Router base=crate::base_path::base_path()>
            // Under a <base href>, `#main` would resolve to the app's root: focus does what it says.
            <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
            <Header/>
            <div class="layout">
                <Nav/>
                <main id="main" tabindex="-1">
                    {move || match (state.connection.with(Option::is_some), same_origin.get()) {
                        (true, _) if state.needs_access_key() => view! {
                            <LazyPage what="the access key form" load=page_loader!(access_key_screen)/>
                        }.into_any(),
                        // While remembered accounts are locked, no page runs: nothing calls a provider.
                        (true, _) if state.accounts.is_locked() => view! {
                            <LazyPage what="the unlock screen" load=page_loader!(unlock_screen)/>
                        }.into_any(),
                        (true, _) => view! { <AppRoutes/> }.into_any(),
                        (false, None) => view! { <Loading what="the proxy's configuration"/> }.into_any(),
                        (false, Some(Ok(_))) => view! { <Loading what="accounts"/> }.into_any(),
                        (false, Some(Err(reason))) => {
                            provide_context(ProxyUnreachable(reason));
                            view! {
                                <LazyPage what="the form to connect to a proxy" load=page_loader!(connect_proxy_screen)/>
                            }.into_any()
                        }
                    }}
                </main>
            </div>
            <LiveRegion/>
        </Router>
    }
}

fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document().get_element_by_id("main") {
        if let Ok(main) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(main) {
            let _ = main.focus();
        }
    }
}

#[component]
fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/") view=MachinesPage/>
            <Route path=path!("/locations") view=|| view! {
                <LazyPage what="the locations page" load=page_loader!(locations_page)/>
            }/>
            <Route path=path!("/locations/:id") view=|| view! {
                <LazyPage what="the location's page" load=page_loader!(location_page)/>
            }/>
            <Route path=path!("/hostnodes/:id") view=|| view! {
                <LazyPage what="the hostnode's page" load=page_loader!(hostnode_page)/>
            }/>
            <Route path=path!("/accounts") view=|| view! {
                <LazyPage what="the accounts page" load=page_loader!(accounts_page)/>
            }/>
            <Route path=path!("/machines") view=MachinesPage/>
            <Route path=path!("/machines/:provider/:kind/:id") view=|| view! {
                <LazyPage what="the machine's page" load=page_loader!(machine_detail_page)/>
            }/>
            <Route path=path!("/deploy") view=|| view! {
                <LazyPage what="the deploy page" load=page_loader!(deploy_board_page)/>
            }/>
            <Route path=path!("/deploy/instant-vm") view=|| view! {
                <LazyPage what="the instant VM form" load=page_loader!(instant_vm_form_page)/>
            }/>
            <Route path=path!("/deploy/bare-metal") view=|| view! {
                <LazyPage what="the bare-metal form" load=page_loader!(bare_metal_form_page)/>
            }/>
            <Route path=path!("/ssh-keys") view=|| view! {
                <LazyPage what="the SSH keys page" load=page_loader!(ssh_keys_page)/>
            }/>
            <Route path=path!("/secrets") view=netactuate_route/>
            <Route path=path!("/secrets/lists/:name") view=netactuate_route/>
            <Route path=path!("/secrets/check") view=netactuate_route/>
            <Route path=path!("/netactuate/servers") view=netactuate_route/>
            <Route path=path!("/storage") view=|| view! {
                <LazyPage what="the storage page" load=page_loader!(storage_page)/>
            }/>
            <Route path=path!("/billing") view=|| view! {
                <LazyPage what="the billing page" load=page_loader!(billing_page)/>
            }/>
            // Every Octos page is one split point (the overview at /octos, the others at
            // /octos/{page}): the first load carries only these route lines.
            <Route path=path!("/octos") view=|| view! {
                <LazyPage what="the Octos pages" load=page_loader!(octos_pages)/>
            }/>
            <Route path=path!("/octos/:page") view=|| view! {
                <LazyPage what="the Octos pages" load=page_loader!(octos_pages)/>
            }/>
        </Routes>
    }
}

// The pages off the first screen. In the release build (`--cfg cloudpane_split`, set only by
// scripts/build-wasm.sh) each function is a split point: the page's code goes to its own wasm
// chunk, fetched on the first visit (`<LazyPage/>`). Elsewhere they are plain functions.

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(locations, fallible, wasm_split_path = ::leptos::wasm_split))]
fn locations_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <LocationsPage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(location, fallible, wasm_split_path = ::leptos::wasm_split))]
fn location_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <LocationPage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(hostnode, fallible, wasm_split_path = ::leptos::wasm_split))]
fn hostnode_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <HostnodePage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(accounts, fallible, wasm_split_path = ::leptos::wasm_split))]
fn accounts_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <AccountsPage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(machine_detail, fallible, wasm_split_path = ::leptos::wasm_split))]
fn machine_detail_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <MachineDetailPage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(deploy_board, fallible, wasm_split_path = ::leptos::wasm_split))]
fn deploy_board_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <DeployBoardPage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(instant_vm_form, fallible, wasm_split_path = ::leptos::wasm_split))]
fn instant_vm_form_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <InstantVmFormPage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(bare_metal_form, fallible, wasm_split_path = ::leptos::wasm_split))]
fn bare_metal_form_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <BareMetalFormPage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(ssh_keys, fallible, wasm_split_path = ::leptos::wasm_split))]
fn ssh_keys_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <SshKeysPage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(storage, fallible, wasm_split_path = ::leptos::wasm_split))]
fn storage_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <StoragePage/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(billing, fallible, wasm_split_path = ::leptos::wasm_split))]
fn billing_page() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <BillingPage/> }.into_any())
}

/// The NetActuate pages' route view, one function for the four routes (see `netactuate_area`).
fn netactuate_route() -> impl IntoView {
    view! { <LazyPage what="the NetActuate pages" load=page_loader!(netactuate_area)/> }
}

// The NetActuate pages (secrets, a list, the reference checker, servers) share one: each split
// point adds to the first load's loader.
#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(netactuate, fallible, wasm_split_path = ::leptos::wasm_split))]
fn netactuate_area() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <NetActuateArea/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(octos, fallible, wasm_split_path = ::leptos::wasm_split))]
fn octos_pages() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <OctosPages/> }.into_any())
}

/// Why the app could not reach a proxy on its own origin, for the form that asks where it is.
#[derive(Clone)]
struct ProxyUnreachable(String);

// The screens before any page: asking for the proxy's access key, and where the proxy is when the
// app is served without one beside it. Most starts need neither, so they are fetched when shown.
#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(access_key, fallible, wasm_split_path = ::leptos::wasm_split))]
fn access_key_screen() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <AccessKeyPrompt/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(connect_proxy, fallible, wasm_split_path = ::leptos::wasm_split))]
fn connect_proxy_screen() -> Result<AnyView, PageLoadFailed> {
    let reason = use_context::<ProxyUnreachable>()
        .map(|r| r.0)
        .unwrap_or_default();
    Ok(view! { <ConnectProxy reason/> }.into_any())
}

// The unlock screen too: only a reload with remembered accounts needs it.
#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(unlock, fallible, wasm_split_path = ::leptos::wasm_split))]
fn unlock_screen() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <UnlockScreen/> }.into_any())
}

// Parts of the header fetched after the first render: the account switcher, the theme picker and
// the keyboard shortcuts (one split point: each adds to the first load's loader), and the warning
// that the balance lasts under two days (nothing shows until their code is there). index.html
// applies a chosen theme before the first paint.

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(header_tools, fallible, wasm_split_path = ::leptos::wasm_split))]
fn header_tools() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <AccountSwitcher/><ThemeSwitch/><KeyboardShortcuts/> }.into_any())
}

#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(runway_warning, fallible, wasm_split_path = ::leptos::wasm_split))]
fn runway_warning() -> Result<AnyView, PageLoadFailed> {
    Ok(view! { <RunwayWarning/> }.into_any())
}

/// The top bar: the product, whether this is the demo, the accounts in use and the lock.
#[component]
fn Header() -> impl IntoView {
    let state = crate::state::use_app();
    crate::accounts::watch_idle(state);
    let demo = move || {
        state
            .connection
            .with(|c| c.as_ref().is_some_and(|c| c.config.demo))
    };
    view! {
        <header class="top-bar">
            <a class="brand" href=crate::base_path::app_href("/")>"cloudpane"</a>
            <Show when=demo>
                <span class="badge demo" title="Every provider is simulated by the built-in sandbox">
                    "Demo · sandbox"
                </span>
            </Show>
            <span class="spacer"></span>
            <LazyWidget load=page_loader!(runway_warning)/>
            <LazyWidget load=page_loader!(header_tools)/>
            <LockButton/>
        </header>
    }
}
