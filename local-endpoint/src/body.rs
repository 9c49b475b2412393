//! [`ResponseBody`]: the body of an answer, sent whole or (fault `TruncatedBody`) cut short.

use std::fmt;
use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

/// How long a body cut short waits after its data before failing: the server flushes what it
/// has written (head and data) while the body is pending, so the client receives them before the
/// connection closes.
const FLUSH_GRACE: Duration = Duration::from_millis(20);

/// A response body: its bytes, then (when cut short) an error that makes the server close the
/// connection before the declared length is reached.
#[derive(Debug)]
pub(super) struct ResponseBody {
    data: Option<Bytes>,
    cut_short: bool,
    grace: Option<Pin<Box<Sleep>>>,
}

impl ResponseBody {
    /// All of `data`.
    pub(super) fn full(data: Bytes) -> Self {
        Self {
            data: (!data.is_empty()).then_some(data),
            cut_short: false,
            grace: None,
        }
    }

    /// No body.
    pub(super) fn empty() -> Self {
        Self::full(Bytes::new())
    }

    /// The first half of `data`, then a failure; its length is unknown to the server, so a
    /// `Content-Length` header set by the caller is what the client is told.
    pub(super) fn first_half(data: Bytes) -> Self {
        let half = data.slice(..data.len() / 2);
        Self {
            data: (!half.is_empty()).then_some(half),
            cut_short: true,
            grace: None,
        }
    }
}

/// The error that ends a body cut short.
#[derive(Debug)]
pub(super) struct CutShort;

impl fmt::Display for CutShort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the response body was cut short by a fault rule")
    }
}

impl std::error::Error for CutShort {}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = CutShort;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, CutShort>>> {
        let this = self.get_mut();
        if let Some(data) = this.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        if this.cut_short {
            let grace = this
                .grace
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(FLUSH_GRACE)));
            if grace.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.cut_short = false;
            return Poll::Ready(Some(Err(CutShort)));
        }
        Poll::Ready(None)
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && !self.cut_short
    }

    fn size_hint(&self) -> SizeHint {
        if self.cut_short {
            SizeHint::default()
        } else {
            let length = self.data.as_ref().map_or(0, Bytes::len);
            SizeHint::with_exact(u64::try_from(length).unwrap_or(u64::MAX))
        }
    }
}
