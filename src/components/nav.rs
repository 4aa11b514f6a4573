use leptos::prelude::*;
use leptos_router::components::A;

/// One area of the console, as listed in the left navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub path: &'static str,
    pub label: &'static str,
    /// Which providers the area covers, shown under its name.
    pub providers: &'static str,
    /// The letter that goes there after `g` (see `KeyboardShortcuts`).
    pub key: char,
}

/// The areas of the console, in navigation order.
pub const AREAS: [Area; 9] = [
    Area {
        path: "/machines",
        label: "Machines",
        providers: "All providers",
        key: 'm',
    },
    Area {
        path: "/deploy",
        label: "Deploy",
        providers: "Voltage Park",
        key: 'd',
    },
    Area {
        path: "/ssh-keys",
        label: "SSH keys",
        providers: "Voltage Park",
        key: 'k',
    },
    Area {
        path: "/secrets",
        label: "Secrets",
        providers: "NetActuate",
        key: 's',
    },
    Area {
        path: "/storage",
        label: "Storage",
        providers: "Voltage Park",
        key: 'v',
    },
    Area {
        path: "/billing",
        label: "Billing",
        providers: "Voltage Park",
        key: 'b',
    },
    Area {
        path: "/locations",
        label: "Locations",
        providers: "Voltage Park",
        key: 'l',
    },
    Area {
        path: "/octos",
        label: "Octos",
        providers: "Octos Cloud",
        key: 'o',
    },
    Area {
        path: "/accounts",
        label: "Accounts",
        providers: "All providers",
        key: 'a',
    },
];

/// The left navigation by area; the router marks the current one with `aria-current`.
#[component]
pub fn Nav() -> impl IntoView {
    view! {
        <nav class="side-nav" aria-label="Areas">
            <ul>
                {AREAS
                    .iter()
                    .map(|area| {
                        view! {
                            <li>
                                <A href=crate::base_path::app_href(area.path)>
                                    <span class="nav-label">{area.label}</span>
                                    <span class="nav-provider">{area.providers}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
