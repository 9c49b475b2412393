//! `lro.json`: every long-running operation pattern of the test server (status monitor,
//! `Location`, provisioning state, final-state-via, retried errors, failures and malformed
//! answers), one scenario per operation. The expected outcomes are those the Azure SDKs' own
//! generator tests assert.

use autorest_lro::{Client, models};
use autorest_tests::{Expected, Outcome, Report, TestServer, equal, error, ok};

use crate::finish;

/// Long-running operations known to fail, with the reason. None: every scenario passes.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// The request id the `LROsCustomHeader` operations must send on every request, polls included.
const CUSTOM_REQUEST_ID: &str = "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0";

/// Server scenario counters named `LRO*` or `CustomHeader*` that belong to another spec of the
/// test server (`header.json`).
const OTHER_SPECS: &[&str] = &["CustomHeaderInRequest"];

fn state(product: &models::Product) -> Option<&str> {
    product.properties.as_ref()?.provisioning_state.as_deref()
}

/// A product with `provisioningState` `Succeeded`, id `100` and name `foo`.
fn succeeded(product: models::Product) -> Outcome {
    equal(
        (
            state(&product),
            product.id.as_deref(),
            product.name.as_deref(),
        ),
        (Some("Succeeded"), Some("100"), Some("foo")),
    )
}

fn id_and_name(product: &models::Product) -> (Option<&str>, Option<&str>) {
    (product.id.as_deref(), product.name.as_deref())
}

#[tokio::test]
async fn lro_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = || {
        server
            .configure(Client::builder("unused"))
            .build()
            .expect("client")
    };
    let custom_header_client = || {
        server
            .configure(Client::builder("unused"))
            .header("x-ms-client-request-id", CUSTOM_REQUEST_ID)
            .build()
            .expect("client")
    };
    let product = models::Product {
        location: Some("West US".to_owned()),
        ..Default::default()
    };
    let body = Some(&product);
    let sku = models::Sku::default();
    let sub_product = models::SubProduct::default();
    let mut report = Report::new("lro.json");
    let r = &mut report;

    // LROs: the successful patterns.
    r.run("LROs_put200Succeeded", async {
        succeeded(ok(finish(
            client().lr_os().begin_put200_succeeded(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LROs_patch200SucceededIgnoreHeaders", async {
        let lros = client();
        succeeded(ok(finish(
            lros.lr_os()
                .begin_patch200_succeeded_ignore_headers(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LROs_patch201RetryWithAsyncHeader", async {
        let lros = client();
        let result = ok(finish(
            lros.lr_os()
                .begin_patch201_retry_with_async_header(body, None),
        )
        .await)?;
        equal(state(&result), Some("Succeeded"))
    })
    .await;
    r.run("LROs_patch202RetryWithAsyncAndLocationHeader", async {
        let lros = client();
        let group = lros.lr_os();
        let begin = group.begin_patch202_retry_with_async_and_location_header(body, None);
        equal(state(&ok(finish(begin).await)?), Some("Succeeded"))
    })
    .await;
    r.run("LROs_put201Succeeded", async {
        succeeded(ok(finish(
            client().lr_os().begin_put201_succeeded(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LROs_post202List", async {
        let list = ok(finish(client().lr_os().begin_post202_list(None)).await)?;
        equal(
            list.iter().map(id_and_name).collect::<Vec<_>>(),
            vec![(Some("100"), Some("foo"))],
        )
    })
    .await;
    r.run("LROs_put200SucceededNoState", async {
        let result =
            ok(finish(client().lr_os().begin_put200_succeeded_no_state(body, None)).await)?;
        equal(
            (id_and_name(&result), state(&result)),
            ((Some("100"), Some("foo")), None),
        )
    })
    .await;
    r.run("LROs_put202Retry200", async {
        let result = ok(finish(client().lr_os().begin_put202_retry200(body, None)).await)?;
        equal(id_and_name(&result), (Some("100"), Some("foo")))
    })
    .await;
    r.run("LROs_put201CreatingSucceeded200", async {
        let lros = client();
        succeeded(ok(finish(
            lros.lr_os().begin_put201_creating_succeeded200(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LROs_put200UpdatingSucceeded204", async {
        let lros = client();
        succeeded(ok(finish(
            lros.lr_os().begin_put200_updating_succeeded204(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LROs_putNoHeaderInRetry", async {
        let result = ok(finish(client().lr_os().begin_put_no_header_in_retry(body, None)).await)?;
        equal(
            (state(&result), result.id.as_deref()),
            (Some("Succeeded"), Some("100")),
        )
    })
    .await;
    r.run("LROs_putAsyncRetrySucceeded", async {
        succeeded(ok(finish(
            client().lr_os().begin_put_async_retry_succeeded(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LROs_putAsyncNoRetrySucceeded", async {
        let lros = client();
        succeeded(ok(finish(
            lros.lr_os().begin_put_async_no_retry_succeeded(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LROs_putAsyncNoHeaderInRetry", async {
        let lros = client();
        succeeded(ok(finish(
            lros.lr_os().begin_put_async_no_header_in_retry(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LROs_putNonResource", async {
        let result = ok(finish(client().lr_os().begin_put_non_resource(Some(&sku), None)).await)?;
        equal(
            (result.id.as_deref(), result.name.as_deref()),
            (Some("100"), Some("sku")),
        )
    })
    .await;
    r.run("LROs_putAsyncNonResource", async {
        let lros = client();
        let result = ok(finish(lros.lr_os().begin_put_async_non_resource(Some(&sku), None)).await)?;
        equal(
            (result.id.as_deref(), result.name.as_deref()),
            (Some("100"), Some("sku")),
        )
    })
    .await;
    r.run("LROs_putSubResource", async {
        let lros = client();
        let result = ok(finish(
            lros.lr_os()
                .begin_put_sub_resource(Some(&sub_product), None),
        )
        .await)?;
        let state = result.properties.and_then(|p| p.provisioning_state);
        equal(
            (result.id.as_deref(), state.as_deref()),
            (Some("100"), Some("Succeeded")),
        )
    })
    .await;
    r.run("LROs_putAsyncSubResource", async {
        let lros = client();
        let group = lros.lr_os();
        let begin = group.begin_put_async_sub_resource(Some(&sub_product), None);
        let result = ok(finish(begin).await)?;
        let state = result.properties.and_then(|p| p.provisioning_state);
        equal(
            (result.id.as_deref(), state.as_deref()),
            (Some("100"), Some("Succeeded")),
        )
    })
    .await;
    r.run("LROs_deleteProvisioning202Accepted200Succeeded", async {
        let lros = client();
        let group = lros.lr_os();
        let begin = group.begin_delete_provisioning202_accepted200_succeeded(None);
        let result = ok(finish(begin).await)?.ok_or("the final body is missing")?;
        succeeded(result)
    })
    .await;
    r.run("LROs_delete204Succeeded", async {
        ok(finish(client().lr_os().begin_delete204_succeeded(None)).await)
    })
    .await;
    r.run("LROs_delete202Retry200", async {
        ok(finish(client().lr_os().begin_delete202_retry200(None)).await).map(drop)
    })
    .await;
    r.run("LROs_delete202NoRetry204", async {
        let result = ok(finish(client().lr_os().begin_delete202_no_retry204(None)).await)?;
        equal(result, None)
    })
    .await;
    r.run("LROs_deleteNoHeaderInRetry", async {
        ok(finish(client().lr_os().begin_delete_no_header_in_retry(None)).await)
    })
    .await;
    r.run("LROs_deleteAsyncNoHeaderInRetry", async {
        ok(finish(client().lr_os().begin_delete_async_no_header_in_retry(None)).await)
    })
    .await;
    r.run("LROs_deleteAsyncRetrySucceeded", async {
        ok(finish(client().lr_os().begin_delete_async_retry_succeeded(None)).await)
    })
    .await;
    r.run("LROs_deleteAsyncNoRetrySucceeded", async {
        ok(finish(client().lr_os().begin_delete_async_no_retry_succeeded(None)).await)
    })
    .await;
    r.run("LROs_post200WithPayload", async {
        let result = ok(finish(client().lr_os().begin_post200_with_payload(None)).await)?;
        equal(
            (result.id.as_deref(), result.name.as_deref()),
            (Some("1"), Some("product")),
        )
    })
    .await;
    r.run("LROs_post202Retry200", async {
        ok(finish(client().lr_os().begin_post202_retry200(body, None)).await)
    })
    .await;
    r.run("LROs_post202NoRetry204", async {
        // The final response is `204 No Content`: no product.
        let result = ok(finish(client().lr_os().begin_post202_no_retry204(body, None)).await)?;
        equal(result, None)
    })
    .await;
    r.run("LROs_postDoubleHeadersFinalLocationGet", async {
        let lros = client();
        let group = lros.lr_os();
        let begin = group.begin_post_double_headers_final_location_get(None);
        let result = ok(finish(begin).await)?.ok_or("the final body is missing")?;
        equal(id_and_name(&result), (Some("100"), Some("foo")))
    })
    .await;
    r.run("LROs_postDoubleHeadersFinalAzureHeaderGet", async {
        let lros = client();
        let group = lros.lr_os();
        let begin = group.begin_post_double_headers_final_azure_header_get(None);
        let result = ok(finish(begin).await)?.ok_or("the final body is missing")?;
        equal(id_and_name(&result), (Some("100"), None))
    })
    .await;
    r.run("LROs_postDoubleHeadersFinalAzureHeaderGetDefault", async {
        let lros = client();
        let group = lros.lr_os();
        let begin = group.begin_post_double_headers_final_azure_header_get_default(None);
        let result = ok(finish(begin).await)?.ok_or("the final body is missing")?;
        equal(id_and_name(&result), (Some("100"), Some("foo")))
    })
    .await;
    r.run("LROs_postAsyncRetrySucceeded", async {
        succeeded(ok(finish(
            client()
                .lr_os()
                .begin_post_async_retry_succeeded(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LROs_postAsyncNoRetrySucceeded", async {
        let lros = client();
        succeeded(ok(finish(
            lros.lr_os().begin_post_async_no_retry_succeeded(body, None),
        )
        .await)?)
    })
    .await;

    // LROs: operations that end `Failed` or `Canceled`.
    r.run("LROs_put201CreatingFailed200", async {
        error(
            finish(client().lr_os().begin_put201_creating_failed200(body, None)).await,
            Expected::OperationFailed("Failed"),
        )
    })
    .await;
    r.run("LROs_put200Acceptedcanceled200", async {
        error(
            finish(
                client()
                    .lr_os()
                    .begin_put200_acceptedcanceled200(body, None),
            )
            .await,
            Expected::OperationFailed("Canceled"),
        )
    })
    .await;
    r.run("LROs_putAsyncRetryFailed", async {
        error(
            finish(client().lr_os().begin_put_async_retry_failed(body, None)).await,
            Expected::OperationFailed("Failed"),
        )
    })
    .await;
    r.run("LROs_putAsyncNoRetrycanceled", async {
        error(
            finish(
                client()
                    .lr_os()
                    .begin_put_async_no_retrycanceled(body, None),
            )
            .await,
            Expected::OperationFailed("Canceled"),
        )
    })
    .await;
    r.run("LROs_deleteProvisioning202DeletingFailed200", async {
        let lros = client();
        error(
            finish(
                lros.lr_os()
                    .begin_delete_provisioning202_deleting_failed200(None),
            )
            .await,
            Expected::OperationFailed("Failed"),
        )
    })
    .await;
    r.run("LROs_deleteProvisioning202Deletingcanceled200", async {
        let lros = client();
        error(
            finish(
                lros.lr_os()
                    .begin_delete_provisioning202_deletingcanceled200(None),
            )
            .await,
            Expected::OperationFailed("Canceled"),
        )
    })
    .await;
    r.run("LROs_deleteAsyncRetryFailed", async {
        error(
            finish(client().lr_os().begin_delete_async_retry_failed(None)).await,
            Expected::OperationFailed("Failed"),
        )
    })
    .await;
    r.run("LROs_deleteAsyncRetrycanceled", async {
        error(
            finish(client().lr_os().begin_delete_async_retrycanceled(None)).await,
            Expected::OperationFailed("Canceled"),
        )
    })
    .await;
    r.run("LROs_postAsyncRetryFailed", async {
        error(
            finish(client().lr_os().begin_post_async_retry_failed(body, None)).await,
            Expected::OperationFailed("Failed"),
        )
    })
    .await;
    r.run("LROs_postAsyncRetrycanceled", async {
        error(
            finish(client().lr_os().begin_post_async_retrycanceled(body, None)).await,
            Expected::OperationFailed("Canceled"),
        )
    })
    .await;

    // LRORetrys: every request fails once with 500 and is retried.
    r.run("LRORetrys_put201CreatingSucceeded200", async {
        let lros = client();
        succeeded(ok(finish(
            lros.lro_retrys()
                .begin_put201_creating_succeeded200(body, None),
        )
        .await)?)
    })
    .await;
    r.run("LRORetrys_putAsyncRelativeRetrySucceeded", async {
        let lros = client();
        let group = lros.lro_retrys();
        let begin = group.begin_put_async_relative_retry_succeeded(body, None);
        succeeded(ok(finish(begin).await)?)
    })
    .await;
    r.run(
        "LRORetrys_deleteProvisioning202Accepted200Succeeded",
        async {
            let lros = client();
            let group = lros.lro_retrys();
            let begin = group.begin_delete_provisioning202_accepted200_succeeded(None);
            succeeded(ok(finish(begin).await)?.ok_or("the final body is missing")?)
        },
    )
    .await;
    r.run("LRORetrys_delete202Retry200", async {
        ok(finish(client().lro_retrys().begin_delete202_retry200(None)).await)
    })
    .await;
    r.run("LRORetrys_deleteAsyncRelativeRetrySucceeded", async {
        let lros = client();
        ok(finish(
            lros.lro_retrys()
                .begin_delete_async_relative_retry_succeeded(None),
        )
        .await)
    })
    .await;
    r.run("LRORetrys_post202Retry200", async {
        ok(finish(client().lro_retrys().begin_post202_retry200(body, None)).await)
    })
    .await;
    r.run("LRORetrys_postAsyncRelativeRetrySucceeded", async {
        let lros = client();
        let group = lros.lro_retrys();
        let begin = group.begin_post_async_relative_retry_succeeded(body, None);
        ok(finish(begin).await)
    })
    .await;

    // LROSADs: errors the service answers with, and malformed answers, are errors.
    let sads = || client();
    r.run("LROSADs_putNonRetry400", async {
        error(
            finish(sads().lrosa_ds().begin_put_non_retry400(body, None)).await,
            Expected::Http(400),
        )
    })
    .await;
    r.run("LROSADs_putNonRetry201Creating400", async {
        error(
            finish(
                sads()
                    .lrosa_ds()
                    .begin_put_non_retry201_creating400(body, None),
            )
            .await,
            Expected::Http(400),
        )
    })
    .await;
    r.run("LROSADs_putNonRetry201Creating400InvalidJson", async {
        let lros = sads();
        let group = lros.lrosa_ds();
        let begin = group.begin_put_non_retry201_creating400_invalid_json(body, None);
        error(finish(begin).await, Expected::Http(400))
    })
    .await;
    r.run("LROSADs_putAsyncRelativeRetry400", async {
        error(
            finish(
                sads()
                    .lrosa_ds()
                    .begin_put_async_relative_retry400(body, None),
            )
            .await,
            Expected::Http(400),
        )
    })
    .await;
    r.run("LROSADs_deleteNonRetry400", async {
        error(
            finish(sads().lrosa_ds().begin_delete_non_retry400(None)).await,
            Expected::Http(400),
        )
    })
    .await;
    r.run("LROSADs_delete202NonRetry400", async {
        error(
            finish(sads().lrosa_ds().begin_delete202_non_retry400(None)).await,
            Expected::Http(400),
        )
    })
    .await;
    r.run("LROSADs_deleteAsyncRelativeRetry400", async {
        error(
            finish(sads().lrosa_ds().begin_delete_async_relative_retry400(None)).await,
            Expected::Http(400),
        )
    })
    .await;
    r.run("LROSADs_postNonRetry400", async {
        error(
            finish(sads().lrosa_ds().begin_post_non_retry400(body, None)).await,
            Expected::Http(400),
        )
    })
    .await;
    r.run("LROSADs_post202NonRetry400", async {
        error(
            finish(sads().lrosa_ds().begin_post202_non_retry400(body, None)).await,
            Expected::Http(400),
        )
    })
    .await;
    r.run("LROSADs_postAsyncRelativeRetry400", async {
        error(
            finish(
                sads()
                    .lrosa_ds()
                    .begin_post_async_relative_retry400(body, None),
            )
            .await,
            Expected::Http(400),
        )
    })
    .await;
    r.run("LROSADs_putError201NoProvisioningStatePayload", async {
        let lros = sads();
        let group = lros.lrosa_ds();
        let begin = group.begin_put_error201_no_provisioning_state_payload(body, None);
        // A 201 without a body and without a header to poll: nothing says it succeeded (as
        // Python's ARMPolling has it), so the poller refuses the answer rather than decoding it.
        error(finish(begin).await, Expected::UnexpectedResponse(201))
    })
    .await;
    r.run("LROSADs_putAsyncRelativeRetryNoStatus", async {
        let lros = sads();
        error(
            finish(
                lros.lrosa_ds()
                    .begin_put_async_relative_retry_no_status(body, None),
            )
            .await,
            Expected::Decode(200),
        )
    })
    .await;
    r.run("LROSADs_putAsyncRelativeRetryNoStatusPayload", async {
        let lros = sads();
        let group = lros.lrosa_ds();
        let begin = group.begin_put_async_relative_retry_no_status_payload(body, None);
        error(finish(begin).await, Expected::Decode(200))
    })
    .await;
    r.run("LROSADs_delete204Succeeded", async {
        ok(finish(sads().lrosa_ds().begin_delete204_succeeded(None)).await)
    })
    .await;
    r.run("LROSADs_deleteAsyncRelativeRetryNoStatus", async {
        let lros = sads();
        error(
            finish(
                lros.lrosa_ds()
                    .begin_delete_async_relative_retry_no_status(None),
            )
            .await,
            Expected::Decode(200),
        )
    })
    .await;
    r.run("LROSADs_post202NoLocation", async {
        error(
            finish(sads().lrosa_ds().begin_post202_no_location(body, None)).await,
            Expected::UnexpectedResponse(202),
        )
    })
    .await;
    r.run("LROSADs_postAsyncRelativeRetryNoPayload", async {
        let lros = sads();
        let group = lros.lrosa_ds();
        let begin = group.begin_post_async_relative_retry_no_payload(body, None);
        error(finish(begin).await, Expected::Decode(200))
    })
    .await;
    r.run("LROSADs_put200InvalidJson", async {
        error(
            finish(sads().lrosa_ds().begin_put200_invalid_json(body, None)).await,
            Expected::Decode(200),
        )
    })
    .await;
    r.run("LROSADs_putAsyncRelativeRetryInvalidHeader", async {
        let lros = sads();
        let group = lros.lrosa_ds();
        let begin = group.begin_put_async_relative_retry_invalid_header(body, None);
        error(finish(begin).await, Expected::Http(404))
    })
    .await;
    r.run("LROSADs_putAsyncRelativeRetryInvalidJsonPolling", async {
        let lros = sads();
        let group = lros.lrosa_ds();
        let begin = group.begin_put_async_relative_retry_invalid_json_polling(body, None);
        error(finish(begin).await, Expected::Decode(200))
    })
    .await;
    r.run("LROSADs_delete202RetryInvalidHeader", async {
        error(
            finish(sads().lrosa_ds().begin_delete202_retry_invalid_header(None)).await,
            Expected::Http(404),
        )
    })
    .await;
    r.run("LROSADs_deleteAsyncRelativeRetryInvalidHeader", async {
        let lros = sads();
        let group = lros.lrosa_ds();
        let begin = group.begin_delete_async_relative_retry_invalid_header(None);
        error(finish(begin).await, Expected::Http(404))
    })
    .await;
    r.run(
        "LROSADs_deleteAsyncRelativeRetryInvalidJsonPolling",
        async {
            let lros = sads();
            let group = lros.lrosa_ds();
            let begin = group.begin_delete_async_relative_retry_invalid_json_polling(None);
            error(finish(begin).await, Expected::Decode(200))
        },
    )
    .await;
    r.run("LROSADs_post202RetryInvalidHeader", async {
        error(
            finish(
                sads()
                    .lrosa_ds()
                    .begin_post202_retry_invalid_header(body, None),
            )
            .await,
            Expected::Http(404),
        )
    })
    .await;
    r.run("LROSADs_postAsyncRelativeRetryInvalidHeader", async {
        let lros = sads();
        let group = lros.lrosa_ds();
        let begin = group.begin_post_async_relative_retry_invalid_header(body, None);
        error(finish(begin).await, Expected::Http(404))
    })
    .await;
    r.run("LROSADs_postAsyncRelativeRetryInvalidJsonPolling", async {
        let lros = sads();
        let group = lros.lrosa_ds();
        let begin = group.begin_post_async_relative_retry_invalid_json_polling(body, None);
        error(finish(begin).await, Expected::Decode(200))
    })
    .await;

    // LROsCustomHeader: a client-wide header goes with every request, polls included.
    r.run("LROsCustomHeader_putAsyncRetrySucceeded", async {
        let lros = custom_header_client();
        let group = lros.lr_os_custom_header();
        let begin = group.begin_put_async_retry_succeeded(body, None);
        succeeded(ok(finish(begin).await)?)
    })
    .await;
    r.run("LROsCustomHeader_put201CreatingSucceeded200", async {
        let lros = custom_header_client();
        let group = lros.lr_os_custom_header();
        let begin = group.begin_put201_creating_succeeded200(body, None);
        succeeded(ok(finish(begin).await)?)
    })
    .await;
    r.run("LROsCustomHeader_post202Retry200", async {
        let lros = custom_header_client();
        ok(finish(
            lros.lr_os_custom_header()
                .begin_post202_retry200(body, None),
        )
        .await)
    })
    .await;
    r.run("LROsCustomHeader_postAsyncRetrySucceeded", async {
        let lros = custom_header_client();
        let group = lros.lr_os_custom_header();
        let begin = group.begin_post_async_retry_succeeded(body, None);
        ok(finish(begin).await)
    })
    .await;

    parameterized_endpoint_scenarios(&server).await;

    report.finish(KNOWN_FAILURES);
    server
        .assert_coverage(
            "lro.json and lro-parameterized-endpoints.json",
            &["azure", "optional"],
            &["LRO", "CustomHeader"],
            OTHER_SPECS,
        )
        .await;
}

/// `lro-parameterized-endpoints.json`: the endpoint is the spec's host template
/// (`x-ms-parameterized-host`) filled in, and polling URLs are relative to it.
async fn parameterized_endpoint_scenarios(server: &TestServer) {
    use autorest_lro_parameterized_endpoints::{Client, endpoint, models::ConstantEnum};
    let endpoint = server.parameterized_endpoint(|host| endpoint("local", host));
    let client = || {
        server
            .configure(Client::builder("unused"))
            .endpoint(endpoint.clone())
            .build()
            .expect("client")
    };
    let mut report = Report::new("lro-parameterized-endpoints.json");
    report
        .run("pollWithParameterizedEndpoints", async {
            let lros = client();
            let group = lros.operations();
            let result = ok(finish(group.begin_poll_with_parameterized_endpoints(None)).await)?;
            equal(result.as_str(), "success")
        })
        .await;
    report
        .run("pollWithConstantParameterizedEndpoints", async {
            let lros = client();
            let group = lros.operations();
            let constant = ConstantEnum::IAmConstant;
            let begin = group.begin_poll_with_constant_parameterized_endpoints(&constant, None);
            equal(ok(finish(begin).await)?.as_str(), "success")
        })
        .await;
    report.finish(&[]);
}
