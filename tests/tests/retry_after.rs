//! `Retry-After` is waited out, on a paused Tokio clock against the local ARM endpoint: a throttled
//! or unavailable answer delays the retry by exactly what the header says (the client's backoff
//! of 1 ms is not used instead), and the polls of a long-running operation come `Retry-After`
//! apart.

use std::time::Duration;

use azrm_cosmosdb::fake::{Endpoint, Fault, FaultRule};
use azrm_cosmosdb::models::DatabaseAccountGetResults;
use azrm_cosmosdb::{Client, RetryOptions};
use tokio::time::Instant;

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";
/// The client's backoff between retries when no `Retry-After` is given.
const BACKOFF: Duration = Duration::from_millis(1);
/// Slack for the backoff's jitter and the clock's millisecond ticks.
const SLACK: Duration = Duration::from_millis(5);

fn client(endpoint: &Endpoint) -> Client {
    endpoint
        .client_builder(SUBSCRIPTION)
        .retry(RetryOptions::new().initial_delay(BACKOFF))
        .build()
        .expect("client")
}

#[tokio::test(start_paused = true)]
async fn a_throttled_or_unavailable_answer_is_retried_after_its_retry_after() {
    for (status, seconds) in [(429, 7), (503, 3)] {
        let endpoint = Endpoint::from(Endpoint::builder().start().await.expect("endpoint"));
        endpoint
            .database_accounts()
            .on_get(|_| Ok(DatabaseAccountGetResults::default()));
        endpoint.local().add_fault(
            FaultRule::new(Fault::Status {
                status,
                retry_after: Some(seconds),
            })
            .operation("DatabaseAccounts_Get")
            .first(1),
        );
        let client = client(&endpoint);
        let started = Instant::now();
        client
            .database_accounts()
            .get("rg", "acct", None)
            .await
            .expect("the retry succeeds");
        let waited = started.elapsed();
        let retry_after = Duration::from_secs(seconds.into());
        assert!(
            waited >= retry_after && waited <= retry_after + SLACK,
            "{status} with Retry-After: {seconds}: the retry came after {waited:?}"
        );
        assert_eq!(endpoint.local().requests().len(), 2, "{status}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_polls_of_a_long_running_operation_come_retry_after_apart() {
    const RETRY_AFTER: Duration = Duration::from_secs(4);
    let endpoint = Endpoint::from(
        Endpoint::builder()
            .polls_until_done(3)
            .retry_after(RETRY_AFTER)
            .start()
            .await
            .expect("endpoint"),
    );
    let client = client(&endpoint);
    let started = Instant::now();
    client
        .sql_resources()
        .begin_create_update_sql_database(
            "rg",
            "acct",
            "db",
            &workspace_tests::sql_database("db"),
            None,
        )
        .await
        .expect("started")
        .await
        .expect("succeeded");
    let waited = started.elapsed();
    // Every status poll waits out the `Retry-After` of the answer before it (the operation's
    // `201`, then each `InProgress`); the final result is read at once.
    let status_polls = endpoint
        .local()
        .requests()
        .iter()
        .filter(|request| request.target.contains("/operationsStatus/"))
        .count();
    assert!(status_polls >= 2, "{status_polls} status polls");
    let expected = RETRY_AFTER * u32::try_from(status_polls).expect("small");
    assert!(
        waited >= expected && waited <= expected + SLACK,
        "{status_polls} status polls {RETRY_AFTER:?} apart took {waited:?}"
    );
}
