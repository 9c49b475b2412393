//! `paging.json`: every paging shape of the test server (custom item and next-link names, no
//! next link, `operationName` next-page operations with fragments, api-version in next links,
//! retried pages, failing pages, a long-running operation whose result is the first page), one
//! scenario per operation.

use autorest_paging::operations::{PagingDuplicateParamsOptions, PagingGetMultiplePagesOptions};
use autorest_paging::{Client, Error, ItemPage, models};
use autorest_tests::{Expected, Outcome, Report, TestServer, equal, error, ok};
use futures::{StreamExt as _, TryStreamExt as _};

/// Paging operations known to fail, with the reason. None: every scenario passes.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// Server scenario counters named `Paging*` that belong to other specs of the test server: none
/// (`custom-baseUrl-paging.json` runs here too).
const OTHER_SPECS: &[&str] = &[];

/// The ids of the products of every page, in order.
fn ids(products: &[models::Product]) -> Vec<Option<i64>> {
    products
        .iter()
        .map(|product| product.properties.as_ref().and_then(|p| p.id))
        .collect()
}

/// Collects every item of a pager and checks their ids.
async fn expect_ids<S>(pager: S, expected: impl IntoIterator<Item = i64>) -> Outcome
where
    S: futures::Stream<Item = Result<models::Product, Error>>,
{
    let products: Vec<models::Product> = ok(pager.try_collect().await)?;
    let expected: Vec<Option<i64>> = expected.into_iter().map(Some).collect();
    equal(ids(&products), expected)
}

#[tokio::test]
async fn paging_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = || {
        server
            .configure(Client::builder("unused"))
            .build()
            .expect("client")
    };
    let mut report = Report::new("paging.json");
    let r = &mut report;

    r.run("Paging_getNoItemNamePages", async {
        expect_ids(client().paging().get_no_item_name_pages(None), [1]).await
    })
    .await;
    r.run("Paging_getEmptyNextLinkNamePages", async {
        expect_ids(client().paging().get_empty_next_link_name_pages(None), [1]).await
    })
    .await;
    r.run("Paging_getNullNextLinkNamePages", async {
        // The page has a next link, but the spec says there is none to follow.
        expect_ids(client().paging().get_null_next_link_name_pages(None), [1]).await
    })
    .await;
    r.run("Paging_getSinglePages", async {
        expect_ids(client().paging().get_single_pages(None), [1]).await
    })
    .await;
    r.run("Paging_getSinglePagesWithBodyParams", async {
        let parameters = models::BodyParam {
            name: Some("body".to_owned()),
            ..Default::default()
        };
        let paging = client();
        expect_ids(
            paging
                .paging()
                .get_single_pages_with_body_params(&parameters, None),
            [1],
        )
        .await
    })
    .await;
    r.run("Paging_firstResponseEmpty", async {
        let pages: Vec<Vec<models::Product>> = ok(client()
            .paging()
            .first_response_empty(None)
            .pages()
            .map_ok(ItemPage::into_items)
            .try_collect()
            .await)?;
        equal(
            pages.iter().map(|page| ids(page)).collect::<Vec<_>>(),
            vec![vec![], vec![Some(1)]],
        )
    })
    .await;
    r.run("Paging_getMultiplePages", async {
        let options = PagingGetMultiplePagesOptions::default()
            .with_client_request_id_param("client-id")
            .with_maxresults(5)
            .with_timeout_param(10);
        expect_ids(client().paging().get_multiple_pages(Some(options)), 1..=10).await
    })
    .await;
    r.run("Paging_getWithQueryParams", async {
        // Page 2 comes from `Paging_nextOperationWithQueryParams` (the spec's operationName).
        expect_ids(
            client().paging().get_with_query_params(100, true, None),
            [1, 2],
        )
        .await
    })
    .await;
    r.run("Paging_nextOperationWithQueryParams", async {
        let paging = client();
        expect_ids(
            paging.paging().next_operation_with_query_params(true, None),
            [2],
        )
        .await
    })
    .await;
    r.run("Paging_duplicateParams", async {
        // Page 2 must carry the `$filter` of the next link, not the caller's.
        let options = PagingDuplicateParamsOptions::default().with_filter("foo");
        expect_ids(client().paging().duplicate_params(Some(options)), [1]).await
    })
    .await;
    r.run("Paging_pageWithMaxPageSize", async {
        expect_ids(client().paging().page_with_max_page_size(None), []).await
    })
    .await;
    r.run("Paging_getOdataMultiplePages", async {
        expect_ids(client().paging().get_odata_multiple_pages(None), 1..=10).await
    })
    .await;
    r.run("Paging_getMultiplePagesWithOffset", async {
        let paging = client();
        let pager = paging.paging().get_multiple_pages_with_offset(100, None);
        expect_ids(pager, [1].into_iter().chain(102..=110)).await
    })
    .await;
    r.run("Paging_getMultiplePagesRetryFirst", async {
        expect_ids(
            client().paging().get_multiple_pages_retry_first(None),
            1..=10,
        )
        .await
    })
    .await;
    r.run("Paging_getMultiplePagesRetrySecond", async {
        let paging = client();
        let pager = paging.paging().get_multiple_pages_retry_second(None);
        expect_ids(pager, [1, 1].into_iter().chain(3..=10)).await
    })
    .await;
    r.run("Paging_getSinglePagesFailure", async {
        let items: Result<Vec<_>, Error> = client()
            .paging()
            .get_single_pages_failure(None)
            .try_collect()
            .await;
        error(items, Expected::Http(400))
    })
    .await;
    r.run("Paging_getMultiplePagesFailure", async {
        // The first page arrives, then the second fails.
        let results: Vec<Result<models::Product, Error>> = client()
            .paging()
            .get_multiple_pages_failure(None)
            .collect()
            .await;
        equal(
            results.iter().map(Result::is_ok).collect::<Vec<_>>(),
            vec![true, false],
        )
    })
    .await;
    r.run("Paging_getMultiplePagesFailureUri", async {
        let items: Result<Vec<_>, Error> = client()
            .paging()
            .get_multiple_pages_failure_uri(None)
            .try_collect()
            .await;
        error(items, Expected::Http(404))
    })
    .await;
    r.run("Paging_getMultiplePagesFragmentNextLink", async {
        // Next pages come from `Paging_nextFragment`, with the link as a path segment.
        let paging = client();
        let pager = paging
            .paging()
            .get_multiple_pages_fragment_next_link("1.6", "test_user", None);
        expect_ids(pager, 1..=10).await
    })
    .await;
    r.run(
        "Paging_getMultiplePagesFragmentWithGroupingNextLink",
        async {
            let paging = client();
            let pager = paging
                .paging()
                .get_multiple_pages_fragment_with_grouping_next_link("1.6", "test_user", None);
            expect_ids(pager, 1..=10).await
        },
    )
    .await;
    r.run("Paging_nextFragment", async {
        let paging = client();
        let pager = paging
            .paging()
            .next_fragment("1.6", "test_user", "next?page=2", None);
        expect_ids(pager, 2..=10).await
    })
    .await;
    r.run("Paging_nextFragmentWithGrouping", async {
        let paging = client();
        let pager =
            paging
                .paging()
                .next_fragment_with_grouping("1.6", "test_user", "next?page=2", None);
        expect_ids(pager, 2..=10).await
    })
    .await;
    r.run("Paging_GetMultiplePagesLRO", async {
        // Long-running and pageable: the operation's result is the first page.
        let paging = client();
        let poller = ok(paging.paging().begin_get_multiple_pages_lro(None).await)?;
        expect_ids(poller.into_pager(), 1..=10).await
    })
    .await;
    r.run("Paging_appendApiVersion", async {
        expect_ids(client().paging().append_api_version(None), [1]).await
    })
    .await;
    r.run("Paging_replaceApiVersion", async {
        expect_ids(client().paging().replace_api_version(None), [1]).await
    })
    .await;
    r.run(
        "Paging_getPagingModelWithItemNameWithXMSClientName",
        async {
            let paging = client();
            let pager = paging
                .paging()
                .get_paging_model_with_item_name_with_xms_client_name(None);
            expect_ids(pager, [1]).await
        },
    )
    .await;

    custom_base_url_scenarios(&server).await;

    report.finish(KNOWN_FAILURES);
    server
        .assert_coverage(
            "paging.json and custom-baseUrl-paging.json",
            &["azure", "optional"],
            &["Paging"],
            OTHER_SPECS,
        )
        .await;
}

/// `custom-baseUrl-paging.json`: the endpoint is the spec's host template
/// (`x-ms-parameterized-host`) filled in; next links are relative to it, or to the next-page
/// operation's path.
async fn custom_base_url_scenarios(server: &TestServer) {
    use autorest_custom_baseurl_paging::{Client, endpoint, models};
    let endpoint = server.parameterized_endpoint(|host| endpoint("local", host));
    let client = || {
        server
            .configure(Client::builder("unused"))
            .endpoint(endpoint.clone())
            .build()
            .expect("client")
    };
    let ids = |products: Vec<models::Product>| -> Vec<Option<i64>> {
        products
            .iter()
            .map(|product| product.properties.as_ref().and_then(|p| p.id))
            .collect()
    };
    let mut report = Report::new("custom-baseUrl-paging.json");
    report
        .run("Paging_getPagesPartialUrl", async {
            let paging = client();
            let items = ok(paging.paging().get_pages_partial_url(None).into_vec().await)?;
            equal(ids(items), vec![Some(1), Some(2)])
        })
        .await;
    report
        .run("Paging_getPagesPartialUrlOperation", async {
            // Page 2 comes from `Paging_getPagesPartialUrlOperationNext`, with the link as a path.
            let paging = client();
            let pager = paging.paging().get_pages_partial_url_operation(None);
            equal(ids(ok(pager.into_vec().await)?), vec![Some(1), Some(2)])
        })
        .await;
    report
        .run("Paging_getPagesPartialUrlOperationNext", async {
            let paging = client();
            let pager = paging
                .paging()
                .get_pages_partial_url_operation_next("partialnextlinkop/page/2", None);
            equal(ids(ok(pager.into_vec().await)?), vec![Some(2)])
        })
        .await;
    report.finish(&[]);
}
