//! [`RawResponse`]: what the service answered (status, headers, body), and decoding its JSON body
//! into the typed [`Response`] of a call.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use bytes::Bytes;
use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName};

use crate::error::{Error, ErrorKind};
use crate::json::{self, Decode, DecodeError};

/// Response headers. `Debug` redacts headers that can carry credentials. Shared, not copied,
/// by clones (a poller keeps the latest response while polling on a copy of its state).
#[derive(Clone, Default)]
pub struct Headers(Arc<HeaderMap>);

/// Headers whose values are never printed.
const REDACTED: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

impl Headers {
    pub(crate) fn new(map: HeaderMap) -> Self {
        Self(Arc::new(map))
    }

    /// The value of header `name` (case-insensitive), if present and valid text.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name)?.to_str().ok()
    }

    /// [`Headers::get`] for a name known in advance, which is not parsed again on every lookup.
    pub(crate) fn get_known(&self, name: &HeaderName) -> Option<&str> {
        self.0.get(name)?.to_str().ok()
    }

    /// Every header whose value is valid text, as `(lowercase name, value)` pairs; a header sent
    /// several times comes once per value.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
    }

    /// The headers whose name starts with `prefix` (in any case), keyed by the rest of the name
    /// (lower case, as HTTP/2 sends every name), a header sent several times with its values
    /// joined by `, `: what a response header marked `x-ms-header-collection-prefix` stands
    /// for. A header named just `prefix` has no key and is left out.
    pub fn collection(&self, prefix: &str) -> BTreeMap<String, String> {
        let mut collection: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in self.iter() {
            let key = name
                .get(..prefix.len())
                .filter(|start| start.eq_ignore_ascii_case(prefix))
                .map(|_| &name[prefix.len()..]);
            let Some(key) = key.filter(|key| !key.is_empty()) else {
                continue;
            };
            collection
                .entry(key.to_owned())
                .and_modify(|joined| {
                    joined.push_str(", ");
                    joined.push_str(value);
                })
                .or_insert_with(|| value.to_owned());
        }
        collection
    }
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0.iter() {
            if REDACTED.contains(&name.as_str()) {
                map.entry(&name.as_str(), &"***");
            } else {
                map.entry(&name.as_str(), &value.to_str().unwrap_or("<binary>"));
            }
        }
        map.finish()
    }
}

/// A response of the service with the whole body read.
#[derive(Clone)]
pub struct RawResponse {
    status: u16,
    headers: Headers,
    body: Bytes,
    /// The URL of the request this answers, when [`Client::send`](crate::Client::send) made
    /// it: a long-running operation polls it without building it again.
    url: Option<Url>,
}

impl RawResponse {
    pub(crate) fn new(status: u16, headers: Headers, body: Bytes) -> Self {
        Self {
            status,
            headers,
            body,
            url: None,
        }
    }

    /// The same response, answering a request to `url`.
    pub(crate) fn with_url(self, url: Url) -> Self {
        Self {
            url: Some(url),
            ..self
        }
    }

    /// The URL of the request this answers, if [`Client::send`](crate::Client::send) made it.
    pub(crate) fn url(&self) -> Option<&Url> {
        self.url.as_ref()
    }

    /// A response with `status`, no headers and `body`: decodes a body received some other way
    /// (recorded, or in a benchmark) exactly as operations decode theirs.
    pub fn from_body(status: u16, body: Vec<u8>) -> Self {
        Self::new(status, Headers::default(), Bytes::from(body))
    }

    /// The same response with another body.
    pub(crate) fn with_body(self, body: Bytes) -> Self {
        Self { body, ..self }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// [`RawResponse::header`] for a name known in advance (see [`Headers::get_known`]).
    pub(crate) fn known_header(&self, name: &HeaderName) -> Option<&str> {
        self.headers.get_known(name)
    }

    /// All response headers.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Decodes the JSON body. An empty body decodes as JSON `null`, so `()` and `Option<T>` work
    /// for operations without a response body. A failure names `operation_id`, the status and the
    /// path inside the body where decoding stopped.
    pub fn json<T: Decode>(&self, operation_id: &str) -> Result<T, Error> {
        let body: &[u8] = if self.body.trim_ascii().is_empty() {
            b"null"
        } else {
            &self.body
        };
        let mut value = None;
        json::read_document(body, &mut value)
            .and_then(|()| value.ok_or_else(json::no_value))
            .map_err(|error| self.decode_error(operation_id, error))
    }

    /// Decodes the JSON body (as [`RawResponse::json`]) into the typed [`Response`] of a call,
    /// which keeps the status and headers and drops the body.
    pub fn into_response<T: Decode>(self, operation_id: &str) -> Result<Response<T>, Error> {
        let model = self.json(operation_id)?;
        Ok(self.with_model(model))
    }

    /// The typed [`Response`] carrying `model` with this response's status and headers (the body
    /// is dropped): for a call whose result is not its body (nothing, or whether a resource
    /// exists).
    pub fn with_model<T>(self, model: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            model,
        }
    }

    /// The error of a failed decode of this response's body.
    fn decode_error(&self, operation_id: &str, error: DecodeError) -> Error {
        let kind = ErrorKind::Decode {
            operation_id: operation_id.to_owned(),
            status: self.status,
            path: error.path(),
            message: error.message().to_owned(),
        };
        Error::with_response(kind, self.clone()).with_source(error)
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The result of a successful call: its model (`()` for an operation that returns nothing) with
/// the status and headers of the response, as `azure_core`'s `Response<T>`.
///
/// Dereferences to the model, so `response.name` reads a field; [`Response::into_model`] gives
/// the model itself. The response body is not kept (it was decoded into the model), so holding
/// a `Response` instead of the bare model costs no copy.
#[derive(Clone)]
pub struct Response<T> {
    status: u16,
    headers: Headers,
    model: T,
}

impl<T> Response<T> {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// All response headers.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The `x-ms-request-id` Resource Manager gives every request: quote it to Azure support.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-ms-request-id")
    }

    /// The `x-ms-correlation-request-id` that ties together the requests Resource Manager made
    /// for this one.
    pub fn correlation_request_id(&self) -> Option<&str> {
        self.header("x-ms-correlation-request-id")
    }

    /// The `x-ms-client-request-id` the service echoed: the one the call sent (see
    /// [`CallOptions::with_client_request_id`](crate::CallOptions::with_client_request_id)).
    pub fn client_request_id(&self) -> Option<&str> {
        self.header("x-ms-client-request-id")
    }

    /// The `ETag` of the resource, for conditional requests.
    pub fn etag(&self) -> Option<&str> {
        self.header("etag")
    }

    /// The model.
    pub fn model(&self) -> &T {
        &self.model
    }

    /// The model, dropping the status and headers.
    pub fn into_model(self) -> T {
        self.model
    }

    /// The status, the headers and the model.
    pub fn into_parts(self) -> (u16, Headers, T) {
        (self.status, self.headers, self.model)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.model
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.model
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("model", &self.model)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (`fuzz/`, target `decode_database_account`): the default number parser
    /// of `serde_json` read this one unit in the last place off, so the value sent back decoded
    /// to another number.
    #[test]
    fn numbers_decode_correctly_rounded_and_survive_re_encoding() {
        let body = br#"{"v":  1000676541933000000000016.65401670564000000 }"#;
        let value: serde_json::Value = RawResponse::from_body(200, body.to_vec())
            .json("Op")
            .unwrap();
        let exact: f64 = "1000676541933000000000016.65401670564".parse().unwrap();
        assert_eq!(value["v"].as_f64(), Some(exact));
        let again: serde_json::Value =
            RawResponse::from_body(200, serde_json::to_vec(&value).unwrap())
                .json("Op")
                .unwrap();
        assert_eq!(again, value);
    }

    #[test]
    fn a_header_collection_is_every_header_with_the_prefix_by_the_rest_of_its_name() {
        let mut map = HeaderMap::new();
        for (name, value) in [
            ("x-ms-meta-color", "blue"),
            ("X-MS-META-Size", "10"),
            ("x-ms-meta-tag", "a"),
            ("x-ms-meta-tag", "b"),
            ("x-ms-meta-", "no key"),
            ("x-ms-metadata", "other"),
            ("etag", "1"),
        ] {
            map.append(
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        let collection = Headers::new(map).collection("X-Ms-Meta-");
        let expected: BTreeMap<String, String> =
            [("color", "blue"), ("size", "10"), ("tag", "a, b")]
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .into();
        assert_eq!(collection, expected);
    }
}
