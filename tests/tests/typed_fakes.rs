//! Typed fakes through the generated client on loopback: a handler receives its operation's
//! request struct (path parameters by name, the body as its model) and answers with the model,
//! a `FakeError`, a scripted long-running operation (`FakePoller`) or scripted pages
//! (`FakePages`), as Go's `fake` package does with its responders.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use azrm_cosmosdb::fake::{Endpoint, FakeError, FakePages, FakePoller};
use azrm_cosmosdb::models::{DatabaseAccountGetResults, SqlDatabaseGetResults};
use azrm_cosmosdb::{Client, ErrorKind};
use azrm_runtime::{Method, Request};
use futures::StreamExt;

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";

async fn start() -> (Endpoint, Client) {
    let endpoint = Endpoint::from(Endpoint::builder().start().await.expect("endpoint starts"));
    let client = endpoint
        .client_builder(SUBSCRIPTION)
        .build()
        .expect("client builds");
    (endpoint, client)
}

/// The requests the endpoint served whose target contains `fragment`.
fn served(endpoint: &Endpoint, fragment: &str) -> usize {
    endpoint
        .local()
        .requests()
        .iter()
        .filter(|request| request.target.contains(fragment))
        .count()
}

fn account(name: &str) -> DatabaseAccountGetResults {
    DatabaseAccountGetResults {
        name: Some(name.to_owned()),
        ..Default::default()
    }
}

/// Creates database `db-1` of account `acct` and waits for the operation to end.
async fn create_database(client: &Client) -> Result<SqlDatabaseGetResults, azrm_cosmosdb::Error> {
    client
        .sql_resources()
        .begin_create_update_sql_database(
            "rg",
            "acct",
            "db-1",
            &workspace_tests::sql_database("db-1"),
            None,
        )
        .await?
        .await
}

#[tokio::test]
async fn a_typed_get_handler_reads_path_parameters_by_name_and_answers_a_model_or_an_error() {
    let (endpoint, client) = start().await;
    endpoint.database_accounts().on_get(|request| {
        if request.account_name == "locked" {
            return Err(FakeError::new(409, "Conflict", "the account is locked"));
        }
        Ok(DatabaseAccountGetResults {
            name: Some(request.account_name),
            location: Some(format!(
                "{}/{}",
                request.subscription_id, request.resource_group_name
            )),
            ..Default::default()
        })
    });
    let got = client
        .database_accounts()
        .get("rg-1", "acct 1", None)
        .await
        .expect("the handler answers");
    assert_eq!(got.name.as_deref(), Some("acct 1"), "percent-decoded");
    assert_eq!(got.location, Some(format!("{SUBSCRIPTION}/rg-1")));

    let error = client
        .database_accounts()
        .get("rg-1", "locked", None)
        .await
        .expect_err("the handler's error");
    assert_eq!(error.status(), Some(409));
    assert_eq!(error.error_code(), Some("Conflict"));
    assert_eq!(error.error_message(), Some("the account is locked"));
}

#[tokio::test]
async fn a_body_that_does_not_decode_is_a_400_naming_the_property_and_the_handler_is_not_called() {
    let (endpoint, client) = start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    endpoint
        .sql_resources()
        .on_create_update_sql_database(move |request| {
            counted.fetch_add(1, Ordering::SeqCst);
            let id = request
                .create_update_sql_database_parameters
                .properties
                .resource
                .id;
            Ok(SqlDatabaseGetResults {
                location: Some(id),
                ..Default::default()
            }
            .into())
        });
    let path = format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/acct/sqlDatabases/db"
    );
    // The generated client sends only valid bodies: this one is sent as the runtime's request.
    let send = |body: &str| {
        client.runtime().send(Request {
            operation_id: "SqlResources_CreateUpdateSqlDatabase",
            method: Method::Put,
            path_template: "(test)",
            path: path.clone(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Some(body.as_bytes().to_vec()),
            api_version: azrm_cosmosdb::API_VERSION,
            expected_status: &[200, 201, 202],
            call: azrm_cosmosdb::CallOptions::new(),
        })
    };
    let error = send(r#"{"properties": {"resource": {"id": 7}}}"#)
        .await
        .expect_err("the body does not decode");
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.error_code(), Some("InvalidRequestContent"));
    let message = error.error_message().unwrap_or_default();
    assert!(
        message.contains("`SqlDatabaseCreateUpdateParameters`")
            && message.contains("at `properties.resource.id`"),
        "{message}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0, "the handler is not called");

    send(r#"{"properties": {"resource": {"id": "db"}}}"#)
        .await
        .expect("a body that decodes reaches the handler");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn a_scripted_long_running_operation_polls_in_progress_then_succeeds_with_its_result() {
    let (endpoint, client) = start().await;
    endpoint
        .sql_resources()
        .on_create_update_sql_database(|request| {
            let result = SqlDatabaseGetResults {
                location: Some(format!("made-by-{}", request.database_name)),
                ..Default::default()
            };
            Ok(FakePoller::succeeded(result).after_polls(3))
        });
    let database = create_database(&client)
        .await
        .expect("the operation succeeds");
    assert_eq!(database.location.as_deref(), Some("made-by-db-1"));
    assert_eq!(database.name.as_deref(), Some("db-1"));
    // Three `InProgress` answers, then `Succeeded`.
    assert_eq!(served(&endpoint, "operationsStatus"), 4);
}

#[tokio::test(start_paused = true)]
async fn a_scripted_long_running_operation_can_fail_with_an_arm_error() {
    let (endpoint, client) = start().await;
    endpoint.sql_resources().on_create_update_sql_database(|_| {
        Ok(
            FakePoller::failed(FakeError::new(409, "Conflict", "the database is locked"))
                .after_polls(2),
        )
    });
    let error = create_database(&client)
        .await
        .expect_err("the operation fails");
    assert!(
        matches!(error.kind(), ErrorKind::OperationFailed { status, .. } if status == "Failed"),
        "{error:?}"
    );
    assert_eq!(error.error_code(), Some("Conflict"));
    assert_eq!(error.error_message(), Some("the database is locked"));
    assert_eq!(served(&endpoint, "operationsStatus"), 3);
    // A failed creation stores nothing.
    let read = client
        .sql_resources()
        .get_sql_database("rg", "acct", "db-1", None)
        .await;
    assert_eq!(read.expect_err("not created").status(), Some(404));
}

#[tokio::test]
async fn a_scripted_list_serves_its_pages_through_next_links() {
    let (endpoint, client) = start().await;
    endpoint.database_accounts().on_list(|_| {
        Ok(FakePages::new()
            .page([account("a"), account("b")])
            .page([account("c")])
            .page([account("d"), account("e")]))
    });
    let mut pages = client.database_accounts().list(None).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.expect("page").items().len());
    }
    assert_eq!(sizes, [2, 1, 2]);
    let names: Vec<String> = client
        .database_accounts()
        .list(None)
        .into_vec()
        .await
        .expect("list")
        .into_iter()
        .filter_map(|account| account.name)
        .collect();
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    // Three requests per walk through the list; the handler scripted each walk once.
    assert_eq!(served(&endpoint, "/databaseAccounts?"), 6);
    assert_eq!(endpoint.local().scripted_lists_kept(), 2);
}

#[tokio::test]
async fn a_scripted_list_can_end_with_an_error_after_its_pages() {
    let (endpoint, _) = start().await;
    endpoint.database_accounts().on_list(|_| {
        Ok(FakePages::new()
            .page([account("a")])
            .then_fail(FakeError::new(503, "ServiceUnavailable", "try later")))
    });
    let client = endpoint
        .client_builder(SUBSCRIPTION)
        .retry(azrm_cosmosdb::RetryOptions::new().max_retries(0))
        .build()
        .expect("client builds");
    let mut pages = client.database_accounts().list(None).pages();
    let first = pages.next().await.expect("a first page").expect("page");
    assert_eq!(first.items().len(), 1);
    let error = pages
        .next()
        .await
        .expect("then the error")
        .expect_err("error");
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.error_code(), Some("ServiceUnavailable"));
}
