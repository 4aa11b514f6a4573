//! How a secret list is named in a request's address.
//!
//! The document addresses a list by its name (`/api/secrets/lists/{secretList}`, "Retrieves a
//! specific secret list by its name"); every public client (the Go, Rust, Python and Node SDKs
//! and the Terraform provider) addresses it by its numeric `id`. The console keeps the
//! document's way; when a call by name answers 404 and the list object carries an id, it tries
//! once more by id (safe: a 404 changed nothing) and, when that works, remembers for the account
//! that its lists are addressed by id.

use super::secret_lists::SecretListInfo;
use crate::ApiError;

/// Which of a list's fields goes into the address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListAddressing {
    /// By name, as the document says.
    #[default]
    ByName,
    /// By numeric id, as the public SDKs do.
    ById,
}

impl ListAddressing {
    /// The list's address segment this way (its name when the id is not known).
    pub fn segment(self, list: &SecretListInfo) -> &str {
        match self {
            ListAddressing::ById if !list.id.trim().is_empty() => &list.id,
            _ => &list.name,
        }
    }

    /// True when a call made this way that failed with `error` is to be made once more by id:
    /// it went by name, NetActuate itself said 404 (nothing happened), and the list has an id
    /// that differs from its name.
    pub fn retry_by_id(self, error: &ApiError, list: &SecretListInfo) -> bool {
        self == ListAddressing::ByName
            && error.is_not_found()
            && !list.id.trim().is_empty()
            && list.id != list.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HttpError, Provider};

    fn list() -> SecretListInfo {
        SecretListInfo {
            id: "12".into(),
            name: "production".into(),
            values_count: None,
            updated_at: None,
        }
    }

    fn answer(status: u16, body: &str) -> ApiError {
        ApiError::Http(HttpError::from_response(Provider::NetActuate, status, body))
    }

    #[test]
    fn by_name_first_then_once_by_id_on_a_404() {
        let l = list();
        assert_eq!(ListAddressing::default().segment(&l), "production");
        assert_eq!(ListAddressing::ById.segment(&l), "12");
        // The SDKs' way: `secrets/lists/{id}` (Go `gona`, Rust, Terraform).
        let not_found = answer(404, r#"{"code":404,"message":"Secret list not found"}"#);
        assert!(ListAddressing::ByName.retry_by_id(&not_found, &l));
        // Already by id, or not a 404 from NetActuate: no second try.
        assert!(!ListAddressing::ById.retry_by_id(&not_found, &l));
        for other in [
            answer(422, r#"{"fields":{"secret_key":["taken"]}}"#),
            answer(404, r#"{"error":"unknown route"}"#),
            ApiError::Network("cut".into()),
        ] {
            assert!(!ListAddressing::ByName.retry_by_id(&other, &l), "{other:?}");
        }
        // A 404 inside a 200's envelope is a 404 too.
        let in_envelope = crate::read_response::<serde_json::Value>(
            Provider::NetActuate,
            200,
            r#"{"code":404,"message":"Not found","data":null}"#,
        )
        .unwrap_err();
        assert!(ListAddressing::ByName.retry_by_id(&in_envelope, &l));
        // No id to try, or the id is the name.
        let nameless = SecretListInfo {
            id: "production".into(),
            ..list()
        };
        assert!(!ListAddressing::ByName.retry_by_id(&not_found, &nameless));
        // A list known only by its name (from the page's address) goes by name either way.
        let unknown_id = SecretListInfo {
            id: String::new(),
            ..list()
        };
        assert_eq!(ListAddressing::ById.segment(&unknown_id), "production");
        assert!(!ListAddressing::ByName.retry_by_id(&not_found, &unknown_id));
    }
}
