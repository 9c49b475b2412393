//! [`ServedRequest`]: one entry of the endpoint's request log, the request as it was sent and
//! how the endpoint answered it.

use azrm_runtime::Secret;
use serde_json::Value;

/// A request the endpoint received, and how it answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedRequest {
    /// The `operationId` of the route it matched; `None` for polls of a long-running operation's
    /// status or result and for requests no route serves.
    pub operation_id: Option<String>,
    /// The HTTP method, such as `GET`.
    pub method: String,
    /// The path and query as sent.
    pub target: String,
    /// The headers (names in lower case) in request order, without `Authorization` (that is
    /// [`ServedRequest::authorization`]). Values that are not text are left out.
    pub headers: Vec<(String, String)>,
    /// The `Authorization` header, kept as a [`Secret`] so that the token stays out of `Debug`
    /// output.
    pub authorization: Option<Secret>,
    /// The body as sent; empty when there was none or it could not be read.
    pub body: Vec<u8>,
    /// The status answered; `None` when the connection was reset without an answer (and, for a
    /// handler given to [`LocalEndpoint::on_any`](crate::LocalEndpoint::on_any), not answered
    /// yet).
    pub status: Option<u16>,
    /// Whether a fault rule fired for this request.
    pub faulted: bool,
}

impl ServedRequest {
    /// The path as sent (percent-encoded), without the query.
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }

    /// The first value of header `name` (any case); `Authorization` is
    /// [`ServedRequest::authorization`].
    pub fn header(&self, name: &str) -> Option<&str> {
        first_value(&self.headers, name)
    }

    /// The body as JSON; `None` when it is empty or not JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// The value of the first of `pairs` named `name` (any case).
pub(super) fn first_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}
