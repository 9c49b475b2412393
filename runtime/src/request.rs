//! [`Request`]: the description of one operation call that generated code builds, plus the
//! percent-encoding of path segments and query values.

use std::fmt;
use std::fmt::Write as _;

use crate::call::CallOptions;

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
    /// `OPTIONS`
    Options,
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
            Method::Options => "OPTIONS",
        }
    }

    /// Whether the method creates or updates the resource at its URL (`PUT`, `PATCH`), so that
    /// the resource there is what a long-running operation of it produces.
    pub(crate) fn is_put_or_patch(self) -> bool {
        matches!(self, Method::Put | Method::Patch)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Put => reqwest::Method::PUT,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
            Method::Options => reqwest::Method::OPTIONS,
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
    /// What the caller set for this call: headers, timeout, client request id, retries, poll
    /// interval.
    pub call: CallOptions,
}

impl Request {
    /// The call of `operation_id`: `method` on `path_template` with its `{name}` placeholders
    /// filled, in order, by `path_values`; no query, headers or body yet.
    pub fn new(
        operation_id: &'static str,
        method: Method,
        path_template: &'static str,
        path_values: &[PathValue<'_>],
        api_version: &'static str,
        expected_status: &'static [u16],
    ) -> Self {
        Self {
            operation_id,
            method,
            path_template,
            path: fill_path(path_template, path_values),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            api_version,
            expected_status,
            call: CallOptions::new(),
        }
    }

    /// The same request with the caller's [`CallOptions`]. The headers of a header collection
    /// ([`Request::push_header_collection`]) stay, before the caller's own headers, which
    /// replace one of the same name.
    pub fn with_call(self, call: CallOptions) -> Self {
        Self {
            call: self.call.followed_by(call),
            ..self
        }
    }

    /// Adds a header per entry of `entries`, named `prefix` followed by the entry's key: the
    /// parameter is marked `x-ms-header-collection-prefix` (a map such as user metadata sent as
    /// `x-ms-meta-{key}`). Header names are only known at run time, so they travel with the
    /// call's own headers ([`CallOptions::with_header`]), checked like them when sent: a name
    /// or value not valid in HTTP fails the call before anything is sent.
    pub fn push_header_collection<'e>(
        &mut self,
        prefix: &str,
        entries: impl IntoIterator<Item = (&'e String, &'e String)>,
    ) {
        let mut call = std::mem::take(&mut self.call);
        for (key, value) in entries {
            call = call.with_header(format!("{prefix}{key}"), value.clone());
        }
        self.call = call;
    }

    /// Adds the query parameter `name` with `value` sent as given: the spec marks it
    /// `x-ms-skip-url-encoding`, so the value is already encoded or means its `&` and `=` (as
    /// AutoRest's Go, Python and .NET clients send it, `value1&q2=value2` adds the parameter
    /// `q2`). It goes on the path's query ([`Request::path`]), before [`Request::query`]. The
    /// name is encoded as any other, and so is every character of the value that a URL's
    /// query cannot hold: a value may add parameters, never end the query with a fragment or
    /// break the URL.
    pub fn push_verbatim_query(&mut self, name: &str, value: &str) {
        self.path
            .push(if self.path.contains('?') { '&' } else { '?' });
        percent_encode_into(&mut self.path, name);
        self.path.push('=');
        encode_verbatim_query_into(&mut self.path, value);
    }
}

/// The value of one `{name}` placeholder of a path template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathValue<'a> {
    /// Percent-encoded as one path segment ([`encode_path_segment`]).
    Segment(&'a str),
    /// Inserted as it is: the spec marks the parameter `x-ms-skip-url-encoding`.
    Verbatim(&'a str),
}

/// `template` with its `{name}` placeholders replaced by `values`, in order (a placeholder left
/// without a value becomes empty).
pub fn fill_path(template: &str, values: &[PathValue<'_>]) -> String {
    let mut path = String::with_capacity(template.len());
    let mut values = values.iter();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        let Some((_, after)) = after.split_once('}') else {
            break;
        };
        path.push_str(before);
        match values.next() {
            Some(PathValue::Segment(value)) => percent_encode_into(&mut path, value),
            Some(PathValue::Verbatim(value)) => path.push_str(value),
            None => {}
        }
        rest = after;
    }
    path.push_str(rest);
    path
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
pub fn append_query<'a>(url: &mut String, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) {
    for (name, value) in pairs {
        url.push(if url.contains('?') { '&' } else { '?' });
        percent_encode_into(url, name);
        url.push('=');
        percent_encode_into(url, value);
    }
}

/// Appends `value` as a query value sent without encoding (`x-ms-skip-url-encoding`): the
/// characters RFC 3986 allows in a query stay as they are (unreserved ones, `%`, the
/// sub-delimiters `!$&'()*+,;=`, `:`, `@`, `/` and `?`), so `&` and `=` keep their meaning and
/// an encoded value is not encoded twice; any other byte is percent-encoded: `#` (which would
/// end the query and be dropped as a fragment), spaces, controls, non-ASCII text.
fn encode_verbatim_query_into(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if is_unreserved(byte) || b"%!$&'()*+,;=:@/?".contains(&byte) {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// Whether `byte` is an RFC 3986 unreserved character (`A-Z a-z 0-9 - . _ ~`).
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

fn percent_encode_into(out: &mut String, value: &str) {
    for byte in value.bytes() {
        if is_unreserved(byte) {
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
    fn a_path_template_is_filled_in_order_with_encoded_or_verbatim_values() {
        let values = [
            PathValue::Segment("sub"),
            PathValue::Segment("a/../b?x"),
            PathValue::Verbatim("next?page=2"),
        ];
        assert_eq!(
            fill_path("/s/{subscriptionId}/g/{name}/{link}", &values),
            "/s/sub/g/a%2F..%2Fb%3Fx/next?page=2"
        );
        assert_eq!(fill_path("/s/{a}/t/{b}", &values[..1]), "/s/sub/t/");
        assert_eq!(fill_path("/plain/{unclosed", &values), "/plain/{unclosed");
        let request = Request::new("Op_Get", Method::Get, "/x/{id}", &values[1..2], "v", &[200]);
        assert_eq!(request.path, "/x/a%2F..%2Fb%3Fx");
        assert!(request.query.is_empty() && request.headers.is_empty() && request.body.is_none());
    }

    #[test]
    fn path_segments_keep_only_unreserved_characters() {
        assert_eq!(encode_path_segment("my-account_1.x~"), "my-account_1.x~");
        assert_eq!(encode_path_segment("a/../b"), "a%2F..%2Fb");
        assert_eq!(encode_path_segment("x?y#z"), "x%3Fy%23z");
        assert_eq!(encode_path_segment("sp ace%"), "sp%20ace%25");
        assert_eq!(encode_path_segment("ä"), "%C3%A4");
    }

    #[test]
    fn a_verbatim_query_value_keeps_its_parameters_but_cannot_add_a_fragment() {
        let mut request = Request::new("Op_Get", Method::Get, "/x", &[], "v", &[200]);
        request.push_verbatim_query("q1", "value1&q2=value2&q3=%2F/x?y");
        assert_eq!(request.path, "/x?q1=value1&q2=value2&q3=%2F/x?y");
        request.push_verbatim_query("$f", "a b#frag\n\u{e4}");
        assert_eq!(
            request.path,
            "/x?q1=value1&q2=value2&q3=%2F/x?y&%24f=a%20b%23frag%0A%C3%A4"
        );
    }

    #[test]
    fn header_collection_entries_go_before_the_callers_own_headers() {
        let mut request = Request::new("Op_Put", Method::Put, "/x", &[], "v", &[200]);
        let metadata: std::collections::BTreeMap<String, String> = [("a", "1"), ("b", "2")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into();
        request.push_header_collection("x-ms-meta-", &metadata);
        let request = request.with_call(
            CallOptions::new()
                .with_header("x-ms-meta-b", "caller")
                .with_timeout(std::time::Duration::from_secs(1)),
        );
        let headers: Vec<(&str, &str)> = request.call.headers().collect();
        assert_eq!(
            headers,
            [
                ("x-ms-meta-a", "1"),
                ("x-ms-meta-b", "2"),
                ("x-ms-meta-b", "caller")
            ]
        );
        assert_eq!(
            request.call.timeout(),
            Some(std::time::Duration::from_secs(1))
        );
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
