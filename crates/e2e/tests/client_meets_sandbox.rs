//! The console's request builders and models (crates/api) against the sandbox binary: two
//! independent readings of the provider documents must agree.

use cloudpane_api::voltagepark::{list_locations, Location, LOCATIONS_PAGE_MAX};
use cloudpane_api::{read_response, ApiError, ApiRequest, Method, Page, PageRequest, Provider};
use cloudpane_e2e::{start_sandbox, start_sandbox_with};

/// Sends `req` straight to the sandbox (as the proxy would forward it; form fields as
/// multipart) and answers its status and body.
async fn answer(sandbox_url: &str, req: &ApiRequest) -> Result<(u16, String), ApiError> {
    let url = format!(
        "{sandbox_url}/{}{}",
        req.provider.slug(),
        req.path_and_query()
    );
    let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes()).unwrap();
    let mut builder = reqwest::Client::new().request(method, url);
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    if let Some(body) = &req.body {
        builder = builder.body(body.clone());
    }
    if !req.form.is_empty() {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &req.form {
            form = form.text(name.clone(), value.clone());
        }
        builder = builder.multipart(form);
    }
    let response = builder
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status().as_u16();
    Ok((status, response.text().await.unwrap()))
}

/// Sends `req` straight to the sandbox (as the proxy would forward it) and reads the answer.
async fn send<T: serde::de::DeserializeOwned>(
    sandbox_url: &str,
    req: &ApiRequest,
) -> Result<T, ApiError> {
    let (status, body) = answer(sandbox_url, req).await?;
    read_response(req.provider, status, &body)
}

#[tokio::test]
async fn paging_through_every_location_sees_each_once() {
    let sandbox = start_sandbox();
    let token = Provider::VoltagePark.demo_token();
    // A small page size, so the walk crosses pages.
    let mut page = PageRequest::first(2);
    let mut seen = Vec::new();
    loop {
        let result: Page<Location> = send(&sandbox.url, &list_locations(token, page))
            .await
            .unwrap();
        assert!(result.results.len() <= 2);
        seen.extend(result.results.iter().map(|l| l.id.clone()));
        assert_eq!(result.has_previous, page.offset > 0);
        if !result.has_next {
            assert_eq!(seen.len() as u64, result.total_result_count);
            break;
        }
        page = page.next();
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        seen.len(),
        "a location showed up twice: {seen:?}"
    );
    assert!(seen.len() > 2, "the sandbox seeds several locations");

    // The largest page the document allows holds them all.
    let all: Page<Location> = send(
        &sandbox.url,
        &list_locations(token, PageRequest::first(LOCATIONS_PAGE_MAX)),
    )
    .await
    .unwrap();
    assert_eq!(all.results.len(), seen.len());
    assert!(all
        .results
        .iter()
        .flat_map(|l| &l.hostnodes)
        .all(|n| !n.pricing.per_gpu_hr.is_empty()));
}

#[tokio::test]
async fn a_wrong_token_and_an_out_of_range_limit_get_the_documented_errors() {
    let sandbox = start_sandbox();
    let err = send::<Page<Location>>(
        &sandbox.url,
        &list_locations("not-a-token", PageRequest::first(3)),
    )
    .await
    .unwrap_err();
    let ApiError::Http(e) = err else {
        panic!("expected an HTTP error, got {err:?}")
    };
    assert_eq!(e.status, 401);
    assert!(!e.from_proxy);

    // The builder clamps `limit`, so ask by hand for what the document forbids.
    let req = ApiRequest::new(Provider::VoltagePark, Method::Get, "/api/v1/locations/")
        .header(
            "Authorization",
            format!("Bearer {}", Provider::VoltagePark.demo_token()),
        )
        .query("limit", 16);
    let ApiError::Http(e) = send::<Page<Location>>(&sandbox.url, &req)
        .await
        .unwrap_err()
    else {
        panic!("expected a 422")
    };
    assert_eq!(e.status, 422);
    assert_eq!(
        e.fields.first().map(|f| f.field.as_str()),
        Some("limit"),
        "{e:?}"
    );
}

/// Sends an Octos `req` straight to the sandbox, its form fields as multipart, and reads the
/// envelope's `data`.
async fn send_octos<T: serde::de::DeserializeOwned>(
    sandbox_url: &str,
    req: &ApiRequest,
) -> Result<T, ApiError> {
    let (status, body) = answer(sandbox_url, req).await?;
    cloudpane_api::octos::read_envelope(status, &body)
}

#[tokio::test]
async fn octos_login_enable_retrieve_and_every_family() {
    use cloudpane_api::octos::api_access::{access_token, disable, enable, CurrentToken, NewToken};
    use cloudpane_api::octos::families::{list_family, profile, FAMILIES};
    use cloudpane_api::octos::session::{login, Session};
    use cloudpane_api::octos::table::Table;

    let sandbox = start_sandbox();
    let url = &sandbox.url;
    let wrong = send_octos::<Session>(url, &login("demo@cloudpane.dev", "nope"))
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, ApiError::Http(ref e) if e.status == 401),
        "{wrong}"
    );
    let session: Session = send_octos(url, &login("demo@cloudpane.dev", "demo-password"))
        .await
        .unwrap();
    let new: NewToken = send_octos(url, &enable(&session.token, "ci", Some("2099-01-31")))
        .await
        .unwrap();
    let current: CurrentToken = send_octos(url, &access_token(&new.token)).await.unwrap();
    assert_eq!(current.token, new.token);
    assert_eq!(current.expires_at.as_deref(), Some("01-31-2099 11:59 PM"));
    let p: serde_json::Value = send_octos(url, &profile(&new.token)).await.unwrap();
    assert_eq!(p["api_token_name"], "ci");
    for family in FAMILIES {
        let data: serde_json::Value = send_octos(url, &list_family(family, &new.token))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", family.title));
        let table = Table::from_data(&data);
        assert!(!table.rows.is_empty(), "{}: no rows", family.title);
        assert!(!table.columns.is_empty(), "{}", family.title);
    }
    let () = send_octos(url, &disable(&new.token)).await.unwrap();
    let refused = send_octos::<serde_json::Value>(url, &list_family(FAMILIES[0], &new.token))
        .await
        .unwrap_err();
    assert!(cloudpane_api::octos::envelope::is_token_refused(&refused));
}

/// Lists named with spaces, signs, dots and letters beyond ASCII are addressed by their name,
/// one percent-encoded segment (crates/api/src/url.rs): the sandbox finds each for every call.
#[tokio::test]
async fn secret_lists_with_any_addressable_name_work_by_name() {
    use cloudpane_api::netactuate::secret_lists::{
        create_secret_list, create_value, delete_secret_list, delete_value, get_secret_list,
        list_values, rename_secret_list, Data, ListValue, SecretListInfo,
    };
    use cloudpane_api::netactuate::SecretValue;
    let sandbox = start_sandbox();
    let token = Provider::NetActuate.demo_token();
    let names = [
        "web app 100%",
        "cl\u{e9} \u{fc}n\u{ef}",
        "a+b=c&d?e#f",
        "...",
        ".env",
        "~x",
    ];
    for (i, name) in names.into_iter().enumerate() {
        let made: Data<SecretListInfo> = send(&sandbox.url, &create_secret_list(token))
            .await
            .unwrap();
        let _: serde_json::Value = send(
            &sandbox.url,
            &rename_secret_list(token, &made.data.name, name),
        )
        .await
        .unwrap_or_else(|e| panic!("rename to {name:?}: {e}"));
        let got: Data<SecretListInfo> = send(&sandbox.url, &get_secret_list(token, name))
            .await
            .unwrap_or_else(|e| panic!("get {name:?}: {e}"));
        assert_eq!(got.data.name, name);
        let key = format!("E2E_NAMED_{i}");
        let value: Data<ListValue> = send(
            &sandbox.url,
            &create_value(token, name, &key, &SecretValue::new("v")),
        )
        .await
        .unwrap_or_else(|e| panic!("add a value to {name:?}: {e}"));
        let values: Data<Vec<ListValue>> =
            send(&sandbox.url, &list_values(token, name)).await.unwrap();
        assert_eq!(values.data.len(), 1, "{name:?}");
        let _: serde_json::Value = send(&sandbox.url, &delete_value(token, name, &value.data.id))
            .await
            .unwrap();
        let _: serde_json::Value = send(&sandbox.url, &delete_secret_list(token, name))
            .await
            .unwrap_or_else(|e| panic!("delete {name:?}: {e}"));
        let gone = send::<serde_json::Value>(&sandbox.url, &get_secret_list(token, name)).await;
        assert!(
            matches!(gone, Err(ApiError::Http(ref e)) if e.status == 404),
            "{name:?}"
        );
    }
}

/// The console's requests on the sandbox answering in the live shapes (`--shapes live`): every
/// read it makes is accepted (headers, paths and queries as the live API takes them), and the
/// actions whose live answers differ (an Octos disable without `data`) read as done.
#[tokio::test]
async fn the_console_s_requests_are_accepted_on_the_live_shapes() {
    use cloudpane_api::billing::filter::TransactionFilter;
    use cloudpane_api::netactuate::{list_servers, secret_lists, secrets};
    use cloudpane_api::octos::api_access::{disable, enable, NewToken};
    use cloudpane_api::octos::session::{login, Session};
    use cloudpane_api::voltagepark::{
        bare_metal, bare_metal_locations, billing, presets, ssh_keys, storage, vms,
    };

    let sandbox = start_sandbox_with(&["--shapes", "live"]);
    let url = &sandbox.url;
    let vp = Provider::VoltagePark.demo_token();
    let na = Provider::NetActuate.demo_token();
    let page = PageRequest::first(20);
    let reads = [
        list_locations(vp, PageRequest::first(3)),
        presets::list_presets(Some(true)),
        bare_metal_locations::list_bare_metal_locations(),
        vms::list_vms(vp, page),
        bare_metal::list_rentals(vp, page),
        ssh_keys::list_org_ssh_keys(vp, page),
        storage::list_volumes(vp, page),
        storage::storage_hourly_rate(vp),
        billing::hourly_rate(vp),
        billing::transactions(vp, &TransactionFilter::default(), page),
        billing::monthly_report(vp, 2026, 11),
        list_servers(na),
        secrets::list_secrets(na),
        secret_lists::list_secret_lists(na),
        secret_lists::list_all_values(na),
        secret_lists::list_values(na, "production"),
        secret_lists::get_value(na, "production", "2"),
    ];
    for req in &reads {
        let (status, body) = answer(url, req).await.unwrap();
        assert!(
            (200..300).contains(&status),
            "{} {}: {status} {body}",
            req.method.as_str(),
            req.path_and_query()
        );
    }

    let session: Session = send_octos(url, &login("demo@cloudpane.dev", "demo-password"))
        .await
        .unwrap();
    let new: NewToken = send_octos(url, &enable(&session.token, "live", None))
        .await
        .unwrap();
    let () = send_octos(url, &disable(&new.token))
        .await
        .unwrap_or_else(|e| panic!("a disable answered without data reads as done: {e}"));
}

/// The instant presets the deploy pages offer come from Voltage Park's current catalogue where
/// the sandbox serves it (`document`, `live`) and from the documented presets list where it
/// answers 404 (`document-only`); both readings offer the same presets at the same locations.
#[tokio::test]
async fn the_current_catalogue_and_its_documented_fallback_offer_the_same_presets() {
    use cloudpane_api::rows::Rows;
    use cloudpane_api::voltagepark::instant_catalogue::{
        list_instant_locations, CatalogueChoice, CatalogueWalk, InstantLocation,
    };
    use cloudpane_api::voltagepark::presets::{list_presets, Preset};

    /// Each preset offered somewhere, with the locations that can take it now.
    fn offered(rows: Rows<Preset>) -> Vec<(String, Vec<String>)> {
        assert!(rows.unreadable.is_empty(), "{:?}", rows.unreadable);
        let mut out: Vec<(String, Vec<String>)> = rows
            .read
            .into_iter()
            .filter(|p| !p.location_ids_with_availability.is_empty())
            .map(|p| {
                let mut at = p.location_ids_with_availability;
                at.sort();
                (p.id, at)
            })
            .collect();
        out.sort();
        out
    }

    let token = Provider::VoltagePark.demo_token();
    for (shapes, serves_the_catalogue) in
        [("document", true), ("document-only", false), ("live", true)]
    {
        let sandbox = start_sandbox_with(&["--shapes", shapes]);
        let url = &sandbox.url;
        let documented: Vec<serde_json::Value> = send(url, &list_presets(None)).await.unwrap();
        let documented = offered(Rows::from_values(documented));
        assert!(!documented.is_empty(), "{shapes}");
        let first = send::<Page<InstantLocation>>(url, &list_instant_locations(token, 0)).await;
        match CatalogueChoice::after(first) {
            CatalogueChoice::Current(page) => {
                assert!(serves_the_catalogue, "{shapes}: the catalogue answered");
                let mut walk = CatalogueWalk::default();
                let mut next = walk.take(page);
                while let Some(offset) = next {
                    next = walk.take(
                        send(url, &list_instant_locations(token, offset))
                            .await
                            .unwrap(),
                    );
                }
                assert_eq!(offered(walk.presets()), documented, "{shapes}");
            }
            CatalogueChoice::Documented => {
                assert!(
                    !serves_the_catalogue,
                    "{shapes}: fell back though it is served"
                )
            }
            CatalogueChoice::Failed(e) => panic!("{shapes}: {e}"),
        }
    }
}

/// On the sandbox answering in the live shapes (`--shapes live`: the list of secret lists as a
/// Laravel paginator, values and servers as v3 `{data, meta}`, 25 a page), the console reads
/// every page of every NetActuate list, each item once, with the same walk the app uses.
#[tokio::test]
async fn the_console_reads_every_page_of_the_live_netactuate_lists() {
    use cloudpane_api::netactuate::pages::read_every_page;
    use cloudpane_api::netactuate::secret_lists::{
        create_secret_list, create_value, list_all_values, list_secret_lists, list_values, Data,
        ListValue, SecretListInfo,
    };
    use cloudpane_api::netactuate::{list_servers, SecretValue, ServerList};
    use cloudpane_api::Rows;

    let sandbox = start_sandbox_with(&["--shapes", "live"]);
    let url = sandbox.url.as_str();
    let token = Provider::NetActuate.demo_token();
    let exchange = |req: ApiRequest| async move { answer(url, &req).await };
    let lists_before: Data<Rows<SecretListInfo>> =
        read_every_page(&list_secret_lists(token), exchange)
            .await
            .unwrap();
    let mut made = Vec::new();
    for _ in 0..30 {
        let list: Data<SecretListInfo> = send(url, &create_secret_list(token)).await.unwrap();
        made.push(list.data);
    }
    let lists: Data<Rows<SecretListInfo>> = read_every_page(&list_secret_lists(token), exchange)
        .await
        .unwrap();
    assert_eq!(lists.data.read.len(), lists_before.data.read.len() + 30);
    assert!(lists.data.unreadable.is_empty());
    for list in &made {
        assert_eq!(
            lists.data.read.iter().filter(|l| l.id == list.id).count(),
            1,
            "{} listed once",
            list.name
        );
    }

    // 30 values in one list: past the first page of its values and of all values.
    let list = &made[29];
    for i in 0..30 {
        let _: Data<ListValue> = send(
            url,
            &create_value(
                token,
                &list.name,
                &format!("PAGED_{i}"),
                &SecretValue::new("v"),
            ),
        )
        .await
        .unwrap();
    }
    // One request, as the console read lists before, sees only the first 25.
    let first_page: Data<Vec<ListValue>> =
        send(url, &list_values(token, &list.name)).await.unwrap();
    assert_eq!(first_page.data.len(), 25);
    let values: Data<Vec<ListValue>> = read_every_page(&list_values(token, &list.name), exchange)
        .await
        .unwrap();
    let mut keys: Vec<&str> = values.data.iter().map(|v| v.secret_key.as_str()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 30, "{keys:?}");
    let all: Data<Rows<ListValue>> = read_every_page(&list_all_values(token), exchange)
        .await
        .unwrap();
    assert!(all.data.read.len() > 30, "{}", all.data.read.len());
    assert_eq!(
        all.data
            .read
            .iter()
            .filter(|v| v.secret_list_id == list.id)
            .count(),
        30
    );
    let servers: ServerList = read_every_page(&list_servers(token), exchange)
        .await
        .unwrap();
    assert_eq!(servers.data.len(), 4, "the demo's servers");
}
