//! hyper's timer for the header read timeout (`--header-read-timeout`): a worker checks its
//! connections' deadlines once a second ([`wake_expired_periodically`]) instead of giving each
//! request an entry in tokio's timer wheel.
//!
//! hyper starts that timer for every request (when it begins waiting for the next request's
//! head) and drops it when the head has arrived, so with tokio's timer each request armed a
//! wheel entry, registered it, and took it out again. Here a sleep is a slot in a per-thread
//! list: no wheel, no lock. The cost: a deadline is noticed up to [`CHECK_EVERY`] late, which
//! does not matter for a timeout of seconds.
//!
//! A worker's connections never leave its thread (see `lib.rs`), so each sleep is polled and
//! dropped on the thread whose list holds it, and the list is a thread-local without a lock.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use hyper::rt::{Sleep, Timer};

/// How often a worker looks for expired deadlines.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);

/// The [`Timer`] to give hyper's server on a worker thread that runs
/// [`wake_expired_periodically`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CoarseTimer;

impl Timer for CoarseTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        self.sleep_until(Instant::now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        Box::pin(CoarseSleep {
            deadline,
            slot: None,
            thread: thread_id(),
        })
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn Sleep>>, new_deadline: Instant) {
        match sleep.as_mut().downcast_mut_pin::<CoarseSleep>() {
            Some(coarse) => coarse.get_mut().reset(new_deadline),
            None => *sleep = self.sleep_until(new_deadline),
        }
    }
}

/// A deadline, listed in this thread's [`WAITING`] once it has been polled.
struct CoarseSleep {
    deadline: Instant,
    slot: Option<usize>,
    /// The thread whose list holds the slot.
    thread: usize,
}

impl Sleep for CoarseSleep {}

struct Waiting {
    deadline: Instant,
    waker: Waker,
    expired: bool,
}

#[derive(Default)]
struct List {
    slots: Vec<Option<Waiting>>,
    free: Vec<usize>,
}

thread_local! {
    /// This thread's listed sleeps.
    static WAITING: RefCell<List> = RefCell::default();
    static THREAD_ID: Cell<usize> = const { Cell::new(0) };
}

/// A number for this thread, unique in the process.
fn thread_id() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
    THREAD_ID.with(|id| {
        if id.get() == 0 {
            id.set(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        }
        id.get()
    })
}

impl CoarseSleep {
    fn reset(&mut self, deadline: Instant) {
        self.deadline = deadline;
        if let Some(slot) = self.slot {
            self.with_waiting(slot, |waiting| {
                waiting.deadline = deadline;
                waiting.expired = false;
            });
        }
    }

    /// Panics when used on another thread than the one whose list it is (or would be) in.
    fn check_thread(&self) {
        assert_eq!(
            self.thread,
            thread_id(),
            "a coarse sleep is used only on the thread that made it"
        );
    }

    fn with_waiting<R>(&self, slot: usize, f: impl FnOnce(&mut Waiting) -> R) -> Option<R> {
        self.check_thread();
        WAITING.with_borrow_mut(|list| list.slots[slot].as_mut().map(f))
    }
}

impl Future for CoarseSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        match this.slot {
            Some(slot) => {
                let expired = this.with_waiting(slot, |waiting| {
                    if !waiting.expired && !waiting.waker.will_wake(cx.waker()) {
                        waiting.waker = cx.waker().clone();
                    }
                    waiting.expired
                });
                if expired == Some(true) {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
            None if Instant::now() >= this.deadline => Poll::Ready(()),
            None => {
                this.check_thread();
                let waiting = Waiting {
                    deadline: this.deadline,
                    waker: cx.waker().clone(),
                    expired: false,
                };
                this.slot = Some(WAITING.with_borrow_mut(|list| match list.free.pop() {
                    Some(slot) => {
                        list.slots[slot] = Some(waiting);
                        slot
                    }
                    None => {
                        list.slots.push(Some(waiting));
                        list.slots.len() - 1
                    }
                }));
                Poll::Pending
            }
        }
    }
}

impl Drop for CoarseSleep {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            if self.thread == thread_id() {
                // `try_with`: the thread's list may already be gone when a runtime drops its
                // connections as the thread ends.
                let _ = WAITING.try_with(|list| {
                    let mut list = list.borrow_mut();
                    list.slots[slot] = None;
                    list.free.push(slot);
                });
            }
        }
    }
}

/// Wakes this thread's sleeps whose deadline has passed, every [`CHECK_EVERY`]. Runs on each
/// worker's runtime.
pub async fn wake_expired_periodically() {
    wake_expired_every(CHECK_EVERY).await
}

async fn wake_expired_every(period: Duration) {
    let mut every = tokio::time::interval(period);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let now = Instant::now();
        WAITING.with_borrow_mut(|list| {
            for waiting in list.slots.iter_mut().flatten() {
                if !waiting.expired && waiting.deadline <= now {
                    waiting.expired = true;
                    waiting.waker.wake_by_ref();
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Polls `future` once.
    async fn poll_once<F: Future + ?Sized>(mut future: Pin<&mut F>) -> Poll<F::Output> {
        std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx))).await
    }

    fn listed() -> usize {
        WAITING.with_borrow(|list| list.slots.iter().flatten().count())
    }

    #[tokio::test(flavor = "current_thread")]
    async fn deadlines_fire_once_checked_and_resets_move_them() {
        tokio::spawn(wake_expired_every(Duration::from_millis(20)));
        let timer = CoarseTimer;
        let started = Instant::now();
        timer.sleep(Duration::from_millis(100)).await;
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(100) && took < Duration::from_secs(2),
            "{took:?}"
        );
        assert_eq!(listed(), 0, "a finished sleep leaves the list");

        let mut sleep = timer.sleep(Duration::from_millis(50));
        // Polled once (listed), then moved later before it fires.
        assert!(poll_once(sleep.as_mut()).await.is_pending());
        assert_eq!(listed(), 1);
        let moved = Instant::now();
        timer.reset(&mut sleep, Instant::now() + Duration::from_millis(200));
        sleep.as_mut().await;
        assert!(moved.elapsed() >= Duration::from_millis(200));
        drop(sleep);

        let mut past = timer.sleep_until(Instant::now() - Duration::from_millis(1));
        assert!(
            poll_once(past.as_mut()).await.is_ready(),
            "a past deadline is ready at once"
        );

        let mut dropped = timer.sleep(Duration::from_secs(60));
        assert!(poll_once(dropped.as_mut()).await.is_pending());
        assert_eq!(listed(), 1);
        drop(dropped);
        assert_eq!(listed(), 0, "a dropped sleep leaves the list");
    }
}
