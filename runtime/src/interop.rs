//! Conversions between [`Error`] and `azure_core::Error`, for code that mixes a generated client
//! with other Azure SDK crates and propagates errors with `?` either way. The HTTP status and the
//! kind of failure carry over; the original error stays reachable as the source.

use azure_core::error::ErrorKind as CoreKind;
use azure_core::http::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{ArmError, Error, ErrorKind};
use crate::response::{Headers, RawResponse};

/// The operation named by an error that came from another Azure SDK crate, which does not say.
const FOREIGN_OPERATION: &str = "an azure_core call";

/// An [`Error`] as an `azure_core::Error` of the matching kind, wrapping it: an HTTP error keeps
/// its status and ARM error code (`ErrorKind::HttpResponse`), a connection failure is
/// `Connection`, another transport failure `Io`, a decode failure `DataConversion`, a credential
/// failure `Credential`, anything else `Other`. `downcast_ref::<azrm_runtime::Error>()` gives the
/// whole error back (response headers and body included), and converting back gives it unchanged.
impl From<Error> for azure_core::Error {
    fn from(error: Error) -> Self {
        let kind = match error.kind() {
            ErrorKind::Http { status, .. } | ErrorKind::UnexpectedResponse { status, .. } => {
                CoreKind::HttpResponse {
                    status: StatusCode::from(*status),
                    error_code: error.error_code().map(str::to_owned),
                    raw_response: None,
                }
            }
            ErrorKind::Transport { .. } | ErrorKind::BodyInterrupted { .. } => {
                let connect = std::error::Error::source(&error)
                    .and_then(|source| source.downcast_ref::<reqwest::Error>())
                    .is_some_and(reqwest::Error::is_connect);
                if connect {
                    CoreKind::Connection
                } else {
                    CoreKind::Io
                }
            }
            ErrorKind::Decode { .. } => CoreKind::DataConversion,
            ErrorKind::Credential(_) => CoreKind::Credential,
            _ => CoreKind::Other,
        };
        azure_core::Error::new(kind, error)
    }
}

/// An `azure_core::Error` as an [`Error`]: one that wraps an [`Error`] (converted the other way)
/// gives it back unchanged; otherwise `HttpResponse` becomes [`ErrorKind::Http`] with its status,
/// the ARM error of its body (or its error code) and its response, `Credential` becomes
/// [`ErrorKind::Credential`], `Connection` and `Io` become [`ErrorKind::Transport`], anything else
/// [`ErrorKind::Other`]; the `azure_core::Error` is the source.
impl From<azure_core::Error> for Error {
    fn from(error: azure_core::Error) -> Self {
        if let Some(ours) = error.downcast_ref::<Error>() {
            return ours.clone();
        }
        let message = error.to_string();
        let converted = match error.kind() {
            CoreKind::HttpResponse {
                status,
                error_code,
                raw_response,
            } => {
                let response = raw_response.as_deref().map(response_of);
                let arm_error = response
                    .as_ref()
                    .and_then(|response| ArmError::from_body(response.body()))
                    .or_else(|| {
                        error_code.clone().map(|code| ArmError {
                            code: Some(code),
                            ..ArmError::default()
                        })
                    });
                let kind = ErrorKind::Http {
                    operation_id: FOREIGN_OPERATION.to_owned(),
                    status: u16::from(*status),
                    error: arm_error,
                };
                match response {
                    Some(response) => Error::with_response(kind, response),
                    None => Error::new(kind),
                }
            }
            CoreKind::Credential => Error::new(ErrorKind::Credential(message)),
            CoreKind::Connection | CoreKind::Io => Error::new(ErrorKind::Transport {
                operation_id: FOREIGN_OPERATION.to_owned(),
                message,
                timeout: false,
            }),
            _ => Error::new(ErrorKind::Other(message)),
        };
        converted.with_source(error)
    }
}

/// An `azure_core` response as ours: status, the headers that are valid in HTTP, body.
fn response_of(raw: &azure_core::http::RawResponse) -> RawResponse {
    let mut headers = HeaderMap::new();
    for (name, value) in raw.headers().iter() {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_str().as_bytes()),
            HeaderValue::from_str(value.as_str()),
        ) {
            headers.append(name, value);
        }
    }
    RawResponse::new(
        u16::from(raw.status()),
        Headers::new(headers),
        bytes::Bytes::copy_from_slice(raw.body().as_ref()),
    )
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    fn not_found() -> Error {
        let body = br#"{"error": {"code": "ResourceNotFound", "message": "gone"}}"#;
        let mut headers = HeaderMap::new();
        headers.insert("x-ms-request-id", HeaderValue::from_static("req-1"));
        let response = RawResponse::new(404, Headers::new(headers), body.to_vec().into());
        Error::from_status("Accounts_Get", response)
    }

    #[test]
    fn a_round_trip_through_azure_core_keeps_the_status_kind_and_response() {
        let core = azure_core::Error::from(not_found());
        assert_eq!(core.http_status(), Some(StatusCode::NotFound));
        let CoreKind::HttpResponse { error_code, .. } = core.kind() else {
            panic!("expected an HTTP error, got {core:?}");
        };
        assert_eq!(error_code.as_deref(), Some("ResourceNotFound"));
        assert!(
            core.to_string()
                .contains("Accounts_Get failed with HTTP 404")
        );

        let back = Error::from(core);
        assert!(matches!(back.kind(), ErrorKind::Http { status: 404, .. }));
        assert_eq!(back.error_code(), Some("ResourceNotFound"));
        assert_eq!(back.request_id(), Some("req-1"));

        let credential = Error::new(ErrorKind::Credential("no login".to_owned()));
        let core = azure_core::Error::from(credential);
        assert_eq!(core.kind(), &CoreKind::Credential);
    }

    #[test]
    fn azure_core_errors_keep_their_status_kind_and_source() {
        let mut headers = azure_core::http::headers::Headers::new();
        headers.insert("x-ms-request-id", "req-2");
        let raw = azure_core::http::RawResponse::from_bytes(
            StatusCode::Conflict,
            headers,
            r#"{"error": {"code": "Conflict", "message": "busy"}}"#,
        );
        let core = azure_core::Error::with_message(
            CoreKind::HttpResponse {
                status: StatusCode::Conflict,
                error_code: Some("Conflict".to_owned()),
                raw_response: Some(Box::new(raw)),
            },
            "the keyvault call failed",
        );
        let error = Error::from(core);
        assert_eq!(error.status(), Some(409));
        assert_eq!(error.error_message(), Some("busy"));
        assert_eq!(error.request_id(), Some("req-2"));
        let source = error.source().expect("the azure_core error is the source");
        assert!(source.downcast_ref::<azure_core::Error>().is_some());

        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
        let error = Error::from(azure_core::Error::new(CoreKind::Io, io));
        assert!(
            matches!(error.kind(), ErrorKind::Transport { .. }),
            "{error}"
        );
        let core = error.source().unwrap();
        let io = core.source().unwrap().downcast_ref::<std::io::Error>();
        assert_eq!(
            io.map(std::io::Error::kind),
            Some(std::io::ErrorKind::ConnectionReset)
        );

        let other = Error::from(azure_core::Error::with_message(CoreKind::Other, "odd"));
        assert!(matches!(other.kind(), ErrorKind::Other(message) if message == "odd"));
    }
}
