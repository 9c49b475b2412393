//! The ARM error responses the endpoint answers with (`{"error": {"code", "message"}}`), each
//! with the status and code Azure Resource Manager uses.

use crate::fake::FakeResponse;
use crate::script::FakeError;

/// 401 `AuthenticationFailed` with a `WWW-Authenticate` challenge: no bearer token.
pub(super) fn unauthenticated() -> FakeResponse {
    FakeResponse::error(
        401,
        "AuthenticationFailed",
        "Authentication failed. The 'Authorization' header is missing or is not a non-empty \
         bearer token.",
    )
    .with_header(
        "WWW-Authenticate",
        r#"Bearer error="invalid_token", error_description="The access token is missing""#,
    )
}

/// 400 `MissingApiVersionParameter`.
pub(super) fn missing_api_version(supported: &str) -> FakeResponse {
    FakeResponse::error(
        400,
        "MissingApiVersionParameter",
        &format!(
            "The api-version query parameter (?api-version=) is required for all requests. The \
             supported api-version is '{supported}'."
        ),
    )
}

/// 400 `InvalidApiVersionParameter`: an api-version other than the one served.
pub(super) fn invalid_api_version(given: &str, supported: &str) -> FakeResponse {
    FakeResponse::error(
        400,
        "InvalidApiVersionParameter",
        &format!(
            "The api-version '{given}' is invalid. The supported api-version is '{supported}'."
        ),
    )
}

/// 404 `InvalidResourceType`: no route serves `method` on `path`.
pub(super) fn no_route(method: &str, path: &str) -> FakeResponse {
    FakeResponse::error(
        404,
        "InvalidResourceType",
        &format!("No operation of this api-version serves {method} '{path}'."),
    )
}

/// 400 `InvalidRequestContent`.
pub(super) fn invalid_content(message: &str) -> FakeResponse {
    FakeError::invalid_content(message).response()
}

/// 400 `InvalidSkipToken`: a `$skipToken` this endpoint did not hand out.
pub(super) fn invalid_skip_token(token: &str) -> FakeResponse {
    FakeResponse::error(
        400,
        "InvalidSkipToken",
        &format!("The $skipToken '{token}' is not valid."),
    )
}

/// 404 `ResourceNotFound` naming the resource.
pub(super) fn not_found(id: &str) -> FakeResponse {
    FakeResponse::error(
        404,
        "ResourceNotFound",
        &format!("The Resource '{id}' was not found."),
    )
}

/// The answer of an injected `Status` fault, with `Retry-After` when given.
pub(super) fn injected(status: u16, retry_after: Option<u32>) -> FakeResponse {
    let code = match status {
        408 => "RequestTimeout",
        409 => "Conflict",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "InjectedFault",
    };
    let response = FakeResponse::error(
        status,
        code,
        "This response was injected by a fault rule of the local endpoint.",
    );
    match retry_after {
        Some(seconds) => response.with_header("Retry-After", &seconds.to_string()),
        None => response,
    }
}
