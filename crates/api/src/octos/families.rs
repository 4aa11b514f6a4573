//! The resource families of the document's quick reference ("Quick reference: All API
//! sections"), each listed with `GET` on its path under `/backend/api` with the API token. The
//! document gives no schemas: pages render whatever comes back ([`super::table`]).

use super::bearer;
use crate::request::{ApiRequest, Method};

/// One family of Octos resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Family {
    /// The console's address for it: `/octos/{slug}`.
    pub slug: &'static str,
    /// Its name in the user's words.
    pub title: &'static str,
    /// The path under `/backend/api`, as the quick reference lists it.
    pub path: &'static str,
    /// The quick reference's category it comes from.
    pub category: &'static str,
}

const fn family(
    slug: &'static str,
    title: &'static str,
    path: &'static str,
    category: &'static str,
) -> Family {
    Family {
        slug,
        title,
        path,
        category,
    }
}

/// Every read-only family, in the quick reference's order. Virtual machines have their own page
/// (and the machines table); authentication and profile are the API access page.
pub const FAMILIES: [Family; 14] = [
    family("projects", "Projects", "/projects", "Projects"),
    family(
        "block-storage",
        "Block storage",
        "/blockstorages",
        "Block Storage",
    ),
    family(
        "snapshots",
        "Snapshots",
        "/blockstorages/snapshots",
        "Snapshots",
    ),
    family("backups", "Backups", "/blockstorages/backups", "Backups"),
    family("networks", "Networks", "/networks", "Networks"),
    family(
        "network-categories",
        "Network categories",
        "/network/categories",
        "Networks",
    ),
    family(
        "virtual-routers",
        "Virtual routers",
        "/virtual-routers",
        "Virtual Routers",
    ),
    family(
        "ip-addresses",
        "IP addresses",
        "/ip-addresses",
        "IP Addresses",
    ),
    family(
        "security-groups",
        "Security groups",
        "/security-groups",
        "Security Groups",
    ),
    family(
        "load-balancers",
        "Load balancers",
        "/loadbalancers",
        "Load Balancers",
    ),
    family("monitoring", "Monitoring", "/monitoring", "Monitoring"),
    family("dns", "DNS", "/dns", "DNS"),
    family("billing", "Billing", "/billing", "Billing"),
    family(
        "support-tickets",
        "Support tickets",
        "/support-tickets",
        "Support",
    ),
];

/// The family whose console address is `/octos/{slug}`.
impl Family {
    /// Where Octos serves it: `/backend/api{path}`.
    pub fn api_path(&self) -> String {
        format!("/backend/api{}", self.path)
    }
}

pub fn find_family(slug: &str) -> Option<Family> {
    FAMILIES.iter().copied().find(|f| f.slug == slug)
}

/// `GET /backend/api{path}` with the API token.
pub fn list_family(family: Family, token: &str) -> ApiRequest {
    bearer(
        Method::Get,
        crate::url::RequestPath::joined("/backend/api", family.path),
        token,
    )
}

/// `GET /backend/api/profile` with the API token (the quick reference's "Profile").
pub fn profile(token: &str) -> ApiRequest {
    bearer(Method::Get, "/backend/api/profile", token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_the_quick_references_under_backend_api() {
        let paths: Vec<String> = FAMILIES.iter().map(|f| list_family(*f, "t").path).collect();
        assert_eq!(
            paths,
            [
                "/backend/api/projects",
                "/backend/api/blockstorages",
                "/backend/api/blockstorages/snapshots",
                "/backend/api/blockstorages/backups",
                "/backend/api/networks",
                "/backend/api/network/categories",
                "/backend/api/virtual-routers",
                "/backend/api/ip-addresses",
                "/backend/api/security-groups",
                "/backend/api/loadbalancers",
                "/backend/api/monitoring",
                "/backend/api/dns",
                "/backend/api/billing",
                "/backend/api/support-tickets",
            ]
        );
        assert_eq!(profile("t").path, "/backend/api/profile");
        let req = list_family(FAMILIES[0], "tok");
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
    }

    #[test]
    fn slugs_are_unique_and_found() {
        for f in FAMILIES {
            assert_eq!(find_family(f.slug), Some(f));
            assert!(f.slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            // Not the addresses of the other Octos pages.
            assert!(!["vms", "api-access"].contains(&f.slug));
        }
        assert_eq!(find_family("nope"), None);
    }
}
