//! Every request, as method, path (without the query), status and time: one `info` line on
//! stderr (shown with `RUST_LOG=cloudpane_sandbox=info`) and, for provider requests, an entry in
//! the admin API's request log; a connection dropped on purpose is logged as such. Never headers
//! or bodies, so tokens and secrets stay out of both.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::faults::Dropped;
use crate::request_log::Outcome;
use crate::{is_provider_path, Shared};

pub async fn log(State(shared): State<Arc<Shared>>, req: Request<Body>, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    // Taken on arrival, so the log keeps arrival order even when answers overtake each other.
    let ticket = is_provider_path(&path).then(|| {
        shared
            .requests()
            .arrived(method.as_str(), &path, shared.clock.now())
    });
    let started = Instant::now();
    let response = next.run(req).await;
    let outcome = match response.extensions().get::<Dropped>() {
        Some(Dropped(when)) => Outcome::Dropped(*when),
        None => Outcome::Answered(response.status().as_u16()),
    };
    if let Some(ticket) = ticket {
        shared.requests().finished(ticket, outcome);
    }
    let ms = started.elapsed().as_millis() as u64;
    match outcome {
        Outcome::Dropped(when) => {
            tracing::info!(%method, path, dropped = when.as_str(), ms, "request")
        }
        _ => tracing::info!(%method, path, status = response.status().as_u16(), ms, "request"),
    }
    response
}
