//! The organization's SSH keys, as the deploy forms offer them (`organization_ssh_keys`). The
//! document shows `x-api-token` for these endpoints; Bearer is sent as well (NOTES.md).

use serde::{Deserialize, Serialize};

use super::storage::api_token;
use crate::request::{ApiRequest, Method};
use crate::PageRequest;

/// The most keys `GET /api/v1/organization/ssh-keys` returns in one page.
pub const SSH_KEYS_PAGE_MAX: u32 = 150;

/// One of the organization's SSH public keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgSshKey {
    pub id: String,
    pub name: String,
    /// The OpenSSH public key line.
    pub content: String,
}

/// `GET /api/v1/organization/ssh-keys`: one page of the organization's keys.
pub fn list_org_ssh_keys(token: &str, page: PageRequest) -> ApiRequest {
    api_token(Method::Get, "/api/v1/organization/ssh-keys", token)
        .query("limit", page.limit.clamp(1, SSH_KEYS_PAGE_MAX))
        .query("offset", page.offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Page;

    #[test]
    fn reads_the_documented_example_with_both_headers() {
        let body = r#"{"results": [{"id": "123e4567-e89b-12d3-a456-426614174000",
            "name": "My-SSH-Public-Key", "content": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDAKOgHv82A6Oi7AWLvBC9N..."}],
            "total_result_count": 1, "has_previous": true, "has_next": true}"#;
        let page: Page<OrgSshKey> = serde_json::from_str(body).unwrap();
        assert_eq!(page.results[0].name, "My-SSH-Public-Key");
        let req = list_org_ssh_keys("tok", PageRequest::first(500));
        assert_eq!(
            req.path_and_query(),
            "/api/v1/organization/ssh-keys?limit=150&offset=0"
        );
        assert!(req.headers.contains(&("x-api-token".into(), "tok".into())));
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer tok".into())));
    }
}
