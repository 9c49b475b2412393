//! The conformance suite: every example file the spec names (`x-ms-examples`) replayed against the
//! generated client on a recording loopback server ([`LocalEndpoint::stub`]).
//!
//! For each example and each status in its `responses`, the operation is called through the
//! crate's generated operation registry ([`Target::call`]) with the example's
//! `parameters`, and the server answers with that status, its headers and its body. Then:
//!
//! - **request**: the method; the path, which must be the spec's path template filled with the
//!   example's values, each percent-encoded as one segment; the query, which must hold exactly
//!   the crate's `api-version` (an example naming another one is reported) and the query
//!   parameters the example gives; the header parameters the example gives; and the JSON body,
//!   which must be the example's body parameter with the properties the spec marks `readOnly`
//!   removed (found by walking the IR's schema, independently of the client's serializer);
//! - **response**: for a status the spec lists, the typed result re-serialized must be the
//!   example's body: the body itself, the items of a page (the first page only), or the final
//!   result of a long-running operation; for another status, the typed error must carry that
//!   status and the example's error code and message; and every property the spec declares for
//!   the response's model (at any depth) must have decoded into its own field, not among the
//!   model's additional properties ([`check_wire_names`], with the same generated decoder the
//!   client used).
//!
//! Long-running operations: polling URLs in an example's headers name the real service, which the
//! client rightly refuses to contact, so they are replaced by URLs on the stub; a `201`/`202`
//! always carries both an `Azure-AsyncOperation` URL (answering `{"status":"Succeeded"}`, without
//! `properties`, as ARM status resources do) and a `Location` URL. That URL and the original URL,
//! when polled, answer `200` with the example's final result (see `final_result`: its `200` body,
//! else its `201` or `202` body, with a `provisioningState` still in progress made `Succeeded`),
//! or `204` when the example has none. `Retry-After` is served as `0`.
//!
//! Every call's first exchange (the operation's request and the example's response as the stub
//! served it, polls left out) is kept in [`Report::traffic`], to be written as oav traffic files
//! ([`azrm_local_endpoint::traffic`]) and validated against the spec by `cargo xtask oav`.
//!
//! Comparisons ignore key order, compare numbers by value and date-times as instants
//! ([`normalised`]). Malformed example data (parameters that are missing or do not decode, bodies
//! of the wrong shape) is a reported failure, never a panic; a file that is not JSON at all stops
//! [`load_examples_from`] with its name, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use azrm_codegen::examples::{Example, Examples, load_examples};
use azrm_codegen::ir::{Api, Operation, ParamLocation, ParamRole, TypeKind, TypeRef};
use azrm_local_endpoint::traffic::{Exchange, TrafficRecorder};
use azrm_local_endpoint::{FakeResponse, LocalEndpoint, ServedRequest};
use serde_json::{Map, Value};

use crate::dispatch::{CallError, Returns, Target};
use crate::wire_names::check_wire_names;

/// How long one call (including polling) may take before it counts as hung.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// The subscription used when an example gives none (operations outside a subscription).
const DEFAULT_SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";
/// Path of the stub's `Azure-AsyncOperation` status resource.
const STATUS_PATH: &str = "/conformance/operation-status";
/// Path of the stub's `Location` result URL.
const RESULT_PATH: &str = "/conformance/operation-result";

/// What a run found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Example files replayed (one per operation and example name).
    pub examples_total: usize,
    /// Examples whose request and every response conformed.
    pub examples_passed: usize,
    /// Operations in the spec.
    pub operations_total: usize,
    /// Operations with at least one example replayed.
    pub operations_covered: usize,
    /// Operations whose examples all passed (and that have at least one).
    pub operations_passed: usize,
    /// `(operation id, file)` of every example file the spec names that was not found (spec
    /// snapshots often carry only some of them).
    pub missing: Vec<(String, PathBuf)>,
    /// Every failed check, in operation and example order.
    pub failures: Vec<Failure>,
    /// What was checked, to tell a thorough run from a vacuous one.
    pub checked: Checked,
    /// The first exchange of every call, in call order, each named
    /// `<operation id>.<example name>.<status>`.
    pub traffic: Vec<Exchange>,
}

/// Counts of what a run checked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checked {
    /// Requests compared with their example (one per example that got to send one).
    pub requests: usize,
    /// Of those, requests whose JSON body was compared with the example's body parameter.
    pub request_bodies: usize,
    /// Read-only properties removed from example bodies before comparing (the client must not
    /// send them).
    pub read_only_removed: usize,
    /// Example responses served and the client's result compared with them.
    pub responses: usize,
    /// Of those, calls where the client polled a long-running operation on the stub.
    pub polled: usize,
    /// Declared properties of response bodies found in their model's fields, at any depth.
    pub declared_properties: usize,
}

/// One check that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The operation id.
    pub operation_id: String,
    /// The example's name in `x-ms-examples`.
    pub example: String,
    /// The example file.
    pub file: PathBuf,
    /// JSON pointer into the example file of the first difference, such as
    /// `/parameters/createUpdateParameters/properties/locations/0` or
    /// `/responses/200/body/value/1/name`.
    pub pointer: String,
    /// What differs.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, {}): at {}: {}",
            self.example,
            self.operation_id,
            self.file.display(),
            self.pointer,
            self.message
        )
    }
}

impl Report {
    /// The names of the examples that failed, each once.
    pub fn failed_examples(&self) -> BTreeSet<&str> {
        self.failures.iter().map(|f| f.example.as_str()).collect()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "examples passed: {} / {}",
            self.examples_passed, self.examples_total
        )?;
        writeln!(
            f,
            "operations covered: {} / {} ({} with every example passing)",
            self.operations_covered, self.operations_total, self.operations_passed
        )?;
        writeln!(
            f,
            "example files named by the spec but not found: {}",
            self.missing.len()
        )?;
        let checked = &self.checked;
        writeln!(
            f,
            "checked: {} requests ({} bodies, {} read-only properties left out), {} responses ({} polled to completion, {} declared properties found in their fields)",
            checked.requests,
            checked.request_bodies,
            checked.read_only_removed,
            checked.responses,
            checked.polled,
            checked.declared_properties
        )?;
        if !self.failures.is_empty() {
            writeln!(f, "failures ({}):", self.failures.len())?;
            for failure in &self.failures {
                writeln!(f, "  {failure}")?;
            }
        }
        Ok(())
    }
}

/// The IR of the spec `config` names.
pub fn load_api(config: &azrm_codegen::Config) -> Result<Api, String> {
    azrm_codegen::read_api(&config.input_paths()).map_err(|e| e.to_string())
}

/// The examples of `api`: the spec's own (next to the file defining each operation), or, with
/// `dir`, the files of that folder in any of the layouts upstream uses: an example is found by
/// its path below `examples/`, by its path as written, or as the one file of its name at any depth.
pub fn load_examples_from(api: &Api, dir: Option<&Path>) -> Result<Examples, String> {
    let Some(dir) = dir else {
        return load_examples(api).map_err(|e| e.to_string());
    };
    let files = files_under(dir)?;
    let mut rebased = api.clone();
    for operation in &mut rebased.operations {
        // `load_examples` resolves references against the folder of the defining file.
        operation.origin.file = dir.join("spec.json");
        for (_, reference) in &mut operation.examples {
            *reference = example_in(&files, reference)?;
        }
    }
    load_examples(&rebased).map_err(|e| e.to_string())
}

/// Where the example a spec names as `reference` (`./examples/fleet/Get.json`) is among `files`
/// (paths relative to the `--examples` folder, `/`-separated), tried in order: its path below
/// its `examples` segment (`fleet/Get.json`: the folder is the spec's `examples/`), the path as
/// written (the folder is the spec's own), then the one file of that name at any depth
/// (`Get.json` in `examples/`, `fleet/` or elsewhere). Two files of that name and neither path
/// matching is an error naming both; no file at all gives the first path, reported missing.
fn example_in(files: &BTreeSet<String>, reference: &str) -> Result<String, String> {
    let written: Vec<&str> = reference
        .split('/')
        .filter(|segment| !segment.is_empty() && *segment != ".")
        .collect();
    let below_examples = match written.iter().rposition(|segment| *segment == "examples") {
        Some(index) => written[index + 1..].join("/"),
        None => written.join("/"),
    };
    for candidate in [below_examples.clone(), written.join("/")] {
        if files.contains(&candidate) {
            return Ok(candidate);
        }
    }
    let name = written.last().copied().unwrap_or_default();
    let same_name: Vec<&String> = files
        .iter()
        .filter(|file| file.rsplit('/').next() == Some(name))
        .collect();
    match same_name.as_slice() {
        [] => Ok(below_examples),
        [one] => Ok((*one).clone()),
        several => Err(format!(
            "the spec names the example {reference}, and the examples folder holds several \
             files of that name: {}",
            several
                .iter()
                .map(|file| file.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Every file under `dir` at any depth, relative to it and `/`-separated.
fn files_under(dir: &Path) -> Result<BTreeSet<String>, String> {
    let mut files = BTreeSet::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let folder = dir.join(&relative);
        let entries = std::fs::read_dir(&folder)
            .map_err(|error| format!("cannot read {}: {error}", folder.display()))?;
        for entry in entries {
            let entry =
                entry.map_err(|error| format!("cannot read {}: {error}", folder.display()))?;
            let path = relative.join(entry.file_name());
            if entry.path().is_dir() {
                pending.push(path);
            } else {
                let segments: Vec<String> = path
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.insert(segments.join("/"));
            }
        }
    }
    Ok(files)
}

/// Replays every example of `examples` (see the module documentation).
pub async fn run(target: &Target, api: &Api, examples: &Examples) -> Report {
    let mut report = Report {
        operations_total: api.operations.len(),
        missing: examples.missing.clone(),
        ..Report::default()
    };
    for operation in &api.operations {
        let operation_examples = examples.of(&operation.id);
        if operation_examples.is_empty() {
            continue;
        }
        report.operations_covered += 1;
        let mut all_passed = true;
        for example in operation_examples {
            report.examples_total += 1;
            let problems = replay(
                target,
                api,
                operation,
                example,
                &mut report.checked,
                &mut report.traffic,
            )
            .await;
            if problems.is_empty() {
                report.examples_passed += 1;
            } else {
                all_passed = false;
            }
            report
                .failures
                .extend(problems.into_iter().map(|(pointer, message)| Failure {
                    operation_id: operation.id.clone(),
                    example: example.name.clone(),
                    file: without_dot_segments(&example.file),
                    pointer,
                    message,
                }));
        }
        if all_passed {
            report.operations_passed += 1;
        }
    }
    report
}

/// [`run`] on a Tokio runtime of its own.
pub fn run_blocking(target: &Target, api: &Api, examples: &Examples) -> Result<Report, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start a Tokio runtime: {error}"))?;
    Ok(runtime.block_on(run(target, api, examples)))
}

/// `path` without its `.` segments (example references are written `./examples/...`).
fn without_dot_segments(path: &Path) -> PathBuf {
    path.components()
        .filter(|component| *component != std::path::Component::CurDir)
        .collect()
}

/// A problem: a JSON pointer into the example file and a message.
type Problem = (String, String);

/// One response of an example.
struct Served {
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

/// Replays one example: one call per response status, each call's first exchange added to
/// `traffic`. Returns its problems.
async fn replay(
    target: &Target,
    api: &Api,
    operation: &Operation,
    example: &Example,
    checked: &mut Checked,
    traffic: &mut Vec<Exchange>,
) -> Vec<Problem> {
    let Some(returns) = target.returns(&operation.id) else {
        return vec![(
            String::new(),
            "the operation registry has no such operation (run `cargo xtask regen`)".into(),
        )];
    };
    let Some(parameters) = example.value.get("parameters").and_then(Value::as_object) else {
        return vec![("/parameters".into(), "missing or not an object".into())];
    };
    let responses = match served_responses(&example.value) {
        Ok(responses) if responses.is_empty() => {
            return vec![("/responses".into(), "no response with a status code".into())];
        }
        Ok(responses) => responses,
        Err(problem) => return vec![problem],
    };
    let final_body = final_result(&responses);
    let mut problems = Vec::new();
    let mut request_checked = false;
    for served in &responses {
        let name = format!("{}.{}.{}", operation.id, example.name, served.status);
        let (outcome, requests, exchange) = match call(
            target,
            operation,
            parameters,
            served,
            final_body.clone().map(|(_, body)| body),
            name,
        )
        .await
        {
            Ok(done) => done,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        traffic.extend(exchange);
        let status_pointer = format!("/responses/{}", served.status);
        match requests.first() {
            Some(request) if !request_checked => {
                request_checked = true;
                checked.requests += 1;
                problems.extend(check_request(
                    target, api, operation, parameters, request, checked,
                ));
            }
            Some(_) => {}
            None => {
                let message = match &outcome {
                    Ok(Err(error)) => format!("nothing was sent: {error}"),
                    Ok(Ok(_)) => "nothing was sent".to_owned(),
                    Err(message) => message.clone(),
                };
                problems.push((parameter_pointer(&outcome), message));
                // Nothing is sent whatever the response: one report is enough.
                break;
            }
        }
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(message) => {
                problems.push((
                    status_pointer,
                    format!("answered with {}: {message}", served.status),
                ));
                continue;
            }
        };
        checked.responses += 1;
        if requests.len() > 1 {
            checked.polled += 1;
        }
        let answered = format!("answered with {}", served.status);
        let mut response_problems =
            check_response(operation, returns, served, final_body.as_ref(), outcome);
        if response_problems.is_empty() {
            response_problems = check_declared_properties(
                target,
                api,
                operation,
                returns,
                served,
                final_body.as_ref(),
                checked,
            );
        }
        problems.extend(
            response_problems
                .into_iter()
                .map(|(pointer, message)| (pointer, format!("{answered}: {message}"))),
        );
    }
    problems
}

/// Where a failure to send points: the parameter that did not decode, else the parameters.
fn parameter_pointer(outcome: &Result<Result<Value, CallError>, String>) -> String {
    match outcome {
        Ok(Err(CallError::Parameter { name, .. })) => {
            format!("/parameters/{}", escape_pointer(name))
        }
        _ => "/parameters".to_owned(),
    }
}

/// The example's responses with a numeric status, in file order.
fn served_responses(example: &Value) -> Result<Vec<Served>, Problem> {
    let Some(responses) = example.get("responses").and_then(Value::as_object) else {
        return Err(("/responses".into(), "missing or not an object".into()));
    };
    let mut served = Vec::new();
    for (status, response) in responses {
        let Ok(status) = status.parse::<u16>() else {
            continue;
        };
        let headers = match response.get("headers") {
            None => Vec::new(),
            Some(Value::Object(headers)) => headers
                .iter()
                .map(|(name, value)| {
                    let text = match value {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    (name.clone(), text)
                })
                .collect(),
            Some(_) => {
                return Err((
                    format!("/responses/{status}/headers"),
                    "not an object".into(),
                ));
            }
        };
        served.push(Served {
            status,
            headers,
            body: response.get("body").cloned(),
        });
    }
    Ok(served)
}

/// The final result of a long-running operation in an example, with its pointer: the body of
/// its `200` response, else of its `201` or `202` response (some operations declare their result
/// on `202`). A `provisioningState` that is not terminal (`Creating`, ...) becomes `Succeeded`:
/// this is the resource once polling ends, which the stub serves to the polls.
fn final_result(responses: &[Served]) -> Option<(String, Value)> {
    let served = [200, 201, 202].into_iter().find_map(|status| {
        responses
            .iter()
            .find(|r| r.status == status && r.body.is_some())
    })?;
    let mut body = served.body.clone()?;
    if let Some(state) = body.pointer_mut("/properties/provisioningState")
        && state.as_str().is_some_and(|state| {
            !["succeeded", "failed", "canceled", "cancelled"]
                .iter()
                .any(|terminal| state.eq_ignore_ascii_case(terminal))
        })
    {
        *state = Value::from("Succeeded");
    }
    Some((format!("/responses/{}/body", served.status), body))
}

/// Headers that tell the client how to poll a long-running operation.
const POLLING_HEADERS: [&str; 3] = ["azure-asyncoperation", "operation-location", "location"];

/// What one call gave: its outcome (`Err` when it hung), the requests the stub recorded and the
/// first exchange (named after the call), if a request was sent.
type Called = (
    Result<Result<Value, CallError>, String>,
    Vec<ServedRequest>,
    Option<Exchange>,
);

/// Calls the operation against a fresh stub serving `served` first; `name` names the first
/// exchange.
async fn call(
    target: &Target,
    operation: &Operation,
    parameters: &Map<String, Value>,
    served: &Served,
    final_body: Option<Value>,
    name: String,
) -> Result<Called, Problem> {
    let long_running = operation.long_running.is_some();
    let status = served.status;
    let mut headers: Vec<(String, HeaderValue)> = Vec::new();
    for (name, value) in &served.headers {
        let lower = name.to_ascii_lowercase();
        if lower == "retry-after" {
            continue;
        }
        let value = if long_running && POLLING_HEADERS.contains(&lower.as_str()) {
            // The real service's URL, replaced by one on the stub.
            HeaderValue::Stub(if lower == "location" {
                RESULT_PATH
            } else {
                STATUS_PATH
            })
        } else {
            HeaderValue::Text(value.clone())
        };
        headers.push((name.clone(), value));
    }
    let body = served.body.clone();
    let requests_served = Arc::new(AtomicUsize::new(0));
    let counter = requests_served.clone();
    // Polls of a long-running operation are recorded too; only the first exchange is kept.
    let recorder = TrafficRecorder::new();
    let server = LocalEndpoint::builder(&[], "")
        .record_traffic(recorder.clone())
        .start()
        .await
        .map_err(|error| {
            (
                String::new(),
                format!("cannot start the stub server: {error}"),
            )
        })?;
    server.on_any(move |request, base| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            let mut reply = match &body {
                Some(body) => FakeResponse::json(status, body),
                None => FakeResponse::status(status),
            };
            let mut names = BTreeSet::new();
            for (name, value) in &headers {
                names.insert(name.to_ascii_lowercase());
                let value = match value {
                    HeaderValue::Text(text) => text.clone(),
                    HeaderValue::Stub(path) => format!("{base}{path}"),
                };
                reply = reply.with_header(name, &value);
            }
            if long_running && (status == 201 || status == 202) {
                if !names.contains("azure-asyncoperation") {
                    reply =
                        reply.with_header("Azure-AsyncOperation", &format!("{base}{STATUS_PATH}"));
                }
                if !names.contains("location") {
                    reply = reply.with_header("Location", &format!("{base}{RESULT_PATH}"));
                }
            }
            return reply.with_header("Retry-After", "0");
        }
        // Polls of a long-running operation.
        if request.path() == STATUS_PATH {
            return FakeResponse::json(200, &serde_json::json!({"status": "Succeeded"}))
                .with_header("Retry-After", "0");
        }
        match &final_body {
            Some(body) => FakeResponse::json(200, body),
            None => FakeResponse::status(204),
        }
    });

    let subscription = parameters
        .get("subscriptionId")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_SUBSCRIPTION);
    let client = azrm_runtime::Client::builder(subscription)
        .endpoint(server.http_url())
        .credential(azrm_runtime::StaticTokenCredential::new(
            "conformance-token",
        ))
        .retry(azrm_runtime::RetryOptions::none())
        .poll_interval(Duration::ZERO)
        .build()
        .map_err(|error| {
            (
                "/parameters/subscriptionId".to_owned(),
                format!("cannot build a client: {error}"),
            )
        })?;
    let outcome = tokio::time::timeout(
        CALL_TIMEOUT,
        (target.call)(&client, &operation.id, parameters),
    )
    .await;
    let outcome = match outcome {
        Ok(Some(result)) => Ok(result),
        Ok(None) => Err("the operation registry has no such operation".to_owned()),
        Err(_) => Err(format!(
            "the call did not finish within {CALL_TIMEOUT:?} (after {} requests)",
            requests_served.load(Ordering::SeqCst)
        )),
    };
    let requests = server.requests();
    let exchange = recorder
        .exchanges()
        .into_iter()
        .next()
        .map(|exchange| Exchange { name, ..exchange });
    Ok((outcome, requests, exchange))
}

/// A header value served by the stub.
enum HeaderValue {
    /// Sent as is.
    Text(String),
    /// A path on the stub, sent as an absolute URL.
    Stub(&'static str),
}

/// The recorded request against the example's parameters.
fn check_request(
    target: &Target,
    api: &Api,
    operation: &Operation,
    parameters: &Map<String, Value>,
    request: &ServedRequest,
    checked: &mut Checked,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if request.method != operation.method.as_str() {
        problems.push((
            "/parameters".into(),
            format!(
                "method: the spec says {}, the client sent {}",
                operation.method.as_str(),
                request.method
            ),
        ));
    }
    match expected_path(operation, parameters) {
        Ok(path) if path != request.path() => problems.push((
            "/parameters".into(),
            format!("path: expected {path}, the client sent {}", request.path()),
        )),
        Ok(_) => {}
        Err(problem) => problems.push(problem),
    }

    let example_version = parameters.get("api-version").and_then(Value::as_str);
    if let Some(version) = example_version
        && version != target.api_version
    {
        problems.push((
            "/parameters/api-version".into(),
            format!(
                "the example's api-version {version} is not the crate's {}",
                target.api_version
            ),
        ));
    }
    let mut expected_query = vec![("api-version".to_owned(), target.api_version.to_owned())];
    for param in operation
        .params
        .iter()
        .filter(|p| p.role == ParamRole::Method)
    {
        let Some(value) = parameters.get(&param.wire_name).and_then(text_of) else {
            continue;
        };
        match param.location {
            ParamLocation::Query => expected_query.push((param.wire_name.clone(), value)),
            ParamLocation::Header if request.header(&param.wire_name) != Some(value.as_str()) => {
                problems.push((
                    format!("/parameters/{}", escape_pointer(&param.wire_name)),
                    format!(
                        "header {}: expected {value:?}, the client sent {:?}",
                        param.wire_name,
                        request.header(&param.wire_name)
                    ),
                ));
            }
            ParamLocation::Header | ParamLocation::Path => {}
        }
    }
    let mut sent_query = query_pairs(&request.target);
    expected_query.sort();
    sent_query.sort();
    if expected_query != sent_query {
        problems.push((
            "/parameters".into(),
            format!("query: expected {expected_query:?}, the client sent {sent_query:?}"),
        ));
    }

    let sent_body = if request.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&request.body) {
            Ok(body) => body,
            Err(error) => {
                problems.push((
                    "/parameters".into(),
                    format!("the body is not JSON: {error}"),
                ));
                return problems;
            }
        }
    };
    let (pointer, expected_body) = match &operation.body {
        Some(body) => {
            let pointer = format!("/parameters/{}", escape_pointer(&body.name));
            let expected = match parameters.get(&body.name) {
                Some(value) => {
                    checked.request_bodies += 1;
                    strip_read_only(api, &body.ty, value, &mut checked.read_only_removed)
                }
                None => Value::Null,
            };
            (pointer, expected)
        }
        None => ("/parameters".to_owned(), Value::Null),
    };
    if let Some((at, message)) =
        first_difference(&normalised(&expected_body), &normalised(&sent_body), "")
    {
        problems.push((format!("{pointer}{at}"), format!("request body: {message}")));
    }
    problems
}

/// The spec's path template filled with the example's values, each percent-encoded as one path
/// segment (unless the spec says `x-ms-skip-url-encoding`).
fn expected_path(
    operation: &Operation,
    parameters: &Map<String, Value>,
) -> Result<String, Problem> {
    let mut path = String::new();
    let mut rest = operation.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(end) = rest[start..].find('}').map(|end| start + end) else {
            break;
        };
        path.push_str(&rest[..start]);
        let name = &rest[start + 1..end];
        let param = operation
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire_name == name);
        let value = match parameters.get(name).and_then(text_of) {
            Some(value) => value,
            None if name == "subscriptionId" => DEFAULT_SUBSCRIPTION.to_owned(),
            None => {
                return Err((
                    format!("/parameters/{}", escape_pointer(name)),
                    "the example gives no value for this path parameter".into(),
                ));
            }
        };
        if param.is_some_and(|p| p.skip_url_encoding) {
            path.push_str(&value);
        } else {
            path.push_str(&azrm_runtime::encode_path_segment(&value));
        }
        rest = &rest[end + 1..];
    }
    path.push_str(rest);
    Ok(path)
}

/// A parameter value as the text sent on the wire.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

/// The query of a request target as decoded `(name, value)` pairs.
fn query_pairs(target: &str) -> Vec<(String, String)> {
    let query = target.split_once('?').map_or("", |(_, query)| query);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// `value` (of type `ty`) without the properties the spec marks `readOnly`, at any depth.
pub fn without_read_only(api: &Api, ty: &TypeRef, value: &Value) -> Value {
    strip_read_only(api, ty, value, &mut 0)
}

/// [`without_read_only`], counting the properties removed in `removed`.
fn strip_read_only(api: &Api, ty: &TypeRef, value: &Value, removed: &mut usize) -> Value {
    match (ty, value) {
        (TypeRef::List(inner), Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|item| strip_read_only(api, inner, item, removed))
                .collect(),
        ),
        (TypeRef::Map(inner), Value::Object(map)) => Value::Object(
            map.iter()
                .map(|(key, item)| (key.clone(), strip_read_only(api, inner, item, removed)))
                .collect(),
        ),
        (TypeRef::Named(name), Value::Object(map)) => {
            match api.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(def)) => Value::Object(
                    map.iter()
                        .filter_map(|(key, item)| {
                            match def.fields.iter().find(|f| f.wire_name == *key) {
                                Some(field) if field.read_only => {
                                    *removed += 1;
                                    None
                                }
                                Some(field) => Some((
                                    key.clone(),
                                    strip_read_only(api, &field.ty, item, removed),
                                )),
                                None => Some((
                                    key.clone(),
                                    match &def.additional {
                                        Some(additional) => {
                                            strip_read_only(api, additional, item, removed)
                                        }
                                        None => item.clone(),
                                    },
                                )),
                            }
                        })
                        .collect(),
                ),
                Some(TypeKind::Union(union)) => {
                    let variant = map
                        .get(&union.property)
                        .and_then(Value::as_str)
                        .and_then(|tag| union.variants.iter().find(|v| v.value == tag));
                    match variant {
                        Some(variant) => strip_read_only(
                            api,
                            &TypeRef::Named(variant.ty.clone()),
                            value,
                            removed,
                        ),
                        None => value.clone(),
                    }
                }
                _ => value.clone(),
            }
        }
        _ => value.clone(),
    }
}

/// The outcome of one call against what the example's response says.
fn check_response(
    operation: &Operation,
    returns: Returns,
    served: &Served,
    final_body: Option<&(String, Value)>,
    outcome: Result<Value, CallError>,
) -> Vec<Problem> {
    let status = served.status;
    let pointer = format!("/responses/{status}");
    let listed = operation.responses.iter().any(|r| r.status == Some(status));
    if !listed {
        let listed: Vec<String> = operation
            .responses
            .iter()
            .filter_map(|r| r.status.map(|s| s.to_string()))
            .collect();
        let not_listed = format!(
            "the spec does not list status {status} for this operation (it lists {})",
            listed.join(", ")
        );
        if status < 400 {
            return vec![(pointer, not_listed)];
        }
        return check_error(&pointer, served, outcome);
    }
    let body_pointer = format!("{pointer}/body");
    let (expected, pointer) = match returns {
        Returns::Body => (served.body.clone().unwrap_or(Value::Null), body_pointer),
        Returns::Nothing => (Value::Null, pointer),
        Returns::Exists => (Value::Bool(status != 404), pointer),
        // The example's body is served as JSON text: those are the file's bytes.
        Returns::File => {
            let sent = served.body.as_ref().map(|body| body.to_string());
            (
                Value::from(sent.unwrap_or_default().into_bytes()),
                body_pointer,
            )
        }
        Returns::LongRunning(false) => (Value::Null, pointer),
        Returns::LongRunning(true) => match final_body {
            Some((final_pointer, body)) => (body.clone(), final_pointer.clone()),
            None => {
                return vec![(
                    pointer,
                    "the operation has a result but the example gives no body to serve as the \
                     final result"
                        .into(),
                )];
            }
        },
        Returns::FirstPage(items) => (
            served
                .body
                .as_ref()
                .and_then(|body| body.get(items))
                .cloned()
                .unwrap_or(Value::Array(Vec::new())),
            format!("{body_pointer}/{}", escape_pointer(items)),
        ),
    };
    let actual = match outcome {
        Ok(actual) => actual,
        Err(error) => return vec![(pointer, format!("the client returned an error: {error}"))],
    };
    match first_difference(&normalised(&expected), &normalised(&actual), "") {
        None => Vec::new(),
        Some((at, message)) => vec![(format!("{pointer}{at}"), format!("result: {message}"))],
    }
}

/// Once the client's result matched the response body served (or, for a long-running operation,
/// the final result): every property the spec declares for that body's model must have decoded
/// into its field ([`check_wire_names`]); the properties found are counted in `checked`.
fn check_declared_properties(
    target: &Target,
    api: &Api,
    operation: &Operation,
    returns: Returns,
    served: &Served,
    final_body: Option<&(String, Value)>,
    checked: &mut Checked,
) -> Vec<Problem> {
    let (status, pointer, body) = match (returns, final_body, &served.body) {
        (Returns::Body | Returns::FirstPage(_), _, Some(body)) => (
            served.status,
            format!("/responses/{}/body", served.status),
            body,
        ),
        (Returns::LongRunning(true), Some((pointer, body)), _) => {
            match pointer.split('/').nth(2).and_then(|s| s.parse().ok()) {
                Some(status) => (status, pointer.clone(), body),
                None => return Vec::new(),
            }
        }
        _ => return Vec::new(),
    };
    let declared = operation
        .responses
        .iter()
        .find(|r| r.status == Some(status));
    let Some(TypeRef::Named(model)) = declared.and_then(|r| r.ty.as_ref()) else {
        return Vec::new();
    };
    match check_wire_names(target, api, model, body) {
        Ok(found) => {
            checked.declared_properties += found.declared;
            found
                .misplaced
                .into_iter()
                .map(|at| {
                    (
                        format!("{pointer}{at}"),
                        format!(
                            "{model} declares this property but its decoder kept it among the \
                         additional properties"
                        ),
                    )
                })
                .collect()
        }
        Err(error) => vec![(pointer, error)],
    }
}

/// An error status: the client's typed error must carry it and the example's error code and
/// message.
fn check_error(pointer: &str, served: &Served, outcome: Result<Value, CallError>) -> Vec<Problem> {
    let error = match outcome {
        Err(CallError::Operation(error)) => error,
        Err(other) => {
            return vec![(
                pointer.to_owned(),
                format!("expected the service's error, got: {other}"),
            )];
        }
        Ok(value) => {
            return vec![(
                pointer.to_owned(),
                format!(
                    "expected an error for status {}, got the result {value}",
                    served.status
                ),
            )];
        }
    };
    let mut problems = Vec::new();
    if error.status() != Some(served.status) {
        problems.push((
            pointer.to_owned(),
            format!("the error has status {:?}: {error}", error.status()),
        ));
    }
    let body_error = served.body.as_ref().and_then(|body| body.get("error"));
    for (field, actual) in [
        ("code", error.error_code()),
        ("message", error.error_message()),
    ] {
        let expected = body_error
            .and_then(|e| e.get(field))
            .and_then(Value::as_str);
        if expected.is_some() && expected != actual {
            problems.push((
                format!("{pointer}/body/error/{field}"),
                format!("the error's {field} is {actual:?}, the example's {expected:?}"),
            ));
        }
    }
    problems
}

/// Escapes a JSON pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The JSON pointer (relative to the compared values) of the first place where `expected` and
/// `actual` differ, and a description of the difference. Object keys are compared in sorted
/// order.
pub fn first_difference(
    expected: &Value,
    actual: &Value,
    pointer: &str,
) -> Option<(String, String)> {
    match (expected, actual) {
        (Value::Object(left), Value::Object(right)) => {
            let keys: BTreeSet<&String> = left.keys().chain(right.keys()).collect();
            keys.into_iter().find_map(|key| {
                let here = format!("{pointer}/{}", escape_pointer(key));
                match (left.get(key), right.get(key)) {
                    (Some(l), Some(r)) => first_difference(l, r, &here),
                    (Some(l), None) => Some((here, format!("expected {l}, missing"))),
                    (None, Some(r)) => Some((here, format!("not expected, found {r}"))),
                    (None, None) => None,
                }
            })
        }
        (Value::Array(left), Value::Array(right)) => left
            .iter()
            .zip(right)
            .enumerate()
            .find_map(|(index, (l, r))| first_difference(l, r, &format!("{pointer}/{index}")))
            .or_else(|| {
                (left.len() != right.len()).then(|| {
                    (
                        format!("{pointer}/{}", left.len().min(right.len())),
                        format!("expected {} items, found {}", left.len(), right.len()),
                    )
                })
            }),
        (left, right) if left == right => None,
        (left, right) => Some((
            pointer.to_owned(),
            format!("expected {left}, found {right}"),
        )),
    }
}

/// JSON with date-time strings replaced by the instant they denote (`...00Z` and `...00.000Z`
/// are one instant) and numbers compared by value (`5` and `5.0` are one JSON number); object
/// keys sorted, and members whose value is `null` left out: the service sends `null` for
/// properties it has no value for, which every production SDK (Go's `armcosmos`, Python's
/// `azure-mgmt-cosmosdb`) decodes as absent and does not send back, as this client does.
pub fn normalised(value: &Value) -> Value {
    match value {
        Value::Number(number) => number.as_f64().map_or_else(|| value.clone(), Value::from),
        Value::String(text) => match instant(text) {
            Some(instant) => Value::String(instant),
            None => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalised).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.clone(), normalised(value)))
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A date-time's instant in Unix nanoseconds, as text, if `text` looks like a date-time.
fn instant(text: &str) -> Option<String> {
    let looks_like_date_time = text.len() >= 19
        && text.as_bytes().get(10) == Some(&b'T')
        && text.as_bytes().get(4) == Some(&b'-');
    if !looks_like_date_time {
        return None;
    }
    azrm_runtime::json::parse_date_time(text)
        .ok()
        .map(|instant| format!("instant:{}", instant.unix_timestamp_nanos()))
}
