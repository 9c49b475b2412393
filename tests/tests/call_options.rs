//! The shape of a call through the generated client, on loopback against the local ARM endpoint:
//! the per-call options (headers, client request id, timeout, retries, poll interval) reach the
//! wire, `Authorization` cannot be set per call, and a successful call returns a `Response` with
//! the status and headers beside its model.

use std::time::Duration;

use azrm_cosmosdb::fake::{Endpoint, Fault, FaultRule};
use azrm_cosmosdb::models::{
    DatabaseAccountGetResults, SqlDatabaseCreateUpdateParameters, SqlDatabaseResource,
};
use azrm_cosmosdb::operations::{
    DatabaseAccountsGetOptions, SqlResourcesCreateUpdateSqlDatabaseOptions,
};
use azrm_cosmosdb::{Client, ErrorKind, RetryOptions};
use tokio::time::Instant;

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";
/// Slack for the clock's millisecond ticks.
const TICK: Duration = Duration::from_millis(5);

/// An endpoint whose `DatabaseAccounts_Get` answers an account in `westus`, and a client of it
/// that does not retry.
async fn start() -> (Endpoint, Client) {
    let endpoint = Endpoint::from(Endpoint::builder().start().await.expect("endpoint"));
    endpoint
        .database_accounts()
        .on_get(|_| Ok(DatabaseAccountGetResults::default().with_location("westus")));
    let client = endpoint
        .client_builder(SUBSCRIPTION)
        .retry(RetryOptions::none())
        .build()
        .expect("client");
    (endpoint, client)
}

/// The requests the endpoint served for `operation_id`.
fn served(endpoint: &Endpoint, operation_id: &str) -> Vec<azrm_local_endpoint::ServedRequest> {
    endpoint
        .local()
        .requests()
        .into_iter()
        .filter(|request| request.operation_id.as_deref() == Some(operation_id))
        .collect()
}

#[tokio::test]
async fn per_call_headers_and_client_request_id_reach_the_wire_and_the_response_keeps_its_headers()
{
    let (endpoint, client) = start().await;
    let options = DatabaseAccountsGetOptions::default()
        .with_header("x-ms-test-case", "call-options")
        .with_client_request_id("my-request-1");
    let response = client
        .database_accounts()
        .get("rg", "acct", Some(options))
        .await
        .expect("get");

    let sent = served(&endpoint, "DatabaseAccounts_Get");
    assert_eq!(sent.len(), 1);
    let header = |name: &str| {
        sent[0]
            .headers
            .iter()
            .find(|(header, _)| header == name)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(header("x-ms-test-case"), Some("call-options"));
    assert_eq!(header("x-ms-client-request-id"), Some("my-request-1"));

    // The model through `Deref`, the response's status and headers beside it.
    assert_eq!(response.location.as_deref(), Some("westus"));
    assert_eq!(response.status(), 200);
    let request_id = response.request_id().expect("x-ms-request-id").to_owned();
    assert!(!request_id.is_empty());
    assert!(response.correlation_request_id().is_some());
    assert_eq!(
        response.header("X-MS-REQUEST-ID"),
        Some(request_id.as_str())
    );
    let (status, headers, model) = response.into_parts();
    assert_eq!(status, 200);
    assert_eq!(headers.get("x-ms-request-id"), Some(request_id.as_str()));
    assert_eq!(model.location.as_deref(), Some("westus"));

    // Without options, the client makes the request id itself: a fresh one per call.
    for _ in 0..2 {
        let model = client
            .database_accounts()
            .get("rg", "acct", None)
            .await
            .expect("get")
            .into_model();
        assert_eq!(model.location.as_deref(), Some("westus"));
    }
    let ids: Vec<String> = served(&endpoint, "DatabaseAccounts_Get")
        .iter()
        .filter_map(|request| {
            let (_, id) = request
                .headers
                .iter()
                .find(|(name, _)| name == "x-ms-client-request-id")?;
            Some(id.clone())
        })
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids[1] != ids[2] && ids[1] != "my-request-1", "{ids:?}");
}

#[tokio::test]
async fn a_per_call_authorization_header_is_refused_before_anything_is_sent() {
    let (endpoint, client) = start().await;
    for name in ["Authorization", "authorization"] {
        let options = DatabaseAccountsGetOptions::default().with_header(name, "Bearer stolen");
        let error = client
            .database_accounts()
            .get("rg", "acct", Some(options))
            .await
            .expect_err("refused");
        assert!(
            matches!(error.kind(), ErrorKind::InvalidRequest { operation_id, reason }
                if operation_id == "DatabaseAccounts_Get" && reason.contains("authorization")),
            "{error:?}"
        );
    }
    assert!(endpoint.local().requests().is_empty());
    // A header that is not valid in HTTP is refused the same way.
    let options = DatabaseAccountsGetOptions::default().with_header("x-bad", "line\nbreak");
    let error = client
        .database_accounts()
        .get("rg", "acct", Some(options))
        .await
        .expect_err("refused");
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
        "{error:?}"
    );
    assert!(endpoint.local().requests().is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_per_call_timeout_replaces_the_clients_attempt_timeout() {
    let (endpoint, client) = start().await;
    endpoint.local().add_fault(
        FaultRule::new(Fault::Delay(Duration::from_secs(3600))).operation("DatabaseAccounts_Get"),
    );
    let started = Instant::now();
    let options = DatabaseAccountsGetOptions::default().with_timeout(Duration::from_secs(2));
    let error = client
        .database_accounts()
        .get("rg", "acct", Some(options))
        .await
        .expect_err("times out");
    let waited = started.elapsed();
    assert!(
        matches!(error.kind(), ErrorKind::Transport { timeout: true, .. }),
        "{error:?}"
    );
    // The client's own timeout is 100 s.
    assert!(
        waited >= Duration::from_secs(2) && waited <= Duration::from_secs(2) + TICK,
        "timed out after {waited:?}"
    );
    assert_eq!(served(&endpoint, "DatabaseAccounts_Get").len(), 1);
}

#[tokio::test]
async fn per_call_retries_replace_the_clients() {
    let (endpoint, client) = start().await;
    endpoint.local().add_fault(
        FaultRule::new(Fault::Status {
            status: 503,
            retry_after: Some(0),
        })
        .operation("DatabaseAccounts_Get")
        .first(1),
    );
    // The client does not retry; this call does.
    let retry = RetryOptions::new()
        .max_retries(1)
        .initial_delay(Duration::from_millis(1));
    let options = DatabaseAccountsGetOptions::default().with_retry(retry);
    let response = client
        .database_accounts()
        .get("rg", "acct", Some(options))
        .await
        .expect("the retry succeeds");
    assert_eq!(response.status(), 200);
    assert_eq!(served(&endpoint, "DatabaseAccounts_Get").len(), 2);
}

#[tokio::test]
async fn operations_without_a_model_return_their_response_too() {
    let (_endpoint, client) = start().await;
    let exists = client
        .database_accounts()
        .check_name_exists("nobody-has-this", None)
        .await
        .expect("head");
    assert_eq!(exists.status(), 404);
    assert!(!*exists);
    assert!(exists.request_id().is_some());
}

#[tokio::test(start_paused = true)]
async fn a_per_call_poll_interval_caps_the_wait_between_polls() {
    let endpoint = Endpoint::from(
        Endpoint::builder()
            .polls_until_done(4)
            .start()
            .await
            .expect("endpoint"),
    );
    let client = endpoint
        .client_builder(SUBSCRIPTION)
        .poll_interval(Duration::from_secs(30))
        .build()
        .expect("client");
    let account = serde_json::from_value(serde_json::json!({
        "location": "westus",
        "properties": {
            "databaseAccountOfferType": "Standard",
            "locations": [{"locationName": "westus"}]
        }
    }))
    .expect("account");
    client
        .database_accounts()
        .begin_create_or_update("rg", "acct", &account, None)
        .await
        .expect("create starts")
        .await
        .expect("create finishes");
    let database = SqlDatabaseCreateUpdateParameters::new(SqlDatabaseResource::new("db"));
    let options = SqlResourcesCreateUpdateSqlDatabaseOptions::default()
        .with_poll_interval(Duration::from_millis(100));
    let started = Instant::now();
    client
        .sql_resources()
        .begin_create_update_sql_database("rg", "acct", "db", &database, Some(options))
        .await
        .expect("create starts")
        .await
        .expect("create finishes");
    let waited = started.elapsed();
    // The first wait is the client's first (1 s), then 100 ms before each further poll instead
    // of 2 s, 4 s, 8 s and 16 s.
    let expected = Duration::from_millis(1400);
    assert!(
        waited >= expected && waited <= expected + TICK,
        "the polls took {waited:?}"
    );
}
