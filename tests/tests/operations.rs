//! The generated client against a recording stub server on loopback: requests as the spec
//! describes them, responses decoded, long-running operations polled, pages followed, retries,
//! validation before sending, and the bearer token kept to the endpoint.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use azrm_cosmosdb::{Client, ErrorKind, RetryOptions, StaticTokenCredential, models};
use azrm_local_endpoint::{FakeResponse, LocalEndpoint, ServedRequest};
use azrm_runtime::Secret;
use futures::TryStreamExt as _;
use serde_json::{Value, json};

const SUBSCRIPTION: &str = "00000000-1111-2222-3333-444444444444";
const TOKEN: &str = "test-bearer-token-s3cr3t";
const ACCOUNT_PATH: &str = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg1/providers/Microsoft.DocumentDB/databaseAccounts/ddb1";

fn client(base: &str) -> Client {
    Client::builder(SUBSCRIPTION)
        .endpoint(base)
        .credential(StaticTokenCredential::new(TOKEN))
        .retry(
            RetryOptions::new()
                .max_retries(2)
                .initial_delay(Duration::from_millis(1)),
        )
        .poll_interval(Duration::ZERO)
        .build()
        .unwrap()
}

/// The first response body of an example file in the spec.
fn example_body(file: &str, status: &str) -> Value {
    let path = workspace_tests::workspace_root()
        .join("spec/specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/stable/2026-03-15/examples")
        .join(file);
    let example: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    example["responses"][status]["body"].clone()
}

fn connection_body() -> Value {
    example_body("CosmosDBPrivateEndpointConnectionUpdate.json", "200")
}

fn approve() -> models::PrivateEndpointConnection {
    serde_json::from_value(json!({
        "id": "/ignored/read-only",
        "properties": {"privateLinkServiceConnectionState": {"status": "Approved", "description": "Approved by test"}}
    }))
    .unwrap()
}

fn query_pairs(request: &ServedRequest) -> Vec<(String, String)> {
    let query = request.target.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

#[tokio::test]
async fn get_sends_the_spec_request_and_decodes_the_model() {
    let body = example_body("CosmosDBDatabaseAccountGet.json", "200");
    let reply = body.clone();
    let server = LocalEndpoint::stub(move |_, _| FakeResponse::json(200, &reply))
        .await
        .unwrap();
    let account = client(&server.http_url())
        .database_accounts()
        .get("rg1", "ddb1", None)
        .await
        .unwrap();

    assert_eq!(account.name.as_deref(), body["name"].as_str());
    assert_eq!(account.location.as_deref(), body["location"].as_str());
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), ACCOUNT_PATH);
    assert_eq!(
        query_pairs(request),
        [("api-version".to_owned(), "2026-03-15".to_owned())]
    );
    assert_eq!(
        request.authorization.as_ref().map(Secret::expose),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(
        request
            .header("x-ms-client-request-id")
            .is_some_and(|id| id.len() == 36)
    );
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("azsdk-rust-azrm-cosmosdb/"))
    );
}

#[tokio::test]
async fn seed_operation_completes_at_once_on_200() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::json(200, &connection_body()))
        .await
        .unwrap();
    let connections = client(&server.http_url());
    let poller = connections
        .private_endpoint_connections()
        .begin_create_or_update("rg1", "ddb1", "pec1", &approve(), None)
        .await
        .unwrap();
    assert!(poller.is_done());
    let connection = poller.await.unwrap();
    assert_eq!(
        connection.name.as_deref(),
        Some("privateEndpointConnectionName")
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(
        requests[0].path(),
        format!("{ACCOUNT_PATH}/privateEndpointConnections/pec1")
    );
    // The read-only `id` stays out of the request body.
    assert_eq!(
        requests[0].json(),
        Some(
            json!({"properties": {"privateLinkServiceConnectionState": {"status": "Approved", "description": "Approved by test"}}})
        )
    );
}

#[tokio::test]
async fn seed_operation_polls_azure_async_operation_then_reads_the_resource_at_its_own_url() {
    let polls = Arc::new(AtomicUsize::new(0));
    let counter = polls.clone();
    let server =
        LocalEndpoint::stub(
            move |request, base| match (request.method.as_str(), request.path()) {
                ("PUT", _) => FakeResponse::status(202)
                    .with_header(
                        "azure-asyncoperation",
                        &format!("{base}/operationsStatus/op1?api-version=2026-03-15"),
                    )
                    .with_header(
                        "location",
                        &format!("{base}/operationResults/op1?api-version=2026-03-15"),
                    )
                    .with_header("retry-after", "0"),
                ("GET", "/operationsStatus/op1") => {
                    let status = if counter.fetch_add(1, Ordering::SeqCst) < 2 {
                        "InProgress"
                    } else {
                        "Succeeded"
                    };
                    FakeResponse::json(200, &json!({"status": status}))
                }
                ("GET", "/operationResults/op1") => {
                    FakeResponse::json(200, &json!({"status": "Succeeded"}))
                }
                ("GET", path)
                    if path == format!("{ACCOUNT_PATH}/privateEndpointConnections/pec1") =>
                {
                    FakeResponse::json(200, &connection_body())
                }
                _ => FakeResponse::status(500),
            },
        )
        .await
        .unwrap();
    let connection = client(&server.http_url())
        .private_endpoint_connections()
        .begin_create_or_update("rg1", "ddb1", "pec1", &approve(), None)
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(
        connection.properties.unwrap().group_id.as_deref(),
        Some("Sql")
    );
    assert_eq!(polls.load(Ordering::SeqCst), 3);
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    // A PUT reads the resource in the end, whatever final-state-via says (as Go and .NET do).
    assert_eq!(
        paths.last(),
        Some(&format!("{ACCOUNT_PATH}/privateEndpointConnections/pec1")),
        "{paths:?}"
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.authorization.as_ref().map(Secret::expose)
                == Some(format!("Bearer {TOKEN}").as_str()))
    );
}

#[tokio::test]
async fn a_failed_operation_returns_the_service_error() {
    let server = LocalEndpoint::stub(|request, base| match request.method.as_str() {
        "PUT" => FakeResponse::status(202).with_header("azure-asyncoperation", &format!("{base}/status")),
        _ => FakeResponse::json(200, &json!({"status": "Failed", "error": {"code": "Conflict", "message": "the account is busy"}})),
    })
    .await
    .unwrap();
    let error = client(&server.http_url())
        .private_endpoint_connections()
        .begin_create_or_update("rg1", "ddb1", "pec1", &approve(), None)
        .await
        .unwrap()
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::OperationFailed { .. }),
        "{error:?}"
    );
    assert_eq!(error.error_code(), Some("Conflict"));
    assert!(error.to_string().contains("the account is busy"), "{error}");
}

#[tokio::test]
async fn resume_token_finishes_the_operation_in_a_new_poller() {
    let done = Arc::new(AtomicUsize::new(0));
    let flag = done.clone();
    let server =
        LocalEndpoint::stub(
            move |request, base| match (request.method.as_str(), request.path()) {
                ("PUT", _) => FakeResponse::status(202)
                    .with_header("azure-asyncoperation", &format!("{base}/status"))
                    .with_header("location", &format!("{base}/result")),
                ("GET", "/status") if flag.load(Ordering::SeqCst) == 0 => {
                    FakeResponse::json(200, &json!({"status": "InProgress"}))
                }
                ("GET", "/status") => FakeResponse::json(200, &json!({"status": "Succeeded"})),
                ("GET", path) if path.ends_with("/privateEndpointConnections/pec1") => {
                    FakeResponse::json(200, &connection_body())
                }
                _ => FakeResponse::status(500),
            },
        )
        .await
        .unwrap();
    let client = client(&server.http_url());
    let poller = client
        .private_endpoint_connections()
        .begin_create_or_update("rg1", "ddb1", "pec1", &approve(), None)
        .await
        .unwrap();
    let token = poller.resume_token().unwrap();
    assert!(!token.contains(TOKEN));
    drop(poller);
    done.store(1, Ordering::SeqCst);
    let resumed = client
        .private_endpoint_connections()
        .resume_create_or_update(&token)
        .unwrap();
    let connection = resumed.await.unwrap();
    assert_eq!(
        connection.name.as_deref(),
        Some("privateEndpointConnectionName")
    );
}

#[tokio::test]
async fn pager_follows_next_links_over_three_pages() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/page2" => FakeResponse::json(
            200,
            &workspace_tests::account_page(
                &["c", "d"],
                Some(format!("{base}/page3?api-version=2026-03-15")),
            ),
        ),
        "/page3" => FakeResponse::json(200, &workspace_tests::account_page(&["e"], None)),
        _ => FakeResponse::json(
            200,
            &workspace_tests::account_page(
                &["a", "b"],
                Some(format!("{base}/page2?api-version=2026-03-15")),
            ),
        ),
    })
    .await
    .unwrap();
    let accounts: Vec<models::DatabaseAccountGetResults> = client(&server.http_url())
        .database_accounts()
        .list(None)
        .try_collect()
        .await
        .unwrap();
    let names: Vec<_> = accounts.iter().filter_map(|a| a.name.as_deref()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        server.requests()[0].path(),
        format!("/subscriptions/{SUBSCRIPTION}/providers/Microsoft.DocumentDB/databaseAccounts")
    );
}

#[tokio::test]
async fn a_repeated_next_link_is_an_error_not_a_loop() {
    let server = LocalEndpoint::stub(|_, base| {
        FakeResponse::json(
            200,
            &workspace_tests::account_page(&["a"], Some(format!("{base}/same"))),
        )
    })
    .await
    .unwrap();
    let error = client(&server.http_url())
        .database_accounts()
        .list(None)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::PagingLoop { .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn no_token_goes_to_a_next_link_or_polling_url_on_another_host() {
    let elsewhere = LocalEndpoint::builder(&[], "")
        .ip(Ipv4Addr::new(127, 0, 0, 2))
        .start()
        .await
        .unwrap();
    elsewhere.on_any(|_, _| FakeResponse::json(200, &json!({"value": [], "status": "Succeeded"})));
    let other = elsewhere.http_url();
    let server = LocalEndpoint::stub(move |request, _| match request.method.as_str() {
        "PUT" => FakeResponse::status(202)
            .with_header("azure-asyncoperation", &format!("{other}/status")),
        _ => FakeResponse::json(
            200,
            &workspace_tests::account_page(&["a"], Some(format!("{other}/page2"))),
        ),
    })
    .await
    .unwrap();
    let client = client(&server.http_url());

    let error = client
        .database_accounts()
        .list(None)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::UntrustedUrl { .. }),
        "{error:?}"
    );
    let error = match client
        .private_endpoint_connections()
        .begin_create_or_update("rg1", "ddb1", "pec1", &approve(), None)
        .await
    {
        Ok(poller) => poller.await.unwrap_err(),
        Err(error) => error,
    };
    assert!(
        matches!(error.kind(), ErrorKind::UntrustedUrl { .. }),
        "{error:?}"
    );
    assert!(
        elsewhere.requests().is_empty(),
        "the other host was contacted: {:?}",
        elsewhere.requests()
    );
}

#[tokio::test]
async fn throttling_is_retried_after_retry_after_with_the_same_request() {
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = attempts.clone();
    let server = LocalEndpoint::stub(move |_, _| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            FakeResponse::json(
                429,
                &json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
            )
            .with_header("retry-after", "0")
        } else {
            FakeResponse::json(200, &connection_body())
        }
    })
    .await
    .unwrap();
    client(&server.http_url())
        .private_endpoint_connections()
        .begin_create_or_update("rg1", "ddb1", "pec1", &approve(), None)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(
        requests[0].header("x-ms-client-request-id"),
        requests[1].header("x-ms-client-request-id")
    );
}

#[tokio::test]
async fn service_unavailable_until_max_attempts_returns_the_error_with_its_request_id() {
    let server = LocalEndpoint::stub(|_, _| {
        FakeResponse::json(
            503,
            &json!({"error": {"code": "ServiceUnavailable", "message": "try later"}}),
        )
        .with_header("x-ms-request-id", "req-503")
    })
    .await
    .unwrap();
    let error = client(&server.http_url())
        .database_accounts()
        .get("rg1", "ddb1", None)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.request_id(), Some("req-503"));
    assert_eq!(error.error_code(), Some("ServiceUnavailable"));
    assert_eq!(server.requests().len(), 3, "one attempt and two retries");
}

#[tokio::test]
async fn invalid_account_names_are_rejected_before_anything_is_sent() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    let client = client(&server.http_url());
    for name in ["Bad_Name", "ab", &"a".repeat(51)] {
        let error = client
            .database_accounts()
            .get("rg1", name, None)
            .await
            .unwrap_err();
        let ErrorKind::InvalidParameter(invalid) = error.kind() else {
            panic!("{name}: {error:?}");
        };
        assert_eq!(invalid.target(), "accountName");
        assert!(error.to_string().contains("accountName"), "{error}");
        let listed = client
            .sql_resources()
            .list_sql_databases("rg1", name, None)
            .try_collect::<Vec<_>>()
            .await;
        assert!(matches!(
            listed.unwrap_err().kind(),
            ErrorKind::InvalidParameter(_)
        ));
    }
    assert!(
        server.requests().is_empty(),
        "sent: {:?}",
        server.requests()
    );
}

#[tokio::test]
async fn constrained_body_fields_are_validated_before_sending() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    let parameters: models::DatabaseAccountCreateUpdateParameters = serde_json::from_value(json!({
        "location": "westus",
        "properties": {
            "databaseAccountOfferType": "Standard",
            "locations": [{"locationName": "westus"}],
            "consistencyPolicy": {"defaultConsistencyLevel": "BoundedStaleness", "maxIntervalInSeconds": 1}
        }
    }))
    .unwrap();
    let error = match client(&server.http_url())
        .database_accounts()
        .begin_create_or_update("rg1", "ddb1", &parameters, None)
        .await
    {
        Ok(_) => panic!("an invalid body was sent"),
        Err(error) => error,
    };
    let ErrorKind::InvalidParameter(invalid) = error.kind() else {
        panic!("{error:?}");
    };
    assert_eq!(
        invalid.target(),
        "createUpdateParameters.properties.consistencyPolicy.maxIntervalInSeconds"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn path_values_cannot_change_the_path_or_query() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::json(200, &json!({})))
        .await
        .unwrap();
    client(&server.http_url())
        .sql_resources()
        .get_sql_database("rg1", "ddb1", "a/b?c#d e", None)
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].path(),
        format!("{ACCOUNT_PATH}/sqlDatabases/a%2Fb%3Fc%23d%20e")
    );
    assert_eq!(query_pairs(&server.requests()[0]).len(), 1);
}

#[tokio::test]
async fn head_reports_existence_from_200_or_404() {
    let server = LocalEndpoint::stub(|request, _| {
        if request.path().ends_with("/taken") {
            FakeResponse::status(200)
        } else {
            FakeResponse::status(404)
        }
    })
    .await
    .unwrap();
    let accounts = client(&server.http_url());
    assert!(
        accounts
            .database_accounts()
            .check_name_exists("taken", None)
            .await
            .unwrap()
            .into_model()
    );
    assert!(
        !accounts
            .database_accounts()
            .check_name_exists("free", None)
            .await
            .unwrap()
            .into_model()
    );
}

#[test]
fn debug_output_never_shows_the_token() {
    let client = Client::builder(SUBSCRIPTION)
        .endpoint("http://127.0.0.1:1")
        .credential(StaticTokenCredential::new(TOKEN))
        .build()
        .unwrap();
    let debug = format!("{client:?} {:?}", StaticTokenCredential::new(TOKEN));
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains(SUBSCRIPTION));
}
