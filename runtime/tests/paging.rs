//! Pagers over real HTTP: following nextLinks, stopping at loops and at untrusted hosts.

mod common;

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use azrm_runtime::{ErrorKind, ItemPage, Pager};
use common::{client, get};
use futures::{StreamExt as _, TryStreamExt as _};
use serde_json::json;

type ItemList = common::ListPage<i64>;

fn pager(base: &str) -> Pager<ItemList> {
    Pager::new(client(base), get("Items_List", "/test/items"))
}

/// Three pages: the second link carries api-version and a skip token, the third has no query.
async fn three_pages() -> LocalEndpoint {
    LocalEndpoint::stub(|request, base| match request.target.as_str() {
        "/test/items?api-version=2024-01-01" => FakeResponse::json(200, &json!({"value": [1, 2], "nextLink": format!("{base}/test/items?api-version=2024-01-01&%24skiptoken=p2")}),
        ),
        "/test/items?api-version=2024-01-01&%24skiptoken=p2" => {
            FakeResponse::json(200, &json!({"value": [3], "nextLink": "/test/page3"}))
        }
        "/test/page3?api-version=2024-01-01" => {
            FakeResponse::json(200, &json!({"value": [4, 5], "nextLink": null}))
        }
        other => panic!("unexpected request {other}"),
    })
    .await.unwrap()
}

#[tokio::test]
async fn items_of_all_pages_are_collected_in_order() {
    let server = three_pages().await;
    assert_eq!(
        pager(&server.http_url()).into_vec().await.unwrap(),
        [1, 2, 3, 4, 5]
    );
    let targets: Vec<_> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/test/items?api-version=2024-01-01",
            "/test/items?api-version=2024-01-01&%24skiptoken=p2",
            "/test/page3?api-version=2024-01-01",
        ]
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.method == "GET" && r.authorization.is_some())
    );
}

#[tokio::test]
async fn pages_and_try_collect_see_the_same_items() {
    let server = three_pages().await;
    let pages: Vec<Vec<i64>> = pager(&server.http_url())
        .pages()
        .map_ok(ItemPage::into_items)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages, [vec![1, 2], vec![3], vec![4, 5]]);

    let mut items = pager(&server.http_url());
    assert_eq!(items.next().await.unwrap().unwrap(), 1);
    let rest: Vec<Vec<i64>> = items
        .pages()
        .map_ok(ItemPage::into_items)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest, [vec![2], vec![3], vec![4, 5]]);
}

#[tokio::test]
async fn an_empty_next_link_ends_paging() {
    let server =
        LocalEndpoint::stub(|_, _| FakeResponse::json(200, &json!({"value": [7], "nextLink": ""})))
            .await
            .unwrap();
    assert_eq!(pager(&server.http_url()).into_vec().await.unwrap(), [7]);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_repeated_next_link_stops_with_a_paging_loop_error() {
    let server = LocalEndpoint::stub(|_, base| {
        FakeResponse::json(
            200,
            &json!({"value": [1], "nextLink": format!("{base}/test/again")}),
        )
    })
    .await
    .unwrap();
    let results: Vec<_> = pager(&server.http_url()).collect().await;
    assert_eq!(results.len(), 3);
    assert_eq!(*results[0].as_ref().unwrap(), 1);
    assert_eq!(*results[1].as_ref().unwrap(), 1);
    let error = results[2].as_ref().unwrap_err();
    let ErrorKind::PagingLoop { next_link } = error.kind() else {
        panic!("expected a paging loop, got {error:?}");
    };
    assert_eq!(next_link, &format!("{}/test/again", server.http_url()));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn next_links_to_other_hosts_ports_or_schemes_are_refused_unsent() {
    let other_host = common::other_host().await;
    other_host.on_any(|_, _| FakeResponse::json(200, &json!({"value": [666]})));
    let other_port = LocalEndpoint::stub(|_, _| FakeResponse::json(200, &json!({"value": [666]})))
        .await
        .unwrap();
    let port = &other_host.http_url().rsplit(':').next().unwrap().to_owned();
    for link in [
        format!("{}/test/steal", other_host.http_url()),
        format!("{}/test/steal", other_port.http_url()),
        format!("https://127.0.0.1:{port}/test/steal"),
    ] {
        let next = link.clone();
        let server = LocalEndpoint::stub(move |_, _| {
            FakeResponse::json(200, &json!({"value": [1], "nextLink": next}))
        })
        .await
        .unwrap();
        let results: Vec<_> = pager(&server.http_url()).collect().await;
        assert_eq!(*results[0].as_ref().unwrap(), 1);
        let error = results[1].as_ref().unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::UntrustedUrl { url, .. } if url == &link),
            "{error:?}"
        );
        assert_eq!(results.len(), 2);
    }
    assert!(other_host.requests().is_empty());
    assert!(other_port.requests().is_empty());
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_the_error() {
    let server = LocalEndpoint::stub(|_, _| {
        FakeResponse::json(
            403,
            &json!({"error": {"code": "AuthorizationFailed", "message": "no"}}),
        )
    })
    .await
    .unwrap();
    let results: Vec<_> = pager(&server.http_url()).collect().await;
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0].as_ref().unwrap_err().error_code(),
        Some("AuthorizationFailed")
    );
}

#[tokio::test]
async fn a_next_link_gets_the_operation_api_version_in_place_of_its_own() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/test/items" => FakeResponse::json(
            200,
            &json!({"value": [1], "nextLink": format!("{base}/test/p2?Api-Version=old&%24skiptoken=a%20b&api-version=x")}),
        ),
        _ => FakeResponse::json(200, &json!({"value": [2]})),
    })
    .await
    .unwrap();
    assert_eq!(pager(&server.http_url()).into_vec().await.unwrap(), [1, 2]);
    assert_eq!(
        server.requests()[1].target,
        "/test/p2?api-version=2024-01-01&%24skiptoken=a%20b"
    );
}

#[tokio::test]
async fn an_operation_without_api_version_sends_none_on_any_page() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/test/items" => FakeResponse::json(
            200,
            &json!({"value": [1], "nextLink": format!("{base}/test/p2?x=1")}),
        ),
        _ => FakeResponse::json(200, &json!({"value": [2]})),
    })
    .await
    .unwrap();
    let request = azrm_runtime::Request {
        api_version: "",
        ..get("Items_List", "/test/items")
    };
    let items = Pager::<ItemList>::new(client(&server.http_url()), request)
        .into_vec()
        .await
        .unwrap();
    assert_eq!(items, [1, 2]);
    let targets: Vec<_> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/test/items", "/test/p2?x=1"]);
}

#[tokio::test]
async fn a_single_page_pager_does_not_follow_the_link_its_page_has() {
    let server = LocalEndpoint::stub(|_, base| {
        FakeResponse::json(
            200,
            &json!({"value": [1], "nextLink": format!("{base}/never")}),
        )
    })
    .await
    .unwrap();
    let pager = Pager::<ItemList>::single_page(
        client(&server.http_url()),
        get("Items_List", "/test/items"),
    );
    assert_eq!(pager.into_vec().await.unwrap(), [1]);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_next_page_operation_builds_each_request_from_the_link() {
    let server = LocalEndpoint::stub(|request, _| match request.target.as_str() {
        "/test/items?api-version=2024-01-01" => {
            FakeResponse::json(200, &json!({"value": [1], "nextLink": "next?page=2"}))
        }
        "/test/items/next?page=2&tenant=t" => {
            FakeResponse::json(200, &json!({"value": [2], "nextLink": "next?page=3"}))
        }
        "/test/items/next?page=3&tenant=t" => FakeResponse::json(200, &json!({"value": [3]})),
        other => panic!("unexpected request {other}"),
    })
    .await
    .unwrap();
    // As generated code does for `x-ms-pageable.operationName`: the link is a path segment sent
    // without encoding (`x-ms-skip-url-encoding`), the other parameters are the first call's.
    let pager = Pager::<ItemList>::with_next_request(
        client(&server.http_url()),
        get("Items_List", "/test/items"),
        |link| {
            Ok(azrm_runtime::Request {
                query: vec![("tenant", "t".to_owned())],
                api_version: "",
                ..get("Items_ListNext", &format!("/test/items/{link}"))
            })
        },
    );
    assert_eq!(pager.into_vec().await.unwrap(), [1, 2, 3]);
}
