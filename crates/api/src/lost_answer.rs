//! When a change's answer is lost ([`ApiError::answer_may_be_lost`]), the console does not send
//! it again and does not call it a failure: it reads the resource again and says what happened,
//! as the deploy does ([`crate::machines::deploy_check`]). These are the decisions, made from
//! the answer and the second read; pages only put them in words.

use crate::ApiError;

/// What a change whose answer was lost turned out to be, once the resource was read again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked<T> {
    /// It was carried out; what it made or changed.
    Happened(T),
    /// It was not carried out: the provider shows nothing of it.
    DidNotHappen,
    /// Reading again failed too, so it is not known.
    NotKnown(ApiError),
}

impl<T> Checked<T> {
    /// Decides from the second read: `found` picks, from what was read, what shows the change
    /// happened (`None`: it did not).
    pub fn from_reread<L>(reread: Result<L, ApiError>, found: impl FnOnce(L) -> Option<T>) -> Self {
        match reread.map(found) {
            Ok(Some(made)) => Checked::Happened(made),
            Ok(None) => Checked::DidNotHappen,
            Err(e) => Checked::NotKnown(e),
        }
    }
}

/// What the answer to a delete says about the resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteAnswer {
    /// Deleted now.
    Deleted,
    /// The provider has no such resource (404): an earlier try whose answer was lost, or
    /// someone else, deleted it. It is gone all the same.
    AlreadyGone,
    /// The answer was lost: read the list again and decide with [`deleted_after_lost_answer`].
    Lost,
    /// The provider (or the proxy) refused: it is still there.
    Refused(ApiError),
}

impl DeleteAnswer {
    pub fn of<T>(answer: Result<T, ApiError>) -> Self {
        match answer {
            Ok(_) => DeleteAnswer::Deleted,
            Err(e) if e.is_not_found() => DeleteAnswer::AlreadyGone,
            Err(e) if e.answer_may_be_lost() => DeleteAnswer::Lost,
            Err(e) => DeleteAnswer::Refused(e),
        }
    }
}

/// Whether a delete of `id` whose answer was lost happened, from the ids listed when read
/// again: it did when `id` is no longer among them.
pub fn deleted_after_lost_answer(id: &str, reread: Result<Vec<String>, ApiError>) -> Checked<()> {
    Checked::from_reread(reread, |ids| (!ids.iter().any(|i| i == id)).then_some(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HttpError, Provider};

    fn status(n: u16, body: &str) -> ApiError {
        ApiError::Http(HttpError::from_response(Provider::NetActuate, n, body))
    }

    #[test]
    fn a_404_on_delete_means_gone_a_lost_answer_means_look_again() {
        assert_eq!(DeleteAnswer::of(Ok(())), DeleteAnswer::Deleted);
        assert_eq!(
            DeleteAnswer::of::<()>(Err(status(404, r#"{"message":"Not found"}"#))),
            DeleteAnswer::AlreadyGone
        );
        assert_eq!(
            DeleteAnswer::of::<()>(Err(ApiError::Network("cut".into()))),
            DeleteAnswer::Lost
        );
        assert_eq!(
            DeleteAnswer::of::<()>(Err(status(
                502,
                r#"{"error":"the upstream exchange failed"}"#
            ))),
            DeleteAnswer::Lost
        );
        let refused = status(503, r#"{"message":"down"}"#);
        assert_eq!(
            DeleteAnswer::of::<()>(Err(refused.clone())),
            DeleteAnswer::Refused(refused)
        );
        // The proxy's own 404 (a route it does not know) says nothing about the resource.
        assert!(matches!(
            DeleteAnswer::of::<()>(Err(status(404, r#"{"error":"unknown provider `x`"}"#))),
            DeleteAnswer::Refused(_)
        ));
    }

    #[test]
    fn a_lost_delete_happened_when_the_id_is_no_longer_listed() {
        let ids = |l: &[&str]| Ok(l.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            deleted_after_lost_answer("7", ids(&["1", "2"])),
            Checked::Happened(())
        );
        assert_eq!(
            deleted_after_lost_answer("7", ids(&["1", "7"])),
            Checked::DidNotHappen
        );
        let failed = ApiError::Network("offline".into());
        assert_eq!(
            deleted_after_lost_answer("7", Err(failed.clone())),
            Checked::NotKnown(failed)
        );
    }
}
