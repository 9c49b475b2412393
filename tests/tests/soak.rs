//! Fault-injection soak (bounded; it stops by itself): a 10,000-item paged list and 50 concurrent
//! long-running operations against the local ARM endpoint while it injects throttling (with and
//! without `Retry-After`), server errors, resets, truncated bodies, responses slower than the
//! client's timeout, and transient errors from the operation-status monitor. Every item must be
//! listed exactly once and every operation must end `Succeeded` or with the error its fault
//! implies, with retries within the configured maximum. Then each fault kind made to outlast
//! the retries (on a list page and on a status poll) must end in the typed error it implies after
//! exactly `1 + max_retries` attempts, with the pages before it delivered once; and a `POST`
//! whose connection breaks is never sent twice.
//!
//! The tests run on a paused Tokio clock (the endpoint and the client share the runtime, and
//! loopback answers are ready as soon as they are written, so the clock only jumps when every
//! task waits on a timer): the client's timeout, the slow answers and the retry delays are exact,
//! and the times asserted are the clock's, not the machine's.

use std::collections::HashSet;
use std::time::Duration;

use tokio::time::Instant;

use azrm_cosmosdb::fake::{Endpoint, FakePages, Fault, FaultRule};
use azrm_cosmosdb::models::DatabaseAccountGetResults;
use azrm_cosmosdb::{Client, ErrorKind, RetryOptions};
use futures::StreamExt;
use futures::future::join_all;

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";
const ITEMS: usize = 10_000;
const PAGE: usize = 100;
const LROS: usize = 50;
const MAX_RETRIES: u32 = 4;
/// The client's timeout per attempt; `Fault::Delay` answers later than that.
const TIMEOUT: Duration = Duration::from_millis(200);

/// The faults, in turn, for the n-th fault rule.
fn fault(n: usize) -> Fault {
    match n % 6 {
        0 => Fault::Status {
            status: 429,
            retry_after: Some(0),
        },
        1 => Fault::Status {
            status: 429,
            retry_after: None,
        },
        2 => Fault::Status {
            status: 503,
            retry_after: None,
        },
        3 => Fault::ResetConnection,
        4 => Fault::TruncatedBody,
        _ => Fault::Delay(Duration::from_millis(400)),
    }
}

fn client(endpoint: &Endpoint) -> Client {
    endpoint
        .client_builder(SUBSCRIPTION)
        .retry(
            RetryOptions::new()
                .max_retries(MAX_RETRIES)
                .initial_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .timeout(TIMEOUT)
        .build()
        .expect("client")
}

/// Serves `ITEMS` accounts, `PAGE` per page, as a scripted list: the endpoint serves each
/// page's `nextLink` (again when a client retries it).
fn serve_accounts(endpoint: &Endpoint) {
    endpoint.database_accounts().on_list(|_| {
        let accounts: Vec<DatabaseAccountGetResults> = (0..ITEMS)
            .map(|index| DatabaseAccountGetResults {
                name: Some(format!("account-{index:05}")),
                ..Default::default()
            })
            .collect();
        Ok(accounts
            .chunks(PAGE)
            .fold(FakePages::new(), |pages, page| pages.page(page.to_vec())))
    });
}

#[tokio::test(start_paused = true)]
async fn lists_and_long_running_operations_survive_injected_faults() {
    let started = Instant::now();
    let endpoint = Endpoint::from(
        Endpoint::builder()
            .polls_until_done(3)
            .start()
            .await
            .expect("endpoint"),
    );
    let client = client(&endpoint);
    serve_accounts(&endpoint);

    // Faults on list pages: one every 7th request, never more in a row than the retries allow.
    let mut rules = 0;
    for n in (3..ITEMS / PAGE + 40).step_by(7) {
        endpoint.local().add_fault(
            FaultRule::new(fault(rules))
                .operation("DatabaseAccounts_List")
                .nth(u32::try_from(n).expect("small")),
        );
        rules += 1;
    }
    // Faults on the operation-status monitor: transient errors between InProgress answers.
    for n in (2..LROS * 3).step_by(5) {
        endpoint.local().add_fault(
            FaultRule::new(fault(rules))
                .path_contains("operationsStatus")
                .nth(u32::try_from(n).expect("small")),
        );
        rules += 1;
    }

    let items = client
        .database_accounts()
        .list(None)
        .into_vec()
        .await
        .expect("the list survives the faults");
    let names: HashSet<String> = items.iter().filter_map(|a| a.name.clone()).collect();
    assert_eq!(items.len(), ITEMS, "every item once");
    assert_eq!(names.len(), ITEMS, "no duplicates");

    let outcomes = join_all((0..LROS).map(|index| {
        let client = client.clone();
        async move {
            let name = format!("db-{index:02}");
            let poller = client
                .sql_resources()
                .begin_create_update_sql_database(
                    "rg",
                    "acct",
                    &name,
                    &workspace_tests::sql_database(&name),
                    None,
                )
                .await?;
            poller.await
        }
    }))
    .await;
    let succeeded = outcomes
        .iter()
        .filter(|outcome| outcome.as_ref().is_ok_and(|db| db.properties.is_some()))
        .count();
    let failures: Vec<String> = outcomes
        .iter()
        .filter_map(|outcome| outcome.as_ref().err().map(ToString::to_string))
        .collect();
    assert_eq!(succeeded, LROS, "{failures:#?}");

    let served = endpoint.local().requests();
    let faults = served.iter().filter(|r| r.faulted).count();
    let list_requests = served
        .iter()
        .filter(|r| r.operation_id.as_deref() == Some("DatabaseAccounts_List"))
        .count();
    let pages = ITEMS / PAGE;
    // Every list fault costs one retry at most: bounded, not a loop.
    assert!(
        list_requests <= pages + rules,
        "{list_requests} list requests"
    );
    let polls: Vec<&str> = served
        .iter()
        .filter(|r| r.operation_id.is_none())
        .map(|r| r.target.as_str())
        .take(3)
        .collect();
    assert!(
        faults > 20,
        "only {faults} faults fired; polls like {polls:?}"
    );
    let elapsed = started.elapsed();
    println!(
        "soak: {} requests served, {faults} faults injected, {} retries of list pages, {ITEMS} items verified, {LROS} operations succeeded, {elapsed:.2?} on the paused clock",
        served.len(),
        list_requests - pages
    );
}

/// How one kind of fault ends a list and a long-running operation when it outlasts the retries.
struct Outlasted {
    items_before: usize,
    /// Time on the paused clock from asking for the failing page to its error.
    failing_page: Duration,
    list_requests: usize,
    list_error: azrm_cosmosdb::Error,
    operation_error: azrm_cosmosdb::Error,
    status_requests: usize,
}

/// Injects `fault` into every attempt at the third list page and at the first status poll of a
/// long-running operation (one more attempt than the retries allow), on a fresh endpoint.
async fn outlast(fault: Fault) -> Outlasted {
    let endpoint = Endpoint::from(
        Endpoint::builder()
            .polls_until_done(3)
            .start()
            .await
            .expect("endpoint"),
    );
    let client = client(&endpoint);
    serve_accounts(&endpoint);
    for attempt in 3..=3 + MAX_RETRIES {
        endpoint.local().add_fault(
            FaultRule::new(fault.clone())
                .operation("DatabaseAccounts_List")
                .nth(attempt),
        );
    }
    endpoint.local().add_fault(
        FaultRule::new(fault)
            .path_contains("operationsStatus")
            .first(MAX_RETRIES + 1),
    );

    let mut pages = client.database_accounts().list(None).pages();
    let mut items_before = 0;
    let (list_error, failing_page) = loop {
        let asked = Instant::now();
        match pages.next().await {
            Some(Ok(page)) => items_before += page.items().len(),
            Some(Err(error)) => break (error, asked.elapsed()),
            None => panic!("the list ended although its third page always failed"),
        }
    };
    let operation_error = async {
        client
            .sql_resources()
            .begin_create_update_sql_database(
                "rg",
                "acct",
                "db",
                &workspace_tests::sql_database("db"),
                None,
            )
            .await?
            .await
    }
    .await
    .expect_err("the status monitor always failed");
    let served = endpoint.local().requests();
    Outlasted {
        items_before,
        failing_page,
        list_requests: served
            .iter()
            .filter(|r| r.operation_id.as_deref() == Some("DatabaseAccounts_List"))
            .count(),
        list_error,
        operation_error,
        status_requests: served
            .iter()
            .filter(|r| r.target.contains("operationsStatus"))
            .count(),
    }
}

#[tokio::test(start_paused = true)]
async fn faults_that_outlast_the_retries_end_in_the_typed_error_they_imply() {
    let cases = [
        (fault(0), "throttled (Retry-After: 0)"),
        (fault(1), "throttled"),
        (fault(2), "unavailable"),
        (fault(3), "reset"),
        (fault(4), "truncated"),
        (fault(5), "slower than the timeout"),
    ];
    for (fault, label) in cases {
        let implied = |error: &azrm_cosmosdb::Error| match (&fault, error.kind()) {
            (
                Fault::Status { status, .. },
                ErrorKind::Http {
                    status: got, error, ..
                },
            ) => got == status && error.as_ref().is_some_and(|arm| arm.code.is_some()),
            (Fault::Delay(_), ErrorKind::Transport { timeout, .. }) => *timeout,
            (
                Fault::ResetConnection | Fault::TruncatedBody,
                ErrorKind::Transport { timeout, .. },
            ) => !timeout,
            _ => false,
        };
        let outcome = outlast(fault.clone()).await;
        assert_eq!(
            outcome.items_before,
            2 * PAGE,
            "{label}: the pages before the fault"
        );
        assert!(
            implied(&outcome.list_error),
            "{label}: {:?}",
            outcome.list_error
        );
        assert!(
            implied(&outcome.operation_error),
            "{label}: {:?}",
            outcome.operation_error
        );
        let attempts = 1 + MAX_RETRIES as usize;
        assert_eq!(
            outcome.list_requests,
            2 + attempts,
            "{label}: list attempts"
        );
        assert_eq!(
            outcome.status_requests, attempts,
            "{label}: status attempts"
        );
        // Each attempt at the slow page waits out the client's timeout, no more: the backoff
        // between attempts is at most `max_delay` (5 ms) each.
        if let Fault::Delay(_) = fault {
            let timeouts = TIMEOUT * u32::try_from(attempts).expect("small");
            let backoff = Duration::from_millis(5) * MAX_RETRIES;
            assert!(
                outcome.failing_page >= timeouts && outcome.failing_page <= timeouts + backoff,
                "{label}: {:?} for {attempts} attempts of {TIMEOUT:?}",
                outcome.failing_page
            );
        }
        println!(
            "outlasted {label}: {} items, then {} ({} list requests, {} status polls, {:?})",
            outcome.items_before,
            outcome.list_error,
            outcome.list_requests,
            outcome.status_requests,
            outcome.failing_page
        );
    }
}

/// A `POST` may have been acted on before its connection broke, so it is never sent twice.
#[tokio::test(start_paused = true)]
async fn a_post_whose_connection_breaks_is_not_sent_again() {
    let endpoint = Endpoint::from(Endpoint::builder().start().await.expect("endpoint"));
    let client = client(&endpoint);
    for fault in [Fault::ResetConnection, Fault::TruncatedBody] {
        endpoint.local().add_fault(
            FaultRule::new(fault)
                .operation("DatabaseAccounts_ListKeys")
                .first(1),
        );
        let before = endpoint.local().requests().len();
        let error = client
            .database_accounts()
            .list_keys("rg", "acct", None)
            .await
            .expect_err("the broken connection is the answer");
        assert!(
            matches!(error.kind(), ErrorKind::Transport { timeout: false, .. }),
            "{error:?}"
        );
        assert_eq!(endpoint.local().requests().len(), before + 1, "sent once");
    }
}
