//! [`Error`]: everything that can go wrong when calling a service, with the details a person needs
//! to act on it (operation, HTTP status, ARM error code and message, request ids), and the error
//! that caused it (`std::error::Error::source`).

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;

use crate::ValidationError;
use crate::response::{Headers, RawResponse};

/// The error every client operation returns.
///
/// Cheap to move (one box) and `Clone`. [`Error::kind`] tells what happened; the accessors give
/// the service's answer where there was one; `source()` gives the error behind a transport,
/// credential or decode failure (the `reqwest`, `azure_core` or decode error itself), whose own
/// sources go down to the I/O error. Converts to and from `azure_core::Error`.
#[derive(Clone)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    response: Option<RawResponse>,
    /// The error behind this one; shared, so that the error stays `Clone`.
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

/// What went wrong.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A parameter or request body broke a constraint of the spec; nothing was sent.
    InvalidParameter(ValidationError),
    /// The request could not be built (for example a header value with a line break, or a path
    /// segment `.`/`..` that would address another resource); nothing was sent.
    InvalidRequest {
        /// The operation, such as `DatabaseAccounts_Get`.
        operation_id: String,
        /// Why the request was refused.
        reason: String,
    },
    /// The service answered with an error status (4xx/5xx or another status the operation does
    /// not expect), usually with an ARM error body.
    Http {
        /// The operation, such as `DatabaseAccounts_Get`.
        operation_id: String,
        /// The HTTP status code.
        status: u16,
        /// The ARM error parsed from the body, if the body held one.
        error: Option<ArmError>,
    },
    /// The service answered in a way the operation cannot handle (for example a `202 Accepted`
    /// without any header to poll).
    UnexpectedResponse {
        /// The operation, such as `DatabaseAccounts_Get`.
        operation_id: String,
        /// The HTTP status code.
        status: u16,
        /// What was unexpected.
        reason: String,
    },
    /// The response body did not match the model of the spec.
    Decode {
        /// The operation, such as `DatabaseAccounts_Get`.
        operation_id: String,
        /// The HTTP status code of the response.
        status: u16,
        /// Where in the body decoding failed, such as `value[3].properties.locations`.
        path: String,
        /// The decoder's message.
        message: String,
    },
    /// The request did not get a response: connection refused, TLS failure, timeout. The
    /// `reqwest` error is the [`source`](std::error::Error::source).
    Transport {
        /// The operation, such as `DatabaseAccounts_Get`.
        operation_id: String,
        /// The innermost cause the HTTP stack reported, such as `Connection refused (os error
        /// 111)`; the whole chain is behind [`source`](std::error::Error::source).
        message: String,
        /// Whether the per-request timeout expired.
        timeout: bool,
    },
    /// The body of a streamed success response (a file, see
    /// [`BodyStream`](crate::BodyStream)) broke off: the connection failed or the call's timeout
    /// expired while it was being read. The `reqwest` error is the
    /// [`source`](std::error::Error::source).
    BodyInterrupted {
        /// The operation, such as `Files_Get`.
        operation_id: String,
        /// The HTTP status of the response.
        status: u16,
        /// How many bytes of the body came before it broke off.
        received: u64,
        /// The innermost cause the HTTP stack reported.
        message: String,
        /// Whether the call's timeout expired.
        timeout: bool,
    },
    /// A long-running operation ended with status `Failed` or `Canceled`.
    OperationFailed {
        /// The operation, such as `DatabaseAccounts_CreateOrUpdate`.
        operation_id: String,
        /// The terminal status the service reported (`Failed`, `Canceled`).
        status: String,
        /// The error the service reported for the operation, if any.
        error: Option<ArmError>,
    },
    /// A URL (endpoint, `nextLink`, `Azure-AsyncOperation`, `Location`) was refused because the
    /// credential must not be sent there; nothing was sent.
    UntrustedUrl {
        /// The refused URL.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The credential could not provide a token, or the client has none. The credential's
    /// `azure_core` error, if any, is the [`source`](std::error::Error::source).
    Credential(String),
    /// A resume token could not be read.
    ResumeToken(String),
    /// The service returned a `nextLink` that was already followed; paging stopped.
    PagingLoop {
        /// The repeated link.
        next_link: String,
    },
    /// An `azure_core::Error` that no other kind describes (a data conversion error of another
    /// Azure SDK crate, say), converted with `From`; it is the
    /// [`source`](std::error::Error::source).
    Other(String),
}

/// The error object of Azure Resource Manager (`{"error": {"code": ..., "message": ...}}`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ArmError {
    /// A machine-readable code such as `ResourceNotFound`.
    pub code: Option<String>,
    /// A human-readable message.
    pub message: Option<String>,
    /// The part of the request the error is about.
    pub target: Option<String>,
    /// More specific errors behind this one (`null` in the body reads as none).
    #[serde(deserialize_with = "null_as_empty")]
    pub details: Vec<ArmError>,
    /// Extra information the service attached (`null` in the body reads as none).
    #[serde(deserialize_with = "null_as_empty")]
    pub additional_info: Vec<AdditionalInfo>,
}

/// A list that the service may send as `null`, which means empty (services built on ARM's
/// common error type write `"details": null`).
fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// One entry of [`ArmError::additional_info`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct AdditionalInfo {
    /// The kind of information, such as `PolicyViolation`.
    #[serde(rename = "type")]
    pub info_type: Option<String>,
    /// The information itself.
    pub info: Option<serde_json::Value>,
}

impl ArmError {
    /// Reads an ARM error from a response body, in the wrapped `{"error": {...}}` form or the
    /// bare `{"code": ..., "message": ...}` form. `None` when the body is neither.
    pub fn from_body(body: &[u8]) -> Option<ArmError> {
        #[derive(Deserialize)]
        struct Wrapped {
            error: ArmError,
        }
        if let Ok(wrapped) = serde_json::from_slice::<Wrapped>(body) {
            return Some(wrapped.error);
        }
        serde_json::from_slice::<ArmError>(body)
            .ok()
            .filter(|error| error.code.is_some() || error.message.is_some())
    }
}

impl fmt::Display for ArmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => write!(f, "{code}: {message}"),
            (Some(text), None) | (None, Some(text)) => f.write_str(text),
            (None, None) => f.write_str("no error code or message"),
        }
    }
}

impl Error {
    /// An error of `kind` without a response.
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                response: None,
                source: None,
            }),
        }
    }

    /// An error of `kind` caused by `response`, whose status, headers and body stay available.
    pub fn with_response(kind: ErrorKind, response: RawResponse) -> Self {
        Self {
            inner: Box::new(Inner {
                kind,
                response: Some(response),
                source: None,
            }),
        }
    }

    /// The same error, caused by `source` (returned by `std::error::Error::source`).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Arc::new(source));
        self
    }

    /// The error for a response whose status the operation does not expect: kind
    /// [`ErrorKind::Http`] with the ARM error parsed from the body.
    pub fn from_status(operation_id: &str, response: RawResponse) -> Self {
        let kind = ErrorKind::Http {
            operation_id: operation_id.to_owned(),
            status: response.status(),
            error: ArmError::from_body(response.body()),
        };
        Self::with_response(kind, response)
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// The HTTP status of the response behind this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match &self.inner.kind {
            ErrorKind::Http { status, .. }
            | ErrorKind::UnexpectedResponse { status, .. }
            | ErrorKind::Decode { status, .. }
            | ErrorKind::BodyInterrupted { status, .. } => Some(*status),
            _ => self.inner.response.as_ref().map(RawResponse::status),
        }
    }

    /// The ARM error the service returned, for HTTP errors and failed long-running operations.
    pub fn arm_error(&self) -> Option<&ArmError> {
        match &self.inner.kind {
            ErrorKind::Http { error, .. } | ErrorKind::OperationFailed { error, .. } => {
                error.as_ref()
            }
            _ => None,
        }
    }

    /// The ARM error code, such as `ResourceNotFound`.
    pub fn error_code(&self) -> Option<&str> {
        self.arm_error()?.code.as_deref()
    }

    /// The ARM error message.
    pub fn error_message(&self) -> Option<&str> {
        self.arm_error()?.message.as_deref()
    }

    /// The `x-ms-request-id` header of the response, to quote to Azure support.
    pub fn request_id(&self) -> Option<&str> {
        self.headers()?.get("x-ms-request-id")
    }

    /// The `x-ms-correlation-request-id` header of the response.
    pub fn correlation_id(&self) -> Option<&str> {
        self.headers()?.get("x-ms-correlation-request-id")
    }

    /// The raw response body, if there was a response.
    pub fn raw_body(&self) -> Option<&[u8]> {
        self.inner.response.as_ref().map(RawResponse::body)
    }

    /// The response headers, if there was a response.
    pub fn headers(&self) -> Option<&Headers> {
        self.inner.response.as_ref().map(RawResponse::headers)
    }

    /// How long the service asked to wait before trying again (`Retry-After` and its
    /// millisecond forms on the response behind this error), if it did. A throttled request
    /// (429) whose wait is longer than the client's [`RetryOptions::max_delay`] is not retried:
    /// its error says here how long to wait.
    ///
    /// [`RetryOptions::max_delay`]: crate::RetryOptions::max_delay
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        crate::retry::retry_after(self.headers()?)
    }
}

/// The message of the innermost cause of `error` (such as `Connection refused (os error 111)`),
/// which says what happened where the outer ones only say where.
pub(crate) fn innermost_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

impl From<ValidationError> for Error {
    fn from(error: ValidationError) -> Self {
        Self::new(ErrorKind::InvalidParameter(error))
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::InvalidParameter(error) => write!(f, "{error}; nothing was sent"),
            ErrorKind::InvalidRequest {
                operation_id,
                reason,
            } => write!(f, "{operation_id} was not sent: {reason}"),
            ErrorKind::Http {
                operation_id,
                status,
                error,
            } => {
                write!(f, "{operation_id} failed with HTTP {status}")?;
                match error {
                    Some(error) => write!(f, " {error}"),
                    None => Ok(()),
                }
            }
            ErrorKind::UnexpectedResponse {
                operation_id,
                status,
                reason,
            } => write!(
                f,
                "{operation_id} got an unexpected response (HTTP {status}): {reason}"
            ),
            ErrorKind::Decode {
                operation_id,
                status,
                path,
                message,
            } => write!(
                f,
                "{operation_id}: could not decode the HTTP {status} response body at `{path}`: {message}"
            ),
            ErrorKind::Transport {
                operation_id,
                message,
                timeout,
            } => {
                let what = if *timeout { "timed out" } else { "failed" };
                write!(f, "{operation_id} {what} without a response: {message}")
            }
            ErrorKind::BodyInterrupted {
                operation_id,
                status,
                received,
                message,
                timeout,
            } => {
                let what = if *timeout { "timed out" } else { "broke off" };
                write!(
                    f,
                    "{operation_id}: the body of the HTTP {status} response {what} after \
                     {received} bytes: {message}"
                )
            }
            ErrorKind::OperationFailed {
                operation_id,
                status,
                error,
            } => {
                write!(
                    f,
                    "long-running operation {operation_id} ended with status {status}"
                )?;
                match error {
                    Some(error) => write!(f, ": {error}"),
                    None => Ok(()),
                }
            }
            ErrorKind::UntrustedUrl { url, reason } => {
                write!(f, "refused to send a request to {url}: {reason}")
            }
            ErrorKind::Credential(message) => write!(f, "could not get an access token: {message}"),
            ErrorKind::ResumeToken(message) => write!(f, "invalid resume token: {message}"),
            ErrorKind::PagingLoop { next_link } => write!(
                f,
                "paging stopped: the service returned the nextLink {next_link} a second time"
            ),
            ErrorKind::Other(message) => f.write_str(message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner.kind)?;
        if let (ErrorKind::Http { .. }, Some(wait)) = (&self.inner.kind, self.retry_after()) {
            write!(
                f,
                "; the service asked to wait {} s before retrying",
                wait.as_secs_f64()
            )?;
        }
        match self.request_id() {
            Some(id) => write!(f, " (x-ms-request-id {id})"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("response", &self.inner.response)
            .field("source", &self.inner.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.inner.kind {
            ErrorKind::InvalidParameter(error) => Some(error),
            _ => self
                .inner
                .source
                .as_deref()
                .map(|source| source as &(dyn std::error::Error + 'static)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_errors_are_read_wrapped_and_bare_with_nested_details() {
        let wrapped = br#"{"error": {"code": "BadRequest", "message": "Bad", "target": "name",
            "details": [{"code": "Inner", "message": "deeper", "details": [{"code": "Deepest"}]}],
            "additionalInfo": [{"type": "PolicyViolation", "info": {"policy": "p"}}]}}"#;
        let error = ArmError::from_body(wrapped).unwrap();
        assert_eq!(error.code.as_deref(), Some("BadRequest"));
        assert_eq!(error.target.as_deref(), Some("name"));
        assert_eq!(error.details[0].details[0].code.as_deref(), Some("Deepest"));
        assert_eq!(
            error.additional_info[0].info_type.as_deref(),
            Some("PolicyViolation")
        );

        let bare = ArmError::from_body(br#"{"code": "Conflict", "message": "busy"}"#).unwrap();
        assert_eq!(bare.to_string(), "Conflict: busy");

        let nulls = br#"{"error": {"code": "Conflict", "message": "busy", "target": null,
            "details": [{"code": "Inner", "details": null, "additionalInfo": null}],
            "additionalInfo": null}}"#;
        let error = ArmError::from_body(nulls).unwrap();
        assert_eq!(error.to_string(), "Conflict: busy");
        assert_eq!(error.details[0].code.as_deref(), Some("Inner"));
        assert!(error.additional_info.is_empty() && error.details[0].details.is_empty());

        assert_eq!(ArmError::from_body(b"<html>oops</html>"), None);
        assert_eq!(ArmError::from_body(br#"{"unrelated": 1}"#), None);
    }

    #[test]
    fn validation_errors_convert_and_say_nothing_was_sent() {
        let error: Error =
            ValidationError::new("accountName", "\"A\"", crate::Rule::MinLength(3)).into();
        assert!(matches!(error.kind(), ErrorKind::InvalidParameter(_)));
        assert!(error.to_string().ends_with("nothing was sent"), "{error}");
        assert_eq!(error.status(), None);
    }
}
