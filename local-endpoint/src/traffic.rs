//! Traffic capture: HTTP exchanges recorded as they happened and written as the traffic files of
//! oav's `validate-traffic` command (npm package `oav`), one JSON file per exchange:
//!
//! ```json
//! {
//!   "liveRequest": {"method": "PUT", "url": "https://127.0.0.1:PORT/subscriptions/...?api-version=...",
//!                   "headers": {"content-type": "application/json"}, "body": {"location": "westus"}},
//!   "liveResponse": {"statusCode": "200", "headers": {"content-type": "application/json"},
//!                    "body": {"id": "/subscriptions/..."}}
//! }
//! ```
//!
//! `body` is left out when there is none; header values of one name are joined with `, `. The
//! value of an `Authorization` header is never kept: it is replaced by [`REDACTED`] when an
//! exchange is recorded and again when it is written.
//!
//! The local endpoint records what it serves into a [`TrafficRecorder`] given to
//! [`LocalEndpointBuilder::record_traffic`](crate::LocalEndpointBuilder::record_traffic), stub
//! answers included; other servers build [`Exchange`]s themselves (bodies with [`body_value`])
//! and write them with [`write_oav`].

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{Map, Value};

use crate::fake::{FakeBody, FakeResponse};
use crate::incoming::Incoming;
use crate::ring::Ring;
use crate::sync::lock;

/// What the value of an `Authorization` header becomes in recorded traffic.
pub const REDACTED: &str = "REDACTED";

/// The longest file-name part taken from [`Exchange::name`] (file names stay below 255 bytes).
const MAX_NAME: usize = 200;

/// One HTTP exchange: a request and the response it got.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// What the request was, such as the `operationId` it called; names its traffic file only.
    pub name: String,
    /// The HTTP method, such as `PUT`.
    pub method: String,
    /// The absolute URL, query included, as sent.
    pub url: String,
    /// The request headers, in order.
    pub request_headers: Vec<(String, String)>,
    /// The request body: JSON, text when it is not JSON, `None` when empty.
    pub request_body: Option<Value>,
    /// The response status.
    pub status: u16,
    /// The response headers, in order.
    pub response_headers: Vec<(String, String)>,
    /// The response body: JSON, a file's length and content type as text (`"<1024 bytes of
    /// image/png>"`), `None` when there is none.
    pub response_body: Option<Value>,
}

impl Exchange {
    /// The exchange as an oav traffic file (see the module documentation), `Authorization`
    /// redacted.
    pub fn to_oav(&self) -> Value {
        let mut request = Map::new();
        request.insert("method".to_owned(), Value::from(self.method.as_str()));
        request.insert("url".to_owned(), Value::from(self.url.as_str()));
        request.insert(
            "headers".to_owned(),
            header_map(&redacted(&self.request_headers)),
        );
        if let Some(body) = &self.request_body {
            request.insert("body".to_owned(), body.clone());
        }
        let mut response = Map::new();
        response.insert(
            "statusCode".to_owned(),
            Value::from(self.status.to_string()),
        );
        response.insert("headers".to_owned(), header_map(&self.response_headers));
        if let Some(body) = &self.response_body {
            response.insert("body".to_owned(), body.clone());
        }
        let mut file = Map::new();
        file.insert("liveRequest".to_owned(), Value::Object(request));
        file.insert("liveResponse".to_owned(), Value::Object(response));
        Value::Object(file)
    }
}

/// A body as recorded: `None` when empty (or only whitespace), its JSON when it parses, else its
/// text (invalid UTF-8 replaced).
pub fn body_value(bytes: &[u8]) -> Option<Value> {
    if bytes.trim_ascii().is_empty() {
        return None;
    }
    Some(
        serde_json::from_slice(bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned())),
    )
}

/// A response body as recorded: JSON as it is, bytes (a file) summed up, not copied.
fn recorded_body(body: &FakeBody) -> Value {
    match body {
        FakeBody::Json(value) => value.clone(),
        FakeBody::Bytes {
            content_type,
            bytes,
        } => Value::String(format!("<{} bytes of {content_type}>", bytes.len())),
    }
}

/// Collects exchanges from any number of threads; clones share one list. It keeps the newest
/// [`TrafficRecorder::DEFAULT_LIMIT`] exchanges (or the limit given to
/// [`TrafficRecorder::with_limit`]), dropping the oldest, so that recording an endpoint that runs
/// for days stays bounded; [`TrafficRecorder::dropped`] says how many were let go.
#[derive(Debug, Clone)]
pub struct TrafficRecorder {
    exchanges: Arc<Mutex<Ring<Exchange>>>,
}

impl Default for TrafficRecorder {
    fn default() -> Self {
        Self::with_limit(Self::DEFAULT_LIMIT)
    }
}

impl TrafficRecorder {
    /// How many exchanges [`TrafficRecorder::new`] keeps: far more than a test suite makes, so
    /// that only an endpoint left running drops any.
    pub const DEFAULT_LIMIT: usize = 100_000;

    /// A recorder with nothing recorded, keeping the newest [`TrafficRecorder::DEFAULT_LIMIT`]
    /// exchanges.
    pub fn new() -> Self {
        Self::default()
    }

    /// A recorder with nothing recorded, keeping the newest `limit` exchanges (at least 1).
    pub fn with_limit(limit: usize) -> Self {
        Self {
            exchanges: Arc::new(Mutex::new(Ring::new(limit))),
        }
    }

    /// Adds `exchange`, its `Authorization` header redacted; the oldest exchange is dropped when
    /// the recorder is full.
    pub fn record(&self, mut exchange: Exchange) {
        exchange.request_headers = redacted(&exchange.request_headers);
        lock(&self.exchanges).push(exchange);
    }

    /// Every exchange kept, oldest first.
    pub fn exchanges(&self) -> Vec<Exchange> {
        lock(&self.exchanges).iter().cloned().collect()
    }

    /// How many exchanges were dropped to stay within the limit.
    pub fn dropped(&self) -> u64 {
        let ring = lock(&self.exchanges);
        ring.pushed() - ring.len() as u64
    }

    /// Writes every exchange recorded so far into `dir` (see [`write_oav`]).
    pub fn write_oav(&self, dir: &Path) -> Result<Vec<PathBuf>, TrafficError> {
        write_oav(dir, &self.exchanges())
    }
}

/// A traffic file (or its folder) that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the traffic file {}: {source}", path.display())]
pub struct TrafficError {
    /// The file or folder.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: io::Error,
}

/// Writes `exchanges` into `dir` (created if missing) as oav traffic files named
/// `NNNN-<name>.json` in order (`NNNN` counting from `0001`; characters of the name other than
/// ASCII letters, digits, `-`, `_` and `.` become `_`). Returns the files written.
pub fn write_oav(dir: &Path, exchanges: &[Exchange]) -> Result<Vec<PathBuf>, TrafficError> {
    fs::create_dir_all(dir).map_err(|source| TrafficError {
        path: dir.to_owned(),
        source,
    })?;
    let mut written = Vec::with_capacity(exchanges.len());
    for (index, exchange) in exchanges.iter().enumerate() {
        let path = dir.join(format!(
            "{:04}-{}.json",
            index + 1,
            file_name_part(&exchange.name)
        ));
        let mut text =
            serde_json::to_string_pretty(&exchange.to_oav()).map_err(|error| TrafficError {
                path: path.clone(),
                source: error.into(),
            })?;
        text.push('\n');
        fs::write(&path, text).map_err(|source| TrafficError {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Records a request the local endpoint answered, as it answered it; `name` is the operation id,
/// if a route matched.
pub(super) fn record_served(
    recorder: &TrafficRecorder,
    base: &str,
    incoming: &Incoming,
    name: Option<&str>,
    response: &FakeResponse,
) {
    let mut url = format!("{base}{}", incoming.path);
    if let Some(query) = &incoming.query {
        url.push('?');
        url.push_str(query);
    }
    let request_headers = incoming
        .headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect();
    let head = incoming.method.eq_ignore_ascii_case("HEAD");
    recorder.record(Exchange {
        name: name.unwrap_or("unmatched").to_owned(),
        method: incoming.method.clone(),
        url,
        request_headers,
        request_body: incoming.body.as_deref().ok().and_then(body_value),
        status: response.status,
        response_headers: response.headers.clone(),
        response_body: response.body.as_ref().filter(|_| !head).map(recorded_body),
    });
}

/// `headers` with the value of every `Authorization` header replaced by [`REDACTED`].
fn redacted(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            if name.eq_ignore_ascii_case("authorization") {
                (name.clone(), REDACTED.to_owned())
            } else {
                (name.clone(), value.clone())
            }
        })
        .collect()
}

/// `headers` as a JSON object of strings, values of one name (any case, the first spelling
/// kept) joined with `, `.
fn header_map(headers: &[(String, String)]) -> Value {
    let mut map = Map::new();
    for (name, value) in headers {
        let existing = map
            .iter_mut()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, existing)| existing);
        match existing {
            Some(Value::String(existing)) => {
                existing.push_str(", ");
                existing.push_str(value);
            }
            _ => {
                map.insert(name.clone(), Value::from(value.as_str()));
            }
        }
    }
    Value::Object(map)
}

/// The part of a traffic file's name taken from `name`.
fn file_name_part(name: &str) -> String {
    let part: String = name
        .chars()
        .take(MAX_NAME)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if part.is_empty() {
        "exchange".to_owned()
    } else {
        part
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::{LocalEndpoint, Route};
    use azrm_runtime::{Client, Method, Request};

    fn exchange() -> Exchange {
        Exchange {
            name: "Widgets_Get / first".to_owned(),
            method: "GET".to_owned(),
            url: "http://127.0.0.1:1/w?api-version=1".to_owned(),
            request_headers: vec![
                ("Authorization".to_owned(), "Bearer secret".to_owned()),
                ("accept".to_owned(), "application/json".to_owned()),
            ],
            request_body: None,
            status: 200,
            response_headers: vec![
                ("x-a".to_owned(), "1".to_owned()),
                ("X-A".to_owned(), "2".to_owned()),
            ],
            response_body: Some(json!({"name": "w"})),
        }
    }

    #[test]
    fn an_exchange_becomes_an_oav_traffic_file_without_the_token() {
        assert_eq!(
            exchange().to_oav(),
            json!({
                "liveRequest": {
                    "method": "GET",
                    "url": "http://127.0.0.1:1/w?api-version=1",
                    "headers": {"Authorization": REDACTED, "accept": "application/json"},
                },
                "liveResponse": {
                    "statusCode": "200",
                    "headers": {"x-a": "1, 2"},
                    "body": {"name": "w"},
                },
            })
        );
        let recorder = TrafficRecorder::new();
        recorder.clone().record(exchange());
        let recorded = recorder.exchanges();
        assert_eq!(recorded.len(), 1);
        assert_eq!(recorded[0].request_headers[0].1, REDACTED);
        assert_eq!(recorder.dropped(), 0);
    }

    #[test]
    fn a_recorder_keeps_its_newest_exchanges_within_its_limit() {
        let recorder = TrafficRecorder::with_limit(2);
        for name in ["a", "b", "c"] {
            recorder.record(Exchange {
                name: name.to_owned(),
                ..exchange()
            });
        }
        let names: Vec<String> = recorder.exchanges().into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["b", "c"]);
        assert_eq!(recorder.dropped(), 1);
    }

    #[test]
    fn bodies_are_json_text_or_nothing() {
        assert_eq!(body_value(b" \n"), None);
        assert_eq!(body_value(br#"{"a":1}"#), Some(json!({"a": 1})));
        assert_eq!(body_value(b"not json"), Some(json!("not json")));
    }

    #[test]
    fn files_are_numbered_and_named_after_the_exchange() {
        let dir = std::env::temp_dir().join(format!("arm-traffic-{}", uuid::Uuid::new_v4()));
        let written = write_oav(&dir, &[exchange(), exchange()]).unwrap();
        let names: Vec<_> = written
            .iter()
            .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "0001-Widgets_Get___first.json",
                "0002-Widgets_Get___first.json"
            ]
        );
        let file: Value = serde_json::from_slice(&fs::read(&written[0]).unwrap()).unwrap();
        assert_eq!(file, exchange().to_oav());
        let below_a_file = write_oav(&written[1].join("folder"), &[exchange()]);
        fs::remove_dir_all(&dir).unwrap();
        let error = below_a_file.unwrap_err();
        assert_eq!(error.path, written[1].join("folder"));
    }

    #[tokio::test]
    async fn the_local_endpoint_records_what_it_answers_but_not_polls() {
        static ROUTES: &[Route] = crate::route::TEST_CREATE_WIDGET;
        let recorder = TrafficRecorder::new();
        let endpoint = LocalEndpoint::builder(ROUTES, "2024-01-01")
            .record_traffic(recorder.clone())
            .start()
            .await
            .unwrap();
        let base = endpoint.http_url();
        let client = Client::builder("sub-1")
            .endpoint(&base)
            .credential(endpoint.credential())
            .build()
            .unwrap();
        let request = |method, path: &str, body: Option<Value>| Request {
            operation_id: "test",
            method,
            path_template: "(test)",
            path: path.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: body.map(|body| body.to_string().into_bytes()),
            api_version: "2024-01-01",
            expected_status: &[200, 201],
            call: azrm_runtime::CallOptions::new(),
        };
        let path = "/subscriptions/sub-1/providers/Microsoft.Widgets/widgets/w%201";
        let body = json!({"properties": {"size": 1}});
        let created = client
            .send(request(Method::Put, path, Some(body.clone())))
            .await
            .unwrap();
        let status_url = created.header("azure-asyncoperation").unwrap();
        let status_path = status_url.strip_prefix(base.as_str()).unwrap();
        let status_path = status_path.split('?').next().unwrap();
        client
            .send(request(Method::Get, status_path, None))
            .await
            .unwrap();
        let missing = client.send(request(Method::Get, "/nowhere", None)).await;
        assert_eq!(missing.unwrap_err().status(), Some(404));

        assert_eq!(endpoint.requests().len(), 3);
        let exchanges = recorder.exchanges();
        let names: Vec<&str> = exchanges.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Widgets_Create", "unmatched"]);
        let put = &exchanges[0];
        assert_eq!(put.method, "PUT");
        assert_eq!(put.url, format!("{base}{path}?api-version=2024-01-01"));
        let header = |headers: &[(String, String)], name: &str| {
            headers
                .iter()
                .find(|(header, _)| header.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.clone())
        };
        assert_eq!(
            header(&put.request_headers, "authorization").as_deref(),
            Some(REDACTED)
        );
        assert_eq!(put.request_body, Some(body));
        assert_eq!(put.status, 201);
        assert_eq!(
            header(&put.response_headers, "content-type").as_deref(),
            Some("application/json")
        );
        assert_eq!(
            header(&put.response_headers, "azure-asyncoperation").as_deref(),
            Some(status_url)
        );
        let stored = put.response_body.as_ref().unwrap();
        assert_eq!(stored["properties"]["provisioningState"], "Creating");
        assert_eq!(exchanges[1].status, 404);
    }
}
