//! [`FakeRequest`] and [`FakeResponse`]: what a handler registered with
//! [`LocalEndpoint::on`](crate::LocalEndpoint::on) sees (with its path parameters and body
//! decoded as typed handlers take them) and answers, and the registry of those handlers.

use std::collections::HashMap;
use std::fmt::{self, Display};
use std::str::FromStr;
use std::sync::Arc;

use azrm_runtime::Method;
use azrm_runtime::json::{Decode, Encode};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::route::ExampleResponse;
use crate::script::{FakeAnswer, FakeError};
use crate::served::{ServedRequest, first_value};

/// A request to an operation, as a handler sees it: matched, authenticated, with the right
/// api-version and a body that is JSON (or absent).
#[derive(Debug, Clone, PartialEq)]
pub struct FakeRequest {
    /// The `operationId` of the matched route.
    pub operation_id: String,
    /// The HTTP method.
    pub method: Method,
    /// The path as sent (percent-encoded), without the query.
    pub path: String,
    /// The path template's parameters (`{accountName}` as `accountName`) with their
    /// percent-decoded values, in template order.
    pub path_params: Vec<(String, String)>,
    /// The query parameters, percent-decoded, in request order (`api-version` included).
    pub query: Vec<(String, String)>,
    /// The headers (names in lower case) in request order, without `Authorization`: a handler
    /// has no use for the token, and it must not reach `Debug` output or logs. Values that are
    /// not text are left out.
    pub headers: Vec<(String, String)>,
    /// The JSON body, if the request had one.
    pub body: Option<Value>,
}

impl FakeRequest {
    /// The value of path parameter `name` (as the template spells it).
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(param, _)| param == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of path parameter `name`, for a typed handler: a 500 `InternalServerError`
    /// naming it when the route's template has no such parameter.
    pub fn path_text(&self, name: &str) -> Result<String, FakeError> {
        self.path_param(name).map(str::to_owned).ok_or_else(|| {
            FakeError::new(
                500,
                "InternalServerError",
                format!(
                    "the path template of {} has no parameter `{name}`",
                    self.operation_id
                ),
            )
        })
    }

    /// The value of path parameter `name` parsed as `T` (a number, a boolean), for a typed
    /// handler: a 400 `InvalidRequestContent` naming the parameter when it does not parse.
    pub fn path_value<T>(&self, name: &str) -> Result<T, FakeError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let text = self.path_text(name)?;
        text.parse().map_err(|error| {
            FakeError::invalid_content(&format!(
                "the path parameter `{name}` ({text:?}) is not valid: {error}"
            ))
        })
    }

    /// The body decoded as the model `T`, for a typed handler (`None` when there is none): a
    /// 400 `InvalidRequestContent` naming the property and the rule when it does not decode.
    pub fn body_as<T: Decode>(&self) -> Result<Option<T>, FakeError> {
        let Some(body) = &self.body else {
            return Ok(None);
        };
        let bytes = serde_json::to_vec(body).map_err(|error| {
            FakeError::invalid_content(&format!("the body is not JSON: {error}"))
        })?;
        azrm_runtime::json::from_slice(&bytes)
            .map(Some)
            .map_err(|error| {
                let model = std::any::type_name::<T>().rsplit("::").next().unwrap_or("");
                FakeError::invalid_content(&format!(
                    "the body is not a valid `{model}`: at `{}`: {}",
                    error.path(),
                    error.message()
                ))
            })
    }

    /// The body decoded as the model `T`, which the operation requires, for a typed handler:
    /// as [`FakeRequest::body_as`], and a 400 `InvalidRequestContent` when there is none.
    pub fn required_body_as<T: Decode>(&self) -> Result<T, FakeError> {
        self.body_as()?
            .ok_or_else(|| FakeError::invalid_content("the request body is missing"))
    }

    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        first_value(&self.headers, name)
    }

    /// The first value of query parameter `name` (any case).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        first_value(&self.query, name)
    }
}

/// A response of the local endpoint: what a handler returns. `x-ms-request-id`,
/// `x-ms-correlation-request-id` and (with a body) its `content-type` are added when it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeResponse {
    /// The HTTP status.
    pub status: u16,
    /// Extra headers, such as `Retry-After` or `Location`.
    pub headers: Vec<(String, String)>,
    /// The body; `None` sends no body.
    pub body: Option<FakeBody>,
}

/// The body of a [`FakeResponse`].
#[derive(Clone, PartialEq)]
pub enum FakeBody {
    /// JSON, sent as `application/json`.
    Json(Value),
    /// Bytes sent as they are, for an operation that answers with a file.
    Bytes {
        /// The `content-type` they are sent with, such as `image/png`.
        content_type: String,
        /// The bytes.
        bytes: Bytes,
    },
}

impl FakeBody {
    /// The JSON body; `None` for bytes.
    pub fn json(&self) -> Option<&Value> {
        match self {
            FakeBody::Json(value) => Some(value),
            FakeBody::Bytes { .. } => None,
        }
    }

    /// The body's `content-type`.
    pub fn content_type(&self) -> &str {
        match self {
            FakeBody::Json(_) => "application/json",
            FakeBody::Bytes { content_type, .. } => content_type,
        }
    }

    /// The body as sent.
    pub fn to_bytes(&self) -> Bytes {
        match self {
            FakeBody::Json(value) => Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
            FakeBody::Bytes { bytes, .. } => bytes.clone(),
        }
    }
}

impl fmt::Debug for FakeBody {
    /// JSON as it is; bytes by their length and content type (a download can be large).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FakeBody::Json(value) => f.debug_tuple("Json").field(value).finish(),
            FakeBody::Bytes {
                content_type,
                bytes,
            } => f
                .debug_struct("Bytes")
                .field("content_type", content_type)
                .field("len", &bytes.len())
                .finish(),
        }
    }
}

impl FakeResponse {
    /// An empty response with `status`.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: None,
        }
    }

    /// `value` as a JSON body with `status`, encoded as a response (read-only properties
    /// included). A value whose `Encode` impl writes invalid JSON gives a 500 ARM error saying
    /// why.
    pub fn json<T: Encode + ?Sized>(status: u16, value: &T) -> Self {
        match encoded(value) {
            Ok(body) => Self {
                body: Some(FakeBody::Json(body)),
                ..Self::status(status)
            },
            Err(response) => response,
        }
    }

    /// An ARM error response: `{"error": {"code": code, "message": message}}` with `status`.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Self {
            body: Some(FakeBody::Json(
                json!({"error": {"code": code, "message": message}}),
            )),
            ..Self::status(status)
        }
    }

    /// `bytes` sent as they are with `status` and `content_type`: the answer of an operation
    /// that returns a file.
    pub fn bytes(status: u16, content_type: &str, bytes: impl Into<Bytes>) -> Self {
        Self {
            body: Some(FakeBody::Bytes {
                content_type: content_type.to_owned(),
                bytes: bytes.into(),
            }),
            ..Self::status(status)
        }
    }

    /// The JSON body, if the response has one.
    pub fn json_body(&self) -> Option<&Value> {
        self.body.as_ref()?.json()
    }

    /// The response with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The spec's example response, its `id` and `name` set when `resource` is given (a read of a
    /// singleton resource answered from the example).
    pub(super) fn example(example: &ExampleResponse, resource: Option<(&str, &str)>) -> Self {
        let mut body: Value = match serde_json::from_str(example.body) {
            Ok(body) => body,
            Err(error) => {
                return internal_error(&format!(
                    "the route's example response is not JSON: {error}"
                ));
            }
        };
        if let (Some((id, name)), Some(object)) = (resource, body.as_object_mut()) {
            object.insert("id".to_owned(), Value::from(id));
            object.insert("name".to_owned(), Value::from(name));
        }
        Self::json(example.status, &body)
    }
}

/// `value` as JSON, encoded as a response body (read-only properties included); a 500 ARM error
/// saying why when its `Encode` impl writes invalid JSON.
pub(super) fn encoded<T: Encode + ?Sized>(value: &T) -> Result<Value, FakeResponse> {
    serde_json::from_slice(&azrm_runtime::json::to_vec(&value)).map_err(|error| {
        internal_error(&format!(
            "the fake response body is not valid JSON: {error}"
        ))
    })
}

/// 500 `InternalServerError`: the endpoint's own data (an example, a fake response) is unusable.
fn internal_error(message: &str) -> FakeResponse {
    FakeResponse::error(500, "InternalServerError", message)
}

/// A registered handler: `None` means "answer with the stored behaviour".
pub(super) type Handler = Arc<dyn Fn(&FakeRequest) -> Option<FakeAnswer> + Send + Sync>;

/// The handler given to [`LocalEndpoint::on_any`](crate::LocalEndpoint::on_any): every request
/// and the base URL of the listener it came in on.
pub(super) type AnyHandler = Arc<dyn Fn(&ServedRequest, &str) -> FakeResponse + Send + Sync>;

/// The handlers registered with [`LocalEndpoint::on`](crate::LocalEndpoint::on), by operation id,
/// and the one of [`LocalEndpoint::on_any`](crate::LocalEndpoint::on_any).
#[derive(Default)]
pub(super) struct Handlers {
    by_operation: HashMap<String, Handler>,
    any: Option<AnyHandler>,
}

impl Handlers {
    /// Registers `handler` for `operation_id`, replacing any earlier one.
    pub(super) fn set(&mut self, operation_id: &str, handler: Handler) {
        self.by_operation.insert(operation_id.to_owned(), handler);
    }

    /// Answers every request with `handler` from now on, replacing any earlier one.
    pub(super) fn set_any(&mut self, handler: AnyHandler) {
        self.any = Some(handler);
    }

    /// Removes every handler.
    pub(super) fn clear(&mut self) {
        self.by_operation.clear();
        self.any = None;
    }

    /// The handler that answers every request, if any.
    pub(super) fn any(&self) -> Option<AnyHandler> {
        self.any.clone()
    }

    /// The handler of `operation_id`, if any.
    pub(super) fn get(&self, operation_id: &str) -> Option<Handler> {
        self.by_operation.get(operation_id).cloned()
    }
}
