//! The endurance run of the local ARM endpoint (`cargo xtask soak --requests N`, binary `soak`):
//! several concurrent clients drive a mixed workload through the generated client (long-running
//! creates and deletes, reads, paged lists checked for lost or duplicated items, and calls that
//! meet injected faults) until the endpoint has received `N` requests, on loopback only, and the
//! process's resident memory is read from `/proc/self/status` at 10%, 50% and 100% of the run.
//! The endpoint runs with small limits ([`LOG_LIMIT`], [`OPERATION_LIMIT`], [`TRAFFIC_LIMIT`]) so
//! that a short run already reaches them: past its warm-up (the first half of the run, or its
//! first 10% when the run is ten times longer than the limits), its memory must stay flat.

use std::collections::{BTreeSet, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use azrm_cosmosdb::fake::{Endpoint, Fault, FaultRule};
use azrm_cosmosdb::models::DatabaseAccountCreateUpdateParameters;
use azrm_cosmosdb::{Client, Error, RetryOptions};
use azrm_local_endpoint::traffic::TrafficRecorder;
use futures::future::join_all;

/// Requests the endpoint's log keeps.
pub const LOG_LIMIT: usize = 2_000;
/// Long-running operations the endpoint remembers.
pub const OPERATION_LIMIT: usize = 200;
/// Exchanges the traffic recorder keeps.
pub const TRAFFIC_LIMIT: usize = 1_000;
/// Databases each client keeps at most before deleting its oldest.
const LIVE_DATABASES: usize = 5;
/// The resource group of every resource.
const GROUP: &str = "soak";

/// What a run did and measured.
#[derive(Debug, Clone, PartialEq)]
pub struct SoakReport {
    /// Requests the endpoint received (retries, polls and faulted ones included).
    pub requests: u64,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
    /// Resident memory (KiB) before the endpoint started, then at 10%, 50% and 100% of the run.
    pub rss_kib: [u64; 4],
    /// Items the lists returned, every one checked against what the clients created.
    pub items_checked: u64,
    /// Lists that missed a resource or returned one twice (0 when all is well).
    pub lost_or_duplicated: u64,
    /// Calls that failed other than by their injected fault (0 when all is well).
    pub unexpected_errors: Vec<String>,
    /// Calls that met their injected fault and failed as it implies.
    pub faults_met: u64,
    /// Requests the endpoint's log held at the end.
    pub log_len: usize,
    /// Long-running operations the endpoint remembered at the end.
    pub operations: usize,
    /// Exchanges the traffic recorder held at the end.
    pub traffic_len: usize,
}

impl SoakReport {
    /// Requests per second of wall-clock time.
    pub fn requests_per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// How much the resident memory grew from 50% to 100% of the run (the first half is the
    /// warm-up, in which the endpoint's log and tables fill up to their limits), as a fraction
    /// of the former (0.05 is 5%).
    pub fn growth_after_warm_up(&self) -> f64 {
        growth(self.rss_kib[2], self.rss_kib[3])
    }

    /// How much the resident memory grew from 10% to 100% of the run, as a fraction of the
    /// former: flat too once the run is long enough for the limits to fill in its first 10%.
    pub fn growth_after_ten_percent(&self) -> f64 {
        growth(self.rss_kib[1], self.rss_kib[3])
    }
}

/// `to` compared with `from`, as a fraction of `from`.
fn growth(from: u64, to: u64) -> f64 {
    (to as f64 - from as f64) / (from as f64).max(1.0)
}

/// The process's resident memory in KiB (`VmRSS` of `/proc/self/status`); 0 where there is none.
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix("VmRSS:")?;
                rest.trim().trim_end_matches("kB").trim().parse().ok()
            })
        })
        .unwrap_or(0)
}

/// What the workers share: the endpoint, the marks at which memory is read, and the tallies.
struct Run {
    endpoint: Endpoint,
    target: u64,
    /// The next of the 10%, 50%, 100% marks to read memory at.
    marks: Mutex<(usize, [u64; 3])>,
    items_checked: AtomicU64,
    lost_or_duplicated: AtomicU64,
    faults_met: AtomicU64,
    unexpected: Mutex<Vec<String>>,
}

impl Run {
    fn received(&self) -> u64 {
        self.endpoint.local().requests_received()
    }

    /// Reads memory at each mark the run has passed.
    fn sample(&self) {
        let received = self.received();
        let mut marks = self
            .marks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while marks.0 < 3 && received >= self.target * [1, 5, 10][marks.0] / 10 {
            let index = marks.0;
            marks.1[index] = rss_kib();
            marks.0 += 1;
        }
    }

    fn unexpected(&self, what: &str, error: impl std::fmt::Display) {
        self.unexpected
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(format!("{what}: {error}"));
    }
}

/// Runs `clients` concurrent clients against a fresh endpoint until it has received `requests`
/// requests (each client finishes its round, so a few more), in the current Tokio runtime.
pub async fn run(requests: u64, clients: usize) -> std::io::Result<SoakReport> {
    let before = rss_kib();
    let traffic = TrafficRecorder::with_limit(TRAFFIC_LIMIT);
    let endpoint = Endpoint::from(
        Endpoint::builder()
            .page_size(2)
            .polls_until_done(1)
            .request_log_limit(LOG_LIMIT)
            .operation_limit(OPERATION_LIMIT)
            .record_traffic(traffic.clone())
            .start()
            .await?,
    );
    // Every key listing is throttled for good: the client gives up after its retries.
    endpoint.local().add_fault(
        FaultRule::new(Fault::Status {
            status: 503,
            retry_after: None,
        })
        .operation("DatabaseAccounts_ListKeys")
        .every(),
    );
    let run = Run {
        endpoint,
        target: requests,
        marks: Mutex::new((0, [0; 3])),
        items_checked: AtomicU64::new(0),
        lost_or_duplicated: AtomicU64::new(0),
        faults_met: AtomicU64::new(0),
        unexpected: Mutex::new(Vec::new()),
    };
    let started = Instant::now();
    let clients = clients.max(1);
    let accounts = client(&run.endpoint);
    for index in 0..clients {
        if let Err(error) = create_account(&accounts, &account_name(index)).await {
            run.unexpected("create account", &error);
        }
    }
    join_all((0..clients).map(|index| worker(&run, index, clients))).await;
    run.sample();
    let elapsed = started.elapsed();
    let marks = run
        .marks
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .1;
    Ok(SoakReport {
        requests: run.endpoint.local().requests_received(),
        elapsed,
        rss_kib: [before, marks[0], marks[1], marks[2]],
        items_checked: run.items_checked.into_inner(),
        lost_or_duplicated: run.lost_or_duplicated.into_inner(),
        unexpected_errors: run
            .unexpected
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
        faults_met: run.faults_met.into_inner(),
        log_len: run.endpoint.local().requests().len(),
        operations: run.endpoint.local().operations_remembered(),
        traffic_len: traffic.exchanges().len(),
    })
}

/// A client of `endpoint` that retries once, at once.
fn client(endpoint: &Endpoint) -> Client {
    endpoint
        .client_builder("00000000-0000-0000-0000-00000000500a")
        .retry(
            RetryOptions::new()
                .max_retries(1)
                .initial_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(1)),
        )
        .build()
        .expect("the endpoint's client builds")
}

/// The account of client `index`.
fn account_name(index: usize) -> String {
    format!("acct-{index}")
}

/// One client, on its own account: in rounds it creates a database, reads it, lists its
/// account's databases and every account, deletes its oldest database when it keeps too many,
/// and asks for keys (which always fails), until the run's target is reached.
async fn worker(run: &Run, index: usize, clients: usize) {
    let client = client(&run.endpoint);
    let account = account_name(index);
    let mut live: VecDeque<String> = VecDeque::new();
    let mut round = 0u64;
    while run.received() < run.target {
        round += 1;
        let name = format!("db-{index}-{round}");
        let sql = client.sql_resources();
        let created = async {
            sql.begin_create_update_sql_database(
                GROUP,
                &account,
                &name,
                &crate::sql_database(&name),
                None,
            )
            .await?
            .await
        }
        .await;
        match created {
            Ok(_) => live.push_back(name.clone()),
            Err(error) => run.unexpected("create database", &error),
        }
        if let Err(error) = sql.get_sql_database(GROUP, &account, &name, None).await {
            run.unexpected("read database", &error);
        }
        match sql
            .list_sql_databases(GROUP, &account, None)
            .into_vec()
            .await
        {
            Ok(listed) => {
                let names: Vec<String> = listed.into_iter().filter_map(|db| db.name).collect();
                check(run, &names, live.iter().cloned());
            }
            Err(error) => run.unexpected("list databases", &error),
        }
        match client.database_accounts().list(None).into_vec().await {
            Ok(listed) => {
                let names: Vec<String> = listed.into_iter().filter_map(|a| a.name).collect();
                check(run, &names, (0..clients).map(account_name));
            }
            Err(error) => run.unexpected("list accounts", &error),
        }
        if live.len() > LIVE_DATABASES
            && let Some(oldest) = live.pop_front()
        {
            let deleted = async {
                sql.begin_delete_sql_database(GROUP, &account, &oldest, None)
                    .await?
                    .await
            }
            .await;
            if let Err(error) = deleted {
                run.unexpected("delete database", &error);
            }
        }
        match client
            .database_accounts()
            .list_keys(GROUP, &account, None)
            .await
        {
            Err(error) if error.status() == Some(503) => {
                run.faults_met.fetch_add(1, Ordering::Relaxed);
            }
            Err(error) => run.unexpected("list keys", &error),
            Ok(_) => run.unexpected("list keys", "succeeded despite its fault"),
        }
        run.sample();
    }
}

/// Counts `listed` and whether it holds exactly `expected`, each once.
fn check(run: &Run, listed: &[String], expected: impl Iterator<Item = String>) {
    run.items_checked
        .fetch_add(listed.len() as u64, Ordering::Relaxed);
    let expected: BTreeSet<String> = expected.collect();
    let unique: BTreeSet<&String> = listed.iter().collect();
    let complete = listed.len() == expected.len() && listed.iter().all(|n| expected.contains(n));
    if unique.len() != listed.len() || !complete {
        run.lost_or_duplicated.fetch_add(1, Ordering::Relaxed);
    }
}

/// Creates account `name` (a long-running operation).
async fn create_account(client: &Client, name: &str) -> Result<(), Error> {
    let parameters: DatabaseAccountCreateUpdateParameters =
        serde_json::from_value(serde_json::json!({
            "location": "westus",
            "properties": {
                "databaseAccountOfferType": "Standard",
                "locations": [{"locationName": "westus", "failoverPriority": 0}]
            }
        }))
        .expect("account parameters");
    client
        .database_accounts()
        .begin_create_or_update(GROUP, name, &parameters, None)
        .await?
        .await
        .map(drop)
}
