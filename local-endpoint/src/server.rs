//! The listeners: one TCP listener on loopback per scheme, each connection served by hyper
//! (HTTP/1.1, keep-alive), over TLS for https; requests go to [`dispatch`] and its outcome is
//! turned into an HTTP response (or a closed connection).

use std::fmt;
use std::io;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use crate::body::ResponseBody;
use crate::dispatch::{Outcome, dispatch};
use crate::fake::FakeResponse;
use crate::incoming::Incoming;
use crate::state::Shared;

/// The largest request body read; larger ones are answered 400.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// A running listener: its base URL and the task accepting its connections. Dropping it stops
/// the task and every connection it serves.
#[derive(Debug)]
pub(super) struct Listener {
    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
    pub(super) url: String,
    task: JoinHandle<()>,
}

impl Listener {
    /// Stops accepting and waits until the listener is closed.
    pub(super) async fn stop(mut self) {
        self.task.abort();
        // The task was aborted: the only outcome is that cancellation.
        let _ = (&mut self.task).await;
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Listens on `ip`:`port` (0: any free port), over TLS when `tls` is given.
pub(super) async fn listen(
    shared: Arc<Shared>,
    ip: Ipv4Addr,
    port: u16,
    tls: Option<TlsAcceptor>,
) -> io::Result<Listener> {
    let listener = TcpListener::bind((ip, port)).await?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://{}", listener.local_addr()?);
    let task = tokio::spawn(accept(listener, shared, Arc::from(url.as_str()), tls));
    Ok(Listener { url, task })
}

/// Accepts connections until aborted; the connections' tasks end with it.
async fn accept(
    listener: TcpListener,
    shared: Arc<Shared>,
    base: Arc<str>,
    tls: Option<TlsAcceptor>,
) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors or similar: try again shortly.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let (shared, base, tls) = (shared.clone(), base.clone(), tls.clone());
        connections.spawn(async move {
            match tls {
                Some(acceptor) => {
                    if let Ok(stream) = acceptor.accept(stream).await {
                        serve(stream, shared, base).await;
                    }
                }
                None => serve(stream, shared, base).await,
            }
        });
    }
}

/// Serves HTTP/1.1 requests on one connection until it closes.
async fn serve<S>(stream: S, shared: Arc<Shared>, base: Arc<str>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |request| handle(shared.clone(), base.clone(), request));
    // A failed connection (client gone, reset or truncation fault) concerns nobody else.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// The error that makes hyper close a connection without answering (fault `ResetConnection`).
#[derive(Debug)]
struct ResetConnection;

impl fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection reset by a fault rule")
    }
}

impl std::error::Error for ResetConnection {}

/// Reads one request and answers it.
async fn handle(
    shared: Arc<Shared>,
    base: Arc<str>,
    request: Request<hyper::body::Incoming>,
) -> Result<Response<ResponseBody>, ResetConnection> {
    let (parts, body) = request.into_parts();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let body = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .map_err(|error| format!("the request body could not be read: {error}"));
    let incoming = Incoming {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        authorization: header(header::AUTHORIZATION.as_str()),
        correlation_id: header("x-ms-correlation-request-id"),
        headers: parts.headers,
        body,
    };
    match dispatch(&shared, &base, incoming).await {
        Outcome::Reset => Err(ResetConnection),
        Outcome::Respond { response, truncate } => {
            Ok(to_http(response, truncate, parts.method == Method::HEAD))
        }
    }
}

/// The HTTP response for `response` (its `content-type` set by [`dispatch`]): its body, no body
/// for `HEAD`, the first half of the body under the full `Content-Length` when `truncate`.
fn to_http(response: FakeResponse, truncate: bool, head: bool) -> Response<ResponseBody> {
    let Some(status) = StatusCode::from_u16(response.status).ok() else {
        return unusable(&format!("the status {} is not valid", response.status));
    };
    let mut http = Response::new(ResponseBody::empty());
    *http.status_mut() = status;
    for (name, value) in &response.headers {
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) else {
            return unusable(&format!("the header `{name}` is not valid in HTTP"));
        };
        http.headers_mut().append(name, value);
    }
    let Some(body) = response.body else {
        return http;
    };
    if head {
        return http;
    }
    let bytes = body.to_bytes();
    *http.body_mut() = if truncate && !bytes.is_empty() {
        http.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        ResponseBody::first_half(bytes)
    } else {
        ResponseBody::full(bytes)
    };
    http
}

/// 500 for a response that cannot be sent as it is (a handler's invalid status or header).
fn unusable(reason: &str) -> Response<ResponseBody> {
    let body = serde_json::json!({"error": {
        "code": "InternalServerError",
        "message": format!("The fake response cannot be sent: {reason}."),
    }});
    let mut http = Response::new(ResponseBody::full(Bytes::from(body.to_string())));
    *http.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    http.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    http
}
