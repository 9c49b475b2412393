//! Long-running operations as ARM and Cosmos DB run them: the first answer carries
//! `Azure-AsyncOperation` (a status resource) and `Location` (an `operationResults` URL); polls
//! of either report that the operation runs until it has been polled enough. When done, the
//! status resource says only `{"status": "Succeeded"}` and the `operationResults` URL answers
//! 204 without the resource: a client reads a created or updated resource at its own URL. Only
//! a `POST` action has its result there (and in the status resource's `properties` when the spec
//! says its final state comes from the status resource).
//!
//! A fake handler can script an operation instead ([`Progress`]): how many polls report
//! `InProgress`, then `Succeeded` or `Failed` with an ARM error. The table is bounded: it
//! remembers at most its limit of operations, forgetting finished ones first, then the oldest.

use std::collections::{HashMap, VecDeque};

use azrm_runtime::encode_path_segment;
use azrm_runtime::{FinalStateVia, Method};
use serde_json::{Map, Value};

use crate::fake::FakeResponse;
use crate::links::Links;
use crate::resource::ResourcePath;
use crate::route::Route;
use crate::script::FakeError;

/// The last-but-one segment of a status resource URL.
const STATUS_SEGMENT: &str = "operationsStatus";
/// The last-but-one segment of a result (`Location`) URL.
const RESULT_SEGMENT: &str = "operationResults";

/// Which URL of an operation a poll asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Monitor {
    /// The `Azure-AsyncOperation` status resource.
    Status,
    /// The `Location` URL: 202 while running, then the result.
    Result,
}

/// How a long-running operation runs: the polls answered `InProgress`, then its end.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Progress {
    /// How many polls answer `InProgress` before the operation ends.
    pub(super) polls_until_done: u32,
    /// `Some`: the operation ends `Failed` with this error; else `Succeeded`.
    pub(super) failure: Option<FakeError>,
}

/// One operation: its URLs' paths, how often it was polled and its result.
#[derive(Debug)]
struct Operation {
    status_path: String,
    result_path: String,
    polls: u32,
    progress: Progress,
    /// The result of a `POST` action, served by the `operationResults` URL when done.
    result: Option<Value>,
    /// Whether the status resource carries the result as `properties` (a `POST` whose spec says
    /// final-state-via `azure-async-operation` or `operation-location`).
    result_in_status: bool,
}

impl Operation {
    /// Whether the operation has been polled to its end.
    fn finished(&self) -> bool {
        self.polls > self.progress.polls_until_done
    }
}

/// The operations started and not yet forgotten, by id.
#[derive(Debug)]
pub(super) struct Operations {
    polls_until_done: u32,
    /// The `Retry-After` of answers while an operation runs.
    retry_after_seconds: u64,
    /// The most operations remembered.
    limit: usize,
    by_id: HashMap<String, Operation>,
    /// The ids of `by_id`, oldest first.
    order: VecDeque<String>,
}

impl Operations {
    /// No operations yet; each will answer `InProgress` to its first `polls_until_done` polls,
    /// with `Retry-After: retry_after_seconds`, unless scripted. At most `limit` (at least 1)
    /// are remembered: a poll of a forgotten operation is a 404.
    pub(super) fn new(polls_until_done: u32, retry_after_seconds: u64, limit: usize) -> Self {
        Self {
            polls_until_done,
            retry_after_seconds,
            limit: limit.max(1),
            by_id: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// How many operations are remembered.
    pub(super) fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Forgets operations until there is room for one more: the oldest finished one first,
    /// else the oldest.
    fn make_room(&mut self) {
        while self.by_id.len() >= self.limit {
            let finished = self
                .order
                .iter()
                .position(|id| self.by_id.get(id).is_some_and(Operation::finished));
            let forgotten = match finished {
                Some(index) => self.order.remove(index),
                None => self.order.pop_front(),
            };
            match forgotten {
                Some(id) => self.by_id.remove(&id),
                None => break,
            };
        }
    }

    /// The monitor and operation id a GET of `path` polls, if `path` is an operation's URL.
    pub(super) fn monitor_of(&self, path: &str) -> Option<(Monitor, String)> {
        let mut segments = path.trim_end_matches('/').rsplit('/');
        let id = segments.next()?;
        let monitor = match segments.next()? {
            kind if kind.eq_ignore_ascii_case(STATUS_SEGMENT) => Monitor::Status,
            kind if kind.eq_ignore_ascii_case(RESULT_SEGMENT) => Monitor::Result,
            _ => return None,
        };
        self.by_id
            .contains_key(id)
            .then(|| (monitor, id.to_owned()))
    }

    /// Starts an operation for a request to `path` whose change is already applied: `initial` with
    /// the polling headers (`Azure-AsyncOperation`, `Location`, `Retry-After`, and
    /// `Operation-Location` when the route says the result comes from there). A `POST` action's
    /// polls end with `result` (`None`: no result body); other operations' polls end without the
    /// resource, as ARM's do. `progress` scripts how it runs (`None`: the endpoint's polls until
    /// done, then `Succeeded`).
    pub(super) fn begin(
        &mut self,
        links: &Links<'_>,
        route: &Route,
        path: &ResourcePath,
        initial: FakeResponse,
        result: Option<Value>,
        progress: Option<Progress>,
    ) -> FakeResponse {
        let id = uuid::Uuid::new_v4().to_string();
        let mut prefix = String::new();
        if let Some(subscription) = path.subscription() {
            prefix.push_str("/subscriptions/");
            prefix.push_str(&encode_path_segment(subscription));
        }
        if let Some(namespace) = path.namespace() {
            prefix.push_str("/providers/");
            prefix.push_str(&encode_path_segment(namespace));
        }
        let action = route.method == Method::Post;
        let result_in_status = action
            && matches!(
                route.long_running,
                Some(Some(
                    FinalStateVia::AzureAsyncOperation | FinalStateVia::OperationLocation
                ))
            );
        let operation = Operation {
            status_path: format!("{prefix}/locations/local/{STATUS_SEGMENT}/{id}"),
            result_path: format!("{prefix}/locations/local/{RESULT_SEGMENT}/{id}"),
            polls: 0,
            progress: progress.unwrap_or(Progress {
                polls_until_done: self.polls_until_done,
                failure: None,
            }),
            result: result.filter(|_| action),
            result_in_status,
        };
        let status_url = links.link(&operation.status_path);
        let result_url = links.link(&operation.result_path);
        self.make_room();
        self.by_id.insert(id.clone(), operation);
        self.order.push_back(id);
        let response = initial
            .with_header("Azure-AsyncOperation", &status_url)
            .with_header("Location", &result_url)
            .with_header("Retry-After", &self.retry_after_seconds.to_string());
        match route.long_running {
            Some(Some(FinalStateVia::OperationLocation)) => {
                response.with_header("Operation-Location", &status_url)
            }
            _ => response,
        }
    }

    /// Answers a poll of operation `id` (which [`Operations::monitor_of`] found), counting it.
    pub(super) fn poll(
        &mut self,
        links: &Links<'_>,
        monitor: Monitor,
        id: &str,
    ) -> Option<FakeResponse> {
        let operation = self.by_id.get_mut(id)?;
        operation.polls = operation.polls.saturating_add(1);
        let done = operation.finished();
        let failure = operation.progress.failure.as_ref().filter(|_| done);
        let response = match (monitor, done) {
            (Monitor::Status, _) => {
                let mut body = Map::new();
                let status = match (done, failure) {
                    (false, _) => "InProgress",
                    (true, None) => "Succeeded",
                    (true, Some(_)) => "Failed",
                };
                body.insert("status".to_owned(), Value::from(status));
                if let Some(failure) = failure {
                    body.insert("error".to_owned(), failure.error_object());
                }
                if let (true, true, Some(result)) =
                    (done, operation.result_in_status, &operation.result)
                {
                    body.insert("properties".to_owned(), result.clone());
                }
                FakeResponse::json(200, &body)
            }
            (Monitor::Result, false) => FakeResponse::status(202)
                .with_header("Location", &links.link(&operation.result_path)),
            (Monitor::Result, true) => match (failure, &operation.result) {
                (Some(failure), _) => failure.response(),
                (None, Some(result)) => FakeResponse::json(200, result),
                (None, None) => FakeResponse::status(204),
            },
        };
        Some(if done {
            response
        } else {
            response.with_header("Retry-After", &self.retry_after_seconds.to_string())
        })
    }
}
