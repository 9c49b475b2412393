//! Pollers and pagers as a user holds them, through the generated client on loopback: `.await`,
//! the status stream waiting the service's `Retry-After` between polls (paused Tokio clock), a
//! wait cut short by a timeout and continued, the initial and latest responses, typed resume
//! from a token (and a token of another operation refused), and pages with their headers and
//! continuation token, from which a list resumes.

use std::time::Duration;

use azrm_cosmosdb::fake::Endpoint;
use azrm_cosmosdb::{Client, ErrorKind, ItemPage, PollerStatus, RetryOptions, models};
use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use futures::{StreamExt as _, TryStreamExt as _};
use serde_json::Value;
use tokio::time::Instant;

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";
/// What the local endpoint asks for between polls.
const RETRY_AFTER: Duration = Duration::from_secs(4);
/// How many polls answer `InProgress` before the operation succeeds.
const RUNNING_POLLS: u32 = 3;
/// Slack for the clock's millisecond ticks.
const SLACK: Duration = Duration::from_millis(5);

/// A local endpoint whose long-running operations take `RUNNING_POLLS` polls, `RETRY_AFTER`
/// apart, and a client of it.
async fn endpoint() -> (Endpoint, Client) {
    let endpoint = Endpoint::from(
        Endpoint::builder()
            .polls_until_done(RUNNING_POLLS)
            .retry_after(RETRY_AFTER)
            .start()
            .await
            .expect("endpoint"),
    );
    let client = endpoint
        .client_builder(SUBSCRIPTION)
        .retry(RetryOptions::new().initial_delay(Duration::from_millis(1)))
        .build()
        .expect("client");
    (endpoint, client)
}

/// Starts creating the SQL database `name`.
async fn begin(
    client: &Client,
    name: &str,
) -> azrm_cosmosdb::Poller<models::SqlDatabaseGetResults> {
    client
        .sql_resources()
        .begin_create_update_sql_database(
            "rg",
            "acct",
            name,
            &workspace_tests::sql_database(name),
            None,
        )
        .await
        .expect("started")
}

/// The status polls the endpoint has served.
fn status_polls(endpoint: &Endpoint) -> usize {
    endpoint
        .local()
        .requests()
        .iter()
        .filter(|request| request.target.contains("/operationsStatus/"))
        .count()
}

#[tokio::test(start_paused = true)]
async fn awaiting_the_poller_gives_the_created_resource() {
    let (_endpoint, client) = endpoint().await;
    let database = begin(&client, "db").await.await.expect("succeeded");
    assert_eq!(database.name.as_deref(), Some("db"));
}

#[tokio::test(start_paused = true)]
async fn the_status_stream_yields_each_typed_status_retry_after_apart() {
    let (endpoint, client) = endpoint().await;
    let mut poller = begin(&client, "db").await;
    let mut last = Instant::now();
    let mut statuses = Vec::new();
    while let Some(status) = poller.next().await {
        let waited = last.elapsed();
        last = Instant::now();
        assert!(
            waited >= RETRY_AFTER && waited <= RETRY_AFTER + SLACK,
            "poll {} came {waited:?} after the response before it",
            statuses.len() + 1
        );
        statuses.push(status.expect("the poll read a status"));
    }
    let mut expected = vec![PollerStatus::InProgress; RUNNING_POLLS as usize];
    expected.push(PollerStatus::Succeeded);
    assert_eq!(statuses, expected);
    assert_eq!(status_polls(&endpoint), statuses.len());
    // Done: the result is there without another request.
    let before = endpoint.local().requests().len();
    assert_eq!(
        poller.wait().await.expect("result").name.as_deref(),
        Some("db")
    );
    assert_eq!(endpoint.local().requests().len(), before);
}

#[tokio::test(start_paused = true)]
async fn a_wait_cut_short_by_a_timeout_continues_the_same_operation() {
    let (endpoint, client) = endpoint().await;
    let started = Instant::now();
    let mut poller = begin(&client, "db").await;
    // The first poll comes at 4 s, the second is due at 8 s: the timeout falls between them.
    let cut = tokio::time::timeout(RETRY_AFTER * 3 / 2, poller.wait()).await;
    assert!(cut.is_err(), "the wait should have timed out: {cut:?}");
    assert_eq!(status_polls(&endpoint), 1);
    assert!(!poller.is_done());

    let database = poller.wait().await.expect("succeeded");
    assert_eq!(database.name.as_deref(), Some("db"));
    // One operation, its polls as many and as far apart as without the timeout.
    let puts = endpoint
        .local()
        .requests()
        .iter()
        .filter(|request| request.method == "PUT")
        .count();
    assert_eq!(puts, 1);
    let polls = RUNNING_POLLS + 1;
    assert_eq!(status_polls(&endpoint), polls as usize);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= RETRY_AFTER * polls && elapsed <= RETRY_AFTER * polls + SLACK,
        "{polls} polls {RETRY_AFTER:?} apart took {elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_initial_and_latest_responses_are_reachable() {
    let (_endpoint, client) = endpoint().await;
    let mut poller = begin(&client, "db").await;
    let initial = poller.initial_response().expect("a started poller has one");
    assert!(initial.header("azure-asyncoperation").is_some());
    let initial_id = initial
        .header("x-ms-request-id")
        .expect("request id")
        .to_owned();
    let request_id = |response: Option<&azrm_cosmosdb::RawResponse>| {
        response.and_then(|r| r.header("x-ms-request-id").map(str::to_owned))
    };
    assert_eq!(
        request_id(poller.latest_response()).as_deref(),
        Some(initial_id.as_str()),
        "before any poll, the latest response is the initial one"
    );

    assert_eq!(
        poller.poll().await.expect("polled"),
        PollerStatus::InProgress
    );
    let latest = poller.latest_response().expect("latest");
    assert!(latest.body().starts_with(b"{"), "a status body");
    assert_ne!(latest.header("x-ms-request-id"), Some(initial_id.as_str()));

    poller.wait().await.expect("succeeded");
    let last = poller.latest_response().expect("latest");
    assert_eq!(last.status(), 200);
    let resource: Value = serde_json::from_slice(last.body()).expect("json");
    assert_eq!(resource["name"], "db", "the final read of the resource");
    assert_eq!(
        request_id(poller.initial_response()).as_deref(),
        Some(initial_id.as_str()),
        "the initial response stays"
    );
}

#[tokio::test(start_paused = true)]
async fn a_saved_token_resumes_the_operation_through_the_typed_group_method() {
    let (endpoint, client) = endpoint().await;
    let mut poller = begin(&client, "db").await;
    assert_eq!(
        poller.poll().await.expect("polled"),
        PollerStatus::InProgress
    );
    let token = poller.resume_token().expect("token");
    drop(poller);

    let group = client.sql_resources();
    let resumed = group
        .resume_create_update_sql_database(&token)
        .expect("resumed");
    assert!(resumed.initial_response().is_none());
    let started = Instant::now();
    let database = resumed.await.expect("succeeded");
    assert_eq!(database.name.as_deref(), Some("db"));
    assert_eq!(status_polls(&endpoint), (RUNNING_POLLS + 1) as usize);
    // The first poll of a resumed poller is immediate; the others wait as before.
    let expected = RETRY_AFTER * (RUNNING_POLLS - 1);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= expected && elapsed <= expected + SLACK,
        "{elapsed:?}"
    );

    // A token resumes only the operation that made it: no request is sent for another.
    let before = endpoint.local().requests().len();
    let error = group
        .resume_create_update_sql_container(&token)
        .expect_err("a token of another operation");
    assert!(
        matches!(error.kind(), ErrorKind::ResumeToken(_)),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("SqlResources_CreateUpdateSqlDatabase")
            && message.contains("SqlResources_CreateUpdateSqlContainer"),
        "{message}"
    );
    let error = group
        .resume_create_update_sql_database("not a token")
        .expect_err("garbage");
    assert!(
        matches!(error.kind(), ErrorKind::ResumeToken(_)),
        "{error:?}"
    );
    assert_eq!(endpoint.local().requests().len(), before);
}

/// Three pages of accounts (`a b`, `c d`, `e`), each answered with its own request id.
async fn three_pages() -> LocalEndpoint {
    LocalEndpoint::stub(|request, base| {
        let (id, page) = match request.path() {
            "/page2" => (
                "page-2",
                workspace_tests::account_page(
                    &["c", "d"],
                    Some(format!("{base}/page3?api-version=2026-03-15")),
                ),
            ),
            "/page3" => ("page-3", workspace_tests::account_page(&["e"], None)),
            _ => (
                "page-1",
                workspace_tests::account_page(
                    &["a", "b"],
                    Some(format!("{base}/page2?api-version=2026-03-15")),
                ),
            ),
        };
        FakeResponse::json(200, &page).with_header("x-ms-request-id", id)
    })
    .await
    .expect("stub")
}

fn stub_client(base: &str) -> Client {
    Client::builder(SUBSCRIPTION)
        .endpoint(base)
        .credential(azrm_cosmosdb::StaticTokenCredential::new("token"))
        .build()
        .expect("client")
}

fn names(page: &ItemPage<models::DatabaseAccountGetResults>) -> Vec<&str> {
    page.items()
        .iter()
        .filter_map(|account| account.name.as_deref())
        .collect()
}

#[tokio::test]
async fn pages_carry_their_headers_and_a_token_the_list_resumes_from() {
    let server = three_pages().await;
    let client = stub_client(&server.http_url());
    let pages: Vec<_> = client
        .database_accounts()
        .list(None)
        .pages()
        .try_collect()
        .await
        .expect("pages");
    let ids: Vec<_> = pages
        .iter()
        .map(|page| page.headers().get("x-ms-request-id"))
        .collect();
    assert_eq!(ids, [Some("page-1"), Some("page-2"), Some("page-3")]);
    assert_eq!(names(&pages[0]), ["a", "b"]);
    assert_eq!(pages[2].continuation_token(), None, "the last page");
    let token = pages[0]
        .continuation_token()
        .expect("a next page")
        .to_owned();
    assert_eq!(
        token,
        format!("{}/page2?api-version=2026-03-15", server.http_url())
    );

    // Later, maybe elsewhere: the same list from the second page on.
    let sent = server.requests().len();
    let rest: Vec<_> = client
        .database_accounts()
        .list(None)
        .with_continuation_token(token)
        .pages()
        .try_collect()
        .await
        .expect("pages");
    let rest: Vec<Vec<&str>> = rest.iter().map(names).collect();
    assert_eq!(rest, [vec!["c", "d"], vec!["e"]]);
    let requests = server.requests();
    let paths: Vec<_> = requests[sent..].iter().map(|r| r.path()).collect();
    assert_eq!(
        paths,
        ["/page2", "/page3"],
        "the first page is not fetched again"
    );
}

#[tokio::test]
async fn a_continuation_token_for_another_host_or_an_empty_one_is_refused_unsent() {
    let server = three_pages().await;
    let elsewhere = three_pages().await;
    let client = stub_client(&server.http_url());
    let foreign = format!("{}/page2?api-version=2026-03-15", elsewhere.http_url());
    for (token, expected) in [(foreign.as_str(), "UntrustedUrl"), ("", "InvalidRequest")] {
        let mut pages = client
            .database_accounts()
            .list(None)
            .with_continuation_token(token)
            .pages();
        let error = pages.next().await.expect("an item").expect_err("refused");
        let kind = match error.kind() {
            ErrorKind::UntrustedUrl { .. } => "UntrustedUrl",
            ErrorKind::InvalidRequest { .. } => "InvalidRequest",
            _ => "other",
        };
        assert_eq!(kind, expected, "{token:?}: {error:?}");
        assert!(pages.next().await.is_none(), "paging stops");
    }
    assert!(server.requests().is_empty());
    assert!(elsewhere.requests().is_empty());
}
