//! [`ServedRequest`]: one entry of the endpoint's request log.

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
    /// The status answered; `None` when the connection was reset without an answer.
    pub status: Option<u16>,
    /// Whether a fault rule fired for this request.
    pub faulted: bool,
}
