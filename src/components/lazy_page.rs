//! A page whose code is fetched on its first visit. In the release build each such page is a
//! split point (`--cfg cloudpane_split`, see scripts/build-wasm.sh): its code lives in its own
//! wasm chunk, and [`page_loader!`] awaits that chunk before rendering the page. Everywhere else
//! (browser tests, `trunk serve`, clippy) the page is linked in and its future is ready at once.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::components::Loading;

/// The page's view once its code is there.
pub type PageLoad = Pin<Box<dyn Future<Output = Result<AnyView, PageLoadFailed>>>>;

/// The page's chunk could not be fetched or instantiated (the details are in the console).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLoadFailed;

impl From<leptos::wasm_split::SplitLoaderError> for PageLoadFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PageLoadFailed
    }
}

/// A [`PageLoad`] function for a page function `fn() -> Result<AnyView, PageLoadFailed>`, which
/// `#[cfg_attr(cloudpane_split, leptos::wasm_split::wasm_split(..., fallible))]` turns into an
/// `async fn` in the split build.
#[macro_export]
macro_rules! page_loader {
    ($page:path) => {{
        fn load() -> $crate::components::PageLoad {
            #[cfg(cloudpane_split)]
            {
                ::std::boxed::Box::pin($page())
            }
            #[cfg(not(cloudpane_split))]
            {
                ::std::boxed::Box::pin(::std::future::ready($page()))
            }
        }
        load as fn() -> $crate::components::PageLoad
    }};
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Loading,
    Failed,
    Ready,
}

/// Shows `<Loading what/>` while the page's code loads, then the page; if it cannot be fetched,
/// says so with a Retry button (a failed load is not remembered, so Retry fetches it again).
#[component]
pub fn LazyPage(
    /// What is loading, as `<Loading/>` words it: "the locations page".
    what: &'static str,
    /// Fetches the page's code (once per session) and renders the page.
    load: fn() -> PageLoad,
) -> impl IntoView {
    // The page renders inside the task, under this route's owner: its contexts (`use_app()`)
    // are found, and it is disposed of with the route.
    let owner = Owner::current().expect("LazyPage renders under a route");
    let phase = RwSignal::new(Phase::Loading);
    let page = StoredValue::new_local(None::<AnyView>);
    let start = move || {
        phase.set(Phase::Loading);
        owner.with(|| {
            leptos::task::spawn_local_scoped_with_cancellation(async move {
                match load().await {
                    Ok(view) => {
                        page.set_value(Some(view));
                        phase.set(Phase::Ready);
                    }
                    Err(PageLoadFailed) => phase.set(Phase::Failed),
                }
            })
        });
    };
    start.clone()();
    move || match phase.get() {
        Phase::Loading => view! { <Loading what/> }.into_any(),
        Phase::Failed => {
            let start = start.clone();
            view! {
                <div class="error-panel" role="alert">
                    <p class="error-title">
                        <span aria-hidden="true">"⚠ "</span>
                        "Could not load this page"
                    </p>
                    <p>
                        {format!(
                            "The code for {what} could not be fetched from the server. Check the \
                             network connection and retry.",
                        )}
                    </p>
                    <button type="button" on:click=move |_| start()>"Retry"</button>
                </div>
            }
            .into_any()
        }
        Phase::Ready => page
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
    }
}

/// A small part of the shell whose code is fetched after the first render, such as a warning
/// in the header: nothing shows while it loads, and nothing if it cannot be fetched (it is never
/// what the person came for; the page it points to says the same in full).
#[component]
pub fn LazyWidget(load: fn() -> PageLoad) -> impl IntoView {
    let owner = Owner::current().expect("LazyWidget renders under an owner");
    let ready = RwSignal::new(false);
    let widget = StoredValue::new_local(None::<AnyView>);
    owner.with(|| {
        leptos::task::spawn_local_scoped_with_cancellation(async move {
            if let Ok(view) = load().await {
                widget.set_value(Some(view));
                ready.set(true);
            }
        })
    });
    move || {
        ready
            .get()
            .then(|| widget.try_update_value(Option::take).flatten())
            .flatten()
    }
}
