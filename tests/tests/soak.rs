//! Fault-injection soak (bounded; it stops by itself): a 10,000-item paged list and 50 concurrent
//! long-running operations against the local ARM endpoint while it injects throttling (with and
//! without `Retry-After`), server errors, resets, truncated bodies, responses slower than the
//! client's timeout, and transient errors from the operation-status monitor. Every item must be
//! listed exactly once and every operation must end `Succeeded` or with the error its fault
//! implies, with retries within the configured maximum.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use cosmos_arm::fake::{Endpoint, Fault, FaultRule};
use cosmos_arm::models::{DatabaseAccountGetResults, DatabaseAccountsListResult};
use cosmos_arm::{Client, RetryOptions};
use futures::future::join_all;

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";
const ITEMS: usize = 10_000;
const PAGE: usize = 100;
const LROS: usize = 50;
const MAX_RETRIES: u32 = 4;

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
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client")
}

/// Serves `ITEMS` accounts, `PAGE` per page, with a `$skipToken` next link.
fn serve_accounts(endpoint: &Endpoint) {
    let base = endpoint.local().https_url();
    endpoint.database_accounts().on_list(move |request| {
        let start: usize = request
            .query_param("$skipToken")
            .and_then(|token| token.parse().ok())
            .unwrap_or(0);
        let end = (start + PAGE).min(ITEMS);
        let value = (start..end)
            .map(|index| DatabaseAccountGetResults {
                name: Some(format!("account-{index:05}")),
                ..Default::default()
            })
            .collect();
        let next_link = (end < ITEMS).then(|| {
            format!(
                "{base}/subscriptions/{SUBSCRIPTION}/providers/Microsoft.DocumentDB/databaseAccounts?api-version={}&$skipToken={end}",
                cosmos_arm::API_VERSION
            )
        });
        Ok(DatabaseAccountsListResult {
            value: Some(value),
            next_link,
            ..Default::default()
        })
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
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
        .list()
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
    assert!(elapsed < Duration::from_secs(120), "took {elapsed:?}");
    println!(
        "soak: {} requests served, {faults} faults injected, {} retries of list pages, {ITEMS} items verified, {LROS} operations succeeded, {elapsed:.2?}",
        served.len(),
        list_requests - pages
    );
}
