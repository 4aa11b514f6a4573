use leptos::prelude::*;

/// Guards a billable or destructive request so it is sent once: the first click claims it,
/// further clicks (a double click, Enter held down) find it taken until it is released. The
/// claim is taken synchronously in the event handler, so two events in a row cannot both pass.
#[derive(Clone, Copy)]
pub struct SendOnce {
    busy: RwSignal<bool>,
}

impl SendOnce {
    pub fn new() -> Self {
        SendOnce {
            busy: RwSignal::new(false),
        }
    }

    /// True while a request is in flight (reactive, for disabling buttons).
    pub fn busy(&self) -> bool {
        self.busy.get()
    }

    /// Claims the right to send; false when a request is already in flight.
    pub fn claim(&self) -> bool {
        if self.busy.get_untracked() {
            return false;
        }
        self.busy.set(true);
        true
    }

    /// Lets the next request go, once the answer (or its absence) has been dealt with.
    pub fn release(&self) {
        self.busy.set(false);
    }
}

impl Default for SendOnce {
    fn default() -> Self {
        Self::new()
    }
}
