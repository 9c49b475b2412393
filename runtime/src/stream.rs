//! [`BodyStream`]: the body of a success response read as it arrives, for an operation whose
//! spec answers with a file (`type: file`): a download of any size never sits whole in memory.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures::stream::{BoxStream, Stream, StreamExt as _};

use crate::error::{Error, ErrorKind, innermost_cause};
use crate::response::RawResponse;

/// The body of a success response, not yet read: a [`Stream`] of chunks as they come off the
/// connection, for an operation that answers with a file (the spec's `type: file`). The call
/// returned as soon as the status and headers came; an error status was read whole and became
/// the call's typed error, and retries were over before this body was handed out.
///
/// Read it chunk by chunk with `futures::StreamExt::next` (`while let Some(chunk) =
/// body.next().await`), or whole with [`BodyStream::collect`]. A connection that breaks off or
/// times out (the call's timeout covers the body too, as each attempt's does in the Go SDK;
/// raise it with `CallOptions::with_timeout` for a large download) ends the stream with an error
/// of kind [`ErrorKind::BodyInterrupted`] naming the operation, the status and how many bytes
/// came first, with the response's headers (`request_id()`). Dropping the stream closes the
/// connection. `Debug` shows the operation, the status and the bytes read so far, never the
/// bytes themselves.
pub struct BodyStream {
    operation_id: String,
    /// The status and headers, for the error of a body that breaks off.
    head: RawResponse,
    received: u64,
    chunks: BoxStream<'static, Result<Bytes, reqwest::Error>>,
    ended: bool,
}

impl BodyStream {
    /// The unread body of `response`, the answer of `operation_id` whose status and headers are
    /// `head`.
    pub(crate) fn new(operation_id: &str, head: RawResponse, response: reqwest::Response) -> Self {
        let chunks = futures::stream::unfold(response, |mut response| async move {
            let chunk = response.chunk().await.transpose()?;
            Some((chunk, response))
        });
        Self::from_chunks(operation_id, head, chunks.boxed())
    }

    /// A stream of `chunks`, each as the connection would deliver it, after `head`.
    fn from_chunks(
        operation_id: &str,
        head: RawResponse,
        chunks: BoxStream<'static, Result<Bytes, reqwest::Error>>,
    ) -> Self {
        Self {
            operation_id: operation_id.to_owned(),
            head,
            received: 0,
            chunks,
            ended: false,
        }
    }

    /// A stream that yields `bytes` in one chunk (none if empty), as if `operation_id` had
    /// answered with it: for a fake or a test of code that reads a download.
    pub fn from_bytes(operation_id: &str, status: u16, bytes: impl Into<Bytes>) -> Self {
        let bytes: Bytes = bytes.into();
        let chunks = futures::stream::iter((!bytes.is_empty()).then_some(Ok(bytes)));
        let head = RawResponse::from_body(status, Vec::new());
        Self::from_chunks(operation_id, head, chunks.boxed())
    }

    /// The operation whose response this is.
    pub fn operation_id(&self) -> &str {
        &self.operation_id
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.head.status()
    }

    /// How many bytes the stream has yielded so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Reads the rest of the body into memory: for a small file. A large one is better read
    /// chunk by chunk.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let mut whole = BytesMut::new();
        while let Some(chunk) = self.next().await {
            whole.extend_from_slice(&chunk?);
        }
        Ok(whole.freeze())
    }

    /// The error of a body that broke off with `error`.
    fn interrupted(&self, error: reqwest::Error) -> Error {
        let kind = ErrorKind::BodyInterrupted {
            operation_id: self.operation_id.clone(),
            status: self.status(),
            received: self.received,
            message: innermost_cause(&error),
            timeout: error.is_timeout(),
        };
        Error::with_response(kind, self.head.clone()).with_source(error)
    }
}

impl Stream for BodyStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let item = match self.chunks.poll_next_unpin(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => None,
            Poll::Ready(Some(Ok(chunk))) => {
                self.received += chunk.len() as u64;
                Some(Ok(chunk))
            }
            // Nothing follows a broken body: the stream ends with its error.
            Poll::Ready(Some(Err(error))) => Some(Err(self.interrupted(error))),
        };
        self.ended = !matches!(item, Some(Ok(_)));
        Poll::Ready(item)
    }
}

impl fmt::Debug for BodyStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyStream")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status())
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn collects_its_bytes_and_debug_shows_none_of_them() {
        let body = BodyStream::from_bytes("Files_Get", 200, &b"secret-bytes"[..]);
        let debug = format!("{body:?}");
        assert!(
            debug.contains("Files_Get") && debug.contains("200"),
            "{debug}"
        );
        assert!(!debug.contains("secret"), "{debug}");
        assert_eq!(body.collect().await.unwrap(), &b"secret-bytes"[..]);
        let empty = BodyStream::from_bytes("Files_Get", 200, Bytes::new());
        assert_eq!(empty.collect().await.unwrap(), Bytes::new());
    }
}
