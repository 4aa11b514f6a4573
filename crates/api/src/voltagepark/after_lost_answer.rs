//! What a Voltage Park volume read again says about a change whose answer was lost (see
//! [`crate::lost_answer`]): whether a rename, resize or attach was saved.

use super::storage::{Volume, VolumePatch};
use crate::lost_answer::Checked;
use crate::ApiError;

/// Whether a volume change whose answer was lost was saved: the volume read again
/// (`GET /api/v1/storage/{id}`; `Ok(None)`: it is gone) has the name, size and rentals sent,
/// each only when the patch changed it. The rentals are compared as a set.
pub fn volume_saved(
    patch: &VolumePatch,
    reread: Result<Option<Volume>, ApiError>,
) -> Checked<Volume> {
    Checked::from_reread(reread, |after| {
        let after = after?;
        let name_saved = patch.name.as_ref().is_none_or(|n| *n == after.name);
        let size_saved = patch
            .size_in_gb
            .is_none_or(|gb| after.size_in_gb == Some(u64::from(gb)));
        let rentals_saved = patch.order_ids.as_ref().is_none_or(|sent| {
            let (mut sent, mut now) = (sent.clone(), after.order_ids.clone());
            sent.sort();
            now.sort();
            sent == now
        });
        (name_saved && size_saved && rentals_saved).then_some(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volume(name: &str, gb: u64, orders: &[&str]) -> Volume {
        serde_json::from_value(serde_json::json!({
            "id": "s1", "name": name, "size_in_gb": gb, "order_ids": orders,
        }))
        .unwrap()
    }

    #[test]
    fn a_change_was_saved_when_the_volume_has_what_was_sent() {
        let resize = VolumePatch {
            size_in_gb: Some(200),
            ..VolumePatch::default()
        };
        assert!(matches!(
            volume_saved(&resize, Ok(Some(volume("data", 200, &[])))),
            Checked::Happened(_)
        ));
        assert_eq!(
            volume_saved(&resize, Ok(Some(volume("data", 100, &[])))),
            Checked::DidNotHappen
        );
        let attach = VolumePatch {
            name: Some("datasets".into()),
            order_ids: Some(vec!["b".into(), "a".into()]),
            ..VolumePatch::default()
        };
        assert!(matches!(
            volume_saved(&attach, Ok(Some(volume("datasets", 100, &["a", "b"])))),
            Checked::Happened(_)
        ));
        assert_eq!(
            volume_saved(&attach, Ok(Some(volume("datasets", 100, &["a"])))),
            Checked::DidNotHappen
        );
        assert_eq!(volume_saved(&attach, Ok(None)), Checked::DidNotHappen);
        let failed = ApiError::Network("offline".into());
        assert_eq!(
            volume_saved(&attach, Err(failed.clone())),
            Checked::NotKnown(failed)
        );
    }
}
