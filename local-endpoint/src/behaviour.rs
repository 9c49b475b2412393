//! The stored behaviour of each [`Behaviour`]: what ARM does with a request when no handler
//! overrides it, including the first answer of long-running operations, and the first answer of
//! a long-running operation a handler scripted.

use azrm_runtime::Method;
use serde_json::Value;

use crate::arm_error;
use crate::fake::{FakeRequest, FakeResponse};
use crate::listing;
use crate::matching::ends_with_literal;
use crate::operations::Progress;
use crate::resource::ResourcePath;
use crate::route::{Behaviour, Route};
use crate::script::FakeError;
use crate::state::Context;

/// Answers `request` to `route` from the store; `raw_body` is the body as sent.
pub(super) fn answer(
    context: &Context<'_>,
    route: &'static Route,
    request: &FakeRequest,
    raw_body: &[u8],
) -> FakeResponse {
    let path = ResourcePath::parse(&request.path);
    let answer = Answer::new(context, route, &path);
    match route.behaviour {
        Behaviour::CreateOrReplace => answer.create_or_replace(request, raw_body),
        Behaviour::Update => answer.update(request, raw_body),
        Behaviour::Read => answer.read(),
        Behaviour::List => listing::list(context, route, &path, request),
        Behaviour::Delete => answer.delete(),
        Behaviour::Exists => answer.exists(),
        Behaviour::Action => answer.action(),
    }
}

/// Starts the long-running operation a handler scripted for `request` to `route`: `InProgress`
/// for `polls` polls, then `outcome` (`Ok`: succeeded with the result, if any). The first answer
/// is ARM's: for a `PUT` or `PATCH` the resource as sent with a provisioning state that is not
/// final, else an empty `202` (or the route's first success status). A success is applied at
/// once: a `PUT` or `PATCH` stores the result at the request path, a `DELETE` removes the
/// resource.
pub(super) fn begin_scripted(
    context: &Context<'_>,
    route: &'static Route,
    request: &FakeRequest,
    polls: u32,
    outcome: Result<Option<Value>, FakeError>,
) -> FakeResponse {
    let path = ResourcePath::parse(&request.path);
    let answer = Answer::new(context, route, &path);
    let initial = match route.method {
        Method::Put | Method::Patch => {
            let exists = context.lock_store().contains(&path);
            let state = if exists { "Updating" } else { "Creating" };
            let sent = request.body.clone().filter(Value::is_object);
            let sent = sent.unwrap_or_else(|| Value::Object(serde_json::Map::new()));
            FakeResponse::json(
                answer.status(&[201, 200]),
                &answer.in_progress(&sent, state),
            )
        }
        _ => FakeResponse::status(answer.status(&[202, 200, 204])),
    };
    let (result, failure) = match outcome {
        Ok(result) => (result, None),
        Err(error) => (None, Some(error)),
    };
    if failure.is_none() {
        let mut store = context.lock_store();
        match (route.method, &result) {
            (Method::Put | Method::Patch, Some(value)) => {
                store.put(&path, value.clone(), route.provisioning_state);
            }
            (Method::Delete, _) => {
                store.delete(&path);
            }
            _ => {}
        }
    }
    let progress = Progress {
        polls_until_done: polls,
        failure,
    };
    context.lock_operations().begin(
        &context.links,
        route,
        &path,
        initial,
        result,
        Some(progress),
    )
}

/// One request to a route, on the resource at `path`.
struct Answer<'a> {
    context: &'a Context<'a>,
    route: &'static Route,
    path: &'a ResourcePath,
}

impl<'a> Answer<'a> {
    fn new(context: &'a Context<'a>, route: &'static Route, path: &'a ResourcePath) -> Self {
        Self {
            context,
            route,
            path,
        }
    }

    fn create_or_replace(&self, request: &FakeRequest, raw_body: &[u8]) -> FakeResponse {
        let body = match self.stored_body(request, raw_body) {
            Ok(body) => body,
            Err(response) => return response,
        };
        let (value, created) =
            self.context
                .lock_store()
                .put(self.path, body, self.route.provisioning_state);
        if self.route.long_running.is_some() {
            let state = if created { "Creating" } else { "Updating" };
            let initial =
                FakeResponse::json(self.status(&[201, 200]), &self.in_progress(&value, state));
            return self.context.lock_operations().begin(
                &self.context.links,
                self.route,
                self.path,
                initial,
                Some(value),
                None,
            );
        }
        let status = if created {
            self.status(&[201, 200])
        } else {
            self.status(&[200, 201])
        };
        FakeResponse::json(status, &value)
    }

    fn update(&self, request: &FakeRequest, raw_body: &[u8]) -> FakeResponse {
        let patch = match self.stored_body(request, raw_body) {
            Ok(patch) => patch,
            Err(response) => return response,
        };
        let Some(value) =
            self.context
                .lock_store()
                .update(self.path, &patch, self.route.provisioning_state)
        else {
            return arm_error::not_found(&self.path.id());
        };
        if self.route.long_running.is_some() {
            let initial = FakeResponse::json(
                self.status(&[201, 200]),
                &self.in_progress(&value, "Updating"),
            );
            return self.context.lock_operations().begin(
                &self.context.links,
                self.route,
                self.path,
                initial,
                Some(value),
                None,
            );
        }
        FakeResponse::json(self.status(&[200, 201]), &value)
    }

    fn read(&self) -> FakeResponse {
        if let Some(value) = self.context.lock_store().get(self.path) {
            return FakeResponse::json(200, value);
        }
        match self.route.example {
            Some(example) if ends_with_literal(self.route.path_template) => {
                let id = self.path.id();
                FakeResponse::example(&example, Some((&id, self.path.name())))
            }
            _ => arm_error::not_found(&self.path.id()),
        }
    }

    fn delete(&self) -> FakeResponse {
        let existed = self.context.lock_store().delete(self.path);
        let answer_now = !existed && self.listed(204);
        if self.route.long_running.is_some() && self.listed(202) && !answer_now {
            let initial = FakeResponse::status(202);
            return self.context.lock_operations().begin(
                &self.context.links,
                self.route,
                self.path,
                initial,
                None,
                None,
            );
        }
        if existed {
            FakeResponse::status(self.status(&[200, 204, 202]))
        } else {
            FakeResponse::status(self.status(&[204, 200, 202]))
        }
    }

    fn exists(&self) -> FakeResponse {
        if self.context.lock_store().contains(self.path) {
            FakeResponse::status(self.status(&[200, 204]))
        } else {
            FakeResponse::status(404)
        }
    }

    fn action(&self) -> FakeResponse {
        if self.route.long_running.is_some() && self.listed(202) {
            let result = match self.route.example {
                Some(example) => match FakeResponse::example(&example, None) {
                    FakeResponse {
                        status: 200..=299,
                        body,
                        ..
                    } => body.and_then(|body| body.json().cloned()),
                    error => return error,
                },
                None => None,
            };
            let initial = FakeResponse::status(202);
            return self.context.lock_operations().begin(
                &self.context.links,
                self.route,
                self.path,
                initial,
                result,
                None,
            );
        }
        match self.route.example {
            Some(example) => FakeResponse::example(&example, None),
            None => FakeResponse::status(self.status(&[200, 204])),
        }
    }

    /// The body to store: required, decoded by the route's model when it has one, an object.
    fn stored_body(&self, request: &FakeRequest, raw_body: &[u8]) -> Result<Value, FakeResponse> {
        let Some(body) = &request.body else {
            return Err(arm_error::invalid_content("the request body is missing"));
        };
        let value = match self.route.decode_body {
            Some(decode) => {
                decode(raw_body).map_err(|message| arm_error::invalid_content(&message))?
            }
            None => body.clone(),
        };
        if value.is_object() {
            Ok(value)
        } else {
            Err(arm_error::invalid_content(
                "the request body must be a JSON object",
            ))
        }
    }

    /// Whether the route lists `status` as a success.
    fn listed(&self, status: u16) -> bool {
        self.route.statuses.contains(&status)
    }

    /// The first of `preferred` the route lists; else its first listed status, else the first
    /// preferred.
    fn status(&self, preferred: &[u16]) -> u16 {
        preferred
            .iter()
            .copied()
            .find(|status| self.listed(*status))
            .or_else(|| self.route.statuses.first().copied())
            .or_else(|| preferred.first().copied())
            .unwrap_or(200)
    }

    /// The first answer of a long-running `PUT` or `PATCH`, as ARM sends it: the resource with a
    /// provisioning state that is not final yet (`Creating`, `Updating`), so clients poll the
    /// status monitor instead of taking the answer as the result; as stored when the resource
    /// has no provisioning state.
    fn in_progress(&self, value: &Value, state: &str) -> Value {
        let mut value = value.clone();
        if self.route.provisioning_state
            && let Some(properties) = value.get_mut("properties").and_then(Value::as_object_mut)
        {
            properties.insert("provisioningState".to_owned(), Value::from(state));
        }
        value
    }
}
