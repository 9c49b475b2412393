//! The way of every request through the endpoint: route matching, fault rules, then the handler
//! of every request if one is set, else authentication, api-version, operation polls, body
//! parsing, the next pages of scripted lists, handlers (and what they script) and the stored
//! behaviour; the standard ARM headers on every answer, and the request log.

use azrm_runtime::Secret;
use hyper::HeaderMap;
use serde_json::Value;

use crate::arm_error;
use crate::behaviour;
use crate::fake::{FakeRequest, FakeResponse};
use crate::faults::Fault;
use crate::incoming::Incoming;
use crate::matching::{Matched, find_route};
use crate::operations::Monitor;
use crate::pages;
use crate::registration::ProviderRequest;
use crate::script::Answer;
use crate::served::ServedRequest;
use crate::state::{Context, Shared};
use crate::sync::lock;
use crate::traffic;

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
    let context = Context::new(shared, base);
    let target = Target::of(&context, &incoming);
    let operation_id = match &target {
        Target::Route(matched) => Some(matched.route.operation_id),
        _ => None,
    };
    // Polls and provider registration are no operations of the spec: not recorded as traffic.
    let poll = matches!(target, Target::Monitor(..) | Target::Provider(..));
    let fault = lock(&shared.faults).pick(operation_id, &incoming.path);
    let mut served = ServedRequest {
        operation_id: operation_id.map(str::to_owned),
        method: incoming.method.clone(),
        target: match &incoming.query {
            Some(query) => format!("{}?{query}", incoming.path),
            None => incoming.path.clone(),
        },
        headers: handler_headers(&incoming.headers),
        authorization: incoming.authorization.clone().map(Secret::new),
        body: incoming
            .body
            .as_deref()
            .map(<[u8]>::to_vec)
            .unwrap_or_default(),
        status: None,
        faulted: fault.is_some(),
    };
    let any = lock(&shared.handlers).any();
    let answer = || match &any {
        Some(handler) => handler(&served, base),
        None => context.answer(target, &incoming),
    };
    let mut truncate = false;
    let response = match &fault {
        Some(Fault::ResetConnection) => None,
        Some(Fault::Status {
            status,
            retry_after,
        }) => Some(arm_error::injected(*status, *retry_after)),
        Some(Fault::TruncatedBody) => {
            truncate = true;
            Some(answer())
        }
        // A slow answer is worked out and logged at once and sent after the delay, so a client
        // that gives up first still finds the request in the log (and its effect in the store).
        Some(Fault::Delay(_)) | None => Some(answer()),
    }
    .map(|response| with_standard_headers(response, &incoming, any.is_some()));
    if let (Some(recorder), Some(response), false) = (&shared.settings.traffic, &response, poll) {
        traffic::record_served(recorder, base, &incoming, operation_id, response);
    }
    served.status = response.as_ref().map(|response| response.status);
    lock(&shared.log).push(served);
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
    Monitor(Monitor, String),
    /// A provider registration operation (with unregistered providers only).
    Provider(ProviderRequest),
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
        let provider = context
            .lock_registrations()
            .serves_providers()
            .then(|| ProviderRequest::of(&incoming.method, &incoming.path))
            .flatten();
        if let Some(request) = provider {
            return Target::Provider(request);
        }
        match find_route(context.shared.routes, &incoming.method, &incoming.path) {
            Some(matched) => Target::Route(matched),
            None => Target::Unknown,
        }
    }
}

impl Context<'_> {
    /// The answer when no fault and no handler of every request decides it: authentication and
    /// api-version first, then the poll, the operation's handler or the stored behaviour.
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
            // The provider operations have an api-version of their own (`Microsoft.Resources`).
            Some(_) if matches!(target, Target::Provider(_)) => {}
            Some((_, given)) if given != supported => {
                return arm_error::invalid_api_version(given, supported);
            }
            Some(_) => {}
        }
        let matched = match target {
            Target::Monitor(monitor, id) => {
                return self
                    .lock_operations()
                    .poll(&self.links, monitor, &id)
                    .unwrap_or_else(|| arm_error::not_found(&incoming.path));
            }
            Target::Provider(request) => return self.lock_registrations().answer(&request),
            Target::Unknown => return arm_error::no_route(&incoming.method, &incoming.path),
            Target::Route(matched) => matched,
        };
        if let Some(refusal) = self.lock_registrations().refusal(&incoming.path) {
            return refusal;
        }
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
        if let Some(page) = pages::next(self, route, &request) {
            return page;
        }
        let handler = lock(&self.shared.handlers).get(route.operation_id);
        match handler
            .and_then(|handler| handler(&request))
            .map(|answer| answer.0)
        {
            None => behaviour::answer(self, route, &request, raw_body),
            Some(Answer::Respond(response)) => response,
            Some(Answer::Poll { polls, outcome }) => {
                behaviour::begin_scripted(self, route, &request, polls, outcome)
            }
            Some(Answer::Pages(scripted)) => pages::first(self, route, &request, scripted),
        }
    }
}

/// The headers a handler and the log see: all but `Authorization`, as text.
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

/// `response` with `x-ms-request-id` and `x-ms-correlation-request-id` (the client's, if it sent
/// one) unless `stub` (a handler of every request answers as it likes), and with a body its
/// `content-type`; each unless already set.
fn with_standard_headers(response: FakeResponse, incoming: &Incoming, stub: bool) -> FakeResponse {
    let ids = (!stub).then(|| {
        let correlation_id = incoming
            .correlation_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        [
            ("x-ms-request-id", uuid::Uuid::new_v4().to_string()),
            ("x-ms-correlation-request-id", correlation_id),
        ]
    });
    let content_type = response
        .body
        .as_ref()
        .map(|body| ("content-type", body.content_type().to_owned()));
    ids.into_iter()
        .flatten()
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
    }
}
