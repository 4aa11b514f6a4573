//! Prometheus metrics, served on their own address (`--metrics-listen`, off by default) so that
//! they are never reachable through the app's origin or a TLS terminator in front of it.
//!
//! Labels only ever hold values from small fixed sets (a provider slug, a method name, a status
//! class, a rule name): never a token, a path or a query value.

use std::time::Duration;

use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cloudpane_api::Provider;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use tokio::net::TcpListener;

use crate::error::ProxyError;
use crate::AppState;

/// The path metrics are served at on the metrics address.
pub const METRICS_PATH: &str = "/metrics";

/// The rules that refuse a request, as the `rule` label names them.
pub const REFUSAL_RULES: [&str; 7] = [
    "origin",
    "host",
    "access_key",
    "ssrf",
    "rate_limit",
    "concurrency",
    "body_size",
];

/// Upper bounds (seconds) of the upstream latency buckets: from a sandbox on loopback to a
/// provider's slow list calls.
const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    provider: &'static str,
    method: &'static str,
    status_class: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ProviderLabel {
    provider: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RuleLabel {
    rule: &'static str,
}

/// Everything the proxy counts, and the registry that writes it out.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    upstream_latency: Family<ProviderLabel, Histogram>,
    refused: Family<RuleLabel, Counter>,
    in_flight: Gauge,
    upstream_request_bytes: Family<ProviderLabel, Counter>,
    upstream_response_bytes: Family<ProviderLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("cloudpane_proxy");
        let requests = Family::<RequestLabels, Counter>::default();
        let upstream_latency = Family::<ProviderLabel, Histogram>::new_with_constructor(
            latency_histogram as fn() -> _,
        );
        let refused = Family::<RuleLabel, Counter>::default();
        let in_flight = Gauge::default();
        let upstream_request_bytes = Family::<ProviderLabel, Counter>::default();
        let upstream_response_bytes = Family::<ProviderLabel, Counter>::default();
        registry.register(
            "requests",
            "Proxied requests answered, by provider, method and status class",
            requests.clone(),
        );
        registry.register_with_unit(
            "upstream_response",
            "Time from sending a request upstream to the upstream's response headers",
            Unit::Seconds,
            upstream_latency.clone(),
        );
        registry.register(
            "refused",
            "Proxied requests refused by the proxy's own rules, by rule",
            refused.clone(),
        );
        registry.register(
            "requests_in_flight",
            "Proxied requests in flight (response bodies still streaming included)",
            in_flight.clone(),
        );
        registry.register_with_unit(
            "upstream_request",
            "Request body bytes sent upstream, by provider",
            Unit::Bytes,
            upstream_request_bytes.clone(),
        );
        registry.register_with_unit(
            "upstream_response",
            "Response body bytes received from upstreams and passed on, by provider",
            Unit::Bytes,
            upstream_response_bytes.clone(),
        );
        // Every rule and provider shows from the first scrape, at 0.
        for rule in REFUSAL_RULES {
            refused.get_or_create_owned(&RuleLabel { rule });
        }
        Metrics {
            registry,
            requests,
            upstream_latency,
            refused,
            in_flight,
            upstream_request_bytes,
            upstream_response_bytes,
        }
    }

    /// Counts one answered proxied request. `provider` is `None` for a path naming no provider.
    pub fn count_request(&self, provider: Option<Provider>, method: &Method, status: StatusCode) {
        self.requests
            .get_or_create(&RequestLabels {
                provider: provider_label(provider),
                method: method_label(method),
                status_class: status_class(status),
            })
            .inc();
    }

    /// Counts a refusal, if `error` is one of the rules' (an upstream failure is not).
    pub fn count_refusal(&self, error: &ProxyError) {
        if let Some(rule) = refusal_rule(error) {
            self.refused.get_or_create(&RuleLabel { rule }).inc();
        }
    }

    /// Records how long `provider`'s upstream took to send its response headers.
    pub fn observe_upstream_latency(&self, provider: Provider, took: Duration) {
        self.upstream_latency
            .get_or_create(&ProviderLabel {
                provider: provider.slug(),
            })
            .observe(took.as_secs_f64());
    }

    /// The counter of request body bytes sent to `provider`.
    pub fn upstream_request_bytes(&self, provider: Provider) -> Counter {
        self.upstream_request_bytes
            .get_or_create_owned(&ProviderLabel {
                provider: provider.slug(),
            })
    }

    /// The counter of response body bytes received from `provider`.
    pub fn upstream_response_bytes(&self, provider: Provider) -> Counter {
        self.upstream_response_bytes
            .get_or_create_owned(&ProviderLabel {
                provider: provider.slug(),
            })
    }

    /// The text exposition, with `in_flight` proxied requests in flight now.
    pub fn encode(&self, in_flight: usize) -> String {
        self.in_flight
            .set(i64::try_from(in_flight).unwrap_or(i64::MAX));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String does not fail");
        text
    }
}

fn latency_histogram() -> Histogram {
    Histogram::new(LATENCY_BUCKETS)
}

fn provider_label(provider: Option<Provider>) -> &'static str {
    provider.map_or("unknown", Provider::slug)
}

/// The method's name if it is one the proxy forwards, `other` for any other (a client picks
/// method names freely; a label must not grow with them).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The rule behind a refusal; `None` for errors that are not the proxy's own refusals.
pub fn refusal_rule(error: &ProxyError) -> Option<&'static str> {
    Some(match error {
        ProxyError::ForeignOrigin => "origin",
        ProxyError::UnexpectedHost => "host",
        ProxyError::AccessKey => "access_key",
        ProxyError::BlockedUpstream => "ssrf",
        ProxyError::RateLimited(_) => "rate_limit",
        ProxyError::Busy => "concurrency",
        ProxyError::BodyTooLarge(_) => "body_size",
        _ => return None,
    })
}

/// Serves [`METRICS_PATH`] on `listener` until the task is aborted (at the end of
/// [`crate::serve`]).
pub async fn serve_metrics(state: AppState, listener: TcpListener) {
    let router = axum::Router::new()
        .route(METRICS_PATH, get(scrape))
        .with_state(state);
    if let Err(error) = axum::serve(listener, router).await {
        tracing::warn!("the metrics listener stopped: {error}");
    }
}

async fn scrape(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    let in_flight = state.config.max_concurrent_requests - state.in_flight.available_permits();
    let mut response = state.metrics.encode(in_flight).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_fixed_sets() {
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap()), "other");
        assert_eq!(status_class(StatusCode::BAD_GATEWAY), "5xx");
        assert_eq!(status_class(StatusCode::NO_CONTENT), "2xx");
        assert_eq!(refusal_rule(&ProxyError::Upstream), None);
        assert_eq!(
            refusal_rule(&ProxyError::RateLimited(3)),
            Some("rate_limit")
        );
    }

    #[test]
    fn the_text_exposition_names_every_family() {
        let metrics = Metrics::new();
        metrics.count_request(Some(Provider::NetActuate), &Method::GET, StatusCode::OK);
        metrics.observe_upstream_latency(Provider::NetActuate, Duration::from_millis(30));
        metrics
            .upstream_response_bytes(Provider::NetActuate)
            .inc_by(42);
        let text = metrics.encode(2);
        for expected in [
            "cloudpane_proxy_requests_total{provider=\"netactuate\",method=\"GET\",status_class=\"2xx\"} 1",
            "cloudpane_proxy_upstream_response_seconds_bucket{le=\"0.05\",provider=\"netactuate\"} 1",
            "cloudpane_proxy_refused_total{rule=\"ssrf\"} 0",
            "cloudpane_proxy_requests_in_flight 2",
            "cloudpane_proxy_upstream_response_bytes_total{provider=\"netactuate\"} 42",
            "# EOF",
        ] {
            assert!(text.contains(expected), "{expected} in\n{text}");
        }
    }
}
