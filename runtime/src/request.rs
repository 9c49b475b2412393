//! [`Request`]: the description of one operation call that generated code builds, plus the
//! percent-encoding of path segments and query values.

use std::fmt;
use std::fmt::Write as _;

/// An HTTP method used by Azure Resource Manager operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
}

impl Method {
    /// The method as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Put => reqwest::Method::PUT,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One call of an operation, as generated code describes it. [`crate::Client::send`] turns it into
/// an HTTP request against the client's endpoint.
#[derive(Debug, Clone)]
pub struct Request {
    /// The spec's `operationId`, such as `DatabaseAccounts_Get`; used in errors and tracing.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template of the spec, such as
    /// `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}`; used in tracing.
    pub path_template: &'static str,
    /// The path with its parameters filled in, each encoded with [`encode_path_segment`]
    /// (unless the spec says `x-ms-skip-url-encoding`). Starts with `/`; it is appended to the
    /// endpoint. A value sent without encoding may end it with a query of its own (a next link
    /// such as `next?page=2` passed as a path segment), which [`Request::query`] extends.
    pub path: String,
    /// Query parameters with raw values; they are percent-encoded when sent. `api-version` is
    /// added from [`Request::api_version`].
    pub query: Vec<(&'static str, String)>,
    /// Header parameters.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON request body.
    pub body: Option<Vec<u8>>,
    /// The API version of the operation, sent as the `api-version` query parameter (and on the
    /// polling and next-page requests that follow); empty for an operation that has no
    /// `api-version` parameter, which then sends none.
    pub api_version: &'static str,
    /// The statuses the spec lists as success for this operation.
    pub expected_status: &'static [u16],
}

/// Percent-encodes `value` for use as one path segment: everything except the RFC 3986
/// unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded, so a value such as `a/../b` or
/// `x?y#z` stays one segment and cannot change the path or add a query.
pub fn encode_path_segment(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    percent_encode_into(&mut encoded, value);
    encoded
}

/// Appends `name=value` pairs, percent-encoded, to `url` (which must already hold a `?` when
/// `pairs` is not empty and other pairs precede them).
pub(crate) fn append_query<'a>(
    url: &mut String,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    for (name, value) in pairs {
        url.push(if url.contains('?') { '&' } else { '?' });
        percent_encode_into(url, name);
        url.push('=');
        percent_encode_into(url, value);
    }
}

fn percent_encode_into(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// Encodes a request body as JSON, leaving out read-only properties (see
/// [`json::to_request_body`](crate::json::to_request_body)).
pub fn json_body(body: &dyn crate::json::Encode) -> Vec<u8> {
    crate::json::to_request_body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_keep_only_unreserved_characters() {
        assert_eq!(encode_path_segment("my-account_1.x~"), "my-account_1.x~");
        assert_eq!(encode_path_segment("a/../b"), "a%2F..%2Fb");
        assert_eq!(encode_path_segment("x?y#z"), "x%3Fy%23z");
        assert_eq!(encode_path_segment("sp ace%"), "sp%20ace%25");
        assert_eq!(encode_path_segment("ä"), "%C3%A4");
    }

    #[test]
    fn query_pairs_are_encoded_and_joined() {
        let mut url = "https://h/p".to_owned();
        append_query(
            &mut url,
            [("$filter", "a eq 'b&c'"), ("api-version", "2024-01-01")],
        );
        assert_eq!(
            url,
            "https://h/p?%24filter=a%20eq%20%27b%26c%27&api-version=2024-01-01"
        );
    }
}
