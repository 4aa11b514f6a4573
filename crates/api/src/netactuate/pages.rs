//! NetActuate lists that come in pages, read to their end.
//!
//! The documents show every list whole. The provider's public SDKs read lists in pages:
//! - v3 (Go `gona`, Rust `netactuate-rust`): `{code, data: {data: [...], meta: {limit, offset,
//!   total}}}`, the next page asked for with `?offset=` and `?limit=`;
//! - v2: `{result, message, meta, code, data}`, where `meta` is `[]` (no paging) or the list in
//!   `data` is a Laravel paginator (`{current_page, data, last_page, next_page_url, per_page,
//!   total}`, sometimes under `paginator`), the next page asked for with `?page=`.
//!
//! [`ListPages`] reads the paging facts of each answer and says what to ask for next;
//! [`read_every_page`] walks a list with the transport it is given, every page read item by item
//! like the first ([`ListAnswer`]). A provider that keeps saying there is more is read for at
//! most [`MAX_LIST_PAGES`] pages.

use std::future::Future;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{ApiError, ApiRequest};

/// At most this many pages of one list are read, so a provider that keeps saying there is more
/// cannot keep the console asking forever.
pub const MAX_LIST_PAGES: u32 = 50;

/// What an answer says about its place in a paged list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageFacts {
    /// v3's `meta`: at most `limit` items from `offset`, of `total` in all.
    Window {
        limit: Option<u64>,
        offset: Option<u64>,
        total: Option<u64>,
    },
    /// A Laravel paginator: page `current_page` of `last_page`, `per_page` items a page, `total`
    /// in all; `next_page_url` is not `null`.
    Numbered {
        current_page: u64,
        last_page: Option<u64>,
        total: Option<u64>,
        next_page_url: bool,
    },
}

/// The paging facts of an answer, found in whichever envelope holds them; none for a list given
/// whole (a bare array, the documents' bodies, v2's `meta: []`).
pub fn page_facts(answer: &Value) -> Option<PageFacts> {
    let mut level = answer;
    // Envelopes nest two or three deep (`{code, data: {paginator: {..}}}`): a few levels suffice.
    for _ in 0..4 {
        let Value::Object(map) = level else {
            return None;
        };
        if let Some(current_page) = map.get("current_page").and_then(count) {
            return Some(PageFacts::Numbered {
                current_page,
                last_page: map.get("last_page").and_then(count),
                total: map.get("total").and_then(count),
                next_page_url: map.get("next_page_url").is_some_and(|u| !u.is_null()),
            });
        }
        if let Some(Value::Object(meta)) = map.get("meta") {
            let fact = |name: &str| meta.get(name).and_then(count);
            if ["limit", "offset", "total"]
                .iter()
                .any(|k| fact(k).is_some())
            {
                return Some(PageFacts::Window {
                    limit: fact("limit"),
                    offset: fact("offset"),
                    total: fact("total"),
                });
            }
        }
        level = map.get("paginator").or_else(|| map.get("data"))?;
    }
    None
}

/// A count as NetActuate writes it: a number, or a number in text.
fn count(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// What to do after a page of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum AfterPage {
    /// Every item is read.
    Complete,
    /// There is more: send this request for the next page.
    Next(ApiRequest),
    /// The provider says there is more, but the list cannot be read to its end: it has more
    /// than [`MAX_LIST_PAGES`] pages, or the provider answered a page that did not move on.
    /// Why, in a sentence.
    Unfinished(&'static str),
}

/// One list read page by page, from its first request.
#[derive(Debug, Clone)]
pub struct ListPages {
    first: ApiRequest,
    pages_read: u32,
    items_read: u64,
    /// Where the last next page started (an offset or a page number): each must start further on.
    asked: Option<u64>,
}

impl ListPages {
    /// A list whose first page is asked for with `first`.
    pub fn new(first: &ApiRequest) -> Self {
        ListPages {
            first: first.clone(),
            pages_read: 0,
            items_read: 0,
            asked: None,
        }
    }

    /// How many pages have been read.
    pub fn pages_read(&self) -> u32 {
        self.pages_read
    }

    /// The error of this list read only in part, because of `why` (a sentence).
    pub fn cut_short(&self, why: impl Into<String>) -> ApiError {
        ApiError::IncompleteList {
            pages_read: self.pages_read,
            why: why.into(),
        }
    }

    /// Takes in a page read (its answer's JSON, and how many items it held, read or not) and
    /// says what comes next. An answer without paging facts, or with no item, ends the list.
    pub fn after_page(&mut self, answer: &Value, items: usize) -> AfterPage {
        self.pages_read += 1;
        self.items_read += items as u64;
        let items = items as u64;
        let next = match page_facts(answer) {
            _ if items == 0 => None,
            None => None,
            Some(PageFacts::Window {
                limit,
                offset,
                total,
            }) => {
                let next_offset = offset.map_or(self.items_read, |o| o + items);
                let more = match total {
                    Some(total) => next_offset < total,
                    // No total: a full page may be followed by another.
                    None => limit.is_some_and(|l| items >= l),
                };
                more.then(|| {
                    let next = self.first.clone().set_query("offset", next_offset);
                    let next = match limit {
                        Some(limit) => next.set_query("limit", limit),
                        None => next,
                    };
                    (next_offset, next)
                })
            }
            Some(PageFacts::Numbered {
                current_page,
                last_page,
                total,
                next_page_url,
            }) => {
                let more = match (last_page, total) {
                    (Some(last), _) => current_page < last,
                    (None, Some(total)) => self.items_read < total,
                    (None, None) => next_page_url,
                };
                more.then(|| {
                    let page = current_page + 1;
                    (page, self.first.clone().set_query("page", page))
                })
            }
        };
        let Some((start, request)) = next else {
            return AfterPage::Complete;
        };
        if self.asked.is_some_and(|before| start <= before) {
            return AfterPage::Unfinished(
                "NetActuate answered the same page again instead of the next one.",
            );
        }
        if self.pages_read >= MAX_LIST_PAGES {
            return AfterPage::Unfinished(
                "NetActuate says the list goes on past 50 pages, the most cloudpane reads of one list.",
            );
        }
        self.asked = Some(start);
        AfterPage::Next(request)
    }
}

/// A NetActuate list answer whose pages can be joined: each page is read as a whole answer (its
/// items one by one, an unreadable one kept apart), then added after the pages before it.
pub trait ListAnswer: DeserializeOwned {
    /// How many items this page held, read or not.
    fn item_count(&self) -> usize;
    /// Adds a later page's items after this one's.
    fn join(&mut self, later: Self);
}

/// Reads a NetActuate list to its end: `first`, then each next page, sent with `exchange` (the
/// transport: a request in, its answer's status and body out), each page read as `T` and joined
/// in order. A page after the first that fails, or a list that cannot be read to its end, is an
/// [`ApiError::IncompleteList`]: part of a list is never given as if it were all of it.
pub async fn read_every_page<
    T: ListAnswer,
    Sent: Future<Output = Result<(u16, String), ApiError>>,
>(
    first: &ApiRequest,
    exchange: impl Fn(ApiRequest) -> Sent,
) -> Result<T, ApiError> {
    let mut pages = ListPages::new(first);
    let mut request = first.clone();
    let mut list: Option<T> = None;
    loop {
        let provider = request.provider;
        let answer = exchange(request).await.and_then(|(status, body)| {
            let page = crate::read_response::<T>(provider, status, &body)?;
            Ok((
                page,
                serde_json::from_str::<Value>(&body).unwrap_or_default(),
            ))
        });
        let (page, body) = match (answer, list.is_some()) {
            (Ok(answer), _) => answer,
            (Err(e), false) => return Err(e),
            (Err(e), true) => return Err(pages.cut_short(format!("the next page failed: {e}"))),
        };
        let after = pages.after_page(&body, page.item_count());
        let all = match list.take() {
            None => page,
            Some(mut all) => {
                all.join(page);
                all
            }
        };
        match after {
            AfterPage::Complete => return Ok(all),
            AfterPage::Next(next) => request = next,
            AfterPage::Unfinished(why) => return Err(pages.cut_short(why)),
        }
        list = Some(all);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netactuate::secret_lists::{list_values, Data, ListValue};
    use crate::Rows;
    use serde_json::json;

    fn first() -> ApiRequest {
        list_values("t", "production")
    }

    /// The requests a walk makes over `answers` (each with how many items it held), after the
    /// first, and how it ended.
    fn walk(answers: &[(Value, usize)]) -> (Vec<String>, AfterPage) {
        let mut pages = ListPages::new(&first());
        let mut asked = Vec::new();
        for (answer, items) in answers {
            match pages.after_page(answer, *items) {
                AfterPage::Next(next) => asked.push(next.path_and_query()),
                end => return (asked, end),
            }
        }
        panic!("the walk asked for more pages than the test gave: {asked:?}");
    }

    fn v3(items: usize, offset: u64, total: u64) -> (Value, usize) {
        let data: Vec<Value> = (0..items).map(|i| json!({"id": i})).collect();
        let answer = json!({"code": 200, "message": "OK", "data": {
            "data": data, "meta": {"limit": 2, "offset": offset, "total": total, "suggestedFilters": []}}});
        (answer, items)
    }

    #[test]
    fn v3_meta_pages_go_on_by_offset_and_limit_to_the_total() {
        let (asked, end) = walk(&[v3(2, 0, 5), v3(2, 2, 5), v3(1, 4, 5)]);
        assert_eq!(
            asked,
            [
                "/api/secrets/lists/production/values?offset=2&limit=2",
                "/api/secrets/lists/production/values?offset=4&limit=2",
            ]
        );
        assert_eq!(end, AfterPage::Complete);
        // Every item on the first page: one request.
        assert_eq!(walk(&[v3(2, 0, 2)]), (vec![], AfterPage::Complete));
        // An empty page ends the list even when the total says more.
        assert_eq!(
            walk(&[v3(2, 0, 9), v3(0, 2, 9)]).1,
            AfterPage::Complete,
            "an empty page"
        );
    }

    #[test]
    fn the_first_request_keeps_its_own_query_and_paging_values_are_replaced() {
        let mut pages = ListPages::new(&first().query("q", "db"));
        let AfterPage::Next(second) = pages.after_page(&v3(2, 0, 6).0, 2) else {
            panic!("a second page");
        };
        assert_eq!(
            second.path_and_query(),
            "/api/secrets/lists/production/values?q=db&offset=2&limit=2"
        );
        assert_eq!(second.headers, first().headers, "the same request");
        let AfterPage::Next(third) = pages.after_page(&v3(2, 2, 6).0, 2) else {
            panic!("a third page");
        };
        assert_eq!(
            third.path_and_query(),
            "/api/secrets/lists/production/values?q=db&offset=4&limit=2"
        );
    }

    #[test]
    fn without_a_total_a_full_page_may_have_a_next() {
        let page = |n: usize, offset: u64| {
            let data: Vec<Value> = (0..n).map(|i| json!({"id": i})).collect();
            (
                json!({"code": 200, "data": {"data": data, "meta": {"limit": 2, "offset": offset}}}),
                n,
            )
        };
        let (asked, end) = walk(&[page(2, 0), page(1, 2)]);
        assert_eq!(
            asked,
            ["/api/secrets/lists/production/values?offset=2&limit=2"]
        );
        assert_eq!(end, AfterPage::Complete);
    }

    #[test]
    fn a_laravel_paginator_goes_on_by_page_to_its_last() {
        let page = |current: u64| {
            (
                json!({"result": "success", "message": null, "meta": [], "data": {"paginator": {
                    "current_page": current, "data": [{"id": current}], "last_page": 3,
                    "per_page": 1, "total": 3,
                    "next_page_url": if current < 3 { json!("https://vapi2.netactuate.com/api/secrets/lists?page=2") } else { Value::Null }}}}),
                1,
            )
        };
        let (asked, end) = walk(&[page(1), page(2), page(3)]);
        assert_eq!(
            asked,
            [
                "/api/secrets/lists/production/values?page=2",
                "/api/secrets/lists/production/values?page=3",
            ]
        );
        assert_eq!(end, AfterPage::Complete);
        // Not under `paginator`, with a total but no last page.
        let bare = |current: u64| {
            (
                json!({"data": {"current_page": current, "data": [{"id": 1}, {"id": 2}], "per_page": 2, "total": 3}}),
                2,
            )
        };
        let (asked, end) = walk(&[bare(1), bare(2)]);
        assert_eq!(asked, ["/api/secrets/lists/production/values?page=2"]);
        assert_eq!(end, AfterPage::Complete);
        // Only `next_page_url` says there is more.
        let link = json!({"current_page": 1, "data": [{"id": 1}], "next_page_url": "x"});
        assert_eq!(
            page_facts(&link),
            Some(PageFacts::Numbered {
                current_page: 1,
                last_page: None,
                total: None,
                next_page_url: true
            })
        );
    }

    #[test]
    fn an_answer_without_paging_facts_is_the_whole_list() {
        for whole in [
            json!({"data": [{"id": 1}, {"id": 2}]}),
            json!([{"id": 1}, {"id": 2}]),
            json!({"secrets": [{"id": 1}, {"id": 2}]}),
            json!({"code": 200, "message": "OK", "data": [{"id": 1}, {"id": 2}]}),
            // v2: `meta: []` is no paging.
            json!({"result": "success", "message": null, "meta": [], "data": [{"id": 1}, {"id": 2}]}),
        ] {
            assert_eq!(page_facts(&whole), None, "{whole}");
            assert_eq!(
                walk(&[(whole.clone(), 2)]),
                (vec![], AfterPage::Complete),
                "{whole}"
            );
        }
        // Counts written as text are counts.
        assert_eq!(
            page_facts(&json!({"data": {"data": [], "meta": {"limit": "25", "total": "30"}}})),
            Some(PageFacts::Window {
                limit: Some(25),
                offset: None,
                total: Some(30)
            })
        );
    }

    #[test]
    fn a_provider_that_keeps_saying_there_is_more_is_read_for_at_most_50_pages() {
        // Every answer says 2 more of a total that never comes.
        let mut pages = ListPages::new(&first());
        let mut asked = 0;
        let end = loop {
            let offset = u64::from(pages.pages_read()) * 2;
            match pages.after_page(&v3(2, offset, u64::MAX).0, 2) {
                AfterPage::Next(_) => asked += 1,
                end => break end,
            }
        };
        assert_eq!(asked + 1, MAX_LIST_PAGES, "50 pages read in all");
        assert!(matches!(end, AfterPage::Unfinished(why) if why.contains("50")));
        // One that ignores the offset and answers the first page again is caught at once.
        let (asked, end) = walk(&[v3(2, 0, 10), v3(2, 0, 10)]);
        assert_eq!(asked.len(), 1);
        assert!(matches!(end, AfterPage::Unfinished(why) if why.contains("same page")));
    }

    #[test]
    fn pages_are_joined_item_by_item() {
        let page = |body: Value| serde_json::from_value::<Data<Rows<ListValue>>>(body).unwrap();
        let mut all = page(json!({"code": 200, "data": {"data": [
            {"id": 1, "secret_list_id": 1, "secret_key": "A"}], "meta": {"limit": 1, "offset": 0, "total": 2}}}));
        let second = page(json!({"code": 200, "data": {"data": [
            {"id": 2, "secret_list_id": 1, "secret_key": {"not": "text"}}], "meta": {"limit": 1, "offset": 1, "total": 2}}}));
        assert_eq!(second.item_count(), 1, "an unreadable item counts");
        all.join(second);
        assert_eq!(all.data.read.len(), 1);
        assert_eq!(all.data.unreadable.len(), 1);
        assert_eq!(all.data.unreadable[0].label(), "id 2");
    }

    /// Runs a future whose every await is ready (the fake transports below answer at once).
    fn now<F: Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(out) => out,
            std::task::Poll::Pending => panic!("the fake transport answers at once"),
        }
    }

    /// A transport that answers each request by its query (`""` for none), recording them.
    fn fake<'a>(
        answers: &'a [(&'a str, u16, Value)],
        asked: &'a std::cell::RefCell<Vec<String>>,
    ) -> impl Fn(ApiRequest) -> std::future::Ready<Result<(u16, String), ApiError>> + 'a {
        move |req| {
            let query = req
                .path_and_query()
                .split_once('?')
                .map(|(_, q)| q.to_string());
            asked.borrow_mut().push(req.path_and_query());
            let (_, status, body) = answers
                .iter()
                .find(|(q, _, _)| Some(*q) == query.as_deref() || (q.is_empty() && query.is_none()))
                .expect("an answer for every page asked");
            std::future::ready(Ok((*status, body.to_string())))
        }
    }

    fn values_page(keys: &[&str], offset: u64, total: u64) -> Value {
        let data: Vec<Value> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| json!({"id": offset + i as u64, "secret_list_id": 1, "secret_key": k}))
            .collect();
        json!({"code": 200, "data": {"data": data, "meta": {"limit": 2, "offset": offset, "total": total}}})
    }

    #[test]
    fn every_page_is_read_and_joined_in_order() {
        let answers = [
            ("", 200, values_page(&["A", "B"], 0, 3)),
            ("offset=2&limit=2", 200, values_page(&["C"], 2, 3)),
        ];
        let asked = std::cell::RefCell::new(Vec::new());
        let all: Data<Rows<ListValue>> =
            now(read_every_page(&first(), fake(&answers, &asked))).unwrap();
        let keys: Vec<&str> = all
            .data
            .read
            .iter()
            .map(|v| v.secret_key.as_str())
            .collect();
        assert_eq!(keys, ["A", "B", "C"]);
        assert_eq!(asked.borrow().len(), 2);
        // A list given whole is one request.
        let whole = [(
            "",
            200,
            json!({"data": [{"id": 1, "secret_list_id": 1, "secret_key": "A"}]}),
        )];
        let asked = std::cell::RefCell::new(Vec::new());
        let all: Data<Vec<ListValue>> =
            now(read_every_page(&first(), fake(&whole, &asked))).unwrap();
        assert_eq!((all.data.len(), asked.borrow().len()), (1, 1));
    }

    #[test]
    fn a_failing_first_page_is_its_own_error_and_a_later_one_says_the_list_is_incomplete() {
        let refused = [(
            "",
            403,
            json!({"code": 403, "message": "Forbidden", "data": null}),
        )];
        let asked = std::cell::RefCell::new(Vec::new());
        let err = now(read_every_page::<Data<Vec<ListValue>>, _>(
            &first(),
            fake(&refused, &asked),
        ))
        .unwrap_err();
        assert!(
            matches!(err, ApiError::Http(ref e) if e.status == 403),
            "{err:?}"
        );
        let answers = [
            ("", 200, values_page(&["A", "B"], 0, 3)),
            (
                "offset=2&limit=2",
                500,
                json!({"code": 500, "message": "Server Error"}),
            ),
        ];
        let asked = std::cell::RefCell::new(Vec::new());
        let err = now(read_every_page::<Data<Vec<ListValue>>, _>(
            &first(),
            fake(&answers, &asked),
        ))
        .unwrap_err();
        match &err {
            ApiError::IncompleteList { pages_read, why } => {
                assert_eq!(*pages_read, 1);
                assert!(why.contains("(500)"), "{why}");
            }
            other => panic!("{other:?}"),
        }
    }
}
