//! `azure-special-properties.json`: the subscription id and api-version as client values (the
//! global `subscriptionId` parameter is the client's by AutoRest's rule), per method or fixed by
//! the spec; `x-ms-skip-url-encoding` on path and query values (slashes and
//! `&` sent as they are, in queries too); OData query options; an `api-version`
//! parameter marked `x-ms-api-version: false` as the operation's own; `x-ms-client-request-id` set on the client or per
//! call, and under a custom header name.

use autorest_azure_special_properties::operations::{
    OdataGetWithFilterOptions, SkipUrlEncodingGetMethodQueryNullOptions,
};
use autorest_azure_special_properties::{Client, models};
use autorest_tests::{Report, TestServer, equal, invalid, ok};
use azrm_runtime::Rule;

/// Scenarios known to fail, with the reason.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// Server counters not required: the request-id counters a client sending the id (or none)
/// cannot both hit.
const NOT_REQUIRED: &[&str] = &["AzureXmsRequestClientIdNull", "AzureRequestClientIdInError"];

/// The subscription the server expects.
const SUBSCRIPTION: &str = "1234-5678-9012-3456";

/// The request id the server expects.
const REQUEST_ID: &str = "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0";

/// The path value sent without encoding: its slashes stay separators.
const UNENCODED_PATH: &str = "path1/path2/path3";

/// The query value sent without encoding: its `&` and `=` make two more query parameters.
const UNENCODED_QUERY: &str = "value1&q2=value2&q3=value3";

#[tokio::test]
async fn azure_special_properties_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder(SUBSCRIPTION))
        .build()
        .expect("client");
    let mut report = Report::new("azure-special-properties.json");

    let credentials = client.subscription_in_credentials();
    report
        .run("subscriptionInCredentials_postMethodGlobalValid", async {
            ok(credentials.post_method_global_valid(None).await)
        })
        .await;
    report
        .run("subscriptionInCredentials_postMethodGlobalNull", async {
            // A null subscription is refused before sending; here, a client's empty one.
            let client = server
                .configure(Client::builder(""))
                .build()
                .map_err(|e| e.to_string())?;
            invalid(
                client
                    .subscription_in_credentials()
                    .post_method_global_null(None)
                    .await,
                "subscriptionId",
                &Rule::MinLength(1),
            )
        })
        .await;
    report
        .run(
            "subscriptionInCredentials_postMethodGlobalNotProvidedValid",
            async {
                ok(credentials
                    .post_method_global_not_provided_valid(None)
                    .await)
            },
        )
        .await;
    report
        .run("subscriptionInCredentials_postPathGlobalValid", async {
            ok(credentials.post_path_global_valid(None).await)
        })
        .await;
    report
        .run("subscriptionInCredentials_postSwaggerGlobalValid", async {
            ok(credentials.post_swagger_global_valid(None).await)
        })
        .await;
    let method = client.subscription_in_method();
    report
        .run("subscriptionInMethod_postMethodLocalValid", async {
            ok(method.post_method_local_valid(SUBSCRIPTION, None).await)
        })
        .await;
    report
        .run("subscriptionInMethod_postMethodLocalNull", async {
            invalid(
                method.post_method_local_null("", None).await,
                "subscriptionId",
                &Rule::MinLength(1),
            )
        })
        .await;
    report
        .run("subscriptionInMethod_postPathLocalValid", async {
            ok(method.post_path_local_valid(SUBSCRIPTION, None).await)
        })
        .await;
    report
        .run("subscriptionInMethod_postSwaggerLocalValid", async {
            ok(method.post_swagger_local_valid(SUBSCRIPTION, None).await)
        })
        .await;

    let default = client.api_version_default();
    report
        .run("apiVersionDefault_getMethodGlobalValid", async {
            ok(default.get_method_global_valid(None).await)
        })
        .await;
    report
        .run("apiVersionDefault_getMethodGlobalNotProvidedValid", async {
            ok(default.get_method_global_not_provided_valid(None).await)
        })
        .await;
    report
        .run("apiVersionDefault_getPathGlobalValid", async {
            ok(default.get_path_global_valid(None).await)
        })
        .await;
    report
        .run("apiVersionDefault_getSwaggerGlobalValid", async {
            ok(default.get_swagger_global_valid(None).await)
        })
        .await;
    let local = client.api_version_local();
    report
        .run("apiVersionLocal_getMethodLocalValid", async {
            ok(local
                .get_method_local_valid(&models::ApiVersion::V2_0, None)
                .await)
        })
        .await;
    report
        .run("apiVersionLocal_getMethodLocalNull", async {
            ok(local.get_method_local_null(None).await)
        })
        .await;
    report
        .run("apiVersionLocal_getPathLocalValid", async {
            ok(local
                .get_path_local_valid(&models::ApiVersion::V2_0, None)
                .await)
        })
        .await;
    report
        .run("apiVersionLocal_getSwaggerLocalValid", async {
            ok(local
                .get_swagger_local_valid(&models::ApiVersion::V2_0, None)
                .await)
        })
        .await;

    let skip = client.skip_url_encoding();
    report
        .run("skipUrlEncoding_getMethodPathValid", async {
            ok(skip.get_method_path_valid(UNENCODED_PATH, None).await)
        })
        .await;
    report
        .run("skipUrlEncoding_getPathPathValid", async {
            ok(skip.get_path_path_valid(UNENCODED_PATH, None).await)
        })
        .await;
    report
        .run("skipUrlEncoding_getSwaggerPathValid", async {
            ok(skip
                .get_swagger_path_valid(&models::UnencodedPathParam::default(), None)
                .await)
        })
        .await;
    report
        .run("skipUrlEncoding_getMethodQueryValid", async {
            ok(skip.get_method_query_valid(UNENCODED_QUERY, None).await)
        })
        .await;
    report
        .run("skipUrlEncoding_getMethodQueryNull", async {
            ok(skip
                .get_method_query_null(Some(SkipUrlEncodingGetMethodQueryNullOptions::default()))
                .await)
        })
        .await;
    report
        .run("skipUrlEncoding_getPathQueryValid", async {
            ok(skip.get_path_query_valid(UNENCODED_QUERY, None).await)
        })
        .await;
    report
        .run("skipUrlEncoding_getSwaggerQueryValid", async {
            ok(skip
                .get_swagger_query_valid(&models::Q1::default(), None)
                .await)
        })
        .await;

    report
        .run("odata_getWithFilter", async {
            let options = {
                let mut options = OdataGetWithFilterOptions::default();
                options.filter = Some("id gt 5 and name eq 'foo'".to_owned());
                options.top = Some(10);
                options.orderby = Some("id".to_owned());
                options
            };
            ok(client.odata().get_with_filter(Some(options)).await)
        })
        .await;

    report
        .run("x-ms-client-request-id_Get", async {
            let client = server
                .configure(Client::builder(SUBSCRIPTION))
                .header("x-ms-client-request-id", REQUEST_ID)
                .build()
                .map_err(|e| e.to_string())?;
            ok(client.x_ms_client_request_id().get(None).await)
        })
        .await;
    report
        .run("x-ms-client-request-id_ParamGet", async {
            ok(client
                .x_ms_client_request_id()
                .param_get(REQUEST_ID, None)
                .await)
        })
        .await;
    let header = client.header();
    report
        .run("header_customNamedRequestId", async {
            ok(header.custom_named_request_id(REQUEST_ID, None).await)
        })
        .await;
    report
        .run("header_customNamedRequestIdParamGrouping", async {
            ok(header
                .custom_named_request_id_param_grouping(REQUEST_ID, None)
                .await)
        })
        .await;
    report
        .run("header_customNamedRequestIdHead", async {
            equal(
                ok(header.custom_named_request_id_head(REQUEST_ID, None).await)?,
                true,
            )
        })
        .await;

    report.finish(KNOWN_FAILURES);
    server
        .assert_coverage(
            "azure-special-properties.json",
            &["azure"],
            &["Azure"],
            NOT_REQUIRED,
        )
        .await;
}
