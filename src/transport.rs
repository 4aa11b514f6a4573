//! The browser transport: sends an [`ApiRequest`] through the proxy with gloo-net.

use cloudpane_api::netactuate::pages::read_every_page;
use cloudpane_api::netactuate::ListAnswer;
use cloudpane_api::runtime_config::{config_url, routes_origin, ACCESS_KEY_HEADER};
use cloudpane_api::{
    keep_first_by_id, read_response, ApiError, ApiRequest, Page, PageRequest, RuntimeConfig,
    MAX_PAGES,
};
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::state::Connection;

/// Sends `req` through the proxy and reads the answer as `T`.
pub async fn send<T: DeserializeOwned>(
    connection: &Connection,
    req: &ApiRequest,
) -> Result<T, ApiError> {
    let (status, body) = exchange(connection, req).await?;
    read_response(req.provider, status, &body)
}

/// Sends `req` and returns the answer's status and body. Not generic, so the request code is
/// compiled once rather than once per answer type (it is most of the app's request code).
/// Providers whose answers need their own reading (Octos's envelope) read them from this.
pub async fn exchange(
    connection: &Connection,
    req: &ApiRequest,
) -> Result<(u16, String), ApiError> {
    exchange_with(connection, req, req.body.clone().map(Into::into)).await
}

/// Sends `req` with its multipart form fields (`curl -F`) as the browser's `FormData`; the
/// browser sets the `Content-Type` with its boundary. Only the pages that send forms use it,
/// so its code is fetched with them rather than in the first load.
pub async fn exchange_form(
    connection: &Connection,
    req: &ApiRequest,
) -> Result<(u16, String), ApiError> {
    let form = web_sys::FormData::new()
        .map_err(|_| ApiError::Network("this browser cannot build a form body".into()))?;
    for (name, value) in &req.form {
        form.append_with_str(name, value)
            .map_err(|_| ApiError::Network("this browser cannot build a form body".into()))?;
    }
    exchange_with(connection, req, Some(form.into())).await
}

async fn exchange_with(
    connection: &Connection,
    req: &ApiRequest,
    body: Option<wasm_bindgen::JsValue>,
) -> Result<(u16, String), ApiError> {
    let url = format!(
        "{}{}",
        // The route prefix is a path from the proxy's origin, its base path included.
        routes_origin(&connection.proxy_base),
        // None when a name in the path was refused: nothing is sent.
        req.proxy_url(&connection.config.route_prefix)?
    );
    let mut builder = RequestBuilder::new(&url).method(method(req.method));
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    if let Some(key) = &connection.access_key {
        builder = builder.header(ACCESS_KEY_HEADER, key);
    }
    let request = match body {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|e| ApiError::Network(e.to_string()))?;
    // The error of a failed fetch names the URL; the URL never holds a token, but say less anyway.
    let cut = |_| ApiError::Network("the connection to the proxy failed or was cut".into());
    let response = request.send().await.map_err(cut)?;
    let status = response.status();
    let body = response.text().await.map_err(cut)?;
    Ok((status, body))
}

/// Pages asked for at once after the first: enough to overlap the round trips, few enough to
/// stay clear of a provider's rate limit.
const PAGES_AT_ONCE: usize = 4;

/// Walks a paged list to its end, `limit` items a page, and returns every item as the provider
/// wrote it. The first page says how many there are; the rest are asked for [`PAGES_AT_ONCE`] at
/// a time. If the list grew meanwhile the walk goes on page by page; an item met twice (the
/// list shifted under the walk) is kept once.
pub async fn send_every_page(
    connection: &Connection,
    request: &dyn Fn(PageRequest) -> ApiRequest,
    limit: u32,
) -> Result<Vec<Value>, ApiError> {
    let first_request = PageRequest::first(limit);
    let first: Page<Value> = send(connection, &request(first_request)).await?;
    let rest = first.remaining(first_request);
    let mut more = first.has_next;
    let mut all = first.results;
    for chunk in rest.chunks(PAGES_AT_ONCE) {
        let requests: Vec<ApiRequest> = chunk.iter().map(|p| request(*p)).collect();
        let answers =
            futures::future::join_all(requests.iter().map(|r| send::<Page<Value>>(connection, r)))
                .await;
        for answer in answers {
            let answer = answer?;
            more = answer.has_next && !answer.results.is_empty();
            all.extend(answer.results);
        }
    }
    let mut page = rest.last().copied().unwrap_or(first_request).next();
    while more && page.offset < MAX_PAGES * u64::from(limit) {
        let answer: Page<Value> = send(connection, &request(page)).await?;
        more = answer.has_next && !answer.results.is_empty();
        all.extend(answer.results);
        page = page.next();
    }
    keep_first_by_id(&mut all);
    Ok(all)
}

/// Sends a NetActuate list request and reads every page of its answer, joined in order
/// (`cloudpane_api::netactuate::pages::read_every_page`): a later page that fails, or a list that
/// cannot be read to its end, is an [`ApiError::IncompleteList`].
pub async fn send_netactuate_list<T: ListAnswer>(
    connection: &Connection,
    first: &ApiRequest,
) -> Result<T, ApiError> {
    read_every_page(first, |request| async move {
        exchange(connection, &request).await
    })
    .await
}

/// Reads the proxy's runtime configuration from `proxy_base` ("" for the proxy that served the
/// app: beside it, under its base path).
pub async fn load_runtime_config(proxy_base: &str) -> Result<RuntimeConfig, String> {
    let url = config_url(proxy_base);
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|_| format!("no proxy answered at {}", display_base(proxy_base)))?;
    if !response.ok() {
        return Err(format!(
            "{} answered {} for the proxy's configuration: is it a cloudpane proxy?",
            display_base(proxy_base),
            response.status()
        ));
    }
    response
        .json::<RuntimeConfig>()
        .await
        .map_err(|e| format!("the proxy's configuration could not be read: {e}"))
}

fn display_base(proxy_base: &str) -> &str {
    if proxy_base.is_empty() {
        "this site"
    } else {
        proxy_base
    }
}

fn method(m: cloudpane_api::Method) -> gloo_net::http::Method {
    use cloudpane_api::Method::*;
    match m {
        Get => gloo_net::http::Method::GET,
        Post => gloo_net::http::Method::POST,
        Put => gloo_net::http::Method::PUT,
        Patch => gloo_net::http::Method::PATCH,
        Delete => gloo_net::http::Method::DELETE,
    }
}
