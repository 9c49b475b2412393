//! Streamed response bodies (`Client::send_streamed`, an operation that answers with a file):
//! the body arrives chunk by chunk, not buffered; an error status is the typed error; retries
//! come first; a body that breaks off is a typed error naming the operation.

mod common;

use std::time::Duration;

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use azrm_runtime::{ErrorKind, Request};
use common::{client, get};
use futures::StreamExt as _;
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// How long a step may take before the test fails instead of hanging (a client that waited for
/// the whole body would wait for ever).
const GUARD: Duration = Duration::from_secs(20);

/// A file operation's request: a GET expecting 200.
fn download() -> Request {
    get("Files_Get", "/test/file")
}

/// Accepts one connection on a fresh listener and reads the request head; returns the base URL
/// and the accepted connection.
async fn one_connection() -> (String, tokio::task::JoinHandle<TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).await.unwrap();
            head.push(byte[0]);
        }
        stream
    });
    (base, accepted)
}

#[tokio::test]
async fn the_body_is_handed_out_as_it_arrives_not_after_it_is_complete() {
    let (base, accepted) = one_connection().await;
    let (first_read, rest) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let mut stream = accepted.await.unwrap();
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ntransfer-encoding: chunked\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(b"5\r\nfirst\r\n").await.unwrap();
        // The rest only once the client has the first chunk in hand.
        rest.await.unwrap();
        stream.write_all(b"6\r\nsecond\r\n0\r\n\r\n").await.unwrap();
        stream.flush().await.unwrap();
    });
    let client = client(&base);
    let response = tokio::time::timeout(GUARD, client.send_streamed(download()))
        .await
        .expect("the response came before its body was complete")
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("content-type"), Some("image/png"));
    let mut body = response.into_model();
    let first = tokio::time::timeout(GUARD, body.next()).await.unwrap();
    assert_eq!(first.unwrap().unwrap(), &b"first"[..]);
    first_read.send(()).unwrap();
    let rest = tokio::time::timeout(GUARD, body.collect()).await.unwrap();
    assert_eq!(rest.unwrap(), &b"second"[..]);
}

#[tokio::test]
async fn a_body_that_breaks_off_ends_the_stream_with_an_error_naming_the_operation() {
    let (base, accepted) = one_connection().await;
    tokio::spawn(async move {
        let mut stream = accepted.await.unwrap();
        let head = "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: 100\r\n\
                    x-ms-request-id: r-7\r\n\r\n";
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(b"0123456789").await.unwrap();
        stream.flush().await.unwrap();
        // Closed after 10 of the 100 bytes promised.
    });
    let client = client(&base);
    let mut body = client.send_streamed(download()).await.unwrap().into_model();
    let mut received = 0;
    let error = loop {
        match tokio::time::timeout(GUARD, body.next()).await.unwrap() {
            Some(Ok(chunk)) => received += chunk.len(),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without an error after {received} bytes"),
        }
    };
    assert_eq!(received, 10);
    assert!(
        matches!(
            error.kind(),
            ErrorKind::BodyInterrupted {
                operation_id,
                status: 200,
                received: 10,
                timeout: false,
                ..
            } if operation_id == "Files_Get"
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(200));
    assert_eq!(error.request_id(), Some("r-7"));
    assert!(
        error
            .to_string()
            .starts_with("Files_Get: the body of the HTTP 200 response broke off after 10 bytes"),
        "{error}"
    );
    assert!(body.next().await.is_none(), "nothing follows the error");
}

#[tokio::test]
async fn an_error_status_is_read_whole_and_the_typed_error() {
    let server = LocalEndpoint::stub(|_, _| {
        FakeResponse::json(
            404,
            &json!({"error": {"code": "FileNotFound", "message": "no such file"}}),
        )
    })
    .await
    .unwrap();
    let error = client(&server.http_url())
        .send_streamed(download())
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Http { status: 404, .. }),
        "{error:?}"
    );
    assert_eq!(error.error_code(), Some("FileNotFound"));
    assert!(error.raw_body().unwrap().starts_with(b"{\"error\""));
}

#[tokio::test]
async fn a_throttled_download_is_retried_before_its_body_is_handed_out() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\nfile";
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let server = LocalEndpoint::stub(move |_, _| {
        match calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
            0 => FakeResponse::status(503).with_header("retry-after", "0"),
            _ => FakeResponse::bytes(200, "image/png", png),
        }
    })
    .await
    .unwrap();
    let response = client(&server.http_url())
        .send_streamed(download())
        .await
        .unwrap();
    assert_eq!(response.header("content-type"), Some("image/png"));
    assert_eq!(response.into_model().collect().await.unwrap(), png);
    assert_eq!(server.requests().len(), 2);
}
