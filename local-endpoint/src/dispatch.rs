//! The way of every request through the endpoint: route matching, fault rules, authentication,
//! api-version, operation polls, body parsing, handlers, then the stored behaviour; the standard
//! ARM headers on every answer, and the request log.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use arm_runtime::append_query;
use bytes::Bytes;
use hyper::HeaderMap;
use serde_json::Value;

use crate::arm_error;
use crate::behaviour;
use crate::fake::{FakeRequest, FakeResponse, Handlers};
use crate::faults::{Fault, Faults};
use crate::matching::{Matched, find_route};
use crate::operations::{self, Operations};
use crate::route::Route;
use crate::served::ServedRequest;
use crate::store::Store;
use crate::traffic::{self, TrafficRecorder};

/// Locks `mutex`, going on with the data if a panicking handler poisoned it.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How the endpoint behaves, from its builder.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    /// The api-version every request must carry.
    pub(super) api_version: &'static str,
    /// Items per page of a pageable list (at least 1).
    pub(super) page_size: usize,
    /// `Retry-After` seconds on long-running operation answers.
    pub(super) retry_after_seconds: u64,
    /// Where to record the exchanges answered, polls of long-running operations left out.
    pub(super) traffic: Option<TrafficRecorder>,
}

/// Everything the listeners share: the routes and the endpoint's state.
pub(super) struct Shared {
    pub(super) routes: &'static [Route],
    pub(super) settings: Settings,
    pub(super) store: Mutex<Store>,
    pub(super) operations: Mutex<Operations>,
    pub(super) handlers: Mutex<Handlers>,
    pub(super) faults: Mutex<Faults>,
    pub(super) log: Mutex<Vec<ServedRequest>>,
}

impl Shared {
    /// An endpoint state with nothing stored, no handlers and no faults.
    pub(super) fn new(routes: &'static [Route], settings: Settings, polls_until_done: u32) -> Self {
        Self {
            routes,
            settings,
            store: Mutex::default(),
            operations: Mutex::new(Operations::new(polls_until_done)),
            handlers: Mutex::default(),
            faults: Mutex::default(),
            log: Mutex::default(),
        }
    }
}

/// What one request needs to be answered: the shared state and the base URL of the listener it
/// came in on (links in answers keep its scheme).
pub(super) struct Context<'a> {
    pub(super) shared: &'a Shared,
    base: &'a str,
}

impl Context<'_> {
    /// The absolute URL of `path` on this listener with `query` (percent-encoded).
    pub(super) fn url<'q>(
        &self,
        path: &str,
        query: impl IntoIterator<Item = (&'q str, &'q str)>,
    ) -> String {
        let mut url = format!("{}{path}", self.base);
        append_query(&mut url, query);
        url
    }

    /// The absolute URL of `path` on this listener with the api-version.
    pub(super) fn link(&self, path: &str) -> String {
        self.url(path, [("api-version", self.shared.settings.api_version)])
    }

    /// The `Retry-After` value of long-running operation answers.
    pub(super) fn retry_after(&self) -> String {
        self.shared.settings.retry_after_seconds.to_string()
    }

    /// The stored resources.
    pub(super) fn lock_store(&self) -> MutexGuard<'_, Store> {
        lock(&self.shared.store)
    }

    /// The long-running operations.
    pub(super) fn lock_operations(&self) -> MutexGuard<'_, Operations> {
        lock(&self.shared.operations)
    }
}

/// A request as the listener read it.
#[derive(Debug)]
pub(super) struct Incoming {
    /// The method, such as `GET`.
    pub(super) method: String,
    /// The path, percent-encoded, without the query.
    pub(super) path: String,
    /// The query, without `?`.
    pub(super) query: Option<String>,
    /// The `Authorization` header.
    pub(super) authorization: Option<String>,
    /// The `x-ms-correlation-request-id` header.
    pub(super) correlation_id: Option<String>,
    /// Every header.
    pub(super) headers: HeaderMap,
    /// The body, or why it could not be read.
    pub(super) body: Result<Bytes, String>,
}

/// How to answer a request.
#[derive(Debug)]
pub(super) enum Outcome {
    /// Send `response`, only the first half of its body if `truncate`.
    Respond {
        /// The response, with the standard headers.
        response: FakeResponse,
        /// Whether to cut the body short (fault `TruncatedBody`).
        truncate: bool,
    },
    /// Close the connection without answering (fault `ResetConnection`).
    Reset,
}

/// Answers `incoming`, which arrived on the listener at `base`, and logs it.
pub(super) async fn dispatch(shared: &Shared, base: &str, incoming: Incoming) -> Outcome {
    let context = Context { shared, base };
    let target = Target::of(&context, &incoming);
    let operation_id = match &target {
        Target::Route(matched) => Some(matched.route.operation_id),
        _ => None,
    };
    let poll = matches!(target, Target::Monitor(..));
    let fault = lock(&shared.faults).pick(operation_id, &incoming.path);
    let mut truncate = false;
    let response = match &fault {
        Some(Fault::ResetConnection) => None,
        Some(Fault::Status {
            status,
            retry_after,
        }) => Some(arm_error::injected(*status, *retry_after)),
        Some(Fault::TruncatedBody) => {
            truncate = true;
            Some(context.answer(target, &incoming))
        }
        // A slow answer is worked out and logged at once and sent after the delay, so a client
        // that gives up first still finds the request in the log (and its effect in the store).
        Some(Fault::Delay(_)) | None => Some(context.answer(target, &incoming)),
    }
    .map(|response| with_standard_headers(response, &incoming));
    if let (Some(recorder), Some(response), false) = (&shared.settings.traffic, &response, poll) {
        traffic::record_served(recorder, base, &incoming, operation_id, response);
    }
    let target_text = match &incoming.query {
        Some(query) => format!("{}?{query}", incoming.path),
        None => incoming.path.clone(),
    };
    lock(&shared.log).push(ServedRequest {
        operation_id: operation_id.map(str::to_owned),
        method: incoming.method.clone(),
        target: target_text,
        status: response.as_ref().map(|response| response.status),
        faulted: fault.is_some(),
    });
    if let Some(Fault::Delay(delay)) = fault {
        tokio::time::sleep(delay).await;
    }
    match response {
        Some(response) => Outcome::Respond { response, truncate },
        None => Outcome::Reset,
    }
}

/// What a request addresses.
enum Target {
    /// A poll of a long-running operation this endpoint started.
    Monitor(operations::Monitor, String),
    /// An operation of the route table.
    Route(Matched),
    /// Nothing this endpoint serves.
    Unknown,
}

impl Target {
    fn of(context: &Context<'_>, incoming: &Incoming) -> Self {
        let monitor = (incoming.method == "GET")
            .then(|| context.lock_operations().monitor_of(&incoming.path))
            .flatten();
        if let Some((monitor, id)) = monitor {
            return Target::Monitor(monitor, id);
        }
        match find_route(context.shared.routes, &incoming.method, &incoming.path) {
            Some(matched) => Target::Route(matched),
            None => Target::Unknown,
        }
    }
}

impl Context<'_> {
    /// The answer when no fault decides it: authentication and api-version first, then the
    /// poll, the handler or the stored behaviour.
    fn answer(&self, target: Target, incoming: &Incoming) -> FakeResponse {
        if !has_bearer_token(incoming.authorization.as_deref()) {
            return arm_error::unauthenticated();
        }
        let query: Vec<(String, String)> = incoming
            .query
            .as_deref()
            .map(|query| {
                url::form_urlencoded::parse(query.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        let supported = self.shared.settings.api_version;
        match query
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("api-version"))
        {
            None => return arm_error::missing_api_version(supported),
            Some((_, given)) if given != supported => {
                return arm_error::invalid_api_version(given, supported);
            }
            Some(_) => {}
        }
        let matched = match target {
            Target::Monitor(monitor, id) => {
                return operations::poll(self, monitor, &id)
                    .unwrap_or_else(|| arm_error::not_found(&incoming.path));
            }
            Target::Unknown => return arm_error::no_route(&incoming.method, &incoming.path),
            Target::Route(matched) => matched,
        };
        let raw_body = match &incoming.body {
            Ok(body) => body,
            Err(reason) => return arm_error::invalid_content(reason),
        };
        let body = if raw_body.trim_ascii().is_empty() {
            None
        } else {
            match serde_json::from_slice::<Value>(raw_body) {
                Ok(body) => Some(body),
                Err(error) => {
                    return arm_error::invalid_content(&format!("the body is not JSON: {error}"));
                }
            }
        };
        let route = matched.route;
        let request = FakeRequest {
            operation_id: route.operation_id.to_owned(),
            method: route.method,
            path: incoming.path.clone(),
            path_params: matched.path_params,
            query,
            headers: handler_headers(&incoming.headers),
            body,
        };
        let handler = lock(&self.shared.handlers).get(route.operation_id);
        if let Some(response) = handler.and_then(|handler| handler(&request)) {
            return response;
        }
        behaviour::answer(self, route, &request, raw_body)
    }
}

/// The headers a handler sees: all but `Authorization`, as text.
fn handler_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| **name != hyper::header::AUTHORIZATION)
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect()
}

/// Whether `authorization` is `Bearer` and a non-empty token.
fn has_bearer_token(authorization: Option<&str>) -> bool {
    authorization
        .and_then(|value| value.trim().split_once(' '))
        .is_some_and(|(scheme, token)| {
            scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()
        })
}

/// `response` with `x-ms-request-id`, `x-ms-correlation-request-id` (the client's, if it sent
/// one) and, with a body, `content-type: application/json`, each unless already set.
fn with_standard_headers(response: FakeResponse, incoming: &Incoming) -> FakeResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let correlation_id = incoming
        .correlation_id
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let content_type = response
        .body
        .is_some()
        .then(|| ("content-type", "application/json".to_owned()));
    [
        ("x-ms-request-id", request_id),
        ("x-ms-correlation-request-id", correlation_id),
    ]
    .into_iter()
    .chain(content_type)
    .fold(response, |response, (name, value)| {
        let present = response
            .headers
            .iter()
            .any(|(header, _)| header.eq_ignore_ascii_case(name));
        if present {
            response
        } else {
            response.with_header(name, &value)
        }
    })
}

/// The delay of `Retry-After` in whole seconds, rounded up.
pub(super) fn whole_seconds(delay: Duration) -> u64 {
    delay.as_secs() + u64::from(delay.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_non_empty_bearer_tokens_authenticate() {
        assert!(has_bearer_token(Some("Bearer abc")));
        assert!(has_bearer_token(Some("bearer  abc ")));
        for bad in [
            None,
            Some(""),
            Some("Bearer"),
            Some("Bearer   "),
            Some("Basic abc"),
        ] {
            assert!(!has_bearer_token(bad), "{bad:?}");
        }
        assert_eq!(whole_seconds(Duration::from_millis(1500)), 2);
        assert_eq!(whole_seconds(Duration::from_secs(3)), 3);
    }
}
