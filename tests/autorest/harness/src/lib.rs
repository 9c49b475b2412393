//! Runs the scenarios of the autorest test server (`@microsoft.azure/autorest.testserver`, the
//! server every Azure SDK generator is tested against) with the clients `azrm-codegen` generates
//! from the server's own specs (`tests/autorest/*-client`).
//!
//! [`TestServer::start`] installs the pinned server with `tests/autorest/install.sh` (npm) when
//! needed and starts it on a free loopback port; [`Report`] runs each scenario and prints and
//! checks passed / total per spec. Without npm or node the tests fail, saying why, unless
//! `AUTOREST_TESTSERVER=skip` is set, which is refused in CI (`CI=true`): there the scenarios
//! always run.
#![deny(missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::future::Future;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use azrm_runtime::{ClientBuilder, ErrorKind, RetryOptions, StaticTokenCredential};

/// The environment variable that skips the scenarios when set to `skip` (for machines without
/// node and npm; a test fails instead when `CI` is set); anything else, or nothing, runs them.
pub const SKIP_VARIABLE: &str = "AUTOREST_TESTSERVER";

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(3)
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// The folder holding the test-server configs, specs, install script and launcher.
pub fn autorest_dir() -> PathBuf {
    workspace_root().join("tests/autorest")
}

/// A running test server, stopped when dropped.
pub struct TestServer {
    child: Child,
    endpoint: String,
    port: u16,
    log: PathBuf,
}

impl TestServer {
    /// Installs the test server if needed and starts it on a free loopback port; `None` when
    /// [`SKIP_VARIABLE`] is `skip`. Panics, saying what went wrong and how to fix or skip it,
    /// when the server cannot be installed or started.
    pub async fn start() -> Option<TestServer> {
        if std::env::var(SKIP_VARIABLE).is_ok_and(|value| value == "skip") {
            assert!(
                !in_ci(),
                "{SKIP_VARIABLE}=skip under CI: the autorest test-server scenarios must run in CI"
            );
            eprintln!("{SKIP_VARIABLE}=skip: the autorest test-server scenarios are skipped");
            return None;
        }
        let install = install();
        let port = free_port();
        let log = install.join(format!("server-{port}.log"));
        let log_file = std::fs::File::create(&log)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", log.display()));
        let stderr = log_file.try_clone().expect("cloning the log file handle");
        let child = Command::new("node")
            .arg(autorest_dir().join("serve.js"))
            .arg(&install)
            .arg(format!("--port={port}"))
            .arg(format!(
                "--coverageDirectory={}",
                install.join(format!("coverage-{port}")).display()
            ))
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot run node ({error}); install node 20 or set {SKIP_VARIABLE}=skip")
            });
        let mut server = TestServer {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            port,
            log,
        };
        server.wait_until_ready().await;
        Some(server)
    }

    /// The endpoint to build clients with: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The loopback port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// An endpoint built from a spec's host template (`x-ms-parameterized-host`) by its generated
    /// `endpoint(..)` function, pointed at this server: the template's `host` parameter becomes
    /// `host:PORT`, and the https the spec implies becomes the plain http the server speaks.
    pub fn parameterized_endpoint(&self, endpoint: impl Fn(&str) -> String) -> String {
        endpoint(&format!("host:{}", self.port)).replacen("https:", "http:", 1)
    }

    /// Fetches the server's coverage counters of `categories` and asserts, with
    /// [`coverage_report`], that every scenario counter of `spec` was hit.
    pub async fn assert_coverage(
        &self,
        spec: &str,
        categories: &[&str],
        prefixes: &[&str],
        not_in_spec: &[&str],
    ) {
        let mut coverage = BTreeMap::new();
        for category in categories {
            coverage.extend(self.coverage(category).await);
        }
        let missed = coverage_report(spec, &coverage, prefixes, not_in_spec);
        assert!(
            missed.is_empty(),
            "the test server saw these scenarios through: none may be missed: {missed:?}"
        );
    }

    async fn wait_until_ready(&mut self) {
        let started = Instant::now();
        let http = http_client();
        let url = format!("{}/report/azure", self.endpoint);
        loop {
            if let Ok(response) = http.get(&url).send().await
                && response.status().is_success()
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the autorest test server exited with {status} before answering; its log:\n{}",
                    self.log_tail()
                );
            }
            if started.elapsed() > Duration::from_secs(60) {
                panic!(
                    "the autorest test server did not answer within 60 s; its log:\n{}",
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// The server's coverage counters of `category` (`azure`, `optional`, or `` for the
    /// vanilla ones): how often each server-side scenario was completed.
    pub async fn coverage(&self, category: &str) -> BTreeMap<String, u64> {
        let url = format!("{}/report/{category}", self.endpoint);
        let body: serde_json::Value = http_client()
            .get(&url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .unwrap_or_else(|error| panic!("GET {url}: {error}"))
            .json()
            .await
            .unwrap_or_else(|error| panic!("GET {url}: {error}"));
        body.as_object()
            .into_iter()
            .flatten()
            .map(|(name, count)| (name.clone(), count.as_u64().unwrap_or(0)))
            .collect()
    }

    /// Applies what every scenario's client needs: this server's endpoint, a token (the server
    /// ignores it), an HTTP client with a cookie store (the server keeps per-scenario state in
    /// cookies), fast retries and no delay between polls.
    pub fn configure<C: From<azrm_runtime::Client>>(
        &self,
        builder: ClientBuilder<C>,
    ) -> ClientBuilder<C> {
        builder
            .endpoint(self.endpoint())
            .credential(StaticTokenCredential::new("autorest-test-token"))
            .http_client(http_client())
            .retry(RetryOptions::new().initial_delay(Duration::from_millis(1)))
            .poll_interval(Duration::ZERO)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The log and the coverage files of this run are of no use once the server stops.
        let _ = std::fs::remove_file(&self.log);
        if let Some(folder) = self.log.parent() {
            let _ = std::fs::remove_dir_all(folder.join(format!("coverage-{}", self.port)));
        }
    }
}

/// Whether this runs in CI: `CI` set to anything but empty or `false`, as CI services set it.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false")
}

/// Runs `tests/autorest/install.sh` (which does nothing when the pinned server is installed
/// already) and returns the install folder it prints.
fn install() -> PathBuf {
    let script = autorest_dir().join("install.sh");
    let output = Command::new("bash")
        .arg(&script)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .unwrap_or_else(|error| panic!("cannot run bash {}: {error}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        panic!(
            "installing the autorest test server failed ({}; npm needs the npm registry). Fix \
             that, or set {SKIP_VARIABLE}=skip to skip these scenarios.\n{stdout}",
            output.status
        );
    }
    stdout
        .lines()
        .last()
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("{} printed no folder", script.display()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("no free loopback port")
}

/// An HTTP client with a cookie store that follows no redirects, as the runtime's own.
pub fn http_client() -> reqwest::Client {
    // Fails only if a provider is installed already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("building the HTTP client")
}

/// The operation ids of a spec file of `tests/autorest/spec/` (`paths` and `x-ms-paths`).
pub fn spec_operation_ids(file: &str) -> BTreeSet<String> {
    let path = autorest_dir().join("spec").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let spec: serde_json::Value =
        serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ["paths", "x-ms-paths"]
        .iter()
        .filter_map(|section| spec.get(section)?.as_object())
        .flat_map(|paths| paths.values())
        .filter_map(serde_json::Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|operation| operation.get("operationId")?.as_str())
        .map(str::to_owned)
        .collect()
}

/// What a scenario returns: `Err` with what went wrong.
pub type Outcome = Result<(), String>;

/// The outcomes of one spec's scenarios, one scenario per operation of the spec.
pub struct Report {
    spec: String,
    outcomes: BTreeMap<String, Outcome>,
}

impl Report {
    /// An empty report for `spec` (a file name in `tests/autorest/spec/`).
    pub fn new(spec: &str) -> Self {
        Report {
            spec: spec.to_owned(),
            outcomes: BTreeMap::new(),
        }
    }

    /// Runs the scenario of operation `operation_id`, with a time limit of 60 s; what a
    /// successful scenario returns (a call's `Response`, say) is dropped. The scenario is boxed
    /// at once, so that the test's own future stays small.
    pub fn run<'a, T: 'a>(
        &'a mut self,
        operation_id: &'a str,
        scenario: impl Future<Output = Result<T, String>> + 'a,
    ) -> Pin<Box<dyn Future<Output = ()> + 'a>> {
        let scenario = Box::pin(scenario);
        Box::pin(async move {
            let outcome = tokio::time::timeout(Duration::from_secs(60), scenario)
                .await
                .map_or_else(
                    |_| Err("did not finish within 60 s".to_owned()),
                    |o| o.map(drop),
                );
            if self
                .outcomes
                .insert(operation_id.to_owned(), outcome)
                .is_some()
            {
                panic!("{operation_id} has two scenarios");
            }
        })
    }

    /// Prints passed / total and every failure, then checks that every operation of the spec
    /// had a scenario and that the failures are exactly `known_failures` (operation id, reason).
    pub fn finish(self, known_failures: &[(&str, &str)]) {
        let operations = spec_operation_ids(&self.spec);
        let passed = self.outcomes.values().filter(|o| o.is_ok()).count();
        println!(
            "autorest test server, {}: {passed}/{} scenarios passed",
            self.spec,
            self.outcomes.len()
        );
        let known: BTreeMap<&str, &str> = known_failures.iter().copied().collect();
        let mut unexpected = Vec::new();
        for (operation, outcome) in &self.outcomes {
            match (outcome, known.get(operation.as_str())) {
                (Err(error), Some(reason)) => {
                    println!("  known failure {operation}: {error}\n    (why: {reason})");
                }
                (Err(error), None) => {
                    println!("  FAILED {operation}: {error}");
                    unexpected.push(format!("{operation} failed: {error}"));
                }
                (Ok(()), Some(_)) => unexpected.push(format!(
                    "{operation} passes but is listed as a known failure: remove it from the list"
                )),
                (Ok(()), None) => {}
            }
        }
        let ran: BTreeSet<String> = self.outcomes.keys().cloned().collect();
        for missing in operations.difference(&ran) {
            unexpected.push(format!("{missing} (in {}) has no scenario", self.spec));
        }
        for extra in ran.difference(&operations) {
            unexpected.push(format!("{extra} is not an operation of {}", self.spec));
        }
        assert!(
            unexpected.is_empty(),
            "{}: {} problem(s):\n{}",
            self.spec,
            unexpected.len(),
            unexpected.join("\n")
        );
    }
}

/// `Ok(value)`, or the error as text.
pub fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, String> {
    result.map_err(|error| format!("unexpected error: {error}"))
}

/// The error a scenario expects: its kind and the status it came with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// The service answered with this error status ([`ErrorKind::Http`]).
    Http(u16),
    /// The body of a response with this status did not decode ([`ErrorKind::Decode`]).
    Decode(u16),
    /// A response with this status that the operation cannot handle
    /// ([`ErrorKind::UnexpectedResponse`]).
    UnexpectedResponse(u16),
    /// The long-running operation ended with this terminal status
    /// ([`ErrorKind::OperationFailed`]).
    OperationFailed(&'static str),
}

impl Expected {
    /// Whether `kind` is this error.
    fn matches(self, kind: &ErrorKind) -> bool {
        match (self, kind) {
            (Expected::Http(expected), ErrorKind::Http { status, .. })
            | (Expected::Decode(expected), ErrorKind::Decode { status, .. })
            | (
                Expected::UnexpectedResponse(expected),
                ErrorKind::UnexpectedResponse { status, .. },
            ) => *status == expected,
            (Expected::OperationFailed(expected), ErrorKind::OperationFailed { status, .. }) => {
                status == expected
            }
            _ => false,
        }
    }
}

/// `Ok(())` when `result` is the error the scenario expects; any other error (a transport
/// failure, a refused URL, another status) fails the scenario, naming both.
pub fn error<T: Debug>(result: Result<T, azrm_runtime::Error>, expected: Expected) -> Outcome {
    match result {
        Ok(value) => Err(format!("expected {expected:?}, got Ok({value:?})")),
        Err(error) if expected.matches(error.kind()) => Ok(()),
        Err(error) => Err(format!(
            "expected {expected:?}, got another error: {error} ({:?})",
            error.kind()
        )),
    }
}

/// `Ok(())` when `result` is a client-side validation failure
/// ([`ErrorKind::InvalidParameter`]) of `target` (a parameter's wire name or a body field's
/// path, such as `body.capacity`) breaking `rule`: nothing was sent. Anything else, a response
/// from the server included, fails the scenario.
pub fn invalid<T: Debug>(
    result: Result<T, azrm_runtime::Error>,
    target: &str,
    rule: &azrm_runtime::Rule,
) -> Outcome {
    match result {
        Ok(value) => Err(format!(
            "expected `{target}` refused ({rule}), got Ok({value:?})"
        )),
        Err(error) => match error.kind() {
            ErrorKind::InvalidParameter(invalid)
                if invalid.target() == target && invalid.rule() == rule =>
            {
                Ok(())
            }
            kind => Err(format!(
                "expected `{target}` refused ({rule}), got another error: {error} ({kind:?})"
            )),
        },
    }
}

/// What a scenario compares: a call's [`Response`](azrm_runtime::Response) as its model, any
/// other value as itself.
pub trait Model<T> {
    /// The value compared.
    fn model(self) -> T;
}

impl<T> Model<T> for T {
    fn model(self) -> T {
        self
    }
}

impl<T> Model<T> for azrm_runtime::Response<T> {
    fn model(self) -> T {
        self.into_model()
    }
}

/// `Ok(())` when `actual` (a value, or a call's response whose model is compared) equals
/// `expected`.
pub fn equal<T: PartialEq + Debug>(actual: impl Model<T>, expected: T) -> Outcome {
    let actual = actual.model();
    if actual == expected {
        Ok(())
    } else {
        Err(format!("expected {expected:?}, got {actual:?}"))
    }
}

/// Checks that every counter of `coverage` whose name starts with one of `prefixes` is above
/// zero (the server saw the scenario through), except those in `not_in_spec` (server scenarios
/// of other specs that share the prefix). Prints hit / total and returns the names not hit.
pub fn coverage_report(
    spec: &str,
    coverage: &BTreeMap<String, u64>,
    prefixes: &[&str],
    not_in_spec: &[&str],
) -> Vec<String> {
    let relevant: Vec<(&String, &u64)> = coverage
        .iter()
        .filter(|(name, _)| prefixes.iter().any(|prefix| name.starts_with(prefix)))
        .filter(|(name, _)| !not_in_spec.contains(&name.as_str()))
        .collect();
    let missed: Vec<String> = relevant
        .iter()
        .filter(|(_, count)| **count == 0)
        .map(|(name, _)| (*name).clone())
        .collect();
    println!(
        "autorest test server, {spec}: server coverage {}/{} scenario counters hit{}",
        relevant.len() - missed.len(),
        relevant.len(),
        if missed.is_empty() {
            String::new()
        } else {
            format!(" (missed: {})", missed.join(", "))
        }
    );
    missed
}
