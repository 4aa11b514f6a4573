use cloudpane_api::ApiError;
use leptos::prelude::*;

use super::netactuate_error::NetActuateError;
use crate::components::{LastGood, Loading, StaleNotice};

/// What a section of these pages reads again after every change, in one of three states:
/// loading (nothing read yet), the error in words with Retry (nothing read yet), or the rows
/// of the last good read, under "As of HH:MM, could not refresh" when reading again failed.
pub struct LastRead<T> {
    /// The latest answer (`None` while the first is awaited).
    pub read: Option<Result<T, ApiError>>,
    /// The last good answer and its time.
    pub last: Option<LastGood<T>>,
}

impl<T> LastRead<T> {
    /// The section's view: `rows` draws the last good read. `what` names the rows in a
    /// sentence ("the secrets"); `retry` reads them again.
    pub fn view(
        self,
        what: &'static str,
        retry: Callback<()>,
        rows: impl FnOnce(T) -> AnyView,
    ) -> AnyView {
        match (self.read, self.last) {
            (Some(Err(error)), Some(last)) => view! {
                <StaleNotice what as_of=last.as_of error on_retry=retry/>
                {rows(last.value)}
            }
            .into_any(),
            (_, Some(last)) => rows(last.value),
            (Some(Err(error)), None) => {
                view! { <NetActuateError error on_retry=retry/> }.into_any()
            }
            (_, None) => view! { <Loading what/> }.into_any(),
        }
    }
}
