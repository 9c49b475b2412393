//! [`Incoming`]: a request as a listener read it, before the endpoint decides how to answer.

use bytes::Bytes;
use hyper::HeaderMap;

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
